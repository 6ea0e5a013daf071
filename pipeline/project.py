"""newspipe init: a starter project, for people who want to edit the settings and packs."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from pipeline.config import DEFAULT_CONFIG
from pipeline.errors import UsageError

# What `init` writes, from the templates inside the package.
FILES = {
    DEFAULT_CONFIG: "pipeline.toml",
    DEFAULT_CONFIG.parent / "channels" / "example.toml": "example.toml",
}
FOLDERS = (Path("data/raw"), Path("data/processed"))


def template(name: str) -> str:
    """The text of a template that ships with newspipe."""
    return (importlib.resources.files("pipeline") / "templates" / name).read_text(encoding="utf-8")


def init_project(folder: Path, force: bool = False) -> list[Path]:
    """Write config/pipeline.toml (every key, commented out, with its default), config/channels/
    with an example pack, data/raw/ and data/processed/ under folder; the files written."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    targets = {folder / rel: name for rel, name in FILES.items()}
    there = [path for path in targets if path.exists()]
    if there and not force:
        raise UsageError(f"{there[0]} exists; add --force to overwrite it")
    for sub in FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for path, name in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template(name), encoding="utf-8")
    return list(targets)
