"""The role of every body line of a broadcast script, carried from the part markers down.

A line is, in this order: part of a quote block (quote); a part marker alone (marker), which gives
the lines after it the role it governs until the next marker; a marker with words after it on the
same line ("[앵커] 김 기자 수고했습니다", "◀ Anchor ▶World markets …"), which gives that line the
role it governs, and the lines after it too, except an interview marker: a script writes
"[인터뷰] 홍길동 / 시민 : …" for one line and goes back to the report; a sign-off, byline, credit or
caption by the role rules (pipeline/roles); under an interview marker, a speaker's head without
brackets ("홍길동 / 시민 : …") opens a quote too; body furniture the promotion detector knows
(pipeline/detector/units.furniture: bylines, credits, photo credits, markers; its sign-offs are
looser than a role needs, "지금까지 … 입니다" among them) that no rule names; else the role the last
marker governs (text before any marker). After a sign-off the report is over: the lines after it
are text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.detector.units import furniture
from pipeline.script.blocks import Block, block
from pipeline.script.book import RoleBook, RoleRule

# The detector's kinds of body furniture, as roles.
_FURNITURE_ROLE = {
    "byline": "byline",
    "credit": "credit",
    "photo": "caption",
    "marker": "marker",
}
_FURNITURE_MAX = 200  # longer lines are sentences, whatever the detector would say
_MAY_OPEN = re.compile(r"\s*[\[<＜{]")


@dataclass(frozen=True)
class Reading:
    roles: list[str]
    rules: list[RoleRule | None]  # the rule that decided each line, where one did
    blocks: list[Block]


def match(text: str, lang: str, outlet: str | None, book: RoleBook) -> tuple[RoleRule, int] | None:
    """The first rule that matches where the line starts, and where its match ends."""
    if not book.guard.match(text):
        return None
    for rule in book.by_lang.get(lang, book.by_lang["mixed"]):
        if rule.outlet is not None and outlet is not None and rule.outlet.lower() != outlet.lower():
            continue
        m = rule.pattern.match(text)
        if m is not None:
            return rule, m.end()
    return None


def read(
    texts: Sequence[str], langs: Sequence[str], book: RoleBook, outlet: str | None = None
) -> Reading:
    """The roles of one document's body lines (in order), the rules that decided them, and its
    quote blocks."""
    lines = list(texts)
    roles: list[str] = []
    rules: list[RoleRule | None] = []
    blocks: list[Block] = []
    current = "text"
    until = 0  # lines before this one belong to a quote block
    for i, text in enumerate(lines):
        if i < until:
            roles.append("quote")
            rules.append(None)
            continue
        found = match(text, langs[i], outlet, book)
        rule, at = found if found is not None else (None, 0)
        if rule is not None and rule.role == "marker":
            assert rule.governs is not None
            if not text[at:].strip():
                current = rule.governs
                roles.append("marker")
                rules.append(rule)
                continue
            if rule.governs != "interview":
                current = rule.governs
        elif rule is not None:
            roles.append(rule.role)
            rules.append(rule)
            if rule.role == "signoff":
                current = "text"
            continue
        bare = rule.governs == "interview" if rule is not None else current == "interview"
        if bare or _MAY_OPEN.match(text, at):
            b = block(lines, i, at, book, bare=bare)
            if b is not None:
                blocks.append(b)
                until = i + b.n_lines
                roles.append("quote")
                rules.append(rule)
                continue
        if rule is not None:
            roles.append(rule.governs or current)
            rules.append(rule)
            continue
        kind = furniture(text) if len(text) <= _FURNITURE_MAX else None
        role = _FURNITURE_ROLE.get(kind or "")
        roles.append(role or current)
        rules.append(None)
        if role == "signoff":
            current = "text"
    return Reading(roles, rules, blocks)


def roles(
    texts: Sequence[str], langs: Sequence[str], book: RoleBook, outlet: str | None = None
) -> list[str]:
    """The role of each of one document's body lines: anchor, report, quote, interview, signoff,
    byline, credit, caption, marker or text."""
    return read(texts, langs, book, outlet).roles
