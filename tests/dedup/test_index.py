"""The index gives the same clusters however the corpus arrives, and survives a save and load."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.dedup_corpus import Generated, stories
from pipeline.dedup import DedupIndex, Doc, Params
from pipeline.dedup import index as index_module
from pipeline.dedup.index import band_keys, chunk_share
from pipeline.dedup.text import Shingled, fold, shingle
from pipeline.dedup.verify import Verdict
from pipeline.errors import DedupIndexError

CORPUS = stories(600, seed=7)
VERDICT = Verdict(0.0, 0.0, 0.0, None)
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


# Two reports of other events, each in its own sentences, that share one stock line: an
# identical chunk, so every band key of it meets, far past min_hits.
STOCK = "자세한 내용은 잠시 뒤 이어지는 현장 연결 보도에서 취재 기자가 다시 전해드리겠습니다 많은 관심 부탁드립니다."
ROADS = "\n".join(
    [
        f"{n}번 국도 보수 공사가 이번 주 {n + 2}개 구간에서 시작돼 출퇴근 차량은 당분간 인근 도로로 우회해야 합니다."
        for n in range(11)
    ]
    + [STOCK]
)
HARBOUR = "\n".join(
    [STOCK]
    + [
        f"항구 {n}곳의 냉동 창고가 올겨울 {n * 3}만 톤의 수산물을 더 보관할 수 있게 된다고 해양수산부가 밝혔습니다."
        for n in range(12)
    ]
)


def _shingled(*bodies: str) -> dict[int, Shingled]:
    return {row: shingle(fold(body)) for row, body in enumerate(bodies)}


def test_the_chunk_share_is_the_same_whichever_document_came_first() -> None:
    params = Params()
    pair = np.array([[0, 1]])
    both_new = chunk_share(pair, 0, _shingled(ROADS, HARBOUR), params)
    roads_old = chunk_share(pair, 1, _shingled(ROADS, HARBOUR), params)
    harbour_old = chunk_share(pair, 1, _shingled(HARBOUR, ROADS), params)
    chunks = min(len(shingle(fold(b)).chunks) for b in (ROADS, HARBOUR))
    assert both_new[0] == roads_old[0] == harbour_old[0] == 1 / chunks
    # as add calls it: the new rows' band keys given, the older rows' computed
    cache = _shingled(ROADS, HARBOUR)
    keys = band_keys(cache[1].chunks, params)
    assert chunk_share(pair, 1, cache, params, keys)[0] == roads_old[0]
    with pytest.raises(ValueError, match="new_keys"):
        chunk_share(pair, 1, cache, params, keys[:-1])


def test_a_shared_stock_line_alone_is_not_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    verified = []
    monkeypatch.setattr(index_module, "verify", lambda *a, **k: verified.append(a) or VERDICT)
    index = DedupIndex()
    index.add([Doc("roads", ROADS), Doc("harbour", HARBOUR)])
    assert not verified
    # the filter asks for a share of chunks, not a whole copy: a copy that keeps only a few of
    # its chunks whole (edits in every other sentence) still goes on to verification
    edited = "\n".join(
        line if i % 4 == 0 else line.replace("합니다", "한다")
        for i, line in enumerate(ROADS.split("\n"))
    )
    index.add([Doc("roads edited", edited)])
    assert len(verified) == 1


def test_a_pair_whose_overlap_cannot_reach_a_copy_s_is_not_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # three stock lines in twelve: past the chunk filter, nowhere near a copy's containment;
    # the ceiling on the overlap (ceiling.py) drops the pair before its exact count
    roads = ROADS.split("\n")
    harbour = HARBOUR.split("\n")
    extra = [STOCK.replace("많은", "여러분의"), STOCK.replace("다시", "자세히")]
    verified = []
    monkeypatch.setattr(index_module, "verify", lambda *a, **k: verified.append(a) or VERDICT)
    monkeypatch.setattr(index_module, "_may_be_copies", lambda pairs, *a: np.ones(len(pairs), bool))
    index = DedupIndex()
    index.add([Doc("roads", "\n".join(roads + extra)), Doc("harbour", "\n".join(extra + harbour))])
    assert len(verified) == 1  # without the ceiling, the chunk filter lets it through
    monkeypatch.undo()
    monkeypatch.setattr(index_module, "verify", lambda *a, **k: verified.append(a) or VERDICT)
    verified.clear()
    index = DedupIndex()
    index.add([Doc("roads", "\n".join(roads + extra)), Doc("harbour", "\n".join(extra + harbour))])
    assert not verified
