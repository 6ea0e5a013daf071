"""The seam for corpus-level stages: a Stage of kind corpus, registered between batch stages, is
called once a run with every live batch and its own folder under .state, after the stages
before it are done for every batch and before the stages after it run."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline import registry
from pipeline.catalog import Corpus
from pipeline.config import Config
from pipeline.context import Context
from pipeline.registry import Stage
from pipeline.runner import run_stages
from pipeline.runner.plan import fingerprints, steps
from tests.conftest import FIXTURES


def _with_counter(calls: list[dict[str, Any]]) -> tuple[Stage, ...]:
    """The registry with a corpus stage `count` between strip and shingle (writing nothing)."""

    def count(ctx: Context, corpus: Corpus) -> dict[str, int]:
        fps = fingerprints(ctx)
        docs = [d for _, t in corpus.read("documents", ["doc_id"]) for d in t["doc_id"].to_pylist()]
        calls.append({
            "batches": corpus.batches,
            "docs": docs,
            "index": corpus.index,
            "strip done": all(ctx.catalog.done(registry.stage("strip"), fps["strip"], b)
                              for b in corpus.batches),
            "export done": any(ctx.catalog.done(registry.stage("export"), fps["export"], b)
                               for b in corpus.batches),
        })  # fmt: skip
        return {"documents": len(docs)}

    counter = Stage("count", ("documents", "removed"), (), "counts the corpus", None,
                    lambda ctx: None, corpus=count)  # fmt: skip
    names = [s.name for s in registry.STAGES]
    at = names.index("shingle")
    return (*registry.STAGES[:at], counter, *registry.STAGES[at:])


def test_a_corpus_stage_is_its_own_step_between_batch_stages() -> None:
    calls: list[dict[str, Any]] = []
    stages = _with_counter(calls)
    kinds = ["ingest", "batch", "batch", "batch", "corpus", "batch", "batch", "corpus", "batch",
             "corpus"]  # fmt: skip
    assert [s.kind for s in stages] == kinds
    assert [[s.name for s in step] for step in steps(stages)] == [
        ["detect", "tokenize", "strip"],
        ["count"],
        ["shingle", "signal"],
        ["dedup"],
        ["export"],
        ["pair"],
    ]


def test_a_corpus_stage_reads_the_whole_corpus_once_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kiwi: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(registry, "STAGES", _with_counter(calls))
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "golden", raw, ignore=shutil.ignore_patterns("*.json"))
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml", batch_docs=2))
    report = run_stages(registry.STAGES, ctx)
    [call] = calls
    assert list(call["batches"]) == ctx.catalog.batches() and len(call["batches"]) > 1
    assert sorted(call["docs"]) == sorted(
        d for b in call["batches"] for d, _, _ in b.docs
    )  # every document of every batch
    assert call["index"] == tmp_path / "out" / ".state" / "count"
    assert call["strip done"] and not call["export done"]
    counted = next(s for s in report.stages if s.name == "count")
    assert counted.counts["documents"] == len(call["docs"]) and report.published
    # A rerun with nothing new still calls it: telling new from seen is the stage's own work.
    run_stages(registry.STAGES, ctx)
    assert len(calls) == 2 and calls[1]["docs"] == call["docs"]


def test_a_head_start_is_counted_once_when_a_corpus_stage_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the local pool a first run head-starts detect; the steps after the corpus stage do not
    count those batches again."""
    from pipeline.engine.local import LocalProcesses

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(registry, "STAGES", _with_counter(calls))
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "golden", raw, ignore=shutil.ignore_patterns("*.json"))
    config = Config(path=tmp_path / "pipeline.toml", batch_docs=1)
    ctx = Context(raw, tmp_path / "out", config, threads=1)
    engine = LocalProcesses(2, kiwi_threads=1)
    try:
        report = run_stages(registry.STAGES, ctx, engine=engine)
    finally:
        engine.close()
    batches = len(ctx.catalog.batches() or [])
    by_name = {s.name: s for s in report.stages}
    for name in ("detect", "tokenize", "strip", "export"):
        assert (by_name[name].batches_run, by_name[name].batches_skipped) == (batches, 0), name
    assert len(calls) == 1 and report.published
