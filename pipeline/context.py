"""What a stage gets to run with: paths, settings, the rule packs, the catalog."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalog import Catalog
from pipeline.config import Config
from pipeline.rules import RuleSet, load_rules


@dataclass(frozen=True)
class Context:
    raw: Path
    out: Path
    config: Config
    threads: int = 0  # Kiwi threads in this process; 0: tokenize.threads from the config

    def with_threads(self, threads: int) -> Context:
        """The same context with Kiwi's thread count for this process set."""
        return dataclasses.replace(self, threads=threads)

    @functools.cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.out)

    @functools.cached_property
    def rules(self) -> RuleSet:
        return load_rules(self.config.channels_dir, self.config.packs, self.config.detector)
