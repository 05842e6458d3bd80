"""``gusp import`` of the evaluation columns: three-way per cell, bad values reported with their
cell, written as ``gusp evaluation set`` writes them; older workbooks touch no evaluation."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.french.dates import format_euros
from gusp_cli.model.models import Statut
from gusp_cli.store.loader import load
from tests.conftest import CASES
from tests.exchange.conftest import snapshot
from tests.exchange.test_importing import _export, _fill

Run = Callable[..., tuple[int, str, str]]
FIXTURES = Path(__file__).parent / "fixtures"
QUALITY = "Amélioration de la qualité de vie validée"


def _notices(out: str) -> dict[str, str]:
    """The « À voir » lines by action id."""
    return {line.split()[0]: line for line in out.splitlines() if line.startswith("    ") and line.split()}


def test_an_evaluation_is_written_as_gusp_evaluation_set_writes_it(call: Path, gusp: Run,
                                                                   tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(call, twin)
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    _fill(book, "Avion", {("AVI-010", "Coût"): 12500, ("AVI-010", QUALITY): "oui",
                          ("AVI-010", "Clauses d’insertion respectées"): "non"})
    before = snapshot(call)
    code, out, err = gusp("import", str(book), "-C", str(call), "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0].endswith("0 modification à appliquer, 0 conflit, 1 évaluation à appliquer, "
                                        "0 conflit d'évaluation, 0 à voir")
    assert ("charter-data/quartiers/avion.yaml serait modifié :\n"
            f"  AVI-010 : Coût non renseigné → {format_euros(12500)}\n"
            "  AVI-010 : Clauses d’insertion respectées non renseigné → non\n"
            f"  AVI-010 : {QUALITY} non renseigné → oui\n--dry-run : rien n'a été écrit.") in out
    assert snapshot(call) == before
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, err
    assert "commit -m 'gusp: import du suivi (1 action)'" in out
    code, _, err = gusp("evaluation", "set", "AVI-010", "--cout", "12500", "--insertion", "non",
                        "--qualite-de-vie", "oui", "-C", str(twin))
    assert code == 0, err
    assert snapshot(call) == snapshot(twin)  # the same bytes: only the evaluation block changed
    code, out, _ = gusp("import", str(book), "-C", str(call))  # imported twice: nothing more
    assert code == 0 and "évaluation à appliquer" not in out


def test_bad_values_are_reported_with_their_cell_and_not_applied(call: Path, gusp: Run,
                                                                 tmp_path: Path) -> None:
    import datetime as dt

    assert gusp("evaluation", "set", "AVI-003", "--cout", "9000", "-C", str(call))[0] == 0
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    _fill(book, "Avion", {("AVI-001", "Déployée"): "peut-être", ("AVI-001", QUALITY): "oui",
                          ("AVI-002", "Coût"): -5, ("AVI-003", "Coût"): None,
                          ("AVI-004", "Coût"): "beaucoup", ("AVI-005", "Coût"): dt.date(2026, 1, 5),
                          ("AVI-009", "Coût"): "12.500"})
    headers = [c.value for c in load_workbook(book)["Avion"][1]]
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    before = snapshot(call)
    code, out, _ = gusp("import", str(book), "-C", str(call))
    assert code == 1
    seen = _notices(out)
    assert seen["AVI-001"] == (f"    AVI-001  feuille « Avion », cellule {letter['Déployée']}2 : case "
                               "« Déployée » : « peut-être » n'est ni oui ni non (choisissez dans la liste, "
                               "ou laissez vide) ; non appliquée")
    assert f"cellule {letter['Coût']}3 : case « Coût » : un montant ne peut pas être négatif (reçu -5)" \
        in seen["AVI-002"]
    assert (f"case « Coût » vidée (« {format_euros(9000)} » → vide) : une évaluation ne s'efface pas par "
            "import ; pour l'effacer : gusp evaluation set AVI-003 --cout non_renseigne") in seen["AVI-003"]
    assert "montant invalide « beaucoup » (attendu un nombre d'euros : 12500 ou 12 500,50)" in seen["AVI-004"]
    assert "« 2026-01-05 » est une date, pas un montant en euros" in seen["AVI-005"]
    assert "montant « 12.500 » ambigu" in seen["AVI-009"]
    charter = load(call)
    # The row's good cell is applied; nothing else is.
    assert charter.by_id["AVI-001"].action.evaluation.qualite_de_vie_amelioree is True
    assert charter.by_id["AVI-001"].action.evaluation.deployee is None
    assert charter.by_id["AVI-003"].action.evaluation.cout == 9000
    assert all(charter.by_id[i].action.evaluation is None
               for i in ("AVI-002", "AVI-004", "AVI-005", "AVI-009"))
    after = snapshot(call)
    assert [k for k in after if after[k] != before[k]] == ["charter-data/quartiers/avion.yaml"]


def test_a_workbook_of_the_first_format_imports_its_statuses_and_no_evaluation(call: Path, gusp: Run,
                                                                               tmp_path: Path) -> None:
    """``fixtures/suivi-format-1.xlsx`` was written by gusp before the evaluation columns (see
    fixtures/README.md): its base has no evaluation, and its import touches none."""
    assert gusp("evaluation", "set", "AVI-010", "--cout", "4000", "-C", str(call))[0] == 0
    book = tmp_path / "pas_de_calais_habitat.xlsx"
    shutil.copy(FIXTURES / "suivi-format-1.xlsx", book)
    assert load_workbook(book)["gusp_base"]["B1"].value == "gusp-suivi-1"
    _fill(book, "Avion", {("AVI-010", "Statut"): "en cours", ("AVI-010", "Note"): "Devis signé"})
    evaluations = {e.id: e.action.evaluation for e in load(call).entries}
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, out + err
    assert out.splitlines()[0] == ("pas_de_calais_habitat.xlsx — Pas-de-Calais Habitat, exporté le 1er "
                                   "septembre 2026 : 31 lignes, rempli en partie (1 sur 31) — 1 modification "
                                   "à appliquer, 0 conflit, 0 à voir")
    assert "attention" not in out and "évaluation" not in out
    charter = load(call)
    assert charter.by_id["AVI-010"].action.statut is Statut.en_cours
    assert charter.by_id["AVI-010"].action.suivi[-1].auteur == "pas_de_calais_habitat"
    assert {e.id: e.action.evaluation for e in charter.entries} == evaluations


def test_garder_charte_keeps_the_charters_value(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    assert gusp("evaluation", "set", "LEN-002", "--deployee", "oui", "-C", str(call))[0] == 0
    _fill(book, "Lens", {("LEN-002", "Déployée"): "non"})
    code, out, _ = gusp("import", str(book), "-C", str(call), "--garder", "charte")
    assert code == 0
    assert "exporté « non renseigné », classeur « non », charte « oui » — réglé : charte" in out
    assert load(call).by_id["LEN-002"].action.evaluation.deployee is True


def test_two_workbooks_giving_one_cell_two_values_is_a_conflict(call: Path, gusp: Run,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(call), "-o", str(folder))
    assert code == 0, err
    _fill(folder / "ville_d_avion.xlsx", "Avion", {("AVI-014", "Coût"): 1000})
    _fill(folder / "el_fouad.xlsx", "Avion", {("AVI-014", "Coût"): 1200})
    code, out, _ = gusp("import", str(folder / "ville_d_avion.xlsx"), str(folder / "el_fouad.xlsx"),
                        "-C", str(call))
    assert code == 1
    assert (f"Coût : classeur « {format_euros(1200)} », « {format_euros(1000)} » donné par "
            "ville_d_avion.xlsx — non appliqué") in out
    assert "    ville_d_avion.xlsx" not in out
    assert load(call).by_id["AVI-014"].action.evaluation.cout == 1000
    assert " 1 éval. " in next(line for line in out.splitlines() if line.startswith("  ville_d_avion.xlsx"))


def test_a_csv_with_evaluation_columns_is_compared_with_the_charter(call: Path, gusp: Run,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text("id;statut;cout;Déployée\r\nLIE-002;;12 500 €;oui\r\nLIE-003;;;\r\n", encoding="utf-8")
    code, out, err = gusp("import", str(path), "-C", str(call), "--auteur", "ville_de_lievin")
    assert code == 0, out + err
    assert "  attention : fichier CSV : pas de base d'export" in out
    assert ("  LIE-002  évaluation : Déployée non renseigné → oui ; Coût non renseigné → "
            f"{format_euros(12500)}") in out
    evaluation = load(call).by_id["LIE-002"].action.evaluation
    assert (evaluation.deployee, evaluation.cout) == (True, 12500)
    assert load(call).by_id["LIE-003"].action.evaluation is None  # empty cells give nothing


def test_rivebelles_own_grid_is_imported_into_its_dimensions(tmp_path: Path, gusp: Run) -> None:
    root = tmp_path / "rivebelle"
    shutil.copytree(CASES / "convention", root)
    book = tmp_path / "suivi.xlsx"
    assert gusp("export", "--format", "xlsx", "-C", str(root), "-o", str(book))[0] == 0
    sheet = next(n for n in load_workbook(book).sheetnames
                 if "TIL-001" in [r[0] for r in load_workbook(book)[n].iter_rows(values_only=True)])
    _fill(book, sheet, {("TIL-001", "Avis des habitants"): "Très satisfaits (enquête de novembre)",
                        ("TIL-002", "Coût réalisé"): "3 000", ("TIL-002", "Action déployée"): "oui"})
    code, out, err = gusp("import", str(book), "-C", str(root))
    assert code == 0, out + err
    assert ("  TIL-001  évaluation : Avis des habitants « Plutôt satisfaits (enquête de juin 2025) » → "
            "« Très satisfaits (enquête de novembre) »") in out
    charter = load(root)
    first, second = charter.by_id["TIL-001"].action.evaluation, charter.by_id["TIL-002"].action.evaluation
    assert first.autres == {"satisfaction": "Très satisfaits (enquête de novembre)"}
    assert first.deployee is True
    assert (second.deployee, second.cout) == (True, 3000)


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_untouched_text_cell_is_never_a_change(tmp_path: Path, gusp: Run, blank: str) -> None:
    """A text recorded with line breaks reads back from its cell with spaces: still untouched."""
    root = tmp_path / "rivebelle"
    shutil.copytree(CASES / "convention", root)
    assert gusp("evaluation", "set", "TIL-003", "--valeur", "satisfaction=Bien,\n  à suivre" + blank, "-C",
                str(root))[0] == 0
    book = tmp_path / "suivi.xlsx"
    assert gusp("export", "--format", "xlsx", "-C", str(root), "-o", str(book))[0] == 0
    before = snapshot(root)
    code, out, _ = gusp("import", str(book), "-C", str(root))
    assert code == 0 and "évaluation" not in out
    assert snapshot(root) == before
