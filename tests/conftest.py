"""Shared fixtures: one Kiwi, one rule set and one config per test session."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Config, load_config
from pipeline.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_shared = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared is absent")

# The published datasets, and the columns that order their rows.
KEYS = {
    "articles": ["doc_id"],
    "segments": ["doc_id", "seg_id"],
    "tokens": ["doc_id", "seg_id", "tok_id"],
    "sentences": ["doc_id", "seg_id", "sent_id"],
    "removed": ["doc_id", "start"],
    "duplicates": ["doc_id"],
    "pairs": ["en_doc_id"],
    "alignments": ["en_doc_id", "en_seg_id", "ko_seg_id"],
    "quarantine": ["source_path"],
}


def assert_section_documented(section: str, defaults: Any) -> None:
    """Every key of a config section (a dataclass of its defaults) is shown with its default in
    the template (config/pipeline.toml is the same file) and in the README's config reference."""
    template = (ROOT / "pipeline" / "templates" / "pipeline.toml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key, value in dataclasses.asdict(defaults).items():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        assert f"# {key} = {shown} " in template, key
        assert f"| `{section}.{key}` | {shown} |" in readme, key


def published(out: Path) -> dict[str, Any]:
    """Every published dataset of an output folder, rows in a fixed order (pandas frames)."""
    import pandas as pd

    return {
        name: pd.read_parquet(out / f"{name}.parquet").sort_values(keys).reset_index(drop=True)
        for name, keys in KEYS.items()
    }


def score_corpus(*extra: str) -> subprocess.CompletedProcess[str]:
    """../shared/tools/score_corpus.py on ../shared/corpus, with this checkout's newspipe."""
    return subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score_corpus.py"), str(SHARED / "corpus"),
         "--newspipe", f"{sys.executable} -m pipeline", *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(ROOT / "config" / "pipeline.toml")


@pytest.fixture(scope="session")
def rules(config: Config) -> RuleSet:
    return load_rules(config.channels_dir)


@pytest.fixture(scope="session")
def kiwi() -> Any:
    """The process's one Kiwi (the tokenize stage caches it; this loads it once, up front)."""
    from pipeline.stages.tokenize import kiwi

    return kiwi(2)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], kiwi: Any):
    """Run `newspipe ARGS` in this process; returns (exit status, stdout, stderr)."""
    from pipeline.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
