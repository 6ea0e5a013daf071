"""The pair stage: each English article linked to its Korean original through `newspipe run`, the
same `pairs` and `alignments` rows however the corpus arrives (one run, increments in any order,
the original after its translation, files removed, the Dask engine), a rerun that does nothing,
copies of one report linked as one original, and damaged state read again with one log line."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import registry
from pipeline.config import Config, PairConfig, load_config
from pipeline.context import Context
from pipeline.errors import ConfigError
from pipeline.pair import PairIndex, Params, link, read_doc
from pipeline.pair.evaluate import body_lines as gold_lines
from pipeline.pair.link import Indexed
from pipeline.runner import RunReport, run_stages
from pipeline.script import load_roles
from pipeline.stages import pair as pair_stage
from pipeline.stages.ingest import parse_header
from tests.conftest import FIXTURES, ROOT, SHARED, assert_section_documented, published

CONFIG = Config(batch_docs=3)
SEED = SHARED / "seed" / "kbs_2025-04-28_north-korea-troops.txt"
# A portal's repost of kbs_ko_1001, a day later, under a line of its own: dedup's copy of it.
REPOST_HEAD = "[물빛일보 제휴 기사] 이 기사는 KBS 뉴스의 보도를 옮긴 것입니다."


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    """The pair fixtures as raw .txt files (four English reports, their originals, a next-day
    follow-up, another outlet's brief, last year's story, the seed's Korean original with its
    distractors), and a portal's repost of one original."""
    texts = {
        p.name: p.read_text("utf-8")
        for folder in (FIXTURES / "pairs" / "docs", FIXTURES / "pairs_seed")
        for p in sorted(folder.glob("*.txt"))
    }
    original = texts["kbs_ko_1001.txt"]
    header, body = original.split("\n", 1)
    texts["portal_ko_1001_repost.txt"] = (
        f"{header.replace('2025-05-12', '2025-05-13')}\n{REPOST_HEAD}\n\n{body}"
    )
    return texts


def _write(raw: Path, files: dict[str, str], names: list[str]) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        (raw / name).write_text(files[name], encoding="utf-8")


def _run(raw: Path, out: Path, config: Config = CONFIG) -> RunReport:
    return run_stages(registry.STAGES, Context(raw, out, config, threads=1))


def _rows(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = published(out)
    return data["pairs"], data["alignments"]


def _by_file(out: Path) -> dict[str, str | None]:
    """Each English file's original, by file name (None: no link)."""
    data = published(out)
    name = dict(zip(data["articles"].doc_id, data["articles"].source_path, strict=True))
    return {
        name[en]: (name[ko] if isinstance(ko, str) else None)
        for en, ko in zip(data["pairs"].en_doc_id, data["pairs"].ko_doc_id, strict=True)
    }


def _stage(report: RunReport, name: str) -> Any:
    return next(s for s in report.stages if s.name == name)


@pytest.fixture(scope="module")
def one_run(files: dict[str, str], tmp_path_factory: pytest.TempPathFactory, kiwi: Any) -> Path:
    """Every file in one run: its output folder."""
    base = tmp_path_factory.mktemp("one-run")
    _write(base / "raw", files, sorted(files))
    _run(base / "raw", base / "out")
    return base / "out"


@pytest.fixture(scope="module")
def reference(one_run: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _rows(one_run)


def test_newspipe_run_links_each_english_report_to_its_original(
    files: dict[str, str], tmp_path: Path, run_cli: Any
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    if SEED.is_file():  # the user's document: an English KBS report (../shared)
        (raw / SEED.name).write_text(SEED.read_text("utf-8"), encoding="utf-8")
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "-q")
    assert code == 0, err
    data = published(out)
    linked = _by_file(out)
    expected = {
        "kbs_en_2001.txt": "kbs_ko_1001.txt",  # not the next day's follow-up, nor the SBS brief
        "kbs_en_2002.txt": None,  # an English item whose original is not in the corpus
        "kbs_en_2003.txt": "kbs_ko_1004.txt",  # the English text stops early
        "kbs_en_2004.txt": "kbs_ko_1005.txt",  # the Korean text stops early
    }
    if SEED.is_file():
        expected[SEED.name] = "kbs_ko_seed.txt"  # not the next day's, nor SBS's
    assert linked == expected
    # only English articles have rows; the evidence says why, the cluster is the original's
    pairs, articles = data["pairs"], data["articles"]
    lang = dict(zip(articles.doc_id, articles.lang, strict=True))
    assert {lang[d] for d in pairs.en_doc_id} == {"en"}
    row = pairs[pairs.ko_doc_id.notna()].iloc[0]
    assert "reporter" in set(pairs.evidence.explode().dropna()) and row.score > 0
    unlinked = pairs[pairs.ko_doc_id.isna()]
    assert unlinked.score.isna().all() and unlinked.evidence.map(len).eq(0).all()
    # the line links name real body segments of the two documents, in order on both sides
    segments = data["segments"].set_index(["doc_id", "seg_id"])
    al = data["alignments"]
    assert len(al) and set(al.en_doc_id) == set(pairs[pairs.ko_doc_id.notna()].en_doc_id)
    for r in al.itertuples():
        assert segments.loc[(r.en_doc_id, r.en_seg_id)].part == "body"
        assert segments.loc[(r.ko_doc_id, r.ko_seg_id)].lang == "ko"
    for _, group in al.groupby("en_doc_id"):
        assert group.ko_seg_id.is_monotonic_increasing


def test_the_seed_lines_align_to_its_written_original(tmp_path: Path, kiwi: Any) -> None:
    if not SEED.is_file():
        pytest.skip("../shared/seed is absent")
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / SEED.name).write_text(SEED.read_text("utf-8"), encoding="utf-8")
    for p in sorted((FIXTURES / "pairs_seed").glob("*.txt")):
        (raw / p.name).write_text(p.read_text("utf-8"), encoding="utf-8")
    _run(raw, out)
    data = published(out)
    segs = data["segments"].set_index(["doc_id", "seg_id"]).text
    al = data["alignments"]
    pairs = dict(zip(al.en_seg_id, al.ko_seg_id, strict=False))
    assert len(al) >= 12
    en = {segs[(d, s)] for d, s in zip(al.en_doc_id, al.en_seg_id, strict=True)}
    # the 12,000 line of the English page links to the line with 1만 2천
    [twelve] = [t for t in en if "12,000" in t]
    ko = [
        segs[(k, pairs[s])]
        for d, s, k in zip(al.en_doc_id, al.en_seg_id, al.ko_doc_id, strict=True)
        if segs[(d, s)] == twelve
    ]
    assert ko and "1만 2천" in ko[0]
    # KBS's Korean tip-line footer under the English page is stripped and aligns to nothing
    assert not any("제보" in t for t in en)


def test_copies_of_one_report_count_as_one_original(one_run: Path) -> None:
    base = published(one_run)
    pairs = base["pairs"]
    duplicates = base["duplicates"]
    name = dict(zip(base["articles"].doc_id, base["articles"].source_path, strict=True))
    cluster = duplicates[duplicates.representative].cluster_id
    original = {name[c] for c in cluster}
    assert original == {"kbs_ko_1001.txt"}  # the KBS page, dated a day before its repost
    repost = next(d for d, p in name.items() if p == "portal_ko_1001_repost.txt")
    assert repost in set(duplicates.doc_id) and repost not in set(pairs.ko_doc_id)
    row = pairs[pairs.ko_doc_id.map(lambda k: isinstance(k, str) and name[k] == "kbs_ko_1001.txt")]
    assert len(row) == 1 and row.cluster_id.item() == row.ko_doc_id.item()


def test_an_original_that_arrives_after_its_translation_is_linked_then(
    files, reference, tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    english = sorted(n for n in files if "_en_" in n)
    _write(raw, files, [*english, "kbs_ko_0901.txt", "sbs_ko_1003.txt"])
    report = _run(raw, out)
    assert set(_by_file(out).values()) == {None}  # last year's story and SBS's brief: no link
    assert _stage(report, "pair").counts["linked"] == 0
    _write(raw, files, sorted(files))
    report = _run(raw, out)
    pair = _stage(report, "pair")
    # only the new batches were read; every English article could gain an original: relinked
    assert pair.counts["read"] == len(files) - len(english) - 2
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])
    pd.testing.assert_frame_equal(_rows(out)[1], reference[1])


@pytest.mark.parametrize("seed", [1, 2])
def test_increments_in_any_order_give_the_rows_of_one_run(
    files, reference, tmp_path: Path, seed: int
) -> None:
    names = sorted(files)
    random.Random(seed).shuffle(names)
    raw, out = tmp_path / "raw", tmp_path / "out"
    for lo, hi in ((0, 4), (4, 9), (9, len(names))):
        _write(raw, files, names[lo:hi])
        _run(raw, out, Config(batch_docs=2 + seed))
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])
    pd.testing.assert_frame_equal(_rows(out)[1], reference[1])


def test_removed_files_leave_the_rows_of_a_run_without_them(files, tmp_path: Path) -> None:
    """The original and the repost gone: the English report falls to what is left (the next
    day's follow-up by the same reporter, taken when the original is missing) as in one run
    over the files that remain."""
    gone = ["kbs_ko_1001.txt", "portal_ko_1001_repost.txt", "kbs_en_2004.txt"]
    kept = sorted(set(files) - set(gone))
    _write(tmp_path / "once" / "raw", files, kept)
    _run(tmp_path / "once" / "raw", tmp_path / "once" / "out")
    expected = _rows(tmp_path / "once" / "out")
    raw, out = tmp_path / "raw", tmp_path / "out"
    names = sorted(files)
    random.Random(4).shuffle(names)
    _write(raw, files, names[:8])
    _run(raw, out)
    _write(raw, files, names[8:])
    _run(raw, out)
    for name in gone:
        (raw / name).unlink()
    _run(raw, out)
    pd.testing.assert_frame_equal(_rows(out)[0], expected[0])
    pd.testing.assert_frame_equal(_rows(out)[1], expected[1])
    assert "kbs_en_2004.txt" not in _by_file(out)


def test_a_rerun_with_nothing_new_does_nothing(files, tmp_path: Path, kiwi: Any) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    state = out / ".state"
    before = {p: p.stat().st_mtime_ns for p in state.rglob("*") if p.is_file()}
    report = _run(raw, out)
    after = {p: p.stat().st_mtime_ns for p in state.rglob("*") if p.is_file()}
    changed = {p for p in after if before.get(p) != after[p]}
    assert {p.name for p in changed} <= {"ingest.json", "quarantine.parquet"}, changed
    pair = _stage(report, "pair")
    assert pair.batches_run == 0 and pair.counts == {"read": 0, "linked": 0}


def test_an_earlier_copy_becomes_the_original_and_only_it_is_read(
    files: dict[str, str], tmp_path: Path, kiwi: Any
) -> None:
    """A copy of kbs_ko_1001 dated a day earlier becomes its cluster's representative: the
    English report is linked to it, and of the batches export made again only the new document
    is read (the others' lines are known by their ids)."""
    header, body = files["kbs_ko_1001.txt"].split("\n", 1)
    more = {**files, "early.txt": f"{header.replace('2025-05-12', '2025-05-11')}\n{body}"}
    _write(tmp_path / "once" / "raw", more, sorted(more))
    _run(tmp_path / "once" / "raw", tmp_path / "once" / "out")
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, more, sorted(files))
    _run(raw, out)
    _write(raw, more, ["early.txt"])
    report = _run(raw, out)
    assert _stage(report, "pair").counts["read"] == 1
    assert _stage(report, "export").batches_run > 1  # the cluster's batches made again
    assert _by_file(out)["kbs_en_2001.txt"] == "early.txt"
    expected = _rows(tmp_path / "once" / "out")
    pd.testing.assert_frame_equal(_rows(out)[0], expected[0])
    pd.testing.assert_frame_equal(_rows(out)[1], expected[1])


def test_a_new_distractor_relinks_only_the_articles_it_may_change(
    files, tmp_path: Path, kiwi: Any
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    # a Korean brief on another subject, with none of the English articles' figures or names
    (raw / "other.txt").write_text(
        "date 2025-05-12 한빛군 벚꽃축제 개막\n한빛군 벚꽃축제가 오늘 개막했습니다.\n"
        "축제는 열흘 동안 이어집니다.\n",
        encoding="utf-8",
    )
    report = _run(raw, out)
    pair = _stage(report, "pair")
    assert pair.counts["read"] == 1 and pair.counts["relinked"] == 0


_SEEN = st.dictionaries(
    st.sampled_from("abcdef"),
    st.tuples(
        st.sampled_from(["en", "ko"]),
        st.sampled_from([None, dt.date(2025, 5, 12), dt.date(2025, 5, 13)]),
        st.booleans(),
        st.frozensets(st.sampled_from(["n:12", "n:300", "p:김|gVn", "p:x"]), max_size=3),
    ),
)


@settings(max_examples=200, deadline=None)
@given(_SEEN, _SEEN)
def test_the_originals_that_came_went_or_changed_are_those_whose_record_differs(
    before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]
) -> None:
    """The state keeps its documents as columns (`Known`); what moved is what comparing each
    document's (language, date, original, indexed signals) as it was and as it is finds."""

    def record(seen: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
        # an original is Korean; the others keep no indexed signals
        return {
            d: (lang, date, lang == "ko" and original, found if lang == "ko" and original else None)
            for d, (lang, date, original, found) in seen.items()
        }

    old, now = record(before), record(after)
    went, came = pair_stage._moved(_known(old), _known(now))
    moved = {d for d, r in [*old.items(), *now.items()] if r[2] and old.get(d) != now.get(d)}
    assert went.keys() == {d for d in moved if d in old and old[d][2]}
    assert came.keys() == {d for d in moved if d in now and now[d][2]}
    for places, records, known in ((went, old, _known(old)), (came, now, _known(now))):
        for d, i in places.items():
            assert known.original(i) == (records[d][1], records[d][3])


def _known(records: dict[str, tuple[Any, ...]]) -> pair_stage.Known:
    """The state's columns of these (lang, date, original, indexed) records, in any order."""
    doc_ids = sorted(records, reverse=True)
    originals = [n for n, d in enumerate(doc_ids) if records[d][2]]
    found = [records[doc_ids[n]][3] for n in originals]
    strings = sorted(frozenset().union(*found))
    number = {s: n for n, s in enumerate(strings)}
    rows = [sorted(number[s] for s in signals) for signals in found]
    indexed = Indexed(
        strings,
        np.array([n for row in rows for n in row], dtype=np.int32),
        np.array([0, *itertools.accumulate(map(len, rows))], dtype=np.int64),
    )
    langs = [records[d][0] for d in doc_ids]
    return pair_stage.Known(doc_ids, langs, [records[d][1] for d in doc_ids], originals, indexed)


@pytest.mark.parametrize("candidates", [12, 1])
def test_a_new_original_is_looked_up_only_where_it_may_rank_among_the_candidates(
    files, tmp_path: Path, kiwi: Any, candidates: int
) -> None:
    config = Config(batch_docs=3, pair=PairConfig(candidates=candidates))
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out, config)
    # a Korean brief that shares one figure with the bus story (12 thousand passengers)
    (raw / "brief.txt").write_text(
        "date 2025-05-12 한빛군 소식\n한빛군 축제에 관광객 1만 2천 명이 다녀갔습니다.\n",
        encoding="utf-8",
    )
    pair = _stage(_run(raw, out, config), "pair")
    assert pair.counts["touched"] >= 1 and pair.counts["relinked"] == 0
    # with fewer originals near the article than the lookup keeps, any that shares a figure
    # is among them; with one kept, the brief shares less than the article's original
    assert pair.counts["checked"] == (pair.counts["touched"] if candidates == 12 else 0)
    again = tmp_path / "again"
    _run(raw, again, config)
    assert all(a.equals(b) for a, b in zip(_rows(out), _rows(again), strict=True))


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "state.pickle").write_bytes(b"not a pickle"),
        lambda d: (d / "state.json").write_text("{"),
        lambda d: (d / "state.json").write_text('{"complete": false}'),
    ],
    ids=["pickle", "json", "unfinished"],
)
def test_damaged_state_is_read_again_with_one_line(
    files, reference, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Any
) -> None:
    names = sorted(files)
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, names[:-4])
    _run(raw, out)
    damage(out / ".state" / "pair")
    _write(raw, files, names[-4:])
    with caplog.at_level(logging.WARNING, logger="pipeline.stages.pair"):
        _run(raw, out)
    [line] = [r.getMessage() for r in caplog.records if r.name == "pipeline.stages.pair"]
    assert line.startswith("pair: reading the corpus again into ") and "\n" not in line
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])
    pd.testing.assert_frame_equal(_rows(out)[1], reference[1])


def test_pair_off_gives_no_rows(files, tmp_path: Path, kiwi: Any) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    assert (out / ".state" / "pair").is_dir()
    _run(raw, out, Config(batch_docs=3, pair=PairConfig(enabled=False)))
    pairs, alignments = _rows(out)
    assert pairs.empty and alignments.empty
    assert not (out / ".state" / "pair").exists()


def test_a_run_to_export_publishes_pairs_empty_and_says_so(
    files, tmp_path: Path, kiwi: Any, caplog: pytest.LogCaptureFixture
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files)[:6])
    with caplog.at_level(logging.WARNING, logger="pipeline.runner"):
        run_stages(registry.select(None, None, "export"), Context(raw, out, CONFIG, threads=1))
    assert any("pairs and alignments published empty" in r.getMessage() for r in caplog.records)
    assert pd.read_parquet(out / "pairs.parquet").empty
    assert len(pd.read_parquet(out / "articles.parquet")) == 6
    run_stages(registry.select("pair", None, None), Context(raw, out, CONFIG, threads=1))
    assert len(pd.read_parquet(out / "pairs.parquet")) == 4  # kbs_en_2001 … kbs_en_2004


def test_the_benchmark_stories_link_each_translation_to_its_original() -> None:
    """benchmarks/pair_corpus.py: each English story links to its Korean report, not to the next
    day's follow-up by the same reporter (so the benchmark times real links)."""
    from benchmarks.pair_corpus import bilingual

    book = load_roles()

    def doc(doc_id: str, text: str, lang: str) -> Any:
        return read_doc(doc_id, gold_lines(text), lang, parse_header(text)[0], book)

    stories = bilingual(8, seed=3)
    assert stories == bilingual(8, seed=3) and stories[:4] == bilingual(4, seed=3)
    korean = [doc(f"ko{i}", s.ko, "ko") for i, s in enumerate(stories)]
    korean += [doc(f"next{i}", s.follow_up, "ko") for i, s in enumerate(stories) if s.follow_up]
    assert len(korean) > len(stories)  # some follow-ups
    index = PairIndex(korean)
    for i, s in enumerate(stories):
        assert link(doc(f"en{i}", s.en, "en"), index).ko_doc_id == f"ko{i}"


def test_the_pair_section_of_the_config(tmp_path: Path) -> None:
    assert PairConfig().params() == Params()  # the defaults are the library's
    path = tmp_path / "pipeline.toml"
    path.write_text("[pair]\nenabled = false\ndays_before = 2\nmin_evidence = 4\n")
    config = load_config(path)
    assert config.pair == PairConfig(enabled=False, days_before=2, min_evidence=4.0)
    assert config.pair.params().days_before == 2
    path.write_text("[pair]\nmin_cover = 1.5\n")
    with pytest.raises(ConfigError, match=r"pair.min_cover must lie between 0 and 1"):
        load_config(path)
    path.write_text("[pair]\ncandidates = 0\n")
    with pytest.raises(ConfigError, match=r"pair.candidates must be 1 or more, not 0"):
        load_config(path)
    path.write_text("[pair]\nalign_top = 0\n")
    with pytest.raises(ConfigError, match=r"pair.align_top must be 1 or more, not 0"):
        load_config(path)
    path.write_text("[pair]\nfull_span = 4\n")
    with pytest.raises(ConfigError, match=r"unknown key pair.full_span"):
        load_config(path)
    assert_section_documented("pair", PairConfig())


def test_the_dask_engine_gives_the_same_rows(files, reference, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    names = sorted(files)
    random.Random(5).shuffle(names)
    raw, out = tmp_path / "raw", tmp_path / "out"
    config = tmp_path / "pipeline.toml"
    config.write_text("[pipeline]\nbatch_docs = 3\n")
    for part in (names[:7], names[7:]):
        _write(raw, files, part)
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
             "--config", str(config), "-q", "--engine", "dask", "--workers", "2"],
            cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])
    pd.testing.assert_frame_equal(_rows(out)[1], reference[1])
    manifest = json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text())
    assert manifest["stages"]["pair"]["documents"]["read"] == len(names) - 7


def test_the_local_pool_links_on_its_cores_and_gives_the_same_rows(
    files, reference, tmp_path: Path, kiwi: Any
) -> None:
    """With the local pool, the pair stage spreads its links over as many forked processes
    (engine/spread.py): the rows of one process."""
    from pipeline.engine.local import LocalProcesses

    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    engine = LocalProcesses(2, kiwi_threads=1)
    assert engine.corpus_processes == 2
    try:
        run_stages(registry.STAGES, Context(raw, out, CONFIG, threads=1), engine=engine)
    finally:
        engine.close()
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])
    pd.testing.assert_frame_equal(_rows(out)[1], reference[1])
