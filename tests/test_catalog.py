"""The catalog: where parts and state live, the typed Batch, and the one answer to "done?"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.catalog import Batch, Catalog
from pipeline.registry import stage
from pipeline.schemas import DATASETS

DOCS = (("d1", "a.txt", None), ("d2", "feed.jsonl", 0), ("d3", "feed.jsonl", 2))


def _empty(dataset: str) -> pa.Table:
    return DATASETS[dataset].empty_table()


def test_a_batch_reads_and_writes_ingest_json_as_it_was_written() -> None:
    entry = {"id": "b1", "docs": [list(k) for k in DOCS]}
    batch = Batch.from_state(json.loads(json.dumps(entry)))
    assert batch == Batch("b1", DOCS)
    assert batch.to_state() == entry
    assert len(batch) == 3 and batch.files == {"a.txt", "feed.jsonl"}


def test_a_batch_is_frozen_and_hashable() -> None:
    batch = Batch("b1", DOCS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        batch.id = "b2"  # type: ignore[misc]
    assert {batch, Batch("b1", DOCS)} == {batch}


def test_a_stage_is_done_for_a_batch_when_every_part_it_writes_is_there(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    batch, other = Batch("b1", DOCS), Batch("b2", DOCS[:1])
    export = stage("export")  # writes three datasets per batch
    assert not catalog.done(export, "fp", batch)
    for name in export.writes[:-1]:
        catalog.write_part(name, "fp", batch, _empty(name))
    assert not catalog.done(export, "fp", batch)  # one part missing: not done
    catalog.write_part(export.writes[-1], "fp", batch, _empty(export.writes[-1]))
    assert catalog.done(export, "fp", batch) and catalog.done(export, "fp", "b1")
    assert not catalog.done(export, "other fingerprint", batch)  # settings changed: not done
    assert not catalog.done(export, "fp", other)


def test_ingest_is_done_for_a_batch_with_its_documents_part(tmp_path: Path) -> None:
    """ingest's quarantine is written whole for the corpus, not per batch: done? ignores it."""
    catalog = Catalog(tmp_path)
    batch = Batch("b1", DOCS)
    assert not catalog.done(stage("ingest"), "fp", batch)
    catalog.write_part("documents", "fp", batch, _empty("documents"))
    assert catalog.done(stage("ingest"), "fp", batch)


def test_the_catalog_lists_the_batches_ingest_left(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    assert catalog.batches() is None  # nothing ingested yet
    catalog.write_ingest_state({"batches": [Batch("b1", DOCS).to_state()]})
    assert catalog.batches() == [Batch("b1", DOCS)]
    assert (tmp_path / ".state" / "ingest.json").is_file()


def test_every_file_of_the_layout_has_one_place(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path)
    assert catalog.part("tokens", "fp", Batch("b1", DOCS)) == (
        tmp_path / ".state" / "parts" / "tokens" / "fp" / "b1.parquet"
    )
    assert catalog.whole("quarantine") == tmp_path / ".state" / "quarantine.parquet"
    assert catalog.index("dedup") == tmp_path / ".state" / "dedup"
    assert catalog.published("articles") == tmp_path / "articles.parquet"
    assert catalog.manifest("r1") == tmp_path / "runs" / "r1.json"
    assert catalog.current() == tmp_path / "current"
