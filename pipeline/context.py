"""What a stage gets to run with: paths, settings, the rule packs, the store."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.rules import RuleSet, load_rules
from pipeline.store import Store


@dataclass(frozen=True)
class Context:
    raw: Path
    out: Path
    config: Config

    @functools.cached_property
    def store(self) -> Store:
        return Store(self.out)

    @functools.cached_property
    def rules(self) -> RuleSet:
        return load_rules(self.config.channels_dir)
