"""Scheduled runs: incremental by content, idempotent, mirroring the raw folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.rules.pack import BUILTIN
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(GOLDEN, folder, ignore=shutil.ignore_patterns("*.json"))
    return folder


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """Batches of two documents, with a private copy of the rule packs to edit."""
    shutil.copytree(BUILTIN, tmp_path / "channels")
    path = tmp_path / "pipeline.toml"
    path.write_text('[pipeline]\nbatch_docs = 2\n[strip]\nchannels = "channels"\n')
    return path


def _run(run_cli, raw: Path, out: Path, config: Path, *extra: str) -> dict:
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--config", config, "-q", *extra)
    assert code == 0, err
    manifest = sorted((out / "runs").glob("*.json"))[-1]
    return json.loads(manifest.read_text())["stages"]


def _articles(out: Path) -> pd.DataFrame:
    return (
        pd.read_parquet(out / "articles.parquet").sort_values("source_path").reset_index(drop=True)
    )


def test_a_run_with_nothing_new_does_no_work(
    run_cli, raw: Path, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _run(run_cli, raw, out, config)
    assert first["ingest"]["documents"]["new"] == 5
    assert first["tokenize"]["batches_run"] == 3
    again = _run(run_cli, raw, out, config)
    assert again["ingest"]["documents"]["unchanged"] == 5
    assert all(again[s]["batches_run"] == 0 for s in ("detect", "tokenize", "strip", "export"))


def test_new_changed_and_removed_files(run_cli, raw: Path, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    (raw / "zz_new.txt").write_text(
        "새로 들어온 기사입니다.\n■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n"
    )
    (raw / "no_footer.txt").write_text("바뀐 기사입니다.\n")
    (raw / "kakaotalk_body.txt").unlink()
    stages = _run(run_cli, raw, out, config)
    counts = stages["ingest"]["documents"]
    assert (counts["new"], counts["changed"], counts["removed"]) == (1, 1, 1)
    articles = _articles(out)
    assert list(articles.source_path) == [
        "en_body_ko_footer.txt",
        "inline_footer.txt",
        "ko_body_footer.txt",
        "no_footer.txt",
        "zz_new.txt",
    ]
    assert articles.doc_id.is_unique
    assert articles.set_index("source_path").body["no_footer.txt"] == "바뀐 기사입니다."
    assert articles.set_index("source_path").body["zz_new.txt"] == "새로 들어온 기사입니다."
    for name in ("segments", "tokens", "removed", "quotes"):
        ids = set(pd.read_parquet(out / f"{name}.parquet").doc_id)
        assert ids <= set(articles.doc_id), name
    # Only the batches that changed were made: not the untouched ones.
    assert (
        stages["tokenize"]["batches_run"]
        < stages["tokenize"]["batches_run"] + stages["tokenize"]["batches_skipped"]
    )


def test_a_touched_but_identical_file_changes_nothing(
    run_cli, raw: Path, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    path = raw / "no_footer.txt"
    os.utime(path, (1, 1))
    stages = _run(run_cli, raw, out, config)
    assert stages["ingest"]["documents"]["unchanged"] == 5
    assert stages["tokenize"]["batches_run"] == 0


def test_a_setting_reruns_its_stage_and_those_after_it_only(
    run_cli, raw: Path, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    before = _articles(out)
    config.write_text(config.read_text() + "[detect]\ndoc_share = 0.7\n")
    stages = _run(run_cli, raw, out, config)
    assert stages["ingest"]["batches_run"] == 0
    assert all(stages[s]["batches_run"] == 3 for s in ("detect", "tokenize", "strip", "export"))
    pd.testing.assert_frame_equal(before, _articles(out))


def test_a_rule_pack_change_reruns_detect_onwards(
    run_cli, raw: Path, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    pack = tmp_path / "channels" / "kbs.toml"
    pack.write_text(pack.read_text() + "\n# a comment is a change of the pack\n")
    stages = _run(run_cli, raw, out, config)
    assert stages["ingest"]["batches_run"] == 0
    assert stages["detect"]["batches_run"] == 3 and stages["export"]["batches_run"] == 3


def test_outputs_hold_no_stale_parts_after_garbage_collection(
    run_cli, raw: Path, config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    (raw / "no_footer.txt").unlink()
    _run(run_cli, raw, out, config)
    _run(run_cli, raw, out, config)
    parts = list((out / ".state" / "parts" / "tokens").glob("*/*.parquet"))
    assert len(parts) == len(list((out / "tokens.parquet").iterdir()))
    assert len(list((out / ".versions").iterdir())) == 2


def test_status_lists_runs_and_datasets(run_cli, raw: Path, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(run_cli, raw, out, config)
    _run(run_cli, raw, out, config)
    code, text, _ = run_cli("status", "--out", out)
    assert code == 0
    assert text.count(" ok ") == 2 and "5 files, 0 new" in text
    assert "articles" in text and "tokens" in text
    code, text, _ = run_cli("status", "--out", out, "--json")
    data = json.loads(text)
    assert data["datasets"]["articles"]["rows"] == 5
    assert [r["status"] for r in data["runs"]] == ["ok", "ok"]


def test_json_logs_are_one_event_a_line(run_cli, raw: Path, config: Path, tmp_path: Path) -> None:
    code, _, err = run_cli(
        "run", "--raw", raw, "--out", tmp_path / "out", "--config", config, "--log-format", "json"
    )
    assert code == 0
    events = [json.loads(line) for line in err.splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end"
    stage = next(e for e in events if e.get("stage") == "tokenize")
    assert stage["batches_run"] == 3 and stage["rows"]["tokens"] > 0
    code, _, err = run_cli("run", "--stage", "nope", "--log-format", "json")
    assert code == 2 and json.loads(err.splitlines()[-1])["event"] == "error"
