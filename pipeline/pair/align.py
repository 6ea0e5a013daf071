"""Line alignment of a translation to its original: a monotone dynamic programme.

Each English line links to at most one Korean line, in order; one Korean line may serve up to
three English lines in a row (a long sentence translated as several), and one English line may
stand for two Korean lines. Lines without a counterpart are skipped at a small cost, and the
alignment is local: it starts and ends where the evidence does, so a text cut short on either
side costs nothing (Smith-Waterman rather than Needleman-Wunsch; Gale and Church's length
model for the lines between the anchors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.pair.signals import Line, weight

RATIO = 3.0  # letters of English per letter of Korean in a KBS translation
_SPREAD = 0.35  # the spread of log(ratio) over translated lines
_SKIP_EN, _SKIP_KO = 0.4, 0.4  # the cost of a line left out inside the alignment
_MARKER = 1.5  # two part markers of the same part
_QUOTE = 0.8  # two quote blocks
_SPEAKER = 1.0  # ... of the same speaker (whose name the line shares as well)
_UNLIKE = -2.5  # a marker against a sentence, a quote against narration
_TOO_SHORT = 4  # letters: a line this short has no length to compare


@dataclass(frozen=True)
class Link:
    en: int
    ko: int
    score: float


@dataclass(frozen=True)
class Alignment:
    links: tuple[Link, ...]  # between the lines given (units: a run-on line may give several)
    line_links: tuple[Link, ...]  # the same between the documents' body lines (Line.line)
    score: float  # the alignment's total
    evidence: float  # what its links share (signals, speakers): length alone counts nothing
    ko_span: tuple[int, int]  # the first and last Korean line linked (-1, -1 when none)


def shared(en: Line, ko: Line) -> float:
    """The weight of the signals two lines share, and of a shared quote speaker."""
    total = sum(weight(s) for s in en.signals & ko.signals)
    if en.speakers & ko.speakers:
        total += _SPEAKER
    return total


def _kinds(en: Line, ko: Line) -> float:
    markers = ("anchor", "report", "marker")
    if en.kind in markers or ko.kind in markers:
        return _MARKER if en.kind == ko.kind else -math.inf
    if en.kind == "quote" and ko.kind == "quote":
        return _QUOTE
    if (en.kind == "quote") != (ko.kind == "quote"):
        return _UNLIKE
    return 0.0


def _length(en_size: int, ko_size: int, ratio: float = RATIO) -> float:
    if en_size < _TOO_SHORT or ko_size < _TOO_SHORT:
        return 0.0
    z = math.log(en_size / (ratio * ko_size)) / _SPREAD
    return max(-3.0, 1.0 - 0.5 * z * z)


def align(en: Sequence[Line], ko: Sequence[Line]) -> Alignment:
    """The best local monotone alignment of English lines `en` to Korean lines `ko`."""
    n, m = len(en), len(ko)
    share = [[shared(e, k) for k in ko] for e in en]
    kinds = [[_kinds(e, k) for k in ko] for e in en]
    neg = -math.inf
    # best[i][j]: the best alignment whose last link involves English line i-1 and Korean j-1;
    # reach[i][j]: the best one within the first i and j lines, gaps after it paid for.
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    reach = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, int, int]] = {}  # (i, j) -> (k_en, k_ko, i0, j0)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            top = neg
            for k_en in (1, 2, 3):  # k_en English lines to Korean line j-1
                if k_en > i:
                    break
                rows = range(i - k_en, i)
                kind = sum(kinds[r][j - 1] for r in rows)
                if kind == neg:
                    continue
                if k_en > 1 and any(en[r].kind != "text" or en[r].lang for r in rows):
                    continue
                size = sum(en[r].size for r in rows)
                ratio = 1.0 if en[i - 1].lang == "ko" else RATIO  # Korean left untranslated
                length = _length(size, ko[j - 1].size, ratio)
                gain = kind + sum(share[r][j - 1] for r in rows) + length
                gain -= 0.3 * (k_en - 1)
                score = gain + max(0.0, reach[i - k_en][j - 1])
                if score > top:
                    top, back[(i, j)] = score, (k_en, 1, i - k_en, j - 1)
            if (
                j >= 2
                and en[i - 1].kind == "text"
                and not en[i - 1].lang
                and ko[j - 2].kind == ko[j - 1].kind == "text"
            ):
                # one English line for two Korean lines
                size = ko[j - 2].size + ko[j - 1].size
                gain = max(share[i - 1][j - 2], share[i - 1][j - 1]) + _length(en[i - 1].size, size)
                score = gain - 0.3 + max(0.0, reach[i - 1][j - 2])
                if score > top:
                    top, back[(i, j)] = score, (1, 2, i - 1, j - 2)
            best[i][j] = top
            reach[i][j] = max(top, reach[i - 1][j] - _SKIP_EN, reach[i][j - 1] - _SKIP_KO)
    end, top = (0, 0), 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            if best[i][j] > top:
                end, top = (i, j), best[i][j]
    return _trace(end, top, best, reach, back, share, en, ko)


Grid = list[list[float]]


def _trace(
    end: tuple[int, int],
    top: float,
    best: Grid,
    reach: Grid,
    back: dict[tuple[int, int], tuple[int, int, int, int]],
    share: Grid,
    en: Sequence[Line],
    ko: Sequence[Line],
) -> Alignment:
    """The links of the best alignment, read back from its last one."""
    links: list[Link] = []
    i, j = end
    while i > 0 and j > 0 and (i, j) in back and best[i][j] > 0:
        k_en, k_ko, i0, j0 = back[(i, j)]
        if k_ko == 2:
            ko_line = j - 2 if share[i - 1][j - 2] > share[i - 1][j - 1] else j - 1
            links.append(Link(i - 1, ko_line, round(best[i][j] - max(0.0, reach[i0][j0]), 4)))
        else:
            gain = best[i][j] - max(0.0, reach[i0][j0])
            links += [Link(r, j - 1, round(gain / k_en, 4)) for r in range(i - 1, i0 - 1, -1)]
        if reach[i0][j0] <= 0:
            break
        # the alignment before this link ends where reach[i0][j0] was reached
        i, j = _source(i0, j0, best, reach)
    links.reverse()
    evidence = sum(shared(en[lk.en], ko[lk.ko]) for lk in links)
    span = (links[0].ko, links[-1].ko) if links else (-1, -1)
    by_line: dict[tuple[int, int], float] = {}
    for lk in links:
        key = (en[lk.en].line, ko[lk.ko].line)
        by_line[key] = max(by_line.get(key, -math.inf), lk.score)
    line_links = tuple(Link(a, b, s) for (a, b), s in sorted(by_line.items()))
    return Alignment(tuple(links), line_links, round(top, 4), round(evidence, 4), span)


def _source(i: int, j: int, best: Grid, reach: Grid) -> tuple[int, int]:
    """The cell whose link gave reach[i][j] (walking back over the skipped lines)."""
    while i > 0 and j > 0:
        if reach[i][j] == best[i][j]:
            return i, j
        if reach[i][j] == reach[i - 1][j] - _SKIP_EN:
            i -= 1
        else:
            j -= 1
    return i, j
