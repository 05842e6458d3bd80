"""The follow-up workbook: its sheets, print layout, protection, drop-down, and its hidden base."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.exchange.workbook import (
    BASE_SHEET,
    COLUMNS,
    INSTRUCTIONS_SHEET,
    STATUS_CHOICES,
    Export,
    evaluation_columns,
    instruction_lines,
    row_height,
    sheet_names,
)
from gusp_cli.model.evaluation import DEFAULT_GRID
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
QUALITY = "Amélioration de la qualité de vie validée"
SHEET = COLUMNS + evaluation_columns(DEFAULT_GRID, False)
"""A quartier sheet of a charter with the default grid and no TFPB programme."""


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook of the pinned CALL charter at 25 November 2026 (exported once)."""
    from gusp_cli.cli.app import run

    target = tmp_path_factory.mktemp("xlsx") / "suivi.xlsx"
    code = run(["export", "--format", "xlsx", "-C", str(CALL), "--as-of", "2026-11-25", "-o", str(target),
                "--retour", "2027-01-15"])
    assert code == 0
    return target


def test_sheets_instructions_then_one_per_quartier_then_the_base(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "Lens", "Liévin", "Avion", BASE_SHEET]
    assert wb[BASE_SHEET].sheet_state == "veryHidden" and wb[BASE_SHEET].protection.sheet
    charter = load(CALL)
    for name, quartier in zip(wb.sheetnames[1:4], charter.quartiers, strict=True):
        ids = [row[0] for row in wb[name].iter_rows(min_row=2, values_only=True)]
        assert ids == [e.id for e in charter.entries if e.quartier.id == quartier.id]


def test_the_instructions_say_whose_what_and_by_when(workbook: Path) -> None:
    ws = load_workbook(workbook)[INSTRUCTIONS_SHEET]
    text = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert text[0] == "Suivi des actions — Charte de Gestion Urbaine et Sociale de Proximité (GUSP)"
    assert any(str(t).startswith("Classeur de suivi de la charte : 175 actions, situation au 25 "
                                 "novembre 2026") for t in text)
    assert "À renvoyer au chef de projet au plus tard le 15 janvier 2027." in text
    assert any(str(t).startswith("Dans chaque feuille de quartier, pour chacune de vos actions, les colonnes "
                                 "jaunes seulement") for t in text)
    counts = [row for row in ws.iter_rows(values_only=True) if row[1] in ("Lens", "Liévin", "Avion")]
    charter = load(CALL)
    assert [row[2] for row in counts] == [len(charter.entries_of(q.id)) for q in charter.quartiers]
    late = dt.date(2026, 11, 25)
    assert [row[3] for row in counts] == [sum(1 for e in charter.entries_of(q.id) if e.is_overdue(late))
                                          for q in charter.quartiers]


def test_instructions_for_a_party_name_it_and_its_revision() -> None:
    export = Export(dt.date(2026, 9, 1), "agglo-2020", "Charte de test", "bailleur_sud", "Bailleur du Sud",
                    "3f2c1ab", None, "la réunion du comité de pilotage n'a pas encore de date")
    lines = [line for line, _ in instruction_lines(export, 12)]
    assert lines[1] == ("Classeur de Bailleur du Sud (identifiant bailleur_sud) : 12 actions, situation au "
                        "1er septembre 2026, révision 3f2c1ab du dépôt de la charte.")
    assert lines[2] == ("À renvoyer au chef de projet dès qu'il est rempli (la réunion du comité de pilotage "
                        "n'a pas encore de date).")


def test_quartier_sheet_layout_and_print_settings(workbook: Path) -> None:
    ws = load_workbook(workbook)["Lens"]
    assert [c.value for c in ws[1]] == [c.header for c in SHEET]
    assert [c.header for c in SHEET[len(COLUMNS):]] == ["Déployée", "Coût", "Clauses d’insertion respectées",
                                                        "Amélioration de la qualité de vie validée"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:O{ws.max_row}"
    assert ws.column_dimensions["D"].width == pytest.approx(44, abs=1)  # Action
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1: default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "Page &P / &N" in ws.oddFooter.right.text
    first = [c.value for c in ws[2]]
    assert first[0] == "LEN-001" and first[5] == "2019" and first[6] == "6 ans 10 mois"
    assert ws.row_dimensions[2].height >= 2 * 12.75  # the wrapped label takes two lines


def test_status_drop_down_and_date_check(workbook: Path) -> None:
    ws = load_workbook(workbook)["Avion"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    last = ws.max_row
    assert validations[f"I2:I{last}"].formula1 == '"' + ",".join(STATUS_CHOICES) + '"'
    assert STATUS_CHOICES == ["à faire", "en cours", "réalisée", "abandonnée", "reportée"]
    assert validations[f"J2:J{last}"].type == "date"
    # The evaluation: oui / non drop-downs (blank allowed), the cost a positive number in euros.
    for letter in "LNO":
        assert validations[f"{letter}2:{letter}{last}"].formula1 == '"oui,non"'
        assert validations[f"{letter}2:{letter}{last}"].allow_blank
    cost = validations[f"M2:M{last}"]
    assert (cost.type, cost.operator, cost.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert all(row[12].number_format == '#,##0.00 "€"' for row in ws.iter_rows(min_row=2))


def test_read_only_columns_locked_follow_up_columns_open(workbook: Path) -> None:
    ws = load_workbook(workbook)["Liévin"]
    assert ws.protection.sheet is True
    assert ws.protection.autoFilter is False and ws.protection.sort is False  # still allowed
    for cell, column in zip(ws[2], SHEET, strict=True):
        assert cell.protection.locked is (not column.editable), column.header
        assert cell.fill.start_color.rgb.endswith("FFF2CC" if column.editable else "F2F2F2")


def test_a_label_that_looks_like_a_formula_stays_text(tmp_path: Path, gusp: Run) -> None:
    import shutil

    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    lens = root / "charter-data/quartiers/lens.yaml"
    text = lens.read_text(encoding="utf-8")
    label = next(line for line in text.splitlines() if line.strip().startswith("libelle:"))
    lens.write_text(text.replace(label, '        libelle: "=HYPERLINK(\\"http://x\\";\\"clic\\")"', 1),
                    encoding="utf-8")
    target = tmp_path / "suivi.xlsx"
    assert gusp("export", "--format", "xlsx", "-C", str(root), "-o", str(target))[0] == 0
    cell = load_workbook(target)["Lens"]["D2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x";"clic")'
    assert cell.quotePrefix


def test_row_heights_follow_the_longest_wrapped_cell() -> None:
    assert row_height([("court", 20)]) == 12.75 + 3
    assert row_height([("x" * 100, 20), ("y", 50)]) == 5 * 12.75 + 3
    assert row_height([("a\nb\nc", 50)]) == 3 * 12.75 + 3
    assert row_height([("z" * 100_000, 10)]) == 409


def test_sheet_names_are_valid_and_unique() -> None:
    charter = load(CALL)
    charter.quartiers[1].commune = "Lens"  # two quartiers in one commune
    charter.quartiers[2].commune = "Avi/on: [x]*?"
    names = sheet_names(charter, [q.id for q in charter.quartiers])
    assert names["lens"] == "Lens"
    assert names["lievin"] == "Liévin – Vent de Bise - Jean Leb"[:31]
    assert names["avion"] == "Avi-on- -x---"
    assert all(len(n) <= 31 for n in names.values())


def test_xlsx_needs_an_output_file(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp("export", "--format", "xlsx")
    assert code == 2 and out == ""
    assert "--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx" in err


def test_exports_are_imported_lazily() -> None:
    code = ("import sys, gusp_cli.cli.app as a; a._register(); "
            "print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('openpyxl', 'xlsxwriter', 'icalendar')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["ics", "xlsx", "workbook", "importing", "reading", "campaign"])
def test_exchange_modules_import_neither_typer_nor_rich(module: str) -> None:
    code = (f"import sys, gusp_cli.exchange.{module}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_date_column_is_formatted_as_dates_before_anything_is_typed(workbook: Path) -> None:
    ws = load_workbook(workbook)["Lens"]
    assert all(row[9].number_format.lower() == "dd/mm/yyyy" for row in ws.iter_rows(min_row=2))


# --------------------------------------------------------------------------- the evaluation columns


def _rows(ws: object) -> dict[str, dict[str, object]]:
    """A quartier sheet's rows by action id, cells by header."""
    lines = ws.iter_rows(values_only=True)  # type: ignore[attr-defined]
    headers = next(lines)
    return {row[0]: dict(zip(headers, row, strict=True)) for row in lines}


def _tfpb_spent(root: Path, action_id: str) -> float:
    """The amounts spent on the TFPB lines linked to an action, summed from tfpb.yaml directly."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((root / "charter-data" / "tfpb.yaml").read_text(encoding="utf-8"))
    return sum(line.get("montant_valorise") or 0 for p in data["programmes"] for line in p["lignes"]
               if action_id in line.get("actions", []))


def test_evaluation_columns_are_prefilled_with_the_tfpb_cost_beside(tfpb_copy: Path, gusp: Run,
                                                                    tmp_path: Path) -> None:
    from gusp_cli.exchange.reading import read_book
    from gusp_cli.french.dates import format_euros

    root = tfpb_copy
    code, _, err = gusp("evaluation", "set", "AVI-009", "--cout", "12500", "--insertion", "non",
                        "-C", str(root))
    assert code == 0, err
    assert gusp("evaluation", "set", "AVI-010", "--deployee", "oui", "-C", str(root))[0] == 0
    folder = tmp_path / "campagne"
    assert gusp("export", "--format", "xlsx", "--par-partie", "-C", str(root), "-o", str(folder))[0] == 0
    book = folder / "pas_de_calais_habitat.xlsx"
    wb = load_workbook(book)
    avion = wb["Avion"]
    headers = [c.value for c in avion[1]]
    assert headers[len(COLUMNS):] == ["Déployée", "Coût", "Coût TFPB (source)",
                                      "Clauses d’insertion respectées", QUALITY]
    rows = _rows(avion)
    assert (rows["AVI-009"]["Coût"], rows["AVI-009"]["Clauses d’insertion respectées"]) == (12500, "non")
    assert rows["AVI-009"]["Déployée"] is None and rows["AVI-009"]["Coût TFPB (source)"] is None
    assert rows["AVI-010"]["Déployée"] == "oui"
    spent = _tfpb_spent(root, "AVI-005")
    assert spent > 0
    assert rows["AVI-005"]["Coût"] is None  # never copied into the cost a partner edits
    assert rows["AVI-005"]["Coût TFPB (source)"] == (f"{format_euros(spent)} — TFPB Pas-de-Calais Habitat "
                                                     "2024, 2025")
    tfpb_cell = next(r[headers.index("Coût TFPB (source)")] for r in avion.iter_rows(min_row=2)
                     if r[0].value == "AVI-005")
    assert tfpb_cell.protection.locked and tfpb_cell.fill.start_color.rgb.endswith("F2F2F2")
    # Liévin's actions get no TFPB cost: its sheet goes without the column.
    assert "Coût TFPB (source)" not in [c.value for c in wb["Liévin"][1]]
    # The base records the columns and what each row showed.
    base = read_book(book).base
    assert base is not None
    assert base.evaluation == [("deployee", "Déployée"), ("cout", "Coût"),
                               ("clauses_insertion_respectees", "Clauses d’insertion respectées"),
                               ("qualite_de_vie_amelioree", "Amélioration de la qualité de vie validée")]
    assert base.rows["AVI-009"].evaluation == {"deployee": None, "cout": 12500,
                                               "clauses_insertion_respectees": False,
                                               "qualite_de_vie_amelioree": None}
    text = " ".join(str(c) for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in row if c)
    assert ("les colonnes jaunes de l'évaluation de la charte, pré-remplies avec ce qui est déjà enregistré "
            f": « Déployée », « Clauses d’insertion respectées », « {QUALITY} » : oui ou non, dans la "
            "liste ; « Coût » : le montant en euros, un nombre (12500 ou 12 500,50).") in text
    assert "« Coût TFPB (source) », en gris : le coût que donnent les dépenses valorisées" in text


def test_each_workbook_asks_for_what_evaluation_a_renseigner_lists(tfpb_copy: Path, gusp: Run,
                                                                   tmp_path: Path) -> None:
    """The blank evaluation cells of each party's workbook (a cost the TFPB column gives counts as
    known) are exactly what ``gusp evaluation --a-renseigner`` lists for that party."""
    import json

    root = tfpb_copy
    assert gusp("evaluation", "set", "AVI-010", "--deployee", "oui", "--cout", "900", "--insertion", "oui",
                "--qualite-de-vie", "non", "-C", str(root))[0] == 0  # complete: asked of nobody
    folder = tmp_path / "campagne"
    assert gusp("export", "--format", "xlsx", "--par-partie", "-C", str(root), "-o", str(folder))[0] == 0
    code, out, _ = gusp("evaluation", "--a-renseigner", "--format", "json", "-C", str(root))
    assert code == 0
    listed: dict[str, dict[str, set[str]]] = {}
    for row in json.loads(out)["a_renseigner"]:
        listed.setdefault(row["partie"], {})[row["action"]] = set(row["cases_manquantes"].split(", "))
    ids = {"Déployée": "deployee", "Coût": "cout",
           "Clauses d’insertion respectées": "clauses_insertion_respectees",
           "Amélioration de la qualité de vie validée": "qualite_de_vie_amelioree"}
    books = sorted(folder.glob("*.xlsx"))
    assert len(books) == 9
    for path in books:
        wb = load_workbook(path, read_only=True)
        asked: dict[str, set[str]] = {}
        counted = 0
        for name in wb.sheetnames[1:]:
            if name == BASE_SHEET:
                continue
            for action_id, cells in _rows(wb[name]).items():
                blank = {ids[h] for h in ids if cells[h] is None
                         and not (h == "Coût" and cells.get("Coût TFPB (source)"))}
                if blank:
                    asked[action_id] = blank
        for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True):
            if row[1] in wb.sheetnames[1:] and isinstance(row[5], int):
                counted += row[5]  # « Évaluation incomplète », per quartier
        assert asked == listed.get(path.stem, {}), path.name
        assert counted == len(asked), path.name
    assert "AVI-010" not in listed["pas_de_calais_habitat"]
    assert listed["pas_de_calais_habitat"]["AVI-005"] == {"deployee", "clauses_insertion_respectees",
                                                          "qualite_de_vie_amelioree"}  # its cost: TFPB


def test_a_charter_of_its_own_grid_gets_its_own_columns(tmp_path: Path, gusp: Run) -> None:
    from tests.conftest import CASES

    target = tmp_path / "suivi.xlsx"
    assert gusp("export", "--format", "xlsx", "-C", str(CASES / "convention"), "-o", str(target))[0] == 0
    wb = load_workbook(target)
    sheet = next(wb[n] for n in wb.sheetnames if "TIL-001" in _rows(wb[n]))
    headers = [c.value for c in sheet[1]]
    assert headers[len(COLUMNS):] == ["Action déployée", "Coût réalisé", "Avis des habitants"]
    til = _rows(sheet)["TIL-001"]
    assert til["Action déployée"] == "oui"
    assert til["Avis des habitants"] == "Plutôt satisfaits (enquête de juin 2025)"
    validations = {str(dv.sqref).split(":")[0][0] for dv in sheet.data_validations.dataValidation}
    letter = "N"  # « Avis des habitants »: a text, no check
    assert headers[13] == "Avis des habitants" and letter not in validations
    text = " ".join(str(c) for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in row if c)
    assert "« Avis des habitants » : un texte court" in text and "Coût TFPB" not in text


def test_a_grid_label_that_a_follow_up_column_uses_is_told_apart() -> None:
    from gusp_cli.model.evaluation import Dimension
    from gusp_cli.model.vocabulary import TypeDimension

    columns = evaluation_columns([Dimension("suivi", "Note", TypeDimension.texte),
                                  Dimension("cout", "Coût", TypeDimension.montant)], True)
    assert [c.header for c in columns] == ["Note (évaluation)", "Coût", "Coût TFPB (source)"]
    assert [c.editable for c in columns] == [True, True, False]
