"""The built wheel, installed in a fresh virtual environment outside the checkout, works alone.

`python -m build` makes the wheel; it is installed with the versions constraints.txt pins (pip
finds them in its cache when the project's own environment was made first), and run in a folder
of its own on files the test writes: it gives the articles a run in the checkout gives, and a
project made by `newspipe init` runs too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES, ROOT, SHARED

SEED = SHARED / "seed" / "kbs_2025-04-28_north-korea-troops.txt"


def _call(*args: object, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=1800
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment with the built wheel installed."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to build from a clean copy")
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy of the project's own files (committed or not, never ignored ones), so a
    # stale build/ or a venv in the checkout cannot slip into the wheel.
    listed = _call("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    source = work / "source"
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = work / "dist"
    _call(sys.executable, "-m", "build", "--wheel", "--outdir", dist, source, cwd=work)
    [wheel] = dist.glob("newspipe-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    _call(bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "-c", ROOT / "constraints.txt", wheel, cwd=work)  # fmt: skip
    return bin_dir


def _raw(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in (FIXTURES / "golden").glob("*.txt"):
        shutil.copy(path, folder)
    if SEED.is_file():
        shutil.copy(SEED, folder)
    return folder


def _articles(out: Path) -> pd.DataFrame:
    frame = pd.read_parquet(out / "articles.parquet")
    return frame.sort_values("doc_id").reset_index(drop=True)


def test_the_wheel_holds_the_packs_and_runs_outside_the_checkout(
    installed: Path, tmp_path: Path, run_cli
) -> None:
    outside = tmp_path / "elsewhere"
    raw = _raw(outside / "news")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _call(installed / "newspipe", "run", "--raw", raw, "--out", outside / "clean", "-q",
          cwd=outside, env=env)  # fmt: skip
    # The checkout's run on the same files, with the built-in settings (no config file).
    code, _, err = run_cli("run", "--raw", raw, "--out", tmp_path / "checkout", "-q",
                           "--config", ROOT / "pipeline" / "templates" / "pipeline.toml")  # fmt: skip
    assert code == 0, err
    theirs, ours = _articles(outside / "clean"), _articles(tmp_path / "checkout")
    pd.testing.assert_frame_equal(theirs, ours)
    where = _call(installed / "python", "-c", "import pipeline; print(pipeline.__file__)",
                  cwd=outside, env=env)  # fmt: skip
    assert not where.strip().startswith(str(ROOT))


def test_init_then_run_with_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _call(installed / "newspipe", "init", "proj", cwd=tmp_path, env=env)
    project = tmp_path / "proj"
    _raw(project / "data" / "raw")
    out = _call(installed / "newspipe", "rules", "check", cwd=project, env=env)
    assert out.startswith("18 packs,")
    _call(installed / "newspipe", "run", "-q", cwd=project, env=env)
    assert len(_articles(project / "data" / "processed")) >= 5
