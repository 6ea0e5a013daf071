"""ingest: raw *.txt files -> documents (decoded, normalised, header metadata) and quarantine."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.config import IngestConfig
from pipeline.context import Context
from pipeline.errors import RawFolderError
from pipeline.progress import Progress, Silent
from pipeline.schemas import DOCUMENTS, QUARANTINE
from pipeline.store import write_table
from pipeline.text import normalise

# What the first pass of a run may keep of the texts it read, so as not to read them again.
KEEP_BYTES = 128 << 20

# The scraper's first line: `date YYYY-MM-DD <title>`.
_HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})\b[ \t]*([^\n]*)")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_path: str
    text: str
    encoding: str
    published_date: dt.date | None
    title: str | None
    header_end: int


@dataclass(frozen=True)
class Rejected:
    source_path: str
    reason: str
    detail: str


def list_raw(raw: Path) -> Iterator[tuple[Path, str]]:
    """Every *.txt under raw, recursively, in a stable order; symlink loops are not followed."""
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
            if name.endswith(".txt"):
                path = Path(root) / name
                yield path, path.relative_to(raw).as_posix()


def decode(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str] | None:
    """The text and the encoding that read it, or None when no encoding fits."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                return None
    for name in encodings:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF")):
        return True
    # Text in any of our encodings has few NULs; UTF-16 without a BOM is not accepted either.
    return head.count(b"\x00") > len(head) // 8


def parse_header(text: str) -> tuple[dt.date | None, str | None, int]:
    """(published_date, title, offset after the header line) from `date YYYY-MM-DD <title>`."""
    m = _HEADER.match(text)
    if not m:
        return None, None, 0
    try:
        date = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        date = None
    title = m[4].strip() or None
    end = m.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    return date, title, end


def read_document(path: Path, source_path: str, cfg: IngestConfig) -> Document | Rejected:
    """Read one raw file; whatever goes wrong becomes a Rejected with the reason."""
    try:
        size = path.stat().st_size
        if size > cfg.max_bytes:
            return Rejected(
                source_path, "too_large", f"{size} bytes, more than max_bytes {cfg.max_bytes}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return Rejected(source_path, "unreadable", "the file was gone when it was read")
    except OSError as exc:
        return Rejected(source_path, "unreadable", exc.strerror or type(exc).__name__)
    if not data.strip():
        return Rejected(source_path, "empty", f"{len(data)} bytes, no text")
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _looks_binary(data):
        return Rejected(source_path, "binary", f"{len(data)} bytes that are not text")
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
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Document(doc_id, source_path, text, encoding, date, title, header_end)


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


def batch_id(pairs: Iterable[tuple[str, str]]) -> str:
    """A batch's id: from its documents' ids and paths, so the same documents make the same id."""
    return hashlib.sha256("\n".join(f"{d} {p}" for d, p in pairs).encode()).hexdigest()[:16]


@dataclass
class Plan:
    """What ingest found: the live batches, the ones it made now, and what happened to each file."""

    batches: list[dict[str, Any]]
    new_batches: list[str]
    counts: Counter[str] = field(default_factory=Counter)


def check_raw(ctx: Context) -> None:
    """A missing raw folder is an error before any work starts."""
    if not ctx.raw.is_dir():
        raise RawFolderError(f"raw folder {ctx.raw} not found")


def last_state(ctx: Context, fingerprint: str) -> dict[str, Any]:
    """What the last ingest with these settings left (files, batches); empty if none did."""
    state: dict[str, Any] = ctx.store.read_state("ingest.json", {})
    return state if state.get("fingerprint") == fingerprint else {}


def plan(
    ctx: Context,
    fingerprint: str,
    progress: Progress | None = None,
    state: dict[str, Any] | None = None,
) -> Plan:
    """Read what is new or changed in --raw, carry the rest over, write documents of new batches.

    A file whose size and modification time are unchanged is not read again; a file that was
    read gets its id from its content, so a touched but identical file changes nothing. Batches
    whose documents are all still there, unchanged, stay; every other document goes into new
    batches (a batch that lost a document is made again from the documents it still has).
    `state` is `last_state(ctx, fingerprint)` when the caller has read it already.
    """
    check_raw(ctx)
    store, cfg = ctx.store, ctx.config.ingest
    if state is None:
        state = last_state(ctx, fingerprint)
    cache: dict[str, dict[str, Any]] = state.get("files", {})
    old_batches: list[dict[str, Any]] = state.get("batches", [])
    counts: Counter[str] = Counter()

    entries: dict[str, dict[str, Any]] = {}
    # Documents read by the first pass, kept (up to a memory budget) so the second pass does not
    # read, decode and hash them again; past the budget, a file is read twice.
    read_once: dict[str, Document] = {}
    budget = KEEP_BYTES
    files = dict((rel, path) for path, rel in list_raw(ctx.raw))
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
            result = read_document(path, rel, cfg)
            if isinstance(result, Document):
                entry = {"stamp": stamp, "doc_id": result.doc_id}
                if budget > 0:
                    read_once[rel] = result
                    budget -= sys.getsizeof(result.text)
            else:
                entry = {"stamp": stamp, "reason": result.reason, "detail": result.detail}
        entries[rel] = entry

    first_path: dict[str, str] = {}
    rejected: list[Rejected] = []
    pairs: list[tuple[str, str]] = []
    for rel, entry in entries.items():
        if "doc_id" not in entry:
            rejected.append(Rejected(rel, entry["reason"], entry["detail"]))
        elif entry["doc_id"] in first_path:
            rejected.append(
                Rejected(rel, "duplicate", f"same text as {first_path[entry['doc_id']]}")
            )
        else:
            first_path[entry["doc_id"]] = rel
            pairs.append((entry["doc_id"], rel))

    current = set(pairs)
    kept = [
        b
        for b in old_batches
        if all(tuple(d) in current for d in b["docs"])
        and store.part("documents", fingerprint, b["id"]).is_file()
    ]
    covered = {tuple(d) for b in kept for d in b["docs"]}
    todo = [pair for pair in pairs if pair not in covered]

    previous = {p for b in old_batches for _, p in b["docs"]}
    previous_ids = {p: d for b in old_batches for d, p in b["docs"]}
    for doc_id, rel in todo:
        counts[
            "changed"
            if rel in previous and previous_ids[rel] != doc_id
            else "new"
            if rel not in previous
            else "rebatched"
        ] += 1
    counts["unchanged"] = len(covered)
    counts["removed"] = len(previous - set(files))

    # The texts past the budget are read again here, a batch at a time, so that a first run over
    # a large corpus never holds more than the budget and one batch of texts.
    new_batches: list[dict[str, Any]] = []
    chunk: list[Document] = []
    for n, (doc_id, rel) in enumerate(todo, 1):
        result = read_once.pop(rel, None) or read_document(files[rel], rel, cfg)
        if isinstance(result, Document) and result.doc_id == doc_id:
            chunk.append(result)
        else:
            why = result if isinstance(result, Rejected) else None
            rejected.append(why or Rejected(rel, "unreadable", "it changed while it was read"))
        if chunk and (len(chunk) == ctx.config.batch_docs or n == len(todo)):
            bid = batch_id((d.doc_id, d.source_path) for d in chunk)
            store.write_part("documents", fingerprint, bid, _tables(chunk, [])[0])
            new_batches.append({"id": bid, "docs": [[d.doc_id, d.source_path] for d in chunk]})
            chunk = []

    rejected.sort(key=lambda r: r.source_path)
    _, quarantine = _tables([], rejected)
    write_table(store.state / "quarantine.parquet", quarantine, QUARANTINE)
    counts.update(f"quarantined_{r.reason}" for r in rejected)
    counts["files"] = len(files)
    counts["quarantined"] = len(rejected)
    batches = sorted(kept + new_batches, key=lambda b: b["docs"][0][1])
    counts["documents"] = sum(len(b["docs"]) for b in batches)
    # Written last: a run killed before this point leaves the previous state, and its new parts
    # are found again (same documents, same batch ids) by the next run.
    store.write_state(
        "ingest.json", {"fingerprint": fingerprint, "files": entries, "batches": batches}
    )
    return Plan(batches, [b["id"] for b in new_batches], counts)
