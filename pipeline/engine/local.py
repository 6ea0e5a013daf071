"""Run batches on this machine: in this process, or in a pool of forked local processes."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import Any

from pipeline.catalog import Batch
from pipeline.engine.protocol import BatchJob, BatchResult
from pipeline.engine.worker import run_batch, warm, worker_init


class InProcess:
    """Every batch in this process, one after another (Kiwi uses its own threads).

    The models load with the first batch that needs them: nothing to overlap.
    """

    shares_warm_up = False
    corpus_processes = 1

    def __init__(self, kiwi_threads: int = 0) -> None:
        self.kiwi_threads = kiwi_threads

    def warm_up(self, job: BatchJob) -> None:
        warm(job)

    def run(self, job: BatchJob, batches: list[Batch]) -> Iterator[BatchResult]:
        for b in batches:
            yield run_batch(job, b)

    def close(self) -> None:
        pass


class LocalProcesses:
    """A pool of local processes, each writing its own parts, all sharing the model loaded here.

    The pool is forked after `warm_up` (copy-on-write), so one Kiwi in memory serves every worker.
    """

    shares_warm_up = True

    def __init__(self, workers: int, kiwi_threads: int = 1) -> None:
        self.workers = workers
        self.corpus_processes = workers
        self.kiwi_threads = kiwi_threads
        self._pool: Any = None

    def warm_up(self, job: BatchJob) -> None:
        warm(job)

    def run(self, job: BatchJob, batches: list[Batch]) -> Iterator[BatchResult]:
        if self._pool is None:  # only when there is work: a run with nothing new forks nothing
            import multiprocessing as mp

            warm(job)  # once per process: a no-op where the first run's overlap did it already
            self._pool = mp.get_context("fork").Pool(
                self.workers, initializer=worker_init, initargs=(os.getpid(),)
            )
        yield from self._pool.imap(functools.partial(run_batch, job), batches, chunksize=1)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
