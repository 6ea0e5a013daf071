"""pair: the English articles of the whole corpus -> pairs (each one's Korean original, or none)
and alignments (their lines, linked).

A corpus stage (registry.py) after export: once a run it brings its state up to date with the
live batches and writes each batch's rows of `pairs` and `alignments` (for the English articles
in it). Korean copies of one report count as one original: only the representative of a dedup
cluster (cluster_id null or its own doc_id) is indexed, and a link names the cluster.

What it reads of a batch: articles (lang, published_date, cluster_id), the body segments of
final_segments and strip's removed spans: the clean body's lines exactly as `articles.body` has
them, each with the seg_id of its first kept segment, so the library's line indexes (pipeline/pair)
map back to segments.

Its folder, <out>/.state/pair:

    state.pickle  the documents read (their pairing features, lines' seg_ids), the batches they
                  came from (with the name of the export part read) and each English link
    state.json    {"fingerprint": ..., "complete": true}; false while state.pickle is written

A run looks only at the batches it has not read (new, or made again upstream: a dedup cluster
changed), and of those reads only the documents it has not read before (a document's id is a hash
of its text: its lines are the same wherever it goes); it forgets the documents of batches that
are gone, and links again only the English articles whose result can have changed: the new ones,
and those whose candidates (PairIndex.candidates, kept with each link) a Korean original that
came, went or changed enters, leaves or is among; only articles that share an indexed signal
(pipeline.pair.link.indexed) with it, within the date window, are looked at. A link depends on
nothing else, so the rows are those of one run over the corpus, whatever the order the documents
came in. With no batch new or gone and every part there, it reads nothing. Another fingerprint,
a cut-short write or unreadable state: everything is read and linked again, with one line in the
log.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.catalog import Batch, Corpus
from pipeline.context import Context
from pipeline.pair import Doc, PairIndex, Params, link, read_doc
from pipeline.pair.link import in_window, indexed
from pipeline.schemas import ALIGNMENTS, PAIRS
from pipeline.script import RoleBook
from pipeline.stages.strip import kept_pieces
from pipeline.store import tmp_path

log = logging.getLogger(__name__)

PICKLE = "state.pickle"
VERSION = 2  # of the pickled state's layout
_SEGMENTS = ["doc_id", "seg_id", "start", "line", "text", "part"]


@dataclass(frozen=True)
class Item:
    """A document as pairing keeps it."""

    batch: str
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


@dataclass
class State:
    version: int = VERSION
    batches: dict[str, str] = field(default_factory=dict)  # batch id -> the articles part read
    items: dict[str, Item] = field(default_factory=dict)  # doc_id -> Item
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
    live = {b.id: corpus.part_fingerprint("articles", b) for b in corpus.batches}
    fresh = [b for b in corpus.batches if state.batches.get(b.id) != live[b.id]]
    old = state.items
    items = {d: i for d, i in old.items() if state.batches.get(i.batch) == live.get(i.batch)}
    read = 0
    for item in read_items(corpus, fresh, ctx.rules.book, old):
        seen = old.get(item.doc.doc_id)
        read += seen is None or seen.doc is not item.doc
        items[item.doc.doc_id] = item
    originals = {d: i.doc for d, i in items.items() if i.original}
    before = {d: i.doc for d, i in old.items() if i.original}
    # the Korean originals that came, went or changed: as they are now and as they were
    changed = [
        doc
        for doc_id in sorted(set(originals) | set(before))
        if originals.get(doc_id) != before.get(doc_id)
        for doc in (originals.get(doc_id), before.get(doc_id))
        if doc is not None
    ]
    params = ctx.config.pair.params()
    english = {d: i for d, i in items.items() if i.doc.lang == "en"}
    todo = {
        d
        for d, i in english.items()
        if d not in state.results or d not in old or old[d].doc != i.doc
    }
    index = PairIndex(originals.values())
    # an article near an original that came, went or changed is linked again only where that
    # changed its candidates (link depends on nothing else) or one of them changed
    moved = {doc.doc_id for doc in changed}
    rest = {d: i for d, i in english.items() if d not in todo}
    for doc_id in sorted(_touched(rest, changed, params)):
        was = state.results[doc_id].candidates
        if moved.intersection(was) or tuple(index.candidates(english[doc_id].doc, params)) != was:
            todo.add(doc_id)
    results = {d: r for d, r in state.results.items() if d in english and d not in todo}
    for doc_id in sorted(todo):
        results[doc_id] = _result(english[doc_id], index, items, params)
    _save(corpus, State(VERSION, live, items, results))
    linked = 0
    for position, batch in enumerate(corpus.batches):
        rows = [(d, results[d]) for d, _, _ in batch.docs if d in results]
        linked += sum(r.ko_doc_id is not None for _, r in rows)
        corpus.write(position, {"pairs": _pairs(rows), "alignments": _alignments(rows)})
    return {
        "read": read,
        "english": len(english),
        "originals": len(originals),
        "relinked": len(todo),
        "linked": linked,
    }


def _touched(english: dict[str, Item], changed: list[Doc], params: Params) -> set[str]:
    """The English articles of which a Korean original that came, went or changed is or was a
    candidate: they share an indexed signal and its date lies in their window."""
    if not changed:
        return set()
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, item in english.items():
        for signal in indexed(item.doc):
            postings[signal].append(doc_id)
    hit: set[str] = set()
    for ko in changed:
        near = {d for s in indexed(ko) for d in postings.get(s, ())}
        hit.update(d for d in near if in_window(english[d].doc.date, ko.date, params))
    return hit


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


def body_lines(
    segs: dict[str, list[Any]], cuts: dict[int, list[tuple[int, int]]]
) -> tuple[list[str], list[int]]:
    """A document's clean body lines (as `articles.body` has them, the empty ones left out) and
    the seg_id of each line's first kept segment, from its body segments in order (strip's
    assemble_body joins the kept pieces of one line with a space)."""
    texts: dict[int, list[str]] = {}
    first: dict[int, int] = {}
    for seg_id, start, line, text in zip(
        segs["seg_id"], segs["start"], segs["line"], segs["text"], strict=True
    ):
        cut = cuts.get(seg_id)
        pieces = kept_pieces(text, start, cut) if cut else ([text.strip()] if text.strip() else [])
        if not pieces:
            continue
        if line not in texts:
            texts[line], first[line] = [], seg_id
        texts[line].extend(pieces)
    return [" ".join(p) for p in texts.values()], list(first.values())


def read_items(
    corpus: Corpus, batches: list[Batch], book: RoleBook, known: dict[str, Item]
) -> Iterator[Item]:
    """The English and Korean articles of these batches, read for pairing.

    A document read before under the same fingerprint is not read again: its id is a hash of
    its text, so its body lines are the same; only its batch and cluster_id are new (a batch
    that export made again because dedup's rows changed). Its language and date are checked."""
    columns = ["doc_id", "lang", "published_date", "cluster_id"]
    for batch, articles in corpus.read("articles", columns, batches):
        articles = articles.filter(pc.is_in(articles["lang"], value_set=pa.array(["en", "ko"])))
        rows = list(zip(*(articles[c].to_pylist() for c in columns), strict=True))
        unread = []
        for doc_id, lang, date, cluster_id in rows:
            old = known.get(doc_id)
            if old is not None and (old.doc.lang, old.doc.date) == (lang, _date(date)):
                yield Item(batch.id, old.doc, old.seg_ids, cluster_id)
            else:
                unread.append((doc_id, lang, date, cluster_id))
        if unread:
            yield from _read_docs(corpus, batch, unread, book)


def _read_docs(
    corpus: Corpus, batch: Batch, rows: list[tuple[str, str, Any, str | None]], book: RoleBook
) -> Iterator[Item]:
    """These articles of a batch, read from its body segments and strip's spans."""
    wanted = pa.array([doc_id for doc_id, _, _, _ in rows])
    [(_, segments)] = corpus.read("final_segments", _SEGMENTS, [batch])
    [(_, removed)] = corpus.read("removed", ["doc_id", "seg_id", "start", "end"], [batch])
    body = segments.filter(
        pc.and_(pc.equal(segments["part"], "body"), pc.is_in(segments["doc_id"], value_set=wanted))
    )
    segs = _grouped(body, ["seg_id", "start", "line", "text"])
    cuts: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, seg_id, start, end in zip(
        *(removed[c].to_pylist() for c in ("doc_id", "seg_id", "start", "end")), strict=True
    ):
        cuts[doc_id][seg_id].append((start, end))
    empty: dict[str, list[Any]] = {"seg_id": [], "start": [], "line": [], "text": []}
    for doc_id, lang, date, cluster_id in rows:
        texts, seg_ids = body_lines(segs.get(doc_id, empty), cuts.get(doc_id, {}))
        doc = read_doc(doc_id, texts, lang, _date(date), book)
        yield Item(batch.id, doc, tuple(seg_ids), cluster_id)


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _grouped(table: pa.Table, names: list[str]) -> dict[str, dict[str, list[Any]]]:
    """The named columns as lists per doc_id, rows in their order."""
    columns = {n: table[n].to_pylist() for n in names}
    groups: dict[str, dict[str, list[Any]]] = {}
    for row, doc_id in enumerate(table["doc_id"].to_pylist()):
        group = groups.setdefault(doc_id, {n: [] for n in names})
        for n in names:
            group[n].append(columns[n][row])
    return groups


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
