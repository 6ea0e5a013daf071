"""Documents as pairing reads them, stored as Arrow rows (the `signals` dataset) and read back.

The signal stage reads each English and Korean article in the workers (signals.read_doc) and
writes one row per document with its lines' features as parallel lists; the pair stage builds
the same `Doc` from a row without reading the text again: `to_table` then `docs` gives back
equal documents (tests/pair/test_table.py).

`Stored` holds the rows of a whole corpus flat (numpy arrays and one list of distinct strings)
and makes a document's `Doc` only when one is asked for: the pair stage's runner reads what the
index needs (each document's indexed signals) at once, without a Python object per line, and
the processes that link make the documents they link.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.pair.signals import NOTHING, Doc, Line, primed
from pipeline.schemas import SIGNALS


def to_table(
    docs: Sequence[Doc],
    seg_ids: Sequence[Sequence[int]],
    schema: pa.Schema,
    signals: pa.ListArray | None = None,
) -> pa.Table:
    """The rows of these documents; seg_ids[i]: the seg_id of each of docs[i]'s body lines;
    `signals`: every unit's signals, sorted, units laid end to end, where the caller read them
    at once (pipeline/pair/batch.py), the units' own sets then left unread.

    The list columns are built flat (every unit's kind, size, …, every signal laid end to end)
    with their offsets, as `docs` reads them: from nested Python lists, Arrow would walk every
    level of the nesting value by value."""
    units = [u for doc in docs for u in doc.lines]
    if signals is None:
        signals = _lists([_sorted(u.signals) for u in units], pa.string())
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
        "signals": _cut(per_doc, signals),
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
    """Each row's document and the seg_ids of its body lines, in the table's order."""
    stored = Stored([table])
    for row in range(len(stored)):
        yield stored.doc(row), stored.seg_ids(row)


class Stored:
    """The rows of some `signals` tables, in order, held flat: the list columns as one array of
    values each (strings as numbers into one list of distinct, interned strings) cut by offsets,
    so that reading them makes no Python object per line or signal."""

    def __init__(self, tables: Sequence[pa.Table]) -> None:
        plain = [name for name in SIGNALS.names if name not in _NUMBERED]
        table = pa.concat_tables(
            [SIGNALS.empty_table().select(plain), *(t.select(plain) for t in tables)]
        ).combine_chunks()
        column = {name: _chunk(table[name]) for name in table.column_names}
        self.doc_ids: list[str] = column["doc_id"].to_pylist()
        self.row = {doc_id: n for n, doc_id in enumerate(self.doc_ids)}
        self.langs: list[str] = column["lang"].to_pylist()
        self.dates: list[dt.date | None] = [
            d if isinstance(d, dt.date) else None for d in column["published_date"].to_pylist()
        ]
        self._reporters = column["reporters"].to_pylist()
        self._seg_ids, self._seg_at = _ints(column["seg_ids"])
        # a row's units are units[row] .. units[row + 1] - 1; a unit's signals are
        # said[said_at[unit]] .. (numbers into self.strings), its speakers likewise; the
        # rows' signals, laid end to end, are all of `said`
        self._units = _offsets(column["kinds"])
        kinds = column["kinds"].flatten().dictionary_encode()
        self._kind_names = [sys.intern(k) for k in kinds.dictionary.to_pylist()]
        self._kinds = _codes(kinds.indices)
        self._lines = column["lines"].flatten().to_numpy(zero_copy_only=False)
        self._sizes = column["sizes"].flatten().to_numpy(zero_copy_only=False)
        # signals and speakers numbered together: both are person keys in part
        said, who = (_units(tables, name) for name in _NUMBERED)
        self.strings, codes = _numbered(said[1] + who[1])
        self._said, self._who = codes[: said[0][-1]], codes[said[0][-1] :]
        self._said_at, self._who_at = said[0], who[0]

    def __len__(self) -> int:
        return len(self.doc_ids)

    def seg_ids(self, row: int) -> tuple[int, ...]:
        """The seg_id of each of a row's body lines."""
        return tuple(self._seg_ids[self._seg_at[row] : self._seg_at[row + 1]].tolist())

    def reporters(self, row: int) -> list[str]:
        return self._reporters[row]

    def signal_rows(self, wanted: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The signals that `wanted` marks (a bool per string) of the lines of the rows that
        `rows` marks (a bool per row), as string numbers laid end to end, a row's as often as its
        lines carry them; and where each row's start (and the last ends)."""
        first = self._said_at[self._units]  # where each row's signals start
        keep = wanted[self._said]
        keep &= np.repeat(rows, np.diff(first))
        return self._said[keep], _kept_bounds(keep, first)

    def carried(self) -> dict[str, np.ndarray]:
        """For each language, a bool per string: whether a line of some row in it carries the
        string as a signal."""
        names, per_signal = self._signal_langs()
        out = {}
        for code, lang in enumerate(names):
            out[lang] = np.zeros(len(self.strings), dtype=bool)
            out[lang][self._said[per_signal == code]] = True
        return out

    def only(self, wanted: Mapping[str, np.ndarray]) -> Stored:
        """The same rows, each with only the signals that `wanted[its language]` marks (a bool
        per string; a language not there keeps all of them), filtered for every row at once:
        the documents `doc` makes of it carry only those, at no cost per document."""
        if not wanted:
            return self
        names, per_signal = self._signal_langs()
        every = np.ones(len(self.strings), dtype=bool)
        marks = np.stack([wanted.get(lang, every) for lang in names] or [every])
        kept = marks[per_signal, self._said]
        view = copy.copy(self)
        view._said = self._said[kept]
        view._said_at = _kept_bounds(kept, self._said_at)
        return view

    def _signal_langs(self) -> tuple[list[str], np.ndarray]:
        """The languages of the rows, and for each signal of the rows' lines (laid end to end)
        the number of its row's language among them."""
        first = self._said_at[self._units]  # where each row's signals start
        per_row = pa.array(self.langs, pa.string()).dictionary_encode()
        codes = per_row.indices.to_numpy(zero_copy_only=False).astype(np.int8)  # en and ko
        return per_row.dictionary.to_pylist(), np.repeat(codes, np.diff(first))

    def doc(self, row: int) -> Doc:
        """A row's document (a new object each call)."""
        first, last = int(self._units[row]), int(self._units[row + 1])
        said, every_said = self._sets(self._said, self._said_at, first, last)
        who, every_who = self._sets(self._who, self._who_at, first, last)
        kinds = map(self._kind_names.__getitem__, self._kinds[first:last].tolist())
        sizes, lines = self._sizes[first:last].tolist(), self._lines[first:last].tolist()
        doc = Doc(self.doc_ids[row], self.langs[row], self.dates[row],
                  tuple(map(Line, kinds, said, who, sizes, lines)),
                  frozenset(self._reporters[row]))  # fmt: skip
        # what the document's lines carry, from the flat values at once
        return primed(doc, every_said, every_who)

    def _sets(
        self, codes: np.ndarray, at: np.ndarray, first: int, last: int
    ) -> tuple[list[frozenset[str]], frozenset[str]]:
        """The strings of units first .. last - 1 as a set per unit, and all of them."""
        cuts = at[first : last + 1].tolist()
        if cuts[0] == cuts[-1]:  # most documents' units name no speaker
            return [NOTHING] * (last - first), NOTHING
        values = list(map(self.strings.__getitem__, codes[cuts[0] : cuts[-1]].tolist()))
        a = cuts[0]
        return [
            frozenset(values[i - a : j - a]) if j > i else NOTHING
            for i, j in itertools.pairwise(cuts)
        ], frozenset(values)


class Made(MutableMapping[str, Doc]):
    """Some rows of a `Stored` by doc_id, each made a `Doc` the first time it is asked for (and
    kept); documents set here are kept as they are given."""

    def __init__(self, stored: Stored, rows: Iterable[int]) -> None:
        self._stored = stored
        self._rows: dict[str, int | None] = {stored.doc_ids[row]: row for row in rows}
        self._made: dict[str, Doc] = {}

    def __getitem__(self, doc_id: str) -> Doc:
        doc = self._made.get(doc_id)
        if doc is None:
            row = self._rows[doc_id]  # KeyError: not one of them
            assert row is not None
            doc = self._made[doc_id] = self._stored.doc(row)
        return doc

    def __setitem__(self, doc_id: str, doc: Doc) -> None:
        self._rows[doc_id] = None
        self._made[doc_id] = doc

    def __delitem__(self, doc_id: str) -> None:
        del self._rows[doc_id]
        self._made.pop(doc_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._rows


_NUMBERED = ("signals", "speakers")  # the string lists a unit carries, read as numbers


def _units(tables: Sequence[pa.Table], name: str) -> tuple[np.ndarray, list[pa.Array]]:
    """A list-per-unit column of the tables, laid end to end: where each unit's values start in
    the values (and where the last ends), and those values, a chunk at a time."""
    starts, values = [np.zeros(1, dtype=np.int64)], []
    end = 0
    for table in tables:
        for chunk in table[name].chunks:
            units = chunk.flatten()  # a list per unit
            at = _offsets(units)
            starts.append(at[1:] + end)
            end += int(at[-1])
            values.append(units.flatten())
    return np.concatenate(starts), values


def _numbered(values: list[pa.Array]) -> tuple[list[str], np.ndarray]:
    """The distinct strings of these arrays (interned) and each value's number among them, in
    order: the arrays are strings, or dictionaries as Parquet reads them (Catalog.read's
    `encoded`), whose dictionaries are merged rather than every value hashed again."""
    if values and pa.types.is_dictionary(values[0].type):
        merged = pa.chunked_array(values, values[0].type).unify_dictionaries()
        dictionary = merged.chunk(0).dictionary
        codes = [_codes(chunk.indices) for chunk in merged.chunks]
        return [sys.intern(s) for s in dictionary.to_pylist()], np.concatenate(codes)
    flat = pa.concat_arrays([pa.array([], pa.string()), *values]).dictionary_encode()
    return [sys.intern(s) for s in flat.dictionary.to_pylist()], _codes(flat.indices)


def _chunk(column: pa.ChunkedArray) -> pa.Array:
    return column.chunk(0) if column.num_chunks else pa.array([], column.type)


def _offsets(lists: pa.ListArray) -> np.ndarray:
    """Where each list starts in `lists.flatten()`, and where the last ends."""
    offsets = lists.offsets.to_numpy()
    return (offsets - offsets[0]).astype(np.int64)


def _ints(lists: pa.ListArray) -> tuple[np.ndarray, np.ndarray]:
    return lists.flatten().to_numpy(zero_copy_only=False), _offsets(lists)


def _codes(indices: pa.Array) -> np.ndarray:
    """Dictionary indices as numbers (int32, as Arrow keeps them: a corpus's signals are
    millions, and half the bytes are half the memory to fill and to read)."""
    return indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)


def _kept_bounds(kept: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Where pieces of some values that start at `bounds` (the last ending where the values
    end) start among the values `kept` keeps (a bool per value), and where the last ends."""
    counts = np.zeros(len(bounds) - 1, dtype=np.int64)
    # a sum per piece that has any values (reduceat would count an empty one's next value);
    # in int32 from bytes, numpy's quick loop
    some = np.flatnonzero(np.diff(bounds))
    counts[some] = np.add.reduceat(kept.view(np.uint8), bounds[some], dtype=np.int32)
    return np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])


_EMPTY: list[str] = []
