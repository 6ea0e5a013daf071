"""Run a corpus stage: the whole corpus's parts in, its own index under `.state/<name>`.

The seam for issue 14's corpus-level stages (dedup first). The runner calls `run_corpus` once a
run, after the batch stages before the corpus stage are done for every batch and before those
after it start. Incrementality is the stage's own: it gets every live batch each time and keeps
in its index what it needs to tell the new and changed documents from those it has seen, and to
drop the documents of batches that are gone; a rerun with nothing new should do next to nothing.
Two are registered: dedup (pipeline/stages/dedup.py) and pair (pipeline/stages/pair.py), which
reads export's parts, named by dedup's marks (`Corpus.part_fingerprint`).

What it writes per batch goes through `Corpus.write`, which marks the batch with a digest of the
rows; the marks are kept here after the stage returns, and name the parts of the stages after it
(catalog.py's docstring), so a batch whose rows changed is made again downstream.
"""

from __future__ import annotations

import time

from pipeline.catalog import Batch, Corpus
from pipeline.context import Context
from pipeline.registry import Stage, maker
from pipeline.runner.manifest import StageReport


def corpus_view(
    stage: Stage,
    ctx: Context,
    fps: dict[str, str],
    batches: list[Batch],
    force: bool = False,
    processes: int = 1,
) -> Corpus:
    """What a corpus stage reads: the live batches and the parts of the datasets it reads."""
    return Corpus(
        catalog=ctx.catalog,
        batches=list(batches),
        fingerprints={d: fps[maker(d).name] for d in stage.reads},
        makers={d: maker(d).name for d in stage.reads},
        index=ctx.catalog.index(stage.name),
        stage=stage,
        stage_fingerprints=fps,
        force=force,
        processes=processes,
    )


def run_corpus(
    stage: Stage,
    ctx: Context,
    fps: dict[str, str],
    batches: list[Batch],
    report: StageReport,
    force: bool = False,
    processes: int = 1,
) -> list[Batch]:
    """The corpus stage's work, its counts and seconds in its report; the batches with the
    stage's marks, as it left them."""
    assert stage.corpus is not None
    t0 = time.perf_counter()
    corpus = corpus_view(stage, ctx, fps, batches, force, processes)
    counts = stage.corpus(ctx, corpus)
    ctx.catalog.write_marks(stage.name, corpus.batches)
    report.batches_run += len(corpus.written)
    report.batches_skipped += len(batches) - len(corpus.written)
    report.rows.update(corpus.rows)
    report.counts.update(counts)
    report.seconds += time.perf_counter() - t0
    return corpus.batches
