"""Reading follow-up updates back from a partner's workbook (XLSX) or CSV, and applying them.

Only the follow-up columns are read: ``statut``, ``date`` and ``note`` (the workbook's « Statut »,
« Date », « Note »). Each row is matched on its action id. A row is refused, and reported, when its
id is unknown, when it changes a read-only column (label, échéance, parties... compared with the
charter), when its status is unknown or erased, or its date invalid or after the as-of date.
Accepted updates are applied with the same surgical edit as ``gusp status``
(:func:`gusp_cli.track.edits.plan_status`): one suivi entry per update, nothing else in the file moves.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.french.text import fold
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import GuspError, Problem
from gusp_cli.model.models import Statut

if TYPE_CHECKING:
    from gusp_cli.store.roundtrip import Source
    from gusp_cli.track.edits import Change

FOLLOW_UP = ("statut", "date", "note")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters a charter file refuses in a text (the reader's rule): a note holding one is refused."""
MAX_ROWS = 100_000
"""Rows read at most (a charter has a few hundred actions): reading stops at the first row past it."""
MAX_FIELD_CHARS = 100_000
"""Longest CSV cell read (a note is a few lines)."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest total a workbook may unpack to, as its archive declares it (a real one: a few Mio)."""
MAX_MEMBER_RATIO = 200
"""Largest compression ratio of a big member of a workbook (XML compresses 10 to 30 times; a zip
bomb a thousand times)."""
MAX_MEMBERS = 10_000
"""Most files inside a workbook."""


@dataclass
class Row:
    """One data row of the file: where it is and its cells by column key."""

    where: str
    """``feuille « Centre », ligne 12`` or ``ligne 12``."""
    cells: dict[str, Any]


@dataclass
class Update:
    """An accepted change for one action."""

    entry: Entry
    where: str
    statut: Statut | None
    """New status (None: unchanged, the row only adds a note)."""
    date: dt.date
    note: str | None

    @property
    def current(self) -> Statut | None:
        """The status before the update."""
        return self.entry.action.statut


@dataclass
class Refusal:
    """A row that is reported, not applied."""

    where: str
    action_id: str
    reason: str


@dataclass
class Plan:
    """What a file asks for."""

    updates: list[Update] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0


# --------------------------------------------------------------------------- reading


def _header_keys() -> dict[str, str]:
    """Folded header -> column key: the workbook's French headers and the CSV contract's keys."""
    from gusp_cli.exchange.xlsx import COLUMNS

    keys = {fold(c.header): c.key for c in COLUMNS}
    keys.update({fold(c.key): c.key for c in COLUMNS})
    keys.update({k: k for k in ("responsables_noms", "quartier_nom", "secteur_nom", "date_realisation",
                                "en_retard", "jours_de_retard", "statut", "date", "note")})
    return keys


def read_rows(path: Path) -> list[Row]:
    """The data rows of an ``.xlsx`` or ``.csv`` file; GuspError (exit 2) when it cannot be read.

    Bounded like the charter's reader: a regular file of at most 20 Mio; a workbook whose archive
    declares more than :data:`MAX_UNPACKED_BYTES` or a zip-bomb ratio is refused before it is
    opened; reading stops at the first row past :data:`MAX_ROWS` or a cell past
    :data:`MAX_FIELD_CHARS`; whatever the file holds, the answer is a French message.
    """
    from gusp_cli.store.yamlio import read_bounded

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise GuspError(f"{path} : format non pris en charge (attendu .xlsx ou .csv)", 2)
    raw, problem = read_bounded(path)
    if raw is None:
        reason = problem.message if problem is not None else "erreur inconnue"
        raise GuspError(f"{path} : lecture impossible ({reason})", 2)
    return _read_xlsx(path, raw) if suffix == ".xlsx" else _read_csv(path, raw)


def _too_many_rows(path: Path) -> GuspError:
    return GuspError(f"{path} : plus de {MAX_ROWS} lignes, ce n'est pas un suivi de charte", 2)


def check_archive(path: Path, raw: bytes) -> None:
    """Refuse a workbook whose archive is not a zip, or declares too much to unpack (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise GuspError(f"{path} : classeur Excel illisible (ce n'est pas une archive .xlsx) ; "
                        "enregistrez-le au format .xlsx", 2) from None
    total = sum(m.file_size for m in members)
    bomb = next((m for m in members if m.file_size > 1024 * 1024
                 and m.file_size > MAX_MEMBER_RATIO * max(m.compress_size, 1)), None)
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or bomb is not None:
        detail = (f"« {bomb.filename} » se décompresse {bomb.file_size // max(bomb.compress_size, 1)} fois"
                  if bomb is not None else f"{len(members)} fichiers, {total} octets une fois décompressé")
        raise GuspError(f"{path} : classeur refusé ({detail}) : ce n'est pas un suivi de charte", 2)


def _read_xlsx(path: Path, raw: bytes) -> list[Row]:
    """Rows of every sheet whose header has an « Id » column (the summary sheet is skipped).

    openpyxl parses the sheets lazily: any failure while reading (broken XML, entities, control
    characters) is a French error; its warnings (unsupported extensions) are not shown."""
    import warnings

    check_archive(path, raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _xlsx_rows(path, raw)
    except GuspError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a broken workbook
        raise GuspError(f"{path} : classeur Excel illisible ({_what_broke(exc)}) ; ouvrez-le et "
                        "enregistrez-le de nouveau au format .xlsx", 2) from None


def _what_broke(exc: Exception) -> str:
    """The kind of failure, in French (never a stack trace)."""
    name = type(exc).__name__
    if name in ("ParseError", "ExpatError", "XMLSyntaxError") or "xml" in type(exc).__module__:
        return "contenu XML invalide"
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
        return "entités XML refusées"
    return f"contenu inattendu : {name}"


def _xlsx_rows(path: Path, raw: bytes) -> list[Row]:
    """The rows of the workbook's follow-up sheets."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    keys = _header_keys()
    rows: list[Row] = []
    found = False
    try:
        for ws in wb.worksheets:
            lines = ws.iter_rows(values_only=True)
            header = [keys.get(fold(str(h))) if h is not None else None for h in next(lines, ())]
            if "id" not in header:
                continue
            found = True
            for n, values in enumerate(lines, start=2):
                cells = {k: v for k, v in zip(header, values, strict=False) if k is not None}
                if any(v not in (None, "") for v in cells.values()):
                    if len(rows) >= MAX_ROWS:
                        raise _too_many_rows(path)
                    rows.append(Row(f"feuille « {ws.title} », ligne {n}", cells))
    finally:
        wb.close()
    if not found:
        raise GuspError(f"{path} : aucune feuille avec une colonne « Id » (ce classeur vient-il de "
                        "gusp export --format xlsx ?)", 2)
    return rows


def _read_csv(path: Path, raw: bytes) -> list[Row]:
    """Rows of a CSV (``;`` or ``,``, UTF-8 with or without BOM) whose header has an ``id`` column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GuspError(f"{path} : encodage invalide ; enregistrez le CSV en UTF-8", 2) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    keys = _header_keys()
    rows: list[Row] = []
    limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        header = [keys.get(fold(h)) for h in next(reader, [])]
        if "id" not in header:
            raise GuspError(f"{path} : pas de colonne « id » dans l'en-tête", 2)
        for n, values in enumerate(reader, start=2):
            cells = {k: _undefuse(v) for k, v in zip(header, values, strict=False) if k is not None}
            if any(v for v in cells.values()):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows(path)
                rows.append(Row(f"ligne {n}", cells))
    except csv.Error as exc:
        raise GuspError(f"{path}, ligne {reader.line_num} : CSV illisible ({_csv_reason(exc)})", 2) from None
    finally:
        csv.field_size_limit(limit)
    return rows


def _csv_reason(exc: csv.Error) -> str:
    """Python's CSV error in French."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"une cellule dépasse {MAX_FIELD_CHARS} caractères"
    if "NUL" in text:
        return "octet nul : fichier binaire ?"
    return "guillemets ou séparateurs mal formés"


def _undefuse(text: str) -> str:
    """Remove the ``'`` the CSV export puts before a cell a spreadsheet would read as a formula."""
    from gusp_cli.exchange.formats import is_formula_like

    return text[1:] if text[:1] == "'" and is_formula_like(text[1:]) else text


# --------------------------------------------------------------------------- planning


def _text(value: Any) -> str:
    """A cell as comparable text: dates ISO, whole numbers without decimals, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def parse_status(value: Any) -> tuple[Statut | None, bool]:
    """(status, valid) from a cell: a value (``en_cours``) or a label (« en cours »); empty is None."""
    from gusp_cli.track.matching import statut_value

    text = _text(value)
    if fold(text) in ("", fold(STATUS_LABELS[None])):
        return None, True
    found = statut_value(text)
    return (Statut(found), True) if found is not None else (None, False)


def parse_date(value: Any) -> dt.date | None:
    """A real date cell, ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; ValueError otherwise (None when empty)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if "/" in text:
        day, month, year = (int(p) for p in text.split("/"))
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def _expected(charter: Charter, entry: Entry, today: dt.date) -> dict[str, str]:
    """The guarded read-only columns as the export writes them, as comparable text."""
    from gusp_cli.exchange.xlsx import COLUMNS, export_record

    data = export_record(charter, entry, today)
    out = {c.key: _text(c.value(data)) for c in COLUMNS if c.guarded}
    for key in ("responsables_noms", "quartier_nom", "secteur_nom", "date_realisation"):
        out[key] = _text(data[key])
    # The CSV writes ids where the workbook writes names: accept either.
    out["responsables_ids"] = _text(data["responsables"])
    out["quartier_id"], out["secteur_id"] = _text(data["quartier"]), _text(data["secteur"])
    out["phase_id"] = _text(data["phase"])
    return out


_ALIASES = {"responsables": "responsables_ids", "quartier": "quartier_id", "secteur": "secteur_id",
            "phase": "phase_id"}


def read_only_changes(charter: Charter, entry: Entry, row: Row, today: dt.date) -> list[str]:
    """The read-only columns the row changes, as « colonne (« avant » → « après ») »."""
    from gusp_cli.exchange.xlsx import COLUMNS

    expected = _expected(charter, entry, today)
    headers = {c.key: c.header for c in COLUMNS}
    changed = []
    for key, value in row.cells.items():
        if key not in expected:
            continue
        got = _text(value)
        if got in (expected[key], expected.get(_ALIASES.get(key, ""), None)):
            continue
        changed.append(f"{headers.get(key, key)} (« {_short(expected[key])} » → « {_short(got)} »)")
    return changed


def _short(text: str, width: int = 60) -> str:
    """A long cell shortened for a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def plan_import(charter: Charter, rows: Iterable[Row], today: dt.date) -> Plan:
    """Sort the rows into updates to apply, refusals and unchanged rows."""
    plan = Plan()
    seen: dict[str, str] = {}
    for row in rows:
        plan.rows += 1
        action_id = _text(row.cells.get("id")).upper()
        entry = charter.by_id.get(action_id)
        if entry is None:
            plan.refused.append(Refusal(row.where, action_id or "—", "identifiant inconnu dans la charte"))
            continue
        if action_id in seen:
            plan.refused.append(Refusal(row.where, action_id, f"action déjà lue ({seen[action_id]})"))
            continue
        seen[action_id] = row.where
        outcome = _row_update(charter, entry, row, today)
        if isinstance(outcome, Refusal):
            plan.refused.append(outcome)
        elif outcome is None:
            plan.unchanged += 1
        else:
            plan.updates.append(outcome)
    return plan


def _row_update(charter: Charter, entry: Entry, row: Row, today: dt.date) -> Update | Refusal | None:
    """The update one row asks for, its refusal, or None when it changes nothing."""
    def refuse(reason: str) -> Refusal:
        return Refusal(row.where, entry.id, reason)

    changed = read_only_changes(charter, entry, row, today)
    if changed:
        return refuse("colonne en lecture seule modifiée : " + " ; ".join(changed))
    current = entry.action.statut
    status, valid = parse_status(row.cells.get("statut")) if "statut" in row.cells else (current, True)
    if not valid:
        return refuse(f"statut « {_text(row.cells.get('statut'))} » inconnu (valeurs : "
                      f"{', '.join(STATUS_LABELS[s.value] for s in Statut)})")
    try:
        date = parse_date(row.cells.get("date"))
    except (ValueError, TypeError):
        return refuse(f"date « {_text(row.cells.get('date'))} » invalide (attendu JJ/MM/AAAA ou AAAA-MM-JJ)")
    note = _text(row.cells.get("note")) or None
    control = _CONTROL.search(note or "")
    if control is not None:
        return refuse(f"note : caractère de contrôle U+{ord(control.group()):04X} interdit (copié depuis "
                      "un autre logiciel ?)")
    if status is None and current is not None:
        return refuse(f"statut effacé (« {STATUS_LABELS[current.value]} » → vide) : un statut ne s'efface "
                      "pas par import")
    new_status = status if status != current else None
    if new_status is None and note is not None and any(s.note == note for s in entry.action.suivi):
        return None  # the note is already in the follow-up: a workbook imported twice changes nothing
    if new_status is None and note is None:
        recorded = any(s.date == date and s.statut == current for s in entry.action.suivi)
        return refuse("date sans changement de statut ni note : ignorée") if date and not recorded else None
    if date is not None and date > today:
        return refuse(f"date {date.isoformat()} dans le futur (aujourd'hui : {today.isoformat()})")
    implausible = _implausible(charter, date)
    if implausible is not None:
        return refuse(implausible)
    if new_status is None and current is None:
        return refuse("note sans statut : choisissez aussi un statut pour consigner la note")
    if new_status is Statut.reportee:
        return refuse(f"« reportée » demande la nouvelle échéance : gusp status {entry.id} reportee "
                      "--echeance … --motif « … »")
    return Update(entry, row.where, new_status, date or today, note)


def _implausible(charter: Charter, date: dt.date | None) -> str | None:
    """Why a row's date is implausible (an Excel cell ``-5`` reads as 25 December 1899), or None."""
    from gusp_cli.model.period import implausible

    return implausible(charter.charte, date) if date is not None else None


# --------------------------------------------------------------------------- applying


def apply(charter: Charter, updates: list[Update], today: dt.date, *, write: bool) -> list[Change]:
    """Plan (and with ``write``, write) the updates, one locked atomic edit per file.

    Each update goes through :func:`gusp_cli.track.edits.plan_status`, which checks the charter as it
    would be; a refused update aborts its whole file (GuspError), nothing of that file is written.
    """
    from gusp_cli.track.edits import run_edit

    by_file: dict[Path, list[Update]] = {}
    for update in updates:
        by_file.setdefault(update.entry.file, []).append(update)
    changes = []
    for path, group in by_file.items():
        def planner(source: Source, group: list[Update] = group) -> Change:
            return _plan_file(charter, source, group, today)

        changes.append(run_edit(path, planner, write=write))
    return changes


def _plan_file(charter: Charter, source: Source, group: list[Update], today: dt.date) -> Change:
    """Chain the status edits of one file on its text; return one change from the original bytes."""
    from gusp_cli.store.roundtrip import decode_source
    from gusp_cli.track.edits import Change, plan_status

    current, last = source, None
    summary: list[str] = []
    warnings: list[Problem] = []
    for update in group:
        status = update.statut or update.current
        if status is None:  # plan_import never lets this through
            raise GuspError(f"{update.entry.id} : statut manquant", 70)
        last = plan_status(charter, current, update.entry.id, status, date=update.date, note=update.note,
                           today=today)
        summary += last.summary
        warnings += [w for w in last.warnings if w.format() not in {x.format() for x in warnings}]
        current = decode_source(source.path, last.data)
    if last is None:
        raise GuspError("aucune modification à appliquer", 70)
    message = f"gusp: import du suivi ({len(group)} action{'s' if len(group) > 1 else ''})"
    return Change(source, last.text, last.data, summary, message, last.method, warnings)
