"""How batches are executed: in this process, in a pool of local processes, or on Dask.

Every engine runs the same function, `run_batch(job, batch)`, which takes one batch through the
selected stages and writes its parts itself; only small counts travel back. A job is plain data,
so it pickles to any process or machine; each process builds its Context (config, rule packs)
and its Kiwi once, and reuses them for every batch it is given.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from pipeline.config import Config
from pipeline.context import Context
from pipeline.progress import Progress

T = TypeVar("T")
U = TypeVar("U")
# More work for the process that ran `work`, on its result, while the engine is still getting
# ready: it is given a `ready()` to poll and returns soon after ready() turns true.
Spare = Callable[[T, Callable[[], bool]], U]


@dataclass(frozen=True)
class BatchJob:
    """What a worker needs to run stages on batches: paths, names and fingerprints, no objects."""

    raw: str
    out: str
    config: Config  # the settings as the command line made them (a file, overrides, defaults)
    stages: tuple[str, ...]
    fingerprints: tuple[tuple[str, str], ...]
    force: bool
    kiwi_threads: int
    done: frozenset[tuple[str, str]] = frozenset()  # (stage, batch) made earlier in this run


# per stage: (ran, rows written per dataset, seconds)
BatchResult = dict[str, tuple[bool, dict[str, int], float]]


class Engine(Protocol):
    kiwi_threads: int  # Kiwi threads in each process that runs batches

    def prepare(
        self,
        job: BatchJob,
        work: Callable[[Progress], T],
        progress: Progress,
        spare: Spare[T, U] | None = None,
    ) -> tuple[T, U | None]:
        """work(progress), and meanwhile, where the engine can, get ready to run the job.

        Where work runs beside the engine's own preparation and ends first, spare(result,
        ready) uses the time that is left; its result comes back too (None where it did not run).
        """
        ...

    def run(self, job: BatchJob, batches: list[str]) -> Iterator[BatchResult]: ...

    def close(self) -> None: ...


@functools.lru_cache(maxsize=4)
def _context(raw: str, out: str, config: Config, kiwi_threads: int) -> Context:
    """One Context per process and job: the rule packs are read once."""
    return Context(Path(raw), Path(out), config, threads=kiwi_threads)


def run_batch(job: BatchJob, batch: str) -> BatchResult:
    """Run the job's stages on one batch, skipping those whose parts exist; tables are handed on."""
    from pipeline.registry import maker, stage

    ctx = _context(job.raw, job.out, job.config, job.kiwi_threads)
    fps = dict(job.fingerprints)
    catalog = ctx.catalog
    made: dict[str, pa.Table] = {}
    result: BatchResult = {}
    for name in job.stages:
        st = stage(name)
        made_already = (name, batch) in job.done or (
            not job.force and catalog.done(st, fps[name], batch)
        )
        if made_already:
            result[name] = (False, {}, 0.0)
            continue
        t0 = time.perf_counter()
        for d in st.reads:  # each input read once per batch, however many stages read it
            if d not in made:
                made[d] = catalog.read_part(d, fps[maker(d).name], batch)
        inputs = {d: made[d] for d in st.reads}
        assert st.batch is not None
        outputs = st.batch(ctx, inputs)
        rows = {d: catalog.write_part(d, fps[name], batch, t) for d, t in outputs.items()}
        made.update(outputs)
        result[name] = (True, rows, time.perf_counter() - t0)
    return result


class PrepareInline:
    """Engine.prepare for an engine with nothing to overlap: work runs here, spare never runs.

    The models load where the batches run, with the first of them.
    """

    def prepare(
        self,
        job: BatchJob,
        work: Callable[[Progress], T],
        progress: Progress,
        spare: Spare[T, U] | None = None,
    ) -> tuple[T, U | None]:
        return work(progress), None


class InProcess(PrepareInline):
    """Every batch in this process, one after another (Kiwi uses its own threads)."""

    def __init__(self, kiwi_threads: int = 0) -> None:
        self.kiwi_threads = kiwi_threads

    def run(self, job: BatchJob, batches: list[str]) -> Iterator[BatchResult]:
        for b in batches:
            yield run_batch(job, b)

    def close(self) -> None:
        pass


def warm(job: BatchJob) -> None:
    """Load what every batch needs (config, rule packs, Kiwi, spaCy, lemmas, language profiles)."""
    from pipeline.stages import detect, tokenize

    ctx = _context(job.raw, job.out, job.config, job.kiwi_threads)
    ctx.rules.prefilter  # noqa: B018  (built on first use)
    if "tokenize" in job.stages:
        tokenize.kiwi(tokenize.threads(job.kiwi_threads)).tokenize("준비")
        tokenize.english()("ready")
        tokenize.english_lemma("ready")
    if "detect" in job.stages:
        detect.warm()


def _worker_init(parent: int) -> None:
    """A pool worker: let go of the parent's run lock, and die with the parent (kill -9 too)."""
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


class LocalProcesses:
    """A pool of local processes, each with its own Kiwi, each writing its own parts."""

    def __init__(self, workers: int, kiwi_threads: int = 1) -> None:
        self.workers = workers
        self.kiwi_threads = kiwi_threads
        self._pool: Any = None

    def prepare(
        self,
        job: BatchJob,
        work: Callable[[Progress], T],
        progress: Progress,
        spare: Spare[T, U] | None = None,
    ) -> tuple[T, U | None]:
        """work in a forked child while this process loads the model its workers will share."""
        from pipeline.engine.beside import run_beside

        return run_beside(work, functools.partial(warm, job), progress, spare)

    def run(self, job: BatchJob, batches: list[str]) -> Iterator[BatchResult]:
        if self._pool is None:  # only when there is work: a run with nothing new forks nothing
            import multiprocessing as mp

            warm(job)  # loaded once here, shared by the forked workers (copy-on-write)
            self._pool = mp.get_context("fork").Pool(
                self.workers, initializer=_worker_init, initargs=(os.getpid(),)
            )
        yield from self._pool.imap(functools.partial(run_batch, job), batches, chunksize=1)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
