"""The follow-up workbook: sheets, header, filters, widths, real dates, drop-down, protection."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from gusp_cli.exchange.xlsx import COLUMNS, STATUS_CHOICES, _put, sheet_names
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook of the embedded charter at 25 November 2026 (exported once)."""
    from gusp_cli.cli.app import run

    target = tmp_path_factory.mktemp("xlsx") / "suivi.xlsx"
    code = run(["export", "--format", "xlsx", "-C", str(CALL), "--as-of", "2026-11-25", "-o", str(target)])
    assert code == 0
    return target


def test_sheets_one_per_quartier_and_a_summary(workbook: Path) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["Synthèse", "Lens", "Liévin", "Avion"]
    charter = load(CALL)
    for name, quartier in zip(wb.sheetnames[1:], charter.quartiers, strict=True):
        ids = [row[0] for row in wb[name].iter_rows(min_row=2, values_only=True)]
        assert ids == [e.id for e in charter.entries if e.quartier.id == quartier.id]
    summary = list(wb["Synthèse"].iter_rows(values_only=True))
    assert summary[0][:3] == ("Quartier", "Feuille", "Actions")
    total = next(r for r in summary if r[0] == "Total")
    assert total[2] == 175
    late = sum(1 for e in charter.entries if e.is_overdue(dt.date(2026, 11, 25)))
    assert total[-1] == late and summary[0][-1] == "En retard au 25 novembre 2026"


def test_quartier_sheet_layout(workbook: Path) -> None:
    ws = load_workbook(workbook)["Lens"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in COLUMNS]
    assert headers[-3:] == ["Statut", "Date", "Note"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    assert ws.column_dimensions["H"].width == 60  # Action
    due = ws.cell(row=2, column=headers.index("Échéance (date)") + 1)
    assert isinstance(due.value, dt.datetime) and due.number_format == "DD/MM/YYYY"
    assert ws.cell(row=2, column=headers.index("Échéance") + 1).value == "2019"


def test_status_drop_down_and_date_check(workbook: Path) -> None:
    ws = load_workbook(workbook)["Avion"]
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = validations["list"]
    assert status.formula1 == '"' + ",".join(STATUS_CHOICES) + '"'
    assert STATUS_CHOICES == ["à faire", "en cours", "réalisée", "abandonnée", "reportée"]
    assert str(status.sqref) == f"N2:N{ws.max_row}"
    assert str(validations["date"].sqref) == f"O2:O{ws.max_row}"


def test_read_only_columns_locked_follow_up_columns_open(workbook: Path) -> None:
    ws = load_workbook(workbook)["Liévin"]
    assert ws.protection.sheet is True
    assert ws.protection.autoFilter is False and ws.protection.sort is False  # still allowed
    row = ws[2]
    for cell, column in zip(row, COLUMNS, strict=True):
        assert cell.protection.locked is (not column.editable), column.header
        assert cell.fill.start_color.rgb.endswith("FFF2CC" if column.editable else "F2F2F2")


def test_a_label_starting_with_equals_stays_text() -> None:
    ws = Workbook().active
    cell = _put(ws, 1, 1, "=SOMME(A1:A9)")
    assert cell.data_type == "s" and cell.value == "=SOMME(A1:A9)"


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
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'icalendar')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["ics", "xlsx", "importing"])
def test_export_modules_import_neither_typer_nor_rich(module: str) -> None:
    code = (f"import sys, gusp_cli.exchange.{module}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
