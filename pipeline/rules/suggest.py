"""Suggest rules from repetition: lines at the edges of many documents of one outlet that no pack
removes. draft.py writes them as a pack for a person to review; a suggestion never changes a run."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.errors import UsageError
from pipeline.rules.broadcaster import infer_broadcaster
from pipeline.rules.engine import SEPARATORS, Span, find_promotions
from pipeline.rules.pack import Pack, RuleSet
from pipeline.rules.template import LETTER, is_byline, is_furniture, kind_of, pattern_of, template
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
    """A group of documents taken to come from one outlet, with what was found at their edges."""

    name: str
    slug: str  # ascii, for rule ids
    how: str  # how its documents were grouped, with how many each way
    aliases: tuple[str, ...]
    docs: int
    suggestions: tuple[Suggestion, ...] = ()
    pool: tuple[str, ...] = ()  # its body lines (then edge lines), to pick keep-examples from


@dataclass(frozen=True)
class Mined:
    """What `suggest` found in a raw folder."""

    outlets: tuple[Outlet, ...]  # most suggestions first
    documents: int
    skipped: tuple[Rejected, ...]
    spare: tuple[str, ...] = ()  # body lines of any outlet, for keep-examples when an outlet's fail


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
        if not touching:
            out.append((line.strip(), False))
            continue
        left = list(line)
        for s in touching:
            a, b = max(s.start, start) - start, min(s.end, end) - start
            left[a:b] = " " * (b - a)
        if any(c not in SEPARATORS and not c.isspace() for c in left):
            out.append((line.strip(), True))
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
    """Mine every *.txt under raw for lines the packs miss, outlet by outlet.

    What the generic detector finds is suggested too (without it, as the packs alone see the
    text): a pack makes an outlet's footer exact, whatever the detector makes of it."""
    rules = dataclasses.replace(rules, detector=False)
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
        pool = (*tally.middle, *tally.edge)
        outlets.append(Outlet(name, slug, how, aliases, tally.docs, tuple(found), pool))
    outlets.sort(key=lambda o: (-len(o.suggestions), -o.docs, o.name))
    spare = itertools.islice((t for ty in tallies.values() for t in ty.middle), KEEP_POOL)
    return Mined(tuple(outlets), len(seen), tuple(skipped), tuple(spare))


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
