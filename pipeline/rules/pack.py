"""Rule packs: one TOML file per broadcaster, rules as data, validated before data is read."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError

if TYPE_CHECKING:
    from pipeline.rules.prefilter import PatternSet, Prefilter
    from pipeline.script.book import RoleBook

KINDS = ("tipline", "subscribe", "copyright", "link", "channel", "app", "artefact")
# Where a rule's match may be removed:
#   chain    - with neighbouring matches, at the end or start of a line (a footer block, a footer
#              run into the body); alone only when the rule says `alone = true`
#   start    - only in the first lines of the document (RSS notices before the body)
#   line     - only as a whole line
#   anywhere - wherever it stands (scraper and player interface strings)
WHERE = ("chain", "start", "line", "anywhere")
_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*_v\d+$")
_RULE_KEYS = {
    "id",
    "kind",
    "where",
    "pattern",
    "tokens",
    "trigger",
    "alone",
    "example",
    "keep",
    "ignore_case",
    "note",
}


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    kind: str
    where: str
    pattern: re.Pattern[str] | None
    tokens: re.Pattern[str] | None
    trigger: str | None
    alone: bool
    example: str
    keep: str


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    path: Path
    aliases: tuple[str, ...]
    signoffs: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    packs: tuple[Pack, ...]
    digest: str
    detector: bool = False  # whether the generic detector runs after the packs
    roles: RoleBook | None = None  # the role rules of scripts (pipeline/script); None: built-in

    @functools.cached_property
    def book(self) -> RoleBook:
        """The role rules: the project's own with the built-in ones."""
        from pipeline.script.book import load_roles

        return self.roles if self.roles is not None else load_roles()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.packs for r in p.rules)

    @functools.cached_property
    def detector_rules(self) -> dict[str, Rule]:
        """The detector's rule for each category of its evidence (empty when it is off)."""
        if not self.detector:
            return {}
        from pipeline.detector import KIND, rule_id

        return {
            category: Rule(rule_id(category), "detector", kind, "chain", None, None, None,
                           True, "", "")
            for category, kind in KIND.items()
        }  # fmt: skip

    @functools.cached_property
    def text_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.pattern is not None)

    @functools.cached_property
    def prefilter(self) -> Prefilter:
        """Which text rules can match a text, found in one pass (see prefilter.py)."""
        from pipeline.rules.prefilter import Prefilter

        return Prefilter(self.text_rules)

    def signed_off(self, text: str) -> Pack | None:
        """The first pack (in order) one of whose sign-off patterns occurs in the text."""
        signoffs, packs = self._signoffs
        for i, start in signoffs.candidates(text):  # in pattern order, which is pack order
            if signoffs.patterns[i].search(text, start):
                return packs[i]
        return None

    @functools.cached_property
    def _signoffs(self) -> tuple[PatternSet, list[Pack]]:
        from pipeline.rules.prefilter import PatternSet

        pairs = [(s, p) for p in self.packs for s in p.signoffs]
        return PatternSet([s for s, _ in pairs]), [p for _, p in pairs]

    @functools.cached_property
    def token_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.tokens is not None)

    @functools.cached_property
    def by_id(self) -> dict[str, Rule]:
        found = {r.id: r for r in self.rules}
        found.update((r.id, r) for r in self.detector_rules.values())
        return found

    @functools.cached_property
    def _packs_by_rule(self) -> dict[str, Pack]:
        found: dict[str, Pack] = {}
        for p in self.packs:
            for r in p.rules:
                found.setdefault(r.id, p)
        return found

    def pack_of(self, rule_id: str) -> Pack | None:
        return self._packs_by_rule.get(rule_id)


def rule_table(path: Path, raw: Any, index: int, keys: set[str], id_like: str) -> tuple[str, str]:
    """(id, label for messages) of a `[[rule]]` table of a TOML file: a table, with an id shaped
    like `id_like` and no key outside `keys` (rule packs and role files alike)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: rule #{index + 1} must be a table")
    rid = raw.get("id")
    label = f"rule {rid!r}" if isinstance(rid, str) else f"rule #{index + 1}"
    if not isinstance(rid, str) or not _ID.match(rid):
        raise ConfigError(f"{path}: {label}: id must look like {id_like}")
    unknown = set(raw) - keys
    if unknown:
        raise ConfigError(f"{path}: {label}: unknown key(s) {', '.join(sorted(unknown))}")
    return rid, label


def examples(path: Path, label: str, raw: dict[str, Any]) -> tuple[str, str]:
    """A rule's `example` and `keep`, both required and non-empty."""
    for key in ("example", "keep"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{path}: {label}: needs a non-empty {key}")
    return raw["example"], raw["keep"]


def compile_pattern(path: Path, where: str, source: Any, flags: int = 0) -> re.Pattern[str]:
    """A rule file's regular expression, or a one-line ConfigError naming where it stands."""
    if not isinstance(source, str) or not source:
        raise ConfigError(f"{path}: {where} must be a non-empty string")
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ConfigError(f"{path}: {where} does not compile: {exc}") from None


def _rule(path: Path, pack_id: str, raw: Any, index: int) -> Rule:
    rid, label = rule_table(path, raw, index, _RULE_KEYS, "kbs_tipline_v1")
    kind, where = raw.get("kind"), raw.get("where", "chain")
    if kind not in KINDS:
        raise ConfigError(f"{path}: {label}: kind must be one of {', '.join(KINDS)}")
    if where not in WHERE:
        raise ConfigError(f"{path}: {label}: where must be one of {', '.join(WHERE)}")
    flags = re.IGNORECASE if raw.get("ignore_case", False) else 0
    pattern = tokens = None
    if "pattern" in raw:
        pattern = compile_pattern(path, f"{label}: pattern", raw["pattern"], flags)
    if "tokens" in raw:
        tokens = compile_pattern(path, f"{label}: tokens", raw["tokens"], 0)
    if (pattern is None) == (tokens is None):
        raise ConfigError(f"{path}: {label}: give exactly one of pattern or tokens")
    trigger = raw.get("trigger")
    if tokens is not None and not isinstance(trigger, str):
        raise ConfigError(f"{path}: {label}: a tokens rule needs a trigger string")
    example, keep = examples(path, label, raw)
    alone = raw.get("alone", False)
    if not isinstance(alone, bool):
        raise ConfigError(f"{path}: {label}: alone must be true or false")
    return Rule(rid, pack_id, kind, where, pattern, tokens, trigger, alone, example, keep)


def load_pack(path: Path) -> Pack:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    head = data.get("channel")
    if not isinstance(head, dict) or not isinstance(head.get("name"), str):
        raise ConfigError(f"{path}: needs a [channel] table with a name")
    pack_id = path.stem
    aliases = head.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError(f"{path}: channel.aliases must be a list of strings")
    signoffs = tuple(
        compile_pattern(path, f"channel.signoffs[{i}]", s, 0)
        for i, s in enumerate(head.get("signoffs", []))
    )
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{path}: rules are written as [[rule]] tables")
    rules = tuple(_rule(path, pack_id, r, i) for i, r in enumerate(raw_rules))
    return Pack(pack_id, head["name"], path, tuple(aliases), signoffs, rules)


GENERIC = "generic"


# The packs that ship with newspipe, inside the package.
BUILTIN = Path(str(importlib.resources.files("pipeline") / "packs"))


def select_packs(packs: list[Pack], choice: str) -> list[Pack]:
    """The packs a `--packs` choice names: all, generic, none, or NAME[,NAME…] (with generic).

    A name is a pack's file name without .toml (kbs, ytn …). Unknown names are an error that
    lists the known ones."""
    known = {p.id: p for p in packs}
    words = [w.strip() for w in choice.split(",") if w.strip()]
    if words == ["all"]:
        return packs
    if words == ["none"]:
        return []
    wanted = {GENERIC, *words}
    unknown = sorted(w for w in wanted if w not in known)
    if unknown or not words:
        raise ConfigError(
            f"unknown pack {', '.join(map(repr, unknown)) or repr(choice)}; "
            f"use all, generic, none or names from: {', '.join(sorted(known))}"
        )
    return [p for p in packs if p.id in wanted]


def load_rules(own: Path | None = None, packs: str = "all", detector: bool = True) -> RuleSet:
    """The built-in packs and the project's own (every *.toml of the folder `own`), as chosen.

    A pack of the project's own replaces the built-in pack of the same channel name or file name.
    Broadcasters' packs come first, in name order, so that their rules win ties with the generic
    ones; rule ids must be unique across packs. `packs` is a `--packs` choice (see select_packs);
    `detector` turns the generic detector on."""
    mine: list[Pack] = []
    if own is not None:
        if not own.is_dir():
            raise ConfigError(f"rule pack folder {own} not found")
        mine = [load_pack(f) for f in sorted(own.glob("*.toml"))]
    replaced = {p.name for p in mine} | {p.id for p in mine}
    builtin = [load_pack(f) for f in sorted(BUILTIN.glob("*.toml"))]
    every = [p for p in builtin if p.name not in replaced and p.id not in replaced] + mine
    every.sort(key=lambda p: (p.id == GENERIC, p.id))
    chosen = tuple(select_packs(every, packs))
    seen: dict[str, Path] = {}
    for pack in chosen:
        for rule in pack.rules:
            if rule.id in seen:
                raise ConfigError(
                    f"{pack.path}: rule {rule.id!r} is also defined in {seen[rule.id]}"
                )
            seen[rule.id] = pack.path
    parts = [p.path.name.encode() + p.path.read_bytes() for p in chosen]
    from pipeline.script.book import load_roles

    roles = load_roles(own)  # a project's role rules live in roles/ of its packs folder
    parts.append(b"roles:" + roles.digest.encode())
    if detector:
        from pipeline.detector import DIGEST

        parts.append(b"detector:" + DIGEST.encode())
    digest = hashlib.sha256(b"".join(parts)).hexdigest()
    return RuleSet(chosen, digest[:16], detector, roles)
