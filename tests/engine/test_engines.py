"""Every engine writes the same rows: in this process, a pool of local processes, Dask."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.rules.pack import BUILTIN
from tests.conftest import FIXTURES, ROOT, published


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The golden and variant fixtures, in batches of four documents."""
    base = tmp_path_factory.mktemp("engines")
    raw = base / "raw"
    shutil.copytree(FIXTURES / "variants", raw, ignore=shutil.ignore_patterns("*.json"))
    for path in (FIXTURES / "golden").glob("*.txt"):
        shutil.copy(path, raw / f"golden_{path.name}")
    shutil.copytree(BUILTIN, base / "channels")
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


def _detect_counts(out: Path) -> list[tuple[int, int]]:
    """(batches run, batches up to date) of detect, in each run's manifest, oldest first."""
    manifests = [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]
    return [
        (m["stages"]["detect"]["batches_run"], m["stages"]["detect"]["batches_skipped"])
        for m in manifests
    ]


def test_local_processes_write_the_same_rows(corpus, reference, tmp_path: Path) -> None:
    raw, config = corpus
    batches = -(-len(list(raw.glob("*.txt"))) // 4)
    got = _run(raw, config, tmp_path / "out", "--workers", "2")
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    # The ingest process detects batches while the parent loads Kiwi; --force redoes them so.
    again = _run(raw, config, tmp_path / "out", "--workers", "2", "--force")
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(again[name], frame, obj=name)
    assert _detect_counts(tmp_path / "out") == [(batches, 0), (batches, 0)]


def test_dask_local_cluster_writes_the_same_rows(corpus, reference, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    raw, config = corpus
    got = _run(raw, config, tmp_path / "out", "--engine", "dask", "--workers", "2")
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    assert len(reference["articles"]) == len(list(raw.glob("*.txt")))


def test_a_quiet_dask_run_prints_nothing(corpus, tmp_path: Path) -> None:
    """--quiet holds for Dask's own loggers too: no scheduler chatter, no shutdown tracebacks."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    raw, config = corpus
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(tmp_path),
         "--config", str(config), "-q", "--engine", "dask", "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout == "", done.stderr
    # (a worker's own warnings may still show on a slow machine: an event loop held by Kiwi's
    # loading, memory; those are worth seeing)
    assert "Traceback" not in done.stderr and " INFO " not in done.stderr, done.stderr


def test_the_run_s_own_dask_workers_go_quiet_before_the_cluster_closes() -> None:
    """The heartbeat that races the shutdown (dask/distributed#7105) stops first, in the worker."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from pipeline.engine.dask import DaskEngine, quiet_for_shutdown

    def state(dask_worker) -> tuple[bool, int]:
        import logging

        return (
            dask_worker.periodic_callbacks["heartbeat"].is_running(),
            logging.getLogger("distributed").level,
        )

    engine = DaskEngine(None, 1)
    try:
        assert [running for running, _ in engine.client.run(state).values()] == [True]
        engine.client.run(quiet_for_shutdown)
        assert list(engine.client.run(state).values()) == [(False, logging.CRITICAL)]
    finally:
        engine.close()


def test_engine_errors_are_one_line(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("run", "--raw", FIXTURES / "golden", "--out", tmp_path, "--workers", "0")
    assert code == 2 and err.strip() == "Error: --workers must be at least 1"
    code, _, err = run_cli(
        "run", "--raw", FIXTURES / "golden", "--out", tmp_path, "--scheduler", "tcp://x:1"
    )
    assert code == 2 and err.strip() == "Error: --scheduler needs --engine dask"


def test_a_stage_made_earlier_in_the_run_is_not_made_again_even_with_force(
    corpus, tmp_path: Path
) -> None:
    from pipeline.config import load_config
    from pipeline.context import Context
    from pipeline.engine import BatchJob
    from pipeline.engine.worker import run_batch
    from pipeline.runner import fingerprints

    raw, config = corpus
    _run(raw, config, tmp_path / "out", "--workers", "1")
    ctx = Context(raw, tmp_path / "out", load_config(config))
    batch = (ctx.catalog.batches() or [])[0]
    job = BatchJob(
        raw=str(raw), out=str(tmp_path / "out"), config=ctx.config, stages=("detect",),
        fingerprints=tuple(fingerprints(ctx).items()), force=True, kiwi_threads=1,
    )  # fmt: skip
    ran, rows, _ = run_batch(job, batch)["detect"]
    assert ran and rows["segments"] > 0
    done = dataclasses.replace(job, done=frozenset({("detect", batch.id)}))
    assert run_batch(done, batch) == {"detect": (False, {}, 0.0)}
