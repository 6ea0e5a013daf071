"""newspipe: clean, analysable datasets from scraped Korean broadcast-news texts.

The Python API (pipeline/api.py), loaded when first used:

    import pipeline
    pipeline.clean_text(text)                       # one document in memory
    pipeline.run("data/raw", "data/processed")      # what `newspipe run` does
    pipeline.read("data/processed", "articles")     # a published dataset as a DataFrame
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Cleaned", "__version__", "clean_text", "read", "run"]

if TYPE_CHECKING:
    from pipeline.api import Cleaned, clean_text, read, run


def __getattr__(name: str) -> Any:
    if name in ("Cleaned", "clean_text", "read", "run"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
