"""Atomic writes: a file is written under a temporary name and renamed into place, so a crash or a
reader never sees half of it. Where each file lives is pipeline/catalog.py's business."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Cast a table to a dataset schema; a missing or extra column is a programming error."""
    names = [f.name for f in schema]
    if sorted(table.column_names) != sorted(names):
        raise ValueError(f"columns {table.column_names} do not match the schema's {names}")
    return table.select(names).cast(schema)


def tmp_path(path: Path) -> Path:
    """The temporary name a file is written under, beside it (a killed run's are `.*.tmp`)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _hashes(typ: pa.DataType) -> bool:
    """Whether a column holds hashes (fixed-size binary, lists of unsigned integers: dedup's
    `shingles`): they never repeat, so neither a dictionary (trying one took half the time of
    writing the dataset) nor compression (it saves nothing on them and slows reading) is used."""
    if pa.types.is_fixed_size_binary(typ):
        return True
    return pa.types.is_large_list(typ) and pa.types.is_unsigned_integer(typ.value_type)


def leaf(field: pa.Field) -> str:
    """A column's values as Parquet names them: a list is a group "list" of one "element" (the
    LIST logical type's three levels), so "signals.list.element.list.element"."""
    path, kind = field.name, field.type
    while pa.types.is_list(kind) or pa.types.is_large_list(kind):
        path, kind = f"{path}.list.element", kind.value_type
    return path


def write_table(path: Path, table: pa.Table, schema: pa.Schema) -> None:
    """Write a whole Parquet file atomically, checked against its schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    if any(_hashes(f.type) for f in schema):  # neither a dictionary nor compression for those
        paths = {leaf(f): _hashes(f.type) for f in schema}
        dictionary: bool | list[str] = [path for path, hashes in paths.items() if not hashes]
        compression: str | dict[str, str] = {
            path: "none" if hashes else "zstd" for path, hashes in paths.items()
        }
    else:
        dictionary, compression = True, "zstd"
    pq.write_table(conform(table, schema), tmp, compression=compression, use_dictionary=dictionary)
    os.replace(tmp, path)


def write_json(path: Path, data: Any, *, readable: bool = True) -> None:
    """Write JSON atomically; readable (indented) for people, compact (and fast) for state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    indent = 1 if readable else None
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=True) + "\n")
    os.replace(tmp, path)


def read_json(path: Path, default: Any) -> Any:
    """A JSON file's data, or the default where there is no such file."""
    if not path.is_file():
        return default
    return json.loads(path.read_text())


def link(src: Path, dst: Path) -> None:
    """A hard link, or a copy across file systems (still atomic at the version level)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
