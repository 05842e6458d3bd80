"""One invalid charter per rule, each with the exact expected message and position."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CASES

CASE_DIRS = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_invalid_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      gusp: Callable[..., tuple[int, str, str]], update_cases: bool) -> None:
    repo = tmp_path / "depot"
    shutil.copytree(CASES / "base", repo)
    shutil.copytree(case / "charter-data", repo / "charter-data", dirs_exist_ok=True)
    monkeypatch.chdir(repo)
    code, out, err = gusp("validate")
    got = f"{out}{err}exit {code}\n"
    expected_file = case / "expected.txt"
    if update_cases:
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
    assert code == 1


def test_every_case_reports_an_error_with_a_position() -> None:
    for case in CASE_DIRS:
        first = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
        assert ": erreur: " in first, case.name
        location = first.split(": erreur: ")[0]
        assert location.count(":") == 2 and location.split(":")[1].isdigit(), case.name


def test_base_charter_is_valid(base_charter: Path, gusp: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = gusp("validate", "--charter", str(base_charter))
    assert code == 0
    assert out.splitlines()[-1] == "1 quartier, 4 actions, 0 erreur, 2 avertissements"


def test_strict_fails_on_warnings(base_charter: Path, gusp: Callable[..., tuple[int, str, str]]) -> None:
    code, _, _ = gusp("validate", "--charter", str(base_charter), "--strict")
    assert code == 1
