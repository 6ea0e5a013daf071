"""The catalog: where parts and state live, the typed Batch, and the one answer to "done?"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.catalog import Batch, Catalog, Corpus
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


def test_a_corpus_reads_every_part_in_its_order_and_strings_as_dictionaries(
    tmp_path: Path,
) -> None:
    """Parts are read ahead on threads, yet come in the corpus's order (more of them than are
    read ahead); `encoded` gives a column's strings as dictionaries of the same values."""
    catalog = Catalog(tmp_path)
    batches = [Batch(f"b{n:02d}", ((f"d{n}", "a.txt", None),)) for n in range(21)]
    for n, batch in enumerate(batches):
        table = pa.table(
            {
                "doc_id": [f"d{n}"], "lang": ["ko"], "published_date": [None], "seg_ids": [[0]],
                "reporters": [["kim"] * (n % 2)], "kinds": [["text"]], "lines": [[0]],
                "sizes": [[n]], "signals": [[[f"n:{n}", "p:kimkj"]]], "speakers": [[[]]],
            },
            schema=DATASETS["signals"],
        )  # fmt: skip
        catalog.write_part("signals", "fp", batch, table)
    corpus = Corpus(catalog, batches, {"signals": "fp"}, tmp_path / "index")
    plain = list(corpus.read("signals"))
    assert [b for b, _ in plain] == batches
    assert [t["doc_id"].to_pylist() for _, t in plain] == [[f"d{n}"] for n in range(21)]
    encoded = list(corpus.read("signals", ["doc_id", "signals"], encoded=["signals"]))
    assert [b for b, _ in encoded] == batches
    for (_, a), (_, b) in zip(plain, encoded, strict=True):
        values = b["signals"].combine_chunks().flatten().flatten()
        assert pa.types.is_dictionary(values.type) and b.column_names == ["doc_id", "signals"]
        assert values.dictionary_decode().to_pylist() == [f"n:{a['sizes'][0][0]}", "p:kimkj"]
    some = list(corpus.read("signals", ["doc_id"], batches[3:5]))
    assert [t["doc_id"].to_pylist() for _, t in some] == [["d3"], ["d4"]]
