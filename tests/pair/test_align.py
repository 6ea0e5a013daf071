"""The line alignment: monotone, local, one Korean line for several English ones."""

from __future__ import annotations

from pipeline.pair.align import Alignment, align
from pipeline.pair.signals import Line


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
