"""What dedup compares: a body's exact key, its shingles, its narration and its chunks.

Shingles are character n-grams of the body with whitespace and punctuation removed, case folded,
on NFC text: Hangul stays whole syllables (no jamo) and digits stay digits, so two market reports
with other numbers are not the same text. The narration is the body outside quotation marks:
copies share it, while different reports of one event share only the quote or the release
sentence they both cite. Chunks are runs of sentences; one MinHash per chunk lets a truncated
preview or an excerpt meet the longer copy it sits in, which a whole-document MinHash would miss.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

# Curly, low, angle and CJK corner quotes fold to the two straight ones.
_QUOTES = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "「": '"', "」": '"', "『": '"', "』": '"', "〝": '"', "〞": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "′": "'",
    }
)  # fmt: skip
# A quoted span: double quotes, or single quotes that open after a non-letter (so that an
# English apostrophe, "Korea's", never opens one).
_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|(?<![^\W_])'[^'\n]{1,300}'(?![^\W_])")
_NOT_KEY = re.compile(r"[\W_]+")
# A sentence ends at a line break or after . ! ? … not followed by a digit (33.3% is one word).
_SENTENCE_END = re.compile(r"\n|(?<=[.!?…。])(?!\d)")
_WS = re.compile(r"\s+")

_BASE = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def fold(body: str) -> str:
    """NFC with the quote styles folded: the text dedup reads."""
    return unicodedata.normalize("NFC", body).translate(_QUOTES)


def exact_key(body: str) -> bytes:
    """The hash two exact copies share: NFC, quotes and whitespace folded, digits and case kept."""
    text = _WS.sub(" ", fold(body)).strip()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True)
class Shingled:
    """A body's shingles (sorted, unique uint32), the narration's among them, and its chunks."""

    grams: np.ndarray
    narration: np.ndarray
    chunks: list[np.ndarray]


def _key_and_mask(text: str) -> tuple[str, np.ndarray]:
    """The body's letters and digits, lower-cased, and for each whether it lies in a quote."""
    keys: list[str] = []
    flags: list[bool] = []
    start = 0
    for match in _QUOTED.finditer(text):
        keys.append(text[start : match.start()])
        flags.append(False)
        keys.append(match.group())
        flags.append(True)
        start = match.end()
    keys.append(text[start:])
    flags.append(False)
    pieces = [_NOT_KEY.sub("", piece).lower() for piece in keys]
    mask = np.repeat(np.array(flags, dtype=bool), [len(p) for p in pieces])
    return "".join(pieces), mask


def _gram_hashes(key: str, n: int) -> np.ndarray:
    """A hash per n-gram start of the key (uint32), a polynomial over its code points."""
    if len(key) < n:
        return np.zeros(0, dtype=np.uint32)
    points = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - n + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(n):
        acc = acc * _BASE + points[j : j + count]
    acc *= _MIX  # spread the bits before keeping the upper half
    return (acc >> np.uint64(32)).astype(np.uint32)


def _sentence_lengths(text: str) -> list[int]:
    """The key length of each sentence of the text, in order."""
    return [len(_NOT_KEY.sub("", part)) for part in _SENTENCE_END.split(text)]


def shingle(body: str, n: int = 7, min_chunk: int = 40) -> Shingled:
    """The body's shingles, narration shingles and chunks (each chunk ≥ min_chunk key chars)."""
    text = fold(body)
    key, quoted = _key_and_mask(text)
    starts = _gram_hashes(key, n)
    grams = np.unique(starts)
    if len(starts):
        # a gram is narration when none of its characters is quoted
        window = np.lib.stride_tricks.sliding_window_view(quoted, n).any(axis=1)
        narration = np.unique(starts[~window])
    else:
        narration = starts
    spans: list[list[int]] = []
    begin = size = position = 0
    for length in _sentence_lengths(text):
        position += length
        size += length
        if size >= min_chunk:
            spans.append([begin, max(begin, position - n + 1)])
            begin, size = position, 0
    if size and spans:  # a short tail joins the last chunk
        spans[-1][1] = len(starts)
    elif size:
        spans.append([0, len(starts)])
    chunks = [np.unique(starts[a:b]) for a, b in spans if b > a]
    return Shingled(grams, narration, chunks)
