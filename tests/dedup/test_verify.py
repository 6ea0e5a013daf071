"""Copies verify, and reports of the same event that share a quote or numbers do not."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedup import DedupIndex, Doc
from pipeline.dedup.cluster import cluster
from pipeline.dedup.text import shingle
from pipeline.dedup.verify import UNTUNED, Params, Verdict, overlap, verify
from tests.dedup import texts as t


def relation(a: str, b: str, params: Params | None = None) -> str | None:
    return verify(shingle(a), shingle(b), params or Params()).relation


@pytest.mark.parametrize(
    ("copy", "expected"),
    [(t.PORTAL_COPY, "near"), (t.PREVIEW, "contained"), (t.EN_UPDATE, "near")],
    ids=["portal copy with written endings", "truncated preview", "wire update"],
)
def test_copies_verify(copy: str, expected: str) -> None:
    original = t.EN_FIRST if copy is t.EN_UPDATE else t.ORIGINAL
    assert relation(original, copy) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (t.ORIGINAL, t.RETOLD),
        (t.PORTAL_COPY, t.RETOLD),
        (t.ORIGINAL, t.FLASH),
        (t.RETOLD, t.FLASH),
        (t.MARKET_MONDAY, t.MARKET_TUESDAY),
        (t.EN_UPDATE, t.EN_OTHER),
    ],
    ids=["retold", "retold vs portal", "quote flash", "flash vs retold", "market", "english"],
)
def test_hard_negatives_do_not_verify(a: str, b: str) -> None:
    assert relation(a, b) is None


def test_a_flash_of_mostly_quotation_needs_more_than_containment() -> None:
    # the untuned rule has no narration test: it is what lets this flash in
    verdict = verify(shingle(t.ORIGINAL), shingle(t.FLASH), Params())
    assert verdict.containment >= Params().containment and verdict.relation is None


def test_the_untuned_rule_finds_a_preview_and_rejects_a_retelling() -> None:
    assert relation(t.ORIGINAL, t.PREVIEW, UNTUNED) == "contained"
    assert relation(t.ORIGINAL, t.RETOLD, UNTUNED) is None


def test_empty_bodies_are_never_copies() -> None:
    assert verify(shingle(""), shingle(""), Params(), same_text=True).relation is None


def test_bands_times_rows_must_be_the_permutations() -> None:
    with pytest.raises(ValueError, match="bands × rows"):
        Params(num_perm=32, bands=6, rows=4)


DAY = dt.date(2025, 3, 4)


def test_the_representative_is_the_earliest_then_the_smallest_id() -> None:
    """Relations and similarities are to the representative; an undated copy comes last."""
    index = DedupIndex()
    index.add(
        [
            Doc("c", t.ORIGINAL, DAY, "ko"),
            Doc("b", t.PORTAL_COPY, DAY + dt.timedelta(1), "ko"),
            Doc("a", t.PREVIEW, None, "ko"),
            Doc("z", t.EXACT_COPY, DAY, "ko"),
            Doc("r", t.RETOLD, DAY - dt.timedelta(3), "ko"),
            Doc("f", t.FLASH, DAY - dt.timedelta(3), "ko"),
        ]
    )
    got = index.assignments()
    assert {d for d, a in got.items() if a.cluster_id == "c"} == {"a", "b", "c", "z"}
    assert got["c"].representative and got["c"].relation is None and got["c"].similarity == 1.0
    assert got["z"].relation == "exact" and got["z"].similarity == 1.0
    assert got["a"].relation == "contained"
    assert got["b"].relation == "near" and 0.5 < got["b"].similarity < 1
    assert got["r"].cluster_id == "r" and got["f"].cluster_id == "f"


def test_a_document_does_not_chain_two_reports_together() -> None:
    # b copies a, c copies b, but c shares nothing with a: c joins only if it copies the
    # representative or most of the cluster
    near = Verdict(0.6, 0.8, 0.8, "near")
    dates = {"a": DAY, "b": DAY, "c": DAY}
    chained = cluster(dates, {("a", "b"): near, ("b", "c"): near})
    assert chained["a"].cluster_id == chained["b"].cluster_id == "a"
    assert chained["c"].cluster_id == "c"
    both = cluster(dates, {("a", "b"): near, ("b", "c"): near, ("a", "c"): near})
    assert {a.cluster_id for a in both.values()} == {"a"}


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.integers(0, 2**32 - 1), max_size=60),
    st.sets(st.integers(0, 2**32 - 1), max_size=60),
    st.sets(st.integers(0, 2**32 - 1), max_size=20),
)
def test_overlap_counts_the_shared_values(a: set, b: set, shared: set) -> None:
    left = np.array(sorted(a | shared), dtype=np.uint32)
    right = np.array(sorted(b | shared), dtype=np.uint32)
    assert overlap(left, right) == len((a | shared) & (b | shared))


@pytest.mark.parametrize(
    "pair",
    [
        (t.ORIGINAL, t.PORTAL_COPY),
        (t.ORIGINAL, t.PREVIEW),
        (t.ORIGINAL, t.RETOLD),
        (t.ORIGINAL, t.FLASH),
        (t.MARKET_MONDAY, t.MARKET_TUESDAY),
    ],
)
def test_the_index_s_short_verdict_is_the_full_one_where_it_is_kept(pair: tuple) -> None:
    a, b = (shingle(text) for text in pair)
    full = verify(a, b, Params())
    short = verify(a, b, Params(), explain=False)
    assert short.relation == full.relation
    assert (short.jaccard, short.containment) == (full.jaccard, full.containment)
    if full.relation is not None:
        assert short == full
