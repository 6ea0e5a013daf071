"""The signals of many lines at once: what `line_signals` gives each, sorted, as one Arrow list
array (the `signals` column of a batch's rows, pipeline/pair/table.py).

Line by line, most of the time goes to Python steps per word: a Korean line's words each looked
up, an English line's capitalised words each tried as a place name, then every line's set made
and sorted. Here the words of all the lines in one language are found in one pass over their
joined text (a NUL between lines, which no word pattern takes), numbered at once (pandas'
factorize), and each distinct word's signals looked up once; the (line, signal) pairs are then
deduplicated and sorted by numpy. What stays per line: its numbers, and the English names (a
name is read from two neighbouring words) where a line has a surname's spelling at all.
tests/pair/test_batch.py holds the result to `line_signals` line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.pair import names as nm
from pipeline.pair.numbers import numbers
from pipeline.pair.signals import _number

_SEP = "\x00"  # between lines: no word pattern takes it, and a line that holds one is read alone
# a language's word pattern, and the same taking the separator as a word of its own
_WITH_SEP = {p: re.compile(f"{p.pattern}|{_SEP}") for p in (nm._HANGUL, nm._EN_WORD)}


class _Pairs:
    """(line, signal) pairs, the signals numbered as they come."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.lines: list[np.ndarray] = []
        self.signals: list[np.ndarray] = []

    def number(self, signals: Sequence[str]) -> list[int]:
        ids = self.ids
        return [ids.setdefault(s, len(ids)) for s in signals]

    def add(self, lines: np.ndarray, signals: np.ndarray) -> None:
        self.lines.append(lines.astype(np.int64))
        self.signals.append(signals.astype(np.int64))

    def lists(self, count: int) -> pa.ListArray:
        """`count` lines' signals, each line's sorted and distinct."""
        strings = list(self.ids)
        order = sorted(range(len(strings)), key=strings.__getitem__)
        rank = np.empty(len(strings), np.int64)
        rank[order] = np.arange(len(strings))
        lines = np.concatenate([np.zeros(0, np.int64), *self.lines])
        ranks = rank[np.concatenate([np.zeros(0, np.int64), *self.signals])]
        keys = np.sort(lines * max(len(strings), 1) + ranks)  # by line, then signal
        # each pair once (np.unique's hash table costs 20 times this sort)
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
        at = keys // max(len(strings), 1)
        bounds = np.searchsorted(at, np.arange(count + 1)).astype(np.int32)
        values = pa.array([strings[i] for i in order], pa.string()).take(
            pa.array(keys % max(len(strings), 1))
        )
        return pa.ListArray.from_arrays(pa.array(bounds), values)


def signal_lists(texts: Sequence[str | None], lang: str) -> pa.ListArray:
    """`sorted(line_signals(text, lang))` of each text (None: a line that carries none), as one
    list array."""
    pairs = _Pairs()
    numbered = [(i, t) for i, t in enumerate(texts) if t is not None]
    lines = np.array([i for i, _ in numbered], np.int64)
    plain = [t for _, t in numbered]
    at: list[int] = []
    said: list[str] = []
    for i, text in numbered:
        found = numbers(text, lang)
        if found:
            at += [i] * len(found)
            said += map(_number, found)
    pairs.add(np.array(at, np.int64), np.array(pairs.number(said), np.int64))
    if lang == "ko":
        _words(pairs, lines, plain, nm._HANGUL, nm._korean_signals, None)
    else:
        _words(pairs, lines, plain, nm._EN_WORD, _place_signals, _english_names)
    return pairs.lists(len(texts))


def _place_signals(word: str) -> tuple[str, ...]:
    found = nm._place_signal(word)
    return (found,) if found else ()


def _english_names(words: list[str]) -> list[str]:
    return [nm._signal("p", key) for key in nm._names_in(words)]


def _words(
    pairs: _Pairs,
    lines: np.ndarray,
    texts: list[str],
    pattern: re.Pattern[str],
    of_word: Callable[[str], tuple[str, ...]],
    of_line: Callable[[list[str]], list[str]] | None,
) -> None:
    """Add the signals of the texts' words (`of_word`: a word's own; `of_line`: those read from
    a line's words together, where it has a surname's spelling)."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) == max(len(texts) - 1, 0):
        tokens = _WITH_SEP[pattern].findall(joined)
    else:  # a text holds the separator: each read alone, then the separator put between
        tokens = [w for text in texts for w in (_SEP, *pattern.findall(text))][1:]
    codes, uniques = pd.factorize(np.array(tokens, dtype=object))
    if of_line is None:  # Korean: the batch's new words romanised at once, before they are read
        nm.pronounce_words(w for w in uniques if w != _SEP)
    kinds = [of_word(w) if w != _SEP else () for w in uniques]
    counts = np.array([len(k) for k in kinds], np.int64)
    flat = np.array(pairs.number([s for k in kinds for s in k]), np.int64)
    starts = np.cumsum(counts) - counts
    is_sep = np.array([w == _SEP for w in uniques], bool)[codes]
    where = lines[np.cumsum(is_sep)] if len(lines) else np.zeros(0, np.int64)  # each token's
    many = counts[codes]
    total = int(many.sum())
    if total:
        first = np.repeat(starts[codes] - (np.cumsum(many) - many), many)
        pairs.add(np.repeat(where, many), flat[first + np.arange(total)])
    if of_line is None:
        return
    spelled = np.array([w.lower() in nm._BY_SPELLING for w in uniques], bool)[codes]
    bounds = np.concatenate([[0], np.flatnonzero(is_sep) + 1, [len(tokens) + 1]])
    running = np.concatenate([[0], np.cumsum(spelled)])
    for n in np.flatnonzero(running[bounds[1:] - 1] > running[bounds[:-1]]):
        a, b = int(bounds[n]), int(bounds[n + 1]) - 1
        found = of_line(tokens[a:b])
        if found:
            pairs.add(np.full(len(found), lines[n]), np.array(pairs.number(found)))
