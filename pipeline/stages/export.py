"""export: build articles and the final segments, and publish every user-facing dataset."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from pipeline.config import DetectConfig
from pipeline.context import Context
from pipeline.rules import RuleSet
from pipeline.rules.broadcaster import infer_broadcaster
from pipeline.schemas import ARTICLES, SEGMENTS
from pipeline.stages.detect import body_lang
from pipeline.stages.strip import build_body


def export_batch(
    documents: pa.Table,
    segments: pa.Table,
    removed: pa.Table,
    tokens: pa.Table,
    rules: RuleSet,
    cfg: DetectConfig,
) -> tuple[pa.Table, pa.Table]:
    """(articles, segments with strip's verdict) for a batch of documents."""
    segs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in segments.to_pylist():
        segs[row["doc_id"]].append(row)
    rem: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in removed.to_pylist():
        rem[row["doc_id"]].append(row)
    body_tokens: dict[str, int] = defaultdict(int)
    promo_segs = {
        (r["doc_id"], r["seg_id"]) for r in removed.select(["doc_id", "seg_id"]).to_pylist()
    }
    for doc_id, seg_id, part in zip(
        tokens["doc_id"].to_pylist(),
        tokens["seg_id"].to_pylist(),
        tokens["part"].to_pylist(),
        strict=True,
    ):
        if part == "body" and (doc_id, seg_id) not in promo_segs:
            body_tokens[doc_id] += 1

    articles: list[dict[str, Any]] = []
    final_segments: list[dict[str, Any]] = []
    for doc in documents.select(
        ["doc_id", "source_path", "text", "published_date", "title", "header_end"]
    ).to_pylist():
        doc_id = doc["doc_id"]
        doc_segs, doc_removed = segs.get(doc_id, []), rem.get(doc_id, [])
        rule_of = {r["seg_id"]: r["rule_id"] for r in reversed(doc_removed)}
        for seg in doc_segs:
            seg = dict(seg, promo=seg["seg_id"] in rule_of)
            seg["rule_id"] = seg["rule_id"] or rule_of.get(seg["seg_id"])
            final_segments.append(seg)
        body, kept = build_body(doc_segs, doc_removed)
        title = doc["title"]
        if title and any(
            s["part"] == "artefact" and s["start"] < doc["header_end"] for s in doc_segs
        ):
            title = None  # the "title" was the YouTube interface string the scraper took for one
        articles.append(
            {
                "doc_id": doc_id,
                "source_path": doc["source_path"],
                "broadcaster": infer_broadcaster(
                    doc["text"], doc["source_path"], (r["rule_id"] for r in doc_removed), rules
                ),
                "published_date": doc["published_date"],
                "title": title,
                "lang": body_lang(kept, cfg),
                "body": body,
                "n_chars": len(body),
                "n_lines": sum(1 for line in body.split("\n") if line.strip()),
                "n_tokens": body_tokens.get(doc_id, 0),
                "n_removed": len(doc_removed),
            }
        )
    return (
        pa.Table.from_pylist(articles, schema=ARTICLES),
        pa.Table.from_pylist(final_segments, schema=SEGMENTS),
    )


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    articles, final = export_batch(
        tables["documents"],
        tables["segments"],
        tables["removed"],
        tables["tokens"],
        ctx.rules,
        ctx.config.detect,
    )
    return {"articles": articles, "final_segments": final}
