"""detect: documents -> segments (lines, cut where a footer runs in), part and language."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence

import pyarrow as pa
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from pipeline.config import DetectConfig
from pipeline.context import Context
from pipeline.rules import RuleSet, Span, find_promotions
from pipeline.schemas import SEGMENTS
from pipeline.text import script_counts


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


def _by_langdetect(text: str, cfg: DetectConfig) -> str:
    """ko or en when langdetect, seeded and allowed only those two, is sure; else mixed."""
    detector = _factory().create()
    detector.set_prior_map({"ko": 0.5, "en": 0.5})
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "mixed"
    return (
        best.lang
        if best.lang in ("ko", "en") and best.prob >= cfg.langdetect_confidence
        else "mixed"
    )


def _shares(hangul: float, latin: float, other: float, cfg: DetectConfig) -> tuple[float, float]:
    weighted = hangul * cfg.hangul_weight
    total = weighted + latin + other
    return weighted / total, latin / total


def segment_lang(text: str, cfg: DetectConfig) -> str:
    """ko, en, mixed or und for one segment: script evidence first, langdetect for the unclear."""
    hangul, latin, other = script_counts(text)
    if hangul + latin + other == 0:
        return "und"
    ko, en = _shares(hangul, latin, other, cfg)
    if ko >= cfg.clear_share:
        return "ko"
    if en >= cfg.clear_share:
        return "en"
    return _by_langdetect(text, cfg)


def body_lang(texts: Iterable[str], cfg: DetectConfig) -> str:
    """The language of a body from its segments' letters together."""
    hangul, latin, other = script_counts("\n".join(texts))  # counts add up: one pass
    if hangul + latin + other == 0:
        return "und"
    ko, en = _shares(hangul, latin, other, cfg)
    if ko >= cfg.doc_share:
        return "ko"
    if en >= cfg.doc_share:
        return "en"
    return "mixed"


def segment(text: str, header_end: int, spans: Sequence[Span]) -> list[dict]:
    """Cut a document into segments: non-blank lines, split at the edges of promotion spans."""
    rows: list[dict] = []
    para = 0
    pos = 0
    blank_run = False
    for line_no, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            blank_run = True
            continue
        if blank_run and rows:
            para += 1
        blank_run = False
        cuts = sorted(
            {start, end} | {p for s in spans for p in (s.start, s.end) if start < p < end}
        )
        for a, b in itertools.pairwise(cuts):
            piece = text[a:b]
            if not piece.strip():
                continue
            # Trim the piece to its text, so offsets point at what it says.
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            span = next((s for s in spans if s.start <= a and b <= s.end), None)
            if span is not None:
                part, rule_id = span.part, span.rule.id
            elif a < header_end:
                part, rule_id = "header", None
            else:
                part, rule_id = "body", None
            rows.append(
                {
                    "start": a,
                    "end": b,
                    "line": line_no,
                    "para": para,
                    "text": text[a:b],
                    "part": part,
                    "rule_id": rule_id,
                }
            )
    return rows


def detect_batch(documents: pa.Table, rules: RuleSet, cfg: DetectConfig) -> pa.Table:
    """Segments of a batch of documents, in document order, with part and language."""
    columns: dict[str, list] = {name: [] for name in SEGMENTS.names}
    for doc_id, text, header_end in zip(
        documents["doc_id"].to_pylist(),
        documents["text"].to_pylist(),
        documents["header_end"].to_pylist(),
        strict=True,
    ):
        spans = find_promotions(text, rules, body_start=header_end)
        for seg_id, row in enumerate(segment(text, header_end, spans)):
            row.update(
                doc_id=doc_id,
                seg_id=seg_id,
                lang=segment_lang(row["text"], cfg),
                promo=row["rule_id"] is not None,
            )
            for name in SEGMENTS.names:
                columns[name].append(row[name])
    return pa.Table.from_pydict(columns, schema=SEGMENTS)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {"segments": detect_batch(tables["documents"], ctx.rules, ctx.config.detect)}
