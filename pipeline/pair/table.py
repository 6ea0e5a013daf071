"""Documents as pairing reads them, stored as Arrow rows (the `signals` dataset) and read back.

The signal stage reads each English and Korean article in the workers (signals.read_doc) and
writes one row per document with its lines' features as parallel lists; the pair stage builds
the same `Doc` from a row without reading the text again: `to_table` then `docs` gives back
equal documents (tests/pair/test_table.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Sequence

import pyarrow as pa

from pipeline.pair.signals import Doc, Line


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
    """Each row's document and the seg_ids of its body lines, in the table's order."""
    columns = {name: table[name].to_pylist() for name in table.column_names}
    intern = sys.intern
    for doc_id, lang, date, seg_ids, reporters, kinds, at, sizes, signals, speakers in zip(
        columns["doc_id"], columns["lang"], columns["published_date"], columns["seg_ids"],
        columns["reporters"], columns["kinds"], columns["lines"], columns["sizes"],
        columns["signals"], columns["speakers"], strict=True,
    ):  # fmt: skip
        units = tuple(
            Line(
                intern(kind),
                frozenset(map(intern, said)),
                frozenset(who),
                size,
                line,
            )
            for kind, line, size, said, who in zip(kinds, at, sizes, signals, speakers, strict=True)
        )
        when = date if isinstance(date, dt.date) else None
        yield Doc(doc_id, lang, when, units, frozenset(reporters)), tuple(seg_ids)
