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
from collections.abc import Iterator, Sequence

import pyarrow as pa

from pipeline.pair.signals import Doc, Line, primed


def to_table(docs: Sequence[Doc], seg_ids: Sequence[Sequence[int]], schema: pa.Schema) -> pa.Table:
    """The rows of these documents; seg_ids[i]: the seg_id of each of docs[i]'s body lines."""
    lines = [doc.lines for doc in docs]
    return pa.Table.from_pydict(
        {
            "doc_id": [doc.doc_id for doc in docs],
            "lang": [doc.lang for doc in docs],
            "published_date": [doc.date for doc in docs],
            "seg_ids": [list(ids) for ids in seg_ids],
            "reporters": [sorted(doc.reporters) for doc in docs],
            "kinds": [[u.kind for u in units] for units in lines],
            "lines": [[u.line for u in units] for units in lines],
            "sizes": [[u.size for u in units] for units in lines],
            "signals": [[sorted(u.signals) for u in units] for units in lines],
            "speakers": [[sorted(u.speakers) for u in units] for units in lines],
        },
        schema=schema,
    )


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
