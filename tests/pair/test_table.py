"""Documents stored as `signals` rows and read back are the documents that were stored."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import Batch, Catalog, Corpus
from pipeline.pair import Doc, Line, read_doc
from pipeline.pair.link import indexed, indexed_rows
from pipeline.pair.table import Made, Stored, docs, to_table
from pipeline.schemas import SIGNALS
from pipeline.script import load_roles

_KEYS = st.text(alphabet="np:wgVn김경진0123456789|", min_size=1, max_size=12)
_LINES = st.builds(
    Line,
    st.sampled_from(["anchor", "report", "marker", "quote", "text", "foreign"]),
    st.frozensets(_KEYS, max_size=6),
    st.frozensets(_KEYS, max_size=2),
    st.integers(0, 5000),
    st.integers(0, 300),
)
_DOCS = st.builds(
    Doc,
    st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
    st.sampled_from(["en", "ko"]),
    st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)),
    st.lists(_LINES, max_size=8).map(tuple),
    st.frozensets(_KEYS, max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_DOCS, max_size=5))
def test_rows_read_back_as_the_documents_stored(stored: list[Doc]) -> None:
    seg_ids = [list(range(3, 3 + len(doc.lines))) for doc in stored]
    table = to_table(stored, seg_ids, SIGNALS)
    assert table.schema.equals(SIGNALS)
    back = list(docs(table))
    assert [doc for doc, _ in back] == stored
    assert [list(ids) for _, ids in back] == seg_ids
    for doc, _ in back:  # what the reader gives the cached properties is what they compute
        fresh = Doc(doc.doc_id, doc.lang, doc.date, doc.lines, doc.reporters)
        assert (doc.signals, doc.counts, doc.speakers) == (
            fresh.signals,
            fresh.counts,
            fresh.speakers,
        )
    # a slice of a table (its lists' offsets no longer start at 0) reads as its rows
    assert [doc for doc, _ in docs(table.slice(1))] == stored[1:]


def test_a_read_document_reads_back_the_same() -> None:
    texts = [
        "[앵커]",
        "통일부는 오늘 북한이 지난달 12,000톤의 쌀을 들여왔다고 밝혔습니다.",
        '[구병삼/통일부 대변인 : "지원 계획은 아직 없습니다."]',
        "KBS 뉴스 김경진입니다.",
    ]
    doc = read_doc("a" * 16, texts, "ko", dt.date(2025, 5, 12), load_roles())
    assert doc.lines and doc.reporters  # figures, a speaker, the reporter: something to store
    [(back, seg_ids)] = docs(to_table([doc], [[0, 1, 2, 4]], SIGNALS))
    assert back == doc and seg_ids == (0, 1, 2, 4)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_DOCS, max_size=4), max_size=3), st.booleans())
def test_tables_stored_together_give_each_row_and_its_indexed_signals(
    batches: list[list[Doc]], written: bool
) -> None:
    """Also where the tables are parts read back with their strings as dictionaries, as the
    pair stage reads them (each part's dictionary its own: Stored merges them)."""
    tables = [to_table(b, [[7] * len(d.lines) for d in b], SIGNALS) for b in batches]
    if written:
        tables = _read_encoded(tables)
    stored = Stored(tables)
    every = [doc for b in batches for doc in b]
    assert len(stored) == len(every)
    assert [stored.doc(row) for row in range(len(stored))] == every
    assert [stored.seg_ids(row) for row in range(len(stored))] == [
        (7,) * len(d.lines) for d in every
    ]
    # what the index is built from, read flat, is what indexed() finds in each document
    rows = list(range(len(stored)))[::-1]
    found = indexed_rows(stored, rows)
    assert [found.signals(i) for i in range(len(rows))] == [indexed(every[row]) for row in rows]
    # each row's distinct, numbered in the order of the strings: equal sets, equal numbers
    assert found.strings == sorted(set(found.strings))
    for i in range(len(rows)):
        assert found.row(i).tolist() == sorted(set(found.row(i).tolist()))


@settings(max_examples=60, deadline=None)
@given(st.lists(_DOCS, max_size=6), st.data())
def test_rows_keep_only_the_signals_their_language_asks_for(docs_: list[Doc], data: Any) -> None:
    """`only` filters every row's signals at once, each row by its language's mask (a language
    without one keeps all); `carried` is what each language's rows carry."""
    stored = Stored([to_table(docs_, [[0] * len(d.lines) for d in docs_], SIGNALS)])
    every = set(stored.strings)
    wanted = {
        lang: frozenset(data.draw(st.sets(st.sampled_from(sorted(every)))) if every else ())
        for lang in data.draw(st.sets(st.sampled_from(["en", "ko"])))
    }
    masks = {
        lang: np.array([s in keep for s in stored.strings], dtype=bool)
        for lang, keep in wanted.items()
    }
    view = stored.only(masks)
    for row, doc in enumerate(docs_):
        keep = wanted.get(doc.lang)
        made = view.doc(row)
        assert made.lines == tuple(
            line._replace(signals=line.signals if keep is None else line.signals & keep)
            for line in doc.lines
        )
        assert made.signals == (doc.signals if keep is None else doc.signals & keep)
    assert [stored.doc(row) for row in range(len(stored))] == docs_  # left as it was
    carried = {
        lang: {s for s, c in zip(stored.strings, mask, strict=True) if c}
        for lang, mask in stored.carried().items()
    }
    assert carried == {
        lang: set().union(*(d.signals for d in docs_ if d.lang == lang))
        for lang in {d.lang for d in docs_}
    }


def _read_encoded(tables: list[pa.Table]) -> list[pa.Table]:
    """The tables written as parts and read back as the pair stage reads them."""
    with tempfile.TemporaryDirectory() as folder:
        catalog = Catalog(Path(folder))
        batches = [Batch(f"b{n}", ()) for n in range(len(tables))]
        for batch, table in zip(batches, tables, strict=True):
            catalog.write_part("signals", "fp", batch, table)
        corpus = Corpus(catalog, batches, {"signals": "fp"}, Path(folder) / "pair")
        read = [table for _, table in corpus.read("signals", encoded=("signals", "speakers"))]
    assert all(pa.types.is_dictionary(t.schema.field("signals").type.value_type.value_type)
               for t in read)  # fmt: skip
    return read


def test_a_stored_document_is_made_when_first_asked_for() -> None:
    book = load_roles()
    made_of = [
        read_doc(
            f"{n:016x}", [f"통일부는 {n + 1},000톤을 들여왔다고 밝혔습니다."], "ko", None, book
        )
        for n in range(3)
    ]
    stored = Stored([to_table(made_of, [[0]] * 3, SIGNALS)])
    docs_ = Made(stored, [0, 2])
    assert list(docs_) == [made_of[0].doc_id, made_of[2].doc_id] and len(docs_) == 2
    assert made_of[1].doc_id not in docs_ and not docs_._made
    assert docs_[made_of[2].doc_id] == made_of[2] and list(docs_._made) == [made_of[2].doc_id]
    assert docs_[made_of[2].doc_id] is docs_[made_of[2].doc_id]  # made once
    docs_[made_of[1].doc_id] = made_of[1]  # set: kept as given
    del docs_[made_of[0].doc_id]
    assert dict(docs_) == {made_of[2].doc_id: made_of[2], made_of[1].doc_id: made_of[1]}
    assert Stored([]).doc_ids == [] and len(Stored([SIGNALS.empty_table()])) == 0
