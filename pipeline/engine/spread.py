"""A corpus stage's pure work over this machine's cores, without sending it what it reads.

A corpus stage runs in the runner's process (it holds the corpus's index). Where its work is a
pure function over many independent items (pair links each English article against the index),
`spread` forks processes that share the runner's memory copy-on-write: the index is not pickled
to them; only the items' positions go out and the results come back. The results are those of
one process, in the items' order, whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
        return [fn(x) for x in items]
    global _work
    _work = (fn, items, processes)
    try:
        with mp.get_context("fork").Pool(processes) as pool:
            shares = pool.map(_share, range(processes))
    finally:
        _work = None
    out: list[Any] = [None] * len(items)
    for k, share in enumerate(shares):
        out[k::processes] = share  # item i went to process i % processes
    return out


def _share(k: int) -> list[Any]:
    """In a forked process: fn over its share of the items, every `processes`-th from k."""
    assert _work is not None, "spread's work is inherited through fork"
    fn, items, processes = _work
    return [fn(items[i]) for i in range(k, len(items), processes)]
