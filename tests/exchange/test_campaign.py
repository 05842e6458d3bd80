"""The campaign: one workbook per party (roles resolved), the parties left out, the return date,
and ``gusp export --par-partie``."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.exchange.campaign import party_books, return_by
from gusp_cli.store.loader import load
from tests.conftest import CALL, CASES

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def call():  # type: ignore[no-untyped-def]
    return load(CALL, today=dt.date(2026, 11, 25))


def test_roles_are_resolved_in_each_quartier(call) -> None:  # type: ignore[no-untyped-def]
    campaign = party_books(call, call.entries)
    books = {b.party: b for b in campaign.books}
    # Lens's bailleur is Maisons et Cités: its workbook holds the Lens actions given to « bailleur ».
    lens_bailleur = [e.id for e in call.entries
                     if e.quartier.id == "lens" and "bailleur" in e.action.responsables]
    assert lens_bailleur and set(lens_bailleur) <= {e.id for e in books["maisons_et_cites"].entries}
    assert all(e.quartier.id == "lens" for e in books["maisons_et_cites"].entries)
    for book in campaign.books:  # each action once per workbook, in document order
        indexes = [e.index for e in book.entries]
        assert indexes == sorted(set(indexes))
    assert ("Futurs promoteurs", "partie pas encore identifiée") in campaign.left_out
    assert "futurs_promoteurs" not in books


def test_a_role_filled_by_two_bailleurs_gives_each_a_workbook(convention_charter) -> None:  # type: ignore[no-untyped-def]
    books = {b.party: b for b in party_books(convention_charter, convention_charter.entries).books}
    assert {e.id for e in books["habitat_ouest"].entries} >= {"TIL-003", "TER-002"}
    assert {e.id for e in books["logis_atlantique"].entries} >= {"TIL-003", "PVX-002", "TER-002"}


@pytest.mark.parametrize(("day", "back", "why"), [
    (dt.date(2026, 11, 20), dt.date(2026, 11, 25),
     "avant la réunion du comité de pilotage du 10 décembre 2026, programmée"),
    (dt.date(2026, 12, 1), dt.date(2026, 12, 1),
     "avant la réunion du comité de pilotage du 10 décembre 2026, programmée"),
    (dt.date(2027, 1, 5), dt.date(2027, 1, 14),
     "avant la réunion du comité de pilotage du 29 janvier 2027, prévue, date indicative tirée de "
     "son rythme"),
])
def test_the_return_date_is_before_the_deciding_bodys_meeting(tmp_path: Path, day: dt.date, back: dt.date,
                                                              why: str) -> None:
    root = tmp_path / "gouv"
    shutil.copytree(CASES / "base", root)
    shutil.copytree(CASES / "gouvernance" / "charter-data", root / "charter-data", dirs_exist_ok=True)
    charter = load(root, today=dt.date(2026, 11, 25)).on(day)
    assert return_by(charter, day) == (back, why)


def test_export_per_party_writes_every_workbook(tmp_path: Path, gusp: Run) -> None:
    folder = tmp_path / "campagne"
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(CALL), "-o", str(folder))
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert "maisons_et_cites.xlsx" in names and "pas_de_calais_habitat.xlsx" in names
    assert "futurs_promoteurs.xlsx" not in names
    assert "(pas de classeur pour « Futurs promoteurs » : partie pas encore identifiée)" in err
    wb = load_workbook(folder / "maisons_et_cites.xlsx")
    assert wb.sheetnames == ["Mode d'emploi", "Lens", "gusp_base"]
    base = {row[0]: row[1] for row in wb["gusp_base"].iter_rows(max_row=6, values_only=True) if row[0]}
    assert base["partie"] == "maisons_et_cites" and base["date"] == "2026-11-25"
    assert all(p.stat().st_mode & 0o044 for p in folder.iterdir())  # readable as any new file


def test_export_per_party_never_replaces_a_returned_workbook(tmp_path: Path, gusp: Run) -> None:
    folder = tmp_path / "campagne"
    folder.mkdir()
    returned = folder / "ville_d_avion.xlsx"
    returned.write_bytes(b"le classeur rempli par la ville")
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(CALL), "-o", str(folder))
    assert code == 2 and "ville_d_avion.xlsx existe déjà (un classeur renvoyé ?) : rien n'a été écrit" in err
    assert sorted(p.name for p in folder.iterdir()) == ["ville_d_avion.xlsx"]
    assert returned.read_bytes() == b"le classeur rempli par la ville"
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(CALL), "-o", str(folder),
                        "--force")
    assert code == 0, err
    assert returned.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(("args", "message"), [
    (("--par-partie",), "--par-partie et --retour vont avec --format xlsx"),
    (("--format", "xlsx", "--retour", "2026-01-01", "-o", "x.xlsx"), "--retour : le 2026-01-01 précède"),
    (("--format", "xlsx", "--retour", "bientôt", "-o", "x.xlsx"), "--retour : date invalide « bientôt »"),
])
def test_bad_campaign_options(tmp_path: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch,
                              args: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = gusp("export", "-C", str(CALL), *args)
    assert (code, out) == (2, "") and message in err
    assert list(tmp_path.iterdir()) == []


def test_the_workbooks_are_never_written_into_the_charter_data(tmp_path: Path, gusp: Run) -> None:
    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    before = sorted(p.name for p in (root / "charter-data").iterdir())
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(root), "-o",
                        str(root / "charter-data" / "classeurs"))
    assert code == 2 and "charter-data" in err
    assert sorted(p.name for p in (root / "charter-data").iterdir()) == before
