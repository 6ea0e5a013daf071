"""Which broadcaster a document is from, by the evidence: its footer, its sign-off, its path."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pipeline.rules.pack import RuleSet


def infer_broadcaster(
    text: str, source_path: str, rule_ids: Iterable[str], rules: RuleSet
) -> str | None:
    """The pack whose rules removed most, else whose sign-off appears, else the one in the path."""
    votes = Counter(
        p.name for p in (rules.pack_of(r) for r in rule_ids) if p is not None and p.id != "generic"
    )
    if votes:
        return max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0]
    signed = rules.signed_off(text)
    if signed is not None:
        return signed.name
    words = {w.lower() for w in re.split(r"[^0-9A-Za-z가-힣]+", source_path) if w}
    for pack in rules.packs:
        if pack.id != "generic" and (
            pack.id in words or any(a.lower() in words for a in pack.aliases)
        ):
            return pack.name
    return None
