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


def _gains(en: Sequence[Line], ko: Sequence[Line]) -> tuple[np.ndarray, np.ndarray]:
    """For each way to link, what the link gains, indexed by the last lines it takes: rows
    0-2, k = 1, 2, 3 English lines to one Korean line; row 3, one English line to two Korean
    lines; then the shared weight of every pair of lines."""
    n, m = len(en), len(ko)
    share = _share(en, ko)
    kinds = _KIND_TABLE[np.ix_([_KINDS.index(e.kind) for e in en],
                               [_KINDS.index(k.kind) for k in ko])]  # fmt: skip
    en_size = np.array([e.size for e in en], dtype=float)
    ko_size = np.array([k.size for k in ko], dtype=float)
    plain = np.array([e.kind == "text" for e in en])
    gains = np.full((4, n, m), -math.inf)
    for k in (1, 2, 3):
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
            gains[k - 1, rows] = g
    if m >= 2:  # one English line for Korean lines j-1 and j
        ko_plain = np.array([k.kind == "text" for k in ko])
        pair_size = ko_size[:-1] + ko_size[1:]
        g = np.maximum(share[:, :-1], share[:, 1:])
        g = g + _lengths(en_size, pair_size) - 0.3
        g[~plain, :] = -math.inf
        g[:, ~(ko_plain[:-1] & ko_plain[1:])] = -math.inf
        gains[3, :, 1:] = g
    return gains, share


def align(en: Sequence[Line], ko: Sequence[Line]) -> Alignment:
    """The best local monotone alignment of English lines `en` to Korean lines `ko`.

    A row of the programme at a time: a row's links depend only on the rows above it, so each
    is taken for all Korean lines at once (numpy); only `reach`, which runs along the row,
    is a loop. The sums and comparisons are those of a cell-by-cell loop, in the same order."""
    n, m = len(en), len(ko)
    if not n or not m:
        return Alignment((), (), 0.0, 0.0, (-1, -1))
    gains, share = _gains(en, ko)
    neg = -math.inf
    # best[i, j]: the best alignment whose last link involves English line i-1 and Korean j-1;
    # reach[i, j]: the best one within the first i and j lines, gaps after it paid for;
    # way[i, j]: how best[i, j] links (0-2: 1-3 English lines to one Korean line, 3: one
    # English line to two Korean lines; ties go to the first)
    best = np.full((n + 1, m + 1), neg)
    reach = np.zeros((n + 1, m + 1))
    way = np.zeros((n + 1, m + 1), dtype=np.int8)
    # what a link may add to: max(0, reach) of the cell before it, for each way, in rows
    # 3.. of `ahead` (rows 0-2 stand for the rows above the first: -inf, no link starts there)
    ahead = np.full((n + 3, m + 1), neg)
    ahead[2] = 0.0
    cols = np.arange(m)
    # for row i, the flat index into `ahead` of the cell before each way's link, less (i+2)(m+1)
    before = np.stack([cols - k * (m + 1) for k in (1, 2, 3)] + [cols - 1 - (m + 1)])
    flat = ahead.reshape(-1)
    by_row = gains.transpose(1, 0, 2)  # [i - 1]: the four ways' gains for row i
    for i in range(1, n + 1):
        options = by_row[i - 1] + flat[before + (i + 2) * (m + 1)]
        choice = options.argmax(axis=0)
        top = options[choice, cols]
        best[i, 1:] = top
        way[i, 1:] = choice
        row, up = top.tolist(), (reach[i - 1, 1:] - _SKIP_EN).tolist()
        left, out = 0.0, [0.0]
        for j in range(m):
            left = max(row[j], up[j], left - _SKIP_KO)
            out.append(left)
        reach[i] = out
        np.maximum(reach[i], 0.0, out=ahead[i + 2])
    end, top_score = (0, 0), 0.0
    at = int(np.argmax(best))  # the first cell of the highest score, row by row
    if best.flat[at] > 0.0:
        end, top_score = divmod(at, m + 1), float(best.flat[at])
    return _trace(end, top_score, best.tolist(), reach.tolist(), way, share.tolist(), en, ko)


Grid = list[list[float]]


def _trace(
    end: tuple[int, int],
    top: float,
    best: Grid,
    reach: Grid,
    way: np.ndarray,
    share: Grid,
    en: Sequence[Line],
    ko: Sequence[Line],
) -> Alignment:
    """The links of the best alignment, read back from its last one."""
    links: list[Link] = []
    i, j = end
    while i > 0 and j > 0 and best[i][j] > 0:
        k_en, k_ko = (1, 2) if way[i, j] == 3 else (int(way[i, j]) + 1, 1)
        i0, j0 = i - k_en, j - k_ko
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
