"""Link each English document to its Korean original, or to none.

Candidates come from an inverted index of the Korean documents' signals (numbers, names), kept
to those dated within the window a translation follows its original; of the few that share most
with the English text, a cheap bound on what their lines can share (`ceiling`) ranks them, and
only the first `align_top` that could be linked at all are aligned line by line (align.py): the
work per English document is bounded however dense the corpus is around its date. The one whose
lines align best wins if its evidence clears the thresholds. No pass over all pairs of
documents; the result does not depend on the order of the input.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter

import numpy as np

from pipeline.pair.align import SPEAKER, Alignment, align, aligning
from pipeline.pair.signals import Doc, weight
from pipeline.pair.table import Stored

_REPORTER = 2.0  # the sign-off names the same reporter
_INDEXED = 1.0  # only figures and names find candidates (not days, counts, years or words)


@dataclass(frozen=True)
class Params:
    days_before: int = 4  # a Korean original dated up to this many days before the English
    days_after: int = 1  # ... or after it (a portal's copy dated when it was reposted)
    candidates: int = 12  # per English document, those sharing most figures and names, whose
    align_top: int = 3  # ... highest ceilings are aligned (the gold set's originals rank first)
    # A link needs evidence enough by one of three roads. (a) and (b) need a shared name, quote
    # speaker or reporter: the same figures alone are what another outlet's report of the same
    # event has too.
    min_evidence: float = 3.5  # (a) what the aligned lines share, with
    min_cover: float = 0.4  # the share of the numbers in the aligned Korean span matched;
    # a Korean text cut short (the alignment runs to its end) has less to share: below this
    # many letters in the aligned span the evidence asked for shrinks in proportion, down to
    # `min_evidence_short`
    full_span: int = 300
    min_evidence_short: float = 2.0
    few_numbers: float = 2.0  # (b) a span with fewer numbers (by weight) than this,
    min_evidence_few: float = 5.5  # where the names and speakers must share this much;
    full_cover: float = 0.9  # (c) a copy that kept its figures but not its names (a repost
    min_figures: float = 2.0  # in written style): nearly all of them, this much weight,
    min_lines: int = 8  # over this many aligned lines (a brief with the same figures is not)


@dataclass(frozen=True)
class Scored:
    ko_doc_id: str
    score: float
    cover: float
    offered: float  # the weight of the numbers in the Korean span that `cover` is a share of
    span_size: int  # letters of the Korean lines from the first linked to the last
    cut_short: bool  # the alignment runs to the end of the Korean text (or one line before)
    named: bool  # a name, a quote's speaker or the reporter is among the evidence
    alignment: Alignment
    evidence: tuple[str, ...]  # which signals matched: "numbers 5", "names 2", "reporter" …


@dataclass(frozen=True)
class Pair:
    en_doc_id: str
    ko_doc_id: str | None  # None: no original found
    best: Scored | None  # the winning candidate (also when it falls short of the thresholds)
    runner_up: Scored | None  # the next of those aligned (one that could not win is not)
    candidates: tuple[str, ...] = ()  # PairIndex.candidates: those it was linked among
    near: tuple[tuple[str, float], ...] = ()  # PairIndex.near: those they were ranked among


def indexed(doc: Doc) -> frozenset[str]:
    """The signals that find candidates: figures, names and the reporters' keys."""
    found = frozenset(filter(_finds, doc.signals))
    return found | {f"p:{k}" for k in doc.reporters} if doc.reporters else found


@dataclass(frozen=True, eq=False)  # (arrays: compared by what they hold, not with ==)
class Indexed:
    """The indexed signals of some documents (`indexed`), flat: the i-th one's are the strings
    numbered codes[at[i]:at[i + 1]], each once, in order. `strings` are those of all of them,
    sorted (the numbers then sort as the strings do): two documents' are the same set exactly
    when they are the same list (another Indexed's once numbered as these are)."""

    strings: list[str]
    codes: np.ndarray  # numbers into strings
    at: np.ndarray

    def __len__(self) -> int:
        return len(self.at) - 1

    def signals(self, i: int) -> frozenset[str]:
        """The i-th document's, as a set."""
        return frozenset(map(self.strings.__getitem__, self.row(i).tolist()))

    def row(self, i: int) -> np.ndarray:
        """The numbers of the i-th document's."""
        return self.codes[self.at[i] : self.at[i + 1]]


NONE_INDEXED = Indexed([], np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64))


def indexed_rows(stored: Stored, rows: Sequence[int]) -> Indexed:
    """indexed(stored.doc(row)) of each row (distinct rows), from the flat values: no document
    made, nor a set or a string for each signal (the runner reads those of every Korean
    original)."""
    chosen = np.zeros(len(stored), dtype=bool)
    chosen[list(rows)] = True
    by_row = np.flatnonzero(chosen)  # the rows in their order
    place = np.zeros(len(stored), dtype=np.int64)  # a row's place among them
    place[by_row] = np.arange(len(by_row))
    strings = stored.strings
    finds = np.fromiter(map(_finds, strings), dtype=bool, count=len(strings))
    codes, at = stored.signal_rows(finds, chosen)
    # each reporter's key, numbered after the stored strings where it is none of them
    reporters = [(row, f"p:{k}") for row in by_row.tolist() for k in stored.reporters(row)]
    if reporters:
        number = dict(zip(strings, range(len(strings)), strict=True))
        numbers = [number.setdefault(key, len(number)) for _, key in reporters]
        strings = list(number)
    # the strings that occur numbered again in their order; each row's then sorted by
    # (place, number) as one key, and each kept once
    occur = np.zeros(len(strings), dtype=bool)
    occur[codes] = True
    if reporters:
        occur[numbers] = True
    ranked = sorted(np.flatnonzero(occur).tolist(), key=strings.__getitem__)
    renumber = np.zeros(len(strings), dtype=np.int64)
    renumber[ranked] = np.arange(len(ranked))
    span = max(len(ranked), 1)
    keys = np.repeat(np.arange(len(by_row), dtype=np.int64) * span, np.diff(at)[by_row])
    keys += renumber[codes]
    if reporters:
        theirs = place[[row for row, _ in reporters]] * span + renumber[numbers]
        keys = np.concatenate([keys, theirs])
    keys.sort(kind="stable")  # the places are in order already: a quick sort
    keys = keys[np.diff(keys, prepend=-1) != 0]
    at = np.searchsorted(keys, np.arange(len(by_row) + 1, dtype=np.int64) * span)
    found = Indexed([strings[n] for n in ranked], (keys % span).astype(np.int32), at)
    if not np.array_equal(by_row, rows):  # in the order asked for
        where, sizes = _pieces(at, place[list(rows)])
        found = Indexed(found.strings, found.codes[where], np.concatenate([[0], np.cumsum(sizes)]))
    return found


def _pieces(at: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of pieces laid end to end (the i-th from at[i] to at[i + 1]), the `chosen` ones laid end
    to end: where each of their values is in the whole, and their sizes."""
    first = at[chosen]
    sizes = at[chosen + 1] - first
    return np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes - first, sizes), sizes


def needed(stored: Stored) -> dict[str, np.ndarray]:
    """For each language, the stored strings its documents need as signals to be linked as
    they would be with all of theirs (a bool per string): only what both sides share counts in a
    link (the index, the ceilings, the alignment and its evidence) — so those a document of the
    other language carries too — and on the Korean side every figure (a candidate's cover is the
    share of the figures in its aligned span that were matched). In the 20,000-document benchmark
    that is a fifth of the Korean signals and under half of the English."""
    figures = np.fromiter(
        (s.startswith("n:") for s in stored.strings), dtype=bool, count=len(stored.strings)
    )
    carried = stored.carried()
    nothing = np.zeros(len(stored.strings), dtype=bool)
    return {"ko": carried.get("en", nothing) | figures, "en": carried.get("ko", nothing)}


@lru_cache(maxsize=200_000)
def _finds(signal: str) -> bool:
    return weight(signal) >= _INDEXED


def in_window(en: dt.date | None, ko: dt.date | None, params: Params) -> bool:
    """Whether a Korean document dated `ko` may be the original of one dated `en` (an unknown
    date rules nothing out)."""
    if en is None or ko is None:
        return True
    return -params.days_after <= (en - ko).days <= params.days_before


_DAY_SPAN = 1 << 22  # more days than any date's ordinal (9999-12-31 is 3,652,059)
_UNDATED = _DAY_SPAN - 1  # the day of an undated document: after every date


def _day(date: dt.date | None) -> int:
    return _UNDATED if date is None else date.toordinal()


class PairIndex:
    """The Korean documents by their signals and dates."""

    def __init__(self, ko_docs: Iterable[Doc]) -> None:
        self.docs: MutableMapping[str, Doc] = {}
        self._number: dict[str, int] = {}  # doc_id -> its number in the postings
        self._ids: list[str] = []  # number -> doc_id (a number is never given twice)
        self._signal: dict[str, int] = {}  # signal -> its number
        self._weight: list[float] = []  # signal number -> weight
        # the postings as they were added: signal number, day (ordinal), document number; those
        # of documents removed since are kept until the next lookup compacts them
        self._added = (array("q"), array("q"), array("q"))
        self._gone: set[int] = set()
        self._table: _Postings | None = None  # built from _added at the first lookup after a change
        for doc in sorted(ko_docs, key=lambda d: d.doc_id):
            self.add(doc)

    @classmethod
    def of(
        cls,
        docs: MutableMapping[str, Doc],
        doc_ids: Sequence[str],
        dates: Sequence[dt.date | None],
        found: Indexed,
    ) -> PairIndex:
        """The index of `docs` given each one's doc_id, date and indexed signals (`found`, in
        the same order), where those are at hand without the documents (pipeline/pair/table.py
        reads them flat): a document is then looked up in `docs` only when a lookup ranks it (a
        mapping may make it then)."""
        index = cls(())
        index.docs = docs
        # the postings of all of them at once, by doc_id: the signals numbered in sorted order,
        # as `found` numbers them (a lookup adds multiples of 0.5 and ranks by weight, then id:
        # numbering changes nothing)
        order = sorted(range(len(doc_ids)), key=doc_ids.__getitem__)
        index._signal = {signal: n for n, signal in enumerate(found.strings)}
        index._weight = list(map(weight, found.strings))
        index._ids = [doc_ids[i] for i in order]
        index._number = {doc_id: n for n, doc_id in enumerate(index._ids)}
        days = np.array([_day(dates[i]) for i in order], dtype=np.int64)
        where, sizes = _pieces(found.at, np.array(order, dtype=np.int64))
        index._added = (
            array("q", found.codes[where].astype(np.int64).tobytes()),
            array("q", np.repeat(days, sizes).tobytes()),
            array("q", np.repeat(np.arange(len(order), dtype=np.int64), sizes).tobytes()),
        )
        return index

    def add(self, doc: Doc) -> None:
        """Index a Korean document (one of the same id is replaced)."""
        if doc.doc_id in self.docs:
            self.remove(doc.doc_id)
        self.docs[doc.doc_id] = doc
        self._post(doc.doc_id, doc.date, indexed(doc))

    def _post(self, doc_id: str, date: dt.date | None, found: frozenset[str]) -> None:
        number = self._number[doc_id] = len(self._ids)
        self._ids.append(doc_id)
        signals = self._signal
        for signal in found:
            if signal not in signals:
                signals[signal] = len(self._weight)
                self._weight.append(weight(signal))
        sids = array("q", map(signals.__getitem__, found))
        day = _day(date)
        self._added[0].extend(sids)
        self._added[1].extend(array("q", [day]) * len(sids))
        self._added[2].extend(array("q", [number]) * len(sids))
        self._table = None

    def remove(self, doc_id: str) -> None:
        """Forget a Korean document."""
        del self.docs[doc_id]
        self._gone.add(self._number.pop(doc_id))
        self._table = None

    def without(self, doc_ids: Iterable[str]) -> PairIndex:
        """The same index less some documents."""
        gone = set(doc_ids)
        return PairIndex(d for d in self.docs.values() if d.doc_id not in gone)

    def candidates(
        self, en: Doc, params: Params, near: list[tuple[str, float]] | None = None
    ) -> list[str]:
        """The Korean documents `link` aligns for `en`, in the order it aligns them: of the
        `params.candidates` in the date window that share most indexed weight with it, the
        `params.align_top` with the highest ceilings, leaving out those that could not be linked
        whatever their alignment (a ceiling under `lowest_score`). Ties go by shared weight,
        then id. `near`: `self.near`'s, where the caller has it."""
        return [doc_id for doc_id, _ in self._ranked(en, params, near)]

    def near(self, en: Doc, params: Params) -> list[tuple[str, float]]:
        """The first `params.candidates` Korean documents in the window by the indexed weight
        they share with `en` (then by id), with that weight: those `candidates` ranks. (A
        document not among them can change `candidates` only by sharing more than the last.)"""
        table = self._postings()
        if table.halves:
            found = table.first(self._found(en), self._days(en, params), params.candidates)
            ids = table.ids
            return [(ids[place], halves / 2) for place, halves in found]
        docs, mass = self._kept(en, params)  # (a weight not a multiple of 0.5)
        if len(docs) > params.candidates:  # the first of them by (-weight, id), in numpy
            first = np.lexsort((docs, -mass))[: params.candidates]
            docs, mass = docs[first], mass[first]
        # by id, then by weight (a stable sort, highest first): the order of (-weight, id)
        near = sorted(zip(map(table.ids.__getitem__, docs.tolist()), mass.tolist(), strict=True))
        near.sort(key=itemgetter(1), reverse=True)
        return near

    def _found(self, en: Doc) -> np.ndarray:
        """The numbers of `indexed(en)` that the index holds. Every signal it holds is one
        `indexed` gives (weight at least _INDEXED), so these are the numbers of `en`'s signals
        and reporters' keys that it holds, found without filtering `en`'s signals first."""
        get = self._signal.get
        found = set(map(get, en.signals))
        if en.reporters:
            found.update(get(f"p:{k}") for k in en.reporters)
        found.discard(None)
        return np.fromiter(found, dtype=np.int64, count=len(found))

    @staticmethod
    def _days(en: Doc, params: Params) -> tuple[int, int] | None:
        """The first and last day (ordinals) of `en`'s window; None: an undated article meets
        every day."""
        if en.date is None:
            return None
        day = en.date.toordinal()
        return (day - params.days_before, day + params.days_after)

    def _ranked(
        self, en: Doc, params: Params, near: list[tuple[str, float]] | None = None
    ) -> list[tuple[str, float]]:
        """`candidates` with their ceilings (rounded to 4 places); `near`: `self.near`'s, where
        the caller has it."""
        mass = dict(self.near(en, params) if near is None else near)
        tops = _ceilings(en, [self.docs[d] for d in mass])
        lowest = lowest_score(params) - 0.001  # scores are rounded to 4 places
        ranked = sorted(
            (d for d in mass if tops[d] >= lowest), key=lambda d: (-tops[d], -mass[d], d)
        )
        return [(d, tops[d]) for d in ranked[: params.align_top]]

    def _postings(self) -> _Postings:
        if self._table is None:
            if self._gone:
                columns = [np.frombuffer(a, dtype=np.int64) for a in self._added]
                live = ~np.isin(columns[2], list(self._gone))
                sid, day, doc = (array("q", a[live].tobytes()) for a in columns)
                self._added = (sid, day, doc)
                self._gone = set()
            self._table = _Postings(self._added, self._weight, self._ids)
        return self._table

    def _mass(self, en: Doc, params: Params) -> dict[str, float]:
        """The shared indexed weight of the Korean documents in the window that may rank among
        the `params.candidates` first, by id: every one that ties with the last of those is
        kept too, so sorting these by (weight, id) gives the first ones of all."""
        docs, mass = self._kept(en, params)
        ids = self._postings().ids
        return {ids[n]: m for n, m in zip(docs.tolist(), mass.tolist(), strict=True)}

    def _kept(self, en: Doc, params: Params) -> tuple[np.ndarray, np.ndarray]:
        """`_mass`: the documents (their places in the order of the ids) and their weights.
        Weights are multiples of 0.5, so their sums are exact and the same in any order."""
        table = self._postings()
        sids = self._found(en)
        if not len(sids):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        docs, mass = table.mass(sids, self._days(en, params))
        keep = params.candidates
        if len(docs) > keep and table.halves:
            # the keep-th highest weight by counting the documents at each multiple of 0.5,
            # highest first (np.partition is slow on so many ties)
            halves = (mass * 2).astype(np.intp)
            above = np.cumsum(np.bincount(halves)[::-1])
            kept = halves >= len(above) - 1 - int(np.searchsorted(above, keep))
            docs, mass = docs[kept], mass[kept]
        elif len(docs) > keep:
            floor = np.partition(mass, len(mass) - keep)[len(mass) - keep]
            kept = mass >= floor
            docs, mass = docs[kept], mass[kept]
        return docs, mass


class _Postings:
    """The postings in numpy, sorted by signal, then day (undated last), then document: a
    lookup finds each signal's days of the window (and its undated documents) by binary search,
    and adds up shared weight without a loop over signals or days. A document is held by its
    place in the order of the ids (numbers are not given in that order once the index changes):
    the first of those that share as much are the first by id."""

    def __init__(self, added: tuple[array, ...], weights: list[float], ids: list[str]) -> None:
        sid, day, number = (np.frombuffer(a, dtype=np.int64) for a in added)
        by_id = sorted(range(len(ids)), key=ids.__getitem__)
        place = np.empty(len(ids), dtype=np.int64)
        place[by_id] = np.arange(len(ids))
        self.ids = [ids[n] for n in by_id]  # place -> doc_id
        self.docs = len(ids)
        key = sid * _DAY_SPAN + day
        doc = place[number]
        order = np.lexsort((doc, key))
        self.key = key[order]  # signal * _DAY_SPAN + day
        self.doc = doc[order]  # the document's place
        # where each signal's postings start and end
        self.start = np.searchsorted(self.key, np.arange(len(weights) + 1) * _DAY_SPAN)
        self.weight = np.array(weights, dtype=float)
        # every weight a multiple of 0.5 (as they are): shared weights can be counted in halves
        self.halves = bool(np.all(self.weight * 2 == np.round(self.weight * 2)))

    def mass(self, sids: np.ndarray, days: tuple[int, int] | None) -> tuple[np.ndarray, np.ndarray]:
        """The documents that share a signal with the query (signal numbers `sids`), dated in
        `days` (first, last; None: any day) or undated, and the weight they share."""
        mass = self._summed(sids, days, self.weight)
        docs = np.flatnonzero(mass > 0)  # (weights are positive; a mask's nonzero is quicker)
        return docs, mass[docs]

    def first(
        self, sids: np.ndarray, days: tuple[int, int] | None, keep: int
    ) -> list[tuple[int, int]]:
        """`mass`'s first `keep` by (-weight, place), as (place, weight in halves): every
        weight a multiple of 0.5 (`halves`), the weights are counted in halves, exact."""
        halves = self._summed(sids, days, self.weight * 2).astype(np.int64)
        # the keep-th highest count of halves (or 1), by counting the documents at each, highest
        # first (np.partition is slow on so many ties): all above it are among the first, and
        # of those at it, the first by place
        above = np.cumsum(np.bincount(halves)[:0:-1])
        least = max(len(above) - int(np.searchsorted(above, keep)), 1)
        docs = np.flatnonzero(halves >= least)
        counts = halves[docs]
        first = np.argsort(-counts, kind="stable")[:keep]  # by place where they tie
        return list(zip(docs[first].tolist(), counts[first].tolist(), strict=True))

    def _summed(
        self, sids: np.ndarray, days: tuple[int, int] | None, weights: np.ndarray
    ) -> np.ndarray:
        """For every document place, the sum of `weights` (by signal number) over the signals
        `sids` it shares in `days` (the sums are exact: multiples of 0.5 or of 1)."""
        if days is None:
            lo, hi = self.start[sids].tolist(), self.start[sids + 1].tolist()
        else:  # per signal, the window's days (first two bounds), then the undated (last two)
            bounds = (sids * _DAY_SPAN)[:, None] + np.array(
                [days[0], days[1] + 1, _UNDATED, _DAY_SPAN], dtype=np.int64
            )
            at = np.searchsorted(self.key, bounds.ravel())
            lo, hi = at[0::2].tolist(), at[1::2].tolist()
            sids = np.repeat(sids, 2)
        doc = self.doc
        found = [doc[a:b] for a, b in zip(lo, hi, strict=True) if b > a]
        if not found:
            return np.zeros(self.docs)
        sizes = np.subtract(hi, lo)
        each = np.repeat(weights[sids], sizes)
        return np.bincount(np.concatenate(found), weights=each, minlength=self.docs)


def score(en: Doc, ko: Doc, al: Alignment | None = None) -> Scored:
    """How well `ko` explains `en` as its original: the evidence its aligned lines share,
    and what share of the Korean signals inside the aligned span found their English (`al`:
    their alignment, where it is at hand)."""
    al = align(en.lines, ko.lines) if al is None else al
    reporter = bool(en.reporters & ko.reporters)
    total = al.evidence + (_REPORTER if reporter else 0.0)
    first, last = al.ko_span
    # the numbers of the span's lines, each line's in sorted order: one order, one sum
    offered = sum(chain.from_iterable(ko.figure_weights[first : last + 1])) if first >= 0 else 0
    # what each link's two lines share: the kind of every signal both carry, and the numbers
    # among them in sorted order (those of the Korean line's, sorted, that the English carries)
    en_lines, ko_lines, figures, weights = en.lines, ko.lines, ko.figures, ko.figure_weights
    kinds_of: list[str] = []
    matched_weights: list[float] = []
    said = 0
    for lk in al.links:
        e, k = en_lines[lk.en], ko_lines[lk.ko]
        both = e.signals & k.signals
        if both:
            kinds_of += [s[0] for s in both]
            if figures[lk.ko]:
                signals = e.signals
                pairs = zip(figures[lk.ko], weights[lk.ko], strict=True)
                matched_weights += [w for s, w in pairs if s in signals]
        if e.speakers and not e.speakers.isdisjoint(k.speakers):
            said += 1
    matched = sum(matched_weights)
    cover = matched / offered if offered else 0.0
    kinds = Counter(kinds_of)
    named = reporter or "p" in kinds or said > 0
    found = [f"{_KIND_NAMES[k]} {v}" for k, v in kinds.items()]
    found += [f"speakers {said}"] if said else []
    evidence = tuple(sorted(found))  # by kind: no kind's name begins another's
    evidence += ("reporter",) if reporter else ()
    evidence += (f"lines {len(al.links)}",)
    before = ko.sizes_before
    size = before[last + 1] - before[first] if first >= 0 else 0
    return Scored(
        ko.doc_id, round(total, 4), round(cover, 4), round(offered, 4), size,
        last >= len(ko.lines) - 2, named, al, evidence,
    )  # fmt: skip


_KIND_NAMES = {"n": "numbers", "p": "names", "w": "words"}


def _key(s: Scored, en: Doc, ko: Doc) -> tuple[float, int, str]:
    days = abs((en.date - ko.date).days) if en.date and ko.date else 9
    return (-s.score, days, s.ko_doc_id)


def ceiling(en: Doc, ko: Doc) -> float:
    """What score(en, ko) can reach at most, without aligning: each shared signal as often as
    both sides hold it (a Korean line serves up to three English lines), every quote whose
    speaker the Korean names, and the reporter."""
    return _Ceiling(en)(ko)


def _ceilings(en: Doc, ko_docs: Sequence[Doc]) -> dict[str, float]:
    """ceiling() of `en` with each of `ko_docs`, rounded to 4 places, by their ids."""
    top = _Ceiling(en)
    if top.tenths is None:  # (no weight is other than a multiple of 0.1 today)
        return {ko.doc_id: round(top(ko), 4) for ko in ko_docs}
    return {ko.doc_id: top.in_tenths(ko) / 10 for ko in ko_docs}


class _Ceiling:
    """ceiling() of one English document with any Korean one. A signal the English holds on
    at most three lines adds its weight that many times whatever the Korean count (one Korean
    line serves three), so only the few on more lines need the Korean lines counted.

    Rounded to 4 places, as `_ceilings` gives it, the ceiling is counted in tenths, as whole
    numbers (every weight, SPEAKER and _REPORTER is a multiple of 0.1): a sum of whole numbers
    is exact in any order, so the shared signals need not be sorted. The float sum in sorted
    order is within far less than 0.00005 of the same multiple of 0.1, so rounding it to 4
    places gives that multiple as a float, which is what dividing the tenths by 10 gives
    (the float nearest to it). Where some weight is not a multiple of 0.1, `tenths` is None
    and the float sum is rounded."""

    def __init__(self, en: Doc) -> None:
        self.en = en
        counts = en.counts
        self.weighed = {s: weight(s) * n for s, n in counts.items() if n <= 3}
        self.often = {s: n for s, n in counts.items() if n > 3}
        self.quoted = [line.speakers for line in en.lines if line.speakers]
        # `weighed` in tenths, and those of `often` one line's worth, where all have them
        self.tenths: dict[str, int] | None = {}
        self._often_tenths: dict[str, int] = {}
        for s, n in counts.items():
            tenths = _tenths(s)
            if tenths is None or _SPEAKER_TENTHS is None or _REPORTER_TENTHS is None:
                self.tenths = None  # (every weight has them today)
                break
            if n <= 3:
                self.tenths[s] = tenths * n
            else:
                self._often_tenths[s] = tenths

    def __call__(self, ko: Doc) -> float:
        weighed, often = self.weighed, self.often
        both = sorted(self.en.signals & ko.signals)  # one order: one sum
        if often and not often.keys().isdisjoint(both):
            top = sum(
                weighed[s] if s in weighed else weight(s) * min(often[s], 3 * _lines_with(s, ko))
                for s in both
            )
        else:  # (as most are: no signal on more than three English lines is shared)
            top = sum(map(weighed.__getitem__, both))
        if ko.speakers:
            top += SPEAKER * sum(1 for said in self.quoted if said & ko.speakers)
        return top + (_REPORTER if self.en.reporters & ko.reporters else 0.0)

    def in_tenths(self, ko: Doc) -> int:
        """The ceiling in tenths (`tenths` is not None), a whole number."""
        weighed, often = self.tenths, self.often
        assert weighed is not None and _SPEAKER_TENTHS is not None and _REPORTER_TENTHS is not None
        both = self.en.signals & ko.signals
        if often and not often.keys().isdisjoint(both):
            tenths = self._often_tenths
            top = sum(
                weighed[s] if s in weighed else tenths[s] * min(often[s], 3 * _lines_with(s, ko))
                for s in both
            )
        else:
            top = sum(map(weighed.__getitem__, both))
        if self.quoted and ko.speakers:
            speakers = ko.speakers
            top += _SPEAKER_TENTHS * sum(1 for said in self.quoted if not said.isdisjoint(speakers))
        if self.en.reporters and not self.en.reporters.isdisjoint(ko.reporters):
            top += _REPORTER_TENTHS
        return top


def _whole_tenths(value: float) -> int | None:
    """`value` in tenths where it is a whole number of them (exactly, as a float), else None."""
    tenths = round(value * 10)
    return tenths if tenths == value * 10 else None


@lru_cache(maxsize=200_000)
def _tenths(signal: str) -> int | None:
    return _whole_tenths(weight(signal))


_SPEAKER_TENTHS, _REPORTER_TENTHS = _whole_tenths(SPEAKER), _whole_tenths(_REPORTER)


def _lines_with(signal: str, doc: Doc) -> int:
    return sum(1 for line in doc.lines if signal in line.signals)


def lowest_score(params: Params) -> float:
    """The lowest score `accepted` can take: every road asks at least this much (by figures
    alone, the matched figures' weight, which is part of the score)."""
    return min(params.min_evidence, params.min_evidence_short, params.min_evidence_few,
               params.min_figures)  # fmt: skip


def link(en: Doc, index: PairIndex, params: Params | None = None) -> Pair:
    """The Korean original of one English document, or none.

    Only `index.candidates` are aligned (at most `align_top`, in one programme), and they are
    taken highest ceiling first, none whose ceiling is below the best score so far. A Korean
    document whose ceiling is under `lowest_score` is not aligned at all: it cannot be linked,
    and any candidate that can be outscores it, so leaving it out changes no link (only `best`
    of an article with no link, which may then be None)."""
    params = params or Params()
    scored: list[Scored] = []
    top = 0.0
    near = index.near(en, params)
    ranked = index._ranked(en, params, near)
    kos = [index.docs[doc_id] for doc_id, _ in ranked]
    found = aligning(en.lines, [ko.lines for ko in kos])
    for (_, top_possible), ko, al in zip(ranked, kos, found, strict=True):
        if scored and top_possible < top - 0.001:  # scores are rounded to 4 places
            break  # nor can the rest (ranked by ceiling): their alignments are not read back
        scored.append(score(en, ko, al()))
        top = max(top, scored[-1].score)
    scored.sort(key=lambda s: _key(s, en, index.docs[s.ko_doc_id]))
    best = scored[0] if scored else None
    runner_up = scored[1] if len(scored) > 1 else None
    ok = best is not None and accepted(best, params)
    ko_doc_id = best.ko_doc_id if ok and best else None
    return Pair(en.doc_id, ko_doc_id, best, runner_up, tuple(d for d, _ in ranked), tuple(near))


def accepted(s: Scored, params: Params) -> bool:
    """Whether a candidate's evidence is enough for a link."""
    need = params.min_evidence
    if s.cut_short:
        need = max(params.min_evidence_short, need * min(1.0, s.span_size / params.full_span))
    if s.named and s.score >= need and s.cover >= params.min_cover:
        return True
    if s.named and s.offered < params.few_numbers and s.score >= params.min_evidence_few:
        return True
    return (
        s.cover >= params.full_cover
        and s.cover * s.offered >= params.min_figures
        and len(s.alignment.links) >= params.min_lines
    )


def link_all(
    en_docs: Sequence[Doc], ko_docs: Sequence[Doc], params: Params | None = None
) -> list[Pair]:
    """Every English document's pair, in the order of their ids."""
    index = PairIndex(ko_docs)
    return [link(en, index, params) for en in sorted(en_docs, key=lambda d: d.doc_id)]
