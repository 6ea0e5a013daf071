"""The line alignment: monotone, local, one Korean line for several English ones."""

from __future__ import annotations

import contextlib
import importlib
import random
import sys
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.pair.align import Alignment, _share, align, align_many, aligning, shared
from pipeline.pair.signals import Line

_ALIGN = importlib.import_module("pipeline.pair.align")


@contextlib.contextmanager
def _programme(name: str) -> Iterator[None]:
    """The programme `name` in force: numpy, or compiled (where numba is installed)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSPIPE_COMPILED", "1" if name == "compiled" else "0")
        _ALIGN._compiled.cache_clear()
        try:
            yield
        finally:
            _ALIGN._compiled.cache_clear()


@pytest.fixture(scope="module", autouse=True, params=["numpy", "compiled"])
def programme(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test of this module, with each programme (align.py's numpy rows, and
    compiled.py's loops where numba is installed)."""
    if request.param == "compiled":
        pytest.importorskip("numba")
    with _programme(request.param):
        assert (_ALIGN._compiled() is not None) == (request.param == "compiled")
        yield request.param


def _line(size: int, *signals: str, kind: str = "text", line: int = 0) -> Line:
    return Line(kind, frozenset(signals), frozenset(), size, line)


def _en(sizes: list[int], signals: dict[int, list[str]] | None = None) -> list[Line]:
    signals = signals or {}
    return [_line(s, *signals.get(i, []), line=i) for i, s in enumerate(sizes)]


def _pairs(al: Alignment) -> list[tuple[int, int]]:
    return [(lk.en, lk.ko) for lk in al.line_links]


def test_a_line_by_line_translation_aligns_one_to_one() -> None:
    ko = _en([30, 40, 25, 50, 35], {1: ["n:12000"], 3: ["p:김|gVngjVn"]})
    en = _en([90, 120, 75, 150, 105], {1: ["n:12000"], 3: ["p:김|gVngjVn"]})
    assert _pairs(align(en, ko)) == [(i, i) for i in range(5)]


def test_the_ends_are_not_forced_together() -> None:
    # the Korean text stops after three lines; the English runs on
    ko = _en([30, 40, 25], {0: ["n:263"], 2: ["n:4.28"]})
    en = _en([90, 120, 75, 150, 105, 60], {0: ["n:263"], 2: ["n:4.28"], 4: ["n:99"]})
    assert _pairs(align(en, ko)) == [(0, 0), (1, 1), (2, 2)]
    # the English stops after two lines, and starts with a headline the Korean has not got
    en = _en([20, 90, 120], {1: ["n:263"]})
    assert _pairs(align(en, ko))[:2] == [(1, 0), (2, 1)]


def test_one_korean_line_serves_two_english_lines() -> None:
    ko = _en([30, 60, 30], {0: ["n:1"], 1: ["n:7.7"], 2: ["n:26"]})
    en = _en([90, 80, 100, 90], {0: ["n:1"], 1: ["n:7.7"], 3: ["n:26"]})
    assert _pairs(align(en, ko)) == [(0, 0), (1, 1), (2, 1), (3, 2)]


def test_a_line_without_counterpart_is_left_out() -> None:
    ko = _en([30, 40, 30, 40], {0: ["n:11"], 1: ["n:22.5"], 2: ["n:33.5"], 3: ["n:44.5"]})
    en = _en([90, 120, 200, 90, 120], {0: ["n:11"], 1: ["n:22.5"], 3: ["n:33.5"], 4: ["n:44.5"]})
    assert _pairs(align(en, ko)) == [(0, 0), (1, 1), (3, 2), (4, 3)]


def test_markers_meet_markers_only() -> None:
    ko = [_line(2, kind="anchor", line=0), _line(30, "n:5.5", line=1),
          _line(3, kind="report", line=2), _line(30, line=3)]  # fmt: skip
    en = [_line(6, kind="anchor", line=0), _line(90, "n:5.5", line=1),
          _line(6, kind="report", line=2), _line(90, line=3)]  # fmt: skip
    assert _pairs(align(en, ko)) == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_alignment_is_monotone_and_evidence_counts_shared_signals_only() -> None:
    ko = _en([30, 40, 25, 50], {0: ["n:7.5"], 3: ["n:8.5"]})
    en = _en([150, 90, 120, 75], {0: ["n:8.5"], 3: ["n:7.5"]})  # the figures in reverse order
    al = align(en, ko)
    pairs = _pairs(al)
    assert pairs == sorted(pairs) and [k for _, k in pairs] == sorted(k for _, k in pairs)
    assert al.evidence <= 1.0  # only one of the two figures can be on the path
    assert align([], ko).line_links == () and align(en, []).evidence == 0


def _reference(en: list[Line], ko: list[Line]) -> Alignment:
    """The programme cell by cell, in plain Python: the reference that align(), a row at a
    time in numpy, must equal exactly (links, scores, span): on the grid its sums are exact."""
    import importlib
    import math

    module = importlib.import_module("pipeline.pair.align")
    n, m = len(en), len(ko)
    gains, share = module._gains(en, ko)
    g, two, neg = gains[:3].tolist(), gains[3].tolist(), -math.inf
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    reach = [[0.0] * (m + 1) for _ in range(n + 1)]
    way = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            top = neg
            for k in range(1, min(3, i) + 1):
                score = g[k - 1][i - 1][j - 1] + max(0.0, reach[i - k][j - 1])
                if score > top:
                    top, way[i, j] = score, k - 1
            if j >= 2 and two[i - 1][j - 1] + max(0.0, reach[i - 1][j - 2]) > top:
                top, way[i, j] = two[i - 1][j - 1] + max(0.0, reach[i - 1][j - 2]), 3
            best[i][j] = top
            reach[i][j] = max(top, reach[i - 1][j] - module._SKIP_EN,
                              reach[i][j - 1] - module._SKIP_KO)  # fmt: skip
    end, top = (0, 0), 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if best[i][j] > top:
                end, top = (i, j), best[i][j]
    return module._trace(end, top, np.array(best), np.array(reach), way.item, share, en, ko)


_KIND = st.sampled_from(["text", "text", "text", "quote", "anchor", "report", "foreign"])
_SIGNAL = st.sampled_from(["n:12000", "n:4.28", "n:7", "p:김|gVngjVn", "w:bVndV", "n:2025"])
_SPEAKER = st.sampled_from(["김|gVngjVn", "박|jVng"])
_LINES = st.lists(
    st.tuples(_KIND, st.sets(_SIGNAL, max_size=3), st.sets(_SPEAKER, max_size=1),
              st.integers(0, 400)),
    max_size=14,
)  # fmt: skip


def _lines(spec: list) -> list[Line]:
    return [Line(k, frozenset(s), frozenset(w), size, i) for i, (k, s, w, size) in enumerate(spec)]


@settings(max_examples=150, deadline=None)
@given(_LINES, _LINES)
def test_the_numpy_programme_equals_the_cell_by_cell_one(en: list, ko: list) -> None:
    a, b = _lines(en), _lines(ko)
    if a and b:
        assert align(a, b) == _reference(a, b)


@settings(max_examples=150, deadline=None)
@given(_LINES, st.lists(_LINES, max_size=4))
def test_texts_aligned_side_by_side_align_as_each_alone(en: list, kos: list) -> None:
    a, texts = _lines(en), [_lines(k) for k in kos]
    assert align_many(a, texts) == [align(a, b) for b in texts]


@settings(max_examples=100, deadline=None)
@given(_LINES, st.lists(_LINES, max_size=4), st.randoms(use_true_random=False))
def test_alignments_read_back_in_any_order_or_not_at_all_are_each_alone(
    en: list, kos: list, rng: random.Random
) -> None:
    # link reads back only those it scores, best ceiling first
    a, texts = _lines(en), [_lines(k) for k in kos]
    found = aligning(a, texts)
    assert len(found) == len(texts)
    some = rng.sample(range(len(texts)), rng.randint(0, len(texts)))
    assert [found[k]() for k in some] == [align(a, texts[k]) for k in some]


def test_many_texts_align_as_each_alone() -> None:
    # more than one programme holds (its values must stay on the grid)
    en = _en([90, 120, 75], {0: ["n:263"], 2: ["n:4.28"]})
    texts = [_en([30, 40 + k % 7, 25], {0: ["n:263"], k % 3: ["n:4.28"]}) for k in range(150)]
    assert align_many(en, texts) == [align(en, ko) for ko in texts]
    found = aligning(en, texts)
    assert [found[k]() for k in (149, 3, 64)] == [align(en, texts[k]) for k in (149, 3, 64)]


def test_no_link_reaches_across_two_texts_side_by_side() -> None:
    # English line 1 could stand for the last line of one text and the first of the next
    # (one English line for two Korean lines): in one programme, the second text's alignment
    # must not start from the first one's
    en = _en([90, 150], {0: ["n:111"], 1: ["n:222"]})
    one, two = _en([30], {0: ["n:111"]}), _en([50], {0: ["n:222"]})
    alone = [align(en, one), align(en, two)]
    assert align_many(en, [one, two]) == alone and _pairs(alone[1]) == [(1, 0)]


@settings(max_examples=150, deadline=None)
@given(_LINES, _LINES)
def test_the_shares_are_shared_of_every_pair_of_lines(en: list, ko: list) -> None:
    a, b = _lines(en), _lines(ko)
    share = _share(a, b)
    assert share.shape == (len(a), len(b))
    assert [[shared(x, y) for y in b] for x in a] == share.tolist()  # the same sums, exactly


def test_a_tie_goes_the_same_way_whatever_the_order_of_the_sums() -> None:
    # two Korean lines of one size and nothing shared fit English line 1 equally well, and
    # linking either leaves the other skipped: g + (r - skip) against (g + r) - skip. The sums
    # are exact on the grid, so the tie is a tie, and a link wins it over a skip (the later line)
    # (summed in floating point as they came, some of these went one way, some the other)
    for en_size, ko_size in ((120, 40), (120, 57), (67, 26), (95, 44), (95, 50)):
        ko = _en([30, ko_size, ko_size, 30], {0: ["n:11.5"], 3: ["n:33.5"]})
        en = _en([90, en_size, 90], {0: ["n:11.5"], 2: ["n:33.5"]})
        assert _pairs(align(en, ko)) == [(0, 0), (1, 2), (2, 3)], (en_size, ko_size)


def _line_links(al: Alignment, en: list[Line], ko: list[Line]) -> tuple:
    """The line links as first written: for each pair of body lines, the first link of the
    highest score, in the order of the pairs."""
    by_line: dict = {}
    for lk in al.links:
        key = (en[lk.en].line, ko[lk.ko].line)
        if key not in by_line or lk.score > by_line[key].score:
            by_line[key] = lk
    return tuple((*key, lk.score) for key, lk in sorted(by_line.items()))


@settings(max_examples=150, deadline=None)
@given(_LINES, _LINES, st.lists(st.booleans(), max_size=14))
def test_units_of_one_line_give_one_line_link(en: list, ko: list, cut: list) -> None:
    # a run-on Korean line cut in units: the units share its line number (cut[j]: unit j
    # continues the line before it)
    a, b = _lines(en), _lines(ko)
    line = 0
    for j, unit in enumerate(b):
        line += j > 0 and not (j < len(cut) and cut[j])
        b[j] = unit._replace(line=line)
    al = align(a, b)
    assert [(lk.en, lk.ko, lk.score) for lk in al.line_links] == list(_line_links(al, a, b))


_LONG_LINES = st.lists(
    st.tuples(_KIND, st.sets(_SIGNAL, max_size=3), st.sets(_SPEAKER, max_size=1),
              st.one_of(st.integers(0, 400), st.integers(0, 30_000))),
    max_size=14,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_LONG_LINES, st.lists(_LONG_LINES, max_size=4))
def test_the_compiled_programme_equals_the_numpy_one(en: list, kos: list) -> None:
    # every alignment, field by field, also for lines longer than the compiled loops' first
    # table of logarithms holds
    pytest.importorskip("numba")
    a, texts = _lines(en), [_lines(k) for k in kos]
    found = {}
    for name in ("numpy", "compiled"):
        with _programme(name):
            found[name] = align_many(a, texts)
    assert found["compiled"] == found["numpy"]


def test_without_numba_the_programme_runs_in_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba fails
    monkeypatch.delitem(sys.modules, "pipeline.pair.compiled", raising=False)
    monkeypatch.delattr(sys.modules["pipeline.pair"], "compiled", raising=False)
    monkeypatch.delenv("NEWSPIPE_COMPILED", raising=False)
    _ALIGN._compiled.cache_clear()
    assert _ALIGN._compiled() is None
    ko = _en([30, 40], {0: ["n:12000"], 1: ["p:김|gVngjVn"]})
    en = _en([90, 120], {0: ["n:12000"], 1: ["p:김|gVngjVn"]})
    assert _pairs(align(en, ko)) == [(0, 0), (1, 1)]


def test_the_tables_of_logarithms_are_numpys_and_grow() -> None:
    en_log, ko_log = _ALIGN._logs(10, 10)
    sizes = np.array([0, 1, 2, 7, 120, 4095], dtype=float)
    assert en_log[[0, 1, 2, 7, 120, 4095]].tolist() == np.log(np.maximum(sizes, 1) / 3.0).tolist()
    assert ko_log[[0, 1, 2, 7, 120, 4095]].tolist() == np.log(np.maximum(sizes, 1)).tolist()
    en_log, ko_log = _ALIGN._logs(70_000, 10)
    assert len(en_log) >= 70_000 and len(ko_log) >= 70_000
    assert en_log[69_999] == np.log(np.array([69_999.0]) / 3.0)[0]
