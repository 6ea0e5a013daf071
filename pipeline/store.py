"""Where datasets live and how they are written: atomically, in row groups, against their schema.

Stages write to `<out>/.stages/<name>.parquet`, one row group per batch of documents, so that
every stage's row group i holds the same documents. export publishes the user-facing datasets to
`<out>/<name>.parquet`. A file is written under a temporary name and renamed into place, so a
reader sees the previous complete file or the new one, never half of one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schemas import DATASETS

STAGING = ".stages"


class DatasetWriter:
    """Write one dataset in row groups; the file appears only when the writer closes cleanly."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self._tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self._tmp, schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        """Append one batch as a row group (an empty batch still makes one, to keep alignment)."""
        if not table.schema.equals(self.schema, check_metadata=False):
            table = conform(table, self.schema)
        self._writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._writer.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast a table to a dataset schema; a missing or extra column is a programming error."""
    names = [f.name for f in schema]
    if sorted(table.column_names) != sorted(names):
        raise ValueError(f"columns {table.column_names} do not match the schema's {names}")
    return table.select(names).cast(schema)


class Store:
    """The datasets of one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out / STAGING

    def staged(self, name: str) -> Path:
        return self.staging / f"{name}.parquet"

    def published(self, name: str) -> Path:
        return self.out / f"{name}.parquet"

    def has(self, name: str) -> bool:
        return self.staged(name).is_file()

    def writer(self, name: str, *, published: bool = False) -> DatasetWriter:
        """A writer for a staged dataset, or for a user-facing one (export's own)."""
        path = self.published(name) if published else self.staged(name)
        return DatasetWriter(path, DATASETS[name])

    def row_groups(self, name: str) -> int:
        return pq.ParquetFile(self.staged(name)).num_row_groups

    def iter_groups(self, name: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
        """Yield the dataset one row group (one batch of documents) at a time."""
        f = pq.ParquetFile(self.staged(name))
        for i in range(f.num_row_groups):
            yield f.read_row_group(i, columns=columns)

    def rows(self, name: str) -> int:
        return pq.ParquetFile(self.staged(name)).metadata.num_rows

    def publish(self, name: str) -> None:
        """Make the staged file the user-facing one, atomically (a hard link, else a copy)."""
        src, dst = self.staged(name), self.published(name)
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:
            import shutil

            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
