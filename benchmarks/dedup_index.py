"""Time the dedup index: build it for N generated bodies, then place 1,000 new ones into it.

    python benchmarks/dedup_index.py [N ...] [--big M] [--repeat R]

For each N (default 20,000): the seconds to index N bodies of benchmarks/dedup_corpus.py in one
go, to place 1,000 more (a third of them copies of indexed documents) and cluster, and to save
and load the index. With --big M, an index of M documents is made of the N real ones plus
generated band keys for the rest (random keys, the chunk count of the real documents): the time
to place 1,000 new bodies into it measures the LSH lookup and insertion at that size and the
verification of the candidates the real documents give, not the shingling of M bodies.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from dedup_corpus import Generated, stories

from pipeline.dedup import DedupIndex, Doc
from pipeline.dedup.index import band_keys
from pipeline.dedup.text import shingle

NEW = 1_000


def docs(items: list[Generated]) -> list[Doc]:
    return [Doc(g.doc_id, g.body, g.published_date, g.lang) for g in items]


def new_documents(base: list[Generated], seed: int) -> list[Doc]:
    """1,000 documents to add: fresh stories and, for a third, copies of indexed ones."""
    fresh = stories(NEW, seed=seed + 1)
    rng = np.random.default_rng(seed)
    out = docs(fresh[: NEW - NEW // 3])
    for k, i in enumerate(rng.choice(len(base), NEW // 3, replace=False)):
        g = base[int(i)]
        out.append(Doc(f"copy-{k:05d}", g.body[: int(len(g.body) * 0.7)], g.published_date, g.lang))
    return out


def pad(index: DedupIndex, total: int, chunks_per_doc: float, seed: int) -> None:
    """Grow the index to `total` documents with generated band keys (no bodies behind them)."""
    extra = total - len(index)
    rng = np.random.default_rng(seed)
    ids = [f"pad-{i:08d}" for i in range(extra)]
    first = len(index._ids)
    index._ids += ids
    index._row.update((d, first + i) for i, d in enumerate(ids))
    index._alive += [True] * extra
    index._dates += [None] * extra
    index._langs += [None] * extra
    index._exact += [b"\0" * 16] * extra
    index._texts += [""] * extra
    per_doc = rng.poisson(chunks_per_doc, extra).clip(1)
    index._chunks += per_doc.tolist()
    rows = np.repeat(np.arange(first, first + extra, dtype=np.int64), per_doc)
    for band in index._bands:
        keys = rng.integers(0, 2**64, len(rows), dtype=np.uint64)
        keys = np.concatenate([band.keys, keys])
        all_rows = np.concatenate([band.rows, rows])
        order = np.argsort(keys, kind="stable")
        band.keys, band.rows = keys[order], all_rows[order]


def bench(n: int, big: int | None, seed: int) -> dict[str, float]:
    base = stories(n, seed=seed)
    extra = new_documents(base, seed)
    figures: dict[str, float] = {}
    index = DedupIndex()
    start = time.perf_counter()
    index.add(docs(base))
    index.assignments()
    figures["build"] = time.perf_counter() - start
    chunks = sum(len(b.keys) for b in index._bands[:1]) / n
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        index.save(Path(tmp) / "dedup")
        figures["save"] = time.perf_counter() - start
        start = time.perf_counter()
        index = DedupIndex.load(Path(tmp) / "dedup")
        figures["load"] = time.perf_counter() - start
    start = time.perf_counter()
    index.add(extra)
    index.assignments()
    figures["add_1k"] = time.perf_counter() - start
    if big:
        index.remove(d.doc_id for d in extra)
        pad(index, big, chunks, seed)
        # the LSH part alone: look up and insert the new documents' keys in every band
        keys = np.concatenate([band_keys(shingle(d.body).chunks, index.params) for d in extra])
        rows = np.arange(len(keys), dtype=np.int64) + len(index._ids)
        saved = [(b.keys, b.rows) for b in index._bands]
        start = time.perf_counter()
        for b, band in enumerate(index._bands):
            band.add(keys[:, b], rows)
        figures["big_lsh_only"] = time.perf_counter() - start
        for band, (k, r) in zip(index._bands, saved, strict=True):
            band.keys, band.rows = k, r
        start = time.perf_counter()
        index.add(extra)
        figures["big_add_1k"] = time.perf_counter() - start
        start = time.perf_counter()
        index.assignments()
        figures["big_cluster"] = time.perf_counter() - start
    figures["chunks_per_doc"] = chunks
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000])
    parser.add_argument("--big", type=int, help="also place 1,000 into an index of this many")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for n in args.sizes:
        runs = [bench(n, args.big, seed) for seed in range(args.repeat)]
        line = ", ".join(
            f"{k} {statistics.median(r[k] for r in runs):.2f}"
            for k in runs[0]
            if k != "chunks_per_doc"
        )
        print(f"N={n:,}: {line} s; chunks per document {runs[0]['chunks_per_doc']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
