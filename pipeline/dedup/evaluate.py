"""Score dedup against a labelled folder: docs/<id>.txt, clusters.jsonl, hard_negatives.jsonl.

Each document goes through the cleaning stages first (as `newspipe run` would: headers, tip-line
footers and portal UI text are not what makes two reports copies), then its body into a
DedupIndex. Pairs are counted over documents: a gold pair is two documents of one labelled
cluster; a predicted pair, two of one predicted cluster.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.dedup.index import DedupIndex, Doc
from pipeline.dedup.text import shingle
from pipeline.dedup.verify import Params, verify
from pipeline.errors import UsageError


@dataclass
class DedupScores:
    docs: int
    gold_pairs: int
    predicted_pairs: int
    true_pairs: int
    hard_negatives: int
    hard_negatives_merged: int
    ari: float
    per_relation: dict[str, tuple[int, int]]  # gold cluster relation -> (pairs found, pairs)
    empty_bodies: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_pairs / self.gold_pairs if self.gold_pairs else 1.0


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise UsageError(f"{path} not found: a dedup gold folder has docs/, clusters.jsonl "
                         "and hard_negatives.jsonl")  # fmt: skip
    try:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON lines ({exc})") from None


def load_gold(folder: Path) -> tuple[dict[str, str], list[dict[str, Any]], list[dict[str, Any]]]:
    """The texts by id, the clusters and the hard-negative pairs of a gold folder."""
    if not folder.is_dir():
        raise UsageError(f"gold folder {folder} not found")
    docs_dir = folder / "docs"
    texts = {p.stem: p.read_text("utf-8") for p in sorted(docs_dir.glob("*.txt"))}
    if not texts:
        raise UsageError(f"{docs_dir}: no <id>.txt documents")
    clusters = _jsonl(folder / "clusters.jsonl")
    negatives = _jsonl(folder / "hard_negatives.jsonl")
    unknown = sorted({d for c in clusters for d in c["docs"]} - set(texts))
    if unknown:
        raise UsageError(f"{folder}/clusters.jsonl names documents not in docs/: {unknown[0]}")
    return texts, clusters, negatives


def clean_bodies(texts: dict[str, str], config: Config | None = None) -> list[Doc]:
    """Each text cleaned by the pipeline's stages in one batch: its body, date and language."""
    from pipeline.api import process, settings
    from pipeline.context import Context
    from pipeline.stages.ingest import document_table, make_document

    ctx = Context(raw=Path("."), out=Path("."), config=config or settings())
    # identical texts get one content id: the file name keeps them apart
    documents = [make_document(text, f"{name}.txt", "utf-8") for name, text in texts.items()]
    articles = process(document_table(documents), ctx)["articles"].to_pylist()
    return [
        Doc(a["source_path"].removesuffix(".txt"), a["body"], a["published_date"], a["lang"])
        for a in articles
    ]


def _pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for doc, label in labels.items():
        groups.setdefault(label, []).append(doc)
    return {
        (a, b) for members in groups.values() for a, b in itertools.combinations(sorted(members), 2)
    }


def _choose2(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand(truth: dict[str, str], found: dict[str, str]) -> float:
    """The adjusted Rand index of two labelings of the same documents (Hubert and Arabie)."""
    docs = sorted(truth)
    table = Counter((truth[d], found[d]) for d in docs)
    index = sum(_choose2(n) for n in table.values())
    rows = sum(_choose2(n) for n in Counter(truth[d] for d in docs).values())
    cols = sum(_choose2(n) for n in Counter(found[d] for d in docs).values())
    expected = rows * cols / _choose2(len(docs)) if len(docs) > 1 else 0.0
    best = (rows + cols) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


def evaluate(
    folder: Path, config: Config | None = None, params: Params | None = None
) -> DedupScores:
    """Clean, index and cluster the gold folder's documents; score the clusters."""
    texts, clusters, negatives = load_gold(Path(folder))
    docs = clean_bodies(texts, config)
    index = DedupIndex(params)
    index.add(docs)
    found = {d: a.cluster_id for d, a in index.assignments().items()}
    truth = {d: c["cluster"] for c in clusters for d in c["docs"]}
    truth.update({d: f"unlabelled:{d}" for d in texts if d not in truth})
    relation = {c["cluster"]: c["relation"] for c in clusters}
    gold, predicted = _pairs(truth), _pairs(found)
    per_relation: dict[str, tuple[int, int]] = {}
    for a, b in gold:
        hit, total = per_relation.get(relation[truth[a]], (0, 0))
        per_relation[relation[truth[a]]] = (hit + ((a, b) in predicted), total + 1)
    merged = [n for n in negatives if found[n["a"]] == found[n["b"]]]
    bodies = {d.doc_id: d.body for d in docs}
    params = index.params

    def why(a: str, b: str) -> str:
        v = verify(shingle(bodies[a], params.ngram), shingle(bodies[b], params.ngram), params)
        return (
            f"jaccard {v.jaccard:.2f}, containment {v.containment:.2f}, narration {v.narration:.2f}"
        )

    misses = [
        f"missed  {a} ~ {b} ({relation[truth[a]]}; {why(a, b)})"
        for a, b in sorted(gold - predicted)
    ]
    misses += [
        f"merged  {a} ~ {b} (not a labelled pair; {why(a, b)})" for a, b in sorted(predicted - gold)
    ]
    misses += [f"hard negative merged  {n['a']} ~ {n['b']} ({why(n['a'], n['b'])})" for n in merged]
    return DedupScores(
        docs=len(texts),
        gold_pairs=len(gold),
        predicted_pairs=len(predicted),
        true_pairs=len(gold & predicted),
        hard_negatives=len(negatives),
        hard_negatives_merged=len(merged),
        ari=adjusted_rand(truth, found),
        per_relation=dict(sorted(per_relation.items())),
        empty_bodies=sorted(d for d, body in bodies.items() if not body.strip()),
        misses=misses,
    )


def format_scores(scores: DedupScores) -> str:
    """The scores as a short table."""
    lines = [
        f"documents              {scores.docs}",
        f"pair precision         {scores.precision:.3f}  "
        f"({scores.true_pairs} of {scores.predicted_pairs} predicted pairs)",
        f"pair recall            {scores.recall:.3f}  "
        f"({scores.true_pairs} of {scores.gold_pairs} gold pairs)",
        f"hard negatives merged  {scores.hard_negatives_merged} of {scores.hard_negatives}",
        f"adjusted Rand index    {scores.ari:.3f}",
    ]
    for rel, (hit, total) in scores.per_relation.items():
        lines.append(f"recall, {rel:<14} {hit / total:.3f}  ({hit} of {total} pairs)")
    if scores.empty_bodies:
        lines.append(
            f"empty after cleaning   {len(scores.empty_bodies)}: {', '.join(scores.empty_bodies)}"
        )
    return "\n".join(lines)
