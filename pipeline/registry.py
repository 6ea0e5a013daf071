"""The stages in order: name, the datasets each reads and writes, and the function that runs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.context import Context
from pipeline.errors import UsageError
from pipeline.stages import detect, export, ingest, strip, tokenize

Counts = dict[str, int]


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    publishes: tuple[str, ...]
    about: str
    run: Callable[[Context], Counts]


STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        (),
        ("documents", "quarantine"),
        (),
        "decode, normalise, header metadata",
        ingest.run,
    ),
    Stage(
        "detect", ("documents",), ("segments",), (), "segments, their part and language", detect.run
    ),
    Stage(
        "tokenize",
        ("segments",),
        ("tokens",),
        (),
        "Kiwi for Korean, spaCy for English",
        tokenize.run,
    ),
    Stage(
        "strip",
        ("documents", "segments", "tokens"),
        ("removed",),
        (),
        "promotion by the rule packs",
        strip.run,
    ),
    Stage(
        "export",
        ("documents", "segments", "tokens", "removed", "quarantine"),
        (),
        ("articles", "segments", "tokens", "removed", "quarantine"),
        "the datasets users load",
        export.run,
    ),
)
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
    lo = NAMES.index(stage(first).name) if first else 0
    hi = NAMES.index(stage(last).name) if last else len(NAMES) - 1
    if lo > hi:
        raise UsageError(
            f"--from {NAMES[lo]} comes after --to {NAMES[hi]}; order: {', '.join(NAMES)}"
        )
    return STAGES[lo : hi + 1]


def maker(dataset: str) -> Stage:
    return next(s for s in STAGES if dataset in s.writes)
