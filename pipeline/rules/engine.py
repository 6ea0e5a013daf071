"""Find promotion in a document with a rule set.

Each text rule's matches are *items*. Items that stand next to each other, with nothing but
whitespace, bullets and light punctuation between them, form a *chain*: a footer block over
several lines, or a footer run into the body on one line. A chain is promotion when it has two or
more items (or one from a rule marked `alone`) and it sits at a boundary: it starts a line, it
ends one (a byline may still follow it on that line) or it runs over a line break. So
"■ 제보하기 / ▷ 전화 …" goes, while a body sentence that mentions 카카오톡 or a phone number stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.rules.pack import Rule, RuleSet

BULLETS = " \t■□▣▶▷►◀◁◆◇●○•※☞▲△▼▽▪▫·|"
SEPARATORS = BULLETS + "\n,.;:!?-–—~/"
_SEP_ONLY = re.compile(f"[{re.escape(SEPARATORS)}]*")
# What may follow a footer on its line and still be body: bylines (with or without an address),
# a wire service's filing time, an end marker.
_TAIL = re.compile(
    r"(?:\s*(?:"
    r"(?:[가-힣]{2,5}\s*(?:인턴기자|기자|특파원|PD|앵커)?\s*)?[(\[]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[)\]]?"
    r"|[가-힣]{2,5}\s*(?:인턴기자|기자|특파원)"
    r"|\d{4}[/.-]\d{2}[/.-]\d{2}\.?\s+\d{2}:\d{2}(?::\d{2})?\s*송고"
    r"|\((?:끝|END)\)"
    r"))+\s*"
)


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    rule: Rule


@dataclass(frozen=True)
class Span:
    """A stretch of the text to remove, with the rule that matched it."""

    start: int
    end: int
    rule: Rule
    part: str  # footer, promo (at the start of the document) or artefact
    score: float | None = None  # the detector's probability; None for a rule pack's match


def _is_sep(text: str) -> bool:
    return _SEP_ONLY.fullmatch(text) is not None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _items(text: str, rules: Iterable[tuple[Rule, int]]) -> list[Item]:
    """The matches of text rules, each rule scanned from where its first match can start."""
    return [
        Item(m.start(), m.end(), r)
        for r, start in rules
        if r.pattern is not None
        for m in r.pattern.finditer(text, start)
        if m.end() > m.start()
    ]


def _resolve(items: list[Item]) -> list[Item]:
    """Keep the longest of overlapping items; an item that runs past a kept one extends it."""
    items.sort(key=lambda i: (i.start, -(i.end - i.start)))
    kept: list[Item] = []
    for item in items:
        if kept and item.start < kept[-1].end:
            if item.end > kept[-1].end:
                last = kept[-1]
                kept[-1] = Item(last.start, item.end, last.rule)
            continue
        kept.append(item)
    return kept


def _chains(text: str, items: list[Item]) -> list[list[Item]]:
    chains: list[list[Item]] = []
    for item in items:
        if chains and _is_sep(text[chains[-1][-1].end : item.start]):
            chains[-1].append(item)
        else:
            chains.append([item])
    return chains


def _starts_line(text: str, pos: int) -> bool:
    line_start, _ = _line_bounds(text, pos)
    return _is_sep(text[line_start:pos])


def _ends_line(text: str, pos: int) -> bool:
    _, line_end = _line_bounds(text, max(pos - 1, 0))
    rest = text[pos:line_end]
    return _is_sep(rest) or _TAIL.fullmatch(rest) is not None


def _accept(text: str, chain: list[Item], body_start: int) -> list[Item]:
    """The items of a chain that are promotion (all of them, or none)."""
    at_doc_start = (
        _is_sep(text[body_start : chain[0].start]) or text[body_start : chain[0].start].isspace()
    )
    if not at_doc_start:
        chain = [i for i in chain if i.rule.where != "start"]
    if not chain:
        return []
    if len(chain) == 1 and not chain[0].rule.alone:
        return []
    # At a boundary: it starts a line, ends one, or runs over a line break (its item before the
    # break ends that line and the one after starts the next: only separators lie between).
    crosses = "\n" in text[chain[0].end : chain[-1].start]
    if not (crosses or _starts_line(text, chain[0].start) or _ends_line(text, chain[-1].end)):
        return []
    return [
        i
        for i in chain
        if i.rule.where != "line" or (_starts_line(text, i.start) and _ends_line(text, i.end))
    ]


def _spans(text: str, chain: list[Item], part: str) -> list[Span]:
    """Widen each item over the bullets before it; the last one over what ends its line."""
    spans = []
    prev_end = None
    for n, item in enumerate(chain):
        line_start, line_end = _line_bounds(text, item.start)
        floor = line_start if prev_end is None else max(line_start, prev_end)
        start = item.start
        if prev_end is not None and prev_end >= line_start:
            start = prev_end  # the separators between two items go with the second
        else:  # the first item of its line takes the bullets before it, not the body's full stop
            while start > floor and text[start - 1] in BULLETS:
                start -= 1
        end = item.end
        if n == len(chain) - 1:
            _, line_end = _line_bounds(text, max(item.end - 1, 0))
            while end < line_end and text[end] in SEPARATORS:
                end += 1
        spans.append(Span(start, end, item.rule, part))
        prev_end = end
    return spans


def find_promotions(
    text: str, rules: RuleSet, *, body_start: int = 0, extra: Sequence[Item] = ()
) -> list[Span]:
    """Every span of `text` (from body_start on) that the rules mark as promotion, in order."""
    # Interface strings are removed wherever they stand, the scraper's header line included.
    candidates = rules.prefilter.candidates(text)
    found = [
        i for i in _items(text, candidates) if i.start >= body_start or i.rule.where == "anywhere"
    ]
    items = _resolve(found + list(extra))
    spans = [Span(i.start, i.end, i.rule, "artefact") for i in items if i.rule.where == "anywhere"]
    # Chains are found in a view with the interface strings blanked out: they stand between footer
    # items as if they were not there, and removing them first changes nothing (idempotence).
    seen = _blanked(text, [(s.start, s.end) for s in spans])
    # Removing a chain can put another at a line's end ("… 제보하기(끝)■ 제보하기" loses its
    # second half): chains are judged again on what is left until none is added, so stripping
    # what was stripped finds nothing new.
    pending = [i for i in items if i.rule.where != "anywhere"]
    while pending:
        added: list[Span] = []
        rest: list[Item] = []
        for chain in _chains(seen, pending):
            accepted = _accept(seen, chain, body_start)
            if not accepted:
                rest += chain
                continue
            at_start = _is_sep(seen[body_start : accepted[0].start])
            part = (
                "artefact"
                if all(i.rule.kind == "artefact" for i in accepted)
                else ("promo" if at_start else "footer")
            )
            added += _outside(_spans(seen, accepted, part), spans + added)
        if not added:
            break
        spans += added
        seen = _blanked(seen, [(s.start, s.end) for s in added])
        pending = rest
    if rules.detector:
        spans += _detected(text, seen, rules, body_start, spans)
    spans.sort(key=lambda s: s.start)
    return spans


def _detected(
    text: str, seen: str, rules: RuleSet, body_start: int, spans: list[Span]
) -> list[Span]:
    """What the generic detector removes besides the packs' spans (which it sees as removed)."""
    from pipeline import detector

    found = detector.find(text, body_start, [(s.start, s.end) for s in spans])
    if not found:
        return []
    seen = _blanked(seen, [(f.start, f.end) for f in found])
    out: list[Span] = []
    for f in found:
        part = "promo" if _is_sep(seen[body_start : f.start]) else "footer"
        rule = rules.detector_rules[f.category]
        out += [
            Span(s.start, s.end, rule, part, f.probability)
            for s in _outside([Span(f.start, f.end, rule, part)], spans)
        ]
    return out


def _blanked(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The text with the ranges' characters as spaces: what the engine sees once they are gone."""
    if not ranges:
        return text  # most documents: nothing blanked, nothing copied
    pieces, pos = [], 0
    for a, b in sorted(ranges):
        if b <= pos:
            continue
        start = max(a, pos)
        pieces += [text[pos:start], " " * (b - start)]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _outside(chain_spans: list[Span], artefacts: list[Span]) -> list[Span]:
    """Chain spans minus the interface strings they were widened over (each is removed once)."""
    out: list[Span] = []
    for span in chain_spans:
        pieces = [(span.start, span.end)]
        for a in artefacts:
            pieces = [
                piece
                for lo, hi in pieces
                for piece in ((lo, min(hi, a.start)), (max(lo, a.end), hi))
                if piece[0] < piece[1]
            ]
        out.extend(Span(lo, hi, span.rule, span.part) for lo, hi in pieces)
    return out


_CLAUSE_END = re.compile(r"[.!?。]\s|[■□▣▶▷►◆◇●○•※☞\n]")


def token_items(
    seg_text: str,
    seg_start: int,
    forms: Sequence[str],
    tags: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    rules: Iterable[Rule],
) -> list[Item]:
    """Items found by token rules: a regex over `form/tag form/tag …` of one segment.

    A match covers its clause: from the last sentence end or bullet before it to the end of the
    matched tokens (with the punctuation that follows), in document offsets.
    """
    found: list[Item] = []
    rules = [r for r in rules if r.tokens is not None and r.trigger and r.trigger in seg_text]
    if not rules:
        return found
    pieces, offsets = [], []
    pos = 0
    for form, tag in zip(forms, tags, strict=True):
        offsets.append(pos)
        piece = f"{form}/{tag}"
        pieces.append(piece)
        pos += len(piece) + 1
    morph = " ".join(pieces)
    for rule in rules:
        assert rule.tokens is not None
        for m in rule.tokens.finditer(morph):
            first = _token_at(offsets, m.start())
            last = _token_at(offsets, max(m.end() - 1, m.start()))
            start, end = starts[first], ends[last]
            clause = max((c.end() for c in _CLAUSE_END.finditer(seg_text, 0, start)), default=0)
            while end < len(seg_text) and seg_text[end] in "!.?~ ":
                end += 1
            found.append(Item(seg_start + clause, seg_start + end, rule))
    return found


def _token_at(offsets: list[int], pos: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo
