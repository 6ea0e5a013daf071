"""Check rule packs: every example removed, every keep-example untouched, no runaway pattern."""

from __future__ import annotations

import multiprocessing as mp
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pipeline.rules.engine import SEPARATORS, Item, Span, find_promotions, token_items
from pipeline.rules.pack import Rule, RuleSet

# (forms, tags, starts, ends) of a text: what a token rule sees.
Tokenizer = Callable[[str], tuple[list[str], list[str], list[int], list[int]]]


@dataclass(frozen=True)
class Problem:
    path: str
    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: rule {self.rule_id!r}: {self.message}"


def _extra(text: str, rule: Rule, tokenize: Tokenizer | None) -> list[Item]:
    if rule.tokens is None or tokenize is None:
        return []
    forms, tags, starts, ends = tokenize(text)
    return token_items(text, 0, forms, tags, starts, ends, [rule])


def check_examples(rules: RuleSet, tokenize: Tokenizer | None = None) -> list[Problem]:
    """The example of each rule is removed (twice on two lines, for rules that need a neighbour),
    and its keep-example, alone or before the example, comes through untouched."""
    problems = []
    for pack in rules.packs:
        for rule in pack.rules:
            if rule.tokens is not None and tokenize is None:
                continue
            where = str(pack.path)
            example = rule.example if rule.alone else f"{rule.example}\n{rule.example}"
            extra = _extra(example, rule, tokenize)
            unmatched = rule.pattern is not None and not rule.pattern.search(rule.example)
            if unmatched or (rule.tokens is not None and not extra):
                problems.append(
                    Problem(where, rule.id, f"does not match its example {rule.example!r}")
                )
                continue
            left = _uncovered(example, find_promotions(example, rules, extra=extra))
            if left:
                problems.append(Problem(where, rule.id, f"example is not removed: {left!r} stays"))
            for text in (rule.keep, f"{rule.keep}\n{rule.example}"):
                kept = [
                    s
                    for s in find_promotions(text, rules, extra=_extra(text, rule, tokenize))
                    if s.start < len(rule.keep)
                ]
                if kept:
                    cut = rule.keep[kept[0].start : kept[0].end]
                    problems.append(
                        Problem(where, rule.id, f"keep-example loses {cut!r} to {kept[0].rule.id}")
                    )
                    break
    return problems


def _uncovered(text: str, spans: Sequence[Span]) -> str:
    """What of a text no span removes, apart from separators."""
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = " " * (s.end - s.start)
    return "".join(c for c in "".join(chars) if c not in SEPARATORS).strip()


def adversarial(rule: Rule) -> list[str]:
    """Long inputs that nearly match: the kind that makes a backtracking pattern run away."""
    seed = rule.example or "x"
    half = seed[: max(1, len(seed) // 2)]
    return [
        seed * 200,
        half * 400,
        seed.replace(" ", " " * 200),
        " " * 20_000 + "x",
        "가" * 20_000 + "!",
        "a" * 20_000 + "!",
        "1-" * 10_000,
        "".join(c * 500 for c in seed[:40]),
    ]


def _run_patterns(
    patterns: Sequence[re.Pattern[str]], inputs: Sequence[list[str]], conn: Connection
) -> None:
    for i, (pattern, texts) in enumerate(zip(patterns, inputs, strict=True)):
        for text in texts:
            for _ in pattern.finditer(text):
                pass
        conn.send(i)
    conn.close()


def check_backtracking(rules: RuleSet, budget: float = 1.0) -> list[Problem]:
    """Run every pattern over adversarial input in a child process; a rule over budget is named.

    Python's re cannot be interrupted, so the child is killed and restarted after the culprit.
    """
    todo: list[tuple[Any, Any]] = [(p, r) for p in rules.packs for r in p.rules]
    todo += [(r, r) for r in rules.book.rules]  # a role rule is its own "pack": it has a path
    problems: list[Problem] = []
    ctx = mp.get_context("fork")
    while todo:
        parent, child = ctx.Pipe(duplex=False)
        patterns = [r.pattern if r.pattern is not None else r.tokens for _, r in todo]
        proc = ctx.Process(
            target=_run_patterns,
            args=(patterns, [adversarial(r) for _, r in todo], child),
            daemon=True,
        )
        proc.start()
        child.close()
        finished = 0
        try:
            while finished < len(todo):
                if not parent.poll(budget):
                    raise TimeoutError
                parent.recv()
                finished += 1
        except (TimeoutError, EOFError) as exc:
            pack, rule = todo[finished]
            why = "pattern check crashed"
            if isinstance(exc, TimeoutError):
                why = f"over {budget:g} s on long adversarial input: catastrophic backtracking?"
            problems.append(Problem(str(pack.path), rule.id, why))
            proc.kill()
            todo = todo[finished + 1 :]
        else:
            todo = []
        proc.join()
    return problems


def check_roles(rules: RuleSet) -> list[Problem]:
    """Each role rule matches its example, and the example line gets the rule's role by that rule
    (a marker alone is a marker); its keep-example neither gets that role nor is read by it."""
    from pipeline.script.roles import read

    book = rules.book
    problems = []
    for rule in book.rules:
        where = str(rule.path)
        lang = "en" if rule.lang == "en" else "ko"
        if not rule.pattern.match(rule.example):
            problems.append(Problem(where, rule.id, f"does not match its example {rule.example!r}"))
            continue
        got = read([rule.example], [lang], book, rule.outlet)
        if got.roles[0] != rule.role or got.rules[0] is not rule:
            decided = got.rules[0].id if got.rules[0] is not None else "no rule"
            problems.append(
                Problem(
                    where, rule.id, f"example is {got.roles[0]} (by {decided}), not {rule.role}"
                )
            )
        kept = read([rule.keep], [lang], book, rule.outlet)
        if kept.roles[0] == rule.role or kept.rules[0] is rule:
            problems.append(
                Problem(where, rule.id, f"keep-example {rule.keep!r} is {kept.roles[0]} by it")
            )
    return problems
