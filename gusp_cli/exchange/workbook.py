"""The follow-up workbook a partner fills in: its sheets, its printed layout and its hidden base.

A workbook holds, in order:

- « Mode d'emploi »: whose workbook it is, when it was exported (and from which git revision),
  what to fill in and by when, and the counts per quartier;
- one sheet per quartier: the actions, the read-only columns from the charter (grey, locked) and
  the three follow-up columns a partner fills in (yellow): « Statut » (a drop-down list),
  « Date » (a real date) and « Note »; then one yellow column per dimension of the charter's
  evaluation grid (:mod:`gusp_cli.model.evaluation`), pre-filled with what is recorded: a
  « oui / non » drop-down, an amount in euros, a number or a text, and beside the cost, when TFPB
  programme lines give some actions theirs (:class:`~gusp_cli.governance.tfpb.CostIndex`), a grey
  « Coût TFPB » with its source; printed in A4 landscape at the page's width, the header
  repeated on every page and each row as tall as its wrapped text;
- « Signalements », when the workbook carries some (:mod:`gusp_cli.exchange.signal_sheet`): the
  field problems of the veille the party deals with, not closed, with their state to update;
- a very hidden, protected sheet, the *base*: what the workbook showed when it was exported
  (each action's status and evaluation values, a fingerprint of each read-only cell, the party,
  the date, the evaluation columns), with a checksum; one cell per action, so that a
  50,000-action workbook stays quick to write. ``gusp import`` compares the partner's cells with
  it and with the charter as it is by then (a three-way import): a cell the partner left alone
  never overwrites newer work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange.xlsx import CellWriter, Styles, new_workbook, print_landscape, put
from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.french.text import fold, plural
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.evaluation import Dimension, value_of
from gusp_cli.model.vocabulary import Statut, TypeDimension

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from gusp_cli.governance.tfpb import CostIndex

INSTRUCTIONS_SHEET = "Mode d'emploi"
BASE_SHEET = "gusp_base"
BASE_FORMAT = "gusp-suivi-2"
"""Written in the base's first cell. Version 2 adds the evaluation (its columns, each row's values);
:data:`BASE_FORMATS` are the ones ``gusp import`` reads."""
STATUS_CHOICES = [STATUS_LABELS[s.value] for s in Statut]
"""The drop-down list: « à faire », « en cours », « réalisée », « abandonnée », « reportée »."""
LINE_HEIGHT, MAX_ROW_HEIGHT = 12.75, 409.0
"""Points per line of 10-point text, and Excel's tallest row."""
CHARS_PER_WIDTH = 1.2
"""Characters of 10-point text per unit of column width (a unit is one « 0 » at 11 points)."""


@dataclass(frozen=True)
class Choice:
    """The drop-down list of a column."""

    values: list[str]
    title: str
    message: str


STATUS_CHOICE = Choice(STATUS_CHOICES, "Statut", "Nouveau statut de l'action")
YES_NO = ["oui", "non"]
YES_NO_CHOICE = Choice(YES_NO, "Évaluation", "oui, non, ou vide si ce n'est pas encore su")


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
    choice: Choice | None = None
    """The drop-down list a partner picks from."""
    euro: bool = False
    """An amount in euros (French number format, checked ≥ 0)."""
    number: bool = False
    """A number (checked as one)."""


COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", 9),
    Column("tableau", "Tableau", 18, guarded=True, wrap=True),
    Column("numero", "N°", 5, guarded=True),
    Column("libelle", "Action", 44, guarded=True, wrap=True),
    Column("responsables", "Responsables", 18, guarded=True, wrap=True),
    Column("echeance", "Échéance", 10, guarded=True, wrap=True),
    Column("retard", "Retard", 11, wrap=True),
    Column("dernier_suivi", "Dernier suivi", 22, wrap=True),
    Column("statut", "Statut", 12, editable=True, choice=STATUS_CHOICE),
    Column("date", "Date", 11, editable=True, date=True),
    Column("note", "Note", 28, editable=True, wrap=True),
)
"""The quartier sheets' columns, in order."""
GUARDED = tuple(c.key for c in COLUMNS if c.guarded)
FOLLOW_UP = tuple(c.key for c in COLUMNS if c.editable)
BASE_COLUMNS = ("id", "feuille", "ligne", "statut", "empreintes", "evaluation")
"""The base's fields, tab-separated in one cell per action: the action, where its row is, its status
value, the fingerprints of its read-only cells (:func:`fingerprint`, one per :data:`GUARDED` column)
and its evaluation values exported (a JSON list, one per evaluation column of the base; empty for a
signalement)."""
BASE_FORMATS = {"gusp-suivi-1": BASE_COLUMNS[:5], BASE_FORMAT: BASE_COLUMNS}
"""The base formats ``gusp import`` reads, with their fields: version 1 (before the evaluation
columns) has no evaluation, and its import touches no evaluation."""
EVALUATION_KEY = "evaluation."
"""Prefix of the key of an evaluation column (``evaluation.cout``)."""
TFPB_COST = Column("cout_tfpb", "Coût TFPB (source)", 16, wrap=True)
"""Beside the cost: the amounts spent on the action's TFPB lines when it records no cost (read-only,
derived: never imported)."""


def evaluation_columns(dimensions: Sequence[Dimension], tfpb: bool) -> tuple[Column, ...]:
    """One yellow column per dimension of the grid, in its order (a header that a follow-up column
    already uses gets « (évaluation) »), and :data:`TFPB_COST` after the cost when ``tfpb``."""
    used = {fold(c.header) for c in (*COLUMNS, TFPB_COST)} | {fold(c.key) for c in COLUMNS}
    out: list[Column] = []
    for d in dimensions:
        header = d.libelle if fold(d.libelle) not in used else f"{d.libelle} (évaluation)"
        used.add(fold(header))
        key = EVALUATION_KEY + d.id
        if d.type is TypeDimension.oui_non:
            out.append(Column(key, header, 10, editable=True, wrap=True, choice=YES_NO_CHOICE))
        elif d.type is TypeDimension.montant:
            out.append(Column(key, header, 11, editable=True, euro=True))
        elif d.type is TypeDimension.nombre:
            out.append(Column(key, header, 10, editable=True, number=True))
        else:
            out.append(Column(key, header, 24, editable=True, wrap=True))
        if d.id == "cout" and tfpb:
            out.append(TFPB_COST)
    return tuple(out)


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
    evaluation: dict[str, Any] = field(default_factory=dict)
    """The evaluation values shown, by dimension id (None: not reported)."""


def charter_identity(charter: Charter) -> str:
    """``porteur-first year`` (``agglo-2020``): which charter a workbook belongs to."""
    if charter.charte is None:
        return "charte"
    return f"{charter.charte.porteur}-{charter.charte.periode.debut}"


def export_row(charter: Charter, entry: Entry, day: dt.date, dimensions: Sequence[Dimension] = (),
               costs: CostIndex | None = None) -> ExportRow:
    """The cells of one action at ``day``, with its evaluation on ``dimensions`` and, given
    ``costs``, its TFPB cost when it records none."""
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
        **evaluation_cells(entry, dimensions, costs),
    }, status, {d.id: value_of(action.evaluation, d.id) for d in dimensions})


def evaluation_cells(entry: Entry, dimensions: Sequence[Dimension],
                     costs: CostIndex | None) -> dict[str, Any]:
    """The evaluation cells of an action: « oui » / « non », an amount, a number or a text (None
    when not reported), and its TFPB cost with its source (``cout_tfpb``) when ``costs`` is given."""
    cells: dict[str, Any] = {}
    for d in dimensions:
        value = value_of(entry.action.evaluation, d.id)
        cells[EVALUATION_KEY + d.id] = ("oui" if value else "non") if isinstance(value, bool) else value
    if costs is not None:
        cells[TFPB_COST.key] = tfpb_cost_text(costs, entry)
    return cells


def tfpb_cost_text(costs: CostIndex, entry: Entry) -> str:
    """« 45 250,50 € — TFPB Bailleur du Centre 2025 (ligne partagée avec ABC-043) », or empty when
    the action records its cost or no TFPB line gives one."""
    from gusp_cli.french.dates import format_euros

    cost = costs.cost(entry)
    if cost.origine != "tfpb" or cost.montant is None:
        return ""
    shared = sorted({a for s in cost.sources for a in s.partagee_avec})
    also = f" (ligne partagée avec {', '.join(shared)})" if shared else ""
    return f"{format_euros(cost.montant)} — {cost.source}{also}"


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


@dataclass(frozen=True)
class Layout:
    """The quartier sheets' columns of one workbook: the follow-up columns, then the evaluation's."""

    dimensions: tuple[Dimension, ...]
    columns: tuple[Column, ...]
    costs: CostIndex | None
    """The TFPB costs, when some action of the workbook gets its cost from them (None: no column)."""

    @property
    def evaluation(self) -> list[tuple[str, str]]:
        """(dimension id, header) of each evaluation column, as the base records them."""
        headers = {c.key: c.header for c in self.columns}
        return [(d.id, headers[EVALUATION_KEY + d.id]) for d in self.dimensions]


def layout(charter: Charter, entries: Sequence[Entry], day: dt.date) -> Layout:
    """The columns of a workbook of ``entries``: the charter's evaluation grid, and the TFPB cost
    column when the grid has a cost and a TFPB line gives one of the actions its cost (a quartier
    sheet none of whose actions gets one goes without it)."""
    from gusp_cli.governance.tfpb import CostIndex
    from gusp_cli.model.evaluation import grid

    dimensions = tuple(grid(charter))
    costs = None
    if charter.tfpb is not None and any(d.id == "cout" for d in dimensions):
        index = CostIndex(charter, day)
        costs = index if any(index.cost(e).origine == "tfpb" for e in entries) else None
    return Layout(dimensions, COLUMNS + evaluation_columns(dimensions, costs is not None), costs)


def follow_up_workbook(charter: Charter, entries: Sequence[Entry], export: Export,
                       signals: Sequence[Any] = ()) -> bytes:
    """The follow-up workbook of ``entries`` (instructions, one sheet per quartier, the
    ``signals`` of the veille when there are some, the base)."""
    buffer = io.BytesIO()
    title = f"Suivi — {export.partie_nom}" if export.partie_nom else f"Suivi — {export.titre}"
    workbook = new_workbook(buffer, title, export.date)
    styles = Styles(workbook)
    shape = layout(charter, entries, export.date)
    groups: dict[str, list[ExportRow]] = {}
    for entry in entries:
        groups.setdefault(entry.quartier.id, []).append(
            export_row(charter, entry, export.date, shape.dimensions, shape.costs))
    order = [q.id for q in charter.quartiers if q.id in groups]
    names = sheet_names(charter, order)
    instructions = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    places: list[tuple[ExportRow, str, int]] = []
    for qid in order:
        tfpb = any(row.cells.get(TFPB_COST.key) for row in groups[qid])
        columns = tuple(c for c in shape.columns if tfpb or c is not TFPB_COST)
        _quartier_sheet(workbook.add_worksheet(names[qid]), groups[qid], styles, export, columns)
        places += [(row, names[qid], n) for n, row in enumerate(groups[qid], start=2)]
    records = [base_record(row, sheet, n, evaluation=shape.dimensions) for row, sheet, n in places]
    if signals:
        from gusp_cli.exchange.signal_sheet import SIGNAL_GUARDED, SIGNALS_SHEET, signal_sheet

        shown = signal_sheet(workbook.add_worksheet(SIGNALS_SHEET), charter, signals, styles, export)
        records += [base_record(row, SIGNALS_SHEET, n, SIGNAL_GUARDED)
                    for n, row in enumerate(shown, start=2)]
    _instructions(instructions, charter, groups, order, names, export, styles, shape, len(signals))
    _base(workbook.add_worksheet(BASE_SHEET), records, export, shape.evaluation)
    workbook.close()
    return buffer.getvalue()


def _quartier_sheet(ws: Worksheet, rows: list[ExportRow], styles: Styles, export: Export,
                    columns: Sequence[Column] = COLUMNS) -> None:
    """One quartier sheet (or the signalements' with their ``columns``): header, rows, validations,
    protection and print layout."""
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(0, c, column.header, styles.header(editable=column.editable))
    ws.set_row(0, row_height((c.header, c.width) for c in columns))
    wrapped = [(c.key, c.width) for c in columns if c.wrap]
    writers = [(c, column.key, CellWriter(styles, editable=column.editable, wrap=column.wrap,
                                          date=column.date, euro=column.euro))
               for c, column in enumerate(columns)]
    for r, row in enumerate(rows, start=1):
        ws.set_row(r, row_height((row.cells[key] or "", width) for key, width in wrapped))
        cells = row.cells
        for c, key, write in writers:
            write(ws, r, c, cells[key])
    last = max(len(rows), 1)
    for c, column in enumerate(columns):
        check = _validation(column)
        if check is not None:
            ws.data_validation(1, c, last, c, check)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, last, len(columns) - 1)
    ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    print_landscape(ws)
    who = export.partie_nom or export.titre
    ws.set_header(f"&L&8{_header_text(who)} — &A&R&8Exporté le {format_date(export.date)}")


def _validation(column: Column) -> dict[str, Any] | None:
    """What the spreadsheet checks as the partner types in a yellow column (None: nothing)."""
    title = column.header[:32]  # Excel's limit
    if column.choice is not None:
        return {"validate": "list", "source": column.choice.values, "input_title": column.choice.title,
                "input_message": column.choice.message, "error_title": column.choice.title,
                "error_message": "Choisissez une valeur dans la liste."}
    if column.date:
        return {"validate": "date", "criteria": ">=", "value": dt.datetime(2000, 1, 1), "error_title": "Date",
                "error_message": "Saisissez une date (JJ/MM/AAAA)."}
    if column.euro:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": title,
                "error_message": "Saisissez un montant en euros, positif (12500 ou 12 500,50)."}
    if column.number:
        return {"validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15,
                "error_title": title, "error_message": "Saisissez un nombre."}
    return None


def _header_text(text: str) -> str:
    """A text safe in a page header (``&`` introduces codes there)."""
    return text.replace("&", "&&")


def _instructions(ws: Worksheet, charter: Charter, groups: dict[str, list[ExportRow]], order: list[str],
                  names: dict[str, str], export: Export, styles: Styles, shape: Layout,
                  signals: int = 0) -> None:
    """The first sheet: whose workbook, what to fill in, by when, and the counts."""
    headers = ["Quartier", "Feuille", "Actions", "En retard", "Sans statut"]
    if shape.dimensions:
        headers.append("Évaluation incomplète")
    last = len(headers) - 1
    ws.set_column(0, 0, 34)
    ws.set_column(1, last, 14)
    width = 34 + last * 14
    evaluation = [c for c in shape.columns if c.key.startswith(EVALUATION_KEY)]
    lines = instruction_lines(export, sum(len(g) for g in groups.values()), evaluation,
                              tfpb=shape.costs is not None)
    if signals:
        from gusp_cli.exchange.signal_sheet import instruction_line

        lines.insert(-1, (instruction_line(signals), False))
    for r, (text, bold) in enumerate(lines):
        ws.merge_range(r, 0, r, last, text, styles.text(bold=bold, size=12 if r == 0 else 10))
        ws.set_row(r, row_height([(text, width)]) + (6 if r == 0 else 0))
    start = len(lines) + 1
    for c, header in enumerate(headers):
        ws.write_string(start, c, header, styles.header())
    ws.set_row(start, row_height((h, 14) for h in headers))
    for r, qid in enumerate(order, start=start + 1):
        group = groups[qid]
        quartier = charter.quartier(qid)
        values = [quartier.nom if quartier else qid, names[qid], len(group),
                  sum(1 for row in group if row.cells["retard"]),
                  sum(1 for row in group if row.statut is None)]
        if shape.dimensions:
            values.append(sum(1 for row in group if evaluation_blanks(row)))
        for c, value in enumerate(values):
            put(ws, r, c, value, styles, plain=True)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def evaluation_blanks(row: ExportRow) -> list[str]:
    """The dimensions a row leaves to fill in: blank, except a cost the TFPB column already gives
    (what ``gusp evaluation --a-renseigner`` asks for)."""
    return [d for d, value in row.evaluation.items()
            if value is None and not (d == "cout" and row.cells.get(TFPB_COST.key))]


def instruction_lines(export: Export, count: int, evaluation: Sequence[Column] = (), *,
                      tfpb: bool = False) -> list[tuple[str, bool]]:
    """The instructions, in French, as (line, bold) pairs; ``evaluation``: the evaluation columns,
    ``tfpb``: the workbook shows TFPB costs."""
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
        *_evaluation_lines(evaluation, tfpb),
        ("Une action dont rien n'a changé : laissez sa ligne telle quelle.", False),
        ("Les colonnes grises viennent de la charte et ne se modifient pas ici. Pour changer un libellé, "
         "une échéance ou un responsable, ou pour proposer une action nouvelle, écrivez-le dans la Note : "
         "le chef de projet le portera en avenant. Ne supprimez pas de ligne.", False),
        ("Le classeur garde, dans une feuille cachée, ce qu'il montrait à l'export : à l'import, ce que "
         "vous avez changé est appliqué, ce que vous n'avez pas touché ne remplace jamais un suivi plus "
         "récent, et un désaccord avec la charte est soumis au chef de projet.", False),
    ]


def _evaluation_lines(columns: Sequence[Column], tfpb: bool) -> list[tuple[str, bool]]:
    """What the instructions say of the evaluation columns (nothing when the grid is empty)."""
    if not columns:
        return []

    def named(kind: str) -> str:
        chosen = [c for c in columns if kind == ("choice" if c.choice else "euro" if c.euro
                                                 else "number" if c.number else "text")]
        return ", ".join(f"« {c.header} »" for c in chosen)

    said = {"choice": "oui ou non, dans la liste",
            "euro": "le montant en euros, un nombre (12500 ou 12 500,50)",
            "number": "un nombre", "text": "un texte court"}
    parts = [f"{named(kind)} : {what}" for kind, what in said.items() if named(kind)]
    lines = [("Évaluation de l'action", True),
             ("Ensuite, à droite de la Note, les colonnes jaunes de l'évaluation de la charte, "
              "pré-remplies avec ce qui est déjà enregistré : " + " ; ".join(parts)
              + ". Laissez vide ce qui n'est pas encore su. Une case remplie à tort se corrige ; pour "
              "l'effacer, dites-le dans la Note (une case vidée n'est pas importée). Le tableau ci-dessous "
              "compte, par quartier, les actions dont l'évaluation est incomplète.", False)]
    if tfpb:
        lines.append((f"« {TFPB_COST.header} », en gris : le coût que donnent les dépenses valorisées du "
                      "programme TFPB du bailleur, avec sa source ; l'action n'a pas besoin d'un autre coût, "
                      "sauf si le coût réel de l'opération est différent (saisissez-le alors dans la colonne "
                      "du coût).", False))
    return lines


def _base(ws: Worksheet, records: list[str], export: Export, evaluation: Sequence[tuple[str, str]]) -> None:
    """The very hidden, protected base: what was exported (:func:`base_record`), and its checksum."""
    meta = base_meta(export, evaluation)
    meta.append(("empreinte", base_checksum(meta, records)))
    for r, (key, value) in enumerate(meta):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.write_string(len(meta) + 1, 0, "\t".join(BASE_COLUMNS))
    for r, record in enumerate(records, start=len(meta) + 2):
        ws.write_string(r, 0, record)
    ws.very_hidden()
    ws.protect(hashlib.sha256(export.charte.encode()).hexdigest()[:16])


def base_record(row: ExportRow, sheet: str, line: int, guarded: Sequence[str] = GUARDED,
                evaluation: Sequence[Dimension] | None = None) -> str:
    """One action's base record (:data:`BASE_COLUMNS`, tab-separated), with its values on the
    ``evaluation`` dimensions; a signalement's holds its state and the fingerprints of its own
    read-only columns (``guarded``), and no evaluation."""
    prints = " ".join(fingerprint(row.cells[key]) for key in guarded)
    values = (json.dumps([row.evaluation.get(d.id) for d in evaluation], ensure_ascii=False)
              if evaluation is not None else "")
    return "\t".join((row.id, sheet, str(line), row.statut or "", prints, values))


def fingerprint(value: Any) -> str:
    """A short fingerprint of a read-only cell as the workbook shows it (text; a number as written),
    spaces collapsed as a spreadsheet may rewrite them."""
    text = "" if value is None else " ".join(str(value).split())
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def base_meta(export: Export, evaluation: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The base's first rows: its format, the export's identity and the evaluation columns
    (dimension id, header; a JSON list)."""
    return [("gusp", BASE_FORMAT), ("charte", export.charte), ("partie", export.partie or ""),
            ("date", export.date.isoformat()), ("revision", export.revision or ""),
            ("evaluation", json.dumps([list(pair) for pair in evaluation], ensure_ascii=False))]


def base_checksum(meta: Sequence[tuple[str, str]], records: Sequence[str]) -> str:
    """SHA-256 of the base's content (a base edited by hand is not trusted)."""
    digest = hashlib.sha256()
    for key, value in meta:
        if key != "empreinte":
            digest.update(f"{key}\t{value}\n".encode())
    for record in records:
        digest.update((record + "\n").encode())
    return digest.hexdigest()
