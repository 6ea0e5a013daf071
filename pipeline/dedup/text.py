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
from collections.abc import Sequence
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
# English apostrophe, "Korea's", never opens one). The quote comes first and the look behind
# it after (`'(?<![^\W_]')`, not `(?<![^\W_])'`): the engine then skips to the next quote
# instead of looking behind every character, five times faster on a body.
_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|'(?<![^\W_]')[^'\n]{1,300}'(?![^\W_])")
_NOT_KEY = re.compile(r"[\W_]+")
# A sentence ends at a line break or after . ! ? … not followed by a digit (33.3% is one word).
_SENTENCE_END = re.compile(r"\n|(?<=[.!?…。])(?!\d)")
_MARK = "\x1f"  # a sentence end, kept through the key (it is no letter, so no text has it)
# _SENTENCE_END.sub(_MARK, text) in two passes that each scan for a character (twice as fast):
# a mark after the stops, then the line breaks made marks (a stop before one gets none).
_STOP = re.compile(r"[.!?…。](?![\d\n])")
# A body shingle_many leaves to shingle: it has a character past the Basic Multilingual Plane,
# one whose lower case is two characters (İ, the only one in the plane), or a sigma (whose
# lower case depends on the letters around it). A test holds the list to the Unicode database.
_ALONE = re.compile("[\u0130\u03a3\u03c3\U00010000-\U0010ffff]")
_NOT_KEY_OR_MARK = re.compile(r"[^\w\x1f]+|_")

_BASE = np.uint64(1_000_003)
MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it spreads the bits


_ANY_QUOTE = re.compile("[" + "".join(chr(c) for c in _QUOTES) + "]")


def fold(body: str) -> str:
    """NFC with the quote styles folded: the text dedup reads."""
    body = unicodedata.normalize("NFC", body)
    # str.translate walks every character in Python-level lookups; most bodies need one scan
    return body.translate(_QUOTES) if _ANY_QUOTE.search(body) else body


def exact_key(body: str, folded: bool = False) -> bytes:
    """The hash two exact copies share: NFC, quotes and whitespace folded, digits and case kept
    (folded: the body is fold's already; fold is idempotent)."""
    text = " ".join((body if folded else fold(body)).split())  # str.split: the \s of re
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True)
class Shingled:
    """A body's shingles and narration shingles (sorted, unique uint32), and its chunks' grams."""

    grams: np.ndarray
    narration: np.ndarray
    chunks: list[np.ndarray]


# Whether each code point of the Basic Multilingual Plane is a key character: a letter or digit
# (what `\w` matches, but "_"), or the sentence mark.
_KEY_POINT = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
_KEY_POINT[ord(_MARK)] = True


def _mark_sentences(text: str) -> str:
    """The text with each sentence end marked (_SENTENCE_END.sub(_MARK, text), faster)."""
    return _STOP.sub("\\g<0>" + _MARK, text).replace("\n", _MARK)


def _key_mask_ends(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The body's letters and digits, lower-cased; for each, whether it lies in a quote; and
    the key positions where sentences end."""
    text = _mark_sentences(text)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(points) and int(points.max()) >= len(_KEY_POINT):  # an emoji, a rare CJK character
        return _key_mask_ends_slowly(text)
    # quoted: +1 where a quote opens, -1 where it closes, summed along the text (spans do
    # not overlap, so no two open or close at one place)
    spans = np.array([m.span() for m in _QUOTED.finditer(text)], dtype=np.int64).reshape(-1, 2)
    depth = np.zeros(len(points) + 1, dtype=np.int32)
    depth[spans[:, 0]] += 1
    depth[spans[:, 1]] -= 1
    quoted = np.cumsum(depth[:-1]) > 0
    keep = _KEY_POINT[points]
    kept = points[keep]
    joined = kept.tobytes().decode("utf-32-le").lower()
    if len(joined) != len(kept) or "σ" in joined:
        # a letter whose lower case is two ("İ"), or a sigma whose case depends on the piece
        return _key_mask_ends_slowly(text)
    is_mark = kept == ord(_MARK)
    ends = np.flatnonzero(is_mark) - np.arange(int(is_mark.sum()))
    return joined.replace(_MARK, ""), quoted[keep][~is_mark], ends


def _key_mask_ends_slowly(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """_key_mask_ends by regular expressions, piece by piece (text: with its sentence marks)."""
    keys: list[str] = []
    flags: list[bool] = []
    start = 0
    for match in _QUOTED.finditer(text):
        keys += [text[start : match.start()], match.group()]
        flags += [False, True]
        start = match.end()
    keys.append(text[start:])
    flags.append(False)
    pieces = [_NOT_KEY_OR_MARK.sub("", piece).lower() for piece in keys]
    marked = np.repeat(np.array(flags, dtype=bool), [len(p) for p in pieces])
    joined = "".join(pieces)
    is_mark = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32) == ord(_MARK)
    ends = np.flatnonzero(is_mark) - np.arange(int(is_mark.sum()))
    return joined.replace(_MARK, ""), marked[~is_mark], ends


def _gram_hashes(key: str, n: int) -> np.ndarray:
    """A hash per n-gram start of the key (uint32), a polynomial over its code points."""
    if len(key) < n:
        return np.zeros(0, dtype=np.uint32)
    points = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - n + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(n):
        acc = acc * _BASE + points[j : j + count]
    acc *= MIX  # spread the bits before keeping the upper half
    return (acc >> np.uint64(32)).astype(np.uint32)


def _unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2.4's np.unique hashes, 20 times slower on these arrays."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def shingle(body: str, n: int = 7, min_chunk: int = 40, folded: bool = False) -> Shingled:
    """The body's shingles, narration shingles and chunks (each chunk ≥ min_chunk key chars;
    folded: the body is fold's already)."""
    key, quoted, ends = _key_mask_ends(body if folded else fold(body))
    starts = _gram_hashes(key, n)
    grams = _unique(starts)
    if len(starts):
        # a gram is narration when none of its characters is quoted: the quoted characters
        # before its end less those before its start, by one running count
        before = np.concatenate([[0], np.cumsum(quoted, dtype=np.int32)])
        narration = _unique(starts[before[n:] == before[: len(starts)]])
    else:
        narration = starts
    return Shingled(grams, narration, _chunks(starts, ends.tolist(), len(key), n, min_chunk))


def _chunks(
    starts: np.ndarray, ends: list[int], size: int, n: int, min_chunk: int
) -> list[np.ndarray]:
    """Runs of sentences of at least min_chunk key characters, as slices of the gram starts (a
    short tail joins the last one). MinHash ignores repeats, so a chunk is its slice as it is."""
    spans: list[list[int]] = []
    begin = 0
    for end in [*ends, size]:
        if end - begin >= min_chunk:
            spans.append([begin, max(begin, end - n + 1)])
            begin = end
    if begin < size and spans:
        spans[-1][1] = len(starts)
    elif begin < size:
        spans.append([0, len(starts)])
    return [starts[a:b] for a, b in spans if b > a]


_BLOCK = 128  # bodies shingled together: at 20,000 bodies in one go, 1.5 times slower


def shingle_many(
    bodies: Sequence[str], n: int = 7, min_chunk: int = 40, folded: bool = False
) -> list[Shingled]:
    """`shingle` of each body (the reference; a test holds the two equal), with the array work
    done once for all of them: per body only its expressions and its chunks' loop run."""
    texts = [b if folded else fold(b) for b in bodies]
    out: list[Shingled | None] = [None] * len(texts)
    plain = []
    for i, text in enumerate(texts):
        if _ALONE.search(text):
            out[i] = shingle(text, n, min_chunk, folded=True)
        else:
            plain.append(i)
    for k in range(0, len(plain), _BLOCK):  # the arrays of a block stay in the caches
        block = plain[k : k + _BLOCK]
        done = _shingle_plain([texts[i] for i in block], n, min_chunk)
        for i, shingled in zip(block, done, strict=True):
            out[i] = shingled
    return [s for s in out if s is not None]


def _shingle_plain(texts: list[str], n: int, min_chunk: int) -> list[Shingled]:
    """shingle_many of bodies _ALONE finds nothing in. Marked, they are joined by line breaks
    (a marked body has none left, and no quote spans one), so one pass of the quote expression
    finds every body's quotes, and one pass over the joined code points every key, mark and
    gram; a body's grams are those starting in its key that end there too."""
    marked = [_mark_sentences(t) for t in texts]
    joined = "\n".join(marked)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.array([len(m) for m in marked], dtype=np.int64)
    spans = [m.span() for m in _QUOTED.finditer(joined)]
    depth = np.zeros(len(points) + 1, dtype=np.int32)
    at = np.array(spans, dtype=np.int64).reshape(-1, 2)
    depth[at[:, 0]] += 1
    depth[at[:, 1]] -= 1
    keep = _KEY_POINT[points]
    quoted = (np.cumsum(depth[:-1], dtype=np.int32) > 0)[keep]
    body = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)[: len(points)][keep]
    lowered = points[keep].tobytes().decode("utf-32-le").lower()  # no sigma, no İ: as long
    kept = np.frombuffer(lowered.encode("utf-32-le"), dtype=np.uint32)
    is_mark = kept == ord(_MARK)
    mark_at = np.flatnonzero(is_mark) - np.arange(int(is_mark.sum()))  # in the joined key
    mark_body = body[is_mark]
    key, quoted, body = kept[~is_mark].astype(np.uint64), quoted[~is_mark], body[~is_mark]
    sizes = np.bincount(body, minlength=len(texts))
    key_at = np.cumsum(sizes) - sizes
    # gram hashes over the joined key, as _gram_hashes computes them over one key
    count = max(0, len(key) - n + 1)
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(n):
        acc = acc * _BASE + key[j : j + count]
    acc *= MIX
    hashes = (acc >> np.uint64(32)).astype(np.uint32)
    window = body[:count]
    inside = np.arange(count) + n <= (key_at + sizes)[window]
    before = np.concatenate([[0], np.cumsum(quoted, dtype=np.int32)])
    told = inside & (before[n : n + count] == before[:count])
    grams = _split_unique(hashes[inside], window[inside], len(texts))
    narration = _split_unique(hashes[told], window[told], len(texts))
    ends = np.split(
        mark_at - key_at[mark_body], np.searchsorted(mark_body, np.arange(1, len(texts)))
    )
    out = []
    for i in range(len(texts)):
        starts = hashes[key_at[i] : key_at[i] + max(0, int(sizes[i]) - n + 1)]
        chunks = _chunks(starts, ends[i].tolist(), int(sizes[i]), n, min_chunk)
        out.append(Shingled(grams[i], narration[i], chunks))
    return out


def _split_unique(hashes: np.ndarray, body: np.ndarray, bodies: int) -> list[np.ndarray]:
    """Each body's sorted unique hashes (body: the body of each hash, ascending)."""
    codes = np.sort((body.astype(np.uint64) << np.uint64(32)) | hashes.astype(np.uint64))
    first = np.ones(len(codes), dtype=bool)
    np.not_equal(codes[1:], codes[:-1], out=first[1:])
    codes = codes[first]
    values = codes.astype(np.uint32)  # the low half: the hash
    cuts = np.searchsorted(codes >> np.uint64(32), np.arange(1, bodies, dtype=np.uint64))
    return np.split(values, cuts)
