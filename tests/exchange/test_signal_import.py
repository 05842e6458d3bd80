"""The « Signalements » sheet of the partners' workbooks, read back three-way; no signalement is added."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.exchange.signal_sheet import SIGNALS_SHEET
from tests.exchange.conftest import snapshot
from tests.exchange.test_importing import _fill

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"
BOOK = "pas_de_calais_habitat.xlsx"


@pytest.fixture
def veille(call: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CALL copy with three signalements in Avion: two for the bailleur, one for the town."""
    monkeypatch.setenv("GUSP_TODAY", "2026-10-06")
    for description, party in (("Dépôt sauvage au pied de la borne", "bailleur"),
                               ("Porte de hall forcée", "bailleur"), ("Candélabre en panne", "ville")):
        code, _, err = gusp("signals", "add", "avion", description, "--lieu", "rue Jean Jaurès", "--theme",
                            "propreté", "--source", "tour_de_quartier", "--responsable", party, "-C",
                            str(call))
        assert code == 0, err
    monkeypatch.setenv("GUSP_TODAY", AS_OF)
    return call


def _campaign(gusp: Run, root: Path, folder: Path) -> None:
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(root), "--as-of",
                        "2026-11-01",
                        "-o", str(folder), "-q", "avion")
    assert code == 0, err
    assert "Pas-de-Calais Habitat : " in err and ", 2 signalements" in err


def _states(gusp: Run, root: Path) -> dict[str, str]:
    rows = json.loads(gusp("signals", "list", "--format", "json", "-C", str(root))[1])["signalements"]
    return {r["id"]: r["etat"] for r in rows}


def test_each_party_gets_its_open_signalements(veille: Path, gusp: Run, tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, veille, folder)
    ws = load_workbook(folder / BOOK)[SIGNALS_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == ["Id", "Quartier", "Vu le", "Lieu", "Thème", "Description", "Suite", "État", "Date",
                       "Transmis à", "Note"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["SIG-2026-0001", "SIG-2026-0002"]
    town = load_workbook(folder / "ville_d_avion.xlsx")[SIGNALS_SHEET]
    assert [r[0].value for r in town.iter_rows(min_row=2)] == ["SIG-2026-0003"]
    assert ws.protection.sheet  # the grey columns are locked


def test_a_state_set_in_the_workbook_is_applied(veille: Path, gusp: Run, tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, veille, folder)
    _fill(folder / BOOK, SIGNALS_SHEET, {
        ("SIG-2026-0001", "État"): "traité", ("SIG-2026-0001", "Note"): "Dépôt enlevé le 20",
        ("SIG-2026-0002", "État"): "transmis", ("SIG-2026-0002", "Transmis à"): "CLSPD",
        ("SIG-2026-0002", "Date"): "18/11/2026",
    })
    code, out, err = gusp("import", str(folder / BOOK), "-C", str(veille))
    assert code == 0, out + err
    assert "SIG-2026-0001  état : ouvert → traité ; note : « Dépôt enlevé le 20 »" in out
    assert "SIG-2026-0002  état : ouvert → transmis ; transmis à « CLSPD » (au 18 novembre 2026)" in out
    assert _states(gusp, veille) == {"SIG-2026-0001": "traite", "SIG-2026-0002": "transmis",
                                     "SIG-2026-0003": "ouvert"}
    text = (veille / "charter-data" / "signalements.yaml").read_text(encoding="utf-8")
    assert 'auteur: "pas_de_calais_habitat"' in text  # who reported it: the workbook's party
    assert gusp("validate", "-C", str(veille))[0] == 0
    code, out, _ = gusp("import", str(folder / BOOK), "-C", str(veille))  # twice: nothing more
    assert code == 0 and "0 modification à appliquer" in out


def test_a_stale_row_never_overwrites_newer_follow_up_and_both_changed_is_a_conflict(
        veille: Path, gusp: Run, tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, veille, folder)
    for sid in ("SIG-2026-0001", "SIG-2026-0002"):
        code, _, err = gusp("signals", "close", sid, "--note", "vu en comité", "-C", str(veille))
        assert code == 0, err
    _fill(folder / BOOK, SIGNALS_SHEET, {("SIG-2026-0002", "État"): "traité"})
    before = snapshot(veille)
    code, out, _ = gusp("import", str(folder / BOOK), "-C", str(veille))
    assert code == 1
    assert ("SIG-2026-0002  feuille « Signalements », ligne 3 : exporté « ouvert », classeur « traité », "
            "charte « clos » — non appliqué ; --garder partenaire ou charte") in out
    assert "SIG-2026-0001" not in out.split("Conflits", 1)[1]  # left alone: newer « clos » kept
    assert snapshot(veille) == before


@pytest.mark.parametrize(("cells", "message"), [
    ({("SIG-2026-0001", "État"): "transmis"}, "« transmis » demande « Transmis à »"),
    ({("SIG-2026-0001", "Note"): "appeler le 06 12 34 56 78"}, "« note » contient un numéro de téléphone"),
    ({("SIG-2026-0001", "État"): "résolu"}, "état « résolu » inconnu"),
    ({("SIG-2026-0001", "Lieu"): "ailleurs"}, "colonne en lecture seule modifiée, non appliquée : Lieu"),
])
def test_rows_that_cannot_be_applied_say_why(veille: Path, gusp: Run, tmp_path: Path,
                                             cells: dict[tuple[str, str], object], message: str) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, veille, folder)
    path = folder / BOOK
    wb = load_workbook(path)
    for sheet in wb.worksheets:
        sheet.protection.sheet = False
    wb.save(path)
    _fill(path, SIGNALS_SHEET, cells)
    before = snapshot(veille)
    code, out, _ = gusp("import", str(path), "-C", str(veille))
    assert code == 1 and message in out and "56 78" not in out
    assert snapshot(veille) == before


def test_the_import_adds_no_signalement(veille: Path, gusp: Run, tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, veille, folder)
    wb = load_workbook(folder / BOOK)
    ws = wb[SIGNALS_SHEET]
    ws.append(["SIG-2026-0099", "Avion", "", "rue Neuve", "propreté", "Nouveau dépôt", "", "ouvert"])
    wb.save(folder / BOOK)
    before = snapshot(veille)
    code, out, _ = gusp("import", str(folder / BOOK), "-C", str(veille))
    assert code == 1
    assert "SIG-2026-0099  feuille « Signalements », ligne 4 : identifiant « SIG-2026-0099 » inconnu : un " \
           "nouveau signalement ne s'ajoute pas par import" in out
    assert snapshot(veille) == before
