"""newspipe outside this checkout: built-in packs and defaults, a project's own packs, init."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.project import FILES, template
from pipeline.rules import load_rules
from tests.conftest import FIXTURES, ROOT

GOLDEN = FIXTURES / "golden"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the checkout, with no config file, as the working directory."""
    here = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(here)


def test_run_works_from_any_folder_with_no_config_file(run_cli, elsewhere: Path) -> None:
    code, _, err = run_cli("run", "--raw", GOLDEN, "--out", elsewhere / "out", "-q")
    assert code == 0, err
    articles = pd.read_parquet(elsewhere / "out" / "articles.parquet")
    assert len(articles) == 5 and "KBS" in set(articles.broadcaster)
    code, out, _ = run_cli("rules", "check")
    assert code == 0 and out.startswith("17 packs,")  # the built-in ones


def test_init_writes_a_starter_project_that_runs(run_cli, elsewhere: Path) -> None:
    code, out, _ = run_cli("init", "news")
    assert code == 0
    project = elsewhere / "news"
    for rel in FILES:
        assert (project / rel).is_file() and f"wrote {Path('news') / rel}" in out
    assert (project / "data" / "raw").is_dir() and (project / "data" / "processed").is_dir()
    # Every key is there, commented out with its default.
    settings = (project / "config" / "pipeline.toml").read_text(encoding="utf-8")
    for key in ("batch_docs", "max_bytes", "encodings", "hangul_weight", "threads",
                "channels", "packs", "detector"):  # fmt: skip
        assert f"# {key} = " in settings, key
    for path in GOLDEN.glob("*.txt"):
        shutil.copy(path, project / "data" / "raw")
    os.chdir(project)
    code, out, err = run_cli("rules", "check")
    assert code == 0 and out.startswith("18 packs,"), err  # the built-in ones and the example
    assert run_cli("run", "-q")[0] == 0
    assert len(pd.read_parquet(project / "data" / "processed" / "articles.parquet")) == 5
    code, _, err = run_cli("init", str(project))
    assert code == 2
    assert (
        err.strip()
        == f"Error: {project / 'config' / 'pipeline.toml'} exists; add --force to overwrite it"
    )
    assert run_cli("init", str(project), "--force")[0] == 0


def test_the_checkout_is_a_project_init_would_write() -> None:
    for rel, name in FILES.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == template(name), rel


def test_a_project_pack_adds_to_the_built_in_ones_and_replaces_one_by_its_name(
    tmp_path: Path,
) -> None:
    own = tmp_path / "packs"
    own.mkdir()
    shutil.copy(ROOT / "config" / "channels" / "example.toml", own / "yesi.toml")
    kbs = (ROOT / "pipeline" / "packs" / "kbs.toml").read_text(encoding="utf-8")
    # A pack of the project's own, under another file name, with the channel name KBS.
    mine = kbs.replace('id = "kbs_', 'id = "mykbs_')
    (own / "mykbs.toml").write_text(mine, encoding="utf-8")
    rules = load_rules(own)
    ids = [p.id for p in rules.packs]
    assert "yesi" in ids and "mykbs" in ids and "kbs" not in ids
    assert next(p for p in rules.packs if p.name == "KBS").path == own / "mykbs.toml"
    assert rules.digest != load_rules(None).digest


def test_packs_dir_on_the_command_line(run_cli, tmp_path: Path) -> None:
    own = tmp_path / "packs"
    own.mkdir()
    shutil.copy(ROOT / "config" / "channels" / "example.toml", own / "yesi.toml")
    code, out, _ = run_cli("rules", "check", "--packs-dir", own)
    assert code == 0 and out.startswith("18 packs,")
    code, _, err = run_cli("rules", "check", "--packs-dir", tmp_path / "missing")
    assert code == 2 and err.strip() == f"Error: rule pack folder {tmp_path / 'missing'} not found"
