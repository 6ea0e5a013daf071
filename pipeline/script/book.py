"""Role rules: what marks each kind of line of a broadcast script, kept as data in TOML files.

pipeline/roles/{ko,en}.toml hold the rules of a language, other files the rules of one outlet
(`outlet = "MBC"` in their [roles] table: they apply to that outlet's documents and to documents
whose outlet is unknown). A project adds its own files in `roles/` inside its packs folder; a file
of the same name replaces the built-in one. Each rule has a versioned id, a role, a pattern that
must match where the line starts, a language, an example it must give its role to and a
keep-example it must not (`newspipe rules check`). `[words]` lists the evidence for a speaker's
kind: organisation words and the one-syllable ends of organisations' names (국토교통부, 산림청),
the words for a kind of organisation written before its name (시민단체), Korean surnames (a
personal name is a surname and one to three syllables), the titles and honorifics that follow a
Korean name, the ends of an organisation's units (경찰청 사이버수사국), the designations of
unnamed people, the marks of a speaker kept anonymous (음성변조), pronouns, headline tags, and
words that stand where a name would but are none.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.rules.pack import compile_pattern, examples, rule_table

ROLES = (
    "anchor", "report", "quote", "interview", "signoff", "byline", "credit", "caption", "marker",
    "text",
)  # fmt: skip
# The roles a rule may give a line; quote, text and the roles a marker governs come from the
# markers and the quote blocks.
RULE_ROLES = ("marker", "signoff", "byline", "credit", "caption")
GOVERNED = ("anchor", "report", "interview", "quote", "text")
# A marker that governs one of these announces a bite: it governs the speaker's line or block after
# it (or the rest of its own line), not the lines after the bite.
BITES = ("interview", "quote")
LANGS = ("ko", "en", "any")
WORD_LISTS = (
    "organisation", "organisation_end", "category", "surname", "title", "honorific", "unnamed",
    "pronoun", "headline", "not_name", "unit", "anonymous",
)  # fmt: skip
_HANGUL = re.compile(r"[가-힣]+")
_KEYS = {"id", "role", "governs", "pattern", "lang", "example", "keep", "note"}

BUILTIN = Path(str(importlib.resources.files("pipeline") / "roles"))


@dataclass(frozen=True)
class RoleRule:
    id: str
    role: str
    governs: str | None  # for a marker: the role of the lines after it
    pattern: re.Pattern[str]
    lang: str
    outlet: str | None
    path: Path
    example: str
    keep: str


# What would change a pattern's meaning inside an alternation of all: references to its groups.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


@dataclass(frozen=True)
class Matcher:
    """The rules that may apply to a line, in file order, and where they allow it, one pattern
    of them all: its alternatives are tried in order, so the group that matched (the first of
    them) names the same rule, with the same end, as trying the rules' patterns one by one."""

    rules: tuple[RoleRule, ...]
    combined: re.Pattern[str] | None  # None: no rules, or a pattern that must stand alone

    @classmethod
    def of(cls, rules: tuple[RoleRule, ...]) -> Matcher:
        if not rules or any(_GROUP_REFERENCE.search(r.pattern.pattern) for r in rules):
            return cls(rules, None)
        plain = (re.sub(r"\(\?P<\w+>", "(?:", r.pattern.pattern) for r in rules)
        try:
            combined = re.compile("|".join(f"(?P<_{n}>{p})" for n, p in enumerate(plain)))
        except re.error:  # a pattern that only compiles alone: global flags, "(?i)…"
            return cls(rules, None)
        return cls(rules, combined)

    def match(self, text: str) -> tuple[RoleRule, int] | None:
        """The first rule that matches where the line starts, and where its match ends."""
        if self.combined is None:
            for rule in self.rules:
                m = rule.pattern.match(text)
                if m is not None:
                    return rule, m.end()
            return None
        m = self.combined.match(text)
        if m is None:
            return None
        assert m.lastgroup is not None
        return self.rules[int(m.lastgroup[1:])], m.end()


@dataclass(frozen=True)
class RoleBook:
    rules: tuple[RoleRule, ...]
    words: dict[str, tuple[str, ...]]
    paths: tuple[Path, ...]
    digest: str

    @functools.cached_property
    def by_lang(self) -> dict[str, tuple[RoleRule, ...]]:
        """The rules that may apply to a line of each language, in file order."""
        return {
            lang: tuple(r for r in self.rules if r.lang in (lang, "any"))
            for lang in ("ko", "en", "mixed", "und")
        }

    def matcher(self, lang: str, outlet: str | None) -> Matcher:
        """What reads a line of `lang` in a document of `outlet` (see Matcher)."""
        key = (lang if lang in self.by_lang else "mixed", outlet.lower() if outlet else None)
        found = self._matchers.get(key)
        if found is None:
            rules = tuple(
                r
                for r in self.by_lang[key[0]]
                if r.outlet is None or key[1] is None or r.outlet.lower() == key[1]
            )
            found = self._matchers[key] = Matcher.of(rules)
        return found

    @functools.cached_property
    def outlets_own(self) -> Matcher:
        """The rules of one outlet: a line none of them matches reads alike in every outlet."""
        return Matcher.of(tuple(r for r in self.rules if r.outlet is not None))

    @functools.cached_property
    def _matchers(self) -> dict[tuple[str, str | None], Matcher]:
        return {}

    @functools.cached_property
    def _latin_organisation(self) -> Words:
        return _word_pattern(tuple(w for w in self.words["organisation"] if w.isascii()))

    def is_organisation(self, who: str) -> bool:
        """A Latin organisation word anywhere ("Ministry of Unification"), or a Korean one at the
        end ("조선중앙통신", "노조 측"): a one-syllable word only as a word of its own."""
        words = who.split()
        if not words:
            return False
        exact, suffixes = self._hangul_organisation
        last = words[-1]
        if last in exact or last.endswith(suffixes):
            return True
        if len(last) >= 3 and last[-1] in self._organisation_end and _HANGUL.fullmatch(last):
            return True
        if self.is_unit(words):
            return True
        return self._latin_organisation.search(who)

    def is_unit(self, words: list[str]) -> bool:
        """A unit of an organisation: its last word ends with a unit's word and the word before
        names an organisation ("경찰청 사이버수사국", "한국농어촌공사 물빛지사")."""
        return (
            len(words) >= 2
            and words[-1].endswith(self._units)
            and len(words[-1]) > 1
            and self.is_organisation(" ".join(words[:-1]))
        )

    @functools.cached_property
    def _units(self) -> tuple[str, ...]:
        return tuple(self.words["unit"])

    @functools.cached_property
    def _organisation_end(self) -> frozenset[str]:
        return frozenset(self.words["organisation_end"])

    @functools.cached_property
    def categories(self) -> frozenset[str]:
        return frozenset(self.words["category"])

    @functools.cached_property
    def honorifics(self) -> frozenset[str]:
        return frozenset(self.words["honorific"])

    @functools.cached_property
    def _surnames(self) -> tuple[frozenset[str], frozenset[str]]:
        """The one-syllable surnames and the two-syllable ones (황보, 남궁)."""
        names = self.words["surname"]
        return frozenset(w for w in names if len(w) == 1), frozenset(
            w for w in names if len(w) == 2
        )

    def is_korean_name(self, word: str) -> bool:
        """A Korean personal name: a surname and one to three syllables (정태성, 황보민석), not
        an organisation's name (한빛시), a title (위원), a designation (주민) or a word that stands
        where a name would (당시)."""
        if not 2 <= len(word) <= 4 or not _HANGUL.fullmatch(word) or word in self.not_name:
            return False
        if word in self._title_set or self.unnamed.search(word):  # 위원, 주민
            return False
        single, double = self._surnames
        if not (word[0] in single or (len(word) >= 3 and word[:2] in double)):
            return False
        return not self.is_organisation(word)

    @functools.cached_property
    def _hangul_organisation(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The Korean organisation words, and those of two syllables or more (suffixes)."""
        hangul = [w for w in self.words["organisation"] if not w.isascii()]
        return frozenset(hangul), tuple(w for w in hangul if len(w) >= 2)

    def is_headline(self, who: str) -> bool:
        """A bracketed tag of a headline or a picture ("단독", "속보", "사진"), not a speaker."""
        words = who.split()
        return bool(words) and (
            who.strip().lower() in self._headline or words[0].lower() in self._headline
        )

    @functools.cached_property
    def _headline(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words["headline"])

    def designates(self, who: str) -> bool:
        """A designation of an unnamed person (관계자, 주민, official), not an organisation whose
        Korean name holds one (전국농민회총연맹, 시민단체)."""
        if not self.unnamed.search(who):
            return False
        last = who.split()[-1]
        return not (_HANGUL.fullmatch(last) and self.is_organisation(last))

    @functools.cached_property
    def anonymous(self) -> Words:
        return _word_pattern(self.words["anonymous"])

    @functools.cached_property
    def unnamed(self) -> Words:
        return _word_pattern(self.words["unnamed"])

    @functools.cached_property
    def _title_set(self) -> frozenset[str]:
        return frozenset(self.words["title"])

    @functools.cached_property
    def titles(self) -> tuple[str, ...]:
        return tuple(sorted(self.words["title"], key=len, reverse=True))

    @functools.cached_property
    def lower_titles(self) -> frozenset[str]:
        """The titles in lower case ("spokesperson" as "Spokesperson")."""
        return frozenset(t.lower() for t in self.titles)

    @functools.cached_property
    def not_name(self) -> frozenset[str]:
        return frozenset(self.words["not_name"])

    @functools.cached_property
    def pronouns(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.words["pronoun"])


# The characters besides A-Z and a-z that a case-insensitive pattern takes for an ASCII letter
# (İ, ı, ſ and the Kelvin sign: every one, found by trying each code point against (?i)[a-z]).
_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True)
class Words:
    """Any of some words in a text: a Latin word whole and in any case, a Hangul word anywhere.

    `pattern` is the reference; search() asks it only where a Latin word stands in the lowered
    text (as one part of a word or whole), or a character that folds to a Latin letter: most
    texts have none, and the test of case-insensitive whole words at every position is slow."""

    pattern: re.Pattern[str]
    lowered: re.Pattern[str]  # the Latin words in lower case, anywhere
    hangul: re.Pattern[str]

    def search(self, text: str) -> bool:
        if self.hangul.search(text):
            return True
        if self.lowered.search(text.lower()) or _ASCII_FOLDS.search(text):
            return self.pattern.search(text) is not None
        return False


def _word_pattern(words: tuple[str, ...]) -> Words:
    """Any of the words: a Latin word whole and in any case, a Hangul word anywhere."""
    latin = [re.escape(w) for w in words if w.isascii()]
    hangul = [re.escape(w) for w in words if not w.isascii()]
    parts = []
    if latin:
        parts.append(rf"(?i:\b(?:{'|'.join(sorted(latin, key=len, reverse=True))})\b)")
    if hangul:
        parts.append(f"(?:{'|'.join(sorted(hangul, key=len, reverse=True))})")
    lowered = [re.escape(w.lower()) for w in words if w.isascii()]
    return Words(
        re.compile("|".join(parts) or r"(?!)"),
        re.compile("|".join(lowered) or r"(?!)"),
        re.compile("|".join(hangul) or r"(?!)"),
    )


def _rule(path: Path, outlet: str | None, lang: Any, raw: Any, index: int) -> RoleRule:
    rid, label = rule_table(path, raw, index, _KEYS, "ko_marker_anchor_v1")
    role = raw.get("role")
    if role not in RULE_ROLES:
        raise ConfigError(f"{path}: {label}: role must be one of {', '.join(RULE_ROLES)}")
    governs = raw.get("governs")
    if role == "marker" and governs not in GOVERNED:
        raise ConfigError(f"{path}: {label}: a marker governs one of {', '.join(GOVERNED)}")
    if role != "marker" and governs is not None:
        raise ConfigError(f"{path}: {label}: only a marker governs the lines after it")
    lang = raw.get("lang", lang)
    if lang not in LANGS:
        raise ConfigError(f"{path}: {label}: lang must be one of {', '.join(LANGS)}")
    pattern = compile_pattern(path, f"{label}: pattern", raw.get("pattern"))
    example, keep = examples(path, label, raw)
    return RoleRule(rid, role, governs, pattern, lang, outlet, path, example, keep)


def load_role_file(path: Path) -> tuple[list[RoleRule], dict[str, list[str]]]:
    """The rules and word lists of one file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    head = data.get("roles", {})
    if not isinstance(head, dict):
        raise ConfigError(f"{path}: [roles] must be a table")
    outlet = head.get("outlet")
    if outlet is not None and not isinstance(outlet, str):
        raise ConfigError(f"{path}: roles.outlet must be a string")
    words = data.get("words", {})
    if not isinstance(words, dict) or set(words) - set(WORD_LISTS):
        raise ConfigError(f"{path}: [words] may hold only {', '.join(WORD_LISTS)}")
    for key, value in words.items():
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ConfigError(f"{path}: words.{key} must be a list of strings")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{path}: rules are written as [[rule]] tables")
    rules = [_rule(path, outlet, head.get("lang", "any"), r, i) for i, r in enumerate(raw_rules)]
    return rules, words


def role_files(own: Path | None) -> list[Path]:
    """The built-in files and the project's own (`roles/*.toml` of its packs folder), by name."""
    files = {f.name: f for f in sorted(BUILTIN.glob("*.toml"))}
    if own is not None and (own / "roles").is_dir():
        files.update((f.name, f) for f in sorted((own / "roles").glob("*.toml")))
    return [files[name] for name in sorted(files)]


def load_roles(own: Path | None = None) -> RoleBook:
    """The role rules of the built-in files and the project's own; rule ids are unique."""
    rules: list[RoleRule] = []
    words: dict[str, list[str]] = {key: [] for key in WORD_LISTS}
    seen: dict[str, Path] = {}
    paths = role_files(own)
    for path in paths:
        found, more = load_role_file(path)
        for rule in found:
            if rule.id in seen:
                raise ConfigError(f"{path}: rule {rule.id!r} is also defined in {seen[rule.id]}")
            seen[rule.id] = path
        rules += found
        for key, values in more.items():
            words[key] += [w for w in values if w not in words[key]]
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in paths))
    return RoleBook(
        tuple(rules), {k: tuple(v) for k, v in words.items()}, tuple(paths), digest.hexdigest()[:16]
    )
