"""Decide, line by line and block by block, which units of a document are promotion.

Every unit is one of:
  P  promotion by its own evidence (score at or above SEED): removed wherever it stands, if
     nothing but promotion and furniture follows it on its line;
  W  weak evidence (a bullet and a short label, a bare copyright sign): removed only with a P
     (see below);
  N  a short piece with no evidence that is no sentence either (a slogan, a price, a frame);
  T  body furniture (byline, sign-off, credit, marker, hashtags): never removed, and it does not
     break a block;
  X  already removed by a rule pack: counts as a P for its neighbours;
  B  body: a sentence, reported speech, anything long; it ends a block.

A line whose units are all non-body is also read as a whole ("[전화]" and "02-398-8585" together
are a labelled phone number). A unit at the end of the document after the byline or sign-off,
with some cue of its own, gets the evidence of its place (`after_byline`).

Promotion comes in blocks: consecutive lines of P, W, N, T and X (a line that ends in a run of
them may open one). On a line, the closing run goes when it holds a P: its P and W units, and
the N pieces after the first removed unit. Across lines, a W line between two seeds goes with
them; a W line before the first seed or after the last goes only when the block reaches the end
(or the start) of the document, where footers (and headers) live, and only if it looks like a
footer item (a bullet, a call, a link; not just a phone number). So "▶ 인기 무료만화" over a
copyright notice at the end of an article goes, and the same bullet line in the middle of a
report stays.

Footers and headers live at the ends of a document: its closing lines (back to the last line
with body in it) and its opening ones may seed a block from any evidence. Anywhere else a line
seeds a block only if it holds a strong cue (evidence.triggered_lines) or a pack's removal; a
seed score there without one counts as weak.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.detector.evidence import BULLET_START, Score, first_cue, score, triggered_lines
from pipeline.detector.units import Unit, furniture, own_hashtags, plain_body, units

SEED = 1.5  # log-odds at or above which a unit is promotion by itself (p >= 0.82)
WEAK = -1.5  # log-odds at or above which it is weak evidence (p >= 0.18)
SHORT_PLAIN = 30  # a unit of no evidence up to this long, and no sentence, is N
SHORT_BULLET = 40  # a bullet line up to this long may be a plug even when it reads as a sentence
# A long line's closing run is read from WINDOW characters before where it could start; no cut
# reaches further than MARGIN (a bracketed group: 100, a byline: 40 + 60), see _closing_part.
WINDOW, MARGIN = 260, 110
AFTER_BYLINE = 2.0  # evidence of place: at the end of the document, after the byline
_FRAME = frozenset("-=_━─*~·.+ ")
_CLOSERS = frozenset({"byline", "signoff"})


@dataclass(frozen=True)
class Verdict:
    """What the detector made of one unit."""

    unit: Unit
    line: int
    cls: str  # P, W, N, T, X or B
    score: Score | None
    furniture: str | None = None
    removed: bool = False
    reason: str = ""  # seed, block, between: why it was removed


class Row:
    """A line's verdicts, with what the block logic asks of them worked out once.

    run: where the line's closing run (its units after the last body unit) starts;
    role: S (the closing run holds a seed or a pack's removal), W (weak, shaped like a footer
      item), w (weak by what it names only), b (a short bullet sentence), N (no evidence) or B;
    carries: whether the line can carry a block on from the line above."""

    __slots__ = ("carries", "role", "run", "verdicts")

    def __init__(self, verdicts: list[Verdict]) -> None:
        self.verdicts = verdicts
        run = len(verdicts)
        while run and verdicts[run - 1].cls != "B":
            run -= 1
        self.run = run
        bullet = len(verdicts) == 1 and _bullet_item(verdicts[0])
        self.carries = run == 0 or bullet
        if any(v.cls in "PX" for v in verdicts[run:]):
            self.role = "S"
        elif run == 0:
            weak = [v for v in verdicts if v.cls == "W"]
            self.role = ("W" if any(map(_shaped, weak)) else "w") if weak else "N"
        else:
            self.role = "b" if bullet else "B"


def _class(s: Score) -> str:
    if s.logit >= SEED:
        return "P"
    if s.logit >= WEAK:
        return "W"
    if len(s.text) <= SHORT_PLAIN and all(name != "sentence" for name, _ in s.evidence):
        return "N"
    return "B"


def _verdict(unit: Unit, line: int, taken: Sequence[tuple[int, int]], before: str) -> Verdict:
    if any(a <= unit.start and unit.end <= b for a, b in taken):
        return Verdict(unit, line, "X", None)
    text = unit.text
    if text[0] in _FRAME and len(text) >= 3 and set(text) <= _FRAME:
        return Verdict(unit, line, "W", Score(WEAK, (("frame", 0.0),), "plug", text))
    if text[0] == "#" and own_hashtags(text):
        return Verdict(unit, line, "P", Score(SEED, (("own_hashtags", 4.5),), "channel", text))
    kind = furniture(text, before)
    if kind == "speech":  # a turn of dialogue is body through and through: it ends a block
        return Verdict(unit, line, "B", None, kind)
    if kind is not None:
        return Verdict(unit, line, "T", None, kind)
    s = score(text)
    return Verdict(unit, line, _class(s), s)


class _Reader:
    """The rows of one document, read on demand and once.

    Lines are the document's physical lines from body_start on (i is an index among them); blank
    lines are passed over as if they were not there, so a block runs on across them."""

    def __init__(
        self, text: str, body_start: int, taken: Sequence[tuple[int, int]], every_line: bool
    ) -> None:
        self.text, self.taken, self.every_line = text, taken, every_line
        self.parts = text[body_start:].split("\n")
        self.starts = list(
            itertools.accumulate((len(p) + 1 for p in self.parts), initial=body_start)
        )
        self.base = text.count("\n", 0, body_start)  # the line number of the first part
        self.rows: dict[int, Row] = {}
        self.may_seed: set[int] = set()
        self.cued = self._cued()

    def filled(self, i: int) -> bool:
        part = self.parts[i]
        return bool(part) and not part.isspace()

    def after(self, i: int) -> int | None:
        """The next line with text after line i, or None."""
        for k in range(i + 1, len(self.parts)):
            if self.filled(k):
                return k
        return None

    def before(self, i: int) -> int | None:
        """The last line with text before line i, or None."""
        for k in range(i - 1, -1, -1):
            if self.filled(k):
                return k
        return None

    def span(self, i: int) -> tuple[int, int, int]:
        part, a = self.parts[i], self.starts[i]
        b = a + len(part)
        a += len(part) - len(part.lstrip())
        b -= len(part) - len(part.rstrip())
        return self.base + i, a, b

    def row(self, i: int) -> Row:
        found = self.rows.get(i)
        if found is None:
            span = self.span(i)
            line, start, end = span
            text = self.text
            if not self.every_line and i not in self.cued and plain_body(text[start:end]):
                verdicts = [Verdict(Unit(start, end, text[start:end]), line, "B", None)]
            else:
                verdicts = _row(text, span, self.taken, i in self.may_seed, self.every_line)
            found = self.rows[i] = Row(verdicts)
        return found

    def ends(self) -> list[int]:
        """Read the closing lines back to a line with body, then the opening ones; they may seed.
        Returns the closing lines, last first."""
        closing: list[int] = []
        i = self.before(len(self.parts))
        while i is not None:
            closing.append(i)
            self.may_seed.add(i)
            if self.row(i).run > 0:
                break
            i = self.before(i)
        i = self.after(-1)
        while i is not None:
            self.may_seed.add(i)
            if self.row(i).run > 0:
                break
            i = self.after(i)
        return closing

    def spread(self, i: int) -> None:
        """Read the lines of the block around a seeded line i: up and down to the nearest body."""
        k: int | None = i
        while k is not None and self.row(k).carries:  # the line above may belong too
            k = self.before(k)
        k = self.after(i)
        while k is not None and self.row(k).carries:
            k = self.after(k)

    def _cued(self) -> set[int]:
        """The lines that hold a strong cue or part of a pack's removal."""
        hits = {n - self.base for n in triggered_lines(self.text, self.starts[0])}
        for a, b in self.taken:
            if b <= self.starts[0]:
                continue
            first = max(bisect.bisect_right(self.starts, a) - 1, 0)
            hits.update(range(first, bisect.bisect_left(self.starts, max(b, a + 1))))
        return {i for i in hits if 0 <= i < len(self.parts) and self.filled(i)}


def judge(
    text: str, body_start: int, taken: Sequence[tuple[int, int]] = (), *, every_line: bool = False
) -> list[Verdict]:
    """The verdicts on the units of the document from body_start on, in order.

    Only the lines that can matter are read (every_line=False): the ends, and the blocks around
    every line that may seed one, out to the nearest body line. Any other line is body whatever
    its units say, so its verdicts are left out. every_line=True reads every line: the reference
    the fast path is held to (tests/detector), and what `newspipe explain` shows."""
    reader = _Reader(text, body_start, taken, every_line)
    closing = reader.ends()
    reader.may_seed |= reader.cued
    _after_byline(reader, closing)
    if every_line:
        for i in range(len(reader.parts)):
            if reader.filled(i):
                reader.row(i)
    else:
        for i in sorted(reader.may_seed):
            if reader.row(i).role == "S":
                reader.spread(i)
    return _decide(reader)


def _row(
    text: str,
    span: tuple[int, int, int],
    taken: Sequence[tuple[int, int]],
    may_seed: bool,
    every_line: bool,
) -> list[Verdict]:
    """The verdicts on one line's units (a seed where the line may not seed is only weak)."""
    line, start, end = span
    if any(a <= start and end <= b for a, b in taken):  # a line a pack took whole
        return [Verdict(Unit(start, end, text[start:end]), line, "X", None)]
    found = None
    # Where a closing run could begin at the earliest that matters: a pack's removal on the line,
    # or its end. A long line is read from WINDOW characters before that.
    anchor = min([a for a, _ in taken if start <= a < end], default=end)
    if not every_line and anchor - start > WINDOW:
        found = _closing_part(text, span, taken, anchor - WINDOW)
    if found is None:
        found = _read_units(text, span, taken, start, every_line)
    found = _as_a_whole(found)
    if not may_seed:
        found = [replace(v, cls="W") if v.cls == "P" else v for v in found]
    return found


def _read_units(
    text: str,
    span: tuple[int, int, int],
    taken: Sequence[tuple[int, int]],
    since: int,
    every_line: bool,
) -> list[Verdict]:
    """The verdicts on the units of text[since:end] of a line, read from the end back: once a
    unit is body, what stands before it cannot matter (only a line's closing run is ever
    removed), so it is read only for `explain` (every_line)."""
    line, start, end = span
    pieces = units(text, since, end, taken)
    head = pieces[0].text
    if since == start and BULLET_START.match(head) and furniture(head) == "speech":
        return [Verdict(u, line, "B", None, "speech") for u in pieces]  # a speaker's turn
    found: list[Verdict] = []
    for k in range(len(pieces) - 1, -1, -1):
        unit = pieces[k]
        found[:0] = _trimmed(_verdict(unit, line, taken, text[start : unit.start]), text)
        if found[0].cls == "B" and not every_line:
            if k or since > start:
                rest = Unit(start, found[0].unit.start, text[start : found[0].unit.start])
                found[:0] = [Verdict(rest, line, "B", None)]
            break
    return found


def _closing_part(
    text: str, span: tuple[int, int, int], taken: Sequence[tuple[int, int]], since: int
) -> list[Verdict] | None:
    """A long line's closing run read from `since` on only, or None when that is not enough to
    know it (no body unit far enough inside the window).

    Every cut is made by a match shorter than MARGIN, so from MARGIN characters into the window
    on, the cuts, and so the units, are the line's own; a body unit that starts there ends the
    run exactly as reading the whole line would."""
    start = span[1]
    if furniture(text[start : start + 200]) == "speech":
        return None
    since = text.find(" ", since, since + 40) + 1 or since  # start the window at a word
    found = _read_units(text, span, taken, since, every_line=False)
    first = found[0]
    if first.cls == "B" and first.unit.start == start and len(found) > 1:
        body = found[1]
        if body.cls == "B" and body.unit.start >= since + MARGIN:
            return found
    return None


def _trimmed(v: Verdict, text: str) -> list[Verdict]:
    """A seed that opens with words of no evidence ("등록금 교육부 대학재정 기사문의 및 제보 …",
    keywords a crawler glued before the footer) is cut where its evidence starts."""
    if v.cls != "P" or v.score is None or BULLET_START.match(v.unit.text):
        return [v]
    at = first_cue(v.unit.text)
    head = v.unit.text[:at].rstrip() if at else ""
    if len(head.split()) < 2 or len(head) < 6:
        return [v]
    u = v.unit
    rest_start = u.start + (at or 0)
    first = Unit(u.start, u.start + len(head), head)
    rest = Unit(rest_start, u.end, text[rest_start : u.end])
    s_first, s_rest = score(first.text), score(rest.text)
    return [replace(v, unit=first, cls=_class(s_first), score=s_first),
            replace(v, unit=rest, cls=_class(s_rest), score=s_rest)]  # fmt: skip


def _as_a_whole(row: list[Verdict]) -> list[Verdict]:
    """A line of several non-body units read as one text: its units take the better score."""
    own = [v for v in row if v.cls in "PWN"]
    if len(own) < 2 or any(v.cls == "B" for v in row):
        return row
    whole = score(" ".join(v.unit.text for v in own))
    better = _class(whole)
    if better not in "PW":  # the whole only ever lifts its units
        return row
    return [
        replace(v, cls=better, score=whole)
        if v.cls in "PWN" and v.score is not None and whole.logit > v.score.logit
        else v
        for v in row
    ]


def _after_byline(reader: _Reader, closing: list[int]) -> None:
    """Units with a cue of their own, after the byline at the end of the document, gain weight."""
    if not closing:
        return
    zone = [
        (i, j)
        for i in reversed(closing)
        for j in range(reader.rows[i].run, len(reader.rows[i].verdicts))
    ]
    closed = False
    changed: dict[int, list[Verdict]] = {}
    for i, j in zone:
        verdicts = changed.get(i, reader.rows[i].verdicts)
        v = verdicts[j]
        if v.cls == "T" and v.furniture in _CLOSERS:
            closed = True
        elif closed and v.score is not None and v.score.cued and v.cls in "WN":
            s = v.score.plus("after_byline", AFTER_BYLINE)
            verdicts = changed[i] = list(verdicts)
            verdicts[j] = replace(v, cls=_class(s), score=s)
    for i, verdicts in changed.items():
        reader.rows[i] = Row(verdicts)


def _decide(reader: _Reader) -> list[Verdict]:
    """The verdicts with what is removed marked, from the lines read (any other is body)."""
    rows = reader.rows
    read = sorted(rows)
    joins: set[int] = set()  # weak lines that go with their block
    k = 0
    while k < len(read):
        i = read[k]
        if rows[i].role == "B":
            k += 1
            continue
        block = [i]
        while k + 1 < len(read) and read[k + 1] == reader.after(block[-1]):
            nxt = rows[read[k + 1]]
            if nxt.role == "B" or not nxt.carries:
                break
            k += 1
            block.append(read[k])
        seeds = [j for j in block if rows[j].role == "S"]
        if seeds:
            at_end = reader.after(block[-1]) is None
            at_start = reader.before(block[0]) is None and rows[block[0]].carries
            for j in block:
                role = rows[j].role
                between = seeds[0] < j < seeds[-1]
                edge = (j < seeds[0] and (at_end or at_start)) or (j > seeds[-1] and at_end)
                if (role == "W" and (between or edge)) or (role in "wb" and between):
                    joins.add(j)
        k += 1
    out: list[Verdict] = []
    for i in read:
        row = rows[i]
        decided = row.verdicts
        if row.role == "S" or i in joins:
            decided = list(decided)
            for j in range(row.run if row.role == "S" else 0, len(decided)):
                v = decided[j]
                if v.cls in "PW" or (i in joins and v.cls == "B"):
                    decided[j] = replace(
                        v, removed=True, reason="seed" if v.cls == "P" else "block"
                    )
            decided = _between(decided)
        out.extend(decided)
    return out


def _shaped(v: Verdict) -> bool:
    """A weak unit that looks like a footer item, and is no sentence: it may join a block's edge."""
    if v.cls != "W" or v.score is None:
        return False
    s = v.score
    return (s.shaped or s.category == "plug") and all(n != "sentence" for n, _ in s.evidence)


def _bullet_item(v: Verdict) -> bool:
    """A short bullet line that reads as a sentence ("▶ 부동산의 모든것 '…'가 펼칩니다"): between
    two seeds it is one more plug; anywhere else it is body."""
    if v.cls != "B" or v.score is None or v.furniture is not None:
        return False
    return (
        len(v.unit.text) <= SHORT_BULLET
        and BULLET_START.match(v.unit.text) is not None
        and not any(name in ("reported", "quoted") for name, _ in v.score.evidence)
    )


def _between(row: list[Verdict]) -> list[Verdict]:
    """N pieces of a line after its first removed unit go too: the closing run ends the line,
    so they are what is left of the footer ("▶쇼미더뉴스! 오늘 많이 본 뉴스영상")."""
    gone = [k for k, v in enumerate(row) if v.removed or v.cls == "X"]
    if not gone:
        return row
    return [
        replace(v, removed=True, reason="between") if v.cls == "N" and k > gone[0] else v
        for k, v in enumerate(row)
    ]
