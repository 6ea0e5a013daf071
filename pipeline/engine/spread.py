"""A corpus stage's pure work over this machine's cores, without sending it what it reads.

A corpus stage runs in the runner's process (it holds the corpus's index). Where its work is a
pure function over many independent items (pair links each English article against the index),
`spread` forks processes that share the runner's memory copy-on-write: the index is not pickled
to them; only the items' positions go out and the results come back. The results are those of
one process, in the items' order, whatever the number of processes.

The items go out in runs of neighbours (several runs a process, handed out as processes free
up): a caller that orders its items so that neighbours read the same things (pair: English
articles by date, whose candidates are the Korean documents of the same days) has each process
make what it reads for fewer items than round robin would.

The work runs with the cyclic collector paused (pipeline/collector.py): a pure function's
objects form no cycles, and in a forked process each full pass would also visit, and copy, every
object inherited from the runner. (Linking the English articles of the 20,000-document benchmark
spent a tenth of its time in the collector.)
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pipeline.collector import paused_gc

T = TypeVar("T")
R = TypeVar("R")

# What the forked processes inherit: the function and the items (set only around a fork).
_work: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None


def spread(fn: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """[fn(x) for x in items], on up to `processes` forked processes (in this one where there is
    one process, fewer than two items, or no fork on this platform). An exception in fn is
    raised here."""
    processes = min(processes, len(items))
    if processes <= 1 or "fork" not in mp.get_all_start_methods():
        with paused_gc():
            return [fn(x) for x in items]
    global _work
    runs = min(len(items), processes * _RUNS)
    _work = (fn, items, runs)
    try:
        with mp.get_context("fork").Pool(processes) as pool:
            shares = pool.map(_share, range(runs), chunksize=1)
    finally:
        _work = None
    return [result for share in shares for result in share]


_RUNS = 4  # runs of items a process, so that one slow run does not keep the others waiting


def _bounds(k: int, runs: int, n: int) -> range:
    """The positions of the k-th of `runs` runs of n items, as equal as they come."""
    return range(k * n // runs, (k + 1) * n // runs)


def _share(k: int) -> list[Any]:
    """In a forked process: fn over the k-th run of the items."""
    assert _work is not None, "spread's work is inherited through fork"
    fn, items, runs = _work
    with paused_gc():
        return [fn(items[i]) for i in _bounds(k, runs, len(items))]
