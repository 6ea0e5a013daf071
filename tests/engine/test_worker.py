"""The worker: each process warms up what the job's stages declare, and nothing else."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline import registry
from pipeline.config import Config
from pipeline.engine import BatchJob
from pipeline.engine.worker import warm


def test_warm_up_is_what_the_job_s_stages_declare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[str] = []
    stages = tuple(
        dataclasses.replace(s, warm=lambda ctx, name=s.name: loaded.append(name))
        if s.warm is not None else s
        for s in registry.STAGES
    )  # fmt: skip
    monkeypatch.setattr(registry, "STAGES", stages)
    job = BatchJob(
        raw=str(tmp_path), out=str(tmp_path / "out"), config=Config(path=tmp_path / "p.toml"),
        stages=("strip", "export"), fingerprints=(), force=False, kiwi_threads=1,
    )  # fmt: skip
    warm(job)
    assert loaded == []  # strip and export declare nothing
    warm(dataclasses.replace(job, stages=("detect", "tokenize", "strip")))
    assert loaded == ["detect", "tokenize"]


def test_only_tokenize_declares_a_model() -> None:
    assert [s.name for s in registry.STAGES if s.model] == ["tokenize"]
    assert [s.name for s in registry.STAGES if s.warm is not None] == ["detect", "tokenize"]
