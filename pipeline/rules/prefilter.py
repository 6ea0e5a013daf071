"""One linear-time pass that tells which rules can match a text at all.

Python's `re` backtracks, and running ~90 rule patterns over every document costs more than the
rest of detect. RE2 matches a whole set of patterns in one pass without backtracking. Each rule's
pattern is translated into an RE2 pattern that matches *at least* what the original matches (its
lookarounds and word boundaries dropped, `\\w \\s \\d` widened to Unicode), so the prefilter may
let a rule through that then finds nothing, but never stops one that would have matched. A
pattern RE2 cannot take is simply always run.

The translation also says where to start: wherever the original matches, the translation matches
at the same place, so no match of the original starts before the translation's first. Python's
`re` then scans from there; a footer at the end of a document is found without reading the body.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from pipeline.rules.pack import Rule

log = logging.getLogger(__name__)

# Unicode-wide stand-ins for RE2's ASCII classes, inside a character class (no brackets) and out.
_WIDE = {"w": r"\p{L}\p{N}_", "s": r"\s\p{Z}", "d": r"\p{Nd}"}


def _strip_group(pattern: str, start: int) -> int:
    """The index after the group that opens at `start` (escapes and classes respected)."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def to_re2(pattern: str) -> str:
    """An RE2 pattern that matches everything the Python pattern matches (and maybe more)."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "bB" and not in_class:
                pass  # a word boundary only narrows a match
            elif nxt in _WIDE:
                out.append(_WIDE[nxt] if in_class else f"[{_WIDE[nxt]}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            out.append(c)
            in_class = c != "]"
        elif c == "[":
            in_class = True
            out.append(c)
            for lead in ("^]", "]", "^"):  # a leading ] is a literal inside a class
                if pattern.startswith(lead, i + 1):
                    out.append(lead.replace("]", r"\]"))
                    i += len(lead)
                    break
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _strip_group(pattern, i)  # a lookaround only narrows a match
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


class PatternSet:
    """Which of a list of Python patterns may match a text, and from where, in one RE2 pass."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._always: list[int] = []  # patterns RE2 cannot take: always run
        self._indexed: list[int] = []  # the set's entries, by pattern index
        self._first: list[Any] = []  # per entry, its translation alone
        self._set: Any = None
        try:
            import re2
        except ImportError:  # pragma: no cover - a declared dependency; the slow path still works
            self._always = list(range(len(self.patterns)))
            return
        options = re2.Options()
        options.max_mem = 256 << 20
        self._set = re2.Set.SearchSet(options)
        for i, pattern in enumerate(self.patterns):
            translated = to_re2(pattern.pattern)
            if pattern.flags & re.IGNORECASE:
                translated = f"(?i:{translated})"
            try:
                self._set.Add(translated)
                self._first.append(re2.compile(translated, options))
            except Exception:  # RE2 does not take every Python construct
                self._always.append(i)
                continue
            self._indexed.append(i)
        self._set.Compile()

    @property
    def active(self) -> bool:
        """False when RE2 is missing or was turned off: every pattern is then always run."""
        return self._set is not None

    def turn_off(self) -> None:
        self._set, self._always = None, list(range(len(self.patterns)))

    def lines(self, text: str, start: int = 0) -> set[int]:
        """The numbers of the lines (0-based, counted in the whole text) that a match of the
        first pattern's RE2 translation in text from `start` on touches: every line where the
        Python pattern matches is among them."""
        if self._set is None or self._always:
            found = [m.span() for m in self.patterns[0].finditer(text, start)]
            first = text.count("\n", 0, start)
            return {
                first + text.count("\n", start, a) + k
                for a, b in found
                for k in range(text.count("\n", a, b) + 1)
            }
        data = text[start:].encode("utf-8")  # offsets in bytes: newlines are counted in bytes
        base = text.count("\n", 0, start)
        lines: set[int] = set()
        for m in self._first[0].finditer(data):
            a, b = m.span()
            first = base + data.count(b"\n", 0, a)
            lines.update(range(first, first + data.count(b"\n", a, b) + 1))
        return lines

    def candidates_fast(self, text: str) -> list[tuple[int, int]]:
        """(index, 0) of each pattern that may match the text: candidates() without the starts."""
        if self._set is None:
            return [(i, 0) for i in self._always]
        hits = self._set.Match(text.encode("utf-8")) or []
        return [(i, 0) for i in self._always] + [(self._indexed[e], 0) for e in hits]

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """(index, start) of each pattern that may match the text, from where it may first."""
        if self._set is None:
            return [(i, 0) for i in self._always]
        data = text.encode("utf-8")  # the wrapper encodes a str on every call, slowly
        hits = self._set.Match(data) or []
        found = [(i, 0) for i in self._always]
        for entry in sorted(hits):
            first = self._first[entry].search(data)
            if first is not None and first.start():  # kept safe if the two ever disagree
                start = len(data[: first.start()].decode("utf-8"))
            else:
                start = 0
            found.append((self._indexed[entry], start))
        return sorted(found)


class Prefilter:
    """Which of a list of rules may match a text, in one pass over it."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        patterns = []
        for rule in self.rules:
            assert rule.pattern is not None
            patterns.append(rule.pattern)
        self._patterns = PatternSet(patterns)
        broken = [r.id for r in self.rules if not _same_matches(r, self.candidates(r.example))]
        if broken:  # never trust a prefilter that misses a rule's own example
            log.warning("rule prefilter disabled: it misses the examples of %s", ", ".join(broken))
            self._patterns.turn_off()

    @property
    def active(self) -> bool:
        """False when RE2 is missing or failed its check: every rule is then always run."""
        return self._patterns.active

    def candidates(self, text: str) -> list[tuple[Rule, int]]:
        """The rules that may match the text, each with where its first match can start."""
        return [(self.rules[i], start) for i, start in self._patterns.candidates(text)]


def _same_matches(rule: Rule, candidates: list[tuple[Rule, int]]) -> bool:
    """Whether the rule is let through on its example, and from where it finds all it should."""
    assert rule.pattern is not None
    start = next((s for r, s in candidates if r is rule), None)
    if start is None:
        return False
    whole = [m.span() for m in rule.pattern.finditer(rule.example)]
    return whole == [m.span() for m in rule.pattern.finditer(rule.example, start)]
