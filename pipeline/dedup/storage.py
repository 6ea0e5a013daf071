"""The dedup index's parts as they lie on disk, read through memory maps and appended to.

- `Column`: fixed-width values per document row (dates, chunk counts, exact keys); the saved
  rows are a memory map of a raw file, the rows added since are in memory, and a save appends
  them. Bytes past the length the manifest gives (a save that crashed) are ignored and
  overwritten.
- `Strings`: a string per row (doc ids, bodies): a column of where each ends in one UTF-8 blob,
  so that reading a candidate's body reads that body only.
- `Runs`: the sorted (key, row) runs of one LSH band, LSM style: a lookup searches every run,
  each `add` makes a new small run, and a run is merged with the one before it when that one is
  less than `GROWTH` times its size. Runs stay few (sizes grow geometrically), a key is rewritten
  O(log n) times over its life, and placing 1,000 documents never rewrites a million keys.
  Saved runs are .npy files opened with `np.load(mmap_mode="r")`: a lookup touches the pages of
  its binary searches only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

GROWTH = 4
_BATCH = 65_536  # strings encoded per write when a save appends many


def _mapped(path: Path, dtype: np.dtype, count: int, width: int = 1) -> np.ndarray:
    """The first count rows of a raw file as a read-only memory map (checked for length)."""
    shape = (count, width) if width > 1 else (count,)
    if count == 0:
        return np.zeros(shape, dtype=dtype)
    need = count * width * dtype.itemsize
    if path.stat().st_size < need:
        raise ValueError(f"{path.name} holds {path.stat().st_size} bytes, the manifest says {need}")
    # a plain ndarray over the map: np.memmap's own indexing costs microseconds a call
    return np.memmap(path, dtype=dtype, mode="r", shape=shape).view(np.ndarray)


def _mask(keep: np.ndarray) -> pa.BooleanArray:
    """An Arrow mask from numpy bools (pa.array would import pandas: 0.4 s of a 1 s load)."""
    bits = np.packbits(np.asarray(keep, dtype=bool), bitorder="little")
    return pa.BooleanArray.from_buffers(pa.bool_(), len(keep), [None, pa.py_buffer(bits)])


def _load(path: Path) -> np.ndarray:
    """A saved .npy as a read-only memory map (a plain ndarray view of it)."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False)).view(np.ndarray)


def _touched(path: Path) -> Path:
    path.touch()
    return path


def _append(path: Path, start: int, data: bytes | memoryview) -> None:
    """Write data at byte `start` of path, dropping whatever lay past it."""
    with open(path, "r+b" if path.exists() else "wb") as f:
        f.truncate(start)
        f.seek(start)
        f.write(data)


class Column:
    """Fixed-width values per row: a memory map of the saved rows and the rows added since."""

    def __init__(self, dtype: type | np.dtype, width: int = 1) -> None:
        self.dtype = np.dtype(dtype)
        self.width = width
        self.saved: np.ndarray = self._empty()
        self.tail: np.ndarray = self._empty()

    def _empty(self) -> np.ndarray:
        return np.zeros((0, self.width) if self.width > 1 else 0, dtype=self.dtype)

    def __len__(self) -> int:
        return len(self.saved) + len(self.tail)

    def open(self, path: Path, count: int) -> None:
        self.saved, self.tail = _mapped(path, self.dtype, count, self.width), self._empty()

    def extend(self, values: np.ndarray) -> None:
        self.tail = np.concatenate([self.tail, np.asarray(values, dtype=self.dtype)])

    def take(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if not len(self.tail):
            return np.asarray(self.saved[rows])
        out = np.empty((len(rows), *self.tail.shape[1:]), dtype=self.dtype)
        old = rows < len(self.saved)
        out[old] = self.saved[rows[old]]
        out[~old] = self.tail[rows[~old] - len(self.saved)]
        return out

    def flush(self, path: Path) -> None:
        """Append the new rows to path (its first len(saved) rows are ours) and map them."""
        count = len(self)
        if len(self.tail):
            _append(path, len(self.saved) * self.width * self.dtype.itemsize, self.tail.tobytes())
        self.open(path, count)


class Strings:
    """A string per row: where each ends in one UTF-8 blob, and the strings added since."""

    def __init__(self) -> None:
        self.ends = Column(np.int64)
        self.blob: np.ndarray = np.zeros(0, dtype=np.uint8)
        self.tail: list[str] = []

    def __len__(self) -> int:
        return len(self.ends.saved) + len(self.tail)

    def _size(self) -> int:
        return int(self.ends.saved[-1]) if len(self.ends.saved) else 0

    def open(self, ends: Path, blob: Path, count: int) -> None:
        self.ends.open(ends, count)
        self.blob = _mapped(blob, np.dtype(np.uint8), self._size())
        self.tail = []

    def extend(self, values: list[str]) -> None:
        self.tail += values

    def take(self, rows: np.ndarray) -> list[str]:
        rows = np.asarray(rows, dtype=np.int64)
        saved = len(self.ends.saved)
        old = rows[rows < saved]
        ends = self.ends.saved[old].tolist()
        starts = np.where(old > 0, self.ends.saved[np.maximum(old - 1, 0)], 0).tolist()
        found = iter(
            [self.blob[a:b].tobytes().decode("utf-8") for a, b in zip(starts, ends, strict=True)]
        )
        return [next(found) if row < saved else self.tail[row - saved] for row in rows.tolist()]

    def _arrow(self) -> pa.LargeStringArray:
        """The saved strings as one Arrow array over the mapped files (no copy)."""
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), self.ends.saved])
        return pa.LargeStringArray.from_buffers(
            len(self.ends.saved), pa.py_buffer(offsets), pa.py_buffer(self.blob)
        )

    def all(self, keep: np.ndarray) -> list[str]:
        """The strings of the rows where keep (a bool per row) is set, in row order."""
        saved = len(self.ends.saved)
        out: list[str] = self._arrow().filter(_mask(keep[:saved])).to_pylist() if saved else []
        return out + [s for s, k in zip(self.tail, keep[saved:], strict=True) if k]

    def write(self, keep: np.ndarray, ends: Path, blob: Path) -> None:
        """Write the strings of the kept rows afresh as ends and blob (a compacted copy), in
        slices, so that a blob of gigabytes is never held in memory whole."""
        out = Strings()
        saved = len(self.ends.saved)
        array = self._arrow() if saved else None
        end = 0
        for i in range(0, saved, _BATCH):
            assert array is not None
            part = array.slice(i, _BATCH).filter(_mask(keep[i : min(i + _BATCH, saved)]))
            if not len(part):
                continue
            buffers = part.buffers()
            offsets = np.frombuffer(buffers[1], dtype=np.int64)[
                part.offset : part.offset + len(part) + 1
            ]
            first, last = int(offsets[0]), int(offsets[-1])
            data = memoryview(buffers[2])[first:last] if buffers[2] is not None else b""
            _append(blob, end, data)
            out.ends.extend(end + offsets[1:] - first)
            end += last - first
        out.ends.flush(ends)
        out.open(ends, blob if end else _touched(blob), len(out.ends))
        out.extend([s for s, k in zip(self.tail, keep[saved:], strict=True) if k])
        out.flush(ends, blob)

    def flush(self, ends: Path, blob: Path) -> None:
        """Append the new strings to the blob and their ends to the ends file, then map them."""
        end = self._size()
        for i in range(0, len(self.tail), _BATCH):
            encoded = [s.encode("utf-8") for s in self.tail[i : i + _BATCH]]
            _append(blob, end, b"".join(encoded))
            after = end + np.cumsum([len(e) for e in encoded], dtype=np.int64)
            self.ends.extend(after)
            end = int(after[-1])
        if not blob.exists():
            blob.touch()
        self.ends.flush(ends)
        self.blob = _mapped(blob, np.dtype(np.uint8), end)
        self.tail = []


@dataclass
class Run:
    """One sorted run: keys and the rows that carry them; `name` once it is saved."""

    keys: np.ndarray
    rows: np.ndarray
    name: str | None = None

    def __len__(self) -> int:
        return len(self.keys)


def _ranges_from_one(counts: np.ndarray) -> np.ndarray:
    """1 .. count for each count, one after the other."""
    total = int(counts.sum())
    return np.arange(1, total + 1, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _merge(runs: list[Run], alive: np.ndarray) -> Run:
    keys = np.concatenate([r.keys for r in runs])
    rows = np.concatenate([r.rows for r in runs])
    keep = alive[rows]
    keys, rows = keys[keep], rows[keep]
    order = np.argsort(keys, kind="stable")
    return Run(keys[order], rows[order])


class Runs:
    """One LSH band (or the exact keys, or the doc-id hashes): sorted runs of (key, row)."""

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (index into keys, row) where a run holds that key."""
        found_at: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        found: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        for run in self.runs:
            lo = np.searchsorted(run.keys, keys, "left")
            hi = np.searchsorted(run.keys, keys, "right")
            counts = hi - lo
            total = int(counts.sum())
            if not total:
                continue
            starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
            found_at.append(np.repeat(np.arange(len(keys)), counts))
            found.append(np.asarray(run.rows[np.arange(total) + starts], dtype=np.int64))
        return np.concatenate(found_at), np.concatenate(found)

    def add(self, keys: np.ndarray, rows: np.ndarray, alive: np.ndarray) -> np.ndarray:
        """Insert (key, row) pairs; return the (row, older row) pairs that share a key, the
        older rows dead or alive (alive, a bool per row, says which rows a merge keeps)."""
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at, old = self.lookup(keys)
        pairs = [np.stack([rows[at], old], axis=1)]
        # pairs among the new rows: equal keys lie next to each other once sorted, so each
        # position pairs with the positions after it up to the end of its run of equal keys
        if len(keys):
            starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
            ends = np.repeat(
                np.append(starts[1:], len(keys)), np.diff(np.append(starts, len(keys)))
            )
            after = ends - np.arange(len(keys)) - 1
            first = np.repeat(np.arange(len(keys)), after)
            second = first + _ranges_from_one(after)
            pairs.append(np.stack([rows[first], rows[second]], axis=1))
        self.insert(keys, rows, alive, presorted=True)
        return np.concatenate(pairs)

    def insert(
        self, keys: np.ndarray, rows: np.ndarray, alive: np.ndarray, presorted: bool = False
    ) -> None:
        """Insert (key, row) pairs as a new run, merging runs of like size."""
        if not len(keys):
            return
        if not presorted:
            order = np.argsort(keys, kind="stable")
            keys, rows = keys[order], rows[order]
        self.runs.append(Run(keys, rows.astype(np.int64)))
        while len(self.runs) > 1 and len(self.runs[-2]) < GROWTH * len(self.runs[-1]):
            self.runs[-2:] = [_merge(self.runs[-2:], alive)]

    def compact(self, alive: np.ndarray, renumber: np.ndarray) -> None:
        """One run of the live rows, renumbered (renumber: old row -> new row)."""
        run = _merge(self.runs, alive) if self.runs else None
        self.runs = [Run(run.keys, renumber[run.rows])] if run is not None and len(run) else []

    def open(self, folder: Path, names: list[str], rows: int) -> None:
        self.runs = []
        for name in names:
            keys = _load(folder / f"{name}.keys.npy")
            found = _load(folder / f"{name}.rows.npy")
            if keys.dtype != np.uint64 or found.dtype != np.int64 or keys.shape != found.shape:
                raise ValueError(f"{folder.name}/{name}: not a run of uint64 keys and int64 rows")
            if len(found) and not (0 <= found[0] < rows and 0 <= found[-1] < rows):
                raise ValueError(f"{folder.name}/{name}: rows past the {rows} documents")
            self.runs.append(Run(keys, found, name))

    def flush(self, folder: Path, prefix: str) -> list[str]:
        """Write the runs not yet saved as .npy files; return the names of every run."""
        folder.mkdir(exist_ok=True)
        for i, run in enumerate(self.runs):
            if run.name is None:
                run.name = f"{prefix}-{i}"
                np.save(folder / f"{run.name}.keys.npy", run.keys)
                np.save(folder / f"{run.name}.rows.npy", run.rows)
                run.keys = _load(folder / f"{run.name}.keys.npy")
                run.rows = _load(folder / f"{run.name}.rows.npy")
        return [r.name for r in self.runs if r.name is not None]


def replace(path: Path, text: str) -> None:
    """Write a small file atomically (the manifest: the commit point of a save)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
