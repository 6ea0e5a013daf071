"""detect: documents -> segments (lines, cut where a footer runs in), part and language."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pyarrow as pa
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from pipeline.config import DetectConfig
from pipeline.context import Context
from pipeline.rules import RuleSet, Span, find_promotions
from pipeline.rules.broadcaster import infer_broadcaster, name_outlet
from pipeline.schemas import SEGMENTS
from pipeline.script import roles
from pipeline.text import letter_counts_many, script_counts_many, scripts


@functools.cache
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(_profiles())
    factory.set_seed(0)
    return factory


def _profiles() -> str:
    from langdetect import detector_factory

    return str(detector_factory.PROFILES_DIRECTORY)


def warm() -> None:
    """Load langdetect's language profiles now (they take a third of a second)."""
    _factory()


@functools.lru_cache(maxsize=8192)  # footer lines recur verbatim across a broadcaster's items
def _by_langdetect(text: str, confidence: float) -> str:
    """ko or en when langdetect, seeded and allowed only those two, is sure; else mixed."""
    detector = _factory().create()
    detector.set_prior_map({"ko": 0.5, "en": 0.5})
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "mixed"
    return best.lang if best.lang in ("ko", "en") and best.prob >= confidence else "mixed"


def _by_script(counts: np.ndarray, share: float, cfg: DetectConfig) -> list[str | None]:
    """ko, en or und for each row of (Hangul, Latin, other) counts; None where it is unclear."""
    weighted = counts[:, 0] * cfg.hangul_weight
    total = weighted + counts[:, 1] + counts[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        ko, en = weighted / total, counts[:, 1] / total
    return [
        "und" if t == 0 else "ko" if k >= share else "en" if e >= share else None
        for t, k, e in zip(total.tolist(), ko.tolist(), en.tolist(), strict=True)
    ]


def segment_langs(texts: Sequence[str], cfg: DetectConfig) -> list[str]:
    """ko, en, mixed or und for each segment: script evidence first, langdetect for the unclear."""
    langs = _by_script(script_counts_many(texts), cfg.clear_share, cfg)
    return [
        lang or _by_langdetect(text, cfg.langdetect_confidence)
        for text, lang in zip(texts, langs, strict=True)
    ]


def segment_lang(text: str, cfg: DetectConfig) -> str:
    """The language of one segment (see segment_langs)."""
    return segment_langs([text], cfg)[0]


def body_langs(bodies: Sequence[Iterable[str]], cfg: DetectConfig) -> list[str]:
    """The language of each body from its segments' letters together: ko, en, mixed or und."""
    return langs_of_letters(letter_counts_many(["\n".join(texts) for texts in bodies]), cfg)


def langs_of_letters(letters: np.ndarray, cfg: DetectConfig) -> list[str]:
    """body_langs from each body's (Hangul, Latin, all letters) counts (letter_counts_many of
    its text, or the sum of its lines' rows)."""
    return [lang or "mixed" for lang in _by_script(scripts(letters), cfg.doc_share, cfg)]


def body_lang(texts: Iterable[str], cfg: DetectConfig) -> str:
    """The language of one body (see body_langs)."""
    return body_langs([texts], cfg)[0]


# The columns segment() fills; detect_batch adds doc_id, seg_id, lang and promo.
_SEGMENT_FIELDS = ("start", "end", "line", "para", "text", "part", "rule_id", "score")


def segment(text: str, header_end: int, spans: Sequence[Span]) -> list[dict]:
    """Cut a document into segments: non-blank lines, split at the edges of promotion spans."""
    columns: dict[str, list] = {name: [] for name in _SEGMENT_FIELDS}
    _segment_into(columns, text, header_end, spans)
    rows = zip(*columns.values(), strict=True)
    return [dict(zip(_SEGMENT_FIELDS, row, strict=True)) for row in rows]


def _segment_into(
    columns: dict[str, list], text: str, header_end: int, spans: Sequence[Span]
) -> int:
    """segment(), appended to column lists (one per _SEGMENT_FIELDS); returns how many."""
    starts, ends, lines, paras = columns["start"], columns["end"], columns["line"], columns["para"]
    texts, parts, rule_ids = columns["text"], columns["part"], columns["rule_id"]
    scores = columns["score"]
    before = len(starts)
    para = 0
    pos = 0
    blank_run = False
    for line_no, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line or line.isspace():
            blank_run = True
            continue
        if blank_run and len(starts) > before:
            para += 1
        blank_run = False
        touching = [s for s in spans if s.start < end and start < s.end]
        header_inside = start < header_end < end  # a one-line document: `date …` then its text
        if not touching and not header_inside:  # most lines: the whole line, trimmed
            a, b = start + len(line) - len(line.lstrip()), end - len(line) + len(line.rstrip())
            starts.append(a)
            ends.append(b)
            lines.append(line_no)
            paras.append(para)
            texts.append(text[a:b])
            parts.append("header" if a < header_end else "body")
            rule_ids.append(None)
            scores.append(None)
            continue
        cuts = sorted(
            {start, end}
            | {p for s in touching for p in (s.start, s.end) if start < p < end}
            | ({header_end} if header_inside else set())
        )
        for a, b in itertools.pairwise(cuts):
            piece = text[a:b]
            if not piece.strip():
                continue
            # Trim the piece to its text, so offsets point at what it says.
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            span = next((s for s in touching if s.start <= a and b <= s.end), None)
            if span is not None:
                part, rule_id, score = span.part, span.rule.id, span.score
            elif a < header_end:
                part, rule_id, score = "header", None, None
            else:
                part, rule_id, score = "body", None, None
            starts.append(a)
            ends.append(b)
            lines.append(line_no)
            paras.append(para)
            texts.append(text[a:b])
            parts.append(part)
            rule_ids.append(rule_id)
            scores.append(score)
    return len(starts) - before


def detect_batch(documents: pa.Table, rules: RuleSet, cfg: DetectConfig) -> pa.Table:
    """Segments of a batch of documents, in document order, with part, language and role."""
    columns: dict[str, list] = {name: [] for name in SEGMENTS.names}
    docs: list[tuple[int, int, Callable[[], str | None]]] = []  # first row, rows, its outlet
    for doc_id, text, header_end, source_path, outlet in zip(
        documents["doc_id"].to_pylist(),
        documents["text"].to_pylist(),
        documents["header_end"].to_pylist(),
        documents["source_path"].to_pylist(),
        documents["outlet"].to_pylist(),
        strict=True,
    ):
        spans = find_promotions(text, rules, body_start=header_end)
        first = len(columns["start"])
        n = _segment_into(columns, text, header_end, spans)
        columns["doc_id"] += [doc_id] * n
        columns["seg_id"] += range(n)
        docs.append((first, n, functools.partial(_outlet, outlet, text, source_path, spans, rules)))
    columns["lang"] = segment_langs(columns["text"], cfg)
    columns["promo"] = [rule_id is not None for rule_id in columns["rule_id"]]
    columns["role"] = body_roles(columns, docs, rules)
    return pa.Table.from_pydict(columns, schema=SEGMENTS)


def _outlet(
    outlet: str | None, text: str, source_path: str, spans: Sequence[Span], rules: RuleSet
) -> str | None:
    """The broadcaster of a document, as the articles' column will name it."""
    if outlet:
        return name_outlet(outlet, rules)
    return infer_broadcaster(text, source_path, [s.rule.id for s in spans], rules)


def body_roles(
    columns: dict[str, list],
    docs: Sequence[tuple[int, int, Callable[[], str | None]]],
    rules: RuleSet,
) -> list[str | None]:
    """The role of every body segment (pipeline.script.roles over each document's body lines in
    order); null for the segments outside the body.

    A document's outlet is found (`docs`' callable) only where one of its lines may start with
    an outlet's own rule: elsewhere every rule that matches applies to all outlets alike."""
    found: list[str | None] = [None] * len(columns["part"])
    parts, texts, langs = columns["part"], columns["text"], columns["lang"]
    own = rules.book.outlets_own
    for first, n, outlet_of in docs:
        body = [i for i in range(first, first + n) if parts[i] == "body"]
        if not body:
            continue
        lines = [texts[i] for i in body]
        outlet = outlet_of() if any(own.match(line) for line in lines) else None
        got = roles(lines, [langs[i] for i in body], rules.book, outlet)
        for i, role in zip(body, got, strict=True):
            found[i] = role
    return found


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {"segments": detect_batch(tables["documents"], ctx.rules, ctx.config.detect)}
