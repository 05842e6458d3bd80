"""The pinned CALL charter of the tests is the charter as signed, and ``make fixture`` keeps it so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CALL
from tests.pin_call_fixture import follow_up_found, pin


def test_the_pinned_charter_carries_no_follow_up() -> None:
    assert follow_up_found(CALL / "charter-data") == []


def test_pinning_copies_the_signed_files(tmp_path: Path) -> None:
    target = tmp_path / "call" / "charter-data"
    target.parent.mkdir()
    pin(CALL / "charter-data", target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.yaml")) == sorted(
        p.relative_to(CALL / "charter-data").as_posix() for p in (CALL / "charter-data").rglob("*.yaml"))


def test_pinning_refuses_a_charter_with_follow_up_and_changes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "live" / "charter-data"
    shutil.copytree(CALL / "charter-data", source)
    lens = source / "quartiers" / "lens.yaml"
    lens.write_text(lens.read_text(encoding="utf-8").replace(
        '        echeance: "2019"\n', '        echeance: "2019"\n        statut: en_cours\n', 1),
        encoding="utf-8")
    (source / "reunions.yaml").write_text("reunions: []\n", encoding="utf-8")
    target = tmp_path / "pinned" / "charter-data"
    target.parent.mkdir()
    with pytest.raises(SystemExit, match="copie refusée") as refused:
        pin(source, target)
    assert "reunions.yaml (fichier facultatif)" in str(refused.value)
    assert "lens.yaml : LEN-001 porte statut" in str(refused.value)
    assert not target.exists()
