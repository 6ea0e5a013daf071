"""A record's parts (text, title, date, URL, outlet) as one document, checked like a .txt file."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.config import PARTS, Fields
from pipeline.formats.base import Document, Rejected, content_id
from pipeline.text import normalise

# A date as scrapers write it, read as written (no time-zone conversion): 2026-03-20,
# 2026-03-20T09:30:00+09:00, 2026.03.20, 2026. 3. 20., 2026/03/20, 2026년 3월 20일, 20260320.
_DATE = re.compile(
    r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)"
    r"|(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"
    r"|(\d{4})(\d{2})(\d{2})(?:\d{4}|\d{6})?$"
)
_NO_DATE = {"", "none", "null", "nan", "nat"}  # what serialisers write for a missing date


@dataclass(frozen=True)
class Parts:
    """The parts of one record as found, before they are checked."""

    text: str | None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None


def parse_date(value: str | None) -> dt.date | None:
    """The date a value names; None when it names none; ValueError when it is not a date."""
    if value is None or value.strip().lower() in _NO_DATE:
        return None
    value = value.strip()
    m = _DATE.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        return dt.date(y, mo, d)  # ValueError for 2026-02-30
    try:  # RSS: Fri, 20 Mar 2026 09:30:00 +0900
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(value) from None


def as_text(value: Any) -> str | None:
    """A field's value as text: a string, paragraphs from a list of strings, None when empty."""
    if isinstance(value, list):
        value = "\n\n".join(str(v) for v in value if v is not None and not isinstance(v, dict))
    elif isinstance(value, dict) or value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def pick(values: Mapping[str, Any], names: tuple[str | int, ...]) -> str | None:
    """The first named field with a value."""
    for name in names:
        if isinstance(name, str):
            text = as_text(values.get(name))
            if text is not None:
                return text
    return None


def from_mapping(record: Mapping[str, Any], fields: Fields) -> Parts:
    """A record's parts, each from the first of its field names that the record fills."""
    text, title, date, url, outlet = (pick(record, getattr(fields, p)) for p in PARTS)
    return Parts(text, title, date, url, outlet)


def _one_line(text: str | None) -> str | None:
    if text is None:
        return None
    line = " ".join(normalise(text).split())
    return line or None


def build(
    parts: Parts,
    source_path: str,
    record: int | None,
    encoding: str,
    max_bytes: int,
    missing: str = "no text field",
) -> Document | Rejected:
    """The document of a record's parts, or why the record is rejected (no text, a bad date…)."""
    if parts.text is None:
        return Rejected(source_path, "no_text", missing, record)
    size = len(parts.text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        why = f"a text of {size} bytes, more than max_bytes {max_bytes}"
        return Rejected(source_path, "too_large", why, record)
    text = normalise(parts.text)
    if not text.strip():
        return Rejected(source_path, "no_text", "only whitespace or invisible characters", record)
    try:
        date = parse_date(parts.date)
    except ValueError:
        return Rejected(source_path, "bad_date", f"{_one_line(parts.date)!r} is not a date", record)
    return Document(
        content_id(text), source_path, text, encoding, date, _one_line(parts.title), 0,
        record, _one_line(parts.url), _one_line(parts.outlet),
    )  # fmt: skip
