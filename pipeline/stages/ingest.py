"""ingest: raw files -> documents (decoded, normalised, with their metadata) and quarantine.

A .txt file is one document, its scraper header giving the date and title; the other formats
(pipeline/formats/) hold records, each of which is one document, or goes to quarantine alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.catalog import Batch, Key
from pipeline.config import IngestConfig
from pipeline.context import Context
from pipeline.errors import RawFolderError
from pipeline.formats import READERS, format_of
from pipeline.formats.base import Document, Item, Rejected, Skipped, content_id, decode, read_whole
from pipeline.progress import Progress, Silent
from pipeline.registry import stage
from pipeline.schemas import DOCUMENTS, QUARANTINE
from pipeline.text import normalise

log = logging.getLogger(__name__)

# What the first pass of a run may keep of the texts it read, so as not to read them again.
KEEP_BYTES = 128 << 20
# ingest.json's files hold their records' ids since version 2; an older state is read as none.
STATE_VERSION = 2

# The scraper's first line: `date YYYY-MM-DD <title>`.
TITLE_MAX = 200  # characters; a one-line document's "title" longer than this is its text
_HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*([^\n]*)")


def list_raw(
    raw: Path, formats: Iterable[str] = ("txt",), left_out: Counter[str] | None = None
) -> Iterator[tuple[Path, str]]:
    """Every file under raw in one of the formats, recursively, in a stable order.

    Symlink loops are not followed. `left_out` counts, by format, the files of the other formats.
    """
    wanted = set(formats)
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(raw, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(files):
            fmt = format_of(name)
            if fmt in wanted:
                path = Path(root) / name
                yield path, path.relative_to(raw).as_posix()
            elif fmt is not None and left_out is not None:
                left_out[fmt] += 1


def parse_header(text: str) -> tuple[dt.date | None, str | None, int]:
    """(published_date, title, offset after the header line) from `date YYYY-MM-DD <title>`."""
    m = _HEADER.match(text)
    if not m:
        return None, None, 0
    try:
        date = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        date = None
    end = m.end()
    if not text[end:].strip() and len(m[4].strip()) > TITLE_MAX:
        # The header is the whole document and too long for a title (a page stored on one
        # line, `date …` glued to its text): what follows the date is the body.
        return date, None, m.start(4)
    title = m[4].strip() or None
    if end < len(text) and text[end] == "\n":
        end += 1
    return date, title, end


def read_document(path: Path, source_path: str, cfg: IngestConfig) -> Document | Rejected:
    """Read one raw .txt file; whatever goes wrong becomes a Rejected with the reason."""
    data = read_whole(path, source_path, cfg.max_bytes)
    if isinstance(data, Rejected):
        return data
    decoded = decode(data, cfg.encodings)
    if decoded is None:
        tried = ", ".join(cfg.encodings)
        return Rejected(source_path, "undecodable", f"not valid in any of: {tried}")
    raw_text, encoding = decoded
    text = normalise(raw_text)
    if not text.strip():
        return Rejected(source_path, "empty", "only whitespace or invisible characters")
    return make_document(text, source_path, encoding)


def make_document(text: str, source_path: str, encoding: str) -> Document:
    """A document of a decoded text: normalised, its header read, its id from its content."""
    text = normalise(text)
    date, title, header_end = parse_header(text)
    return Document(content_id(text), source_path, text, encoding, date, title, header_end)


def read_items(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """What one raw file holds: a .txt file's document, or the records of another format."""
    fmt = format_of(source_path)
    if fmt is None or fmt == "txt":
        yield read_document(path, source_path, cfg)
    else:
        yield from READERS[fmt](path, source_path, cfg)


def document_table(docs: list[Document]) -> pa.Table:
    """The documents dataset of some documents."""
    return pa.Table.from_pydict(
        {name: [getattr(d, name) for d in docs] for name in DOCUMENTS.names}, schema=DOCUMENTS
    )


def _tables(docs: list[Document], rejected: list[Rejected]) -> tuple[pa.Table, pa.Table]:
    documents = document_table(docs)
    quarantine = pa.Table.from_pydict(
        {name: [getattr(r, name) for r in rejected] for name in QUARANTINE.names}, schema=QUARANTINE
    )
    return documents, quarantine


def batch_id(keys: Iterable[Key]) -> str:
    """A batch's id: from its documents' ids, files and records (a .txt file's have none)."""
    lines = (f"{d} {p}" if r is None else f"{d} {p} {r}" for d, p, r in keys)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _where(source_path: str, record: int | None) -> str:
    return source_path if record is None else f"{source_path} record {record}"


def _order(source_path: str, record: int | None) -> tuple[str, int]:
    return source_path, -1 if record is None else record


def _seek(items: Iterator[Item], record: int | None) -> Document | Rejected | None:
    """A file's items read on to the given record: what the file now has there, if anything."""
    for item in items:
        if isinstance(item, Skipped):
            continue
        if item.record is None or item.record == record:
            return item
        if record is not None and item.record > record:
            return None
    return None


@dataclass
class Plan:
    """What ingest found: the live batches, the ones it made now, and what happened to each file."""

    batches: list[Batch]
    new_batches: list[Batch]
    counts: Counter[str] = field(default_factory=Counter)


def check_raw(ctx: Context) -> None:
    """A missing raw folder is an error before any work starts."""
    if not ctx.raw.is_dir():
        raise RawFolderError(f"raw folder {ctx.raw} not found")


def last_state(ctx: Context, fingerprint: str) -> dict[str, Any]:
    """What the last ingest with these settings left (files, batches); empty if none did."""
    state = ctx.catalog.ingest_state() or {}
    if state.get("fingerprint") != fingerprint or state.get("version") != STATE_VERSION:
        return {}
    return state


def _read(
    path: Path, rel: str, cfg: IngestConfig, stamp: Any, keep: Callable[[Document], None]
) -> dict[str, Any]:
    """A file's entry in ingest.json: its records' ids, the records rejected, those skipped.

    `keep(document)` is offered each document read, to keep its text for the second pass.
    """
    docs: list[list[Any]] = []
    rejected: list[list[Any]] = []
    skipped: Counter[str] = Counter()
    for item in read_items(path, rel, cfg):
        if isinstance(item, Document):
            docs.append([item.record, item.doc_id])
            keep(item)
        elif isinstance(item, Rejected):
            rejected.append([item.record, item.reason, item.detail])
        else:
            skipped[item.reason] += 1
    entry: dict[str, Any] = {"stamp": stamp, "docs": docs}
    if rejected:
        entry["rejected"] = rejected
    if skipped:
        entry["skipped"] = dict(skipped)
    return entry


def plan(
    ctx: Context,
    fingerprint: str,
    progress: Progress | None = None,
    state: dict[str, Any] | None = None,
) -> Plan:
    """Read what is new or changed in --raw, carry the rest over, write documents of new batches.

    A file whose size and modification time are unchanged is not read again; a file that was
    read gets its documents' ids from their content, so a touched but identical file changes
    nothing, and a file of records that grew only adds the new records' documents. Batches
    whose documents are all still there, unchanged, stay; every other document goes into new
    batches (a batch that lost a document is made again from the documents it still has).
    `state` is `last_state(ctx, fingerprint)` when the caller has read it already.
    """
    check_raw(ctx)
    catalog, cfg = ctx.catalog, ctx.config.ingest
    if state is None:
        state = last_state(ctx, fingerprint)
    cache: dict[str, dict[str, Any]] = state.get("files", {})
    old_batches = [Batch.from_state(b) for b in state.get("batches", ())]
    counts: Counter[str] = Counter()

    entries: dict[str, dict[str, Any]] = {}
    # Documents read by the first pass, kept (up to a memory budget) so the second pass does not
    # read, decode and hash them again; past the budget, a file is read twice.
    read_once: dict[tuple[str, int | None], Document] = {}
    budget = KEEP_BYTES

    def keep(doc: Document) -> None:
        nonlocal budget
        if budget > 0:
            read_once[doc.source_path, doc.record] = doc
            budget -= sys.getsizeof(doc.text)

    left_out: Counter[str] = Counter()
    files = dict((rel, path) for path, rel in list_raw(ctx.raw, cfg.formats, left_out))
    if left_out:
        log.info(
            "ingest: not read, as ingest.formats leaves them out: %s",
            ", ".join(f"{n} .{fmt}" for fmt, n in sorted(left_out.items())),
        )
    progress = progress or Silent()
    progress.phase("ingest", len(files), "files")
    for rel, path in files.items():
        progress.advance()
        try:
            st = path.stat()
            stamp = [st.st_size, st.st_mtime_ns]
        except OSError:
            stamp = None
        entry = cache.get(rel)
        if entry is None or stamp is None or entry["stamp"] != stamp:
            entry = _read(path, rel, cfg, stamp, keep)
        entries[rel] = entry

    first_seen: dict[str, str] = {}
    rejected: list[Rejected] = []
    live: list[Key] = []
    found: set[tuple[str, int | None]] = set()  # every record read, live or not
    for rel, entry in entries.items():
        for record, reason, detail in entry.get("rejected", ()):
            rejected.append(Rejected(rel, reason, detail, record))
            found.add((rel, record))
        for record, doc_id in entry["docs"]:
            found.add((rel, record))
            if doc_id in first_seen:
                why = f"same text as {first_seen[doc_id]}"
                rejected.append(Rejected(rel, "duplicate", why, record))
            else:
                first_seen[doc_id] = _where(rel, record)
                live.append((doc_id, rel, record))
        counts.update({f"skipped_{k}": v for k, v in entry.get("skipped", {}).items()})

    current = set(live)
    kept = [
        b
        for b in old_batches
        if all(d in current for d in b.docs) and catalog.done(stage("ingest"), fingerprint, b)
    ]
    covered = {d for b in kept for d in b.docs}
    todo = [key for key in live if key not in covered]

    previous = {(p, r): d for b in old_batches for d, p, r in b.docs}
    for doc_id, rel, record in todo:
        before = previous.get((rel, record))
        counts["new" if before is None else "changed" if before != doc_id else "rebatched"] += 1
    counts["unchanged"] = len(covered)
    counts["removed"] = len(previous.keys() - found)

    # The texts past the budget are read again here, a batch at a time, so that a first run over
    # a large corpus never holds more than the budget and one batch of texts. A file's records
    # come in order, so one reading of it serves all of its documents.
    new_batches: list[Batch] = []
    chunk: list[Document] = []
    again: tuple[str, Iterator[Item]] | None = None
    for n, (doc_id, rel, record) in enumerate(todo, 1):
        result: Document | Rejected | None = read_once.pop((rel, record), None)
        if result is None:
            if again is None or again[0] != rel:
                again = (rel, read_items(files[rel], rel, cfg))
            result = _seek(again[1], record)
        if isinstance(result, Document) and result.doc_id == doc_id:
            chunk.append(result)
        elif isinstance(result, Rejected):
            rejected.append(Rejected(rel, result.reason, result.detail, record))
        else:
            rejected.append(Rejected(rel, "unreadable", "it changed while it was read", record))
        if chunk and (len(chunk) == ctx.config.batch_docs or n == len(todo)):
            keys = tuple((d.doc_id, d.source_path, d.record) for d in chunk)
            batch = Batch(batch_id(keys), keys)
            catalog.write_part("documents", fingerprint, batch, document_table(chunk))
            new_batches.append(batch)
            chunk = []
    again = None

    rejected.sort(key=lambda r: _order(r.source_path, r.record))
    _, quarantine = _tables([], rejected)
    catalog.write_whole("quarantine", quarantine)
    counts.update(f"quarantined_{r.reason}" for r in rejected)
    counts["files"] = len(files)
    counts["quarantined"] = len(rejected)
    skipped = sum(v for k, v in counts.items() if k.startswith("skipped_"))
    if skipped:
        counts["skipped"] = skipped
    batches = sorted(kept + new_batches, key=lambda b: _order(*b.docs[0][1:]))
    counts["documents"] = sum(len(b) for b in batches)
    # Written last: a run killed before this point leaves the previous state, and its new parts
    # are found again (same documents, same batch ids) by the next run.
    catalog.write_ingest_state(
        {
            "version": STATE_VERSION,
            "fingerprint": fingerprint,
            "files": entries,
            "batches": [b.to_state() for b in batches],
        }
    )
    return Plan(batches, new_batches, counts)
