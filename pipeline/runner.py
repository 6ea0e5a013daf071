"""Run stages over the live batches: only what is missing, resumable, published atomically.

A stage's output for a batch is one part file named by the batch and by the stage's
*fingerprint*: a hash of what the output depends on (its settings, the rule packs, library
versions, the schemas) chained with the fingerprint of the stage before it. A part that exists is
not made again, so a run after a crash goes on where the crash stopped, a run with nothing new
does next to nothing, and a change to one stage's settings reruns that stage and the ones after.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.catalog import Batch
from pipeline.context import Context
from pipeline.engine import BatchJob, BatchResult, Engine, InProcess, run_batch
from pipeline.errors import MissingInputError
from pipeline.progress import Progress, Silent
from pipeline.registry import STAGES, Stage, maker, package_version
from pipeline.schemas import PUBLISHED, SCHEMA_DIGEST
from pipeline.stages import ingest
from pipeline.store import write_json

log = logging.getLogger(__name__)


@dataclass
class StageReport:
    name: str
    batches_run: int = 0
    batches_skipped: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class RunReport:
    run_id: str
    started: float
    stages: list[StageReport] = field(default_factory=list)
    published: bool = False
    ended: float = 0.0


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def fingerprints(ctx: Context) -> dict[str, str]:
    """Each stage's fingerprint, chained: a change reruns a stage and every stage after it."""
    chain = _digest(__version__, SCHEMA_DIGEST)
    result = {}
    for stage in STAGES:
        chain = _digest(chain, stage.name, stage.depends(ctx))
        result[stage.name] = chain
    return result


def new_run_id() -> str:
    """UTC time to the millisecond and the process id: sortable, and unique on one machine."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{stamp}.{int(now * 1000) % 1000:03d}Z-{os.getpid()}"


def _missing(stage: Stage, dataset: str) -> MissingInputError:
    by = maker(dataset).name
    return MissingInputError(
        f"{stage.name} needs {dataset}, which the stage {by} makes: run it first"
    )


def _batches(ctx: Context, first: Stage) -> list[Batch]:
    batches = ctx.catalog.batches()
    if batches is None:  # nothing was ever ingested: name what the first stage asked for needs
        raise _missing(first, first.reads[-1])
    return batches


def check_inputs(
    stages: tuple[Stage, ...], ctx: Context, fps: dict[str, str], batches: list[Batch]
) -> None:
    """Every dataset a stage reads is made by an earlier selected stage, or is there already."""
    made: set[str] = set()
    for stage in stages:
        for name in stage.reads:
            if name in made:
                continue
            producer = maker(name)
            if not all(ctx.catalog.done(producer, fps[producer.name], b) for b in batches):
                raise _missing(stage, name)
        made.update(stage.writes)


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
    batched = tuple(s for s in stages if s.batch is not None)
    job = BatchJob(
        raw=str(ctx.raw), out=str(ctx.out), config=ctx.config,
        stages=tuple(s.name for s in batched), fingerprints=tuple(fps.items()),
        force=force, kiwi_threads=ctx.threads,
    )  # fmt: skip
    engine = engine or InProcess()
    plan: ingest.Plan | None = None
    ahead: dict[str, BatchResult] = {}  # per batch, the stages the ingest process ran on it
    try:
        if stages[0].name == "ingest":
            t0 = time.perf_counter()
            if force:
                catalog.write_ingest_state({})
            plan, ahead = _ingest(ctx, fps["ingest"], job, engine, progress)
            job = dataclasses.replace(job, done=frozenset((s, b) for b in ahead for s in ahead[b]))
            reports["ingest"].counts.update(plan.counts)
            reports["ingest"].batches_run = len(plan.new_batches)
            reports["ingest"].batches_skipped = len(plan.batches) - len(plan.new_batches)
            reports["ingest"].seconds = time.perf_counter() - t0
            _log_stage(reports["ingest"])
        if not batched:
            batches = []
        elif plan is not None:  # what ingest has just written: no need to read it back
            batches = plan.batches
        else:
            batches = _batches(ctx, batched[0])
        check_inputs(batched, ctx, fps, batches)
        size = {b.id: len(b) for b in batches}
        ids = [b.id for b in batches if force or _has_work(batched, ctx, fps, b)]
        for stage in batched:  # batches with every part in place are not sent anywhere
            reports[stage.name].batches_skipped += len(batches) - len(ids)
        progress.phase(" → ".join(s.name for s in batched), sum(size[i] for i in ids), "docs")
        results = engine.run(job, ids) if ids else iter(())
        for batch_id, result in zip(ids, results, strict=True):
            progress.advance(size[batch_id])
            for name, (ran, rows, seconds) in {**result, **ahead.get(batch_id, {})}.items():
                rep = reports[name]
                rep.batches_run += ran
                rep.batches_skipped += not ran
                rep.rows.update(rows)
                rep.seconds += seconds
        for stage in batched:
            _log_stage(reports[stage.name])
        if "export" in reports:
            _publish(ctx, fps, batches, report.run_id)
            report.published = True
    finally:
        report.ended = time.time()
    return report


def _ingest(
    ctx: Context, fingerprint: str, job: BatchJob, engine: Engine, progress: Progress
) -> tuple[ingest.Plan, dict[str, BatchResult]]:
    """ingest's plan; a run that reads every file does so while the engine loads its models.

    Only a first run (or one after --force or a settings change) overlaps the two: a run that
    finds nothing new should not load a model it will not use. Ingest ends first: where detect
    runs next, the ingest process detects new batches until the engine is ready (detect needs
    no model), and says which.
    """
    ingest.check_raw(ctx)  # at once, not after the models have loaded
    state = ingest.last_state(ctx, fingerprint)  # read once: it lists every file of the corpus
    work = functools.partial(ingest.plan, ctx, fingerprint, state=state)
    if job.stages and not state:
        spare = functools.partial(_detect_ahead, job) if job.stages[0] == "detect" else None
        plan, ahead = engine.prepare(job, work, progress, spare)
        return plan, ahead or {}
    return work(progress), {}


def _detect_ahead(
    job: BatchJob, plan: ingest.Plan, ready: Callable[[], bool]
) -> dict[str, BatchResult]:
    """detect on the plan's new batches, one after another, until ready() says to stop."""
    alone = dataclasses.replace(job, stages=("detect",))
    done: dict[str, BatchResult] = {}
    for batch in plan.new_batches:
        if ready():
            break
        done[batch.id] = run_batch(alone, batch.id)
    return done


def _has_work(stages: tuple[Stage, ...], ctx: Context, fps: dict[str, str], batch: Batch) -> bool:
    return not all(ctx.catalog.done(s, fps[s.name], batch) for s in stages)


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
    catalog = ctx.catalog
    parts: dict[str, Iterable[Path]] = {}
    for public, work in PUBLISHED.items():
        if work == "quarantine":
            continue
        fp = fps[maker(work).name]
        parts[public] = [catalog.part(work, fp, b) for b in batches]
    catalog.publish(run_id, parts, {"quarantine": catalog.whole("quarantine")})
    live: set[Path] = set()
    for stage in STAGES:
        for name in stage.writes:
            if name != "quarantine":
                live.update(catalog.part(name, fps[stage.name], b) for b in batches)
    catalog.collect_garbage(live)
    log.info("published %s", run_id, extra={"event": "publish", "run_id": run_id})


def versions() -> dict[str, str]:
    packages = (
        "kiwipiepy",
        "kiwipiepy_model",
        "spacy",
        "simplemma",
        "langdetect",
        "pyarrow",
        "pandas",
    )
    return {"python": platform.python_version(), "newspipe": __version__} | {
        p: package_version(p) for p in packages
    }


def write_manifest(ctx: Context, report: RunReport, status: str, error: str | None = None) -> Path:
    """runs/<run id>.json: what the run did, stage by stage, and with what."""
    path = ctx.catalog.manifest(report.run_id)
    write_json(path, {
        "run_id": report.run_id,
        "status": status,
        "error": error,
        "started": _iso(report.started),
        "ended": _iso(report.ended or time.time()),
        "seconds": round((report.ended or time.time()) - report.started, 3),
        "raw": str(ctx.raw),
        "out": str(ctx.out),
        "published": report.published,
        "stages": {
            s.name: {"batches_run": s.batches_run, "batches_skipped": s.batches_skipped,
                     "rows_written": dict(s.rows), "documents": dict(s.counts),
                     "seconds": round(s.seconds, 3)}
            for s in report.stages
        },
        "versions": versions(),
        "config": {
            "path": str(ctx.config.path) if ctx.config.path else None,
            "sha256": ctx.config.digest,
            "packs": ctx.config.packs,
            "own_packs": str(ctx.config.channels_dir) if ctx.config.channels_dir else None,
            "detector": ctx.config.detector,
        },
        "rules": ctx.rules.digest,
        "fingerprints": fingerprints(ctx),
    })  # fmt: skip
    return path


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
