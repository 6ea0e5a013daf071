"""What a run has to do: each stage's fingerprint, the batches, and which of them are not done.

A stage's output for a batch is one part named by the batch and by the stage's fingerprint
(pipeline/fingerprints.py: `of`, which chains a corpus stage's mark for the batch from that stage
on). The catalog says whether a part is there (`Catalog.done`); nothing here writes.
"""

from __future__ import annotations

from pipeline import registry
from pipeline.catalog import Batch
from pipeline.context import Context
from pipeline.errors import MissingInputError
from pipeline.fingerprints import fingerprints, of
from pipeline.registry import Stage, maker

__all__ = ["check_inputs", "fingerprints", "known_batches", "marked", "pending", "steps"]


def missing(stage: Stage, dataset: str) -> MissingInputError:
    by = maker(dataset).name
    return MissingInputError(
        f"{stage.name} needs {dataset}, which the stage {by} makes: run it first"
    )


def known_batches(ctx: Context, first: Stage) -> list[Batch]:
    """The batches the last ingest left; none at all is an error naming what `first` needs."""
    batches = ctx.catalog.batches()
    if batches is None:
        raise missing(first, first.reads[-1])
    return batches


def check_inputs(
    stages: tuple[Stage, ...], ctx: Context, fps: dict[str, str], batches: list[Batch]
) -> None:
    """Every dataset a stage reads is made by an earlier selected stage, or is there already."""
    made: set[str] = set()
    for stage in stages:
        for name in stage.reads:
            if name in made:
                continue
            producer = maker(name)
            if not all(ctx.catalog.done(producer, of(fps, producer.name, b), b) for b in batches):
                raise missing(stage, name)
        made.update(stage.writes)


def pending(
    stages: tuple[Stage, ...], ctx: Context, fps: dict[str, str], batches: list[Batch]
) -> list[Batch]:
    """The batches some of the stages are not done for, in corpus order."""
    return [
        b for b in batches if not all(ctx.catalog.done(s, of(fps, s.name, b), b) for s in stages)
    ]


def marked(ctx: Context, batches: list[Batch]) -> list[Batch]:
    """The batches with every corpus stage's marks as the catalog keeps them."""
    for stage in registry.STAGES:
        if stage.kind == "corpus" and stage.writes:
            batches = ctx.catalog.marks(stage.name, batches)
    return batches


def steps(stages: tuple[Stage, ...]) -> list[tuple[Stage, ...]]:
    """The stages after ingest in the order they run: batch stages that follow each other go
    to the engine together, one job per batch; a corpus stage is a step of its own."""
    result: list[tuple[Stage, ...]] = []
    for stage in stages:
        if stage.kind == "ingest":
            continue
        if stage.kind == "batch" and result and result[-1][-1].kind == "batch":
            result[-1] += (stage,)
        else:
            result.append((stage,))
    return result
