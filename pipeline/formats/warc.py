"""*.warc / *.warc.gz: the HTML pages a crawler fetched, each read as an .html file is (warcio).

A record's number is its position among all the file's WARC records (warcinfo and requests
count), as warcio's tools list them. Responses that are not HTML or not 200 are skipped and
counted; other record types (warcinfo, request, metadata, revisit) hold no page and are passed
over; a record cut short by the end of the file is rejected as `truncated`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.config import IngestConfig
from pipeline.formats.base import Item, Rejected, Skipped, unreadable
from pipeline.formats.page import decode_html, page_document

_HTML = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _content_type(rec: Any) -> str | None:
    headers = rec.http_headers if rec.http_headers is not None else rec.rec_headers
    value = headers.get_header("Content-Type")
    return str(value) if value else None


def _page(rec: Any, n: int, source_path: str, cfg: IngestConfig) -> Item | None:
    """A response record as a document, rejection or skip; None for records that hold no page."""
    if rec.rec_type not in ("response", "resource"):
        return None
    if rec.http_headers is not None and rec.http_headers.get_statuscode() != "200":
        return Skipped("status")
    ctype = _content_type(rec)
    if ctype is not None and not ctype.split(";")[0].strip().lower().startswith(_HTML):
        return Skipped("not_html")
    if rec.length is not None and rec.length > cfg.max_bytes:
        why = f"a record of {rec.length} bytes, more than max_bytes {cfg.max_bytes}"
        return Rejected(source_path, "too_large", why, n)
    try:
        data = rec.content_stream().read()
    except Exception as exc:  # a payload whose chunking or compression is broken
        return Rejected(source_path, "bad_warc", f"{type(exc).__name__}: {exc}"[:200], n)
    if rec.raw_stream.limit > 0:
        why = f"the file ends {rec.raw_stream.limit} bytes before the record does"
        return Rejected(source_path, "truncated", why, n)
    if ctype is None and data.lstrip()[:1] != b"<":
        return Skipped("not_html")
    declared = _CHARSET.search(ctype or "")
    decoded = decode_html(data, declared[1] if declared else None, cfg.encodings)
    if decoded is None:
        tried = ", ".join(cfg.encodings)
        return Rejected(source_path, "undecodable", f"not valid in any of: {tried}", n)
    url = rec.rec_headers.get_header("WARC-Target-URI")
    return page_document(decoded[0], decoded[1], source_path, n, cfg.max_bytes, url)


def read_warc(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """The pages of a WARC file, one document each."""
    from warcio.archiveiterator import ArchiveIterator  # only for runs that read WARC files

    n = 0
    try:
        with open(path, "rb") as f:
            records = iter(ArchiveIterator(f))
            while True:
                try:
                    rec = next(records, None)
                    if rec is not None and not rec.format.startswith("warc"):
                        raise ValueError(f"an {rec.format.upper()} record, not WARC")
                    item = None if rec is None else _page(rec, n, source_path, cfg)
                except OSError:
                    raise
                except Exception as exc:  # warcio's errors on a damaged file are of many kinds
                    why = f"{type(exc).__name__}: {exc}"[:200]
                    if n == 0:
                        yield Rejected(source_path, "bad_warc", f"not a WARC file: {why}")
                    else:
                        yield Rejected(source_path, "bad_warc", f"unreadable from here: {why}", n)
                    return
                if rec is None:
                    return
                if item is not None:
                    yield item
                if isinstance(item, Rejected) and item.reason == "truncated":
                    return
                n += 1
    except OSError as exc:
        yield unreadable(source_path, exc, n if n else None)
