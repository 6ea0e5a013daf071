"""Each document's part of dedup's work, done before the index sees it, anywhere.

Folding a body, its exact key, its shingles and its chunks' band keys depend on the document
alone: the shingle stage (pipeline/stages/shingle.py) computes them in the workers, batch by
batch, and carries them to the dedup stage as Arrow (the `shingles` dataset); the index then
only looks up keys, verifies candidates and clusters (`DedupIndex.add_prepared`).
`DedupIndex.add(docs)` prepares in its own process, so both ways index the same figures.

A document's shingles travel as its sorted unique gram hashes and one bit per gram, whether it
occurs outside quotation marks (the narration, text.py): the narration's grams are a subset of
the body's. Its chunks do not travel: the index needs their band keys and how many there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rensa import RMinHash

from pipeline.dedup.text import MIX, Shingled, exact_key, fold, shingle_many
from pipeline.dedup.verify import Params

# The settings a Prepared depends on (the others are the index's: candidates and verification).
SHINGLING = ("ngram", "min_chunk", "num_perm", "bands", "rows", "seed")


def shingling(params: Params) -> dict[str, int]:
    """The settings of params that what `prepare` gives depends on."""
    return {name: getattr(params, name) for name in SHINGLING}


@dataclass(frozen=True)
class Prepared:
    """Documents ready for the index: a row each, in one order."""

    doc_ids: list[str]
    dates: list[dt.date | None]
    langs: list[str]
    bodies: list[str]  # folded (text.fold)
    exact: np.ndarray  # (n, 2) uint64: the 16-byte exact keys
    chunks: np.ndarray  # (n,) int32: chunks per document
    keys: np.ndarray  # (sum of chunks, bands) uint64: each chunk's band keys, documents in order
    shingled: list[Shingled]  # chunks left empty where the document came as Arrow

    def __len__(self) -> int:
        return len(self.doc_ids)

    def take(self, keep: np.ndarray) -> Prepared:
        """The documents where keep (a bool per document) is set."""
        ends = np.cumsum(self.chunks, dtype=np.int64)
        chunk_keep = np.repeat(keep, self.chunks) if len(ends) else np.zeros(0, dtype=bool)
        picked = np.flatnonzero(keep).tolist()
        return Prepared(
            [self.doc_ids[i] for i in picked],
            [self.dates[i] for i in picked],
            [self.langs[i] for i in picked],
            [self.bodies[i] for i in picked],
            self.exact[keep],
            self.chunks[keep],
            self.keys[chunk_keep],
            [self.shingled[i] for i in picked],
        )


def band_keys(chunks: list[np.ndarray], params: Params) -> np.ndarray:
    """A (chunks × bands) uint64 array: each chunk's MinHash cut into bands, each band hashed."""
    if not chunks:
        return np.zeros((0, params.bands), dtype=np.uint64)
    flat = np.concatenate(chunks).astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum([len(c) for c in chunks])]).astype(np.uint64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        flat, offsets, params.num_perm, params.seed
    )
    rows = np.asarray(matrix.to_rows(), dtype=np.uint64)
    sig = rows.reshape(len(chunks), params.bands, params.rows)
    keys = np.zeros((len(chunks), params.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(params.rows):
            keys = (keys ^ sig[:, :, r]) * MIX + np.uint64(r + 1)
    return keys


def exact_words(keys: list[bytes]) -> np.ndarray:
    """The 16-byte exact keys as (n, 2) uint64: the first word keys the `exact` runs."""
    return np.frombuffer(b"".join(keys), dtype=np.uint64).reshape(-1, 2).copy()


def prepare(
    doc_ids: Sequence[str],
    bodies: Sequence[str],
    dates: Sequence[dt.date | None],
    langs: Sequence[str | None],
    params: Params,
) -> Prepared:
    """Fold, key, shingle and band-key documents (their clean bodies)."""
    texts = [fold(body) for body in bodies]
    shingled = shingle_many(texts, params.ngram, params.min_chunk, folded=True)
    chunks = np.array([len(s.chunks) for s in shingled], dtype=np.int32)
    return Prepared(
        list(doc_ids),
        list(dates),
        [lang or "" for lang in langs],
        texts,
        exact_words([exact_key(text, folded=True) for text in texts]),
        chunks,
        band_keys([c for s in shingled for c in s.chunks], params),
        shingled,
    )


def concat(parts: Sequence[Prepared], params: Params) -> Prepared:
    """Several Prepared as one, in order."""
    if len(parts) == 1:
        return parts[0]
    return Prepared(
        [d for p in parts for d in p.doc_ids],
        [d for p in parts for d in p.dates],
        [d for p in parts for d in p.langs],
        [d for p in parts for d in p.bodies],
        np.concatenate([np.zeros((0, 2), np.uint64), *(p.exact for p in parts)]),
        np.concatenate([np.zeros(0, np.int32), *(p.chunks for p in parts)]),
        np.concatenate([np.zeros((0, params.bands), np.uint64), *(p.keys for p in parts)]),
        [s for p in parts for s in p.shingled],
    )


def to_table(prepared: Prepared, schema: pa.Schema) -> pa.Table:
    """The documents as rows of the `shingles` schema (pipeline/schemas.py)."""
    shingled = prepared.shingled
    narrated = [_narrated(s) for s in shingled]
    bands = prepared.keys.shape[1]
    return pa.Table.from_arrays(
        [
            pa.array(prepared.doc_ids, pa.string()),
            pa.array(prepared.dates, pa.date32()),
            pa.array(prepared.bodies, pa.large_string()),
            pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(16), len(prepared), [None, pa.py_buffer(prepared.exact.tobytes())]
            ),
            pa.array(prepared.chunks, pa.int32()),
            _lists(prepared.keys.reshape(-1), prepared.chunks * bands, pa.uint64()),
            _lists(
                _joined([s.grams for s in shingled], np.uint32),
                [len(s.grams) for s in shingled],
                pa.uint32(),
            ),
            _lists(_joined(narrated, np.bool_), [len(n) for n in narrated], pa.bool_()),
        ],
        schema=schema,
    )


def _narrated(shingled: Shingled) -> np.ndarray:
    """Per gram, whether it is among the narration's (a subset of them: both sorted, unique);
    what np.isin gives, by a binary search of the few instead of a sort of both."""
    mask = np.zeros(len(shingled.grams), dtype=bool)
    mask[np.searchsorted(shingled.grams, shingled.narration)] = True
    return mask


def _joined(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate([np.zeros(0, dtype), *arrays])


def _lists(values: np.ndarray, counts: Sequence[int] | np.ndarray, typ: pa.DataType) -> pa.Array:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values, typ))


def _flat(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A list column's values (numpy) and its offsets."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    offsets = array.offsets.to_numpy() - array.offsets[0].as_py()
    return array.flatten().to_numpy(zero_copy_only=False), offsets


def from_table(table: pa.Table, params: Params) -> Prepared:
    """The documents of rows of the `shingles` schema (their shingles without chunks)."""
    grams, gram_at = _flat(table["grams"])
    narrated, _ = _flat(table["narrated"])
    keys, _ = _flat(table["band_keys"])
    # the narration of every document at once, and where each document's starts in it
    told = grams[narrated]
    told_at = np.concatenate([[0], np.cumsum(narrated, dtype=np.int64)])[gram_at].tolist()
    at = gram_at.tolist()
    shingled = [
        Shingled(grams[a:b], told[c:d], [])
        for a, b, c, d in zip(at[:-1], at[1:], told_at[:-1], told_at[1:], strict=True)
    ]
    exact = table["exact"].combine_chunks()
    exact_bytes = (
        np.frombuffer(exact.buffers()[1], dtype=np.uint8)[exact.offset * 16 :][: 16 * len(exact)]
        if len(exact)
        else np.zeros(0, np.uint8)
    )
    return Prepared(
        table["doc_id"].to_pylist(),
        table["published_date"].to_pylist(),
        [""] * len(table),
        table["body"].to_pylist(),
        exact_bytes.view(np.uint64).reshape(-1, 2).copy(),
        pc.cast(table["chunks"], pa.int32()).to_numpy().astype(np.int32),
        np.asarray(keys, dtype=np.uint64).reshape(-1, params.bands),
        shingled,
    )
