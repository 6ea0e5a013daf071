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

A run reads the signals of the live batches (Arrow, no text read again) and links again only the
English articles whose result can have changed: the new ones, and those whose candidates
(PairIndex.candidates, kept with each link) a Korean original that came, went or changed enters,
leaves or is among; only articles that share an indexed signal (pipeline.pair.link.indexed) with
it, within the date window, are looked at. A link depends on nothing else, so the rows are those
of one run over the corpus, whatever the order the documents came in. With no batch new or gone
and every part there, it reads nothing. Another fingerprint, a cut-short write or unreadable
state: everything is linked again, with one line in the log.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import pickle
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.catalog import Corpus
from pipeline.context import Context
from pipeline.engine.spread import spread
from pipeline.pair import Doc, PairIndex, Params, link
from pipeline.pair.link import in_window, indexed
from pipeline.pair.table import docs
from pipeline.schemas import ALIGNMENTS, PAIRS
from pipeline.store import tmp_path

log = logging.getLogger(__name__)

PICKLE = "state.pickle"
VERSION = 3  # of the pickled state's layout


@dataclass(frozen=True)
class Item:
    """A document as pairing keeps it."""

    doc: Doc
    seg_ids: tuple[int, ...]  # the seg_id of each body line
    cluster_id: str | None

    @property
    def original(self) -> bool:
        """A Korean document that may be linked: one with no copy, or its copies' representative."""
        return self.doc.lang == "ko" and self.cluster_id in (None, self.doc.doc_id)


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
    items = {item.doc.doc_id: item for item in read_items(corpus)}
    old = state.known
    now = {d: _known(i) for d, i in items.items()}
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
    english = {d: i for d, i in items.items() if i.doc.lang == "en"}
    todo = {d for d in english if d not in state.results or now[d] != old.get(d)}
    index = PairIndex(i.doc for i in items.values() if i.original)
    # an article near an original that came, went or changed is linked again only where that
    # changed its candidates (link depends on nothing else) or one of them changed
    rest = {d: i for d, i in english.items() if d not in todo}
    near = sorted(_touched(rest, changed, params))
    now_candidates = spread(
        functools.partial(_candidates, english=english, index=index, params=params),
        near,
        corpus.processes,
    )
    for doc_id, candidates in zip(near, now_candidates, strict=True):
        was = state.results[doc_id].candidates
        if moved.intersection(was) or candidates != was:
            todo.add(doc_id)
    results = {d: r for d, r in state.results.items() if d in english and d not in todo}
    # each link is the same whichever process makes it: the local engine's cores share the work
    order = sorted(todo)
    linked_now = spread(
        functools.partial(_linked, english=english, index=index, items=items, params=params),
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


def _known(item: Item) -> Known:
    original = item.original
    return Known(
        item.doc.lang, item.doc.date, original, indexed(item.doc) if original else frozenset()
    )


def _touched(
    english: dict[str, Item], changed: list[tuple[dt.date | None, frozenset[str]]], params: Params
) -> set[str]:
    """The English articles of which a Korean original that came, went or changed (its date and
    indexed signals) is or was a candidate: they share an indexed signal and its date lies in
    their window."""
    if not changed:
        return set()
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, item in english.items():
        for signal in indexed(item.doc):
            postings[signal].append(doc_id)
    hit: set[str] = set()
    for date, signals in changed:
        near = {d for s in signals for d in postings.get(s, ())}
        hit.update(d for d in near if in_window(english[d].doc.date, date, params))
    return hit


def _candidates(
    doc_id: str, english: dict[str, Item], index: PairIndex, params: Params
) -> tuple[str, ...]:
    return tuple(index.candidates(english[doc_id].doc, params))


def _linked(
    doc_id: str,
    english: dict[str, Item],
    index: PairIndex,
    items: dict[str, Item],
    params: Params,
) -> Result:
    return _result(english[doc_id], index, items, params)


def _result(en: Item, index: PairIndex, items: dict[str, Item], params: Params) -> Result:
    pair = link(en.doc, index, params)
    candidates = pair.candidates
    if pair.ko_doc_id is None or pair.best is None:
        return Result(None, None, (), None, (), candidates)
    ko = items[pair.ko_doc_id]
    links = tuple(
        (en.seg_ids[lk.en], ko.seg_ids[lk.ko], lk.score) for lk in pair.best.alignment.line_links
    )
    return Result(
        pair.ko_doc_id, pair.best.score, pair.best.evidence, ko.cluster_id, links, candidates
    )


def read_items(corpus: Corpus) -> Iterator[Item]:
    """The English and Korean articles of the live batches, as the signal stage read them, each
    with its cluster_id (from articles: export makes a batch again when dedup's rows change)."""
    articles = corpus.read("articles", ["doc_id", "cluster_id"])
    signals = corpus.read("signals")
    for (_, clusters), (_, table) in zip(articles, signals, strict=True):
        cluster_of = dict(
            zip(clusters["doc_id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True)
        )
        for doc, seg_ids in docs(table):
            yield Item(doc, seg_ids, cluster_of.get(doc.doc_id))


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
