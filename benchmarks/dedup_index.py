"""Time the dedup index: build it for N generated bodies, then place 1,000 new ones into it.

    python benchmarks/dedup_index.py [N ...] [--big M] [--repeat R]

For each N (default 20,000): the seconds to index N bodies of benchmarks/dedup_corpus.py in one
go and cluster them, to save and load that index, and to place 1,000 more (a third of them
copies of indexed documents) and cluster.

With --big M, the index is grown to M documents: the N real ones plus generated rows for the
rest (random band and exact keys, the chunk count of the real documents, real bodies, so that
the files are their real size), and saved. Then R runs (default 3), each in a fresh process as a
scheduled run would be, place 1,000 new documents into the saved index: open it, add them
(shingle, band keys, look up, verify the candidates, insert), cluster every document
(`assignments()`), and save it back. Each run adds its own 1,000, so the index grows by 1,000 a
run. Printed: the median of each part and of the total, the range of the totals, the size of
the index on disk, the peak RSS of a run (from /proc; it counts the pages of the memory-mapped
index the run touched, which are the kernel's page cache, shared and reclaimable, so they are
also shown apart from the process's own memory), and the seconds of the setup's full write (what
a save elsewhere or a compaction costs at that size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas  # noqa: F401  (a newspipe run has it imported: pipeline.cli does; pyarrow uses it)
from dedup_corpus import Generated, stories

from pipeline.dedup import DedupIndex, Doc
from pipeline.dedup.index import _days, id_hashes

NEW = 1_000
PARTS = ("open", "add", "assignments", "save", "total")


def docs(items: list[Generated]) -> list[Doc]:
    return [Doc(g.doc_id, g.body, g.published_date, g.lang) for g in items]


def new_documents(base: list[Generated], seed: int) -> list[Doc]:
    """1,000 documents to add: fresh stories and, for a third, copies of indexed ones."""
    fresh = stories(NEW, seed=seed + 1)
    rng = np.random.default_rng(seed)
    out = [
        Doc(f"r{seed}-{g.doc_id}", g.body, g.published_date, g.lang)
        for g in fresh[: NEW - NEW // 3]
    ]
    for k, i in enumerate(rng.choice(len(base), NEW // 3, replace=False)):
        g = base[int(i)]
        body = g.body[: int(len(g.body) * 0.7)]
        out.append(Doc(f"r{seed}-copy-{k:05d}", body, g.published_date, g.lang))
    return out


def pad(index: DedupIndex, total: int, bodies: list[str], seed: int) -> None:
    """Grow the index to `total` documents with generated keys (bodies cycled from `bodies`)."""
    first = len(index._alive)
    extra = total - len(index)
    rng = np.random.default_rng(seed)
    chunks_per_doc = float(index._chunks.take(np.arange(first)).mean())
    ids = [f"pad-{i:08d}" for i in range(extra)]
    rows = np.arange(first, first + extra, dtype=np.int64)
    per_doc = rng.poisson(chunks_per_doc, extra).clip(1).astype(np.int32)
    index._strings["ids"].extend(ids)
    index._strings["langs"].extend(["ko"] * extra)
    index._strings["bodies"].extend([bodies[i % len(bodies)] for i in range(extra)])
    start = dt.date(2024, 1, 1)
    index._dates.extend(_days(start + dt.timedelta(int(d)) for d in rng.integers(0, 600, extra)))
    index._chunks.extend(per_doc)
    exact = rng.integers(0, 2**64, (extra, 2), dtype=np.uint64)
    index._exact.extend(exact)
    index._alive = np.concatenate([index._alive, np.ones(extra, dtype=bool)])
    index._id_runs.insert(id_hashes(ids), rows, index._alive)
    index._exact_runs.insert(exact[:, 0], rows, index._alive)
    key_rows = np.repeat(rows, per_doc)
    for band in index._bands:
        band.insert(rng.integers(0, 2**64, len(key_rows), dtype=np.uint64), key_rows, index._alive)


def place(root: Path, new: Path) -> dict[str, float]:
    """One scheduled run: open the saved index, add the documents, cluster, save it back."""
    items = [json.loads(line) for line in new.read_text().splitlines()]
    batch = [
        Doc(d["doc_id"], d["body"], dt.date.fromisoformat(d["date"]), d["lang"]) for d in items
    ]
    figures: dict[str, float] = {}
    begin = start = time.perf_counter()
    index = DedupIndex.load(root)
    figures["open"] = time.perf_counter() - start
    start = time.perf_counter()
    figures["pairs"] = index.add(batch)
    figures["add"] = time.perf_counter() - start
    start = time.perf_counter()
    figures["documents"] = len(index.assignments())
    figures["assignments"] = time.perf_counter() - start
    start = time.perf_counter()
    index.save(root)
    figures["save"] = time.perf_counter() - start
    figures["total"] = time.perf_counter() - begin
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    for name, key in (("peak_rss_mb", "VmHWM"), ("file_mb", "RssFile"), ("anon_mb", "RssAnon")):
        figures[name] = int(status[key].split()[0]) / 1024
    return figures


def size_on_disk(root: Path) -> int:
    return sum(p.stat().st_blocks * 512 for p in root.rglob("*") if p.is_file())


def bench(n: int, tmp: Path, seed: int) -> tuple[DedupIndex, list[Generated], dict[str, float]]:
    base = stories(n, seed=seed)
    figures: dict[str, float] = {}
    index = DedupIndex()
    start = time.perf_counter()
    index.add(docs(base))
    index.assignments()
    figures["build"] = time.perf_counter() - start
    start = time.perf_counter()
    index.save(tmp / f"dedup-{n}")
    figures["save"] = time.perf_counter() - start
    start = time.perf_counter()
    index = DedupIndex.load(tmp / f"dedup-{n}")
    figures["load"] = time.perf_counter() - start
    start = time.perf_counter()
    index.add(new_documents(base, seed))
    index.assignments()
    figures["add_1k"] = time.perf_counter() - start
    index.remove(d.doc_id for d in new_documents(base, seed))
    figures["chunks_per_doc"] = float(index._chunks.take(np.arange(len(index._alive))).mean())
    return index, base, figures


def big(index: DedupIndex, base: list[Generated], total: int, repeat: int, tmp: Path) -> None:
    root = tmp / f"dedup-big-{total}"
    start = time.perf_counter()
    pad(index, total, index._strings["bodies"].all(index._alive), seed=1)
    made = time.perf_counter() - start
    start = time.perf_counter()
    index.save(root)
    written = time.perf_counter() - start
    del index
    runs = []
    for r in range(repeat):
        new = tmp / f"new-{r}.jsonl"
        lines = [
            json.dumps(
                {
                    "doc_id": d.doc_id,
                    "body": d.body,
                    "date": str(d.published_date),
                    "lang": d.lang,
                }
            )
            for d in new_documents(base, seed=100 + r)
        ]
        new.write_text("\n".join(lines) + "\n")
        out = subprocess.run(
            [sys.executable, __file__, "--place", str(root), str(new)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out))
    parts = ", ".join(f"{k} {statistics.median(r[k] for r in runs):.2f}" for k in PARTS)
    totals = sorted(r["total"] for r in runs)
    print(
        f"M={total:,}: placing {NEW:,} (median of {repeat} runs): {parts} s "
        f"(totals {totals[0]:.2f}-{totals[-1]:.2f}); pairs verified "
        f"{statistics.median(r['pairs'] for r in runs):.0f}; "
        f"peak RSS {max(r['peak_rss_mb'] for r in runs):,.0f} MB (at the end "
        f"{max(r['file_mb'] for r in runs):,.0f} MB of it mapped index pages, "
        f"{max(r['anon_mb'] for r in runs):,.0f} MB the process's own); on disk "
        f"{size_on_disk(root) / 2**30:.2f} GiB; setup: padding {made:.1f} s, "
        f"the full write {written:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20_000])
    parser.add_argument("--big", type=int, help="then place 1,000 into an index of this many")
    parser.add_argument("--repeat", type=int, default=3, help="placement runs (with --big)")
    parser.add_argument("--place", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.place:
        print(json.dumps(place(*args.place)))
        return 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            index, base, figures = bench(n, Path(tmp), seed=0)
            line = ", ".join(f"{k} {v:.2f}" for k, v in figures.items() if k != "chunks_per_doc")
            print(f"N={n:,}: {line} s; chunks per document {figures['chunks_per_doc']:.1f}")
            if args.big:
                big(index, base, args.big, args.repeat, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
