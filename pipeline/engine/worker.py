"""What runs one batch in a process: the job's stages in order, parts read and written through
the catalog, and the warm-up each process does once (what the stages declare in the registry)."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pyarrow as pa

from pipeline.catalog import Batch
from pipeline.config import Config
from pipeline.context import Context
from pipeline.engine.protocol import BatchJob, BatchResult
from pipeline.fingerprints import of
from pipeline.registry import maker, stage


@functools.lru_cache(maxsize=4)
def _context(raw: str, out: str, config: Config, kiwi_threads: int) -> Context:
    """One Context per process and job: the rule packs are read once."""
    return Context(Path(raw), Path(out), config, threads=kiwi_threads)


def job_context(job: BatchJob) -> Context:
    return _context(job.raw, job.out, job.config, job.kiwi_threads)


def run_batch(job: BatchJob, batch: Batch) -> BatchResult:
    """Run the job's stages on one batch, skipping those done; tables are handed on in memory."""
    ctx = job_context(job)
    fps = dict(job.fingerprints)
    catalog = ctx.catalog
    made: dict[str, pa.Table] = {}
    result: BatchResult = {}
    for name in job.stages:
        st = stage(name)
        fingerprint = of(fps, name, batch)
        made_already = (name, batch.id) in job.done or (
            not job.force and catalog.done(st, fingerprint, batch)
        )
        if made_already:
            result[name] = (False, {}, 0.0)
            continue
        t0 = time.perf_counter()
        for d in st.reads:  # each input read once per batch, however many stages read it
            if d not in made:
                made[d] = catalog.read_part(d, _known(of(fps, maker(d).name, batch)), batch)
        inputs = {d: made[d] for d in st.reads}
        assert st.batch is not None
        outputs = st.batch(ctx, inputs)
        rows = {d: catalog.write_part(d, _known(fingerprint), batch, t) for d, t in outputs.items()}
        made.update(outputs)
        result[name] = (True, rows, time.perf_counter() - t0)
    return result


def _known(fingerprint: str | None) -> str:
    # The runner sends a batch to a stage after a corpus stage only once it is marked.
    assert fingerprint is not None, "a batch without its corpus stage's mark"
    return fingerprint


def warm(job: BatchJob) -> None:
    """Load once in this process what the job's stages need: the rule packs, and each stage's
    declared warm-up (Kiwi, spaCy and lemmas for tokenize, language profiles for detect)."""
    ctx = job_context(job)
    ctx.rules.prefilter  # noqa: B018  (built on first use)
    for name in job.stages:
        declared = stage(name).warm
        if declared is not None:
            declared(ctx)


def worker_init(parent: int) -> None:
    """A forked worker: let go of the parent's run lock, and die with the parent (kill -9 too)."""
    import ctypes
    import signal

    from pipeline.lock import release_inherited

    release_inherited()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
