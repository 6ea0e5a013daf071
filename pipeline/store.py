"""Where datasets live, written so that a crash or a reader never sees half of anything.

    <out>/<name>.parquet           -> current/<name>.parquet   (what users load)
    <out>/current                  -> .versions/<run id>       (swapped atomically at publish)
    <out>/.versions/<run id>/<name>.parquet/<batch>.parquet     hard links to parts
    <out>/.state/parts/<dataset>/<stage fingerprint>/<batch>.parquet   immutable parts
    <out>/.state/batches.json      the live batches, written by ingest
    <out>/runs/<run id>.json       one manifest per run

Every file is written under a temporary name and renamed into place, so it is whole or absent.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import DATASETS, PUBLISHED

STATE = ".state"
VERSIONS = ".versions"
CURRENT = "current"


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast a table to a dataset schema; a missing or extra column is a programming error."""
    names = [f.name for f in schema]
    if sorted(table.column_names) != sorted(names):
        raise ValueError(f"columns {table.column_names} do not match the schema's {names}")
    return table.select(names).cast(schema)


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_table(path: Path, table: pa.Table, schema: pa.Schema) -> None:
    """Write a whole Parquet file atomically, checked against its schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    pq.write_table(conform(table, schema), tmp, compression="zstd")
    os.replace(tmp, path)


def write_json(path: Path, data: Any, *, readable: bool = True) -> None:
    """Write JSON atomically; readable (indented) for people, compact (and fast) for state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    indent = 1 if readable else None
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=True) + "\n")
    os.replace(tmp, path)


class Store:
    """The datasets of one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.state = out / STATE

    # parts ---------------------------------------------------------------------------------
    def part(self, dataset: str, fingerprint: str, batch: str) -> Path:
        return self.state / "parts" / dataset / fingerprint / f"{batch}.parquet"

    def write_part(self, dataset: str, fingerprint: str, batch: str, table: pa.Table) -> int:
        write_table(self.part(dataset, fingerprint, batch), table, DATASETS[dataset])
        return table.num_rows

    def read_part(
        self, dataset: str, fingerprint: str, batch: str, columns: list[str] | None = None
    ) -> pa.Table:
        return pq.read_table(
            self.part(dataset, fingerprint, batch), columns=columns, schema=DATASETS[dataset]
        )

    # state ---------------------------------------------------------------------------------
    def read_state(self, name: str, default: Any) -> Any:
        path = self.state / name
        if not path.is_file():
            return default
        return json.loads(path.read_text())

    def write_state(self, name: str, data: Any) -> None:
        write_json(self.state / name, data, readable=False)  # a corpus's file list: big

    # publishing ----------------------------------------------------------------------------
    def published(self, name: str) -> Path:
        return self.out / f"{name}.parquet"

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
                _link(whole[name], folder / f"{run_id}.parquet")
                continue
            sources = sorted(parts.get(name, []))
            for src in sources:  # <fingerprint>-<batch>: a name always means the same bytes
                _link(src, folder / f"{src.parent.name}-{src.name}")
            if not sources:  # an empty dataset still has its columns
                pq.write_table(DATASETS[name].empty_table(), folder / "empty.parquet")
        link = self.out / CURRENT
        tmp = _tmp(link)
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(Path(VERSIONS) / run_id)
        os.replace(tmp, link)
        for name in PUBLISHED:
            path = self.published(name)
            if path.is_symlink():
                continue
            if path.is_dir():
                shutil.rmtree(path)
            tmp = _tmp(path)
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(Path(CURRENT) / path.name)
            os.replace(tmp, path)

    def current_version(self) -> str | None:
        link = self.out / CURRENT
        return os.readlink(link).rsplit("/", 1)[-1] if link.is_symlink() else None

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


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system: a copy is still atomic at the version level
        shutil.copyfile(src, dst)
