"""The dedup stage: the same `duplicates` rows and `articles.cluster_id` however the corpus arrives
(one run, increments in any order, files removed, the Dask engine), a rerun that rewrites
nothing, and a damaged index rebuilt with one line in the log."""

from __future__ import annotations

import json
import logging
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmarks.dedup_corpus import stories
from pipeline import registry
from pipeline.config import Config, DedupConfig, load_config
from pipeline.context import Context
from pipeline.dedup import Params
from pipeline.errors import ConfigError
from pipeline.runner import RunReport, run_stages
from tests.conftest import ROOT, assert_section_documented, published

CONFIG = Config(batch_docs=4)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A generated corpus as raw .txt files: originals, copies (a wrapper line, a preview, a
    light edit, an exact copy) and hard negatives, each under the scraper's header line."""
    texts = {}
    for doc in stories(36, seed=11):
        header = f"date {doc.published_date.isoformat()} {doc.story}-{doc.kind} {doc.doc_id[-6:]}"
        texts[f"{doc.doc_id}.txt"] = f"{header}\n\n{doc.body}\n"
    return texts


def _write(raw: Path, files: dict[str, str], names: list[str]) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        (raw / name).write_text(files[name], encoding="utf-8")


def _run(raw: Path, out: Path, config: Config = CONFIG) -> RunReport:
    return run_stages(registry.STAGES, Context(raw, out, config, threads=1))


def _rows(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """duplicates, and articles' (doc_id, cluster_id), in a fixed order."""
    data = published(out)
    return data["duplicates"], data["articles"][["doc_id", "source_path", "cluster_id"]]


def _stage(report: RunReport, name: str) -> Any:
    return next(s for s in report.stages if s.name == name)


@pytest.fixture(scope="module")
def reference(
    files: dict[str, str], tmp_path_factory: pytest.TempPathFactory, kiwi: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every file in one run."""
    base = tmp_path_factory.mktemp("one-run")
    _write(base / "raw", files, sorted(files))
    _run(base / "raw", base / "out")
    return _rows(base / "out")


def test_one_run_finds_the_generated_copies(files, reference) -> None:
    duplicates, articles = reference
    assert len(articles) == len(files)
    kinds = {name.split("-")[1] for name in files}
    by_path = dict(zip(articles.source_path, articles.doc_id, strict=True))
    copies = duplicates[~duplicates.representative]
    copied = {p.split("-")[1] for p, d in by_path.items() if d in set(copies.doc_id)}
    # copies are found, and none of them is a retelling in other words
    assert {"wrapper", "preview", "edit"} & copied and "retold" not in copied, copied
    assert {"original", "retold", "flash"} <= kinds
    # every article has a cluster; a copy's is its representative's doc_id, a loner's its own
    cluster = dict(zip(duplicates.doc_id, duplicates.cluster_id, strict=True))
    for doc_id, cluster_id in zip(articles.doc_id, articles.cluster_id, strict=True):
        assert cluster_id == cluster.get(doc_id, doc_id)
    representatives = set(duplicates[duplicates.representative].doc_id)
    assert set(copies.cluster_id) == representatives and copies.relation.notna().all()
    assert duplicates[duplicates.representative].relation.isna().all()


@pytest.mark.parametrize("seed", [1, 2])
def test_increments_in_any_order_give_the_rows_of_one_run(
    files, reference, tmp_path: Path, seed: int
) -> None:
    names = sorted(files)
    random.Random(seed).shuffle(names)
    raw, out = tmp_path / "raw", tmp_path / "out"
    for lo, hi in ((0, 10), (10, 22), (22, len(names))):
        _write(raw, files, names[lo:hi])
        _run(raw, out)
    duplicates, articles = _rows(out)
    pd.testing.assert_frame_equal(duplicates, reference[0])
    pd.testing.assert_frame_equal(articles, reference[1])


def test_removed_files_leave_the_clusters_as_if_never_there(
    files, reference, tmp_path: Path
) -> None:
    duplicates, articles = reference
    by_path = dict(zip(articles.source_path, articles.doc_id, strict=True))
    # remove some representatives of clusters: their copies must find a new one
    reps = set(duplicates[duplicates.representative].doc_id)
    gone = sorted(p for p, d in by_path.items() if d in reps)[:3]
    gone += sorted(set(files) - set(gone))[:2]
    assert len(gone) == 5
    kept = sorted(set(files) - set(gone))
    # what one run over the files that remain gives
    _write(tmp_path / "once" / "raw", files, kept)
    _run(tmp_path / "once" / "raw", tmp_path / "once" / "out")
    expected = _rows(tmp_path / "once" / "out")
    # in increments, in another order, and then the files removed
    names = sorted(files)
    random.Random(3).shuffle(names)
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, names[:20])
    _run(raw, out)
    _write(raw, files, names[20:])
    for name in gone:
        (raw / name).unlink()
    _run(raw, out)
    got = _rows(out)
    pd.testing.assert_frame_equal(got[0], expected[0])
    pd.testing.assert_frame_equal(got[1], expected[1])
    assert not set(got[0].doc_id) & {by_path[p] for p in gone}


def test_a_rerun_with_nothing_new_rewrites_nothing(files, tmp_path: Path, kiwi: Any) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    state = out / ".state"
    before = {p: p.stat().st_mtime_ns for p in state.rglob("*") if p.is_file()}
    report = _run(raw, out)
    after = {p: p.stat().st_mtime_ns for p in state.rglob("*") if p.is_file()}
    changed = {p for p in after if before.get(p) != after[p]}
    # only what every ingest rewrites (README): no part, no index, no marks
    assert {p.name for p in changed} <= {"ingest.json", "quarantine.parquet"}, changed
    dedup, export = _stage(report, "dedup"), _stage(report, "export")
    assert (dedup.batches_run, export.batches_run) == (0, 0)
    assert dedup.counts["new"] == 0 and not dedup.rows


def test_a_copy_that_arrives_earlier_redoes_only_the_batches_it_changes(
    files, reference, tmp_path: Path, kiwi: Any
) -> None:
    """A new copy dated before the rest of its cluster becomes its representative: the batches
    holding that cluster get new rows (and new articles), the others are left as they were."""
    duplicates, articles = reference
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    # the largest cluster, and the body of its representative under an earlier date
    cluster = duplicates.cluster_id.value_counts().index[0]
    members = set(duplicates[duplicates.cluster_id == cluster].doc_id)
    path = articles[articles.doc_id == cluster].source_path.item()
    body = files[path].split("\n", 2)[2]
    (raw / "early.txt").write_text(f"date 2020-01-01 an early copy\n\n{body}", encoding="utf-8")
    report = _run(raw, out)
    catalog = Context(raw, out, CONFIG).catalog
    batches = catalog.batches() or []
    touched = {b.id for b in batches if {d for d, _, _ in b.docs} & members}
    dedup, export = _stage(report, "dedup"), _stage(report, "export")
    assert dedup.counts["new"] == 1
    # the new batch and the batches of the cluster: rows, then articles, made again
    assert dedup.batches_run == export.batches_run == len(touched) + 1 < len(batches)
    got, arts = _rows(out)
    early = arts[arts.source_path == "early.txt"].doc_id.item()
    assert set(got[got.cluster_id == early].doc_id) == members | {early}
    assert (arts[arts.doc_id.isin(members)].cluster_id == early).all()
    # the other clusters' rows are as they were
    others = duplicates[duplicates.cluster_id != cluster].reset_index(drop=True)
    kept = got[~got.doc_id.isin(members | {early})].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, others)


def _spoil(paths: list[Path]) -> None:
    assert paths, "nothing to damage: the index's layout changed"
    for path in paths:
        path.write_bytes(b"not parquet")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: _spoil(sorted((d / "index").glob("edges-*.parquet"))),
        lambda d: (d / "index" / "manifest.json").write_text("{"),
        lambda d: shutil.rmtree(d / "index"),
        lambda d: (d / "state.json").write_text("{"),
        lambda d: (d / "members.parquet").write_text(""),
    ],
    ids=["edges", "manifest", "no index", "state", "members"],
)
def test_a_damaged_index_is_rebuilt_with_one_line(
    files, reference, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Any
) -> None:
    names = sorted(files)
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, names[:-6])
    _run(raw, out)
    damage(out / ".state" / "dedup")
    _write(raw, files, names[-6:])
    with caplog.at_level(logging.WARNING, logger="pipeline.stages.dedup"):
        _run(raw, out)
    [line] = [r.getMessage() for r in caplog.records if r.name == "pipeline.stages.dedup"]
    assert line.startswith("dedup: rebuilding the index in ") and "\n" not in line
    duplicates, articles = _rows(out)
    pd.testing.assert_frame_equal(duplicates, reference[0])
    pd.testing.assert_frame_equal(articles, reference[1])


def test_damaged_marks_redo_the_rows_without_a_traceback(files, reference, tmp_path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files))
    _run(raw, out)
    (out / ".state" / "marks" / "dedup.json").write_text("[")
    report = _run(raw, out)
    assert _stage(report, "dedup").batches_run == 0  # the same rows: the same parts, found
    pd.testing.assert_frame_equal(_rows(out)[0], reference[0])


def test_dedup_off_gives_no_rows_and_null_clusters(files, tmp_path: Path, kiwi: Any) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files)[:8])
    off = Config(batch_docs=4, dedup=DedupConfig(enabled=False))
    _run(raw, out, off)
    duplicates, articles = _rows(out)
    assert duplicates.empty and articles.cluster_id.isna().all()
    assert not (out / ".state" / "dedup").exists()


def test_the_stage_slices_of_the_command_line(files, tmp_path: Path, run_cli) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, files, sorted(files)[:12])
    assert run_cli("run", "--raw", raw, "--out", out, "--to", "strip", "-q")[0] == 0
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--from", "export", "-q")
    assert (code, err.strip()) == (
        2,
        "Error: export needs duplicates, which the stage dedup makes: run it first",
    )
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--stage", "dedup", "-q")
    assert (code, err.strip()) == (
        2,
        "Error: dedup needs shingles, which the stage shingle makes: run it first",
    )
    assert run_cli("run", "--raw", raw, "--out", out, "--stage", "shingle", "-q")[0] == 0
    assert run_cli("run", "--raw", raw, "--out", out, "--stage", "dedup", "-q")[0] == 0
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--from", "export", "-q")
    assert (code, err.strip()) == (
        2,
        "Error: pair needs signals, which the stage signal makes: run it first",
    )
    assert run_cli("run", "--raw", raw, "--out", out, "--stage", "signal", "-q")[0] == 0
    assert run_cli("run", "--raw", raw, "--out", out, "--from", "export", "-q")[0] == 0
    assert len(pd.read_parquet(out / "articles.parquet")) == 12
    # files added and taken away since dedup ran: its rows may all have changed
    _write(raw, files, sorted(files)[12:14])
    assert run_cli("run", "--raw", raw, "--out", out, "--to", "strip", "-q")[0] == 0
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--from", "export", "-q")
    assert code == 2 and "run it first" in err
    assert run_cli("run", "--raw", raw, "--out", out, "--from", "shingle", "-q")[0] == 0
    assert len(pd.read_parquet(out / "articles.parquet")) == 14


def test_the_dedup_section_of_the_config(tmp_path: Path) -> None:
    assert DedupConfig().params() == Params()  # the defaults are the library's
    path = tmp_path / "pipeline.toml"
    path.write_text("[dedup]\nenabled = false\ncontainment = 0.6\n")
    config = load_config(path)
    assert config.dedup == DedupConfig(enabled=False, containment=0.6)
    assert config.dedup.params().containment == 0.6
    path.write_text("[dedup]\nnear_jaccard = 2\n")
    with pytest.raises(ConfigError, match=r"dedup.near_jaccard must lie between 0 and 1"):
        load_config(path)
    path.write_text("[dedup]\nbands = 4\n")
    with pytest.raises(ConfigError, match=r"unknown key dedup.bands"):
        load_config(path)
    assert_section_documented("dedup", DedupConfig())


def test_the_dask_engine_gives_the_same_rows(files, reference, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    names = sorted(files)
    random.Random(5).shuffle(names)
    raw, out = tmp_path / "raw", tmp_path / "out"
    config = tmp_path / "pipeline.toml"
    config.write_text("[pipeline]\nbatch_docs = 4\n")
    for part in (names[:18], names[18:]):
        _write(raw, files, part)
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
             "--config", str(config), "-q", "--engine", "dask", "--workers", "2"],
            cwd=ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    duplicates, articles = _rows(out)
    pd.testing.assert_frame_equal(duplicates, reference[0])
    pd.testing.assert_frame_equal(articles, reference[1])
    manifest = json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text())
    assert manifest["stages"]["dedup"]["documents"]["new"] == len(names) - 18
