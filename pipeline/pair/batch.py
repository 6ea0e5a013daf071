"""The signals of many lines at once: what `line_signals` gives each, sorted, as one Arrow list
array (the `signals` column of a batch's rows, pipeline/pair/table.py).

Line by line, most of the time goes to Python steps per word: a Korean line's words each looked
up, an English line's capitalised words each tried as a place name, then every line's set made
and sorted. Here the words of all the lines in one language are found in one pass over their
joined text (a NUL between lines, which no word pattern takes), numbered at once (pandas'
factorize), and each distinct word's signals looked up once; the (line, signal) pairs are then
deduplicated and sorted by numpy, the lines of both languages in one array (a batch's units
in their documents' order: mixed_signal_lists). The English names (a surname's spelling and its
neighbour) are found among all the words at once too, each distinct pair read once. What stays
per line: its numbers, read only in the lines that may hold any (numbers.numbers_many: a digit,
or in English a number word; a scan of the joined lines for the figures themselves was slower:
Python's engine reads every character either way, and each match then needs its position).
tests/pair/test_batch.py holds the result to `line_signals` line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.pair import names as nm
from pipeline.pair.numbers import numbers_many
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
        span = max(len(strings), 1)
        keys = lines * span + ranks
        if count * span < 2**31:  # a batch's keys (about half the sort's time in 32 bits)
            keys = keys.astype(np.int32)
        keys = np.sort(keys)  # by line, then signal
        # each pair once (np.unique's hash table costs 20 times this sort)
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
        bounds = np.searchsorted(keys // span, np.arange(count + 1)).astype(np.int32)
        values = pa.array([strings[i] for i in order], pa.string()).take(pa.array(keys % span))
        return pa.ListArray.from_arrays(pa.array(bounds), values)


def signal_lists(texts: Sequence[str | None], lang: str) -> pa.ListArray:
    """`sorted(line_signals(text, lang))` of each text (None: a line that carries none), as one
    list array."""
    return mixed_signal_lists(texts, [lang] * len(texts))


def mixed_signal_lists(texts: Sequence[str | None], langs: Sequence[str]) -> pa.ListArray:
    """signal_lists of texts each in its own language (`langs`, "ko" or anything else for
    English), in their order: each language's lines read at once, and the lists made once for
    all (not made by language and taken back into the texts' order, a copy of every signal)."""
    pairs = _Pairs()
    present = np.array([t is not None for t in texts], bool)
    korean = np.array([lang == "ko" for lang in langs], bool)
    for lang, these in (("en", present & ~korean), ("ko", present & korean)):
        if these.any():
            plain = cast("list[str]", list(compress(texts, these.tolist())))  # no None here
            _read(pairs, np.flatnonzero(these), plain, lang)
    return pairs.lists(len(texts))


def _read(pairs: _Pairs, lines: np.ndarray, plain: list[str], lang: str) -> None:
    """Add the signals of these texts in `lang` (`lines`: the line each is)."""
    at, found = numbers_many(plain, lang)
    # each distinct value numbered once: the same few years, days and counts recur
    codes, values = pd.factorize(np.array(found, dtype=object))
    ids = np.array(pairs.number([_number(value) for value in values]), np.int64)
    pairs.add(lines[np.array(at, np.int64)], ids[codes])
    if lang == "ko":
        _words(pairs, lines, plain, nm._HANGUL, nm._korean_signals, names=False)
    else:
        _words(pairs, lines, plain, nm._EN_WORD, _place_signals, names=True)


def _place_signals(word: str) -> tuple[str, ...]:
    found = nm._place_signal(word)
    return (found,) if found else ()


@lru_cache(maxsize=100_000)
def _name_signals(a: str, b: str) -> tuple[str, ...]:
    """The signals of a name _names_in reads from two neighbouring words."""
    keys = nm._names_in([a, b])
    return tuple(nm._signal("p", key) for key in keys)


def _words(
    pairs: _Pairs,
    lines: np.ndarray,
    texts: list[str],
    pattern: re.Pattern[str],
    of_word: Callable[[str], tuple[str, ...]],
    names: bool,
) -> None:
    """Add the signals of the texts' words (`of_word`: a word's own) and, with `names`, of the
    English names that two neighbouring words make."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) == max(len(texts) - 1, 0):
        tokens = _WITH_SEP[pattern].findall(joined)
    else:  # a text holds the separator: each read alone, then the separator put between
        tokens = [w for text in texts for w in (_SEP, *pattern.findall(text))][1:]
    codes, uniques = pd.factorize(np.array(tokens, dtype=object))
    if not names:  # Korean: the batch's new words romanised at once, before they are read
        nm.pronounce_words(w for w in uniques if w != _SEP)
    is_sep = np.array([w == _SEP for w in uniques], bool)[codes]
    where = lines[np.cumsum(is_sep)] if len(lines) else np.zeros(0, np.int64)  # each token's
    _add(pairs, where, codes, [of_word(w) if w != _SEP else () for w in uniques])
    if names and len(tokens) > 1:
        _names(pairs, where, codes, uniques, is_sep)


def _names(
    pairs: _Pairs, where: np.ndarray, codes: np.ndarray, uniques: np.ndarray, is_sep: np.ndarray
) -> None:
    """Add the English names: as _names_in reads a line's capitalised words, a surname's
    spelling and the word after it (or a hyphenated given name and the surname after it)."""
    spelled = np.array([w.lower() in nm._BY_SPELLING for w in uniques], bool)[codes]
    hyphen = np.array(["-" in w for w in uniques], bool)[codes]
    a, b = slice(None, -1), slice(1, None)
    pair = (spelled[a] & (hyphen[b] | ~spelled[b])) | (hyphen[a] & spelled[b])
    pair &= ~is_sep[a] & ~is_sep[b]  # the two words of one line
    # _names_in goes on after the pair it takes: of a run of pairs, it takes every other one
    at = np.arange(len(pair))
    opens = pair & ~np.concatenate([[False], pair[:-1]])
    run = np.maximum.accumulate(np.where(opens, at, 0))
    taken = np.flatnonzero(pair & ((at - run) % 2 == 0))
    found = pd.factorize(codes[taken] * len(uniques) + codes[taken + 1])
    kinds = [_name_signals(uniques[k // len(uniques)], uniques[k % len(uniques)]) for k in found[1]]
    _add(pairs, where[taken], found[0], kinds)


def _add(pairs: _Pairs, where: np.ndarray, codes: np.ndarray, kinds: list[tuple[str, ...]]) -> None:
    """Add the signals of things found in lines `where` (`codes`: which of the distinct ones
    each is; `kinds`: each distinct one's signals)."""
    counts = np.array([len(k) for k in kinds], np.int64)
    flat = np.array(pairs.number([s for k in kinds for s in k]), np.int64)
    starts = np.cumsum(counts) - counts
    many = counts[codes]
    total = int(many.sum())
    if total:
        first = np.repeat(starts[codes] - (np.cumsum(many) - many), many)
        pairs.add(np.repeat(where, many), flat[first + np.arange(total)])
