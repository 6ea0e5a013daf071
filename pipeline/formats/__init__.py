"""The raw formats besides .txt: which file names each reads, and its reader.

Every reader yields, record by record, a Document, a Rejected (the record goes to quarantine) or
a Skipped (a record that holds no document by design); a file that cannot be read at all gives
one Rejected whose record is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.config import FORMATS, IngestConfig
from pipeline.formats.base import Document, Item, Rejected, Skipped
from pipeline.formats.csvfile import read_csv
from pipeline.formats.jsonl import read_json, read_jsonl
from pipeline.formats.page import read_html
from pipeline.formats.warc import read_warc

Reader = Callable[[Path, str, IngestConfig], Iterator[Item]]

READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "html": read_html,
    "htm": read_html,
    "warc": read_warc,
    "warc.gz": read_warc,
}
# Longest ending first: x.warc.gz is a warc.gz, not a gz.
_ENDINGS = sorted(FORMATS, key=len, reverse=True)


def format_of(name: str) -> str | None:
    """The format a file name's ending names, or None."""
    for ending in _ENDINGS:
        if name.endswith(f".{ending}"):
            return ending
    return None


__all__ = ["READERS", "Document", "Item", "Rejected", "Skipped", "format_of"]
