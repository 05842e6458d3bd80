"""Fixtures of the exchange tests: a writable copy of the pinned CALL charter, and its snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CALL


@pytest.fixture
def call(tmp_path: Path) -> Path:
    """A copy of the pinned CALL charter (tests may edit it)."""
    target = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", target / "charter-data")
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every YAML file of a charter copy, by relative path: to prove that nothing changed."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "charter-data").rglob("*.yaml"))}
