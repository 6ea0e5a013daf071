"""A ceiling on how many shingles two documents share, from a small bitmap per document.

Most candidate pairs that LSH proposes are unrelated reports sharing a stock sentence or two
(0.1 % of unrelated pairs in real news, benchmarks/candidates.py), and few of them come near the
containment a copy needs; their exact overlap (verify.py) is most of dedup's work. Each
document's shingles (uniform 32-bit hashes) set bits in a bitmap of 2**BITS buckets, by their
top bits. A shingle both documents hold sets the same bucket in both, so

    shared  ≤  |buckets set in both|  +  (either's shingles - the buckets they set)

(the second term: shingles of one document that share a bucket with another of its own). That
ceiling is never below the exact overlap; a pair whose ceiling cannot reach the containment or
the Jaccard of a copy is not one, and is not verified. A figure of the two documents alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.dedup.verify import Params

BITS = 13  # 8,192 buckets, 1 KB a document: at 20,000 documents it leaves 1 candidate in 9
_WORD = 64


def bitmaps(
    grams: Sequence[np.ndarray], bits: int = BITS, block: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """Each document's bitmap ((n, 2**bits / 64) uint64) and how many of its shingles share a
    bucket with another of its own (grams: each document's sorted unique uint32 shingles)."""
    width = 1 << bits
    words = max(1, width // _WORD)
    out = np.zeros((len(grams), words), dtype=np.uint64)
    sizes = np.array([len(g) for g in grams], dtype=np.int64)
    if not sizes.sum():
        return out, sizes
    bucket = np.concatenate(grams) >> np.uint32(32 - bits)
    ends = np.cumsum(sizes)
    # a block of documents at a time: one flag per bucket, set, then packed 8 to a byte
    for first in range(0, len(grams), block):
        last = min(first + block, len(grams))
        lo, hi = int(ends[first] - sizes[first]), int(ends[last - 1])
        flags = np.zeros((last - first) * max(width, _WORD), dtype=bool)
        at = np.repeat(
            np.arange(last - first, dtype=np.int64) * max(width, _WORD), sizes[first:last]
        )
        flags[at + bucket[lo:hi]] = True
        packed = np.packbits(flags.reshape(last - first, -1), axis=1, bitorder="little")
        out[first:last] = packed.view(np.uint64)
    spare = sizes - np.bitwise_count(out).sum(axis=1, dtype=np.int64)
    return out, spare


def ceilings(
    pairs: np.ndarray, sizes: np.ndarray, maps: np.ndarray, spare: np.ndarray, block: int = 4096
) -> np.ndarray:
    """Per pair (a, b) of indices into sizes/maps/spare (bitmaps()): a number of shared
    shingles the pair cannot exceed."""
    out = np.empty(len(pairs), dtype=np.int64)
    for start in range(0, len(pairs), block):
        a, b = pairs[start : start + block, 0], pairs[start : start + block, 1]
        both = np.bitwise_count(maps[a] & maps[b]).sum(axis=1, dtype=np.int64)
        out[start : start + block] = np.minimum(
            both + np.minimum(spare[a], spare[b]), np.minimum(sizes[a], sizes[b])
        )
    return out


def may_be_copies(
    pairs: np.ndarray, sizes: np.ndarray, ceiling: np.ndarray, p: Params
) -> np.ndarray:
    """Whether each pair could verify as a copy (verify.py) with at most `ceiling` shingles
    shared: its containment or its Jaccard at that overlap reaches the threshold. Computed as
    verify computes them, and both only grow with the overlap, so a pair that fails here fails
    there. (Exact copies verify on their key: the caller keeps those.)"""
    a, b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    short, long = np.minimum(a, b), np.maximum(a, b)
    containment = ceiling / np.maximum(short, 1)
    jaccard = ceiling / np.maximum(short + long - ceiling, 1)
    return (short > 0) & ((containment >= p.containment) | (jaccard >= p.near_jaccard))
