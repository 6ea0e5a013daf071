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


class Prefilter:
    """Which of a list of rules may match a text, in one pass over it."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._always: list[Rule] = []
        self._indexed: list[Rule] = []
        self._first: list[Any] = []  # per indexed rule, its translation alone (RE2)
        self._set = None
        try:
            import re2
        except ImportError:  # pragma: no cover - a declared dependency; the slow path still works
            self._always = list(self.rules)
            return
        options = re2.Options()
        options.max_mem = 256 << 20
        self._set = re2.Set.SearchSet(options)
        for rule in self.rules:
            assert rule.pattern is not None
            translated = to_re2(rule.pattern.pattern)
            if rule.pattern.flags & re.IGNORECASE:
                translated = f"(?i:{translated})"
            try:
                self._set.Add(translated)
                self._first.append(re2.compile(translated, options))
            except Exception:  # RE2 does not take every Python construct
                self._always.append(rule)
                continue
            self._indexed.append(rule)
        self._set.Compile()
        broken = [
            r.id
            for r in self._indexed
            if r not in [c for c, _ in self.candidates(r.example)]
            or not _same_matches(r, r.example, self.candidates(r.example))
        ]
        if broken:  # never trust a prefilter that misses a rule's own example
            log.warning("rule prefilter disabled: it misses the examples of %s", ", ".join(broken))
            self._set, self._always, self._indexed, self._first = None, list(self.rules), [], []

    @property
    def active(self) -> bool:
        """False when RE2 is missing or failed its check: every rule is then always run."""
        return self._set is not None

    def candidates(self, text: str) -> list[tuple[Rule, int]]:
        """The rules that may match the text, each with where its first match can start."""
        if self._set is None:
            return [(r, 0) for r in self._always]
        data = text.encode("utf-8")  # the wrapper encodes a str on every call, slowly
        hits = self._set.Match(data) or []
        found = [(r, 0) for r in self._always]
        for i in sorted(hits):
            first = self._first[i].search(data)
            if first is not None:  # the set and the pattern alone agree; kept safe if not
                start = len(data[: first.start()].decode("utf-8")) if first.start() else 0
            else:
                start = 0
            found.append((self._indexed[i], start))
        return found


def _same_matches(rule: Rule, text: str, candidates: list[tuple[Rule, int]]) -> bool:
    """Whether scanning from the given start finds what scanning the whole text finds."""
    assert rule.pattern is not None
    start = next(s for r, s in candidates if r is rule)
    whole = [m.span() for m in rule.pattern.finditer(text)]
    return whole == [m.span() for m in rule.pattern.finditer(text, start)]
