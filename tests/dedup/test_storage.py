"""The saved index: saves and loads between increments change nothing, a save into the index's own
folder appends instead of rewriting, and a broken folder is a one-line DedupIndexError."""

from __future__ import annotations

import json
import random
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.dedup_corpus import Generated, stories
from pipeline.dedup import DedupIndex, Doc
from pipeline.dedup.storage import GROWTH, Runs
from pipeline.errors import DedupIndexError

CORPUS = stories(300, seed=11)


def docs(items: list[Generated]) -> list[Doc]:
    return [Doc(g.doc_id, g.body, g.published_date, g.lang) for g in items]


def at_once(items: list[Generated]) -> DedupIndex:
    index = DedupIndex()
    index.add(docs(items))
    return index


@pytest.fixture(scope="module")
def whole() -> DedupIndex:
    return at_once(CORPUS)


def test_add_save_load_add_is_add_in_one_go(tmp_path: Path, whole: DedupIndex) -> None:
    shuffled = CORPUS[:]
    random.Random(5).shuffle(shuffled)
    index = DedupIndex()
    for k, part in enumerate(
        [shuffled[:120], shuffled[120:130], shuffled[130:250], shuffled[250:]]
    ):
        index.add(docs(part))
        index.save(tmp_path / "dedup")  # the first writes the folder, the others append to it
        index = DedupIndex.load(tmp_path / "dedup")
        assert len(index) == min(len(CORPUS), [120, 130, 250, 300][k])
    assert index.assignments() == whole.assignments()
    assert index.edges == whole.edges
    assert all(g.doc_id in index for g in CORPUS) and "never-added" not in index


def test_removals_and_replacements_across_saves(tmp_path: Path) -> None:
    rng = random.Random(8)
    gone = sorted(g.doc_id for g in rng.sample(CORPUS, 60))
    changed = CORPUS[3]
    new_body = Doc(changed.doc_id, "완전히 새로 쓴 본문입니다. " * 6, changed.published_date, "ko")
    expected = at_once([g for g in CORPUS if g.doc_id not in gone and g is not changed])
    expected.add([new_body])

    index = DedupIndex()
    index.add(docs(CORPUS[:200]))
    index.save(tmp_path / "dedup")
    index = DedupIndex.load(tmp_path / "dedup")
    index.remove(gone[:30])
    index.add([new_body])
    index.save(tmp_path / "dedup")
    index = DedupIndex.load(tmp_path / "dedup")
    index.add(docs(CORPUS[200:]))
    index.remove(gone)
    index.save(tmp_path / "dedup")
    index = DedupIndex.load(tmp_path / "dedup")
    assert len(index) == len(expected)
    assert index.assignments() == expected.assignments()


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_size) for p in root.rglob("*")}


def test_a_save_into_its_own_folder_appends_and_rewrites_nothing(tmp_path: Path) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS[:250]).save(root)
    before = _files(root)
    index = DedupIndex.load(root)
    index.add(docs(CORPUS[250:260]))
    index.save(root)
    after = _files(root)
    # the document columns grew in place, the bands' first runs are the same files
    for name in ("docs/bodies.blob", "docs/ids.ends", "docs/dates.i32"):
        assert after[name][0] == before[name][0] and after[name][1] > before[name][1]
    runs = [n for n in before if n.startswith("band=") and n.endswith(".npy")]
    assert runs and all(after.get(n) == before[n] for n in runs)
    assert len([n for n in after if n.startswith("band=0/")]) == 4  # the base run and the new


def test_a_run_with_nothing_new_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS[:50]).save(root)
    before, manifest = _files(root), (root / "manifest.json").read_text()
    index = DedupIndex.load(root)
    index.add([])
    assert index.remove(["never-added"]) == 0
    index.save(root)
    assert _files(root) == before and (root / "manifest.json").read_text() == manifest
    index.remove([CORPUS[0].doc_id])
    index.save(root)
    assert (root / "manifest.json").read_text() != manifest
    assert CORPUS[0].doc_id not in DedupIndex.load(root)


def test_runs_stay_few_over_many_small_saves(tmp_path: Path, whole: DedupIndex) -> None:
    root = tmp_path / "dedup"
    index = DedupIndex()
    for k in range(0, len(CORPUS), 10):
        index.add(docs(CORPUS[k : k + 10]))
        index.save(root)
        index = DedupIndex.load(root)
        runs = [len(r) for r in index._bands[0].runs]
        assert all(a >= GROWTH * b for a, b in pairwise(runs)), runs
    assert len(json.loads((root / "manifest.json").read_text())["runs"]["band=0"]) <= 4
    assert index.assignments() == whole.assignments()


def test_a_folder_of_mostly_removed_documents_is_compacted(tmp_path: Path) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS).save(root)
    index = DedupIndex.load(root)
    kept = CORPUS[::3]
    index.remove(g.doc_id for g in CORPUS if g not in kept)
    index.save(root)
    assert json.loads((root / "manifest.json").read_text())["rows"] == len(kept)
    assert DedupIndex.load(root).assignments() == at_once(kept).assignments()


def test_a_loaded_index_with_new_documents_saves_elsewhere(
    tmp_path: Path, whole: DedupIndex
) -> None:
    at_once(CORPUS[:150]).save(tmp_path / "one")
    index = DedupIndex.load(tmp_path / "one")
    index.add(docs(CORPUS[150:]))
    index.remove([CORPUS[0].doc_id])
    index.save(tmp_path / "two")
    again = DedupIndex.load(tmp_path / "two")
    assert again.assignments() == index.assignments()
    assert len(again) == len(CORPUS) - 1
    assert DedupIndex.load(tmp_path / "one").assignments() == at_once(CORPUS[:150]).assignments()


def test_bytes_past_the_manifest_from_a_save_that_died_are_ignored(
    tmp_path: Path, whole: DedupIndex
) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS[:200]).save(root)
    for name in ("bodies.blob", "bodies.ends", "ids.ends", "chunks.i32", "exact.u64"):
        with open(root / "docs" / name, "ab") as f:
            f.write(b"\xff" * 37)
    index = DedupIndex.load(root)
    assert len(index) == 200
    index.add(docs(CORPUS[200:]))
    index.save(root)
    assert DedupIndex.load(root).assignments() == whole.assignments()


@pytest.mark.parametrize(
    "damage",
    [
        lambda root: (root / "manifest.json").write_text("{not json"),
        lambda root: (root / "manifest.json").unlink(),
        lambda root: (root / "docs" / "bodies.blob").write_bytes(b"short"),
        lambda root: (root / "docs" / "chunks.i32").write_bytes(b""),
        lambda root: next((root / "band=3").glob("*.keys.npy")).write_bytes(b"not numpy"),
        lambda root: np.save(next((root / "ids").glob("*.rows.npy")), np.arange(3.0)),
        lambda root: [p.unlink() for p in root.glob("edges-*.parquet")],
    ],
)
def test_a_broken_index_is_one_line_of_error(tmp_path: Path, damage) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS[:40]).save(root)
    damage(root)
    with pytest.raises(DedupIndexError, match="a broken dedup index") as caught:
        DedupIndex.load(root)
    assert str(root) in str(caught.value) and "\n" not in str(caught.value)


def test_an_index_of_an_older_format_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "dedup"
    at_once(CORPUS[:5]).save(root)
    params = json.loads((root / "params.json").read_text())
    (root / "params.json").write_text(json.dumps({**params, "format": 1}))
    with pytest.raises(DedupIndexError, match="of format 1, this version reads format 2; rebuild"):
        DedupIndex.load(root)


def test_runs_find_every_row_of_a_key_whichever_run_holds_it() -> None:
    rng = np.random.default_rng(0)
    runs, keys, rows = Runs(), [], []
    alive = np.ones(10_000, dtype=bool)
    for start in range(0, 10_000, 500):
        k = rng.integers(0, 300, 500).astype(np.uint64)
        r = np.arange(start, start + 500)
        runs.insert(k, r, alive)
        keys.append(k)
        rows.append(r)
    key, row = np.concatenate(keys), np.concatenate(rows)
    at, found = runs.lookup(np.array([7, 299, 1000], dtype=np.uint64))
    for i, k in enumerate([7, 299, 1000]):
        assert sorted(found[at == i].tolist()) == sorted(row[key == k].tolist())
    assert len(runs.runs) < 6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 6), max_size=40),
    st.lists(st.integers(0, 6), max_size=40),
)
def test_a_run_s_add_pairs_every_new_row_with_each_row_of_its_key(old: list, new: list) -> None:
    """Each (new row, row) sharing a key once: older rows, and the new rows among themselves."""
    runs = Runs()
    alive = np.ones(len(old) + len(new), dtype=bool)
    runs.insert(np.array(old, dtype=np.uint64), np.arange(len(old)), alive)
    rows = np.arange(len(old), len(old) + len(new))
    got = runs.add(np.array(new, dtype=np.uint64), rows, alive)
    keys = old + new
    expected = sorted((i, j) for j in rows.tolist() for i in range(j) if keys[i] == keys[j])
    assert sorted(map(tuple, np.sort(got, axis=1).tolist())) == expected
