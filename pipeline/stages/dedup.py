"""dedup: the clean bodies of the whole corpus -> duplicates: copies of the same report, flagged.

A corpus stage (registry.py): once a run, after shingle, it brings its index (pipeline/dedup) up
to date with the live batches and writes each batch's rows of `duplicates`. What depends on a
document alone (its clean body folded, exact key, shingles and band keys) the shingle stage has
done in the workers; here the index reads it (`shingles`), looks up, verifies and clusters.
Only documents in a cluster of two or more get a row; export gives every article its
`cluster_id` (its own doc_id when it has no copy). Nothing is deleted: users choose what to keep.

Its folder, <out>/.state/dedup:

    index/          the DedupIndex (DedupIndex.save), built with this stage's fingerprint
    members.parquet every document the index has seen (doc_id): what to add and remove next time
    state.json      {"fingerprint": ..., "complete": true}; false while the two above are written

A run adds the documents of the live batches the index has not seen, removes those no live batch
holds any more, and rewrites a batch's part only where its rows changed (Corpus.write). With no
batch new or gone and every batch's rows there, it reads nothing at all. Another fingerprint (a
setting of [dedup] or of a stage before it changed), a write a crash cut short, or an index that
cannot be read: the index is built again from the corpus, with one line in the log.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.catalog import Corpus
from pipeline.context import Context
from pipeline.dedup import Assignment, DedupIndex, Params
from pipeline.dedup.prepared import Prepared, concat, from_table
from pipeline.errors import DedupIndexError
from pipeline.schemas import DUPLICATES

log = logging.getLogger(__name__)

INDEX = "index"
MEMBERS = "members.parquet"
ADD_AT_ONCE = 50_000  # documents per DedupIndex.add_prepared: each inserts into every band once
_MEMBERS = pa.schema([("doc_id", pa.string())])


def run(ctx: Context, corpus: Corpus) -> dict[str, int]:
    """Bring the index up to date with the live batches and write the rows that changed."""
    if not ctx.config.dedup.enabled:
        shutil.rmtree(corpus.index, ignore_errors=True)
        for position in range(len(corpus.batches)):
            corpus.write(position, {"duplicates": DUPLICATES.empty_table()})
        return {}
    if not corpus.force and all(corpus.done(p) for p in range(len(corpus.batches))):
        return {"new": 0, "removed": 0}
    params = ctx.config.dedup.params()
    index, seen = _load(corpus, params)
    live = {doc_id: b for b, batch in enumerate(corpus.batches) for doc_id, _, _ in batch.docs}
    new = [d for d in live if d not in seen]
    gone = seen.difference(live)
    index.remove(gone)
    added = 0
    for docs in _chunks(_prepared(corpus, {live[d] for d in new}, set(new), params), params):
        index.add_prepared(docs)
        added += len(docs)
    if new or gone:  # else only marks were missing (batches came and went, the documents not)
        _save(corpus, index, set(live))
    assignments = index.assignments()
    shared = {a.cluster_id for a in assignments.values() if not a.representative}
    copies = 0
    for position, batch in enumerate(corpus.batches):
        rows = [
            assignments[doc_id]
            for doc_id, _, _ in batch.docs
            if doc_id in assignments and assignments[doc_id].cluster_id in shared
        ]
        copies += sum(not a.representative for a in rows)
        corpus.write(position, {"duplicates": _table(rows)})
    return {
        "new": len(new),
        "removed": len(gone),
        "indexed": added,
        "copies": copies,
        "clusters": len(shared),
    }


def _table(rows: list[Assignment]) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "doc_id": [a.doc_id for a in rows],
            "cluster_id": [a.cluster_id for a in rows],
            "relation": [a.relation for a in rows],
            "similarity": [float(a.similarity) for a in rows],
            "representative": [a.representative for a in rows],
        },
        schema=DUPLICATES,
    )


def _prepared(
    corpus: Corpus, positions: set[int], wanted: set[str], params: Params
) -> Iterator[Prepared]:
    """The wanted documents of the batches at these positions, as the shingle stage prepared
    them (a document whose clean body is blank has no row there: it stays alone)."""
    batches = [b for p, b in enumerate(corpus.batches) if p in positions]
    for _, table in corpus.read("shingles", None, batches):
        prepared = from_table(table, params)
        keep = np.array([d in wanted for d in prepared.doc_ids], dtype=bool)
        yield prepared if keep.all() else prepared.take(keep)


def _chunks(parts: Iterator[Prepared], params: Params) -> Iterator[Prepared]:
    """The parts joined into runs of about ADD_AT_ONCE documents."""
    run: list[Prepared] = []
    size = 0
    for part in parts:
        run.append(part)
        size += len(part)
        if size >= ADD_AT_ONCE:
            yield concat(run, params)
            run, size = [], 0
    if run:
        yield concat(run, params)


def _load(corpus: Corpus, params: Params) -> tuple[DedupIndex, set[str]]:
    """The index and the documents it has seen, or an empty index where they cannot serve."""
    folder = corpus.index
    why = corpus.unusable_index()
    if why == "":
        return DedupIndex(params), set()
    if why is None:
        try:
            index = DedupIndex.load(folder / INDEX, params)
            seen = pq.read_table(folder / MEMBERS, schema=_MEMBERS)["doc_id"].to_pylist()
            return index, set(seen)
        except (DedupIndexError, OSError, ValueError, KeyError, pa.ArrowException) as exc:
            why = f"it cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    log.warning("dedup: rebuilding the index in %s: %s", folder, why)
    return DedupIndex(params), set()


def _save(corpus: Corpus, index: DedupIndex, seen: set[str]) -> None:
    """Write the index and its members; state.json says complete only once both are there."""
    t0 = time.perf_counter()
    with corpus.writing_index() as folder:
        index.save(folder / INDEX)
        members = pa.table({"doc_id": sorted(seen)}, schema=_MEMBERS)
        tmp = folder / f".{MEMBERS}.tmp"
        pq.write_table(members, tmp)
        tmp.replace(folder / MEMBERS)
    log.debug("dedup: index saved in %.2f s", time.perf_counter() - t0)
