"""*.html / *.htm: the article of a web page, found by trafilatura, with its title, date and site.

trafilatura gives the article as blocks (paragraphs, headings, list items, table rows) with line
breaks inside them; a block becomes a paragraph of the document (blank lines between them, as in
a .txt file) and a line break a new line, so a page and a .txt of the same article segment alike.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import IngestConfig
from pipeline.formats.base import Document, Item, Rejected, decode, read_whole
from pipeline.formats.records import Parts, build
from pipeline.text import collapse_ws

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Pages that say EUC-KR often hold the syllables only its superset CP949 has.
_SUPERSETS = {"euc_kr": "cp949", "ascii": "utf-8", "latin_1": "cp1252"}
# Blocks of trafilatura's output: each starts a line; a cell is a part of its row's line.
_BLOCKS = {"p", "head", "list", "item", "quote", "table", "row", "code", "div"}


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    date: str | None
    url: str | None
    site: str | None


def _codec(name: str) -> str | None:
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(found.replace("-", "_"), found)


def decode_html(
    data: bytes, declared: str | None, encodings: tuple[str, ...]
) -> tuple[str, str] | None:
    """A page's text and encoding: by its byte-order mark, its charset, or the first that fits."""
    said = [declared] if declared else []
    said += [m.decode("ascii") for m in _META_CHARSET.findall(data[:4096])[:1]]
    candidates = [c for c in (_codec(s) for s in said) if c] + list(encodings)
    return decode(data, tuple(dict.fromkeys(candidates)))


def _text(el: Any) -> str:
    """An element's text, a new line at each <lb/> and around each block inside it."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _BLOCKS:
            parts.append(f"\n{_text(child)}\n")
        elif child.tag == "cell":
            parts.append(f" {_text(child)} ")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def extract(html: str, url: str | None = None) -> Article | None:
    """The article of a page, or None when trafilatura finds none."""
    import trafilatura  # a second to import: only for runs that read pages
    from trafilatura.settings import set_date_params

    # trafilatura says at WARNING what is routine in a crawl (an empty page, a tree it discards).
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.ERROR)
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,  # a section front or a list of links is no article
        date_extraction_params=set_date_params(False),  # a date the page states, not a guess
    )
    if not isinstance(found, trafilatura.settings.Document) or found.body is None:
        return None
    title = found.title
    paragraphs: list[str] = []
    for block in found.body:
        lines = [" ".join(line.split()) for line in _text(block).split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if not paragraph:
            continue
        # The headline stands at the top of most articles: it is the title, not the text.
        if (
            not paragraphs
            and block.tag == "head"
            and title
            and collapse_ws(paragraph) == collapse_ws(title)
        ):
            continue
        paragraphs.append(paragraph)
    if not paragraphs:
        return None
    return Article("\n\n".join(paragraphs), title, found.date, found.url, found.sitename)


def page_document(
    html: str, encoding: str, source_path: str, record: int | None, max_bytes: int,
    url: str | None = None,
) -> Document | Rejected:  # fmt: skip
    """A page as a document; with `url` (where a crawler fetched it), that is its URL."""
    try:
        article = extract(html, url)
    except Exception as exc:  # one malformed page must not stop a run over thousands
        return Rejected(source_path, "bad_html", f"{type(exc).__name__}: {exc}"[:200], record)
    if article is None:
        return Rejected(source_path, "no_text", "no article in the page", record)
    parts = Parts(article.text, article.title, article.date, url or article.url, article.site)
    return build(parts, source_path, record, encoding, max_bytes)


def read_html(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
    """The article of an HTML file."""
    data = read_whole(path, source_path, cfg.max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    decoded = decode_html(data, None, cfg.encodings)
    if decoded is None:
        tried = ", ".join(cfg.encodings)
        yield Rejected(source_path, "undecodable", f"not valid in any of: {tried}")
        return
    yield page_document(decoded[0], decoded[1], source_path, None, cfg.max_bytes)
