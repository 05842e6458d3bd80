"""Excel workbooks (openpyxl, imported inside the functions): the follow-up workbook and plain tables.

The follow-up workbook has a summary sheet (« Synthèse ») then one sheet per quartier. Each quartier
sheet has a frozen header, an autofilter, set column widths, due dates as real dates, and three
follow-up columns a partner fills in: « Statut » (a drop-down list of the status labels), « Date »
(a real date) and « Note ». The other columns are read-only: greyed, locked, and the sheet is
protected without a password (filtering, sorting and resizing stay allowed), so a partner does not
change them by mistake; ``gusp import`` reports any change made to them anyway.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.models import Statut

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_SHEET = "Synthèse"
STATUS_CHOICES = [STATUS_LABELS[s.value] for s in Statut]
"""The drop-down list: « à faire », « en cours », « réalisée », « abandonnée », « reportée »."""
DATE_FORMAT = "DD/MM/YYYY"
READ_ONLY_FILL, EDIT_FILL, HEADER_FILL, EDIT_HEADER_FILL = "F2F2F2", "FFF2CC", "D9D9D9", "FFD966"


@dataclass(frozen=True)
class Column:
    """A column of a quartier sheet."""

    key: str
    header: str
    width: float
    value: Callable[[dict[str, Any]], Any]
    """Cell value from the action's record (:func:`gusp_cli.track.records.record`)."""
    editable: bool = False
    guarded: bool = False
    """Read-only column whose change ``gusp import`` reports (derived columns are not guarded)."""
    is_date: bool = False
    wrap: bool = False


def _iso(value: str | None) -> dt.date | None:
    """An ISO date string as a date."""
    return dt.date.fromisoformat(value) if value else None


def _join(values: list[str]) -> str:
    """A list as one cell."""
    return ", ".join(values)


COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", 11, lambda r: r["id"]),
    Column("quartier", "Quartier", 14, lambda r: r["quartier_commune"], guarded=True),
    Column("secteur", "Secteur", 20, lambda r: r["secteur_nom"], guarded=True, wrap=True),
    Column("theme", "Thème", 20, lambda r: r["theme"], guarded=True, wrap=True),
    Column("tableau", "Tableau", 30, lambda r: r["tableau"], guarded=True, wrap=True),
    Column("phase", "Phase", 15, lambda r: r["phase_nom"] or "", guarded=True),
    Column("numero", "N°", 6, lambda r: r["numero"], guarded=True),
    Column("libelle", "Action", 60, lambda r: r["libelle"], guarded=True, wrap=True),
    Column("responsables", "Responsables", 28, lambda r: _join(r["responsables_noms"]), guarded=True,
           wrap=True),
    Column("echeance", "Échéance", 13, lambda r: r["echeance"], guarded=True),
    Column("echeance_date", "Échéance (date)", 15, lambda r: _iso(r["echeance_date"]), guarded=True,
           is_date=True),
    Column("jours_de_retard", "Retard (jours)", 10, lambda r: r["jours_de_retard"] or None),
    Column("dernier_suivi", "Dernier suivi", 34, lambda r: r["dernier_suivi"], wrap=True),
    Column("statut", "Statut", 14, lambda r: r["statut_libelle_export"], editable=True),
    Column("date", "Date", 13, lambda r: None, editable=True, is_date=True),
    Column("note", "Note", 44, lambda r: None, editable=True, wrap=True),
)
"""The quartier sheets' columns, in order."""


def export_record(charter: Charter, entry: Entry, as_of: dt.date) -> dict[str, Any]:
    """The action's record with what the workbook shows besides (commune, last follow-up)."""
    from gusp_cli.track.records import record

    data = record(charter, entry, as_of)
    data["quartier_commune"] = entry.quartier.commune
    data["statut_libelle_export"] = STATUS_LABELS[data["statut"]] if data["statut"] else None
    last = entry.action.suivi[-1] if entry.action.suivi else None
    data["dernier_suivi"] = None if last is None else " — ".join(
        x for x in (format_date(last.date), STATUS_LABELS[last.statut.value] if last.statut else "",
                    last.note or last.motif or "") if x)
    return data


def sheet_names(charter: Charter, quartier_ids: Sequence[str]) -> dict[str, str]:
    """A valid, unique sheet name per quartier: its commune, else its name (31 characters at most)."""
    names: dict[str, str] = {}
    used = {SUMMARY_SHEET.casefold()}
    for qid in quartier_ids:
        quartier = charter.quartier(qid)
        candidates = [quartier.commune, quartier.nom, qid] if quartier else [qid]
        for candidate in candidates:
            clean = "".join("-" if c in "[]:*?/\\" else c for c in candidate).strip("' ")[:31]
            if clean and clean.casefold() not in used:
                break
        else:
            clean = f"{qid[:27]} ({len(names) + 1})"
        used.add(clean.casefold())
        names[qid] = clean
    return names


def actions_workbook(charter: Charter, entries: Sequence[Entry], as_of: dt.date) -> bytes:
    """The follow-up workbook of ``entries`` (summary sheet, then one sheet per quartier)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "gusp"
    wb.properties.title = charter.charte.titre if charter.charte else "Charte GUSP"
    wb.properties.created = dt.datetime.combine(as_of, dt.time())
    order = [q.id for q in charter.quartiers if any(e.quartier.id == q.id for e in entries)]
    names = sheet_names(charter, order)
    _summary(wb.active, charter, entries, order, names, as_of)
    for qid in order:
        ws = wb.create_sheet(names[qid])
        rows = [export_record(charter, e, as_of) for e in entries if e.quartier.id == qid]
        _quartier_sheet(ws, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _style_header(ws: Worksheet, columns: Sequence[Column]) -> None:
    """Bold header, coloured by kind, widths set, header frozen."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        color = EDIT_HEADER_FILL if column.editable else HEADER_FILL
        cell.fill = PatternFill("solid", start_color=color, end_color=color)
        if column.editable:
            cell.comment = Comment("Colonne à remplir (lue par gusp import).", "gusp")
        ws.column_dimensions[cell.column_letter].width = column.width
    ws.freeze_panes = "A2"


def _quartier_sheet(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    """Fill one quartier sheet: values, styles, validations, protection."""
    from openpyxl.styles import Alignment, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    _style_header(ws, COLUMNS)
    grey = PatternFill("solid", start_color=READ_ONLY_FILL, end_color=READ_ONLY_FILL)
    yellow = PatternFill("solid", start_color=EDIT_FILL, end_color=EDIT_FILL)
    for r, data in enumerate(rows, start=2):
        for c, column in enumerate(COLUMNS, start=1):
            cell = _put(ws, r, c, column.value(data))
            cell.fill = yellow if column.editable else grey
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
            if column.is_date:
                cell.number_format = DATE_FORMAT
            if column.editable:
                cell.protection = Protection(locked=False)
    last = max(len(rows) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    _validations(ws, last)
    ws.protection.sheet = True
    for allowed in ("autoFilter", "sort", "formatColumns", "formatRows", "selectLockedCells",
                    "selectUnlockedCells"):
        setattr(ws.protection, allowed, False)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a cell; a text a spreadsheet would read as a formula stays text: stored as a string
    (openpyxl would store ``=...`` as a formula) with Excel's quote prefix, so it stays text even
    once edited or saved as CSV (:func:`gusp_cli.exchange.formats.is_formula_like`)."""
    from gusp_cli.exchange.formats import is_formula_like

    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _validations(ws: Worksheet, last: int) -> None:
    """The status drop-down list and the date check on the follow-up columns."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letters = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Statut",
                            error="Choisissez un statut dans la liste.", promptTitle="Statut",
                            prompt="Nouveau statut de l'action", showInputMessage=True)
    status.add(f"{letters['statut']}2:{letters['statut']}{last}")
    date = DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(2000,1,1)",
                          allow_blank=True, showErrorMessage=True, errorTitle="Date",
                          error="Saisissez une date (JJ/MM/AAAA).")
    date.add(f"{letters['date']}2:{letters['date']}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(date)


def _summary(ws: Any, charter: Charter, entries: Sequence[Entry], order: list[str],
             names: dict[str, str], as_of: dt.date) -> None:
    """The summary sheet: counts by status per quartier, then how to fill the workbook."""
    from openpyxl.styles import Font

    ws.title = SUMMARY_SHEET
    statuses = [*(s.value for s in Statut), None]
    headers = ["Quartier", "Feuille", "Actions", *(STATUS_LABELS[s].capitalize() for s in statuses),
               f"En retard au {format_date(as_of)}"]
    columns = [Column(f"c{i}", h, 16 if i else 34, lambda r: None) for i, h in enumerate(headers)]
    _style_header(ws, columns)
    rows: list[list[Any]] = []
    for qid in order:
        group = [e for e in entries if e.quartier.id == qid]
        quartier = charter.quartier(qid)
        rows.append([quartier.nom if quartier else qid, names[qid], len(group),
                     *(sum(1 for e in group if (e.action.statut.value if e.action.statut else None) == s)
                       for s in statuses), sum(1 for e in group if e.is_overdue(as_of))])
    total = ["Total", "", *(sum(int(row[i]) for row in rows) for i in range(2, len(headers)))]
    for r, row in enumerate([*rows, total], start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).font = Font(bold=row is total)
    notes = [f"Situation au {format_date(as_of)} — {charter.charte.titre if charter.charte else ''}",
             "Remplissez seulement les colonnes jaunes des feuilles de quartier : Statut (liste), "
             "Date (du changement ; défaut : le jour de l'import) et Note.",
             "Les colonnes grises viennent de la charte : elles ne sont pas lues par gusp import, "
             "qui signale toute modification.",
             "Puis renvoyez le fichier : gusp import FICHIER.xlsx --dry-run montre les changements lus."]
    start = len(rows) + 4
    for i, text in enumerate(notes):
        ws.cell(row=start + i, column=1, value=text).font = Font(bold=i == 0)


def table_workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]], Sequence[float]]],
                   percent_columns: Sequence[str] = ()) -> bytes:
    """A plain workbook: per sheet (title, headers, rows, widths); ``percent_columns`` hold percents."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    for n, (title, headers, rows, widths) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title[:31]
        _style_header(ws, [Column(f"c{i}", h, w, lambda r: None) for i, (h, w) in enumerate(zip(
            headers, widths, strict=True))])
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                is_percent = headers[c - 1] in percent_columns and isinstance(value, int | float)
                cell = _put(ws, r, c, value / 100 if is_percent else value)
                if is_percent:
                    cell.number_format = "0.0 %"
                elif isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 2)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
