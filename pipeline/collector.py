"""The cyclic garbage collector paused around work that makes many objects and no cycles.

Python's collector runs after every 700 new container objects, and a full pass visits every
object alive: work that makes millions of tuples, sets and small records (clustering's pairs,
pairing's documents and alignments) spends a tenth to two fifths of its time there, to find no
garbage that reference counting has not already freed. Such work runs with it paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector paused (and enabled again after, if it was)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
