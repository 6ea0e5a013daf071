"""Text helpers shared by the stages: normalisation and script evidence."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

# Zero-width and invisible formatting characters that scrapers leave behind. U+FEFF is a BOM
# when first and a zero-width no-break space elsewhere; both go.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LINE_BREAKS = "\r\u2028\u2029\x85\x0b\x0c"  # line ends other than \n
# Control characters other than tab and newline (NUL among them) carry no text.
_CONTROL_CHARS = "\x00-\x08\x0e-\x1f\x7f"
# A lone surrogate (a JSON record's "\ud800" escape) is no character: UTF-8, so Parquet, cannot
# hold it. It becomes U+FFFD, the replacement character, as an undecodable byte would.
_SURROGATE_CHARS = "\ud800-\udfff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_NEWLINES = re.compile(f"\r\n?|[{_LINE_BREAKS}]")
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
_ANY_OF_THEM = re.compile(f"[{_INVISIBLE_CHARS}{_LINE_BREAKS}{_CONTROL_CHARS}{_SURROGATE_CHARS}]")


def normalise(text: str) -> str:
    """NFC, LF line ends, no zero-width or control characters, no lone surrogates."""
    if _ANY_OF_THEM.search(text):  # most texts have none: one scan instead of four
        text = _NEWLINES.sub("\n", text)
        text = _INVISIBLE.sub("", text)
        text = _CONTROL.sub("", text)
        text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """Whitespace runs as one space, trimmed: the form in which body lines are compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# What is not language evidence: addresses read as Latin words would make a Korean footer English.
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|@\w+"  # handles
    r"|\b[\w-]+(?:\.[a-z]{2,})+(?:/\S*)?",  # bare domains such as news.kbs.co.kr
    re.IGNORECASE,
)


# What `[a-z]` matches besides ASCII letters when case is ignored (see the re module's docs).
_CASE_FOLDS_TO_ASCII = np.array([0x130, 0x131, 0x17F, 0x212A], dtype=np.uint32)

# Letters by script, as code point ranges (inclusive).
_HANGUL = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))
_LATIN = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F), (0x1E00, 0x1EFF))
# A letter is what `[^\W\d_]` matches: a word character that is not a digit or an underscore.
_LETTER = re.compile(r"[^\W\d_]")


_HANGUL_BIT, _LATIN_BIT, _LETTER_BIT = 1, 2, 4


@functools.cache
def _class_table() -> np.ndarray:
    """For every code point of the Basic Multilingual Plane: its Hangul, Latin and letter bits."""
    table = np.fromiter(
        (_LETTER_BIT if _LETTER.match(chr(c)) else 0 for c in range(0x10000)),
        dtype=np.uint8,
        count=0x10000,
    )
    for ranges, bit in ((_HANGUL, _HANGUL_BIT), (_LATIN, _LATIN_BIT)):
        for lo, hi in ranges:
            table[lo : hi + 1] |= bit
    return table


def script_counts_many(texts: Sequence[str]) -> np.ndarray:
    """(Hangul, Latin, other) letters of each text, ignoring URLs, e-mail addresses and handles.
    Returns an integer array of shape (len(texts), 3)."""
    return scripts(letter_counts_many(texts))


def scripts(letters: np.ndarray) -> np.ndarray:
    """(Hangul, Latin, other) counts from (Hangul, Latin, all letters) counts."""
    counts = letters.copy()
    counts[:, 2] = np.maximum(0, letters[:, 2] - letters[:, 0] - letters[:, 1])
    return counts


def letter_counts_many(texts: Sequence[str]) -> np.ndarray:
    """(Hangul, Latin, all letters) of each text, ignoring URLs, e-mail addresses and handles:
    what script_counts_many counts, before `other` is taken out. No address spans a blank, so
    the rows of texts add up to the row of the texts joined by blanks or newlines.

    All the texts are classed in one pass, laid end to end with a newline between them: one
    table lookup per code point, then one sum per text and script (np.add.reduceat over each
    text's span and its newline, which counts as nothing).
    """
    if not texts:
        return np.zeros((0, 3), dtype=np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    joined = "\n".join(texts)
    code = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4").copy()
    for line_start, line_end in _lines_with_addresses(joined, code):
        for m in _NOT_WORDS.finditer(joined, line_start, line_end):
            code[m.start() : m.end()] = 0x20  # counted as a space
    classes = _class_table()[np.minimum(code, 0xFFFF)]
    for at in np.flatnonzero(code > 0xFFFF).tolist():  # beyond the BMP: rare, one by one
        classes[at] = _LETTER_BIT if _LETTER.match(joined[at]) else 0
    # a last class of nothing, so that an empty last text starts inside the array
    classes = np.append(classes, np.uint8(0))
    counts = np.empty((len(texts), 3), dtype=np.int64)
    for column, bit in enumerate((_HANGUL_BIT, _LATIN_BIT, _LETTER_BIT)):
        counts[:, column] = np.add.reduceat((classes & bit) != 0, starts, dtype=np.int64)
    return counts


def _lines_with_addresses(joined: str, code: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each line that may hold an address: the full pattern runs on those only.

    A line qualifies when it has an "@", a "://", a "www." or a full stop before two letters:
    every address has one (a line with none cannot match _NOT_WORDS). Found with array
    comparisons over the code points; no address crosses a newline.
    """
    if len(code) < 3:
        return [(0, len(joined))] if len(code) else []
    a, b, c = code[:-2], code[1:-1], code[2:]
    ascii_letter = ((code | 0x20) >= 0x61) & ((code | 0x20) <= 0x7A)
    letter = ascii_letter | np.isin(code, _CASE_FOLDS_TO_ASCII)
    w = (code | 0x20) == 0x77
    hits = code == 0x40  # @
    hits[:-2] |= (a == 0x3A) & (b == 0x2F) & (c == 0x2F)  # ://
    hits[:-2] |= (a == 0x2E) & letter[1:-1] & letter[2:]  # .xx
    hits[:-3] |= w[:-3] & w[1:-2] & w[2:-1] & (code[3:] == 0x2E)  # www.
    at = np.flatnonzero(hits)
    if not len(at):
        return []
    newlines = np.flatnonzero(code == 0x0A)
    line = np.unique(np.searchsorted(newlines, at))
    ends = np.append(newlines, len(code))
    starts = np.concatenate(([0], newlines + 1))
    return list(zip(starts[line].tolist(), ends[line].tolist(), strict=True))


def script_counts(text: str) -> tuple[int, int, int]:
    """Count (Hangul, Latin, other) letters of one text, ignoring URLs, e-mails and handles."""
    hangul, latin, other = script_counts_many([text])[0].tolist()
    return hangul, latin, other
