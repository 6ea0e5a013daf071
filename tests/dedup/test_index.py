"""The index gives the same clusters however the corpus arrives, and survives a save and load."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.dedup_corpus import Generated, stories
from pipeline.dedup import DedupIndex, Doc, Params
from pipeline.errors import DedupIndexError

CORPUS = stories(600, seed=7)
COPIES = {"wrapper", "preview", "edit", "exact"}


def docs(items: list[Generated]) -> list[Doc]:
    return [Doc(g.doc_id, g.body, g.published_date, g.lang) for g in items]


@pytest.fixture(scope="module")
def at_once() -> dict:
    index = DedupIndex()
    index.add(docs(CORPUS))
    return index.assignments()


def test_the_generated_corpus_clusters_its_copies_and_not_its_negatives(at_once: dict) -> None:
    original = {g.story: g.doc_id for g in CORPUS if g.kind == "original"}
    together = Counter()
    kinds = Counter(g.kind for g in CORPUS)
    for g in CORPUS:
        if g.kind != "original":
            together[g.kind] += (
                at_once[g.doc_id].cluster_id == at_once[original[g.story]].cluster_id
            )
    copies = sum(together[k] for k in COPIES) / sum(kinds[k] for k in COPIES)
    negatives = (together["retold"] + together["flash"]) / (kinds["retold"] + kinds["flash"])
    assert kinds["preview"] > 50 and kinds["flash"] > 30
    assert copies >= 0.97 and negatives <= 0.03, (together, kinds)


@settings(max_examples=8, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(2, 7))
def test_increments_in_any_order_give_the_clusters_of_one_run(
    at_once: dict, rng: random.Random, parts: int
) -> None:
    shuffled = CORPUS[:]
    rng.shuffle(shuffled)
    index = DedupIndex()
    for k in range(parts):
        index.add(docs(shuffled[k::parts]))
    assert index.assignments() == at_once


def test_removing_documents_gives_the_clusters_of_a_run_without_them(tmp_path: Path) -> None:
    rng = random.Random(3)
    gone = {g.doc_id for g in rng.sample(CORPUS, 150)}
    # originals go too: their copies must find another representative
    assert any(g.kind == "original" for g in CORPUS if g.doc_id in gone)
    kept = [g for g in CORPUS if g.doc_id not in gone]
    fresh = DedupIndex()
    fresh.add(docs(kept))

    index = DedupIndex()
    shuffled = CORPUS[:]
    rng.shuffle(shuffled)
    index.add(docs(shuffled[:300]))
    index.remove(sorted(gone)[:70])
    index.save(tmp_path / "dedup")
    index = DedupIndex.load(tmp_path / "dedup")
    index.add(docs(shuffled[300:]))
    index.remove(sorted(gone))
    assert len(index) == len(kept)
    assert index.assignments() == fresh.assignments()


def test_a_changed_document_replaces_its_old_body() -> None:
    index = DedupIndex()
    original = next(g for g in CORPUS if g.kind == "original")
    index.add(docs([original]))
    index.add([Doc("copy", original.body, original.published_date, original.lang)])
    got = index.assignments()
    assert got["copy"].cluster_id == got[original.doc_id].cluster_id
    assert got["copy"].relation == "exact" or got[original.doc_id].relation == "exact"
    index.add([Doc("copy", "전혀 다른 내용의 기사가 되었습니다. " * 5, None, "ko")])
    got = index.assignments()
    assert got["copy"].cluster_id == "copy" and got[original.doc_id].representative
    assert len(index) == 2


def test_the_saved_index_is_partitioned_by_band(tmp_path: Path) -> None:
    index = DedupIndex()
    index.add(docs(CORPUS[:50]))
    index.save(tmp_path / "dedup")
    bands = sorted(p.name for p in (tmp_path / "dedup").glob("band=*"))
    assert bands == [f"band={b}" for b in range(Params().bands)]
    again = DedupIndex.load(tmp_path / "dedup")
    assert again.assignments() == index.assignments() and again.edges == index.edges


def test_an_index_of_other_settings_is_refused(tmp_path: Path) -> None:
    index = DedupIndex()
    index.add(docs(CORPUS[:5]))
    index.save(tmp_path / "dedup")
    with pytest.raises(DedupIndexError, match="built with other settings"):
        DedupIndex.load(tmp_path / "dedup", Params(ngram=5))
    with pytest.raises(DedupIndexError, match="no dedup index there"):
        DedupIndex.load(tmp_path / "nothing")
