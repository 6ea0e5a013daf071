"""The generic promotion detector: promotion that no rule pack names, found from evidence.

`find(text, body_start, taken)` returns the stretches of a document to remove, each with the
category of its evidence (copyright, notice, tipline, subscribe, link, channel, plug), its score
and the evidence itself; `judge` gives the verdict on every unit, for `newspipe explain`. The
result depends on the document alone and is the same on every engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.detector.blocks import SEED, WEAK, Verdict, judge
from pipeline.detector.evidence import Score, score

VERSION = "1"
# What the detector's output depends on: its code (weights and lexicon are code). A change to
# any of it changes the rule set's digest, so the stages after it run again.
DIGEST = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))
).hexdigest()[:16]
# The rule packs' kinds that each category of evidence is reported as.
KIND = {
    "copyright": "copyright",
    "notice": "copyright",
    "tipline": "tipline",
    "subscribe": "subscribe",
    "link": "link",
    "channel": "channel",
    "plug": "link",
}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    category: str
    probability: float
    evidence: str
    reason: str

    @property
    def rule_id(self) -> str:
        return rule_id(self.category)


def rule_id(category: str) -> str:
    """The rule id the detector's removals of a category are recorded under."""
    return f"detector_{category}_v{VERSION}"


def find(text: str, body_start: int = 0, taken: Sequence[tuple[int, int]] = ()) -> list[Found]:
    """What the detector removes from a document, beyond the spans already taken."""
    found = []
    for v in judge(text, body_start, taken):
        if not v.removed or v.cls == "X":
            continue
        s = v.score
        category = s.category if s is not None else "plug"
        found.append(
            Found(
                v.unit.start,
                v.unit.end,
                category,
                round(s.probability, 3) if s is not None else 0.5,
                s.describe() if s is not None else "",
                v.reason,
            )
        )
    return found


__all__ = [
    "DIGEST",
    "KIND",
    "SEED",
    "VERSION",
    "WEAK",
    "Found",
    "Score",
    "Verdict",
    "find",
    "judge",
    "rule_id",
    "score",
]
