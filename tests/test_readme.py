"""The README tells the truth about the schemas, the stages and the two commands."""

from pipeline.registry import STAGES
from pipeline.schemas import DATASETS, markdown_table
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_dataset_table_is_the_schema() -> None:
    for name in DATASETS:
        if name == "final_segments":  # published as segments, with the same schema
            continue
        assert f"### `{name}`\n\n{markdown_table(name)}\n" in README, name


def test_every_stage_is_described_with_its_datasets() -> None:
    for stage in STAGES:
        reads = ", ".join(stage.reads) or "the raw folder"
        writes = ", ".join(stage.writes)
        assert f"| {stage.name} | {reads} | {writes} |" in README, stage.name


def test_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
