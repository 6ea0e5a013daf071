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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.pair.signals import Line, weight

RATIO = 3.0  # letters of English per letter of Korean in a KBS translation
_SPREAD = 0.35  # the spread of log(ratio) over translated lines
_SKIP_EN, _SKIP_KO = 0.4, 0.4  # the cost of a line left out inside the alignment
_MARKER = 1.5  # two part markers of the same part
_QUOTE = 0.8  # two quote blocks
SPEAKER = 1.0  # ... of the same speaker (whose name the line shares as well)
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
    total = sum(weight(s) for s in sorted(en.signals & ko.signals))  # one order: one sum
    if en.speakers & ko.speakers:
        total += SPEAKER
    return total


_KINDS = ("text", "quote", "anchor", "report", "marker", "foreign")


def _kind_table() -> np.ndarray:
    """What two lines' kinds say: part markers meet their own part only, quotes meet quotes."""
    table = np.zeros((len(_KINDS), len(_KINDS)))
    for a, en in enumerate(_KINDS):
        for b, ko in enumerate(_KINDS):
            if "foreign" in (en, ko):
                table[a, b] = -math.inf
            elif en in _KINDS[2:] or ko in _KINDS[2:]:
                table[a, b] = _MARKER if en == ko else -math.inf
            elif en == ko == "quote":
                table[a, b] = _QUOTE
            elif en != ko:
                table[a, b] = _UNLIKE
    return table


_KIND_TABLE = _kind_table()


def _lengths(en_size: np.ndarray, ko_size: np.ndarray) -> np.ndarray:
    """How well each English size (rows) fits each Korean size (columns) as its translation."""
    z = np.log(np.maximum(en_size, 1) / RATIO)[:, None] - np.log(np.maximum(ko_size, 1))
    fit = np.maximum(-3.0, 1.0 - 0.5 * (z / _SPREAD) ** 2)
    fit[en_size < _TOO_SHORT, :] = 0.0
    fit[:, ko_size < _TOO_SHORT] = 0.0
    return fit


def _share(en: Sequence[Line], ko: Sequence[Line]) -> np.ndarray:
    """shared() of every pair of lines, through the Korean lines' signals rather than all pairs."""
    share = np.zeros((len(en), len(ko)))
    where: dict[str, list[int]] = defaultdict(list)
    said: dict[str, set[int]] = defaultdict(set)
    for j, line in enumerate(ko):
        for s in line.signals:
            where[s].append(j)
        for key in line.speakers:
            said[key].add(j)
    for i, line in enumerate(en):
        for s in sorted(line.signals):  # one order of additions whatever the hash seed
            if s in where:
                share[i, where[s]] += weight(s)
        cols = set().union(*(said.get(key, ()) for key in line.speakers))
        if cols:
            share[i, sorted(cols)] += SPEAKER
    return share


def _gains(en: Sequence[Line], ko: Sequence[Line]) -> tuple[list[list[float]], ...]:
    """For each way to link (k English lines to one Korean line, k = 1, 2, 3; one English line
    to two Korean lines), what the link gains, indexed by the last lines it takes."""
    n, m = len(en), len(ko)
    share = _share(en, ko)
    kinds = _KIND_TABLE[np.ix_([_KINDS.index(e.kind) for e in en],
                               [_KINDS.index(k.kind) for k in ko])]  # fmt: skip
    en_size = np.array([e.size for e in en], dtype=float)
    ko_size = np.array([k.size for k in ko], dtype=float)
    plain = np.array([e.kind == "text" for e in en])
    by_k = []
    for k in (1, 2, 3):
        gain = np.full((n, m), -math.inf)
        if n >= k:
            rows = slice(k - 1, n)  # the last of the k lines
            total_kind = np.sum([kinds[r : n - k + 1 + r] for r in range(k)], axis=0)
            total_share = np.sum([share[r : n - k + 1 + r] for r in range(k)], axis=0)
            size = np.sum([en_size[r : n - k + 1 + r] for r in range(k)], axis=0)
            g = total_kind + total_share + _lengths(size, ko_size) - 0.3 * (k - 1)
            if k > 1:
                ok = np.ones(n - k + 1, dtype=bool)
                for r in range(k):
                    ok &= plain[r : n - k + 1 + r]
                g[~ok, :] = -math.inf
            gain[rows] = g
        by_k.append(gain)
    two = np.full((n, m), -math.inf)  # one English line for Korean lines j-1 and j
    if m >= 2:
        ko_plain = np.array([k.kind == "text" for k in ko])
        pair_size = ko_size[:-1] + ko_size[1:]
        g = np.maximum(share[:, :-1], share[:, 1:])
        g = g + _lengths(en_size, pair_size) - 0.3
        g[~plain, :] = -math.inf
        g[:, ~(ko_plain[:-1] & ko_plain[1:])] = -math.inf
        two[:, 1:] = g
    return by_k[0].tolist(), by_k[1].tolist(), by_k[2].tolist(), two.tolist(), share.tolist()


def align(en: Sequence[Line], ko: Sequence[Line]) -> Alignment:
    """The best local monotone alignment of English lines `en` to Korean lines `ko`."""
    n, m = len(en), len(ko)
    if not n or not m:
        return Alignment((), (), 0.0, 0.0, (-1, -1))
    g1, g2, g3, two, share = _gains(en, ko)
    gains = (g1, g2, g3)
    neg = -math.inf
    # best[i][j]: the best alignment whose last link involves English line i-1 and Korean j-1;
    # reach[i][j]: the best one within the first i and j lines, gaps after it paid for.
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    reach = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, int, int]] = {}  # (i, j) -> (k_en, k_ko, i0, j0)
    for i in range(1, n + 1):
        row_best, row_reach, up = best[i], reach[i], reach[i - 1]
        for j in range(1, m + 1):
            top = neg
            for k_en in range(1, min(3, i) + 1):  # k_en English lines to Korean line j-1
                gain = gains[k_en - 1][i - 1][j - 1]
                if gain == neg:
                    continue
                before = reach[i - k_en][j - 1]
                score = gain + (before if before > 0.0 else 0.0)
                if score > top:
                    top, back[(i, j)] = score, (k_en, 1, i - k_en, j - 1)
            gain = two[i - 1][j - 1]
            if gain != neg:
                before = up[j - 2]
                score = gain + (before if before > 0.0 else 0.0)
                if score > top:
                    top, back[(i, j)] = score, (1, 2, i - 1, j - 2)
            row_best[j] = top
            row_reach[j] = max(top, up[j] - _SKIP_EN, row_reach[j - 1] - _SKIP_KO)
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
