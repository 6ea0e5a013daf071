"""Line alignment of a translation to its original: a monotone dynamic programme.

Each English line links to at most one Korean line, in order; one Korean line may serve up to
three English lines in a row (a long sentence translated as several), and one English line may
stand for two Korean lines. Lines without a counterpart are skipped at a small cost, and the
alignment is local: it starts and ends where the evidence does, so a text cut short on either
side costs nothing (Smith-Waterman rather than Needleman-Wunsch; Gale and Church's length
model for the lines between the anchors).

The programme runs here in numpy, a row at a time, or, where numba is installed, as the compiled
loops of compiled.py, cell by cell: the same alignments (tests/pair/test_align.py holds both to
a plain loop).
"""

from __future__ import annotations

import functools
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import NamedTuple

import numpy as np

from pipeline.pair.signals import Line, weight

log = logging.getLogger(__name__)

RATIO = 3.0  # letters of English per letter of Korean in a KBS translation
_SPREAD = 0.35  # the spread of log(ratio) over translated lines
# The programme adds and compares on a grid of 2**-30 (gains are put on it): every sum is exact,
# so a sum is the same in any order and a tie is a tie, whether the programme runs cell by cell
# or a row at a time (values stay far below 2**22, inside a float's 53 bits).
_GRID = 2.0**30


def _on_grid(x: np.ndarray) -> np.ndarray:
    """`x` to the nearest multiple of 1 / _GRID (in place); infinities stay."""
    x *= _GRID
    np.round(x, out=x)
    x /= _GRID
    return x


# the cost of a line left out inside the alignment
_SKIP_EN = _SKIP_KO = float(_on_grid(np.array([0.4]))[0])
_MARKER = 1.5  # two part markers of the same part
_QUOTE = 0.8  # two quote blocks
SPEAKER = 1.0  # ... of the same speaker (whose name the line shares as well)
_UNLIKE = -2.5  # a marker against a sentence, a quote against narration
_TOO_SHORT = 4  # letters: a line this short has no length to compare


class Link(NamedTuple):
    """One link of an alignment (a tuple: an alignment holds dozens, made per candidate)."""

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


_KIND_ID = {kind: k for k, kind in enumerate(_KINDS)}
# 0.3 less for each English line beyond the first, and for the second Korean line (way 3)
_PENALTY = np.array([0.3 * (k - 1) for k in (1, 2, 3)] + [0.3])[:, None, None]


def _lengths(en_size: np.ndarray, ko_size: np.ndarray) -> np.ndarray:
    """How well each English size fits each Korean size as its translation: sizes (w, n) and
    (w, m), one row for each way to link, give fits (w, n, m)."""
    z = np.log(np.maximum(en_size, 1) / RATIO)[:, :, None] - np.log(np.maximum(ko_size, 1))[:, None]
    z /= _SPREAD
    z *= z
    z *= 0.5
    np.subtract(1.0, z, out=z)
    np.maximum(z, -3.0, out=z)
    way, line = np.nonzero(en_size < _TOO_SHORT)  # (few: the rows of the grid set to 0 ...)
    z[way, line] = 0.0
    way, line = np.nonzero(ko_size < _TOO_SHORT)  # (... and the columns)
    z[way, :, line] = 0.0
    return z


def _share(en: Sequence[Line], ko: Sequence[Line]) -> np.ndarray:
    """shared() of every pair of lines, from the signals both texts carry: each pair of lines
    adds its common signals' weights in sorted order, as shared() does (the same sums: bincount
    adds a cell's weights in the order they come, and they come signal by signal, sorted)."""
    n, m = len(en), len(ko)
    mine = frozenset().union(*(e.signals for e in en))
    ko_lines: dict[str, list[int]] = {}  # the Korean lines holding each signal the English hold
    for j, k in enumerate(ko):
        for s in mine & k.signals:  # (a Korean line's few, looked up in the English ones)
            ko_lines.setdefault(s, []).append(j)
    en_lines: dict[str, list[int]] = {}  # ... and the English lines holding each of those
    for i, e in enumerate(en):
        for s in e.signals:
            if s in ko_lines:
                en_lines.setdefault(s, []).append(i)
    cells: list[int] = []
    weights: list[float] = []
    for s in sorted(en_lines):
        cols = ko_lines[s]
        for i in en_lines[s]:
            row = i * m
            cells += [row + j for j in cols]
        weights += [weight(s)] * (len(cols) * len(en_lines[s]))
    share: np.ndarray
    if cells:
        share = np.bincount(
            np.array(cells, dtype=np.intp), weights=np.array(weights), minlength=n * m
        ).reshape(n, m)
    else:  # (bincount of nothing gives integers)
        share = np.zeros((n, m))
    speaking = [(j, k.speakers) for j, k in enumerate(ko) if k.speakers]  # (few lines are quotes)
    if speaking:
        for i, line in enumerate(en):
            if line.speakers:
                said = [j for j, speakers in speaking if line.speakers & speakers]
                if said:
                    share[i, said] += SPEAKER
    return share


def _gains(en: Sequence[Line], ko: Sequence[Line]) -> tuple[np.ndarray, np.ndarray]:
    """For each way to link, what the link gains, indexed by the last lines it takes: rows
    0-2, k = 1, 2, 3 English lines to one Korean line; row 3, one English line to two Korean
    lines; then the shared weight of every pair of lines."""
    n, m = len(en), len(ko)
    share = _share(en, ko)
    en_kind = np.array([_KIND_ID[e.kind] for e in en])
    ko_kind = np.array([_KIND_ID[k.kind] for k in ko])
    kinds = _KIND_TABLE.take(en_kind, 0).take(ko_kind, 1)
    en_size = np.array([e.size for e in en], dtype=float)
    ko_size = np.array([k.size for k in ko], dtype=float)
    # what each way adds up, at the row (and column) of the last line it takes: the sums of
    # 1-3 English lines' kinds, shares and sizes, in the order of the lines; way 3 has the
    # better share of its two Korean lines, no kind (text meets text) and both lines' sizes
    total = np.zeros((4, n, m))  # kinds + shares
    en_sizes = np.ones((4, n))
    ko_sizes = np.ones((4, m))
    total[0] = kinds + share
    en_sizes[0] = en_sizes[3] = en_size
    ko_sizes[:3] = ko_size
    total[1, 1:] = (kinds[:-1] + kinds[1:]) + (share[:-1] + share[1:])
    en_sizes[1, 1:] = en_size[:-1] + en_size[1:]
    total[2, 2:] = (kinds[:-2] + kinds[1:-1] + kinds[2:]) + (share[:-2] + share[1:-1] + share[2:])
    en_sizes[2, 2:] = en_size[:-2] + en_size[1:-1] + en_size[2:]
    np.maximum(share[:, :-1], share[:, 1:], out=total[3, :, 1:])
    ko_sizes[3, 1:] = ko_size[:-1] + ko_size[1:]
    gains = total
    gains += _lengths(en_sizes, ko_sizes)
    gains -= _PENALTY
    # where a way cannot end: before its first lines, and over lines that are not plain text
    plain = en_kind == _KIND_ID["text"]
    ko_plain = ko_kind == _KIND_ID["text"]
    gains[1, :1] = gains[2, :2] = gains[3, :, :1] = -math.inf
    gains[1, 1:][~(plain[:-1] & plain[1:])] = -math.inf
    gains[2, 2:][~(plain[:-2] & plain[1:-1] & plain[2:])] = -math.inf
    gains[3, ~plain] = -math.inf
    gains[3, :, 1:][:, ~(ko_plain[:-1] & ko_plain[1:])] = -math.inf
    return _on_grid(gains), share


_NONE = Alignment((), (), 0.0, 0.0, (-1, -1))
_APART = 2.0**16  # more than any reach of one Korean text (the running maximum of the next
# starts above every value of the one before)
_SIDE_BY_SIDE = 64  # texts at most in one programme: 64 * _APART keeps it on the grid (2**22)
# between two texts side by side: a line that takes no link (its gains are -inf, as those of
# a foreign line are, and so are those of a Korean pair across it), its column a fresh start
_BREAK = Line("foreign", frozenset(), frozenset(), 0, -1)
# what each way's link adds in the programme's lifted frame (below): the Korean lines it
# takes (_SKIP_KO each) and the English ones (_SKIP_EN each)
_WAY_LIFT = np.array([[_SKIP_KO + k * _SKIP_EN] for k in (1, 2, 3)] + [[2 * _SKIP_KO + _SKIP_EN]])


def align(en: Sequence[Line], ko: Sequence[Line]) -> Alignment:
    """The best local monotone alignment of English lines `en` to Korean lines `ko`."""
    return align_many(en, [ko])[0]


def align_many(en: Sequence[Line], kos: Sequence[Sequence[Line]]) -> list[Alignment]:
    """align() of `en` with each of `kos`, in one programme: the Korean texts side by side,
    each after a column that starts afresh as column 0 does (no link ends there, and reach
    holds 0), so the alignments are those of each text alone."""
    return [found() for found in aligning(en, kos)]


def aligning(en: Sequence[Line], kos: Sequence[Sequence[Line]]) -> list[Callable[[], Alignment]]:
    """align_many(), each alignment read back from the programme when it is called (a caller
    that needs only the first few does not pay for the rest).

    A row of the programme at a time: a row's links depend only on the rows above it, so each
    is taken for all Korean lines at once (numpy), and so is `reach` along the row, as a running
    maximum. On the grid (_GRID) its sums are exact: the same as a cell-by-cell loop's."""
    if len(kos) > _SIDE_BY_SIDE:
        return [al for at in range(0, len(kos), _SIDE_BY_SIDE)
                for al in aligning(en, kos[at : at + _SIDE_BY_SIDE])]  # fmt: skip
    texts = [k for k in kos if k]
    n = len(en)
    if not n or not texts:
        return [_none] * len(kos)
    # column c of the programme: a text's column 0 (a fresh start) at each of `starts`, its
    # lines after it; the columns of the gains are those of the programme less one (a fresh
    # start's is a _BREAK)
    lines = list(texts[0])
    starts = [0]
    for k in texts[1:]:
        starts.append(len(lines) + 1)
        lines.append(_BREAK)
        lines += k
    compiled = _compiled()
    if compiled is not None:
        return _compiled_aligning(compiled, en, kos, texts, lines, starts)
    m = len(lines)
    gains, share = _gains(en, lines)
    neg = -math.inf
    # best[i, j]: the best alignment whose last link involves English line i-1 and Korean j-1;
    # reach[i, j]: the best one within the first i and j lines, gaps after it paid for.
    # reach along a row: left_j = max(here_j, left_{j-1} - _SKIP_KO), here_j the best of
    # best[i, j] and reach[i-1, j] - _SKIP_EN, is the running maximum of here_k + _SKIP_KO k
    # (k from the text's column 0) less _SKIP_KO j; each text's values lifted _APART above the
    # one's before it, so that its maximum runs from its own column 0. (That column's reach
    # is at most 0, where column 0 holds 0: either way nothing adds to it, max(0, reach).)
    # The whole programme runs lifted: cell (i, j) by lift[i, j], that column's lift plus
    # _SKIP_EN i, so that reach[i-1, j] - _SKIP_EN in row i is reach[i-1, j] as row i-1 holds
    # it, a link's gain adds what the lift grows by from the cell before it (_WAY_LIFT), and
    # max(0, reach) is max(reach, lift). On the grid every value is the unlifted one plus its
    # lift, exactly (below 2**23), so the maxima and ties are the same; best and reach are
    # unlifted at the end.
    fresh = np.zeros(m + 1, dtype=np.intp)
    fresh[starts[1:]] = 1
    text = np.cumsum(fresh)
    column = _SKIP_KO * (np.arange(m + 1) - np.array(starts)[text]) + _APART * text
    lift = column + (_SKIP_EN * np.arange(n + 1))[:, None]
    # ahead: what a link may add to, max(0, reach) of the cell before it, in rows 3.. (rows 0-2
    # stand for the rows above the first: -inf, no link starts there); and reach, after it
    state = np.full((2, n + 3, m + 1), neg)
    ahead, reach = state[0], state[1, 2:]
    ahead[2] = reach[0] = column
    # Row i of the programme is the running maximum of five options at each column: a link of
    # each way (the cell before it, in `ahead`, and its gain; none ends at column 0) and the
    # English line skipped (reach[i-1, j]; at column 0, lifted from row i-1 to row i).
    # before[i-1]: the flat index into `state` of each option's cell before (column 0's
    # links, which do not exist, read a cell in range)
    m1 = m + 1
    way_before = np.array([[-k * m1 - 1] for k in (1, 2, 3)] + [[-m1 - 2], [(n + 2) * m1]])
    in_row = way_before + np.arange(m1)
    in_row[:3, 0] += 1
    before = (np.arange(3, n + 3) * m1)[:, None, None] + in_row
    by_row = np.zeros((n, 5, m1))  # [i - 1]: the five options' gains for row i
    by_row[:, :4, 0] = neg
    np.add(gains.transpose(1, 0, 2), _WAY_LIFT, out=by_row[:, :4, 1:])
    by_row[:, 4, 0] = _SKIP_EN
    flat = state.reshape(-1)
    options = np.empty((n, 5, m1))  # [i - 1]: the five options of row i, as the loop took them
    for i in range(1, n + 1):
        row = options[i - 1]
        flat.take(before[i - 1], out=row)
        row += by_row[i - 1]
        here = np.maximum.reduce(row, axis=0, out=reach[i])
        np.maximum.accumulate(here, out=here)
        np.maximum(here, lift[i], out=ahead[i + 2])
    # best[i, j]: the best of the links (lifted, then not); which way it links, where a trace
    # asks, from the options too (_Ways)
    lifted = np.full((n + 1, m1), neg)
    np.maximum.reduce(options[:, :4, 1:], axis=1, out=lifted[1:, 1:])
    best = lifted - lift
    reach -= lift
    found = iter(
        partial(_trace_text, best, reach, _Ways(options, lifted, c), share, en, k, c)
        for k, c in zip(texts, starts, strict=True)
    )
    return [next(found) if k else _none for k in kos]


def _none() -> Alignment:
    return _NONE


@functools.cache
def _compiled() -> ModuleType | None:
    """pipeline/pair/compiled.py, the programme's compiled loops, where numba is installed
    (and the environment does not set NEWSPIPE_COMPILED=0); None: the programme runs in numpy.
    The two give the same alignments."""
    if os.environ.get("NEWSPIPE_COMPILED", "1") == "0":
        return None
    try:
        from pipeline.pair import compiled
    except ImportError:  # numba is not installed (the extra `fast`)
        return None
    except Exception as exc:  # e.g. numba finds nowhere to keep its cache
        log.warning("pair: aligning in numpy, the compiled loops cannot load: %s", exc)
        return None
    return compiled


def ready() -> None:
    """Compile the programme's loops now (or load them from numba's cache), before a caller
    forks processes that align: each then has them, instead of compiling them again."""
    line = Line("text", frozenset({"n:1"}), frozenset(), 10, 0)
    align([line, line], [line, line])


def _compiled_aligning(
    compiled: ModuleType,
    en: Sequence[Line],
    kos: Sequence[Sequence[Line]],
    texts: list[Sequence[Line]],
    lines: list[Line],
    starts: list[int],
) -> list[Callable[[], Alignment]]:
    """aligning() with the programme's compiled loops: the same gains from the same parts (the
    sizes' logarithms from numpy, as _lengths takes them), the programme cell by cell, and each
    text's trace."""
    share = _share(en, lines)
    en_size = np.array([e.size for e in en], dtype=np.int64)
    ko_size = np.array([k.size for k in lines], dtype=np.int64)
    en_log, ko_log = _logs(3 * int(en_size.max()) + 1, 2 * int(ko_size.max()) + 1)
    gains = compiled.gains(
        share, np.array([_KIND_ID[e.kind] for e in en]),
        np.array([_KIND_ID[k.kind] for k in lines]), en_size, ko_size, _KIND_TABLE,
        _KIND_ID["text"], en_log, ko_log, _PENALTY.ravel(), _TOO_SHORT, _SPREAD, _GRID,
    )  # fmt: skip
    fresh = np.zeros(len(lines) + 1, dtype=bool)
    fresh[starts] = True
    best, reach, way = compiled.programme(gains, fresh, _SKIP_EN, _SKIP_KO)
    found = iter(
        partial(_compiled_trace, compiled, best, reach, way, share, en, k, c)
        for k, c in zip(texts, starts, strict=True)
    )
    return [next(found) if k else _none for k in kos]


_LOGS: list[np.ndarray] = []  # _logs' tables, made at the first call and grown as needed


def _logs(en_sizes: int, ko_sizes: int) -> tuple[np.ndarray, np.ndarray]:
    """What _lengths takes the logarithm of, taken for every size below these (at least): by
    the English size s, log(max(s, 1) / RATIO); by the Korean, log(max(s, 1)). numpy takes
    them here as it does there, a whole array at once, so they are the same numbers."""
    if not _LOGS or len(_LOGS[0]) < en_sizes or len(_LOGS[1]) < ko_sizes:
        size = max(4096, en_sizes, ko_sizes, len(_LOGS[0]) if _LOGS else 0)
        sizes = np.maximum(np.arange(1 << (size - 1).bit_length(), dtype=float), 1)
        _LOGS[:] = [np.log(sizes / RATIO), np.log(sizes)]
    return _LOGS[0], _LOGS[1]


def _compiled_trace(
    compiled: ModuleType,
    best: np.ndarray,
    reach: np.ndarray,
    way: np.ndarray,
    share: np.ndarray,
    en: Sequence[Line],
    ko: Sequence[Line],
    start: int,
) -> Alignment:
    """_trace_text with the compiled trace: the same links, rounded here."""
    found, top = compiled.trace(best, reach, way, share, start, len(ko), _SKIP_EN)
    links = [Link(int(i), int(j), round(gain, 4)) for i, j, gain in found.tolist()]
    return _alignment(links, top, share[:, start : start + len(ko)], en, ko)


class _Ways:
    """Which way the best link at a cell links (0-2: 1-3 English lines to one Korean line, 3:
    one English line to two Korean lines; ties go to the first): the first of the options that
    equals their best. Read only at the cells a trace takes (a few dozen of the programme's)."""

    def __init__(self, options: np.ndarray, lifted: np.ndarray, start: int) -> None:
        self.option, self.best, self.start = options.item, lifted.item, start

    def __call__(self, i: int, j: int) -> int:
        j += self.start
        best, option = self.best(i, j), self.option
        if option(i - 1, 0, j) == best:
            return 0
        if option(i - 1, 1, j) == best:
            return 1
        return 2 if option(i - 1, 2, j) == best else 3


def _trace_text(
    best: np.ndarray,
    reach: np.ndarray,
    way: Callable[[int, int], int],
    share: np.ndarray,
    en: Sequence[Line],
    ko: Sequence[Line],
    start: int,
) -> Alignment:
    """The alignment of the text whose column 0 is column `start` (its first line the gains'
    and shares' column `start`); `way` of a cell counts columns from there."""
    m = len(ko)
    view = slice(start, start + m + 1)
    best = best[:, view]
    end, top_score = (0, 0), 0.0
    at = int(best.argmax())  # the first cell of the highest score, row by row
    if best.item(at) > 0.0:
        end, top_score = divmod(at, m + 1), best.item(at)
    return _trace(
        end,
        top_score,
        best,
        reach[:, view],
        way,
        share[:, start : start + m],
        en,
        ko,
    )


def _trace(
    end: tuple[int, int],
    top: float,
    best: np.ndarray,
    reach: np.ndarray,
    way_at: Callable[[int, int], int],
    share: np.ndarray,
    en: Sequence[Line],
    ko: Sequence[Line],
) -> Alignment:
    """The links of the best alignment, read back from its last one (the grids' cells taken
    one at a time, as Python numbers: only those on the path are read); `way_at`: which way
    the best link at a cell links."""
    best_at, reach_at, share_at = best.item, reach.item, share.item
    links: list[Link] = []
    i, j = end
    while i > 0 and j > 0:
        here = best_at(i, j)
        if here <= 0:
            break
        k = way_at(i, j)
        i0, j0 = (i - 1, j - 2) if k == 3 else (i - k - 1, j - 1)
        before = reach_at(i0, j0)
        gain = here - before if before > 0 else here  # here - max(0.0, before)
        if k == 3:
            ko_line = j - 2 if share_at(i - 1, j - 2) > share_at(i - 1, j - 1) else j - 1
            links.append(Link(i - 1, ko_line, round(gain, 4)))
        elif k == 0:
            links.append(Link(i - 1, j - 1, round(gain, 4)))
        else:
            each = round(gain / (k + 1), 4)
            links += [Link(r, j - 1, each) for r in range(i - 1, i0 - 1, -1)]
        if before <= 0:
            break
        # the alignment before this link ends where reach[i0, j0] was reached: walking back
        # over the skipped lines (on the grid the sums are exact, so the one reach was taken
        # from equals it)
        i, j = i0, j0
        while i > 0 and j > 0:
            here = reach_at(i, j)
            if here == best_at(i, j):
                break
            if here == reach_at(i - 1, j) - _SKIP_EN:
                i -= 1
            else:
                j -= 1
    links.reverse()
    return _alignment(links, top, share, en, ko)


def _alignment(
    links: list[Link], top: float, share: np.ndarray, en: Sequence[Line], ko: Sequence[Line]
) -> Alignment:
    """The alignment of these links, in order, whose best cell scored `top`."""
    share_at = share.item
    evidence = 0.0
    for lk in links:  # share[i, j] is shared(en[i], ko[j]): the same sum
        evidence += share_at(lk.en, lk.ko)
    span = (links[0].ko, links[-1].ko) if links else (-1, -1)
    keys = [(en[lk.en].line, ko[lk.ko].line) for lk in links]
    if keys == [(lk.en, lk.ko) for lk in links]:
        # lines that are body lines as they stand: each link is its own line link, and the
        # links run in order, one to each English line
        line_links = tuple(links)
    else:
        by_line: dict[tuple[int, int], Link] = {}  # the first link of the highest score
        for key, lk in zip(keys, links, strict=True):
            if key not in by_line or lk.score > by_line[key].score:
                by_line[key] = lk
        # a link between lines that are body lines as they stand is its own line link
        line_links = tuple(lk if (lk.en, lk.ko) == key else Link(*key, lk.score)
                           for key, lk in sorted(by_line.items()))  # fmt: skip
    return Alignment(tuple(links), line_links, round(top, 4), round(evidence, 4), span)
