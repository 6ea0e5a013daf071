"""Run batches on a Dask cluster (dask.distributed): the same `run_batch`, one task per batch.

Workers read and write the output folder themselves, so --raw, --out and the config must be at
the same path on every machine (a shared file system). Each worker process builds its Kiwi once,
through the per-process cache in pipeline.stages.tokenize, and reuses it for every task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

from pipeline.catalog import Batch
from pipeline.engine.protocol import BatchJob, BatchResult
from pipeline.engine.worker import run_batch
from pipeline.errors import UsageError

log = logging.getLogger(__name__)


def quiet_for_shutdown(dask_worker: Any) -> None:
    """Run on each worker of the run's own cluster once every result is in.

    A worker whose heartbeat is in flight while the cluster shuts down logs the closed comm with a
    traceback (dask/distributed#7105): noise, printed by the worker process itself, so the runner's
    log level cannot reach it. The heartbeat stops, and the worker logs only what is critical.
    """
    dask_worker.periodic_callbacks["heartbeat"].stop()
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


class DaskEngine:
    """Batches as tasks on a scheduler at an address, or on a LocalCluster started for the run."""

    kiwi_threads = 1  # one task per worker thread, one Kiwi thread per task
    shares_warm_up = False  # each worker process loads its own, with its first task
    corpus_processes = 1  # the cluster's cores are not the runner's

    def __init__(self, scheduler: str | None, workers: int | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--engine dask needs Dask: pip install '.[dask]'") from None
        self._cluster: Any = None
        # Dask's own loggers say INFO by default, past --quiet: the scheduler's and the client's
        # chatter (addresses, plugins, connections) would fill the run's log. Warnings still show.
        self._distributed = logging.getLogger("distributed")
        self._level = self._distributed.level
        self._distributed.setLevel(max(logging.WARNING, self._level))
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            from pipeline.engine.choose import cores

            self._cluster = LocalCluster(
                n_workers=workers or cores(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.WARNING,
            )
            self.client = Client(self._cluster)
        log.info("dask: %s", self.client)

    def warm_up(self, job: BatchJob) -> None:
        pass

    def run(self, job: BatchJob, batches: list[Batch]) -> Iterator[BatchResult]:
        futures = self.client.map(run_batch, [job] * len(batches), batches, pure=False)
        for future in futures:  # in batch order, as the local engines
            yield future.result()

    def close(self) -> None:
        # Comms that close while the cluster shuts down are logged with tracebacks: noise, as
        # every result is in by now. A user's own scheduler and workers outlive the run: only the
        # client closes there, and their workers are left as they were.
        self._distributed.setLevel(logging.CRITICAL)
        try:
            if self._cluster is not None:
                with suppress(OSError, TimeoutError):  # a lost worker has nothing left to say
                    self.client.run(quiet_for_shutdown)
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
        finally:
            self._distributed.setLevel(self._level)
