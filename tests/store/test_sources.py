"""Where a load reads each file's bytes, and the names it gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gusp_cli.store.sources import relative_posix


def test_relative_posix_names_a_file_as_git_does(tmp_path: Path) -> None:
    path = tmp_path / "charter-data" / "quartiers" / "centre.yaml"
    assert relative_posix(path, tmp_path) == "charter-data/quartiers/centre.yaml"
    assert relative_posix(path, tmp_path) == path.relative_to(tmp_path).as_posix()  # asked again: the same
    assert relative_posix(path, tmp_path / "charter-data") == "quartiers/centre.yaml"


def test_relative_posix_refuses_a_file_outside_the_root(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        relative_posix(tmp_path.parent / "ailleurs.yaml", tmp_path)
