"""A corpus stage's pure work over this machine's cores, without sending it what it reads.

A corpus stage runs in the runner's process (it holds the corpus's index). Where its work is a
pure function over many independent items (pair links each English article against the index),
`spread` forks processes that share the runner's memory copy-on-write: the index is not pickled
to them; only the items' positions go out and the results come back. The results are those of
one process, in the items' order, whatever the number of processes.

The items go out in runs of neighbours, handed out as processes free up: a caller that orders
its items so that neighbours read the same things (pair: English articles by date, whose
candidates are the Korean documents of the same days) has each process make what it reads for
fewer items than round robin would. The runs shrink as the work runs out (guided scheduling:
each a share of what is left), so the processes finish together: with equal runs, the last one
ran alone for up to a run's length (about a second of pair's linking at 20,000 documents), and
many small runs each made their candidates again.

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
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def spread(fn: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """[fn(x) for x in items], on up to `processes` forked processes (in this one where there is
    one process, fewer than two items, or no fork on this platform). An exception in fn is
    raised here."""
    processes = min(processes, len(items))
    if processes <= 1 or "fork" not in mp.get_all_start_methods():
        with paused_gc():
            return [fn(x) for x in items]
    global _work
    _work = (fn, items)
    try:
        with mp.get_context("fork").Pool(processes) as pool:
            shares = pool.map(_share, runs(len(items), processes), chunksize=1)
    finally:
        _work = None
    return [result for share in shares for result in share]


_SHARE = 2  # a run takes 1 / (_SHARE * processes) of the items left
_SMALLEST = 16  # items: a run no shorter (but the last)


def runs(n: int, processes: int) -> list[range]:
    """The positions of n items in runs, in order, each a share of those left (so the runs
    shrink: a process that takes the last one has little left to do alone), none under
    _SMALLEST items but the last."""
    out, start = [], 0
    while start < n:
        size = max(_SMALLEST, -(-(n - start) // (_SHARE * processes)))
        out.append(range(start, min(n, start + size)))
        start += size
    return out


def _share(run: range) -> list[Any]:
    """In a forked process: fn over a run of the items."""
    assert _work is not None, "spread's work is inherited through fork"
    fn, items = _work
    with paused_gc():
        return [fn(items[i]) for i in run]
