"""Is a candidate pair a copy? Shingle overlaps computed exactly, and the rule that reads them.

MinHash only proposes pairs; the decision is taken on the shingle sets themselves:
- near: Jaccard ≥ near_jaccard, the two texts are mostly the same;
- or the shorter text lies mostly inside the longer (containment ≥ containment), *and* its
  narration does too (narration ≥ narration): a preview, an excerpt or a copy in another
  wrapper. A short report that shares a long quote or a release sentence with another report,
  in its own words around it, fails the second half: its narration is not in the other text.
  A text that is mostly quotation (narration under narration_share of it) has too little
  narration to tell; it is a copy by Jaccard alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.dedup.text import Shingled

EXACT, NEAR, CONTAINED = "exact", "near", "contained"
RELATIONS = (EXACT, NEAR, CONTAINED)


@dataclass(frozen=True)
class Params:
    """Shingling, MinHash and verification settings; an index is built and read with one set."""

    ngram: int = 7
    min_chunk: int = 40  # key characters per chunk (sentences are joined up to this)
    num_perm: int = 32  # MinHash permutations per chunk
    bands: int = 8
    rows: int = 4  # bands × rows = num_perm
    min_hits: int = 2  # band keys a pair must share to be verified (one is often a stock phrase)
    min_share: float = 0.1  # and one side's share of its chunks that meet the other's (index.py)
    seed: int = 1414
    near_jaccard: float = 0.5
    containment: float = 0.45
    narration: float = 0.25
    narration_share: float = 1 / 3
    contained_ratio: float = 0.7  # shorter/longer below this, containment ≥ 0.8: "contained"

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands × rows must be num_perm: {self.bands} × {self.rows}")


# The rule before any look at labelled data: Jaccard ≥ 0.5 or containment ≥ 0.8, no narration
# test; what `newspipe eval-dedup --untuned` scores.
UNTUNED = Params(containment=0.8, narration=0.0, narration_share=0.0)


@dataclass(frozen=True)
class Verdict:
    jaccard: float
    containment: float
    narration: float
    relation: str | None  # None: not a copy

    @property
    def similarity(self) -> float:
        """The figure reported for the pair: Jaccard for near copies, containment otherwise."""
        return self.jaccard if self.relation in (EXACT, NEAR) else self.containment


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """How many values a and b share (each sorted and unique): the two put together and sorted
    stably, which merges two sorted runs in one pass (np.intersect1d sorts them from scratch)."""
    both = np.concatenate([a, b])
    both.sort(kind="stable")
    return int(np.count_nonzero(both[1:] == both[:-1]))


def verify(
    a: Shingled, b: Shingled, params: Params, same_text: bool = False, explain: bool = True
) -> Verdict:
    """The verdict on two shingled bodies (same_text: their exact keys are equal). explain=False:
    the narration figure is left 0.0 where it cannot change the verdict (the index keeps the
    verdicts of copies only; a candidate that fails both Jaccard and containment saves a third
    overlap)."""
    short, long = (a, b) if len(a.grams) <= len(b.grams) else (b, a)
    if not len(short.grams):  # too short to compare: never a copy of anything
        return Verdict(0.0, 0.0, 0.0, None)
    if same_text:
        return Verdict(1.0, 1.0, 1.0, EXACT)
    shared = overlap(short.grams, long.grams)
    jaccard = shared / (len(short.grams) + len(long.grams) - shared)
    containment = shared / len(short.grams)
    needed = explain or jaccard >= params.near_jaccard or containment >= params.containment
    told = (
        overlap(short.narration, long.grams) / len(short.narration)
        if needed and len(short.narration)
        else 0.0
    )
    relation = None
    if jaccard >= params.near_jaccard:
        relation = NEAR
    elif (
        containment >= params.containment
        and told >= params.narration
        and len(short.narration) >= params.narration_share * len(short.grams)
    ):
        ratio = len(short.grams) / len(long.grams)
        relation = CONTAINED if containment >= 0.8 and ratio < params.contained_ratio else NEAR
    return Verdict(jaccard, containment, told, relation)
