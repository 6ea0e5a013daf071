"""How alike unrelated reports are to dedup: real news against the benchmark's generator.

    python benchmarks/candidates.py [--generated M] [--seed 0] [--gold ../shared/dedup]
                                    [--corpus ../shared/corpus]

Every document is cleaned by the pipeline's stages (pipeline.dedup.evaluate.clean_bodies), then
every pair of unrelated documents is scored as dedup's index would see it: whether it passes the
candidate filter (`min_hits` shared band keys and `min_share` of one side's chunks meeting the
other, or a single-chunk side; index.py) and the exact shingle containment of the shorter body
in the longer (verify.py). Unrelated: real pairs across the gold set's clusters (hard negatives
counted apart) and pairs of the development corpus; generated pairs among the first M documents
of generate.py (which has no copies among them). The candidates are what dedup verifies, so
their share of all pairs times N²/2 is the verification work of an N-document corpus.

Nothing of the real texts is written anywhere: only the figures are printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pipeline.dedup.index import Doc, band_keys, chunk_share
from pipeline.dedup.text import Shingled, shingle
from pipeline.dedup.verify import Params, overlap

try:
    from generate import GENERATOR_VERSION, Composer
except ImportError:  # imported as benchmarks.candidates
    from benchmarks.generate import GENERATOR_VERSION, Composer


def candidate_pairs(shingled: list[Shingled], params: Params) -> set[tuple[int, int]]:
    """The pairs (i < j) dedup's candidate filter lets through to verification."""
    count = np.array([len(s.chunks) for s in shingled], dtype=np.int64)
    keys = band_keys([c for s in shingled for c in s.chunks], params)
    rows = np.repeat(np.arange(len(shingled)), count)
    hits: dict[tuple[int, int], int] = {}
    for b in range(params.bands):
        by_key: dict[int, list[int]] = {}
        for key, row in zip(keys[:, b].tolist(), rows.tolist(), strict=True):
            by_key.setdefault(key, []).append(row)
        for found in by_key.values():
            for x, y in itertools.combinations(found, 2):
                if x != y:
                    pair = (min(x, y), max(x, y))
                    hits[pair] = hits.get(pair, 0) + 1
    pairs = np.array(
        [p for p, h in hits.items() if h >= params.min_hits or min(count[list(p)]) <= 1],
        dtype=np.int64,
    ).reshape(-1, 2)
    if not len(pairs):
        return set()
    share = chunk_share(pairs, 0, dict(enumerate(shingled)), params)
    single = count[pairs].min(axis=1) <= 1
    keep = (share >= params.min_share) | single
    return {(int(a), int(b)) for a, b in pairs[keep]}


def containment(a: Shingled, b: Shingled) -> float:
    short, long = (a, b) if len(a.grams) <= len(b.grams) else (b, a)
    return overlap(short.grams, long.grams) / len(short.grams) if len(short.grams) else 0.0


def profile(
    docs: list[Doc], related: set[frozenset[str]], params: Params
) -> dict[str, float | int]:
    """The figures over every pair of docs not in related."""
    docs = [d for d in docs if d.body.strip()]
    shingled = [shingle(d.body, params.ngram, params.min_chunk) for d in docs]
    passing = candidate_pairs(shingled, params)
    scores, passed = [], []
    for i, j in itertools.combinations(range(len(docs)), 2):
        if frozenset((docs[i].doc_id, docs[j].doc_id)) in related:
            continue
        score = containment(shingled[i], shingled[j])
        scores.append(score)
        if (i, j) in passing:
            passed.append(score)
    all_c, cand = np.array(scores), np.array(passed)
    return {
        "docs": len(docs),
        "pairs": len(all_c),
        "candidates": len(cand),
        "candidate_share": len(cand) / max(len(all_c), 1),
        "median_containment_candidates": float(np.median(cand)) if len(cand) else 0.0,
        "median_containment": float(np.median(all_c)) if len(all_c) else 0.0,
        "p99_containment": float(np.quantile(all_c, 0.99)) if len(all_c) else 0.0,
        "max_containment": float(all_c.max()) if len(all_c) else 0.0,
        "share_containment_ge_0.2": float((all_c >= 0.2).mean()) if len(all_c) else 0.0,
        "share_containment_ge_0.45": float((all_c >= params.containment).mean())
        if len(all_c)
        else 0.0,
    }


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _texts(folder: Path, prefix: str) -> dict[str, str]:
    return {f"{prefix}{p.stem}": p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}


def generated_texts(m: int, seed: int) -> dict[str, str]:
    """The first m documents of generate.py's corpus (the same texts, in memory)."""
    composer = Composer(random.Random(seed))
    return {f"g{i:06d}": composer.document()[1] for i in range(m)}


def _print(name: str, figures: dict[str, float | int]) -> None:
    print(
        f"{name:<26} {figures['docs']:>5} docs {figures['pairs']:>7} pairs  "
        f"candidates {figures['candidate_share']:7.2%} ({figures['candidates']})  "
        f"containment median {figures['median_containment']:.3f} "
        f"p99 {figures['p99_containment']:.3f} max {figures['max_containment']:.3f}  "
        f"among candidates median {figures['median_containment_candidates']:.3f}  "
        f"≥0.2 {figures['share_containment_ge_0.2']:.2%} "
        f"≥0.45 {figures['share_containment_ge_0.45']:.3%}"
    )


def main(argv: Iterable[str] | None = None) -> int:
    from pipeline.dedup.evaluate import clean_bodies

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=600, help="generated documents (600)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gold", type=Path, default=Path("../shared/dedup"))
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = parser.parse_args(list(argv) if argv is not None else None)
    params = Params()
    t0 = time.perf_counter()
    results: dict[str, dict[str, float | int]] = {}
    real: dict[str, str] = {}
    related: set[frozenset[str]] = set()
    hard: set[frozenset[str]] = set()
    if (args.gold / "docs").is_dir():
        real.update(_texts(args.gold / "docs", "gold:"))
        for c in _jsonl(args.gold / "clusters.jsonl"):
            ids = [f"gold:{d}" for d in c["docs"]]
            related.update(frozenset(p) for p in itertools.combinations(ids, 2))
        hard = {frozenset((f"gold:{h['a']}", f"gold:{h['b']}")) for h in
                _jsonl(args.gold / "hard_negatives.jsonl")}  # fmt: skip
    if args.corpus.is_dir():
        real.update(_texts(args.corpus, "corpus:"))
    if real:
        docs = clean_bodies(real)
        results["real"] = profile(docs, related, params)
        results["real, no hard negatives"] = profile(docs, related | hard, params)
    else:
        print("no real texts found (--gold, --corpus): generated only", file=sys.stderr)
    gen = clean_bodies(generated_texts(args.generated, args.seed))
    results[f"generated v{GENERATOR_VERSION}"] = profile(gen, set(), params)
    for name, figures in results.items():
        _print(name, figures)
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
