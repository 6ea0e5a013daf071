"""What every reader gives: documents, rejected records and skipped ones; decoding and sizes."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

BOMS = (
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
    record: int | None = None  # the position in a file of records; None: the file is the document
    url: str | None = None
    outlet: str | None = None  # as the record names it


@dataclass(frozen=True)
class Rejected:
    source_path: str
    reason: str
    detail: str
    record: int | None = None


@dataclass(frozen=True)
class Skipped:
    """A record that holds no document by design (a WARC response that is not an HTML page)."""

    reason: str


Item = Document | Rejected | Skipped


def content_id(text: str) -> str:
    """A document's id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def decode(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str] | None:
    """The text and the encoding that read it, or None when no encoding fits."""
    for bom, name in BOMS:
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


def looks_binary(data: bytes) -> bool:
    """Whether bytes are an image, an archive or other data rather than text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:4096]
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF")):
        return True
    # Text in any of our encodings has few NULs; UTF-16 without a BOM is not accepted either.
    return head.count(b"\x00") > len(head) // 8


def read_whole(path: Path, source_path: str, max_bytes: int) -> bytes | Rejected:
    """A file's bytes, or why they cannot be had: too large, gone, unreadable, empty, binary."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Rejected(
                source_path, "too_large", f"{size} bytes, more than max_bytes {max_bytes}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return Rejected(source_path, "unreadable", "the file was gone when it was read")
    except OSError as exc:
        return Rejected(source_path, "unreadable", exc.strerror or type(exc).__name__)
    if not data.strip():
        return Rejected(source_path, "empty", f"{len(data)} bytes, no text")
    if looks_binary(data):
        return Rejected(source_path, "binary", f"{len(data)} bytes that are not text")
    return data


def unreadable(source_path: str, exc: OSError, record: int | None = None) -> Rejected:
    """An OSError met while a file was open, as a rejection."""
    if isinstance(exc, FileNotFoundError):
        return Rejected(source_path, "unreadable", "the file was gone when it was read", record)
    return Rejected(source_path, "unreadable", exc.strerror or type(exc).__name__, record)


def read_lines(f: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """A binary file's lines, with None for a line longer than limit (its bytes are not kept)."""
    while line := f.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := f.readline(limit + 1)) and not rest.endswith(b"\n"):
            pass
        yield None


def decode_line(line: bytes, first: str, encodings: tuple[str, ...]) -> tuple[str, str] | None:
    """One line's text and encoding: in the encoding its file is in, else in the first that fits."""
    for name in (first, *encodings):
        try:
            return line.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return None
