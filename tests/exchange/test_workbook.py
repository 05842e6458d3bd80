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
    instruction_lines,
    row_height,
    sheet_names,
)
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]


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
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"
    assert ws.column_dimensions["D"].width == pytest.approx(50, abs=1)  # Action
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
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert validations["list"].formula1 == '"' + ",".join(STATUS_CHOICES) + '"'
    assert STATUS_CHOICES == ["à faire", "en cours", "réalisée", "abandonnée", "reportée"]
    assert str(validations["list"].sqref) == f"I2:I{ws.max_row}"
    assert str(validations["date"].sqref) == f"J2:J{ws.max_row}"


def test_read_only_columns_locked_follow_up_columns_open(workbook: Path) -> None:
    ws = load_workbook(workbook)["Liévin"]
    assert ws.protection.sheet is True
    assert ws.protection.autoFilter is False and ws.protection.sort is False  # still allowed
    for cell, column in zip(ws[2], COLUMNS, strict=True):
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
