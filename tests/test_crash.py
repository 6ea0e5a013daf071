"""kill -9 at several points of a run, then a plain rerun: exactly the rows of an uninterrupted run.

Runs the real entry point in subprocesses. The kill times are spread over the run (start-up, Kiwi
loading, batches, publishing); wherever each lands, the rerun must give the same datasets.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.rules.pack import BUILTIN
from tests.conftest import FIXTURES, ROOT, published


def _corpus(raw: Path, n: int = 36) -> None:
    sources = sorted((FIXTURES / "golden").glob("*.txt"))
    for i in range(n):
        text = sources[i % len(sources)].read_text()
        (raw / f"doc_{i:03d}.txt").write_text(f"{i}번째 기사: 오늘의 소식입니다.\n{text}")
    (raw / "empty.txt").write_text("")


def _command(raw: Path, out: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
            "--config", str(config), "-q"]  # fmt: skip


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, pd.DataFrame]]:
    base = tmp_path_factory.mktemp("crash")
    raw = base / "raw"
    raw.mkdir()
    _corpus(raw)
    shutil.copytree(BUILTIN, base / "channels")
    config = base / "pipeline.toml"
    config.write_text(
        '[pipeline]\nbatch_docs = 3\n[tokenize]\nthreads = 1\n[strip]\nchannels = "channels"\n'
    )
    subprocess.run(_command(raw, base / "reference", config), check=True, cwd=ROOT, timeout=600)
    return raw, config, published(base / "reference")


@pytest.mark.parametrize("delay", [0.3, 1.2, 2.0, 3.0, 4.5])
def test_kill_then_rerun_gives_the_uninterrupted_rows(setup, tmp_path: Path, delay: float) -> None:
    raw, config, reference = setup
    out = tmp_path / "out"
    proc = subprocess.Popen(_command(raw, out, config), cwd=ROOT, stderr=subprocess.PIPE)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=600)
    proc.stderr.close()
    rerun = subprocess.run(
        _command(raw, out, config), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    got = published(out)
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    assert not list(out.rglob(".*.tmp"))


def test_a_reader_during_a_run_sees_the_old_or_the_new_version(setup, tmp_path: Path) -> None:
    raw, config, reference = setup
    out = tmp_path / "out"
    subprocess.run(_command(raw, out, config), check=True, cwd=ROOT, timeout=600)
    old = set(reference["articles"].doc_id)
    original = (raw / "doc_000.txt").read_text()
    (raw / "doc_000.txt").write_text("이번에 고친 기사입니다.\n")
    try:
        proc = subprocess.Popen(_command(raw, out, config), cwd=ROOT)
        seen = []
        while proc.poll() is None or not seen:
            try:
                ids = set(pd.read_parquet(out / "articles.parquet", columns=["doc_id"]).doc_id)
            except FileNotFoundError:  # listed in the moment of a publish: read again
                continue
            seen.append(ids)
        proc.wait(timeout=600)
        new = set(pd.read_parquet(out / "articles.parquet", columns=["doc_id"]).doc_id)
        assert new != old and len(new) == len(old)
        assert all(ids in (old, new) for ids in seen)
    finally:
        (raw / "doc_000.txt").write_text(original)


def test_a_second_run_exits_at_once_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from pipeline.lock import RunLock\n"
         f"with RunLock(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", "--raw", str(FIXTURES / "golden"), "--out", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 3
        assert done.stderr.strip().startswith(
            f"Error: {out} is locked by the run of pid {holder.pid} on "
        )
    finally:
        holder.kill()
        holder.wait()
    # The holder died without letting go; its lock file is still there, and is taken over.
    assert (out / ".newspipe.lock").read_text().startswith(f"pid {holder.pid}")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(FIXTURES / "golden"), "--out", str(out), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
