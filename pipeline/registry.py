"""The stages in order: name, the datasets each reads and writes per batch, and its function.

Three kinds of stage: ingest reads the raw folder and makes the batches; a batch stage (`batch`)
maps one batch's tables to new tables, in any process; a corpus stage (`corpus`: dedup, pair)
reads the per-batch outputs of the whole corpus after the batch stages before it, keeps its own
index under `.state/<name>`, runs in the runner's process and writes per-batch parts whose names
carry a mark of their rows (pipeline/runner/corpus.py, catalog.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

import pyarrow as pa

from pipeline.catalog import Corpus
from pipeline.context import Context
from pipeline.dedup.prepared import shingling
from pipeline.errors import UsageError
from pipeline.stages import dedup, detect, export, pair, shingle, signal, strip, tokenize

TOKENIZERS = ("kiwipiepy", "kiwipiepy_model", "spacy", "simplemma")
BatchFn = Callable[[Context, dict[str, pa.Table]], dict[str, pa.Table]]
# A corpus stage's work: the whole corpus's parts in, counts for the run's report out.
CorpusFn = Callable[[Context, Corpus], dict[str, int]]
WarmFn = Callable[[Context], None]


def package_version(package: str) -> str:
    """The installed version of a package, or 'absent'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    about: str
    batch: BatchFn | None  # None for ingest (reads the raw folder) and corpus stages
    depends: Callable[[Context], object]  # the settings and libraries its output depends on
    # What a process loads once before its first batch; engines call it (engine/worker.warm).
    warm: WarmFn | None = None
    # Its warm-up loads a model (seconds): the first run's overlap runs the stages before the
    # first such stage on new batches while the model loads (runner/overlap.py).
    model: bool = False
    corpus: CorpusFn | None = None  # a corpus stage's work (see the module's docstring)

    @property
    def kind(self) -> str:
        """ingest, batch or corpus."""
        if self.batch is not None:
            return "batch"
        return "corpus" if self.corpus is not None else "ingest"


STAGES: tuple[Stage, ...] = (
    Stage("ingest", (), ("documents", "quarantine"), "decode, normalise, header metadata",
          None, lambda ctx: dataclasses.asdict(ctx.config.ingest)),
    Stage("detect", ("documents",), ("segments",), "segments, their part, language and role",
          detect.batch, lambda ctx: [dataclasses.asdict(ctx.config.detect), ctx.rules.digest],
          warm=lambda ctx: detect.warm()),
    Stage("tokenize", ("segments",), ("tokens", "sentences"), "Kiwi for Korean, spaCy for English",
          tokenize.batch, lambda ctx: [package_version(p) for p in TOKENIZERS],
          warm=tokenize.warm, model=True),
    Stage("strip", ("documents", "segments", "tokens"), ("removed",), "promotion by the rule packs",
          strip.batch, lambda ctx: ctx.rules.digest),
    Stage("shingle", ("documents", "segments", "removed"), ("shingles",),
          "each clean body's exact key, shingles and band keys, for dedup",
          shingle.batch, lambda ctx: [ctx.config.dedup.enabled, package_version("rensa"),
                                      shingling(ctx.config.dedup.params())]),
    Stage("signal", ("documents", "segments", "removed"), ("signals",),
          "each English and Korean article's lines as pairing reads them, for pair",
          signal.batch, lambda ctx: [ctx.config.pair.enabled, dataclasses.asdict(ctx.config.detect),
                                     ctx.rules.digest, package_version("koroman")]),
    Stage("dedup", ("shingles",), ("duplicates",),
          "copies of the same report among the clean bodies of the whole corpus",
          None, lambda ctx: [dataclasses.asdict(ctx.config.dedup), package_version("rensa")],
          corpus=dedup.run),
    Stage("export", ("documents", "segments", "tokens", "removed", "duplicates"),
          ("articles", "final_segments", "quotes"),
          "the clean articles and the quotes; publishes the datasets users load",
          export.batch, lambda ctx: [dataclasses.asdict(ctx.config.detect), ctx.rules.digest]),
    Stage("pair", ("articles", "signals"), ("pairs", "alignments"),
          "each English article's Korean original of the whole corpus, and their lines aligned",
          None, lambda ctx: [dataclasses.asdict(ctx.config.pair), package_version("koroman")],
          corpus=pair.run),
)  # fmt: skip
NAMES = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    for s in STAGES:
        if s.name == name:
            return s
    raise UsageError(f"unknown stage {name!r}; available: {', '.join(NAMES)}")


def select(only: str | None, first: str | None, last: str | None) -> tuple[Stage, ...]:
    """The stages a command line asks for: one, a slice, or all."""
    if only is not None:
        return (stage(only),)
    names = [s.name for s in STAGES]
    lo = names.index(stage(first).name) if first else 0
    hi = names.index(stage(last).name) if last else len(names) - 1
    if lo > hi:
        raise UsageError(
            f"--from {names[lo]} comes after --to {names[hi]}; order: {', '.join(names)}"
        )
    return STAGES[lo : hi + 1]


def maker(dataset: str) -> Stage:
    return next(s for s in STAGES if dataset in s.writes)
