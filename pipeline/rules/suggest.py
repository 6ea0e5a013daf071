"""Suggest rules from repetition: lines at the edges of many documents of one outlet that no pack
removes, written as a draft pack for a person to review. A suggestion never changes a run."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import UsageError
from pipeline.rules.broadcaster import infer_broadcaster
from pipeline.rules.check import check_examples
from pipeline.rules.engine import SEPARATORS, Span, find_promotions
from pipeline.rules.pack import Pack, Rule, RuleSet
from pipeline.rules.template import (
    LETTER,
    is_byline,
    is_furniture,
    is_sentence,
    kind_of,
    pattern_of,
    template,
)
from pipeline.stages.ingest import Document, Rejected, list_raw, read_document

HEAD, TAIL = 3, 10  # edge zones: the first and last lines a document keeps after known promotion
BODY_SHARE = 5  # inside bodies at most once per this many documents that have it at an edge
KEEP_POOL = 300  # body lines kept per outlet (and as many edge lines) to pick keep-examples from
_WEBMAIL = frozenset({"gmail", "naver", "hanmail", "daum", "nate", "kakao", "hotmail", "yahoo"})
_LANGS = frozenset({"ko", "en", "kr", "eng", "kor"})
_SUFFIXES = frozenset({"com", "net", "org", "kr", "co", "or", "ne", "go", "ac", "tv", "news"})


@dataclass(frozen=True)
class Suggestion:
    """A line template found at the edges of an outlet's documents, as a rule to review."""

    template: str
    kind: str
    pattern: str
    example: str  # a real line it matches
    support: int  # documents of the outlet with it in an edge zone
    head: int  # of those, documents with it in the first lines
    tail: int  # ... and in the last lines
    in_bodies: int  # times it stands inside bodies, across the corpus
    keep: str = ""  # a real body line it leaves alone


@dataclass(frozen=True)
class Outlet:
    name: str
    slug: str  # ascii, for rule ids
    how: str  # how its documents were grouped, with how many each way
    aliases: tuple[str, ...]
    docs: int
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class Mined:
    outlets: tuple[Outlet, ...]  # most suggestions first
    documents: int
    skipped: tuple[Rejected, ...]


@dataclass
class _Tally:
    """What one outlet's documents showed: per template, in how many of them and where."""

    how: Counter[str] = field(default_factory=Counter)
    pack: Pack | None = None
    docs: int = 0
    head: Counter[str] = field(default_factory=Counter)
    tail: Counter[str] = field(default_factory=Counter)
    support: Counter[str] = field(default_factory=Counter)
    example: dict[str, str] = field(default_factory=dict)
    middle: list[str] = field(default_factory=list)  # lines to pick keep-examples from
    edge: list[str] = field(default_factory=list)  # the same, when middles run short


def _site(domain: str) -> str | None:
    """The site's own label of a domain (news.hanbit.co.kr: hanbit); None for webmail."""
    labels = domain.lower().split(".")
    while labels and labels[-1] in _SUFFIXES:
        labels.pop()
    return labels[-1] if labels and labels[-1] not in _WEBMAIL else None


def _outlet_of(
    doc: Document, spans: list[Span], kept: list[str], rules: RuleSet
) -> tuple[str, str]:
    """(outlet, how): the broadcaster, else the bylines' e-mail domain, else the path."""
    name = infer_broadcaster(doc.text, doc.source_path, [s.rule.id for s in spans], rules)
    if name is not None:
        return name, "the broadcaster the packs recognise"
    sites = Counter(
        site
        for line in kept
        if is_byline(line)
        for domain in re.findall(r"@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", line)
        if (site := _site(domain)) is not None
    )
    if sites:
        return sites.most_common(1)[0][0], "the e-mail domain of their bylines"
    # The path: the first word of the file name before a `_` that is not a number, a date or a
    # language tag (hanbit_12.txt, 000123_kbs.txt, en_kbs_7.txt), else the first folder.
    folder, _, file = doc.source_path.rpartition("/")
    stem = file.removesuffix(".txt")
    words = stem.split("_") if "_" in stem else []
    word = next((w for w in words if LETTER.search(w) and w.lower() not in _LANGS), None)
    if word is not None:
        return word.lower(), "the first word of their file names"
    if folder:
        return folder.split("/")[0].lower(), "their folder"
    return stem.lower(), "their file name"


def _lines(doc: Document, spans: list[Span]) -> list[tuple[str, bool]]:
    """The body's non-blank lines that known promotion leaves, each with whether a span
    touches it. Lines it removes whole take no place in the edge zones."""
    out, pos = [], 0
    for line in doc.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if end <= doc.header_end or not line.strip():
            continue
        touching = [s for s in spans if s.start < end and start < s.end]
        left = list(line)
        for s in touching:
            a, b = max(s.start, start) - start, min(s.end, end) - start
            left[a:b] = " " * (b - a)
        if any(c not in SEPARATORS and not c.isspace() for c in left):
            out.append((line.strip(), bool(touching)))
    return out


def _tally(lines: list[tuple[str, bool]], tally: _Tally, in_bodies: Counter[int]) -> None:
    """Count one document's edge templates into its outlet's tally, its middles into in_bodies."""
    head = set(range(min(HEAD, len(lines))))
    tail = set(range(max(0, len(lines) - TAIL), len(lines)))
    seen: dict[str, set[str]] = {"head": set(), "tail": set()}
    edge, middle = [], []
    for i, (text, touched) in enumerate(lines):
        if touched:  # a rule found it already; what a rule leaves of a line is eval's to judge
            continue
        shape = template(text)
        for zone, where in (("head", head), ("tail", tail)):
            if i in where:
                seen[zone].add(shape)
                tally.example.setdefault(shape, text)
        if i in head or i in tail:
            edge.append(text)
        else:
            in_bodies[hash(shape)] += 1  # a number, not the line: most body lines are unique
            middle.append(text)
    tally.docs += 1
    tally.head.update(seen["head"])
    tally.tail.update(seen["tail"])
    tally.support.update(seen["head"] | seen["tail"])
    tally.middle += middle[: KEEP_POOL - len(tally.middle)]
    tally.edge += edge[: KEEP_POOL - len(tally.edge)]


def suggest(raw: Path, rules: RuleSet, cfg: IngestConfig, min_docs: int = 3) -> Mined:
    """Mine every *.txt under raw for lines the packs miss, outlet by outlet."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    in_bodies: Counter[int] = Counter()
    skipped, seen = [], set()
    for path, rel in list_raw(raw):
        doc = read_document(path, rel, cfg)
        if isinstance(doc, Rejected):
            skipped.append(doc)
            continue
        if doc.doc_id in seen:  # a copy would count its lines twice
            continue
        seen.add(doc.doc_id)
        spans = find_promotions(doc.text, rules, body_start=doc.header_end)
        lines = _lines(doc, spans)
        name, how = _outlet_of(doc, spans, [t for t, touched in lines if not touched], rules)
        tally = tallies[name]
        tally.how[how] += 1
        tally.pack = tally.pack or next((p for p in rules.packs if p.name == name), None)
        _tally(lines, tally, in_bodies)

    outlets = []
    for k, (name, tally) in enumerate(sorted(tallies.items()), 1):
        found = []
        for shape, n in sorted(tally.support.items(), key=lambda kv: (-kv[1], kv[0])):
            example = tally.example[shape]
            inside = in_bodies[hash(shape)]
            if n < min_docs or inside * BODY_SHARE > n:
                continue
            kind = kind_of(example)
            if kind is None or is_furniture(example, rules):
                continue
            found.append(
                Suggestion(shape, kind, pattern_of(example), example, n,
                           tally.head[shape], tally.tail[shape], inside)
            )  # fmt: skip
        slug = tally.pack.id if tally.pack else (_slug(name) or f"outlet{k}")
        aliases = tally.pack.aliases if tally.pack else (name,)
        how = ", ".join(f"{h} ({n})" for h, n in tally.how.most_common())
        outlets.append(Outlet(name, slug, how, aliases, tally.docs, tuple(found)))
    outlets = [_with_keeps(o, tallies, rules) for o in outlets]
    outlets.sort(key=lambda o: (-len(o.suggestions), -o.docs, o.name))
    return Mined(tuple(outlets), len(seen), tuple(skipped))


def choose(mined: Mined, name: str | None) -> Outlet | None:
    """The outlet of that name, else the one with most suggestions (None in an empty corpus);
    a name that is not an outlet of the corpus is an error."""
    found = next((o for o in mined.outlets if o.name == (name or o.name)), None)
    if found is None and name is not None:
        names = ", ".join(sorted(o.name for o in mined.outlets)[:20]) or "none"
        if len(mined.outlets) > 20:
            names += f" and {len(mined.outlets) - 20} more"
        raise UsageError(f"no outlet {name!r} among the documents; outlets: {names}")
    return found


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


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
    return RuleSet((*others, pack, *generic), "draft")


def _untouched(keep: str, example: str, rules: RuleSet) -> bool:
    """Whether a keep-example survives as `newspipe rules check` tests it: alone and before
    the example."""
    return not any(
        s.start < len(keep)
        for text in (keep, f"{keep}\n{example}")
        for s in find_promotions(text, rules)
    )


def _keep_candidates(lines: list[str], shapes: set[str]) -> list[tuple[bool, bool, int, str]]:
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


def _with_keeps(outlet: Outlet, tallies: dict[str, _Tally], rules: RuleSet) -> Outlet:
    """The outlet with a keep-example for each suggestion, from its own lines where possible;
    a suggestion that no candidate lets pass the checks of `newspipe rules check` is dropped."""
    if not outlet.suggestions:
        return outlet
    shapes = {s.template for s in outlet.suggestions}
    own = _keep_candidates(tallies[outlet.name].middle + tallies[outlet.name].edge, shapes)
    others = None  # other outlets' body lines, looked at only when the outlet's own fail
    draft = _draft_rules(outlet, rules)
    chosen = []
    for s in outlet.suggestions:
        keep = _pick_keep(s, own, draft)
        if keep is None:
            if others is None:
                lines = (
                    t for n, ty in sorted(tallies.items()) if n != outlet.name for t in ty.middle
                )
                others = _keep_candidates(list(itertools.islice(lines, KEEP_POOL)), shapes)
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
