"""The run: ingest, then each step over the batches that are not done, then publish.

A part that exists is not made again (`Catalog.done`), so a run after a crash goes on where the
crash stopped, a run with nothing new does next to nothing, and a change to one stage's settings
reruns that stage and the ones after it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from pipeline import registry
from pipeline.catalog import Batch, Catalog
from pipeline.context import Context
from pipeline.engine.local import InProcess
from pipeline.engine.protocol import BatchJob, Engine
from pipeline.fingerprints import of
from pipeline.progress import Progress, Silent
from pipeline.registry import Stage, maker
from pipeline.runner import overlap
from pipeline.runner.corpus import run_corpus
from pipeline.runner.manifest import RunReport, StageReport, new_run_id
from pipeline.runner.plan import check_inputs, fingerprints, known_batches, marked, pending, steps
from pipeline.schemas import PUBLISHED

log = logging.getLogger("pipeline.runner")


def run_stages(
    stages: tuple[Stage, ...],
    ctx: Context,
    *,
    force: bool = False,
    report: RunReport | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Run the selected stages; export also publishes a new version of the user-facing datasets."""
    catalog = ctx.catalog
    progress = progress or Silent()
    report = report or RunReport(new_run_id(), time.time())
    catalog.clean_temporary()
    fps = fingerprints(ctx)
    reports = {s.name: StageReport(s.name) for s in stages}
    report.stages = list(reports.values())
    after = steps(stages)
    first = tuple(s.name for s in after[0]) if after and after[0][0].kind == "batch" else ()
    job = BatchJob(
        raw=str(ctx.raw), out=str(ctx.out), config=ctx.config, stages=first,
        fingerprints=tuple(fps.items()), force=force, kiwi_threads=ctx.threads,
    )  # fmt: skip
    engine = engine or InProcess()
    batches: list[Batch] | None = None
    started: overlap.HeadStarted = {}
    try:
        if stages[0].kind == "ingest":
            t0 = time.perf_counter()
            if force:
                catalog.write_ingest_state({})
            plan, started = overlap.ingest(ctx, fps["ingest"], job, engine, progress)
            done = frozenset((s, b) for b in started for s in started[b])
            job = dataclasses.replace(job, done=done)
            batches = plan.batches  # what ingest has just written: no need to read it back
            reports["ingest"].counts.update(plan.counts)
            reports["ingest"].batches_run = len(plan.new_batches)
            reports["ingest"].batches_skipped = len(plan.batches) - len(plan.new_batches)
            reports["ingest"].seconds = time.perf_counter() - t0
            _log_stage(reports["ingest"])
        if after and batches is None:
            batches = known_batches(ctx, after[0][0])
        batches = marked(ctx, batches or [])
        check_inputs(tuple(s for step in after for s in step), ctx, fps, batches)
        for step in after:
            if step[0].kind == "corpus":
                docs = sum(len(b) for b in batches)
                progress.phase(step[0].name, docs, "docs")
                batches = run_corpus(
                    step[0], ctx, fps, batches, reports[step[0].name], force,
                    processes=engine.corpus_processes,
                )  # fmt: skip
                progress.advance(docs)
            else:
                step_job = dataclasses.replace(job, stages=tuple(s.name for s in step))
                _run_batches(step, step_job, ctx, fps, batches, engine, progress, reports, started)
            for stage in step:
                _log_stage(reports[stage.name])
        if "export" in reports or "pair" in reports:
            _publish(ctx, fps, batches, report.run_id)
            report.published = True
    finally:
        report.ended = time.time()
    return report


def _run_batches(
    step: tuple[Stage, ...],
    job: BatchJob,
    ctx: Context,
    fps: dict[str, str],
    batches: list[Batch],
    engine: Engine,
    progress: Progress,
    reports: dict[str, StageReport],
    started: overlap.HeadStarted,
) -> None:
    """Batch stages on the batches not done for them, through the engine; counts to the reports.

    A batch done for every stage of the step is not sent anywhere."""
    todo = batches if job.force else pending(step, ctx, fps, batches)
    for stage in step:
        reports[stage.name].batches_skipped += len(batches) - len(todo)
    progress.phase(" → ".join(s.name for s in step), sum(len(b) for b in todo), "docs")
    results = engine.run(job, todo) if todo else iter(())
    for batch, result in zip(todo, results, strict=True):
        progress.advance(len(batch))
        ahead = {k: v for k, v in started.get(batch.id, {}).items() if k in job.stages}
        for name, (ran, rows, seconds) in {**result, **ahead}.items():
            rep = reports[name]
            rep.batches_run += ran
            rep.batches_skipped += not ran
            rep.rows.update(rows)
            rep.seconds += seconds


def _log_stage(rep: StageReport) -> None:
    what = ", ".join(f"{k} {v}" for k, v in {**rep.counts, **rep.rows}.items())
    log.info(
        "%s: %s batches run, %s up to date%s in %.1f s",
        rep.name,
        rep.batches_run,
        rep.batches_skipped,
        f"; {what}" if what else "",
        rep.seconds,
        extra={
            "event": "stage",
            "stage": rep.name,
            "batches_run": rep.batches_run,
            "batches_skipped": rep.batches_skipped,
            "rows": dict(rep.rows),
            "counts": dict(rep.counts),
            "seconds": round(rep.seconds, 3),
        },
    )


def _publish(ctx: Context, fps: dict[str, str], batches: list[Batch], run_id: str) -> None:
    """A new version of the published datasets from the live batches' parts; the rest is garbage.

    A dataset whose stage is not done for every batch (pair's, after a run --to export) is
    published empty, with a line in the log, rather than from some of the batches."""
    catalog = ctx.catalog
    parts: dict[str, Iterable[Path]] = {}
    missing = []
    for public, work in PUBLISHED.items():
        if work == "quarantine":
            continue
        paths = [_part(catalog, fps, work, b) for b in batches]
        if all(p is not None and p.is_file() for p in paths):
            parts[public] = [p for p in paths if p is not None]
        else:
            missing.append(public)
    if missing:
        log.warning(
            "%s published empty: the %s stage has not run on every batch",
            " and ".join(missing),
            " and ".join(dict.fromkeys(maker(PUBLISHED[m]).name for m in missing)),
        )
    catalog.publish(run_id, parts, {"quarantine": catalog.whole("quarantine")})
    live: set[Path] = set()
    for stage in registry.STAGES:
        for name in stage.writes:
            if name != "quarantine":
                live.update(p for b in batches if (p := _part(catalog, fps, name, b)) is not None)
    catalog.collect_garbage(live)
    log.info("published %s", run_id, extra={"event": "publish", "run_id": run_id})


def _part(catalog: Catalog, fps: dict[str, str], dataset: str, batch: Batch) -> Path | None:
    """A batch's part of a dataset; None where a corpus stage at or before its maker has not
    marked the batch (pair's datasets after a run --to export)."""
    fingerprint = of(fps, maker(dataset).name, batch)
    return None if fingerprint is None else catalog.part(dataset, fingerprint, batch)
