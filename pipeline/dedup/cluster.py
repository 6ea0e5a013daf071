"""Clusters of copies from verified pairs, the same whatever order the documents came in.

Plain union-find chains: a wire copy A, an outlet's version B that adds a quote, and another
outlet's report C sharing that quote end in one cluster though A and C are not copies. Here the
documents of each connected group are taken in the representative order (earliest published
date, then smallest doc_id; undated last), and a document joins the cluster whose representative
it copies, or whose members it mostly copies (more than half of them); otherwise it starts a
cluster of its own. The result depends only on the documents and their verified pairs, never on
arrival order, so one run and ten incremental runs give the same clusters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import repeat
from typing import NamedTuple

from pipeline.collector import paused_gc
from pipeline.dedup.verify import Verdict

_LAST = dt.date.max


class Assignment(NamedTuple):
    """A document's place: its cluster, its relation to the representative and how alike."""

    doc_id: str
    cluster_id: str  # the representative's doc_id
    relation: str | None  # exact, near, contained; None for the representative itself
    similarity: float  # 1.0 for the representative
    representative: bool


def order_key(doc_id: str, date: dt.date | None) -> tuple[dt.date, str]:
    return (date or _LAST, doc_id)


def _components(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    parent = {d: d for d in ids}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in parent:
        groups[root(d)].append(d)
    return list(groups.values())


def alone(ids: Iterable[str]) -> dict[str, Assignment]:
    """Documents without a verified pair: each its own cluster and representative."""
    ids = list(ids)
    rows = zip(ids, ids, repeat(None), repeat(1.0), repeat(True))
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a third of the time
    return dict(zip(ids, map(tuple.__new__, repeat(Assignment), rows), strict=True))


def cluster(
    dates: Mapping[str, dt.date | None], edges: Mapping[tuple[str, str], Verdict]
) -> dict[str, Assignment]:
    """Every document's assignment; edges are keyed (smaller doc_id, larger doc_id)."""
    with paused_gc():
        linked = _links(edges)
        out = alone(d for d in dates if d not in linked)
        out.update(_grouped(dates, linked, edges))
    return out


def grouped(
    dates: Mapping[str, dt.date | None], edges: Mapping[tuple[str, str], Verdict]
) -> dict[str, Assignment]:
    """The assignments of the documents in edges only (dates: theirs, at least)."""
    return _grouped(dates, _links(edges), edges)


def _links(edges: Mapping[tuple[str, str], Verdict]) -> dict[str, dict[str, Verdict]]:
    linked: dict[str, dict[str, Verdict]] = defaultdict(dict)
    for (a, b), verdict in edges.items():
        linked[a][b] = verdict
        linked[b][a] = verdict
    return linked


def _grouped(
    dates: Mapping[str, dt.date | None],
    linked: dict[str, dict[str, Verdict]],
    edges: Mapping[tuple[str, str], Verdict],
) -> dict[str, Assignment]:
    out: dict[str, Assignment] = {}
    for group in _components(linked, edges):
        group.sort(key=lambda d: order_key(d, dates[d]))
        clusters: list[list[str]] = []
        for doc in group:
            links = linked.get(doc, {})
            best: tuple[float, float, int] | None = None  # (share linked, similarity, -index)
            for index, members in enumerate(clusters):
                hits = [links[m] for m in members if m in links]
                to_rep = members[0] in links
                if not (to_rep or 2 * len(hits) > len(members)):
                    continue
                score = (len(hits) / len(members), max(v.similarity for v in hits), -index)
                if best is None or score > best:
                    best = score
            if best is None:
                clusters.append([doc])
                out[doc] = Assignment(doc, doc, None, 1.0, True)
                continue
            members = clusters[-best[2]]
            members.append(doc)
            rep = members[0]
            verdict = links.get(rep) or max(
                (links[m] for m in members if m in links), key=lambda v: v.similarity
            )
            out[doc] = Assignment(doc, rep, verdict.relation, round(verdict.similarity, 4), False)
    return out
