"""The dedup index: documents in, verified copy pairs kept, clusters out; updated in place.

Every chunk of a body gets a MinHash (rensa); its `bands` slices of `rows` values each give a
band key, and two documents are candidates when they share `min_hits` keys (one, where either
is a single chunk) and one of them has `min_share` of its chunks meeting the other (a stock
chunk shared whole meets in every band; `chunk_share`). Whether a pair is
a candidate, and whether it verifies, depends on the two documents only, so adding documents in
one batch or in many, in any order, and removing some, leaves the same pairs and (see
cluster.py) the same clusters as indexing what remains in one go.

On disk (`save`/`load`), under the folder the caller gives (storage.py has the parts):

    params.json              the settings the index was built with (another set cannot read it)
    manifest.json            the commit point: document rows, each band's runs, the live files
    docs/                    one row per document ever placed (a removed one is dead in alive):
      ids.*, langs.*, bodies.*   strings as an ends column and a UTF-8 blob (the folded body;
                                 "" for an unknown lang)
      dates.i32, chunks.i32, exact.u64   published date (days), chunk count, exact key
    alive-G.npy              which rows are live (G: the save's generation)
    edges-G.parquet          the verified pairs: a, b, jaccard, containment, narration, relation
    band=K/*.npy             LSH band K: sorted runs of (key, row), LSM style
    exact/*.npy, ids/*.npy   the same for exact keys and doc-id hashes (a doc_id's row)

A save into the folder the index came from appends the new rows, writes the new small runs, and
replaces the manifest; it rewrites nothing else, so placing 1,000 documents into a million costs
what the 1,000 cost. A load opens the files as memory maps and reads only what a lookup, a
verification (a candidate's body) or `assignments()` needs. A save elsewhere, or once half the
rows are dead, writes a compacted copy (live rows only, one run per band) and swaps it in.
A band's runs answer "who shares this key" alone, so bands can be queried on separate workers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.collector import paused_gc
from pipeline.dedup.ceiling import bitmaps, ceilings, may_be_copies
from pipeline.dedup.cluster import Assignment, alone, grouped
from pipeline.dedup.prepared import Prepared, band_keys, prepare
from pipeline.dedup.storage import Column, Runs, Strings, replace
from pipeline.dedup.text import MIX, Shingled, _unique, shingle_many
from pipeline.dedup.verify import Params, Verdict, verify
from pipeline.errors import DedupIndexError

FORMAT = 2
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NO_DATE = np.iinfo(np.int32).min
_STRINGS = ("ids", "langs", "bodies")

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


@dataclass(frozen=True)
class Doc:
    """What the caller gives for one document: its clean body (after strip)."""

    doc_id: str
    body: str
    published_date: dt.date | None = None
    lang: str | None = None


def chunk_share(
    pairs: np.ndarray,
    first: int,
    shingled: dict[int, Shingled],
    params: Params,
    new_keys: np.ndarray | None = None,
    new_counts: np.ndarray | None = None,
) -> np.ndarray:
    """Per pair (a, b) of rows, at least one of them ≥ first: the larger of the two sides'
    shares of their chunks that share a band key with the other side (an estimate of how much
    of one lies in the other). A figure of the two documents alone, whichever came first.

    Every band key of a new row (≥ first) is looked up among the keys of all the rows in pairs,
    so each pair is seen from a new side; the hits are reduced to the distinct chunks of each
    side, counted per pair. new_keys: the band keys of every row from first on, in order (as
    `add` computed them), so that only the older rows' keys are computed here; new_counts: their
    chunk counts, where their Shingled came without chunks (from Arrow, prepared.py)."""
    if not len(pairs):
        return np.zeros(0, dtype=np.float64)
    rows = np.unique(pairs)
    chunks = [shingled[int(r)].chunks for r in rows]
    count = np.array([len(c) for c in chunks], dtype=np.int64)
    if new_keys is None:
        keys = band_keys([c for cs in chunks for c in cs], params)  # (all chunks × bands)
    else:
        if new_counts is None:
            new_counts = np.array(
                [len(shingled[r].chunks) for r in sorted(r for r in shingled if r >= first)],
                dtype=np.int64,
            )
        if len(new_keys) != new_counts.sum():
            raise ValueError(f"new_keys: {len(new_keys)} rows for {new_counts.sum()} new chunks")
        old = int(np.count_nonzero(rows < first))
        new = rows[old:] - first
        count[old:] = new_counts[new]
        ends = np.cumsum(new_counts)
        taken = _ranges(ends[new] - new_counts[new], count[old:])
        keys = np.concatenate(
            [band_keys([c for cs in chunks[:old] for c in cs], params), new_keys[taken]]
        )
    # one entry per (row, chunk, band): the band folded into the key, so keys meet in one band
    bands = np.arange(params.bands, dtype=np.uint64)
    with np.errstate(over="ignore"):
        keys = (keys ^ bands) * MIX
    key = keys.ravel()
    row = np.repeat(np.repeat(rows, count), params.bands)
    chunk = np.repeat(
        np.concatenate([np.arange(n) for n in count]) if len(count) else np.zeros(0, np.int64),
        params.bands,
    )
    order = np.argsort(key, kind="stable")
    key, row, chunk = key[order], row[order], chunk[order]
    new = np.flatnonzero(row >= first)
    lo = np.searchsorted(key, key[new], "left")
    hi = np.searchsorted(key, key[new], "right")
    hits = hi - lo
    at = np.repeat(new, hits)
    other = np.arange(int(hits.sum())) + np.repeat(lo - np.cumsum(hits) + hits, hits)
    r1, r2 = row[at], row[other]
    c1, c2 = chunk[at], chunk[other]
    keep = r1 != r2
    r1, r2, c1, c2 = r1[keep], r2[keep], c1[keep], c2[keep]
    swap = r1 > r2
    a, b = np.where(swap, r2, r1), np.where(swap, r1, r2)
    ca, cb = np.where(swap, c2, c1), np.where(swap, c1, c2)
    # the pair each hit belongs to (hits of pairs that are no candidates are dropped)
    size = np.int64(rows[-1] + 1)
    codes = pairs[:, 0] * size + pairs[:, 1]
    order = np.argsort(codes)
    code = a * size + b
    slot = np.searchsorted(codes[order], code)
    slot[slot == len(codes)] = 0
    known = codes[order][slot] == code
    pair = order[slot[known]]
    widest = np.int64(count.max())
    share = np.zeros(len(pairs), dtype=np.float64)
    for side, c in ((0, ca[known]), (1, cb[known])):
        distinct = _unique(pair * widest + c) // widest
        matched = np.bincount(distinct, minlength=len(pairs))
        total = count[np.searchsorted(rows, pairs[:, side])]
        share = np.maximum(share, matched / np.maximum(total, 1))
    return share


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start .. start + length - 1 of each range, one after the other."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _may_be_copies(pairs: np.ndarray, shingled: dict[int, Shingled], params: Params) -> np.ndarray:
    """Whether each pair (a, b) of rows could verify as a copy, by the ceiling on its overlap."""
    rows = np.unique(pairs)
    grams = [shingled[row].grams for row in rows.tolist()]
    sizes = np.array([len(g) for g in grams], dtype=np.int64)
    maps, spare = bitmaps(grams)
    local = np.searchsorted(rows, pairs)
    return may_be_copies(local, sizes, ceilings(local, sizes, maps, spare), params)


def _counted(pairs: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (a, b) row pairs, sorted, and how often each occurs: np.unique(axis=0)
    with counts, on one int64 code per pair (that one sorts rows of a structured view, 30 times
    slower)."""
    codes = np.sort(pairs[:, 0].astype(np.int64) * rows + pairs[:, 1])
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]]))
    counts = np.diff(np.append(first, len(codes)))
    distinct = codes[first]
    return np.stack([distinct // rows, distinct % rows], axis=1), counts


def id_hashes(doc_ids: list[str]) -> np.ndarray:
    """A stable 64-bit hash per doc_id: the key of the `ids` runs that find a document's row."""
    digests = b"".join(hashlib.blake2b(d.encode("utf-8"), digest_size=8).digest() for d in doc_ids)
    return np.frombuffer(digests, dtype=np.uint64).copy()


def _days(dates: Iterable[dt.date | None]) -> np.ndarray:
    return np.array([_NO_DATE if d is None else d.toordinal() - _EPOCH for d in dates], np.int32)


def _date(days: int) -> dt.date | None:
    return None if days == _NO_DATE else dt.date.fromordinal(days + _EPOCH)


class DedupIndex:
    """Documents, their band keys and verified pairs; `assignments()` gives the clusters."""

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or Params()
        self._strings = {name: Strings() for name in _STRINGS}
        self._dates = Column(np.int32)
        self._chunks = Column(np.int32)
        self._exact = Column(np.uint64, width=2)
        self._alive = np.zeros(0, dtype=bool)
        self._bands = [Runs() for _ in range(self.params.bands)]
        self._exact_runs = Runs()
        self._id_runs = Runs()
        self.edges: dict[tuple[str, str], Verdict] = {}
        self._home: Path | None = None  # the folder the saved parts are mapped from
        self._generation = 0
        self._changed = False  # since it was opened or saved

    def __len__(self) -> int:
        return int(self._alive.sum())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self._find([doc_id])[0] >= 0)

    def _find(self, doc_ids: list[str]) -> np.ndarray:
        """The live row of each doc_id, -1 where there is none."""
        out = np.full(len(doc_ids), -1, dtype=np.int64)
        if not doc_ids:
            return out
        at, rows = self._id_runs.lookup(id_hashes(doc_ids))
        live = self._alive[rows]
        at, rows = at[live], rows[live]
        for i, row, found in zip(at, rows, self._strings["ids"].take(rows), strict=True):
            if found == doc_ids[i]:
                out[i] = row
        return out

    def _shingled(self, rows: Iterable[int], cache: dict[int, Shingled]) -> None:
        """Shingle the bodies of rows not in cache (reading only those bodies)."""
        need = sorted(set(rows) - cache.keys())
        texts = self._strings["bodies"].take(np.array(need))
        p = self.params
        cache.update(zip(need, shingle_many(texts, p.ngram, p.min_chunk, folded=True), strict=True))

    def add(self, docs: Iterable[Doc]) -> int:
        """Index documents (a known doc_id is replaced); return the number of verified pairs."""
        docs = list({d.doc_id: d for d in docs}.values())
        prepared = prepare(
            [d.doc_id for d in docs],
            [d.body for d in docs],
            [d.published_date for d in docs],
            [d.lang for d in docs],
            self.params,
        )
        return self.add_prepared(prepared)

    def add_prepared(self, prepared: Prepared) -> int:
        """Index documents prepared elsewhere (prepared.py; each doc_id once, a known one is
        replaced); return the number of verified pairs."""
        self.remove(prepared.doc_ids)
        if not len(prepared):
            return 0
        self._changed = True
        params = self.params
        first = len(self._alive)
        rows = np.arange(first, first + len(prepared), dtype=np.int64)
        cache = dict(zip(rows.tolist(), prepared.shingled, strict=True))
        chunks = prepared.chunks.astype(np.int32)
        exact = prepared.exact
        ids = prepared.doc_ids
        self._strings["ids"].extend(ids)
        self._strings["langs"].extend(prepared.langs)
        self._strings["bodies"].extend(prepared.bodies)
        self._dates.extend(_days(prepared.dates))
        self._chunks.extend(chunks)
        self._exact.extend(exact)
        self._alive = np.concatenate([self._alive, np.ones(len(prepared), dtype=bool)])
        self._id_runs.insert(id_hashes(ids), rows, self._alive)

        keys = prepared.keys
        key_rows = np.repeat(rows, chunks)
        candidates = [np.zeros((0, 2), dtype=np.int64)]
        for b, band in enumerate(self._bands):
            candidates.append(band.add(keys[:, b], key_rows, self._alive))
        # a pair is a candidate when it shares min_hits band keys (counted over chunks and
        # bands: a figure of the two documents alone), or one key when one of them is a single
        # chunk (a short preview), or its exact key
        pairs, hits = _counted(np.sort(np.concatenate(candidates), axis=1), len(self._alive))
        single = self._chunks.take(pairs.ravel()).reshape(-1, 2).min(axis=1) <= 1
        pairs = pairs[(hits >= params.min_hits) | single]
        same = self._exact_runs.add(exact[:, 0], rows, self._alive)
        same = same[self._same_exact(same)]
        pairs = _counted(np.concatenate([pairs, np.sort(same, axis=1)]), len(self._alive))[0]
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        pairs = pairs[self._alive[pairs[:, 0]] & self._alive[pairs[:, 1]]]
        self._shingled(pairs.ravel().tolist(), cache)
        # most candidates share a stock line or two and come nowhere near the overlap of a
        # copy: a ceiling on their overlap (ceiling.py) drops them before any exact count
        equal = self._same_exact(pairs)
        keep = equal | _may_be_copies(pairs, cache, params)
        pairs, equal = pairs[keep], equal[keep]
        # shared stock chunks (a weather line, a market line, boilerplate) match in every band;
        # a pair goes on to verification only when one side has enough of its chunks matched
        counts = self._chunks.take(pairs.ravel()).reshape(-1, 2)
        share = chunk_share(pairs, first, cache, params, keys, chunks)
        keep = (share >= params.min_share) | (counts.min(axis=1) <= 1) | equal
        pairs, equal = pairs[keep], equal[keep]
        pair_ids = self._strings["ids"].take(pairs.ravel())
        found = 0
        for (a, b), same_text, x, y in zip(
            pairs.tolist(), equal.tolist(), pair_ids[::2], pair_ids[1::2], strict=True
        ):
            verdict = verify(cache[a], cache[b], params, same_text, explain=False)
            if verdict.relation is not None:
                self.edges[(x, y) if x < y else (y, x)] = verdict
                found += 1
        return found

    def _same_exact(self, pairs: np.ndarray) -> np.ndarray:
        """Whether the two rows of each pair have the same exact key (both of its words)."""
        return (self._exact.take(pairs[:, 0]) == self._exact.take(pairs[:, 1])).all(axis=1)

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Take documents out of the index (unknown ids are ignored); return how many left."""
        asked = list(dict.fromkeys(doc_ids))
        rows = self._find(asked)
        gone = {d for d, row in zip(asked, rows.tolist(), strict=True) if row >= 0}
        self._alive[rows[rows >= 0]] = False
        if gone:
            self._changed = True
            self.edges = {k: v for k, v in self.edges.items() if not gone.intersection(k)}
        return len(gone)

    def assignments(self) -> dict[str, Assignment]:
        """Every indexed document's cluster, relation, similarity and whether it represents it."""
        linked = sorted({d for pair in self.edges for d in pair})
        rows = self._find(linked)
        days = self._dates.take(rows)
        dates = {d: _date(int(v)) for d, v in zip(linked, days.tolist(), strict=True)}
        unpaired = self._alive.copy()
        unpaired[rows[rows >= 0]] = False
        with paused_gc():
            out = alone(self._strings["ids"].all(unpaired))
            out.update(grouped(dates, self.edges))
        return out

    # --- on disk ---------------------------------------------------------------------------

    def save(self, root: Path) -> None:
        """Write the index under root: appended where it came from, else written afresh."""
        root = Path(root)
        dead = len(self._alive) - len(self)
        if self._home == root.resolve() and _generation(root) == self._generation:
            if not self._changed:
                return  # a run with nothing new writes nothing
            if 2 * dead <= len(self._alive):
                self._append(root)
                return
        self._rewrite(root)

    def _append(self, root: Path) -> None:
        """Append the new rows and runs under root and commit them with a new manifest."""
        docs = root / "docs"
        docs.mkdir(exist_ok=True)
        for name, strings in self._strings.items():
            strings.flush(docs / f"{name}.ends", docs / f"{name}.blob")
        for name, column in self._columns().items():
            column.flush(docs / name)
        self._commit(root, self._generation + 1)

    def _columns(self) -> dict[str, Column]:
        return {"dates.i32": self._dates, "chunks.i32": self._chunks, "exact.u64": self._exact}

    def _all_runs(self) -> dict[str, Runs]:
        runs = {f"band={b}": band for b, band in enumerate(self._bands)}
        return {**runs, "exact": self._exact_runs, "ids": self._id_runs}

    def _commit(self, root: Path, gen: int) -> None:
        """Write the runs not yet saved, the live flags, the pairs, and then the manifest that
        makes them the index; remove what it no longer names."""
        runs = {folder: r.flush(root / folder, f"g{gen}") for folder, r in self._all_runs().items()}
        np.save(root / f"alive-{gen}.npy", self._alive)
        edges = sorted(self.edges.items())
        columns = {
            "a": [k[0] for k, _ in edges],
            "b": [k[1] for k, _ in edges],
            "jaccard": [v.jaccard for _, v in edges],
            "containment": [v.containment for _, v in edges],
            "narration": [v.narration for _, v in edges],
            "relation": [v.relation for _, v in edges],
        }
        pq.write_table(pa.Table.from_pydict(columns, schema=EDGES), root / f"edges-{gen}.parquet")
        manifest = {
            "format": FORMAT,
            "generation": gen,
            "rows": len(self._alive),
            "alive": f"alive-{gen}.npy",
            "edges": f"edges-{gen}.parquet",
            "runs": runs,
        }
        replace(root / "manifest.json", json.dumps(manifest, indent=1))
        self._generation, self._changed = gen, False
        named = {
            f"{n}.{part}.npy" for names in runs.values() for n in names for part in ("keys", "rows")
        }
        for folder in runs:
            for path in (root / folder).glob("*.npy"):
                if path.name not in named:
                    path.unlink()
        for path in [*root.glob("alive-*.npy"), *root.glob("edges-*.parquet")]:
            if path.name not in (manifest["alive"], manifest["edges"]):
                path.unlink()

    def _rewrite(self, root: Path) -> None:
        """Write the live rows afresh (one run per band) beside root, then swap it in."""
        tmp = root.with_name(root.name + ".new")
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "docs").mkdir(parents=True)
        (tmp / "params.json").write_text(
            json.dumps({"format": FORMAT, **dataclasses.asdict(self.params)}, indent=1)
        )
        live = np.flatnonzero(self._alive)
        for name, strings in self._strings.items():
            strings.write(self._alive, tmp / "docs" / f"{name}.ends", tmp / "docs" / f"{name}.blob")
        for name, column in self._columns().items():
            fresh_column = Column(column.dtype, column.width)
            fresh_column.extend(column.take(live))
            fresh_column.flush(tmp / "docs" / name)
        renumber = np.full(len(self._alive), -1, dtype=np.int64)
        renumber[live] = np.arange(len(live))
        fresh = DedupIndex(self.params)
        for mine, theirs in zip(self._all_runs().values(), fresh._all_runs().values(), strict=True):
            theirs.runs = mine.runs
            theirs.compact(self._alive, renumber)
        fresh._alive = np.ones(len(live), dtype=bool)
        fresh.edges = self.edges
        # generations only grow, so that a process holding an older copy never appends to this
        fresh._commit(tmp, max(self._generation, _generation(root) or 0) + 1)
        old = root.with_name(root.name + ".old")
        if root.exists():
            root.rename(old)
        tmp.rename(root)
        shutil.rmtree(old, ignore_errors=True)
        self._open(root)

    @classmethod
    def load(cls, root: Path, params: Params | None = None) -> DedupIndex:
        """The index saved under root; it must have been built with the same params."""
        root = Path(root)
        params = params or Params()
        try:
            stored = json.loads((root / "params.json").read_text())
        except (OSError, ValueError) as exc:
            raise DedupIndexError(f"{root}: no dedup index there ({exc})") from None
        if isinstance(stored, dict) and stored.get("format") != FORMAT:
            raise DedupIndexError(
                f"{root}: a dedup index of format {stored.get('format')}, this version reads "
                f"format {FORMAT}; rebuild the index"
            )
        if stored != {"format": FORMAT, **dataclasses.asdict(params)}:
            raise DedupIndexError(f"{root}: built with other settings; rebuild the index")
        index = cls(params)
        try:
            index._open(root)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            what = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DedupIndexError(f"{root}: a broken dedup index ({what}); rebuild it") from None
        return index

    def _open(self, root: Path) -> None:
        """Map the saved parts under root (the manifest says which, and how many rows)."""
        manifest = json.loads((root / "manifest.json").read_text())
        if manifest["format"] != FORMAT:
            raise ValueError(f"manifest format {manifest['format']}")
        count = int(manifest["rows"])
        docs = root / "docs"
        for name, strings in self._strings.items():
            strings.open(docs / f"{name}.ends", docs / f"{name}.blob", count)
        self._dates.open(docs / "dates.i32", count)
        self._chunks.open(docs / "chunks.i32", count)
        self._exact.open(docs / "exact.u64", count)
        alive = np.load(root / manifest["alive"], allow_pickle=False)
        if alive.dtype != bool or alive.shape != (count,):
            raise ValueError(f"{manifest['alive']}: not {count} live flags")
        self._alive = alive
        runs = manifest["runs"]
        for b, band in enumerate(self._bands):
            band.open(root / f"band={b}", runs[f"band={b}"], count)
        self._exact_runs.open(root / "exact", runs["exact"], count)
        self._id_runs.open(root / "ids", runs["ids"], count)
        # ParquetFile, not read_table: that one imports pyarrow.dataset and pandas (0.4 s)
        table = pq.ParquetFile(root / manifest["edges"]).read()
        if table.schema != EDGES:
            raise ValueError(f"{manifest['edges']}: not the pairs' schema")
        edges = table.to_pylist()
        self.edges = {
            (e["a"], e["b"]): Verdict(e["jaccard"], e["containment"], e["narration"], e["relation"])
            for e in edges
        }
        self._home, self._generation = root.resolve(), int(manifest["generation"])
        self._changed = False


def _generation(root: Path) -> int | None:
    """The generation of the index saved under root, None where there is none readable."""
    try:
        return int(json.loads((root / "manifest.json").read_text())["generation"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
