"""Where every dataset part and state file of an output folder lives, and what is done.

    <out>/<name>.parquet           -> current/<name>.parquet   (what users load)
    <out>/current                  -> .versions/<run id>       (swapped atomically at publish)
    <out>/.versions/<run id>/<name>.parquet/<fingerprint>-<batch>.parquet   hard links to parts
    <out>/.state/parts/<dataset>/<stage fingerprint>/<batch>.parquet        immutable parts
    <out>/.state/ingest.json       the live batches and what was read of each raw file
    <out>/.state/quarantine.parquet   the corpus's quarantine rows, rewritten by every ingest
    <out>/.state/<stage>/          a corpus-level stage's own index
    <out>/runs/<run id>.json       one manifest per run

"Is stage S done for batch B?" has one answer, `Catalog.done`: every dataset S writes per batch
has its part under S's fingerprint. A part is written whole or not at all (store.py), so a part
that exists is a stage's finished work and is never made again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import DATASETS, PUBLISHED
from pipeline.store import link, read_json, tmp_path, write_json, write_table

if TYPE_CHECKING:
    from pipeline.registry import Stage

STATE = ".state"
VERSIONS = ".versions"
CURRENT = "current"
RUNS = "runs"
INGEST_STATE = "ingest.json"
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

    @classmethod
    def from_state(cls, entry: Mapping[str, Any]) -> Batch:
        """A batch as ingest.json lists it: {"id": ..., "docs": [[doc_id, file, record], ...]}."""
        return cls(entry["id"], tuple((d, p, r) for d, p, r in entry["docs"]))

    def to_state(self) -> dict[str, Any]:
        return {"id": self.id, "docs": [list(k) for k in self.docs]}

    def __len__(self) -> int:
        return len(self.docs)

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
    def done(self, stage: Stage, fingerprint: str, batch: Batch | str) -> bool:
        """Whether the stage's work on the batch is there: a part of each dataset it writes."""
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
    ) -> pa.Table:
        return pq.read_table(
            self.part(dataset, fingerprint, batch), columns=columns, schema=DATASETS[dataset]
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


@dataclass(frozen=True)
class Corpus:
    """What a corpus stage is given: the live batches, their parts, and a folder of its own."""

    catalog: Catalog
    batches: tuple[Batch, ...]
    fingerprints: Mapping[str, str]  # dataset -> the fingerprint of the stage that makes it
    index: Path  # <out>/.state/<stage>: the stage's own, kept from run to run

    def read(
        self, dataset: str, columns: list[str] | None = None
    ) -> Iterator[tuple[Batch, pa.Table]]:
        """Each live batch's part of a dataset, in corpus order."""
        fingerprint = self.fingerprints[dataset]
        for batch in self.batches:
            yield batch, self.catalog.read_part(dataset, fingerprint, batch, columns)
