"""spread: a corpus stage's pure work on forked processes gives what one process gives."""

from __future__ import annotations

import gc
import math
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.engine.spread import _SMALLEST, runs, spread

BIG = {n: n * n for n in range(10_000)}  # what the children read without its being sent


def _square_and_where(n: int) -> tuple[int, int]:
    return BIG[n], os.getpid()


@pytest.mark.parametrize("processes", [1, 2, 3, 8])
def test_results_in_order_whatever_the_processes(processes: int) -> None:
    items = list(range(0, 10_000, 7))
    got = spread(_square_and_where, items, processes)
    assert [value for value, _ in got] == [n * n for n in items]
    pids = {pid for _, pid in got}
    if processes == 1:
        assert pids == {os.getpid()}
    else:  # forked: each share runs in one of the pool's processes
        assert os.getpid() not in pids and len(pids) <= processes


def test_few_items_or_none() -> None:
    assert spread(_square_and_where, [], 4) == []
    assert spread(_square_and_where, [3], 4) == [(9, os.getpid())]


def test_a_closure_over_local_state_needs_no_pickling() -> None:
    index = {"a": 1, "b": 2}
    assert spread(lambda k: index[k] * 10, ["a", "b", "a"], 2) == [10, 20, 10]


def _fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def test_an_error_in_a_child_is_raised_here() -> None:
    with pytest.raises(ValueError, match="three"):
        spread(_fails_on_three, [1, 2, 3, 4], 2)


@given(st.integers(0, 20_000), st.integers(1, 16))
def test_the_runs_cover_the_items_once_in_order_and_shrink(n: int, processes: int) -> None:
    got = runs(n, processes)
    assert [i for run in got for i in run] == list(range(n))
    sizes = [len(run) for run in got]
    assert sizes == sorted(sizes, reverse=True)  # the processes finish together
    assert all(size >= _SMALLEST for size in sizes[:-1])
    if n >= 2 * processes * _SMALLEST:  # a process's first run is a share of the work, no more
        assert sizes[0] == -(-n // (2 * processes))
    # the runs shrink by a share of what is left: their number grows as the log of the items
    assert len(got) <= 2 * processes * (math.log(max(n, 1)) + 2)


def test_neighbours_go_to_one_process_in_runs() -> None:
    items = list(range(300))
    pids = [pid for _, pid in spread(_square_and_where, items, 2)]
    for run in runs(len(items), 2):  # a process does a whole run
        assert len({pids[i] for i in run}) == 1


@pytest.mark.parametrize("processes", [1, 2])
def test_the_work_runs_with_the_collector_paused_and_it_runs_again_after(processes: int) -> None:
    assert gc.isenabled()
    assert spread(_collecting, list(range(4)), processes) == [False] * 4
    assert gc.isenabled()


def _collecting(_: int) -> bool:
    return gc.isenabled()
