"""pair: the English articles of the whole corpus -> pairs (each one's Korean original, or none)
and alignments (their lines, linked).

A corpus stage (registry.py) after export: once a run it brings its state up to date with the
live batches and writes each batch's rows of `pairs` and `alignments` (for the English articles
in it). Korean copies of one report count as one original: only the representative of a dedup
cluster (cluster_id null or its own doc_id) is indexed, and a link names the cluster.

What it reads: each live batch's `signals` (the signal stage read every English and Korean
article in the workers: its clean body's lines, as `articles.body` has them, with the seg_id of
each line's first kept segment, so the library's line indexes map back to segments) and the
cluster_id of `articles`.

Its folder, <out>/.state/pair:

    state.pickle  what each document read was (language, date, whether an original, and an
                  original's indexed signals; as columns, the signals numbered in arrays) and
                  each English article's link (with the originals it was ranked among)
    state.json    {"fingerprint": ..., "complete": true}; false while state.pickle is written

A run reads the signals of the live batches flat (pipeline/pair/table.py `Stored`: Arrow
arrays, no text read again and no Python object per line; what the index needs, each original's
indexed signals, comes from those arrays) and links again only the English articles whose result
can have changed: the new ones, and those whose candidates (PairIndex.candidates, kept with each
link) a Korean original that came, went or changed enters, leaves or is among; only articles that
share an indexed signal (pipeline.pair.link.indexed) with it, within the date window, are looked
at, and their candidates are looked up again only where one of the originals they were ranked
among (PairIndex.near, kept with each link, with the weight of the last) went or changed, or one
that came shares more indexed weight with the article than that last one. The links are made
on the local pool's cores (engine/spread.py), the articles in runs of days; each process makes
the documents it links and the candidates it ranks (`Made`) from the flat rows. A link depends
on nothing else, so the rows are those of one run over the corpus, whatever the order the
documents came in. With no batch new or gone and every part there, it reads nothing. Another
fingerprint, a cut-short write or unreadable state: everything is linked again, with one line in
the log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import pickle
import shutil
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from pipeline.catalog import Corpus
from pipeline.collector import paused_gc
from pipeline.context import Context
from pipeline.engine.spread import spread
from pipeline.pair import Doc, PairIndex, Params, link
from pipeline.pair.align import ready
from pipeline.pair.link import NONE_INDEXED, Indexed, in_window, indexed_rows, needed
from pipeline.pair.signals import weight
from pipeline.pair.table import Made, Stored
from pipeline.schemas import ALIGNMENTS, PAIRS
from pipeline.store import tmp_path

log = logging.getLogger(__name__)

PICKLE = "state.pickle"
VERSION = 5  # of the pickled state's layout


class Live:
    """The English and Korean articles of the live batches as the signal stage read them
    (held flat: `Stored`), with each one's cluster_id (from articles: export makes a batch
    again when dedup's rows change)."""

    def __init__(self, corpus: Corpus) -> None:
        articles = corpus.read("articles", ["doc_id", "cluster_id"])
        # the signals and speakers as Parquet keeps them, numbered (Stored merges the numbers)
        signals = corpus.read("signals", encoded=("signals", "speakers"))
        cluster_of: dict[str, str | None] = {}
        tables = []
        for (_, clusters), (_, table) in zip(articles, signals, strict=True):
            cluster_of.update(
                zip(clusters["doc_id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True)
            )
            tables.append(table)
        self.stored = Stored(tables)
        self.row = self.stored.row
        self.clusters = [cluster_of.get(doc_id) for doc_id in self.stored.doc_ids]
        # a document is made with only the signals that can count in a link (most of a Korean
        # text's words and name-like heads meet no English text): the same links, made lighter
        self.made = self.stored.only(needed(self.stored))

    def doc(self, row: int) -> Doc:
        """A row's document as linking reads it (`needed`)."""
        return self.made.doc(row)

    def original(self, row: int) -> bool:
        """A Korean document that may be linked: one with no copy, or its copies' representative."""
        return self.stored.langs[row] == "ko" and self.clusters[row] in (
            None,
            self.stored.doc_ids[row],
        )


@dataclass(frozen=True)
class Result:
    """An English article's link, as its rows."""

    ko_doc_id: str | None
    score: float | None
    evidence: tuple[str, ...]
    cluster_id: str | None
    links: tuple[tuple[int, int, float], ...]  # (en_seg_id, ko_seg_id, score)
    candidates: tuple[str, ...]  # the Korean documents it was linked among (PairIndex.candidates)
    near: tuple[str, ...]  # those they were ranked among (PairIndex.near), in its order,
    last: tuple[float, str] | None  # and the last of them (its weight, id) when there are as
    # many as the lookup keeps: a new original must come before it to be among them


@dataclass(frozen=True, eq=False)
class Known:
    """What the state keeps of the documents it has read, a column each (pickled as a few lists
    and arrays, not an object per document): enough to tell, next run, whether one changed, and
    where a Korean original was (its date and indexed signals) once it is gone."""

    doc_ids: list[str]
    langs: list[str]
    dates: list[dt.date | None]
    originals: list[int]  # the places of the Korean originals among them,
    indexed: Indexed  # and the indexed signals of each (pipeline.pair.link.indexed), in order

    def read(self) -> dict[str, tuple[str, dt.date | None]]:
        """Each document's language and date, by doc_id."""
        return dict(zip(self.doc_ids, zip(self.langs, self.dates, strict=True), strict=True))

    def original_at(self) -> dict[str, int]:
        """Each original's place in `indexed`, by doc_id."""
        return {self.doc_ids[n]: i for i, n in enumerate(self.originals)}

    def original(self, i: int) -> Original:
        """The i-th original's date and indexed signals."""
        return Original(self.dates[self.originals[i]], self.indexed.signals(i))


NOTHING_KNOWN = Known([], [], [], [], NONE_INDEXED)


class Original(NamedTuple):
    """A Korean original's date and indexed signals, as the state knew or knows them."""

    date: dt.date | None
    indexed: frozenset[str]


@dataclass
class State:
    version: int = VERSION
    known: Known = NOTHING_KNOWN  # what each document was when last run
    results: dict[str, Result] = field(default_factory=dict)  # English doc_id -> its link


@paused_gc()  # (pipeline/collector.py) a document's rows, sets and records make no cycle
def run(ctx: Context, corpus: Corpus) -> dict[str, int]:
    """Bring the state up to date with the live batches and write the rows that changed."""
    if not ctx.config.pair.enabled:
        shutil.rmtree(corpus.index, ignore_errors=True)
        for position in range(len(corpus.batches)):
            corpus.write(position, {"pairs": PAIRS.empty_table(), "alignments": _alignments([])})
        return {}
    if not corpus.force and all(corpus.done(p) for p in range(len(corpus.batches))):
        return {"read": 0, "linked": 0}
    # the alignment's compiled loops load (pipeline/pair/compiled.py) while the corpus is read:
    # the processes that link then have them
    loading = threading.Thread(target=ready, name="pair: compiling", daemon=True)
    loading.start()
    state = _load(corpus)
    live = Live(corpus)
    stored = live.stored
    originals = [row for row in range(len(stored)) if live.original(row)]
    english_rows = [row for row in range(len(stored)) if stored.langs[row] == "en"]
    old = state.known
    now = Known(stored.doc_ids, stored.langs, stored.dates, originals,
                indexed_rows(stored, originals))  # fmt: skip
    seen = old.read()
    read = sum(1 for d, lang_date in now.read().items() if seen.get(d) != lang_date)
    # the Korean originals that came, went or changed: their places among the old state's
    # originals (as they were) and among the new (as they are)
    gone, new = _moved(old, now)
    params = ctx.config.pair.params()
    english = {stored.doc_ids[row]: row for row in english_rows}
    todo = {d for d, row in english.items()
            if d not in state.results or seen.get(d) != ("en", stored.dates[row])}  # fmt: skip
    # the documents are made only where a link reads them: in the processes that link
    index = PairIndex.of(
        Made(live.made, originals),
        [stored.doc_ids[r] for r in originals],
        [stored.dates[r] for r in originals],
        now.indexed,
    )
    # an article near an original that came, went or changed is linked again only where that
    # changed its candidates (link depends on nothing else) or one of them changed; its
    # candidates are looked up again only where one of those it was ranked among went or
    # changed, or one that came shares more than the last of them
    rest = sorted(english.keys() - todo)
    # (what those originals were and are, as sets, only where there is an article to look at)
    went = {d: old.original(i) for d, i in gone.items()} if rest else {}
    came = {d: now.original(i) for d, i in new.items()} if rest else {}
    touched = _touched(live, rest, went, came, params)
    again = []
    for doc_id, (by, signals) in touched.items():
        was = state.results[doc_id]
        if by.intersection(was.candidates):
            todo.add(doc_id)
        elif by.intersection(was.near) or any(
            _enters(signals, d, came[d], was) for d in by & came.keys()
        ):
            again.append(doc_id)
    again = _by_date(again, live)
    loading.join()
    looked_up = spread(
        functools.partial(_candidates, live=live, index=index, params=params),
        again,
        corpus.processes,
    )
    for doc_id, (candidates, near) in zip(again, looked_up, strict=True):
        was = state.results[doc_id]
        if candidates != was.candidates:
            todo.add(doc_id)
        else:  # the same link, ranked among others now
            state.results[doc_id] = dataclasses.replace(was, **_near(near, params))
    results = {d: r for d, r in state.results.items() if d in english and d not in todo}
    # each link is the same whichever process makes it: the local engine's cores share the
    # work, each the articles of a run of days (whose candidates it then makes once)
    order = _by_date(todo, live)
    linked_now = spread(
        functools.partial(_linked, live=live, index=index, params=params),
        order,
        corpus.processes,
    )
    results.update(zip(order, linked_now, strict=True))
    _save(corpus, State(VERSION, now, results))
    linked = 0
    for position, batch in enumerate(corpus.batches):
        rows = [(d, results[d]) for d, _, _ in batch.docs if d in results]
        linked += sum(r.ko_doc_id is not None for _, r in rows)
        corpus.write(position, {"pairs": _pairs(rows), "alignments": _alignments(rows)})
    return {
        "read": read,
        "english": len(english),
        "originals": len(index.docs),
        "touched": len(touched),
        "checked": len(again),
        "relinked": len(todo),
        "linked": linked,
    }


def _by_date(doc_ids: Iterable[str], live: Live) -> list[str]:
    """The documents by date (undated last), then id."""
    dates, row = live.stored.dates, live.row
    return sorted(doc_ids, key=lambda d: (dates[row[d]] or dt.date.max, d))


def _moved(old: Known, now: Known) -> tuple[dict[str, int], dict[str, int]]:
    """The Korean originals that went or changed, each with its place among the old state's
    originals, and those that came or changed, with theirs among the new."""
    before, after = old.original_at(), now.original_at()
    # a signal's number among the old state's strings -> among the new's (-1: not there); both
    # are in sorted order, so an original's signals are the same set exactly when their numbers
    # are the same list
    number = {s: n for n, s in enumerate(now.indexed.strings)}
    into = np.array([number.get(s, -1) for s in old.indexed.strings], dtype=np.int64)
    changed = {
        d
        for d in before.keys() & after.keys()
        if old.dates[old.originals[before[d]]] != now.dates[now.originals[after[d]]]
        or not np.array_equal(into[old.indexed.row(before[d])], now.indexed.row(after[d]))
    }
    went = {d: i for d, i in before.items() if d not in after or d in changed}
    came = {d: i for d, i in after.items() if d not in before or d in changed}
    return went, came


def _touched(
    live: Live,
    english: list[str],
    went: dict[str, Original],
    came: dict[str, Original],
    params: Params,
) -> dict[str, tuple[set[str], frozenset[str]]]:
    """The English articles of which a Korean original that came, went or changed is or was a
    candidate (they share an indexed signal and its date lies in their window), each with those
    originals and its own indexed signals."""
    if not (went or came) or not english:
        return {}
    found = indexed_rows(live.stored, [live.row[d] for d in english])
    own = {d: found.signals(i) for i, d in enumerate(english)}
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, signals in own.items():
        for signal in signals:
            postings[signal].append(doc_id)
    dates, row = live.stored.dates, live.row
    hit: dict[str, tuple[set[str], frozenset[str]]] = {}
    for moved in (went, came):
        for ko_doc_id, known in moved.items():
            near = {d for s in known.indexed for d in postings.get(s, ())}
            for d in near:
                if in_window(dates[row[d]], known.date, params):
                    hit.setdefault(d, (set(), own[d]))[0].add(ko_doc_id)
    return hit


def _enters(signals: frozenset[str], ko_doc_id: str, known: Original, was: Result) -> bool:
    """Whether an original that came would be among those an article's candidates are ranked
    among (PairIndex.near: by shared indexed weight, then id; the weights are multiples of 0.5,
    so their sums are exact and compare as the lookup's do)."""
    mass = sum(weight(s) for s in sorted(signals & known.indexed))
    return was.last is None or (-mass, ko_doc_id) < (-was.last[0], was.last[1])


def _near(near: Sequence[tuple[str, float]], params: Params) -> dict[str, Any]:
    """A Result's `near` and `last` from PairIndex.near's."""
    last = (near[-1][1], near[-1][0]) if len(near) == params.candidates else None
    return {"near": tuple(d for d, _ in near), "last": last}


def _candidates(
    doc_id: str, live: Live, index: PairIndex, params: Params
) -> tuple[tuple[str, ...], list[tuple[str, float]]]:
    """An article's candidates and those they were ranked among, looked up again."""
    en = live.doc(live.row[doc_id])
    near = index.near(en, params)
    return tuple(index.candidates(en, params, near)), near


def _linked(doc_id: str, live: Live, index: PairIndex, params: Params) -> Result:
    """An English article's link, as its rows (in a process that links)."""
    stored, row = live.stored, live.row
    pair = link(live.doc(row[doc_id]), index, params)
    candidates = pair.candidates
    near = _near(pair.near, params)
    if pair.ko_doc_id is None or pair.best is None:
        return Result(None, None, (), None, (), candidates, **near)
    en_seg_ids = stored.seg_ids(row[doc_id])
    ko_seg_ids = stored.seg_ids(row[pair.ko_doc_id])
    links = tuple(
        (en_seg_ids[lk.en], ko_seg_ids[lk.ko], lk.score) for lk in pair.best.alignment.line_links
    )
    cluster = live.clusters[row[pair.ko_doc_id]]
    return Result(
        pair.ko_doc_id, pair.best.score, pair.best.evidence, cluster, links, candidates, **near
    )


def _pairs(rows: list[tuple[str, Result]]) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "en_doc_id": [d for d, _ in rows],
            "ko_doc_id": [r.ko_doc_id for _, r in rows],
            "score": [r.score for _, r in rows],
            "evidence": [list(r.evidence) for _, r in rows],
            "cluster_id": [r.cluster_id for _, r in rows],
        },
        schema=PAIRS,
    )


def _alignments(rows: list[tuple[str, Result]]) -> pa.Table:
    flat = [(d, r.ko_doc_id, link) for d, r in rows for link in r.links]
    return pa.Table.from_pydict(
        {
            "en_doc_id": [d for d, _, _ in flat],
            "en_seg_id": [lk[0] for _, _, lk in flat],
            "ko_doc_id": [k for _, k, _ in flat],
            "ko_seg_id": [lk[1] for _, _, lk in flat],
            "score": [float(lk[2]) for _, _, lk in flat],
        },
        schema=ALIGNMENTS,
    )


def _load(corpus: Corpus) -> State:
    """The state the last run left, or an empty one where it cannot serve."""
    folder = corpus.index
    why = corpus.unusable_index()
    if why == "":
        return State()
    if why is None:
        try:
            with open(folder / PICKLE, "rb") as f:
                state = pickle.load(f)
            if isinstance(state, State) and state.version == VERSION:
                return state
            why = "it was written by another version"
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            why = f"it cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    log.warning("pair: reading the corpus again into %s: %s", folder, why)
    return State()


def _save(corpus: Corpus, state: State) -> None:
    """Write the state; state.json says complete only once it is there."""
    with corpus.writing_index() as folder:
        tmp = tmp_path(folder / PICKLE)
        with open(tmp, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / PICKLE)
