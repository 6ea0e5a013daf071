"""strip: documents + segments + tokens -> removed, every span of promotion with the rule that found it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from pipeline.context import Context
from pipeline.rules import RuleSet, Span, find_promotions, token_items
from pipeline.schemas import REMOVED


def _group(table: pa.Table, columns: list[str]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in table.select(columns).to_pylist():
        groups[row["doc_id"]].append(row)
    return groups


def strip_document(
    text: str, header_end: int, segments: list[dict[str, Any]], tokens: list[dict[str, Any]], rules: RuleSet
) -> list[Span]:
    """The promotion spans of one document: its text rules plus what the token rules find."""
    by_seg: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for tok in tokens:
        by_seg[tok["seg_id"]].append(tok)
    extra = []
    token_rules = rules.token_rules
    for seg in segments:
        toks = by_seg.get(seg["seg_id"])
        if seg["part"] != "body" or not toks or not token_rules:
            continue
        extra += token_items(
            seg["text"], seg["start"],
            [t["form"] for t in toks], [t["tag"] for t in toks],
            [t["start"] for t in toks], [t["end"] for t in toks],
            token_rules,
        )
    return find_promotions(text, rules, body_start=header_end, extra=extra)


def removed_rows(doc_id: str, text: str, spans: list[Span], segments: list[dict[str, Any]]) -> list[dict]:
    """One audit row per span and segment it touches, clipped to the segment."""
    rows = []
    for span in spans:
        for seg in segments:
            start, end = max(span.start, seg["start"]), min(span.end, seg["end"])
            if start >= end or not text[start:end].strip():
                continue
            rows.append({"doc_id": doc_id, "seg_id": seg["seg_id"], "start": start, "end": end,
                         "text": text[start:end], "rule_id": span.rule.id, "kind": span.rule.kind})
    return rows


def strip_batch(documents: pa.Table, segments: pa.Table, tokens: pa.Table, rules: RuleSet) -> pa.Table:
    segs = _group(segments, ["doc_id", "seg_id", "start", "end", "text", "part"])
    toks = _group(tokens, ["doc_id", "seg_id", "form", "tag", "start", "end"])
    rows: list[dict] = []
    for doc_id, text, header_end in zip(
        documents["doc_id"].to_pylist(), documents["text"].to_pylist(),
        documents["header_end"].to_pylist(), strict=True,
    ):
        doc_segs = segs.get(doc_id, [])
        spans = strip_document(text, header_end, doc_segs, toks.get(doc_id, []), rules)
        rows += removed_rows(doc_id, text, spans, doc_segs)
    return pa.Table.from_pylist(rows, schema=REMOVED)


def run(ctx: Context) -> dict[str, int]:
    store, rules = ctx.store, ctx.rules
    groups = zip(
        store.iter_groups("documents", ["doc_id", "text", "header_end"]),
        store.iter_groups("segments"),
        store.iter_groups("tokens", ["doc_id", "seg_id", "form", "tag", "start", "end"]),
        strict=True,
    )
    with store.writer("removed") as out:
        for documents, segments, tokens in groups:
            out.write(strip_batch(documents, segments, tokens, rules))
    return {"removed": out.rows}
