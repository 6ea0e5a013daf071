"""export: build articles and the final segments, and publish every user-facing dataset."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import DetectConfig
from pipeline.context import Context
from pipeline.rules import RuleSet
from pipeline.rules.broadcaster import infer_broadcaster
from pipeline.schemas import ARTICLES
from pipeline.stages.detect import body_langs
from pipeline.stages.strip import build_body


def _keys(table: pa.Table, doc_ids: pa.Array) -> np.ndarray:
    """A segment's key for each row, as one integer: its document's position, then seg_id."""
    position = pc.index_in(table["doc_id"], value_set=doc_ids).to_numpy(zero_copy_only=False)
    seg = table["seg_id"].to_numpy().astype(np.int64)
    return (position.astype(np.int64) << 32) | seg


def final_segments(
    segments: pa.Table, removed: pa.Table, doc_ids: pa.Array, removed_keys: pa.Array
) -> pa.Table:
    """detect's segments with strip's verdict: promo where a span was removed, and its rule."""
    where = pc.index_in(pa.array(_keys(segments, doc_ids)), value_set=removed_keys)
    promo = pc.is_valid(where)
    rule_id = pc.coalesce(segments["rule_id"], removed["rule_id"].take(where))
    table = segments.set_column(segments.schema.get_field_index("promo"), "promo", promo)
    return table.set_column(table.schema.get_field_index("rule_id"), "rule_id", rule_id)


def _body_tokens(tokens: pa.Table, doc_ids: pa.Array, removed_keys: pa.Array) -> list[int]:
    """Per document, its tokens in body segments that strip did not touch."""
    keys = _keys(tokens, doc_ids)
    kept = pc.and_(
        pc.equal(tokens["part"], "body"),
        pc.invert(pc.is_in(pa.array(keys), value_set=removed_keys)),
    )
    counted = keys[kept.to_numpy(zero_copy_only=False)] >> 32
    return np.bincount(counted, minlength=len(doc_ids)).tolist()


def _columns(table: pa.Table, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by doc_id, as small dicts of the named columns only."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    values = [table[name].to_pylist() for name in names]
    for doc_id, *row in zip(table["doc_id"].to_pylist(), *values, strict=True):
        groups[doc_id].append(dict(zip(names, row, strict=True)))
    return groups


def export_batch(
    documents: pa.Table,
    segments: pa.Table,
    removed: pa.Table,
    tokens: pa.Table,
    rules: RuleSet,
    cfg: DetectConfig,
) -> tuple[pa.Table, pa.Table]:
    """(articles, segments with strip's verdict) for a batch of documents."""
    segs = _columns(segments, ["seg_id", "start", "line", "para", "text", "part"])
    rem = _columns(removed, ["seg_id", "start", "end", "rule_id"])
    doc_ids = documents["doc_id"].combine_chunks()
    removed_keys = pa.array(_keys(removed, doc_ids))  # the segments strip took from
    body_tokens = _body_tokens(tokens, doc_ids, removed_keys)

    articles: list[dict[str, Any]] = []
    bodies: list[list[str]] = []
    for n, doc in enumerate(
        documents.select(
            ["doc_id", "source_path", "text", "published_date", "title", "header_end"]
        ).to_pylist()
    ):
        doc_id = doc["doc_id"]
        doc_segs, doc_removed = segs.get(doc_id, []), rem.get(doc_id, [])
        text, kept = build_body(doc_segs, doc_removed)
        bodies.append(kept)
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
                "body": text,
                "n_chars": len(text),
                "n_lines": sum(1 for line in text.split("\n") if line.strip()),
                "n_tokens": body_tokens[n],
                "n_removed": len(doc_removed),
            }
        )
    for article, lang in zip(articles, body_langs(bodies, cfg), strict=True):
        article["lang"] = lang
    final = final_segments(segments, removed, doc_ids, removed_keys)
    return pa.Table.from_pylist(articles, schema=ARTICLES), final


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
