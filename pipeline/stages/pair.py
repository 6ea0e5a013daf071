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
                  original's indexed signals) and each English article's link
    state.json    {"fingerprint": ..., "complete": true}; false while state.pickle is written

A run reads the signals of the live batches flat (pipeline/pair/table.py `Stored`: Arrow
arrays, no text read again and no Python object per line; what the index needs, each original's
indexed signals, comes from those arrays) and links again only the English articles whose result
can have changed: the new ones, and those whose candidates (PairIndex.candidates, kept with each
link) a Korean original that came, went or changed enters, leaves or is among; only articles that
share an indexed signal (pipeline.pair.link.indexed) with it, within the date window, are looked
at. The links are made on the local pool's cores (engine/spread.py), the articles in runs of
days; each process makes the documents it links and the candidates it ranks (`Made`) from the
flat rows. A link depends on nothing else, so the rows are those of one run over the corpus,
whatever the order the documents came in. With no batch new or gone and every part there, it
reads nothing. Another fingerprint, a cut-short write or unreadable state: everything is linked
again, with one line in the log.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import pickle
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.catalog import Corpus
from pipeline.context import Context
from pipeline.engine.spread import spread
from pipeline.pair import Doc, PairIndex, Params, link
from pipeline.pair.link import in_window, indexed_rows, needed
from pipeline.pair.table import Made, Stored
from pipeline.schemas import ALIGNMENTS, PAIRS
from pipeline.store import tmp_path

log = logging.getLogger(__name__)

PICKLE = "state.pickle"
VERSION = 3  # of the pickled state's layout


class Live:
    """The English and Korean articles of the live batches as the signal stage read them
    (held flat: `Stored`), with each one's cluster_id (from articles: export makes a batch
    again when dedup's rows change)."""

    def __init__(self, corpus: Corpus) -> None:
        articles = corpus.read("articles", ["doc_id", "cluster_id"])
        signals = corpus.read("signals")
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
        self.needed = needed(self.stored)

    def doc(self, row: int) -> Doc:
        """A row's document as linking reads it (`needed`)."""
        return self.stored.doc(row, self.needed[self.stored.langs[row]])

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


@dataclass(frozen=True)
class Known:
    """What the state keeps of a document it has read: enough to tell, next run, whether it
    changed, and where a Korean original was (its date and indexed signals) once it is gone."""

    lang: str
    date: dt.date | None
    original: bool
    indexed: frozenset[str]  # an original's (pipeline.pair.link.indexed); empty for the others


@dataclass
class State:
    version: int = VERSION
    known: dict[str, Known] = field(default_factory=dict)  # doc_id -> what it was last run
    results: dict[str, Result] = field(default_factory=dict)  # English doc_id -> its link


def run(ctx: Context, corpus: Corpus) -> dict[str, int]:
    """Bring the state up to date with the live batches and write the rows that changed."""
    if not ctx.config.pair.enabled:
        shutil.rmtree(corpus.index, ignore_errors=True)
        for position in range(len(corpus.batches)):
            corpus.write(position, {"pairs": PAIRS.empty_table(), "alignments": _alignments([])})
        return {}
    if not corpus.force and all(corpus.done(p) for p in range(len(corpus.batches))):
        return {"read": 0, "linked": 0}
    state = _load(corpus)
    live = Live(corpus)
    stored = live.stored
    originals = [row for row in range(len(stored)) if live.original(row)]
    english_rows = [row for row in range(len(stored)) if stored.langs[row] == "en"]
    found = dict(zip(originals, indexed_rows(stored, originals), strict=True))
    old = state.known
    now = {
        doc_id: Known(stored.langs[row], stored.dates[row], row in found,
                      found.get(row, frozenset()))
        for row, doc_id in enumerate(stored.doc_ids)
    }  # fmt: skip
    read = sum(
        1 for d, k in now.items() if d not in old or (old[d].lang, old[d].date) != (k.lang, k.date)
    )
    # the Korean originals that came, went or changed, and their (date, indexed signals) as
    # they are now and as they were
    moved = {
        d
        for d in {d for d, k in now.items() if k.original}
        | {d for d, k in old.items() if k.original}
        if now.get(d) != old.get(d)
    }
    changed = [
        (known.date, known.indexed)
        for doc_id in sorted(moved)
        for known in (now.get(doc_id), old.get(doc_id))
        if known is not None and known.original
    ]
    params = ctx.config.pair.params()
    english = {stored.doc_ids[row]: row for row in english_rows}
    todo = {d for d in english if d not in state.results or now[d] != old.get(d)}
    # the documents are made only where a link reads them: in the processes that link
    index = PairIndex.of(
        Made(stored, originals, live.needed["ko"]),
        ((stored.doc_ids[r], stored.dates[r], f) for r, f in found.items()),
    )
    # an article near an original that came, went or changed is linked again only where that
    # changed its candidates (link depends on nothing else) or one of them changed
    rest = sorted(english.keys() - todo)
    near = _by_date(_touched(live, rest, changed, params), live)
    now_candidates = spread(
        functools.partial(_candidates, live=live, index=index, params=params),
        near,
        corpus.processes,
    )
    for doc_id, candidates in zip(near, now_candidates, strict=True):
        was = state.results[doc_id].candidates
        if moved.intersection(was) or candidates != was:
            todo.add(doc_id)
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
        "relinked": len(todo),
        "linked": linked,
    }


def _by_date(doc_ids: Iterable[str], live: Live) -> list[str]:
    """The documents by date (undated last), then id."""
    dates, row = live.stored.dates, live.row
    return sorted(doc_ids, key=lambda d: (dates[row[d]] or dt.date.max, d))


def _touched(
    live: Live,
    english: list[str],
    changed: list[tuple[dt.date | None, frozenset[str]]],
    params: Params,
) -> set[str]:
    """The English articles of which a Korean original that came, went or changed (its date and
    indexed signals) is or was a candidate: they share an indexed signal and its date lies in
    their window."""
    if not changed or not english:
        return set()
    rows = [live.row[d] for d in english]
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, signals in zip(english, indexed_rows(live.stored, rows), strict=True):
        for signal in signals:
            postings[signal].append(doc_id)
    dates, row = live.stored.dates, live.row
    hit: set[str] = set()
    for date, signals in changed:
        near = {d for s in signals for d in postings.get(s, ())}
        hit.update(d for d in near if in_window(dates[row[d]], date, params))
    return hit


def _candidates(doc_id: str, live: Live, index: PairIndex, params: Params) -> tuple[str, ...]:
    return tuple(index.candidates(live.doc(live.row[doc_id]), params))


def _linked(doc_id: str, live: Live, index: PairIndex, params: Params) -> Result:
    """An English article's link, as its rows (in a process that links)."""
    stored, row = live.stored, live.row
    pair = link(live.doc(row[doc_id]), index, params)
    candidates = pair.candidates
    if pair.ko_doc_id is None or pair.best is None:
        return Result(None, None, (), None, (), candidates)
    en_seg_ids = stored.seg_ids(row[doc_id])
    ko_seg_ids = stored.seg_ids(row[pair.ko_doc_id])
    links = tuple(
        (en_seg_ids[lk.en], ko_seg_ids[lk.ko], lk.score) for lk in pair.best.alignment.line_links
    )
    cluster = live.clusters[row[pair.ko_doc_id]]
    return Result(pair.ko_doc_id, pair.best.score, pair.best.evidence, cluster, links, candidates)


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
