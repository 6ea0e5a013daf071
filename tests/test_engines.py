"""Every engine writes the same rows: in this process, a pool of local processes, Dask."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES, ROOT, published


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The golden and variant fixtures, in batches of four documents."""
    base = tmp_path_factory.mktemp("engines")
    raw = base / "raw"
    shutil.copytree(FIXTURES / "variants", raw, ignore=shutil.ignore_patterns("*.json"))
    for path in (FIXTURES / "golden").glob("*.txt"):
        shutil.copy(path, raw / f"golden_{path.name}")
    shutil.copytree(ROOT / "config" / "channels", base / "channels")
    config = base / "pipeline.toml"
    config.write_text('[pipeline]\nbatch_docs = 4\n[strip]\nchannels = "channels"\n')
    return raw, config


def _run(raw: Path, config: Path, out: Path, *engine: str) -> dict[str, pd.DataFrame]:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
         "--config", str(config), "-q", *engine],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return published(out)


@pytest.fixture(scope="module")
def reference(
    corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    raw, config = corpus
    return _run(raw, config, tmp_path_factory.mktemp("in-process"), "--workers", "1")


def test_local_processes_write_the_same_rows(corpus, reference, tmp_path: Path) -> None:
    raw, config = corpus
    got = _run(raw, config, tmp_path / "out", "--workers", "2")
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_dask_local_cluster_writes_the_same_rows(corpus, reference, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    raw, config = corpus
    got = _run(raw, config, tmp_path / "out", "--engine", "dask", "--workers", "2")
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    assert len(reference["articles"]) == len(list(raw.glob("*.txt")))


def test_engine_errors_are_one_line(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--raw", FIXTURES / "golden", "--out", tmp_path, "--workers", "0")
    assert code == 2 and err.strip() == "Error: --workers must be at least 1"
    code, _, err = run_cli(
        "run", "--raw", FIXTURES / "golden", "--out", tmp_path, "--scheduler", "tcp://x:1"
    )
    assert code == 2 and err.strip() == "Error: --scheduler needs --engine dask"
