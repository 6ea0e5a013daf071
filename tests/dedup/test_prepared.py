"""Documents prepared elsewhere and carried as Arrow index as the documents themselves do."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.dedup_corpus import stories
from pipeline.dedup.index import DedupIndex, Doc
from pipeline.dedup.prepared import Prepared, _narrated, concat, from_table, prepare, to_table
from pipeline.dedup.text import shingle
from pipeline.dedup.verify import Params
from pipeline.schemas import SHINGLES

CORPUS = stories(300, seed=5)
PARAMS = Params()


def _prepared(docs: list[Doc]) -> Prepared:
    return prepare(
        [d.doc_id for d in docs],
        [d.body for d in docs],
        [d.published_date for d in docs],
        [None] * len(docs),
        PARAMS,
    )


def _through_arrow(docs: list[Doc]) -> Prepared:
    table = to_table(_prepared(docs), SHINGLES)
    assert table.schema == SHINGLES
    return from_table(table, PARAMS)


def test_arrow_keeps_every_figure() -> None:
    docs = [Doc(g.doc_id, g.body, g.published_date) for g in CORPUS[:40]]
    direct, carried = _prepared(docs), _through_arrow(docs)
    assert carried.doc_ids == direct.doc_ids and carried.dates == direct.dates
    assert carried.bodies == direct.bodies
    assert np.array_equal(carried.exact, direct.exact)
    assert np.array_equal(carried.chunks, direct.chunks)
    assert np.array_equal(carried.keys, direct.keys)
    for a, b in zip(carried.shingled, direct.shingled, strict=True):
        assert np.array_equal(a.grams, b.grams) and np.array_equal(a.narration, b.narration)


def test_the_same_pairs_and_clusters_in_one_go_or_in_parts() -> None:
    docs = [Doc(g.doc_id, g.body, g.published_date) for g in CORPUS]
    at_once = DedupIndex(PARAMS)
    at_once.add(docs)
    parts = DedupIndex(PARAMS)
    half = len(docs) // 2
    parts.add_prepared(concat([_through_arrow(docs[:50]), _through_arrow(docs[50:half])], PARAMS))
    parts.add_prepared(_through_arrow(docs[half:]))
    assert parts.edges == at_once.edges
    assert parts.assignments() == at_once.assignments()
    assert any(not a.representative for a in at_once.assignments().values())


def test_take_and_empty() -> None:
    docs = [Doc(g.doc_id, g.body, g.published_date) for g in CORPUS[:10]]
    prepared = _through_arrow(docs)
    keep = np.arange(10) % 3 == 0
    taken = prepared.take(keep)
    assert taken.doc_ids == [d.doc_id for d, k in zip(docs, keep, strict=True) if k]
    assert len(taken.keys) == taken.chunks.sum()
    empty = from_table(SHINGLES.empty_table(), PARAMS)
    assert len(empty) == 0 and DedupIndex(PARAMS).add_prepared(empty) == 0


@given(st.text(alphabet=st.sampled_from('가나다라마 "“”.\n1ab'), max_size=300))
def test_the_narration_mask_is_what_isin_gives(text: str) -> None:
    s = shingle(text)
    assert _narrated(s).tolist() == np.isin(s.grams, s.narration, assume_unique=True).tolist()
