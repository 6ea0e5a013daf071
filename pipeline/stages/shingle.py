"""shingle: documents, segments and removed -> shingles: each clean body's part of dedup's work.

Folding a body, its exact key, its shingles and its chunks' LSH band keys depend on the
document alone, so they are done here, batch by batch in the workers, rather than by the dedup
stage in the runner's process, which then only looks up, verifies and clusters
(pipeline/dedup/prepared.py). With dedup off, its parts are empty.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.context import Context
from pipeline.dedup.prepared import prepare, to_table
from pipeline.schemas import SHINGLES
from pipeline.stages.export import clean_bodies


def shingle_batch(
    documents: pa.Table, segments: pa.Table, removed: pa.Table, ctx: Context
) -> pa.Table:
    """The shingles rows of a batch: a row per document whose clean body is not blank."""
    if not ctx.config.dedup.enabled:
        return SHINGLES.empty_table()
    bodies = clean_bodies(documents, segments, removed)
    keep = [i for i, body in enumerate(bodies) if body.strip()]
    doc_ids = documents["doc_id"].to_pylist()
    dates = documents["published_date"].to_pylist()
    prepared = prepare(
        [doc_ids[i] for i in keep],
        [bodies[i] for i in keep],
        [dates[i] for i in keep],
        [None] * len(keep),
        ctx.config.dedup.params(),
    )
    return to_table(prepared, SHINGLES)


def batch(ctx: Context, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {
        "shingles": shingle_batch(tables["documents"], tables["segments"], tables["removed"], ctx)
    }
