"""The draft pack of `rules suggest`: each suggestion with a keep-example, held to the checks of
`newspipe rules check` beside the packs, written as TOML with its support in comments."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pipeline.rules.check import check_examples
from pipeline.rules.engine import find_promotions
from pipeline.rules.pack import Pack, Rule, RuleSet
from pipeline.rules.suggest import HEAD, TAIL, Mined, Outlet, Suggestion
from pipeline.rules.template import LETTER, is_sentence, kind_of, template


def rule_ids(outlet: Outlet, rules: RuleSet) -> list[str]:
    """`<slug>_suggested_<n>_v1` for each suggestion, skipping ids a pack already has."""
    ids: list[str] = []
    n = 0
    while len(ids) < len(outlet.suggestions):
        n += 1
        if (rid := f"{outlet.slug}_suggested_{n}_v1") not in rules.by_id:
            ids.append(rid)
    return ids


def _draft_rules(outlet: Outlet, rules: RuleSet) -> RuleSet:
    """The rule set a run would have with the outlet's draft pack beside the packs."""
    pack = Pack(f"{outlet.slug}_suggested", outlet.name, Path("<draft>"), outlet.aliases, (), ())
    pack = replace(pack, rules=tuple(
        Rule(rid, pack.id, s.kind, "line", re.compile(s.pattern), None, None, True, s.example,
             s.keep or s.example)
        for rid, s in zip(rule_ids(outlet, rules), outlet.suggestions, strict=True)
    ))  # fmt: skip
    generic = tuple(p for p in rules.packs if p.id == "generic")
    others = tuple(p for p in rules.packs if p.id != "generic")
    return RuleSet((*others, pack, *generic), "draft", rules.detector, rules.roles)


def _untouched(keep: str, example: str, rules: RuleSet) -> bool:
    """Whether a keep-example survives as `newspipe rules check` tests it: alone and before
    the example."""
    return not any(
        s.start < len(keep)
        for text in (keep, f"{keep}\n{example}")
        for s in find_promotions(text, rules)
    )


def _keep_candidates(lines: Iterable[str], shapes: set[str]) -> list[tuple[bool, bool, int, str]]:
    """Lines to pick keep-examples from, each with what ranks it: plain sentences of news
    first, lines that look like footers themselves last."""
    return [
        (kind_of(t) is not None, not is_sentence(t), -min(len(t), 80), t)
        for t in lines
        if len(LETTER.findall(t)) >= 5 and template(t) not in shapes
    ]


def _pick_keep(
    s: Suggestion, candidates: list[tuple[bool, bool, int, str]], draft: RuleSet
) -> str | None:
    """The best candidate that `newspipe rules check` would accept as the rule's keep-example."""
    # A body line that shares words with the rule shows best what it must leave alone.
    words = set(re.findall(r"[가-힣]{2,}|[A-Za-z]{3,}", re.sub(r"<[^<>]*>", "", s.template)))
    ranked = sorted(candidates, key=lambda c: (c[0], -sum(w in c[3] for w in words), c[1:3]))
    return next((c[3] for c in ranked[:50] if _untouched(c[3], s.example, draft)), None)


def finish(outlet: Outlet, mined: Mined, rules: RuleSet) -> Outlet:
    """The outlet with a keep-example for each suggestion, from its own lines where possible;
    a suggestion that no candidate lets pass the checks of `newspipe rules check` is dropped."""
    if not outlet.suggestions:
        return outlet
    shapes = {s.template for s in outlet.suggestions}
    own = _keep_candidates(outlet.pool, shapes)
    others = None  # other outlets' body lines, looked at only when the outlet's own fail
    draft = _draft_rules(outlet, rules)
    chosen = []
    for s in outlet.suggestions:
        keep = _pick_keep(s, own, draft)
        if keep is None:
            if others is None:
                mine = set(outlet.pool)
                others = _keep_candidates((t for t in mined.spare if t not in mine), shapes)
            keep = _pick_keep(s, others, draft)
        if keep is not None:
            chosen.append(replace(s, keep=keep))
    outlet = replace(outlet, suggestions=tuple(chosen))
    while outlet.suggestions:  # the very check of `newspipe rules check`, to be sure
        ids = rule_ids(outlet, rules)
        bad = {p.rule_id for p in check_examples(_draft_rules(outlet, rules))} & set(ids)
        if not bad:
            break
        outlet = replace(outlet, suggestions=tuple(
            s for rid, s in zip(ids, outlet.suggestions, strict=True) if rid not in bad
        ))  # fmt: skip
    return outlet


def _detected(example: str, rules: RuleSet) -> list[str]:
    """A comment line when the generic detector already removes the example on its own."""
    found = [s for s in find_promotions(example, rules) if s.rule.pack == "detector"]
    if not found:
        return []
    best = max(found, key=lambda s: s.score or 0.0)
    return [
        f"# the detector removes this line too ({best.rule.id}, {best.score or 0:.2f}); "
        "a rule makes it exact"
    ]


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def draft(outlet: Outlet, mined: Mined, rules: RuleSet, min_docs: int) -> str:
    """The outlet's suggestions as a rule pack in TOML, each rule's support in a comment."""
    out = [
        f"# DRAFT rule pack for {outlet.name}, written by `newspipe rules suggest` from "
        f"{mined.documents} documents.",
        "# Review every rule before use. Each is a line that no pack removes yet, found in the",
        f"# first {HEAD} or last {TAIL} lines of at least {min_docs} of this outlet's documents, "
        "rarely inside",
        "# bodies, with footer evidence (a link, address, phone, handle, bullet or footer word).",
        f"# Documents grouped by {outlet.how}.",
        f"# Save it beside the packs (e.g. config/channels/{outlet.slug}_suggested.toml), give "
        "[channel]",
        "# the outlet's name, delete what is not promotion, then run `newspipe rules check`.",
        "",
        "[channel]",
        f"name = {_toml(outlet.name)}",
        f"aliases = [{', '.join(_toml(a) for a in outlet.aliases)}]",
    ]
    for rid, s in zip(rule_ids(outlet, rules), outlet.suggestions, strict=True):
        zone = "first or last" if s.head and s.tail else "first" if s.head else "last"
        out += [
            "",
            f"# in the {zone} lines of {s.support} of {outlet.docs} documents of {outlet.name}; "
            f"{s.in_bodies} times inside bodies",
            f"# template: {s.template}",
            *_detected(s.example, rules),
            "[[rule]]",
            f'id = "{rid}"',
            f'kind = "{s.kind}"',
            'where = "line"',
            "alone = true",
            f"pattern = '''{s.pattern}'''",
            f"example = {_toml(s.example)}",
            f"keep = {_toml(s.keep)}",
        ]
    return "\n".join(out) + "\n"
