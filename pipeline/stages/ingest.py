"""ingest: raw *.txt files -> documents (decoded, normalised, header metadata) and quarantine."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipeline.config import IngestConfig
from pipeline.context import Context
from pipeline.errors import RawFolderError
from pipeline.schemas import DOCUMENTS, QUARANTINE
from pipeline.text import normalise

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
    date, title, header_end = parse_header(text)
    doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Document(doc_id, source_path, text, encoding, date, title, header_end)


def ingest_batch(
    files: list[tuple[Path, str]], cfg: IngestConfig, seen: dict[str, str]
) -> tuple[pa.Table, pa.Table]:
    """Read raw files into (documents, quarantine); `seen` maps doc_id to its first path."""
    docs: list[Document] = []
    rejected: list[Rejected] = []
    for path, rel in files:
        result = read_document(path, rel, cfg)
        if isinstance(result, Document) and result.doc_id in seen:
            result = Rejected(rel, "duplicate", f"same text as {seen[result.doc_id]}")
        if isinstance(result, Document):
            seen[result.doc_id] = rel
            docs.append(result)
        else:
            rejected.append(result)
    documents = pa.Table.from_pydict(
        {name: [getattr(d, name) for d in docs] for name in DOCUMENTS.names}, schema=DOCUMENTS
    )
    quarantine = pa.Table.from_pydict(
        {name: [getattr(r, name) for r in rejected] for name in QUARANTINE.names}, schema=QUARANTINE
    )
    return documents, quarantine


def run(ctx: Context) -> dict[str, int]:
    """Read every raw file in batches; each batch is one row group of documents and quarantine."""
    if not ctx.raw.is_dir():
        raise RawFolderError(f"raw folder {ctx.raw} not found")
    files = list(list_raw(ctx.raw))
    seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    store = ctx.store
    with store.writer("documents") as docs_out, store.writer("quarantine") as quarantine_out:
        size = ctx.config.batch_docs
        for i in range(0, len(files), size):
            docs, rejected = ingest_batch(files[i : i + size], ctx.config.ingest, seen)
            docs_out.write(docs)
            quarantine_out.write(rejected)
            counts.update(f"quarantined_{r}" for r in rejected["reason"].to_pylist())
    counts["files"] = len(files)
    counts["documents"] = docs_out.rows
    counts["quarantined"] = quarantine_out.rows
    return dict(counts)
