"""Documents as pairing reads them, stored as Arrow rows (the `signals` dataset) and read back.

The signal stage reads each English and Korean article in the workers (signals.read_doc) and
writes one row per document with its lines' features as parallel lists; the pair stage builds
the same `Doc` from a row without reading the text again: `to_table` then `docs` gives back
equal documents (tests/pair/test_table.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from pipeline.pair.signals import Doc, Line, primed


def to_table(docs: Sequence[Doc], seg_ids: Sequence[Sequence[int]], schema: pa.Schema) -> pa.Table:
    """The rows of these documents; seg_ids[i]: the seg_id of each of docs[i]'s body lines.

    The list columns are built flat (every unit's kind, size, …, every signal laid end to end)
    with their offsets, as `docs` reads them: from nested Python lists, Arrow would walk every
    level of the nesting value by value."""
    units = [u for doc in docs for u in doc.lines]
    per_doc = _bounds(len(doc.lines) for doc in docs)
    columns = {
        "doc_id": pa.array([doc.doc_id for doc in docs], pa.string()),
        "lang": pa.array([doc.lang for doc in docs], pa.string()),
        "published_date": pa.array([doc.date for doc in docs], pa.date32()),
        "seg_ids": _lists([list(ids) for ids in seg_ids], pa.int32()),
        "reporters": _lists([_sorted(doc.reporters) for doc in docs], pa.string()),
        "kinds": _cut(per_doc, pa.array([u.kind for u in units], pa.string())),
        "lines": _cut(per_doc, pa.array([u.line for u in units], pa.int32())),
        "sizes": _cut(per_doc, pa.array([u.size for u in units], pa.int32())),
        "signals": _cut(per_doc, _lists([_sorted(u.signals) for u in units], pa.string())),
        "speakers": _cut(per_doc, _lists([_sorted(u.speakers) for u in units], pa.string())),
    }
    return pa.Table.from_arrays([columns[name] for name in schema.names], schema=schema)


def _sorted(values: frozenset[str]) -> list[str]:
    return sorted(values) if values else _EMPTY  # most units name no speaker


def _bounds(lengths: Iterable[int]) -> pa.Array:
    """The offsets of lists of these lengths laid end to end: 0, then where each ends."""
    return pa.array([0, *itertools.accumulate(lengths)], pa.int32())


def _lists(lists: list[list[Any]], kind: pa.DataType) -> pa.ListArray:
    """A list array of these lists, from their values laid end to end and their bounds."""
    values = pa.array(list(itertools.chain.from_iterable(lists)), kind)
    return _cut(_bounds(map(len, lists)), values)


def _cut(bounds: pa.Array, values: pa.Array) -> pa.ListArray:
    return pa.ListArray.from_arrays(bounds, values)


def docs(table: pa.Table) -> Iterator[tuple[Doc, tuple[int, ...]]]:
    """Each row's document and the seg_ids of its body lines, in the table's order.

    The list columns are read flat (one array of every unit's kind, size, …; one of every
    signal, each distinct string made once and interned) and cut back by their offsets: a
    nested to_pylist would make a Python object per value through the nesting."""
    if table.num_rows == 0:
        return
    table = table.combine_chunks()
    kinds = _strings(table["kinds"].chunk(0).flatten())
    at = table["lines"].chunk(0).flatten().to_numpy().tolist()
    sizes = table["sizes"].chunk(0).flatten().to_numpy().tolist()
    units = _offsets(table["kinds"].chunk(0))
    signals = table["signals"].chunk(0).flatten()
    speakers = table["speakers"].chunk(0).flatten()
    said, said_flat, said_at = _sets(signals)
    who, who_flat, who_at = _sets(speakers)
    lines = [Line(*unit) for unit in zip(kinds, said, who, sizes, at, strict=True)]
    reporters = table["reporters"].to_pylist()
    dates = table["published_date"].to_pylist()
    for row, (doc_id, lang, seg_ids) in enumerate(
        zip(
            table["doc_id"].to_pylist(),
            table["lang"].to_pylist(),
            table["seg_ids"].to_pylist(),
            strict=True,
        )
    ):
        date = dates[row]
        when = date if isinstance(date, dt.date) else None
        first, last = units[row], units[row + 1]
        doc = Doc(doc_id, lang, when, tuple(lines[first:last]), frozenset(reporters[row]))
        # what the document's lines carry, from the flat values at once
        primed(doc, frozenset(said_flat[said_at[first] : said_at[last]]),
               frozenset(who_flat[who_at[first] : who_at[last]]))  # fmt: skip
        yield doc, tuple(seg_ids)


def _strings(array: pa.Array) -> list[str]:
    """A string array's values, each distinct one a single interned object."""
    encoded = array.dictionary_encode()
    values = [sys.intern(v) for v in encoded.dictionary.to_pylist()]
    return [values[i] for i in encoded.indices.to_numpy().tolist()]


def _sets(lists: pa.Array) -> tuple[list[frozenset[str]], list[str], list[int]]:
    """A list<string> array's lists as frozensets of interned strings, with the values laid
    end to end and where each list starts among them."""
    values = _strings(lists.flatten())
    bounds = _offsets(lists)
    sets = [frozenset(values[a:b]) if b > a else _NONE for a, b in itertools.pairwise(bounds)]
    return sets, values, bounds


def _offsets(lists: pa.ListArray) -> list[int]:
    """Where each list starts in `lists.flatten()`, and where the last ends."""
    offsets = lists.offsets.to_numpy()
    return (offsets - offsets[0]).tolist()


_NONE: frozenset[str] = frozenset()
_EMPTY: list[str] = []
