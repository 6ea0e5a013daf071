"""The dedup index: documents in, verified copy pairs kept, clusters out; updated in place.

Every chunk of a body gets a MinHash (rensa); its `bands` slices of `rows` values each give a
band key, and two documents are candidates when they share `min_hits` keys (one, where either
is a single chunk). Whether a pair is
a candidate, and whether it verifies, depends on the two documents only, so adding documents in
one batch or in many, in any order, and removing some, leaves the same pairs and (see
cluster.py) the same clusters as indexing what remains in one go.

On disk (`save`/`load`), under the folder the caller gives:

    params.json            the settings the index was built with (another set cannot read it)
    docs.parquet           doc_id, published_date, lang, exact key, chunk count, folded body
    edges.parquet          the verified pairs: a, b, jaccard, containment, narration, relation
    band=K/keys.parquet    one partition per LSH band: key, doc_id, sorted by key

A band's partition answers "who shares this key" alone, so bands can be queried on separate
workers; the bodies are kept to verify new candidates exactly against old documents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rensa import RMinHash

from pipeline.dedup.cluster import Assignment, cluster
from pipeline.dedup.text import Shingled, exact_key, fold, shingle
from pipeline.dedup.verify import Params, Verdict, verify
from pipeline.errors import DedupIndexError

FORMAT = 1
_MIX = np.uint64(0x9E3779B97F4A7C15)

DOCS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("published_date", pa.date32()),
        ("lang", pa.string()),
        ("exact_key", pa.binary(16)),
        ("chunks", pa.int32()),
        ("text", pa.string()),
    ]
)
EDGES = pa.schema(
    [
        ("a", pa.string()),
        ("b", pa.string()),
        ("jaccard", pa.float64()),
        ("containment", pa.float64()),
        ("narration", pa.float64()),
        ("relation", pa.string()),
    ]
)
KEYS = pa.schema([("key", pa.uint64()), ("doc_id", pa.string())])


@dataclass(frozen=True)
class Doc:
    """What the caller gives for one document: its clean body (after strip)."""

    doc_id: str
    body: str
    published_date: dt.date | None = None
    lang: str | None = None


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
            keys = (keys ^ sig[:, :, r]) * _MIX + np.uint64(r + 1)
    return keys


class Band:
    """One LSH band: sorted keys and the rows (document numbers) that carry them."""

    def __init__(self, keys: np.ndarray | None = None, rows: np.ndarray | None = None) -> None:
        self.keys = keys if keys is not None else np.zeros(0, dtype=np.uint64)
        self.rows = rows if rows is not None else np.zeros(0, dtype=np.int64)

    def add(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Insert (key, row) pairs; return the (row, older row) pairs that share a key."""
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        lo = np.searchsorted(self.keys, keys, "left")
        hi = np.searchsorted(self.keys, keys, "right")
        counts = hi - lo
        total = int(counts.sum())
        starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        old = self.rows[np.arange(total) + starts] if total else np.zeros(0, dtype=np.int64)
        pairs = [np.stack([np.repeat(rows, counts), old], axis=1)]
        # pairs among the new rows: equal keys lie next to each other once sorted
        step = 1
        while step < len(keys):
            same = np.flatnonzero(keys[step:] == keys[:-step])
            if not len(same):
                break
            pairs.append(np.stack([rows[same], rows[same + step]], axis=1))
            step += 1
        self.keys = np.insert(self.keys, lo, keys)
        self.rows = np.insert(self.rows, lo, rows)
        return np.concatenate(pairs)

    def keep(self, alive: np.ndarray) -> None:
        mask = alive[self.rows]
        self.keys, self.rows = self.keys[mask], self.rows[mask]


class DedupIndex:
    """Documents, their band keys and verified pairs; `assignments()` gives the clusters."""

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or Params()
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._alive: list[bool] = []
        self._dates: list[dt.date | None] = []
        self._langs: list[str | None] = []
        self._exact: list[bytes] = []
        self._texts: list[str] = []
        self._chunks: list[int] = []
        self._bands = [Band() for _ in range(self.params.bands)]
        self._by_exact: dict[bytes, set[int]] = defaultdict(set)
        self.edges: dict[tuple[str, str], Verdict] = {}

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    def _shingled(self, row: int, cache: dict[int, Shingled]) -> Shingled:
        if row not in cache:
            cache[row] = shingle(self._texts[row], self.params.ngram, self.params.min_chunk)
        return cache[row]

    def add(self, docs: Iterable[Doc]) -> int:
        """Index documents (a known doc_id is replaced); return the number of verified pairs."""
        docs = list({d.doc_id: d for d in docs}.values())
        self.remove(d.doc_id for d in docs if d.doc_id in self._row)
        cache: dict[int, Shingled] = {}
        new_keys: list[np.ndarray] = []
        new_rows: list[np.ndarray] = []
        exact_pairs: list[tuple[int, int]] = []
        for doc in docs:
            row = len(self._ids)
            text = fold(doc.body)
            self._ids.append(doc.doc_id)
            self._row[doc.doc_id] = row
            self._alive.append(True)
            self._dates.append(doc.published_date)
            self._langs.append(doc.lang)
            self._texts.append(text)
            shingled = self._shingled(row, cache)
            self._chunks.append(len(shingled.chunks))
            key = exact_key(text)
            self._exact.append(key)
            exact_pairs += [(row, other) for other in self._by_exact[key]]
            self._by_exact[key].add(row)
            keys = band_keys(shingled.chunks, self.params)
            new_keys.append(keys)
            new_rows.append(np.full(len(keys), row, dtype=np.int64))
        candidates = [np.zeros((0, 2), dtype=np.int64)]
        if new_keys:
            keys = np.concatenate(new_keys)
            rows = np.concatenate(new_rows)
            for b, band in enumerate(self._bands):
                candidates.append(band.add(keys[:, b], rows))
        # a pair is a candidate when it shares min_hits band keys (counted over chunks and
        # bands: a figure of the two documents alone), or one key when one of them is a single
        # chunk (a short preview), or its exact key
        pairs, hits = np.unique(
            np.sort(np.concatenate(candidates), axis=1), axis=0, return_counts=True
        )
        single = np.asarray(self._chunks, dtype=np.int64)[pairs].min(axis=1) <= 1
        pairs = pairs[(hits >= self.params.min_hits) | single]
        exact = np.array(exact_pairs, dtype=np.int64).reshape(-1, 2)
        pairs = np.unique(np.concatenate([pairs, np.sort(exact, axis=1)]), axis=0)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        alive = np.asarray(self._alive)
        pairs = pairs[alive[pairs[:, 0]] & alive[pairs[:, 1]]]
        found = 0
        for a, b in pairs.tolist():
            same = self._exact[a] == self._exact[b]
            verdict = verify(self._shingled(a, cache), self._shingled(b, cache), self.params, same)
            if verdict.relation is not None:
                x, y = sorted((self._ids[a], self._ids[b]))
                self.edges[(x, y)] = verdict
                found += 1
        return found

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Take documents out of the index (unknown ids are ignored); return how many left."""
        gone = {d for d in doc_ids if d in self._row}
        for doc_id in gone:
            row = self._row.pop(doc_id)
            self._alive[row] = False
            self._by_exact[self._exact[row]].discard(row)
            self._texts[row] = ""
        if gone:
            self.edges = {k: v for k, v in self.edges.items() if not gone.intersection(k)}
        return len(gone)

    def assignments(self) -> dict[str, Assignment]:
        """Every indexed document's cluster, relation, similarity and whether it represents it."""
        dates = {d: self._dates[r] for d, r in self._row.items()}
        return cluster(dates, self.edges)

    # --- on disk ---------------------------------------------------------------------------

    def save(self, root: Path) -> None:
        """Write the index under root (replacing what is there), bands as partitions."""
        root = Path(root)
        tmp = root.with_name(root.name + ".new")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        live = [r for r, ok in enumerate(self._alive) if ok]
        (tmp / "params.json").write_text(
            json.dumps({"format": FORMAT, **dataclasses.asdict(self.params)}, indent=1)
        )
        docs = {
            "doc_id": [self._ids[r] for r in live],
            "published_date": [self._dates[r] for r in live],
            "lang": [self._langs[r] for r in live],
            "exact_key": [self._exact[r] for r in live],
            "chunks": [self._chunks[r] for r in live],
            "text": [self._texts[r] for r in live],
        }
        pq.write_table(pa.Table.from_pydict(docs, schema=DOCS), tmp / "docs.parquet")
        edges = sorted(self.edges.items())
        columns = {
            "a": [k[0] for k, _ in edges],
            "b": [k[1] for k, _ in edges],
            "jaccard": [v.jaccard for _, v in edges],
            "containment": [v.containment for _, v in edges],
            "narration": [v.narration for _, v in edges],
            "relation": [v.relation for _, v in edges],
        }
        pq.write_table(pa.Table.from_pydict(columns, schema=EDGES), tmp / "edges.parquet")
        alive = np.asarray(self._alive, dtype=bool)
        ids = np.asarray(self._ids, dtype=object)
        for b, band in enumerate(self._bands):
            band.keep(alive)
            part = tmp / f"band={b}"
            part.mkdir()
            table = pa.table({"key": band.keys, "doc_id": ids[band.rows]}, schema=KEYS)
            pq.write_table(table, part / "keys.parquet")
        old = root.with_name(root.name + ".old")
        if root.exists():
            root.rename(old)
        tmp.rename(root)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, root: Path, params: Params | None = None) -> DedupIndex:
        """The index saved under root; it must have been built with the same params."""
        root = Path(root)
        params = params or Params()
        try:
            stored = json.loads((root / "params.json").read_text())
        except (OSError, ValueError) as exc:
            raise DedupIndexError(f"{root}: no dedup index there ({exc})") from None
        if stored != {"format": FORMAT, **dataclasses.asdict(params)}:
            raise DedupIndexError(f"{root}: built with other settings; rebuild the index")
        index = cls(params)
        docs = pq.read_table(root / "docs.parquet", schema=DOCS).to_pydict()
        index._ids = docs["doc_id"]
        index._row = {d: r for r, d in enumerate(index._ids)}
        index._alive = [True] * len(index._ids)
        index._dates = docs["published_date"]
        index._langs = docs["lang"]
        index._exact = docs["exact_key"]
        index._texts = docs["text"]
        index._chunks = docs["chunks"]
        for row, key in enumerate(index._exact):
            index._by_exact[key].add(row)
        lookup = pd.Index(index._ids)
        for b in range(params.bands):
            table = pq.read_table(root / f"band={b}" / "keys.parquet", schema=KEYS)
            rows = lookup.get_indexer(table.column("doc_id").to_pandas()).astype(np.int64)
            index._bands[b] = Band(table.column("key").to_numpy(), rows)
        edges = pq.read_table(root / "edges.parquet", schema=EDGES).to_pylist()
        index.edges = {
            (e["a"], e["b"]): Verdict(e["jaccard"], e["containment"], e["narration"], e["relation"])
            for e in edges
        }
        return index
