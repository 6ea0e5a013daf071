"""Run a corpus stage: the whole corpus's parts in, its own index under `.state/<name>`.

The seam for issue 14's corpus-level stages (dedup first). The runner calls `run_corpus` once a
run, after the batch stages before the corpus stage are done for every batch and before those
after it start. Incrementality is the stage's own: it gets every live batch each time and keeps
in its index what it needs to tell the new and changed documents from those it has seen, and to
drop the documents of batches that are gone; a rerun with nothing new should do next to nothing.
No stage of this kind is registered yet.
"""

from __future__ import annotations

import time

from pipeline.catalog import Batch, Corpus
from pipeline.context import Context
from pipeline.registry import Stage, maker
from pipeline.runner.manifest import StageReport


def corpus_view(stage: Stage, ctx: Context, fps: dict[str, str], batches: list[Batch]) -> Corpus:
    """What a corpus stage reads: the live batches and the parts of the datasets it reads."""
    return Corpus(
        catalog=ctx.catalog,
        batches=tuple(batches),
        fingerprints={d: fps[maker(d).name] for d in stage.reads},
        index=ctx.catalog.index(stage.name),
    )


def run_corpus(
    stage: Stage, ctx: Context, fps: dict[str, str], batches: list[Batch], report: StageReport
) -> None:
    """The corpus stage's work, its counts and seconds in its report."""
    assert stage.corpus is not None
    t0 = time.perf_counter()
    counts = stage.corpus(ctx, corpus_view(stage, ctx, fps, batches))
    report.batches_run += 1
    report.counts.update(counts)
    report.seconds += time.perf_counter() - t0
