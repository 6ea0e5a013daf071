"""The role of every body line of a broadcast script, carried from the part markers down.

A line is, in this order: part of a quote block (quote, or interview for an interview's bite); a
part marker alone (marker), which gives the lines after it the role it governs until the next
marker; a marker with words after it on the same line ("[앵커] 김 기자 수고했습니다",
"◀ Anchor ▶World markets …"), which gives that line the role it governs, and the lines after it
too; a sign-off, byline, credit or caption by the role rules (pipeline/roles); body furniture the
promotion detector knows (pipeline/detector/units.furniture: bylines, credits, photo credits,
markers; its sign-offs are looser than a role needs, "지금까지 … 입니다" among them) that no rule
names; else the role the last marker governs (text before any marker). After a sign-off the
report is over: the lines after it are text.

A bite marker ([인터뷰] governs interview, [녹취] quote: book.BITES) governs its bite only: the rest
of its own line ("[인터뷰] 홍길동 / 시민 : …"), or else the next line, where a speaker's head may
stand without brackets ("홍길동 / 시민 : …") and a block may run over several lines; a bare head
right after such a bite is another bite of the marker (two people asked in a row). After the bites
the part they interrupted (report, anchor) goes on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.detector.units import furniture, may_be_role_furniture
from pipeline.script.blocks import Block, block
from pipeline.script.book import BITES, Matcher, RoleBook, RoleRule

# The detector's kinds of body furniture, as roles.
_FURNITURE_ROLE = {
    "byline": "byline",
    "credit": "credit",
    "photo": "caption",
    "marker": "marker",
}
_FURNITURE_MAX = 200  # longer lines are sentences, whatever the detector would say
_MAY_OPEN = re.compile(r"\s*[\[<＜{【〔‹◀]")


@dataclass(frozen=True)
class Reading:
    roles: list[str]
    rules: list[RoleRule | None]  # the rule that decided each line, where one did
    blocks: list[Block]


def match(text: str, lang: str, outlet: str | None, book: RoleBook) -> tuple[RoleRule, int] | None:
    """The first rule that matches where the line starts, and where its match ends."""
    return book.matcher(lang, outlet).match(text)


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
    bite: str | None = None  # a bite marker alone on the line before: the role of its bite
    more: str | None = None  # a bare bite just ended: a bare head next is one more of its bites
    until, inside = 0, "quote"  # lines before `until` belong to a block, whose role is `inside`
    matchers: dict[str, Matcher] = {}  # by language
    for i, text in enumerate(lines):
        if i < until:
            roles.append(inside)
            rules.append(None)
            continue
        matcher = matchers.get(langs[i])
        if matcher is None:
            matcher = matchers[langs[i]] = book.matcher(langs[i], outlet)
        found = matcher.match(text)
        if (  # most lines: no rule, bracket or furniture, no bite announced: the part's role
            found is None
            and bite is None
            and more is None
            and not _MAY_OPEN.match(text)
            and not may_be_role_furniture(text)
        ):
            roles.append(current)
            rules.append(None)
            continue
        rule, at = found if found is not None else (None, 0)
        announced, bite, again = bite, None, more
        more = None
        if rule is not None and rule.role == "marker":
            assert rule.governs is not None
            if not text[at:].strip():
                if rule.governs in BITES:
                    bite = rule.governs
                else:
                    current = rule.governs
                roles.append("marker")
                rules.append(rule)
                continue
            if rule.governs in BITES:
                announced = rule.governs
            else:
                current = rule.governs
        elif rule is not None:
            roles.append(rule.role)
            rules.append(rule)
            if rule.role == "signoff":
                current = "text"
            continue
        bare = announced is not None or (again is not None and rule is None)
        if bare or _MAY_OPEN.match(text, at):
            b = block(lines, i, at, book, bare=bare)
            if b is not None:
                blocks.append(b)
                inside = announced or (again if b.bare else None) or "quote"
                until, more = i + b.n_lines, inside if b.bare else None
                roles.append(inside)
                rules.append(rule)
                continue
        if announced is not None:  # a bite whose speaker the script does not name
            roles.append(announced)
            rules.append(rule)
            continue
        if rule is not None:
            roles.append(current)
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
