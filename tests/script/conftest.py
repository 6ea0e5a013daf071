"""The role book, once per session."""

from __future__ import annotations

import pytest

from pipeline.script import RoleBook, load_roles


@pytest.fixture(scope="session")
def book() -> RoleBook:
    return load_roles()
