"""What a stage's part for a batch is named by: its fingerprint, and a corpus stage's mark.

A stage's *fingerprint* is a hash of what its output depends on (its settings, the rule packs,
library versions, the schemas) chained with the fingerprint of the stage before it. A corpus
stage's rows for a batch depend on the whole corpus too, so from a corpus stage on a part is
named by the stage's fingerprint chained with the corpus stage's *mark* for the batch, a digest
of those rows (catalog.py's docstring). `of` is the one function that says which.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import pyarrow as pa

from pipeline import __version__, registry
from pipeline.catalog import Batch
from pipeline.context import Context
from pipeline.schemas import SCHEMA_DIGEST


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def fingerprints(ctx: Context) -> dict[str, str]:
    """Each stage's fingerprint, chained: a change reruns a stage and every stage after it."""
    chain = _digest(__version__, SCHEMA_DIGEST)
    result = {}
    for stage in registry.STAGES:
        chain = _digest(chain, stage.name, stage.depends(ctx))
        result[stage.name] = chain
    return result


def chain(fingerprint: str, mark: str | None) -> str:
    """A fingerprint chained with a corpus stage's mark."""
    return _digest(fingerprint, mark)


def mark(tables: Mapping[str, pa.Table]) -> str:
    """A digest of a corpus stage's rows for one batch (its tables, by dataset name)."""
    return _digest({name: table.to_pylist() for name, table in sorted(tables.items())})


def of(fps: Mapping[str, str], stage: str, batch: Batch) -> str | None:
    """The fingerprint the stage's part for the batch is named by; None where a corpus stage at
    or before it has not marked the batch (the batch is then not done for the stage). A corpus
    stage that writes nothing per batch marks nothing."""
    fingerprint = fps[stage]
    for s in registry.STAGES:
        if s.kind == "corpus" and s.writes:
            m = batch.mark(s.name)
            if m is None:
                return None
            fingerprint = chain(fingerprint, m)
        if s.name == stage:
            return fingerprint
    return fingerprint
