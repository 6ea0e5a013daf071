"""*.csv: one record a row, its parts from named or numbered columns (`ingest.csv_columns`).

KoreaNewsCrawler writes rows without a header (date, category, outlet, title, text, url), in
UTF-8, or in EUC-KR on Windows; Excel adds a byte-order mark or saves in CP949. The encoding is
found from the file's start, and a row that does not decode in it is decoded on its own.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from pipeline.config import PARTS, Fields, IngestConfig
from pipeline.formats.base import BOMS, Item, Rejected, looks_binary, unreadable
from pipeline.formats.records import Parts, build

_SNIFF = 1 << 16  # bytes read to choose the file's encoding


def _encoding(head: bytes, encodings: tuple[str, ...]) -> str:
    """The encoding a file's first bytes are in: its byte-order mark, else the first that fits."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    for name in encodings:
        try:
            codecs.getincrementaldecoder(name)().decode(head, final=False)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    return encodings[0] if encodings else "utf-8"


def _redecode(row: list[str], encoding: str, encodings: tuple[str, ...]) -> tuple[list[str], str]:
    """A row with bytes its file's encoding could not read, in the first encoding that reads it."""
    raw = [cell.encode(encoding, "surrogateescape") for cell in row]
    for name in encodings:
        try:
            return [cell.decode(name) for cell in raw], name
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnicodeDecodeError(encoding, b"", 0, 1, "no encoding reads the row")


def _positions(names: tuple[str | int, ...], header: dict[str, int] | None) -> list[int]:
    """The columns a part may be in: by name where the file has a header, else by position."""
    positions = [n for n in names if isinstance(n, int)]
    if header is None:
        return positions
    named = [
        header[n.strip().lower()]
        for n in names
        if isinstance(n, str) and n.strip().lower() in header
    ]
    return named or positions


def _cell(row: list[str], positions: list[int]) -> str | None:
    """The first of a part's columns that the row fills."""
    for i in positions:
        if i < len(row) and row[i].strip():
            return row[i]
    return None


def _is_header(row: list[str], columns: Fields, setting: bool | None) -> bool:
    if setting is not None:
        return setting
    known = {
        str(n).strip().lower()
        for fields in (columns, Fields())
        for p in PARTS
        for n in getattr(fields, p)
        if isinstance(n, str)
    }
    return any(cell.strip().lower() in known for cell in row)


def read_csv(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """The records of a CSV file, one a row after the header (when there is one)."""
    # The csv module refuses fields past 128 KiB unless told; an article may be longer.
    csv.field_size_limit(max(csv.field_size_limit(), cfg.max_bytes))
    n = 0
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF)
            if not head.strip():
                yield Rejected(source_path, "empty", f"{len(head)} bytes, no text")
                return
            if looks_binary(head):
                yield Rejected(source_path, "binary", "bytes that are not text")
                return
            f.seek(0)
            encoding = _encoding(head, cfg.encodings)
            stream = io.TextIOWrapper(f, encoding, errors="surrogateescape", newline="")
            rows = csv.reader(stream)
            for item in _records(rows, source_path, encoding, cfg):
                n += 1
                yield item
    except OSError as exc:
        yield unreadable(source_path, exc, n if n else None)


def _records(
    rows: Iterator[list[str]], source_path: str, encoding: str, cfg: IngestConfig
) -> Iterator[Item]:
    columns = cfg.csv_columns
    first = next(rows, None)
    if first is None:
        return
    header: dict[str, int] | None = None
    pending: list[list[str]] = []
    if _is_header(first, columns, cfg.csv_header):
        cells = [c.strip().lower().lstrip("\ufeff") for c in first]
        header = {c: i for i, c in reversed(list(enumerate(cells)))}
    else:
        pending.append(first)
    where = {p: _positions(getattr(columns, p), header) for p in PARTS}
    if not where["text"]:
        names = ", ".join(str(n) for n in columns.text)
        why = (
            f"the header names no text column ({names})"
            if header is not None
            else "no header row, and no position for the text (ingest.csv_columns, csv_preset)"
        )
        yield Rejected(source_path, "bad_csv", why)
        return
    named = header is not None
    text_at = ", ".join(
        first[i].strip() if named and i < len(first) else str(i) for i in where["text"]
    )
    missing = f"no text in column {text_at}"
    n = 0
    while True:
        try:
            row = pending.pop() if pending else next(rows, None)
        except csv.Error as exc:
            # The csv module's one way to say a field is past its limit, max_bytes.
            reason = "too_large" if "field larger than field limit" in str(exc) else "bad_csv"
            yield Rejected(source_path, reason, str(exc), n)
            n += 1
            continue
        if row is None:
            return
        if not any(cell.strip() for cell in row):
            continue
        row_encoding = encoding
        if any("\udc80" <= ch <= "\udcff" for cell in row for ch in cell):
            try:
                row, row_encoding = _redecode(row, encoding, cfg.encodings)
            except UnicodeDecodeError:
                tried = ", ".join(cfg.encodings)
                yield Rejected(source_path, "undecodable", f"not valid in any of: {tried}", n)
                n += 1
                continue
        parts = Parts(*(_cell(row, where[p]) for p in PARTS))
        yield build(parts, source_path, n, row_encoding, cfg.max_bytes, missing)
        n += 1
