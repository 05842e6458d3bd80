"""The follow-up workbook a partner fills in: its sheets, its printed layout and its hidden base.

A workbook holds, in order:

- « Mode d'emploi »: whose workbook it is, when it was exported (and from which git revision),
  what to fill in and by when, and the counts per quartier;
- one sheet per quartier: the actions, the read-only columns from the charter (grey, locked) and
  the three follow-up columns a partner fills in (yellow): « Statut » (a drop-down list),
  « Date » (a real date) and « Note »; printed in A4 landscape at the page's width, the header
  repeated on every page and each row as tall as its wrapped text;
- « Signalements », when the workbook carries some (:mod:`gusp_cli.exchange.signal_sheet`): the
  field problems of the veille the party deals with, not closed, with their state to update;
- a very hidden, protected sheet, the *base*: what the workbook showed when it was exported
  (each action's status, a fingerprint of each read-only cell, the party, the date), with a
  checksum; one cell per action, so that a 50,000-action workbook stays quick to write. ``gusp import``
  compares the partner's cells with it and with the charter as it is by then (a three-way
  import): a cell the partner left alone never overwrites newer work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange.xlsx import CellWriter, Styles, new_workbook, print_landscape, put
from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.french.text import plural
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.vocabulary import Statut

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

INSTRUCTIONS_SHEET = "Mode d'emploi"
BASE_SHEET = "gusp_base"
BASE_FORMAT = "gusp-suivi-1"
"""Written in the base's first cell; a base of another format is not read."""
STATUS_CHOICES = [STATUS_LABELS[s.value] for s in Statut]
"""The drop-down list: « à faire », « en cours », « réalisée », « abandonnée », « reportée »."""
LINE_HEIGHT, MAX_ROW_HEIGHT = 12.75, 409.0
"""Points per line of 10-point text, and Excel's tallest row."""
CHARS_PER_WIDTH = 1.2
"""Characters of 10-point text per unit of column width (a unit is one « 0 » at 11 points)."""


@dataclass(frozen=True)
class Column:
    """A column of a quartier sheet."""

    key: str
    header: str
    width: float
    editable: bool = False
    guarded: bool = False
    """Read-only column whose change ``gusp import`` reports (derived columns are not guarded)."""
    wrap: bool = False
    date: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", 10),
    Column("tableau", "Tableau", 24, guarded=True, wrap=True),
    Column("numero", "N°", 5, guarded=True),
    Column("libelle", "Action", 50, guarded=True, wrap=True),
    Column("responsables", "Responsables", 22, guarded=True, wrap=True),
    Column("echeance", "Échéance", 12, guarded=True, wrap=True),
    Column("retard", "Retard", 13, wrap=True),
    Column("dernier_suivi", "Dernier suivi", 28, wrap=True),
    Column("statut", "Statut", 13, editable=True),
    Column("date", "Date", 11, editable=True, date=True),
    Column("note", "Note", 36, editable=True, wrap=True),
)
"""The quartier sheets' columns, in order."""
GUARDED = tuple(c.key for c in COLUMNS if c.guarded)
FOLLOW_UP = tuple(c.key for c in COLUMNS if c.editable)
BASE_COLUMNS = ("id", "feuille", "ligne", "statut", "empreintes")
"""The base's fields, tab-separated in one cell per action: the action, where its row is, its status
value and the fingerprints of its read-only cells (:func:`fingerprint`, one per :data:`GUARDED` column)."""


@dataclass(frozen=True)
class Export:
    """What a workbook says about itself: whose it is, when and from what it was exported."""

    date: dt.date
    """The export's reference date (the charter as it stood that day)."""
    charte: str
    """The charter's identity (its porteur and first year: ``agglo-2020``)."""
    titre: str
    partie: str | None = None
    """The party id of a per-party workbook (None: a selection of the whole charter)."""
    partie_nom: str | None = None
    revision: str | None = None
    """The git revision exported (None outside git)."""
    retour: dt.date | None = None
    """The date to send it back by (None: not set)."""
    retour_motif: str | None = None
    """Why that date (« réunion du comité de pilotage prévue le 30 janvier 2027 »)."""


@dataclass(frozen=True)
class ExportRow:
    """One action as the workbook shows it."""

    id: str
    quartier: str
    cells: dict[str, Any]
    statut: str | None
    """The status value shown (None: not reported)."""


def charter_identity(charter: Charter) -> str:
    """``porteur-first year`` (``agglo-2020``): which charter a workbook belongs to."""
    if charter.charte is None:
        return "charte"
    return f"{charter.charte.porteur}-{charter.charte.periode.debut}"


def export_row(charter: Charter, entry: Entry, day: dt.date) -> ExportRow:
    """The cells of one action at ``day``."""
    from gusp_cli.track.delays import delay_text
    from gusp_cli.track.follow_up import latest_line

    action, quartier, tableau = entry.action, entry.quartier, entry.tableau
    sector = next((s.nom for s in quartier.secteurs if s.id == tableau.secteur), None)
    status = action.statut.value if action.statut else None
    delay = delay_text(entry, day)
    return ExportRow(action.id, quartier.id, {
        "id": action.id,
        "tableau": tableau.titre + (f" — {sector}" if sector else ""),
        "numero": action.numero,
        "libelle": action.libelle,
        "responsables": charter.party_names(list(action.responsables), quartier, ", "),
        "echeance": action.echeance or "",
        "retard": "" if delay == "—" else delay,
        "dernier_suivi": latest_line(charter, entry, short=True),
        "statut": STATUS_LABELS[status] if status else None,
        "date": None,
        "note": None,
    }, status)


def sheet_names(charter: Charter, quartier_ids: Sequence[str]) -> dict[str, str]:
    """A valid, unique sheet name per quartier: its commune, else its name (31 characters at most)."""
    names: dict[str, str] = {}
    used = {INSTRUCTIONS_SHEET.casefold(), BASE_SHEET.casefold()}
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


def row_height(texts: Iterable[tuple[str, float]]) -> float:
    """The height, in points, that shows every line of wrapped ``(text, column width)`` cells."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * CHARS_PER_WIDTH) - 1)
        count = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
        lines = max(lines, count)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


# --------------------------------------------------------------------------- writing


def follow_up_workbook(charter: Charter, entries: Sequence[Entry], export: Export,
                       signals: Sequence[Any] = ()) -> bytes:
    """The follow-up workbook of ``entries`` (instructions, one sheet per quartier, the
    ``signals`` of the veille when there are some, the base)."""
    buffer = io.BytesIO()
    title = f"Suivi — {export.partie_nom}" if export.partie_nom else f"Suivi — {export.titre}"
    workbook = new_workbook(buffer, title, export.date)
    styles = Styles(workbook)
    groups: dict[str, list[ExportRow]] = {}
    for entry in entries:
        groups.setdefault(entry.quartier.id, []).append(export_row(charter, entry, export.date))
    order = [q.id for q in charter.quartiers if q.id in groups]
    names = sheet_names(charter, order)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    places: list[tuple[ExportRow, str, int]] = []
    for qid in order:
        _quartier_sheet(workbook.add_worksheet(names[qid]), groups[qid], styles, export)
        places += [(row, names[qid], n) for n, row in enumerate(groups[qid], start=2)]
    records = [base_record(row, sheet, n) for row, sheet, n in places]
    if signals:
        from gusp_cli.exchange.signal_sheet import SIGNAL_GUARDED, SIGNALS_SHEET, signal_sheet

        shown = signal_sheet(workbook.add_worksheet(SIGNALS_SHEET), charter, signals, styles, export)
        records += [base_record(row, SIGNALS_SHEET, n, SIGNAL_GUARDED)
                    for n, row in enumerate(shown, start=2)]
    _instructions(instructions, charter, groups, order, names, export, styles, len(signals))
    _base(workbook.add_worksheet(BASE_SHEET), records, export)
    workbook.close()
    return buffer.getvalue()


@dataclass(frozen=True)
class Choice:
    """The drop-down list of a sheet's state column."""

    key: str
    values: list[str]
    title: str
    message: str


STATUS_CHOICE = Choice("statut", STATUS_CHOICES, "Statut", "Nouveau statut de l'action")


def _quartier_sheet(ws: Worksheet, rows: list[ExportRow], styles: Styles, export: Export,
                    columns: Sequence[Column] = COLUMNS, choice: Choice = STATUS_CHOICE) -> None:
    """One quartier sheet (or the signalements' with their ``columns``): header, rows, validations,
    protection and print layout."""
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(0, c, column.header, styles.header(editable=column.editable))
    ws.set_row(0, row_height((c.header, c.width) for c in columns))
    wrapped = [(c.key, c.width) for c in columns if c.wrap]
    writers = [(c, column.key,
                CellWriter(styles, editable=column.editable, wrap=column.wrap, date=column.date))
               for c, column in enumerate(columns)]
    for r, row in enumerate(rows, start=1):
        ws.set_row(r, row_height((row.cells[key] or "", width) for key, width in wrapped))
        cells = row.cells
        for c, key, write in writers:
            write(ws, r, c, cells[key])
    last = max(len(rows), 1)
    letters = {c.key: i for i, c in enumerate(columns)}
    ws.data_validation(1, letters[choice.key], last, letters[choice.key], {
        "validate": "list", "source": choice.values, "input_title": choice.title,
        "input_message": choice.message, "error_title": choice.title,
        "error_message": "Choisissez une valeur dans la liste."})
    ws.data_validation(1, letters["date"], last, letters["date"], {
        "validate": "date", "criteria": ">=", "value": dt.datetime(2000, 1, 1), "error_title": "Date",
        "error_message": "Saisissez une date (JJ/MM/AAAA)."})
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, last, len(columns) - 1)
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    print_landscape(ws)
    who = export.partie_nom or export.titre
    ws.set_header(f"&L&8{_header_text(who)} — &A&R&8Exporté le {format_date(export.date)}")


def _header_text(text: str) -> str:
    """A text safe in a page header (``&`` introduces codes there)."""
    return text.replace("&", "&&")


def _instructions(ws: Worksheet, charter: Charter, groups: dict[str, list[ExportRow]], order: list[str],
                  names: dict[str, str], export: Export, styles: Styles, signals: int = 0) -> None:
    """The first sheet: whose workbook, what to fill in, by when, and the counts."""
    ws.set_column(0, 0, 34)
    ws.set_column(1, 4, 14)
    lines = instruction_lines(export, sum(len(g) for g in groups.values()))
    if signals:
        from gusp_cli.exchange.signal_sheet import instruction_line

        lines.insert(-1, (instruction_line(signals), False))
    for r, (text, bold) in enumerate(lines):
        ws.merge_range(r, 0, r, 4, text, styles.text(bold=bold, size=12 if r == 0 else 10))
        ws.set_row(r, row_height([(text, 34 + 4 * 14)]) + (6 if r == 0 else 0))
    start = len(lines) + 1
    headers = ("Quartier", "Feuille", "Actions", "En retard", "Sans statut")
    for c, header in enumerate(headers):
        ws.write_string(start, c, header, styles.header())
    for r, qid in enumerate(order, start=start + 1):
        group = groups[qid]
        quartier = charter.quartier(qid)
        values = [quartier.nom if quartier else qid, names[qid], len(group),
                  sum(1 for row in group if row.cells["retard"]),
                  sum(1 for row in group if row.statut is None)]
        for c, value in enumerate(values):
            put(ws, r, c, value, styles, plain=True)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def instruction_lines(export: Export, count: int) -> list[tuple[str, bool]]:
    """The instructions, in French, as (line, bold) pairs."""
    whose = (f"Classeur de {export.partie_nom} (identifiant {export.partie})" if export.partie
             else "Classeur de suivi de la charte")
    revision = f", révision {export.revision} du dépôt de la charte" if export.revision else ""
    if export.retour is not None:
        by = f"À renvoyer au chef de projet au plus tard le {format_date(export.retour)}"
        by += f" ({export.retour_motif})." if export.retour_motif else "."
    else:
        by = "À renvoyer au chef de projet dès qu'il est rempli"
        by += f" ({export.retour_motif})." if export.retour_motif else "."
    return [
        (f"Suivi des actions — {export.titre}", True),
        (f"{whose} : {plural(count, 'action')}, situation au {format_date(export.date)}{revision}.", False),
        (by, True),
        ("Ce qu'il faut remplir", True),
        ("Dans chaque feuille de quartier, pour chacune de vos actions, les colonnes jaunes seulement : "
         "Statut (choisir dans la liste : " + ", ".join(STATUS_CHOICES) + "), Date (le jour du changement, "
         "JJ/MM/AAAA ; vide : le jour où le chef de projet lit le classeur) et Note (ce qui a été fait, ce "
         "qui bloque, ce qui est prévu).", False),
        ("Une action dont rien n'a changé : laissez sa ligne telle quelle.", False),
        ("Les colonnes grises viennent de la charte et ne se modifient pas ici. Pour changer un libellé, "
         "une échéance ou un responsable, ou pour proposer une action nouvelle, écrivez-le dans la Note : "
         "le chef de projet le portera en avenant. Ne supprimez pas de ligne.", False),
        ("Le classeur garde, dans une feuille cachée, ce qu'il montrait à l'export : à l'import, ce que "
         "vous avez changé est appliqué, ce que vous n'avez pas touché ne remplace jamais un suivi plus "
         "récent, et un désaccord avec la charte est soumis au chef de projet.", False),
    ]


def _base(ws: Worksheet, records: list[str], export: Export) -> None:
    """The very hidden, protected base: what was exported (:func:`base_record`), and its checksum."""
    meta = base_meta(export)
    meta.append(("empreinte", base_checksum(meta, records)))
    for r, (key, value) in enumerate(meta):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.write_string(len(meta) + 1, 0, "\t".join(BASE_COLUMNS))
    for r, record in enumerate(records, start=len(meta) + 2):
        ws.write_string(r, 0, record)
    ws.very_hidden()
    ws.protect(hashlib.sha256(export.charte.encode()).hexdigest()[:16])


def base_record(row: ExportRow, sheet: str, line: int, guarded: Sequence[str] = GUARDED) -> str:
    """One action's base record (:data:`BASE_COLUMNS`, tab-separated); a signalement's holds its
    state and the fingerprints of its own read-only columns (``guarded``)."""
    prints = " ".join(fingerprint(row.cells[key]) for key in guarded)
    return "\t".join((row.id, sheet, str(line), row.statut or "", prints))


def fingerprint(value: Any) -> str:
    """A short fingerprint of a read-only cell as the workbook shows it (text; a number as written),
    spaces collapsed as a spreadsheet may rewrite them."""
    text = "" if value is None else " ".join(str(value).split())
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def base_meta(export: Export) -> list[tuple[str, str]]:
    """The base's first rows: its format and the export's identity."""
    return [("gusp", BASE_FORMAT), ("charte", export.charte), ("partie", export.partie or ""),
            ("date", export.date.isoformat()), ("revision", export.revision or "")]


def base_checksum(meta: Sequence[tuple[str, str]], records: Sequence[str]) -> str:
    """SHA-256 of the base's content (a base edited by hand is not trusted)."""
    digest = hashlib.sha256()
    for key, value in meta:
        if key != "empreinte":
            digest.update(f"{key}\t{value}\n".encode())
    for record in records:
        digest.update((record + "\n").encode())
    return digest.hexdigest()
