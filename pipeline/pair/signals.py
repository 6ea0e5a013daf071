"""What one document offers to pairing: per line, its kind (a part marker, a quote block, text),
the numbers and names it carries, and its size; per document, its date and reporters.

Quote blocks, their speakers and the reporters come from the script code (pipeline/script):
the same roles, quotes and sign-offs the `script` datasets hold.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, chain
from typing import NamedTuple

import numpy as np

from pipeline.pair import names as nm
from pipeline.pair.numbers import numbers
from pipeline.script import RoleBook, read, reporters
from pipeline.script.blocks import speaker
from pipeline.script.quotes import bite_blocks
from pipeline.text import script_counts_many

# A quote block the script code does not take for one because the text stops inside it.
_BLOCK_HEAD = re.compile(r"\s*\[(?P<head>[^\]\[:：\"“]{2,80})[:：]\s*[\"“]")
_RUN_ON = 260  # letters: a Korean line longer than this holds several of the script's lines
# Where a run-on line splits: after a sentence, around a quote block or a part marker.
_PIECES = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=\])\s+|\s+(?=\[)")
_KO_MARKER = re.compile(r"\[(앵커|리포트|기자)\]")

# What a signal of each kind is worth when both sides carry it. A small number (a day, a count
# under 32) or a year is common to unrelated reports; a name seldom is.
_SMALL, _YEAR, _FIGURE, _PERSON, _WORD = 0.4, 0.4, 1.0, 1.5, 0.6


class Line(NamedTuple):
    """One body line (or one unit of a run-on line) as pairing reads it: immutable, compared
    and pickled as its fields in order (a tuple is made several times quicker than a frozen
    dataclass, and the pair stage makes one per line it reads)."""

    kind: str  # anchor, report (a part marker), quote (a quote block's first line), text,
    # foreign (in the other language's script)
    signals: frozenset[str]  # "n:12000", "p:김|gVngjVn" (a person), "w:bVndV" (a word)
    speakers: frozenset[str]  # the person keys of a quote block's speaker
    size: int  # letters: what the length of a translation is compared with
    line: int  # the body line it is (a run-on Korean line gives several units the same line)


@dataclass(frozen=True)
class Doc:
    doc_id: str
    lang: str  # "ko" or "en"
    date: dt.date | None
    lines: tuple[Line, ...]
    reporters: frozenset[str]  # person keys of the sign-off and bylines

    @cached_property
    def signals(self) -> frozenset[str]:
        return frozenset().union(*(line.signals for line in self.lines))

    @cached_property
    def speakers(self) -> frozenset[str]:
        """The person keys of every quote block's speaker."""
        return frozenset().union(*(line.speakers for line in self.lines))

    def __getstate__(self) -> dict[str, object]:
        """What pickle keeps (the pair stage's state): the fields, not the cached properties."""
        cached = ("signals", "counts", "speakers", "figures", "figure_weights", "sizes_before")
        return {k: v for k, v in self.__dict__.items() if k not in cached}

    @cached_property
    def counts(self) -> Counter[str]:
        """How many lines carry each signal."""
        return Counter(chain.from_iterable(line.signals for line in self.lines))

    @cached_property
    def figures(self) -> tuple[tuple[str, ...], ...]:
        """Per line, its numbers ("n:…" signals) in sorted order: pairing sums their weights
        in one order (those between "n" and "o", found by comparing whole strings: quicker
        than taking each one's first letter)."""
        return tuple(
            tuple(sorted([s for s in line.signals if "n" < s < "o"])) if line.signals else ()
            for line in self.lines
        )

    @cached_property
    def figure_weights(self) -> tuple[tuple[float, ...], ...]:
        """Per line, the weight of each of its `figures`, in their order."""
        return tuple(tuple(map(weight, found)) if found else () for found in self.figures)

    @cached_property
    def sizes_before(self) -> tuple[int, ...]:
        """The letters of the lines before each line, and of all of them (a running sum)."""
        return (0, *accumulate(line.size for line in self.lines))


def primed(doc: Doc, signals: frozenset[str], speakers: frozenset[str]) -> Doc:
    """The document with its `signals` and `speakers` already given (the values they compute,
    from a reader that has them at hand: pipeline/pair/table.py)."""
    doc.__dict__.update(signals=signals, speakers=speakers)
    return doc


NOTHING: frozenset[str] = frozenset()  # the signals or speakers of a line that has none


@lru_cache(maxsize=200_000)
def weight(signal: str) -> float:
    """What one shared signal is worth."""
    kind, value = signal[0], signal[2:]
    if kind == "p":
        return _PERSON
    if kind == "w":
        return _WORD
    if value.isdigit() and 1900 <= int(value) <= 2100:
        return _YEAR
    if value.isdigit() and int(value) < 32:
        return _SMALL
    return _FIGURE


@lru_cache(maxsize=100_000)
def _person_keys(name: str | None, lang: str) -> tuple[str, ...]:
    """The person keys of a speaker's or reporter's name, once per distinct name (the same
    reporters and officials speak in document after document)."""
    if not name:
        return ()
    if lang == "ko":
        return tuple(nm.korean_name_keys(name))
    parts = name.replace("-", "- ").split()
    if len(parts) >= 2:
        return tuple(nm.english_names(name) or nm.english_name_keys(parts[0], "".join(parts[1:])))
    return ()


def line_signals(text: str, lang: str) -> frozenset[str]:
    """The numbers, person names and name-like words of one line."""
    found = [_number(v) for v in numbers(text, lang)]
    # one string object per distinct signal, so that a state stores each once
    return frozenset(found + nm.signals(text, lang))


@lru_cache(maxsize=100_000)
def _number(value: str) -> str:
    return sys.intern(f"n:{value}")


def _block_head(text: str) -> re.Match[str] | None:
    """The head of a quote block the text opens with ([구병삼/통일부 대변인 : "…), if any."""
    # a head opens with a bracket: most lines have none, and `in` is quicker than the pattern
    return _BLOCK_HEAD.match(text) if "[" in text else None


def _head_keys(head: re.Match[str] | None, lang: str, book: RoleBook) -> tuple[str, ...]:
    """The person keys of the speaker a block's head names, where the script code found no
    block (the text stops inside it, or runs on)."""
    if head is None:
        return ()
    who = speaker(head.group("head"), book)
    return _person_keys(who.name, lang) if who is not None and who.kind == "person" else ()


def _units(i: int, text: str, book: RoleBook) -> tuple[list[Line], list[str]]:
    """A Korean line that runs a whole report together (a video description) as its sentences,
    part markers and quote blocks, so that they align one by one; each keeps line `i`. Their
    signals unread, and the texts they are read from."""
    units, said = [], []
    for piece in _PIECES.split(text):
        piece = piece.strip()
        if not piece:
            continue
        marker = _KO_MARKER.fullmatch(piece)
        head = _block_head(piece)
        if marker is not None:
            kind = "anchor" if marker.group(1) == "앵커" else "report"
        else:
            kind = "quote" if head else "text"
        size = sum(map(str.isalnum, piece))
        who = frozenset(_head_keys(head, "ko", book))
        units.append(Line(kind, NOTHING, who, size, i))
        said.append(piece)
    return units, said


def read_doc(
    doc_id: str,
    texts: Sequence[str],
    lang: str,
    date: dt.date | None,
    book: RoleBook,
    counts: np.ndarray | None = None,
    roles: Sequence[str] | None = None,
) -> Doc:
    """A document's pairing features from its body lines (`texts`, non-empty lines in order);
    `counts`: their script_counts_many where the caller has them (a batch's lines counted at
    once); `roles`: their script roles where the caller has them (detect's), else read here."""
    units, said, filed = layout(texts, lang, book, counts, roles)
    lines = tuple(
        u if text is None else Line(u.kind, line_signals(text, lang), u.speakers, u.size, u.line)
        for u, text in zip(units, said, strict=True)
    )
    return Doc(doc_id, lang, date, lines, filed)


def layout(
    texts: Sequence[str],
    lang: str,
    book: RoleBook,
    counts: np.ndarray | None = None,
    roles: Sequence[str] | None = None,
) -> tuple[list[Line], list[str | None], frozenset[str]]:
    """read_doc's units, their signals not yet read; the text each one's are read from, in
    `lang` (None: a line in the other script, which carries none); the document's reporters."""
    if counts is None:
        counts = script_counts_many(list(texts))
    letters = counts.tolist()  # one list of rows, not a numpy row per line
    langs = ["ko" if h > la else "en" for h, la, _ in letters]
    if roles is None:
        # the blocks the roles were read with are the ones bite_blocks finds from the roles
        # (tests/script/test_properties.py): no need to look again
        reading = read(texts, langs, book)
        line_roles, blocks = reading.roles, reading.blocks
    else:
        line_roles, blocks = list(roles), bite_blocks(texts, langs, roles, book)
    speakers: dict[int, set[str]] = {}
    for b in blocks:
        speakers.setdefault(b.first, set()).update(_person_keys(b.speaker.name, langs[b.first]))
    quoted = set(speakers)
    units: list[Line] = []
    said: list[str | None] = []
    make = tuple.__new__  # Line(…) without NamedTuple's __new__, a Python call per line
    korean = lang == "ko"
    for i, (text, role, (h, la, other)) in enumerate(zip(texts, line_roles, letters, strict=True)):
        size = h + la + other
        if korean and size > _RUN_ON:
            pieces, texts_of = _units(i, text, book)
            units += pieces
            said += texts_of
            continue
        if langs[i] != lang and h + la > 0:
            # a line in the other script (KBS's Korean tip-line footer under an English page)
            # translates nothing: it neither links nor counts as evidence
            units.append(make(Line, ("foreign", NOTHING, NOTHING, size, i)))
            said.append(None)
            continue
        head = _block_head(text)
        if role == "marker":
            after = next((r for r in line_roles[i + 1 :] if r != "marker"), "text")
            kind = after if after in ("anchor", "report") else "marker"
        else:
            kind = "quote" if head or i in quoted else "text"
        who = speakers.get(i) or (_head_keys(head, lang, book) if head else None)
        units.append(make(Line, (kind, NOTHING, frozenset(who) if who else NOTHING, size, i)))
        said.append(text)
    filed = {k for name in reporters(texts, line_roles, book) for k in _person_keys(name, lang)}
    return units, said, frozenset(filed)
