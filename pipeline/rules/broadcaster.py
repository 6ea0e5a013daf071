"""Which broadcaster a document is from, by the evidence: its footer, its sign-off, its path."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pipeline.rules.pack import RuleSet


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.split(r"[^0-9A-Za-z가-힣]+", text) if w}


def name_outlet(outlet: str, rules: RuleSet) -> str:
    """A record's outlet as the broadcaster column names it: its pack's name, else as written.

    A pack knows an outlet by its name or an alias, or by a word of a domain (news.kbs.co.kr).
    """
    packs = [p for p in rules.packs if p.id != "generic"]
    said = outlet.strip()
    lowered = said.lower()
    for pack in packs:
        if lowered in {pack.id, pack.name.lower(), *(a.lower() for a in pack.aliases)}:
            return pack.name
    # A dotted alias (en.yna) names a host's labels before a broader word (yna) does.
    host = f".{lowered}."
    for pack in packs:
        if any("." in a and f".{a.lower()}." in host for a in pack.aliases):
            return pack.name
    words = _words(said)
    for pack in packs:
        if pack.id in words or any(a.lower() in words for a in pack.aliases):
            return pack.name
    return said


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
    words = _words(source_path)
    for pack in rules.packs:
        if pack.id != "generic" and (
            pack.id in words or any(a.lower() in words for a in pack.aliases)
        ):
            return pack.name
    return None
