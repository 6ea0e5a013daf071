"""The line alignment's programme as compiled loops (numba), cell by cell.

align.py runs the programme in numpy a row at a time, which is the readable reference and what
runs where numba is not installed. These loops compute the same values: every gain is on the
grid (align._GRID) and every sum of the programme is exact there, so a cell-by-cell loop gives
the very numbers the rows do, and so the same maxima, ties, traces and links (a property test
holds the two to each other). What numpy cannot share with them it computes first and passes
in: the logarithms of the line sizes, a table of them by size (numpy's logarithm and the C
library's may differ in the last bit).

Numba compiles each function at its first call and keeps the machine code beside this file
(`cache=True`), so a later run loads it in a fraction of a second.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_NEG = -np.inf


@njit(cache=True)
def gains(
    share: np.ndarray,
    en_kind: np.ndarray,
    ko_kind: np.ndarray,
    en_size: np.ndarray,
    ko_size: np.ndarray,
    kind_table: np.ndarray,
    text: int,
    en_log: np.ndarray,
    ko_log: np.ndarray,
    penalty: np.ndarray,
    too_short: int,
    spread: float,
    grid: float,
) -> np.ndarray:
    """align._gains' (4, n, m) gains from the shares of every pair of lines (n, m), each line's
    kind and size (in letters), what two kinds say (align._KIND_TABLE; `text`, the plain kind),
    the logarithms align._lengths takes of a size s (`en_log[s]`, of max(s, 1) / RATIO;
    `ko_log[s]`, of max(s, 1)) and each way's penalty. A way that cannot end at a cell (before
    its first lines, or over lines that are not plain text) gains -inf there."""
    n, m = share.shape
    out = np.empty((4, n, m))
    for i in range(n):
        for j in range(m):
            k0, s0 = kind_table[en_kind[i], ko_kind[j]], share[i, j]
            for w in range(4):
                # what the way adds up (kinds + shares) and the sizes it compares
                en_sum, ko_sum = en_size[i], ko_size[j]
                if w == 0:
                    total = k0 + s0
                elif w == 1:
                    if i < 1 or not en_kind[i - 1] == en_kind[i] == text:
                        out[w, i, j] = _NEG
                        continue
                    total = (kind_table[en_kind[i - 1], ko_kind[j]] + k0) + (share[i - 1, j] + s0)
                    en_sum += en_size[i - 1]
                elif w == 2:
                    if i < 2 or not en_kind[i - 2] == en_kind[i - 1] == en_kind[i] == text:
                        out[w, i, j] = _NEG
                        continue
                    total = (
                        kind_table[en_kind[i - 2], ko_kind[j]]
                        + kind_table[en_kind[i - 1], ko_kind[j]]
                        + k0
                    ) + (share[i - 2, j] + share[i - 1, j] + s0)
                    en_sum += en_size[i - 2] + en_size[i - 1]
                else:
                    if j < 1 or not en_kind[i] == ko_kind[j - 1] == ko_kind[j] == text:
                        out[w, i, j] = _NEG
                        continue
                    total = max(share[i, j - 1], s0)
                    ko_sum += ko_size[j - 1]
                if en_sum < too_short or ko_sum < too_short:
                    z = 0.0
                else:  # in the order align._lengths takes
                    z = en_log[en_sum] - ko_log[ko_sum]
                    z = z / spread
                    z = z * z
                    z = z * 0.5
                    z = 1.0 - z
                    if z < -3.0:
                        z = -3.0
                g = (total + z) - penalty[w]
                out[w, i, j] = np.rint(g * grid) / grid
    return out


@njit(cache=True)
def programme(
    gains: np.ndarray, fresh: np.ndarray, skip_en: float, skip_ko: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """align.aligning's programme over texts side by side (`fresh`: the columns that start a
    text afresh, column 0 among them): best[i, j], reach[i, j] as align has them, and way[i, j],
    which way the best link at a cell links (the first of the ways that reaches it)."""
    n, m = gains.shape[1], gains.shape[2]
    best = np.full((n + 1, m + 1), _NEG)
    reach = np.zeros((n + 1, m + 1))
    way = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(1, n + 1):
        for c in range(m + 1):
            if fresh[c]:  # no link ends here; column 0 holds 0, a later text's runs on alone
                reach[i, c] = reach[i - 1, c] if c == 0 else reach[i - 1, c] - skip_en
                continue
            top, w = _NEG, 0
            for k in range(3):  # k + 1 English lines to Korean line c - 1
                if i - 1 - k >= 0:
                    option = max(0.0, reach[i - 1 - k, c - 1]) + gains[k, i - 1, c - 1]
                    if option > top or k == 0:
                        top, w = option, k
            if c >= 2:  # one English line to Korean lines c - 2 and c - 1
                option = max(0.0, reach[i - 1, c - 2]) + gains[3, i - 1, c - 1]
                if option > top:
                    top, w = option, 3
            best[i, c], way[i, c] = top, w
            here = max(top, reach[i - 1, c] - skip_en)
            reach[i, c] = max(here, reach[i, c - 1] - skip_ko)
    return best, reach, way


@njit(cache=True)
def trace(
    best: np.ndarray,
    reach: np.ndarray,
    way: np.ndarray,
    share: np.ndarray,
    start: int,
    size: int,
    skip_en: float,
) -> tuple[np.ndarray, float]:
    """align._trace_text's path for the text of `size` lines whose column 0 is column `start`:
    its links (English line, Korean line, gain before rounding), in order, and the top score
    (0 where no cell scores above 0)."""
    n = best.shape[0] - 1
    top, end_i, end_j = _NEG, 0, 0
    for i in range(n + 1):  # the first cell of the highest score, row by row
        for j in range(size + 1):
            if best[i, start + j] > top:
                top, end_i, end_j = best[i, start + j], i, j
    links = np.empty((n, 3))
    count = 0
    if not top > 0.0:
        return links[:0], 0.0
    i, j = end_i, end_j
    while i > 0 and j > 0:
        here = best[i, start + j]
        if here <= 0:
            break
        k = way[i, start + j]
        if k == 3:
            i0, j0 = i - 1, j - 2
        else:
            i0, j0 = i - k - 1, j - 1
        before = reach[i0, start + j0]
        gain = here - before if before > 0 else here
        if k == 3:
            ko = j - 2 if share[i - 1, start + j - 2] > share[i - 1, start + j - 1] else j - 1
            links[count, 0], links[count, 1], links[count, 2] = i - 1, ko, gain
            count += 1
        else:
            each = gain if k == 0 else gain / (k + 1)
            for r in range(i - 1, i0 - 1, -1):
                links[count, 0], links[count, 1], links[count, 2] = r, j - 1, each
                count += 1
        if before <= 0:
            break
        i, j = i0, j0
        while i > 0 and j > 0:  # back over the lines skipped to where reach was reached
            here = reach[i, start + j]
            if here == best[i, start + j]:
                break
            if here == reach[i - 1, start + j] - skip_en:
                i -= 1
            else:
                j -= 1
    return links[:count][::-1], top
