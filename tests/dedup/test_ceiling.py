"""The ceiling on two documents' shared shingles is never below the exact overlap, so the pairs
it drops are never copies; and it drops unrelated reports that share a stock line."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedup.ceiling import bitmaps, ceilings, may_be_copies
from pipeline.dedup.text import shingle
from pipeline.dedup.verify import UNTUNED, Params, overlap, verify
from tests.dedup import texts as t

GRAMS = st.sets(st.integers(0, 2**32 - 1), max_size=80)


def _ceiling(a: np.ndarray, b: np.ndarray, bits: int) -> int:
    maps, spare = bitmaps([a, b], bits)
    sizes = np.array([len(a), len(b)], dtype=np.int64)
    return int(ceilings(np.array([[0, 1]]), sizes, maps, spare)[0])


@settings(max_examples=300, deadline=None)
@given(GRAMS, GRAMS, GRAMS, st.sampled_from([2, 5, 6, 8, 13]))
def test_the_ceiling_is_never_below_the_overlap(a: set, b: set, shared: set, bits: int) -> None:
    # few bits: many shingles share a bucket, of one document and of both
    left = np.array(sorted(a | shared), dtype=np.uint32)
    right = np.array(sorted(b | shared), dtype=np.uint32)
    exact = overlap(left, right)
    assert exact <= _ceiling(left, right, bits) <= min(len(left), len(right))


def test_the_ceiling_is_exact_where_no_bucket_is_shared_by_chance() -> None:
    left = np.array([0, 1 << 20, 2 << 20, 3 << 20], dtype=np.uint32)
    right = np.array([1 << 20, 3 << 20, 9 << 20], dtype=np.uint32)
    assert _ceiling(left, right, 13) == overlap(left, right) == 2


@settings(max_examples=300, deadline=None)
@given(GRAMS, GRAMS, GRAMS, st.sampled_from([Params(), UNTUNED]), st.sampled_from([4, 8, 13]))
def test_a_pair_the_ceiling_drops_never_verifies(
    a: set, b: set, shared: set, params: Params, bits: int
) -> None:
    first = np.array(sorted(a | shared), dtype=np.uint32)
    second = np.array(sorted(b | shared), dtype=np.uint32)
    sizes = np.array([len(first), len(second)], dtype=np.int64)
    ceiling = np.array([_ceiling(first, second, bits)])
    if not may_be_copies(np.array([[0, 1]]), sizes, ceiling, params)[0]:
        blank = shingle("")
        one = type(blank)(first, first, [])  # all narration: the verdict by overlap alone
        two = type(blank)(second, second, [])
        assert verify(one, two, params).relation is None


def test_it_drops_reports_that_share_a_stock_line_and_keeps_copies() -> None:
    texts = [t.ORIGINAL, t.PORTAL_COPY, t.PREVIEW, t.MARKET_MONDAY, t.MARKET_TUESDAY, t.RETOLD]
    grams = [shingle(text).grams for text in texts]
    sizes = np.array([len(g) for g in grams], dtype=np.int64)
    maps, spare = bitmaps(grams)
    pairs = np.array([[0, 1], [0, 2], [3, 4], [0, 5]])
    kept = may_be_copies(pairs, sizes, ceilings(pairs, sizes, maps, spare), Params())
    assert kept.tolist() == [True, True, False, False]
