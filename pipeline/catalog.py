"""Where every dataset part and state file of an output folder lives, and what is done.

    <out>/<name>.parquet           -> current/<name>.parquet   (what users load)
    <out>/current                  -> .versions/<run id>       (swapped atomically at publish)
    <out>/.versions/<run id>/<name>.parquet/<fingerprint>-<batch>.parquet   hard links to parts
    <out>/.state/parts/<dataset>/<stage fingerprint>/<batch>.parquet        immutable parts
    <out>/.state/ingest.json       the live batches and what was read of each raw file
    <out>/.state/quarantine.parquet   the corpus's quarantine rows, rewritten by every ingest
    <out>/.state/<stage>/          a corpus-level stage's own index
    <out>/.state/marks/<stage>.json   a corpus stage's mark for each batch (see below)
    <out>/runs/<run id>.json       one manifest per run

"Is stage S done for batch B?" has one answer, `Catalog.done`: every dataset S writes per batch
has its part under S's fingerprint. A part is written whole or not at all (store.py), so a part
that exists is a stage's finished work and is never made again.

A corpus stage (dedup) writes per-batch parts too, but what it writes for a batch depends on the
whole corpus: a copy arriving in another batch changes it. So each batch carries the corpus
stage's *mark* for it (a digest of the rows it wrote for the batch), and the parts of that stage
and of every stage after it are named by their stage's fingerprint chained with the mark
(pipeline/fingerprints.py). A batch whose rows changed gets new part names, so its downstream
work is redone and the old parts are never served; a batch whose rows did not change keeps its
names and is not touched. A batch without a mark has not been through the corpus stage: it is
not done for that stage or any after it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import DATASETS, PUBLISHED
from pipeline.store import leaf, link, read_json, tmp_path, write_json, write_table

if TYPE_CHECKING:
    from pipeline.registry import Stage

STATE = ".state"
VERSIONS = ".versions"
CURRENT = "current"
RUNS = "runs"
INGEST_STATE = "ingest.json"
INDEX_STATE = "state.json"  # in a corpus stage's folder: its fingerprint and whether complete
# Datasets written whole for the corpus, not in parts per batch: ingest's quarantine.
WHOLE = {"quarantine": "quarantine.parquet"}

Key = tuple[str, str, int | None]  # a live document: its id, its file, its record in the file


@dataclass(frozen=True)
class Batch:
    """Some documents that go through the batch stages together.

    `id` is a hash of the documents' keys (ingest.batch_id), so the same documents make the same
    batch, in this run or the next, and a batch's parts never go stale.
    """

    id: str
    docs: tuple[Key, ...]
    # (corpus stage, its mark for this batch): set by the runner from the catalog, never stored
    # in ingest.json (see the module's docstring)
    marks: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_state(cls, entry: Mapping[str, Any]) -> Batch:
        """A batch as ingest.json lists it: {"id": ..., "docs": [[doc_id, file, record], ...]}."""
        return cls(entry["id"], tuple((d, p, r) for d, p, r in entry["docs"]))

    def to_state(self) -> dict[str, Any]:
        return {"id": self.id, "docs": [list(k) for k in self.docs]}

    def __len__(self) -> int:
        return len(self.docs)

    def mark(self, stage: str) -> str | None:
        """The corpus stage's mark for this batch; None if it has not been through it."""
        return dict(self.marks).get(stage)

    def marked(self, stage: str, mark: str | None) -> Batch:
        """The same batch with the corpus stage's mark set (None: taken off)."""
        marks = {**dict(self.marks), stage: mark}
        kept = tuple(sorted((s, m) for s, m in marks.items() if m is not None))
        return Batch(self.id, self.docs, kept)

    @cached_property
    def files(self) -> frozenset[str]:
        """The raw files (paths under --raw) its documents come from."""
        return frozenset(p for _, p, _ in self.docs)


class Catalog:
    """The datasets and state of one output folder: their paths, reads, writes and done-ness."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.state = out / STATE

    # where things are ------------------------------------------------------------------------
    def part(self, dataset: str, fingerprint: str, batch: Batch | str) -> Path:
        bid = batch if isinstance(batch, str) else batch.id
        return self.state / "parts" / dataset / fingerprint / f"{bid}.parquet"

    def whole(self, dataset: str) -> Path:
        """A dataset written whole for the corpus (the quarantine)."""
        return self.state / WHOLE[dataset]

    def index(self, stage: str) -> Path:
        """The folder a corpus-level stage keeps its own index in."""
        return self.state / stage

    def published(self, name: str) -> Path:
        return self.out / f"{name}.parquet"

    def manifest(self, run_id: str) -> Path:
        return self.out / RUNS / f"{run_id}.json"

    def manifests(self) -> list[Path]:
        """Every run's manifest, oldest first."""
        return sorted((self.out / RUNS).glob("*.json"))

    # done? ------------------------------------------------------------------------------------
    def done(self, stage: Stage, fingerprint: str | None, batch: Batch | str) -> bool:
        """Whether the stage's work on the batch is there: a part of each dataset it writes.

        `fingerprint` is the one its parts for this batch are named by (fingerprints.of); None
        when a corpus stage before it has not marked the batch: not done."""
        if fingerprint is None:
            return False
        return all(
            self.part(d, fingerprint, batch).is_file() for d in stage.writes if d not in WHOLE
        )

    # batches ----------------------------------------------------------------------------------
    def ingest_state(self) -> dict[str, Any] | None:
        """ingest.json as the last ingest left it; None if nothing was ever ingested."""
        state = self.read_state(INGEST_STATE, None)
        return state if isinstance(state, dict) else None

    def batches(self) -> list[Batch] | None:
        """The live batches, in corpus order; None if nothing was ever ingested."""
        state = self.ingest_state()
        if state is None:
            return None
        return [Batch.from_state(b) for b in state.get("batches", ())]

    def write_ingest_state(self, state: Mapping[str, Any]) -> None:
        self.write_state(INGEST_STATE, state)

    # a corpus stage's marks ------------------------------------------------------------------
    def marks(self, stage: str, batches: Iterable[Batch]) -> list[Batch]:
        """The batches with the corpus stage's marks as its last run left them.

        The marks hold only for the live batches the stage last saw: once a batch has come or
        gone (a run --to strip since), every batch loses its mark, as any may have changed."""
        batches = list(batches)
        try:
            state = self.read_state(f"marks/{stage}.json", {})
        except ValueError:  # a damaged file: as if the stage had never run
            state = {}
        marks = state.get("marks", {}) if isinstance(state, dict) else {}
        if not isinstance(marks, dict) or state.get("corpus") != _corpus_digest(batches):
            marks = {}
        return [b.marked(stage, marks.get(b.id)) for b in batches]

    def write_marks(self, stage: str, batches: Iterable[Batch]) -> None:
        """Keep the corpus stage's marks of the live batches for the runs after this one."""
        batches = list(batches)
        state = {
            "corpus": _corpus_digest(batches),
            "marks": {b.id: b.mark(stage) for b in batches if b.mark(stage) is not None},
        }
        if [b.mark(stage) for b in self.marks(stage, batches)] != [b.mark(stage) for b in batches]:
            self.write_state(f"marks/{stage}.json", state)

    # parts and state --------------------------------------------------------------------------
    def write_part(
        self, dataset: str, fingerprint: str, batch: Batch | str, table: pa.Table
    ) -> int:
        write_table(self.part(dataset, fingerprint, batch), table, DATASETS[dataset])
        return table.num_rows

    def read_part(
        self,
        dataset: str,
        fingerprint: str,
        batch: Batch | str,
        columns: list[str] | None = None,
        encoded: Sequence[str] = (),
    ) -> pa.Table:
        """A part as its schema has it; the string values of the `encoded` columns (at any depth
        of lists) as Arrow dictionaries, as Parquet stores them: no string made for each one."""
        schema = DATASETS[dataset]
        return pq.read_table(
            self.part(dataset, fingerprint, batch),
            columns=columns,
            schema=dictionaries(schema, encoded) if encoded else schema,
            read_dictionary=[leaf(schema.field(name)) for name in encoded] or None,
        )

    def write_whole(self, dataset: str, table: pa.Table) -> None:
        write_table(self.whole(dataset), table, DATASETS[dataset])

    def read_state(self, name: str, default: Any) -> Any:
        return read_json(self.state / name, default)

    def write_state(self, name: str, data: Any) -> None:
        write_json(self.state / name, data, readable=False)  # a corpus's file list: big

    # publishing ------------------------------------------------------------------------------
    def publish(
        self, run_id: str, parts: dict[str, Iterable[Path]], whole: dict[str, Path]
    ) -> None:
        """Make a new version from hard links to parts, then switch `current` to it at once."""
        version = self.out / VERSIONS / run_id
        shutil.rmtree(version, ignore_errors=True)
        for name in PUBLISHED:
            folder = version / f"{name}.parquet"
            folder.mkdir(parents=True)
            if name in whole:
                link(whole[name], folder / f"{run_id}.parquet")
                continue
            sources = sorted(parts.get(name, []))
            for src in sources:  # <fingerprint>-<batch>: a name always means the same bytes
                link(src, folder / f"{src.parent.name}-{src.name}")
            if not sources:  # an empty dataset still has its columns
                pq.write_table(DATASETS[name].empty_table(), folder / "empty.parquet")
        current = self.out / CURRENT
        tmp = tmp_path(current)
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(Path(VERSIONS) / run_id)
        os.replace(tmp, current)
        for name in PUBLISHED:
            path = self.published(name)
            if path.is_symlink():
                continue
            if path.is_dir():
                shutil.rmtree(path)
            tmp = tmp_path(path)
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(Path(CURRENT) / path.name)
            os.replace(tmp, path)

    def current(self) -> Path:
        """The `current` link, to the published version."""
        return self.out / CURRENT

    def current_version(self) -> str | None:
        current = self.current()
        return os.readlink(current).rsplit("/", 1)[-1] if current.is_symlink() else None

    def collect_garbage(self, live: set[Path], keep_versions: int = 2) -> None:
        """Delete parts no live batch uses, and versions but the newest (readers may hold them)."""
        versions = sorted((self.out / VERSIONS).glob("*"), key=lambda p: p.stat().st_mtime)
        current = self.current_version()
        for old in versions[:-keep_versions]:
            if old.name != current:
                shutil.rmtree(old, ignore_errors=True)
        parts = self.state / "parts"
        for path in parts.glob("*/*/*.parquet") if parts.is_dir() else []:
            if path not in live:
                path.unlink(missing_ok=True)
        for folder in parts.glob("*/*") if parts.is_dir() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def clean_temporary(self) -> None:
        """Remove what a killed run left half-written (every write goes through a .tmp name)."""
        for root in (self.state, self.out / VERSIONS):
            if root.is_dir():
                for tmp in root.rglob(".*.tmp"):
                    if tmp.is_dir():
                        shutil.rmtree(tmp, ignore_errors=True)
                    else:
                        tmp.unlink(missing_ok=True)


_READERS = 4  # threads reading a dataset's parts
_READ_AHEAD = 8  # parts read before they are asked for (at most)


def dictionaries(schema: pa.Schema, names: Sequence[str]) -> pa.Schema:
    """`schema` with the string values of the columns `names` (at any depth of lists) as
    dictionaries of int32 indices, as Parquet reads them back with read_dictionary."""
    fields = [f.with_type(_dictionary(f.type)) if f.name in names else f for f in schema]
    return pa.schema(fields, metadata=schema.metadata)


def _dictionary(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_list(kind):
        return pa.list_(kind.value_field.with_type(_dictionary(kind.value_type)))
    assert pa.types.is_string(kind), kind
    return pa.dictionary(pa.int32(), kind)


def _corpus_digest(batches: list[Batch]) -> str:
    ids = json.dumps(sorted(b.id for b in batches)).encode()
    return hashlib.sha256(ids).hexdigest()[:16]


@dataclass
class Corpus:
    """What a corpus stage is given: the live batches, their parts, and a folder of its own.

    The stage writes its per-batch parts through `write`, which marks the batch with a digest of
    its rows; the runner keeps the marks (`Catalog.write_marks`) and names the parts of the
    stages after it by them."""

    catalog: Catalog
    batches: list[Batch]
    fingerprints: Mapping[str, str]  # dataset -> the fingerprint of the stage that makes it
    index: Path  # <out>/.state/<stage>: the stage's own, kept from run to run
    stage: Stage | None = None  # the corpus stage itself (None: a view only to read)
    stage_fingerprints: Mapping[str, str] = field(default_factory=dict)  # stage -> fingerprint
    force: bool = False  # --force: build its index again from the corpus
    processes: int = 1  # of this machine, for its pure work (engine/spread.py)
    # dataset -> the stage that makes it, where its parts' names chain a corpus stage's mark
    makers: Mapping[str, str] = field(default_factory=dict)
    # what `write` wrote this run: the positions of the batches, rows per dataset
    written: set[int] = field(default_factory=set)
    rows: Counter[str] = field(default_factory=Counter)

    def read(
        self,
        dataset: str,
        columns: list[str] | None = None,
        batches: Iterable[Batch] | None = None,
        encoded: Sequence[str] = (),
    ) -> Iterator[tuple[Batch, pa.Table]]:
        """Each live batch's part of a dataset (or the given batches'), in corpus order.

        A few parts ahead are read on threads (Parquet's decoding leaves the interpreter free):
        reading the 88 `signals` parts of the 20,000-document benchmark one after another took
        twice as long. `encoded`: read_part's."""
        chosen = list(self.batches if batches is None else batches)

        def one(batch: Batch) -> pa.Table:
            fingerprint = self.part_fingerprint(dataset, batch)
            return self.catalog.read_part(dataset, fingerprint, batch, columns, encoded)

        with ThreadPoolExecutor(_READERS) as pool:
            ahead: deque[tuple[Batch, Future[pa.Table]]] = deque()
            for batch in chosen:
                ahead.append((batch, pool.submit(one, batch)))
                if len(ahead) > _READ_AHEAD:
                    done, part = ahead.popleft()
                    yield done, part.result()
            while ahead:
                done, part = ahead.popleft()
                yield done, part.result()

    def part_fingerprint(self, dataset: str, batch: Batch) -> str:
        """The name of a batch's part of a dataset the stage reads: its maker's fingerprint,
        chained with the marks of the corpus stages before that (pair reads export's parts,
        which dedup's mark names)."""
        from pipeline.fingerprints import of

        maker = self.makers.get(dataset)
        if maker is None:
            return self.fingerprints[dataset]
        fingerprint = of(self.stage_fingerprints, maker, batch)
        assert fingerprint is not None, f"{dataset} read for a batch no corpus stage marked"
        return fingerprint

    @property
    def fingerprint(self) -> str:
        """The corpus stage's own fingerprint (its settings and those of the stages before it)."""
        assert self.stage is not None
        return self.stage_fingerprints[self.stage.name]

    def unusable_index(self) -> str | None:
        """Why the stage's own folder cannot serve this run: "" when there is none or --force
        asks for a new one (start afresh, nothing to say), a reason when its last write did not
        finish or it was made under another fingerprint, None when it may be read (the stage
        may still find it unreadable). Its `INDEX_STATE` file says so (`writing_index`)."""
        try:
            state = read_json(self.index / INDEX_STATE, None)
        except ValueError:
            state = "damaged"
        if state is None or self.force:
            return ""
        if not isinstance(state, dict) or not state.get("complete"):
            return "its last write did not finish"
        if state.get("fingerprint") != self.fingerprint:
            return "the settings it depends on changed"
        return None

    @contextmanager
    def writing_index(self) -> Iterator[Path]:
        """Write the stage's own folder: marked unfinished until the block ends without error."""
        self.index.mkdir(parents=True, exist_ok=True)
        write_json(self.index / INDEX_STATE, {"fingerprint": self.fingerprint, "complete": False})
        yield self.index
        write_json(self.index / INDEX_STATE, {"fingerprint": self.fingerprint, "complete": True})

    def done(self, position: int) -> bool:
        """Whether the stage is done for the batch at `position` (Catalog.done)."""
        from pipeline.fingerprints import of

        assert self.stage is not None
        batch = self.batches[position]
        return self.catalog.done(
            self.stage, of(self.stage_fingerprints, self.stage.name, batch), batch
        )

    def write(self, position: int, tables: Mapping[str, pa.Table]) -> bool:
        """The stage's rows for the batch at `position`: mark it with their digest and write
        them, unless parts with those very rows are there already (and the run is not forced);
        whether anything was written."""
        from pipeline.fingerprints import mark, of

        assert self.stage is not None
        batch = self.batches[position].marked(self.stage.name, mark(tables))
        self.batches[position] = batch
        fingerprint = of(self.stage_fingerprints, self.stage.name, batch)
        assert fingerprint is not None
        wrote = False
        for dataset, table in tables.items():
            if self.force or not self.catalog.part(dataset, fingerprint, batch).is_file():
                self.rows[dataset] += self.catalog.write_part(dataset, fingerprint, batch, table)
                self.written.add(position)
                wrote = True
        return wrote
