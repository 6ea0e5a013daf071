"""*.jsonl (one record a line) and *.json (an array of records, or one record): news-please, Scrapy.

A record's parts come from the field names of `ingest.json_fields`. A line that is not a JSON
object is rejected with its number and the rest of the file goes on.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.config import IngestConfig
from pipeline.formats.base import (
    Item,
    Rejected,
    decode,
    decode_line,
    read_lines,
    read_whole,
    unreadable,
)
from pipeline.formats.records import build, from_mapping


def _missing(cfg: IngestConfig) -> str:
    return "no text in " + ", ".join(str(n) for n in cfg.json_fields.text)


def _record(value: Any, source_path: str, n: int | None, encoding: str, cfg: IngestConfig) -> Item:
    if not isinstance(value, dict):
        what = "an array" if isinstance(value, list) else f"a {type(value).__name__}"
        return Rejected(source_path, "bad_json", f"{what}, not an object", n)
    parts = from_mapping(value, cfg.json_fields)
    return build(parts, source_path, n, encoding, cfg.max_bytes, _missing(cfg))


def _bad(exc: json.JSONDecodeError, line: bool = True) -> str:
    where = f"column {exc.colno}" if line else f"line {exc.lineno}, column {exc.colno}"
    return f"not JSON: {exc.msg} ({where})"


def _lines(
    lines: Iterable[bytes | None],
    source_path: str,
    cfg: IngestConfig,
    array: bool = False,
    encoding: str | None = None,
) -> Iterator[Item]:
    """One record a line; blank lines are no records. In an array, [ ] and commas between items.

    Each line is decoded on its own (UTF-8 first), unless the file's `encoding` read them already.
    """
    n = 0
    for line in lines:
        if line is None:
            yield Rejected(
                source_path, "too_large", f"a line of more than {cfg.max_bytes} bytes", n
            )
            n += 1
            continue
        line = line.strip()
        if n == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :].strip()
        if array:
            line = line.removeprefix(b"[").removesuffix(b",").removesuffix(b"]").strip()
        if not line:
            continue
        if encoding is not None:
            decoded: tuple[str, str] | None = (line.decode("utf-8"), encoding)
        else:
            decoded = decode_line(line, "utf-8", cfg.encodings)
        if decoded is None:
            yield Rejected(source_path, "undecodable", "a line in none of the encodings", n)
        else:
            try:
                value = json.loads(decoded[0])
            except json.JSONDecodeError as exc:
                yield Rejected(source_path, "bad_json", _bad(exc), n)
            else:
                yield _record(value, source_path, n, decoded[1], cfg)
        n += 1


def read_jsonl(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """The records of a JSON-lines file, one a line."""
    n = 0
    try:
        with open(path, "rb") as f:
            for item in _lines(read_lines(f, cfg.max_bytes), source_path, cfg):
                n += 1
                yield item
    except OSError as exc:
        yield unreadable(source_path, exc, n if n else None)


def _one_a_line(items: Iterator[Item], whole: Rejected) -> Iterator[Item]:
    """Records read a line at a time; if the first line is no JSON object, the file is `whole`."""
    first = next(items, None)
    if first is None or (isinstance(first, Rejected) and first.reason == "bad_json"):
        yield whole
        return
    yield first
    yield from items


def read_json(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """The records of a .json file: an array of objects, or one object (news-please's files).

    A file that does not parse whole, or is larger than max_bytes, is read a line at a time as
    Scrapy writes arrays (one item a line), so a crawl cut short still gives its records.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield unreadable(source_path, exc)
        return
    if size > cfg.max_bytes:
        whole = Rejected(
            source_path, "too_large", f"{size} bytes, more than max_bytes {cfg.max_bytes}, "
            "and not one record a line",
        )  # fmt: skip
        n = 0
        try:
            with open(path, "rb") as f:
                lines = read_lines(f, cfg.max_bytes)
                for item in _one_a_line(_lines(lines, source_path, cfg, array=True), whole):
                    n += 1
                    yield item
        except OSError as exc:
            yield unreadable(source_path, exc, n if n else None)
        return
    data = read_whole(path, source_path, cfg.max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    decoded = decode(data, cfg.encodings)
    if decoded is None:
        tried = ", ".join(cfg.encodings)
        yield Rejected(source_path, "undecodable", f"not valid in any of: {tried}")
        return
    text, encoding = decoded
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        whole = Rejected(source_path, "bad_json", _bad(exc, line=False))
        lines = (line.encode("utf-8") for line in text.split("\n"))
        yield from _one_a_line(_lines(lines, source_path, cfg, True, encoding), whole)
        return
    if isinstance(value, list):
        for n, item in enumerate(value):
            yield _record(item, source_path, n, encoding, cfg)
    else:
        yield _record(value, source_path, None, encoding, cfg)
