"""``gusp import``: the partners' workbooks and CSVs read back, planned three-way, then applied.

Only the follow-up columns are read: « Statut », « Date », « Note ». For a workbook with its base
(:mod:`gusp_cli.exchange.workbook`) each status is decided three-way
(:func:`gusp_cli.exchange.merge.three_way`): the status exported, the partner's and the charter's
now. A cell the partner left alone never overwrites newer work; both changed is a conflict,
listed and not applied unless ``keep`` says which side wins. Rows deleted, rows added and
read-only columns edited are reported with the action and what to do. A CSV or a workbook without
a base is compared with the charter as it is (the partner's status is applied when it differs),
with a warning.

The « Signalements » sheet is read the same way, three-way on each signalement's state
(:mod:`gusp_cli.exchange.signal_import`); an import adds no signalement. So are the evaluation
columns, cell by cell (:mod:`gusp_cli.exchange.evaluation_import`).

Each entry records who reported it (``auteur``): the workbook's party, unless one is forced.
Accepted updates are applied with the same surgical edit as ``gusp status``
(:func:`gusp_cli.track.edits.plan_status`) and, for the evaluation, as ``gusp evaluation set``
(:func:`gusp_cli.track.evaluation_edits.plan_evaluation`), then every touched file is written at
once, or none (:func:`gusp_cli.store.transaction.write_all`).
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange import cells
from gusp_cli.exchange.merge import Decision, three_way
from gusp_cli.exchange.reading import Base, Book, Row
from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import GuspError, Problem
from gusp_cli.model.vocabulary import Statut

if TYPE_CHECKING:
    from gusp_cli.exchange.evaluation_import import EvaluationConflict, EvaluationUpdate
    from gusp_cli.exchange.signal_import import SignalConflict, SignalUpdate
    from gusp_cli.store.roundtrip import Source
    from gusp_cli.track.edits import Change

PARTNER, CHARTER = "partenaire", "charte"
"""The two sides ``--garder`` may keep in a conflict."""
AMEND_OPTION = {"libelle": "--libelle", "echeance": "--echeance", "responsables": "--responsable"}
"""The ``gusp amend`` option that changes each read-only column, where one does."""


@dataclass
class Update:
    """An accepted change for one action."""

    entry: Entry
    where: str
    statut: Statut | None
    """New status (None: unchanged, the row adds a note)."""
    date: dt.date
    note: str | None
    auteur: str | None
    book: str
    """The file it comes from."""
    settled: bool = False
    """True when it settles a conflict (``--garder partenaire``)."""

    @property
    def current(self) -> Statut | None:
        """The status before the update."""
        return self.entry.action.statut


@dataclass
class Conflict:
    """A status both the partner and the charter changed since the export."""

    entry: Entry
    where: str
    exported: str | None
    partner: str | None
    charter: str | None
    since: str
    """What changed the charter's status since the export (« suivi du 2 octobre 2026, Ville de … »)."""
    kept: str | None = None
    """Which side ``--garder`` kept (None: not settled, not applied)."""


@dataclass
class Notice:
    """A row, or a missing row, reported and not applied, with what to do."""

    where: str
    action_id: str
    reason: str


@dataclass
class BookPlan:
    """What one file asks for."""

    book: Book
    charter: Charter
    party: str | None
    """The party the workbook belongs to (None: a CSV or a whole-charter workbook)."""
    auteur: str | None
    updates: list[Update] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    signal_updates: list[SignalUpdate] = field(default_factory=list)
    """Accepted entries of the « Signalements » sheet."""
    signal_conflicts: list[SignalConflict] = field(default_factory=list)
    evaluation_updates: list[EvaluationUpdate] = field(default_factory=list)
    """Accepted evaluation cells, per action."""
    evaluation_conflicts: list[EvaluationConflict] = field(default_factory=list)
    unchanged: int = 0
    touched: int = 0
    """Rows the partner filled in (a status, a date, a note or an evaluation cell changed from the
    export)."""

    @property
    def rows(self) -> int:
        """Rows read."""
        return len(self.book.rows)

    @property
    def state(self) -> str:
        """« non rempli », « rempli en partie » or « rempli »."""
        if self.touched == 0:
            return "non rempli"
        return "rempli" if self.touched >= self.rows else "rempli en partie"

    @property
    def open_conflicts(self) -> list[Conflict]:
        """The conflicts not settled."""
        return [c for c in self.conflicts if c.kept is None]

    @property
    def open_signal_conflicts(self) -> list[SignalConflict]:
        """The signalements' conflicts not settled."""
        return [c for c in self.signal_conflicts if c.kept is None]

    @property
    def open_evaluation_conflicts(self) -> list[EvaluationConflict]:
        """The evaluation conflicts not settled."""
        return [c for c in self.evaluation_conflicts if c.kept is None]


@dataclass
class Plan:
    """What every file asks for, with the updates to apply in order."""

    books: list[BookPlan]

    @property
    def updates(self) -> list[Update]:
        """Every accepted update, file after file."""
        return [u for b in self.books for u in b.updates]

    @property
    def signal_updates(self) -> list[SignalUpdate]:
        """Every accepted signalement entry, file after file."""
        return [u for b in self.books for u in b.signal_updates]

    @property
    def evaluation_updates(self) -> list[EvaluationUpdate]:
        """Every accepted evaluation update, file after file."""
        return [u for b in self.books for u in b.evaluation_updates]

    @property
    def blocking(self) -> bool:
        """True when something was not applied: a conflict not settled, or a notice."""
        return any(b.open_conflicts or b.open_signal_conflicts or b.open_evaluation_conflicts or b.notices
                   for b in self.books)


# --------------------------------------------------------------------------- planning


def plan_import(charter: Charter, books: Sequence[Book], today: dt.date, *, keep: str | None = None,
                auteur: str | None = None) -> Plan:
    """Plan every file; an action changed by two files to different statuses (or evaluation values)
    is a conflict too."""
    from gusp_cli.exchange import evaluation_import, signal_import

    plans = [plan_book(charter, book, today, keep=keep, auteur=auteur) for book in books]
    _cross_books(plans)
    signal_import.cross_books(plans)
    evaluation_import.cross_books(plans)
    return Plan(plans)


def plan_book(charter: Charter, book: Book, today: dt.date, *, keep: str | None = None,
              auteur: str | None = None) -> BookPlan:
    """Sort one file's rows into updates, conflicts, notices and unchanged rows."""
    base = book.base if book.base is not None and _same_charter(charter, book.base) else None
    party = base.partie if base is not None else None
    plan = BookPlan(book, charter, party, auteur or (party if party in charter.actors else None))
    if book.base is not None and base is None:
        book.warnings.append("la base du classeur vient d'une autre charte : les lignes sont comparées à la "
                             "charte telle qu'elle est")
    from gusp_cli.exchange.signal_import import is_signal_row, missing_rows, plan_signal_row

    seen: dict[str, str] = {}
    signals_seen: dict[str, str] = {}
    for row in book.rows:
        if is_signal_row(row):
            plan_signal_row(plan, base, row, signals_seen, today, keep)
        else:
            _plan_row(charter, plan, base, row, seen, today, keep)
    if base is not None:
        missing_rows(plan, base, signals_seen)
        for action_id, exported in base.rows.items():
            if action_id not in seen:
                plan.notices.append(Notice(f"feuille « {exported.sheet} », ligne {exported.line}", action_id,
                                           _deleted(action_id)))
    return plan


def _same_charter(charter: Charter, base: Base) -> bool:
    """The base was exported from this charter (its porteur and first year)."""
    from gusp_cli.exchange.workbook import charter_identity

    return base.charte == charter_identity(charter)


def _deleted(action_id: str) -> str:
    return (f"ligne supprimée du classeur : rien n'est changé pour {action_id} ; si l'action doit être "
            f"abandonnée : gusp status {action_id} abandonnee --motif MOTIF")


def _plan_row(charter: Charter, plan: BookPlan, base: Base | None, row: Row, seen: dict[str, str],
              today: dt.date, keep: str | None) -> None:
    """One row: who it is, what changed, and the update, conflict or notice it gives."""
    action_id, hint = cells.action_id(row.cells.get("id"), charter.by_id)
    exported = base.rows.get(action_id) if base is not None else None
    entry = charter.by_id.get(action_id)
    if action_id in seen:
        plan.notices.append(Notice(row.where, action_id, f"action déjà lue ({seen[action_id]})"))
        return
    if entry is None or (base is not None and exported is None):
        plan.notices.append(Notice(row.where, action_id or "—", _unknown(action_id, hint, entry, row)))
        return
    seen[action_id] = row.where
    edited = _read_only_edits(charter, entry, row, exported, today)
    if edited:
        plan.notices.append(Notice(row.where, action_id, "colonne en lecture seule modifiée, non appliquée : "
                                   + " ; ".join(edited)))
    from gusp_cli.exchange.evaluation_import import plan_evaluation_row

    before = plan.touched
    evaluated = plan_evaluation_row(plan, entry, row, exported, keep)
    try:
        _plan_follow_up(plan, entry, row, exported, today, keep, evaluated=evaluated)
    except cells.CellError as exc:
        plan.notices.append(Notice(row.where, action_id, str(exc)))
        plan.touched = before + 1
        return
    if evaluated and plan.touched == before:
        plan.touched += 1


def _unknown(action_id: str, hint: str, entry: Entry | None, row: Row) -> str:
    """Why a row names no action of this workbook, and what to do."""
    if entry is not None:
        return ("action absente de ce classeur à l'export (ligne copiée d'un autre classeur ?) : relisez-la "
                "dans le classeur de sa partie, ou consignez-la avec gusp status")
    label = cells.text(row.cells.get("libelle"))
    if not action_id or hint == "":
        what = f"« {label} »" if label else "cette ligne"
        prefix = (f"identifiant « {action_id} » inconnu dans la charte" if action_id
                  else "ligne sans identifiant")
        libelle = shlex.quote(label) if label else "LIBELLÉ"
        return (f"{prefix} : une action nouvelle ne s'ajoute pas par import ; pour ajouter {what} : "
                f"gusp add --quartier QUARTIER --tableau TABLEAU --libelle {libelle} --responsable PARTIE")
    return f"identifiant « {action_id} » inconnu dans la charte{hint}"


def _read_only_edits(charter: Charter, entry: Entry, row: Row, exported: Any, today: dt.date) -> list[str]:
    """The read-only cells the partner changed: against the base's fingerprints, else against the
    charter as it is (a file without a base)."""
    from gusp_cli.exchange.workbook import COLUMNS, GUARDED, fingerprint

    headers = {c.key: c.header for c in COLUMNS}
    now = _expected(charter, entry, today)
    edits = []
    for key in GUARDED:
        if key not in row.cells:
            continue
        got = cells.text(row.cells[key])
        if exported is not None:
            if fingerprint(got) == exported.prints.get(key):
                continue
            before = (cells.text(now[key]) if fingerprint(now[key]) == exported.prints.get(key)
                      else "valeur exportée, changée dans la charte depuis")
        else:
            before = cells.text(now[key])
            if got in (before, cells.text(now.get(f"{key}_ids", before))):
                continue
        hint = _amend_hint(entry.id, key, got)
        edits.append(f"{headers[key]} (« {_short(before)} » → « {_short(got)} » : {hint})")
    return edits


def _amend_hint(action_id: str, key: str, value: str) -> str:
    """The ``gusp amend`` that records the partner's new value (the motif is the project lead's)."""
    option = AMEND_OPTION.get(key)
    if option is None:
        return "ne se change pas (c'est la place de l'action dans la charte)"
    shown = "PARTIE (une option par partie, id ou nom)" if key == "responsables" else shlex.quote(value)
    return f"gusp amend {action_id} {option} {shown} --motif MOTIF"


def _expected(charter: Charter, entry: Entry, today: dt.date) -> dict[str, Any]:
    """The read-only cells as an export of today writes them (for a file without a base); the CSV
    writes ids where the workbook writes names, so both are accepted."""
    from gusp_cli.exchange.workbook import export_row

    shown = export_row(charter, entry, today).cells
    expected = {key: shown[key] for key in ("tableau", "numero", "libelle", "responsables", "echeance")}
    expected["responsables_ids"] = ", ".join(entry.action.responsables)
    expected["tableau_ids"] = entry.tableau.titre
    return expected


def _short(text: str, width: int = 60) -> str:
    """A long cell shortened for a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _plan_follow_up(plan: BookPlan, entry: Entry, row: Row, exported: Any, today: dt.date,
                    keep: str | None, *, evaluated: bool = False) -> None:
    """The status, date and note of a row, decided three-way when the workbook has its base
    (``evaluated``: the row changes an evaluation cell, which a date may go with)."""
    current = entry.action.statut.value if entry.action.statut else None
    base_status = exported.statut if exported is not None else current
    written = cells.status(row.cells.get("statut"))
    partner = (written.value if written else None) if "statut" in row.cells else base_status
    date = cells.date(row.cells.get("date"))
    note = cells.note(row.cells.get("note"))
    if note is not None and any(s.note == note for s in entry.action.suivi):
        note = None  # already recorded: a workbook imported twice changes nothing
    if partner != base_status or date is not None or note is not None:
        plan.touched += 1
    new_status, settled = _decide(plan, entry, row, base_status, partner, current, keep)
    if new_status is None and note is None:
        if date is not None and partner == base_status and not evaluated:
            raise cells.CellError("date sans changement de statut ni note : ignorée")
        if not evaluated:
            plan.unchanged += 1
        return
    _check_date(plan.charter, date, today)
    status = Statut(new_status) if new_status is not None else None
    if status is Statut.reportee:
        raise cells.CellError(f"« reportée » demande la nouvelle échéance : gusp status {entry.id} reportee "
                              "--echeance ÉCHÉANCE --motif MOTIF (un classeur ne dit pas jusqu'à quand)")
    if status is None and current is None:
        raise cells.CellError("note sans statut : choisissez aussi un statut pour consigner la note")
    plan.updates.append(Update(entry, row.where, status, date or today, note, plan.auteur,
                               plan.book.path.name, settled))


def _decide(plan: BookPlan, entry: Entry, row: Row, base: str | None, partner: str | None,
            current: str | None, keep: str | None) -> tuple[str | None, bool]:
    """The status to record (None: none) and whether it settles a conflict (recorded on the way)."""
    decision = three_way(base, partner, current)
    if decision in (Decision.UNTOUCHED, Decision.ALREADY):
        return None, False
    if partner is None:
        raise cells.CellError(f"statut effacé (« {STATUS_LABELS[base]} » → vide) : un statut ne s'efface pas "
                              "par import")
    if decision is Decision.APPLY:
        return partner, False
    since = _since(plan.charter, entry, plan.book)
    plan.conflicts.append(Conflict(entry, row.where, base, partner, current, since, keep))
    return (partner, True) if keep == PARTNER else (None, False)


def _since(charter: Charter, entry: Entry, book: Book) -> str:
    """What set the charter's status after the export (its latest entry with a status)."""
    from gusp_cli.french.dates import format_date

    exported_on = book.base.date if book.base is not None else None
    latest = next((s for s in reversed(entry.action.suivi) if s.statut is not None
                   and (exported_on is None or s.date >= exported_on)), None)
    if latest is None:
        return "modifié dans la charte depuis l'export"
    who = f", {charter.party_name(latest.auteur)}" if latest.auteur else ""
    return f"suivi du {format_date(latest.date)}{who}"


def _check_date(charter: Charter, date: dt.date | None, today: dt.date) -> None:
    """A row's date: not after today, not years before the charter's period."""
    from gusp_cli.model.period import implausible

    if date is None:
        return
    if date > today:
        raise cells.CellError(f"date {date.isoformat()} dans le futur (aujourd'hui : {today.isoformat()})")
    reason = implausible(charter.charte, date)
    if reason is not None:
        raise cells.CellError(reason)


def _cross_books(plans: Iterable[BookPlan]) -> None:
    """An action given two different statuses by two files: the second is a conflict, not applied."""
    first: dict[str, tuple[Update, BookPlan]] = {}
    for plan in plans:
        kept = []
        for update in plan.updates:
            earlier = first.get(update.entry.id)
            if update.statut is None or earlier is None or earlier[0].statut in (None, update.statut):
                first.setdefault(update.entry.id, (update, plan))
                kept.append(update)
                continue
            other = earlier[0]
            plan.conflicts.append(Conflict(update.entry, update.where, None, update.statut.value,
                                           other.statut.value if other.statut else None,
                                           f"statut donné par {other.book}"))
        plan.updates = kept


# --------------------------------------------------------------------------- applying


def apply(charter: Charter, updates: list[Update], today: dt.date, *, write: bool,
          signal_updates: Sequence[SignalUpdate] = (),
          evaluation_updates: Sequence[EvaluationUpdate] = ()) -> list[Change]:
    """Plan the updates file by file (each checked as ``gusp status`` checks, the evaluations' as
    ``gusp evaluation set`` does, the signalements' as ``gusp signals update`` does) and, with
    ``write``, write every touched file or none (:func:`gusp_cli.store.transaction.write_all`)."""
    from gusp_cli.store.roundtrip import read_source
    from gusp_cli.store.transaction import Replacement, write_all

    by_file: dict[Path, tuple[list[Update], list[EvaluationUpdate]]] = {}
    for update in updates:
        by_file.setdefault(update.entry.file, ([], []))[0].append(update)
    for evaluation in evaluation_updates:
        by_file.setdefault(evaluation.entry.file, ([], []))[1].append(evaluation)
    changes = [_plan_file(charter, read_source(path), group, evaluations, today)
               for path, (group, evaluations) in by_file.items()]
    if signal_updates:
        from gusp_cli.exchange.signal_import import signals_change

        changes.append(signals_change(charter, list(signal_updates), today))
    if write and changes:
        write_all([Replacement(c.path, c.data, c.source.digest) for c in changes], journal_dir=charter.root,
                  label="import du suivi")
    return changes


def _plan_file(charter: Charter, source: Source, group: list[Update], evaluations: list[EvaluationUpdate],
               today: dt.date) -> Change:
    """Chain the status edits, then the evaluation edits, of one file on its text; return one
    change from the original bytes."""
    from gusp_cli.exchange.evaluation_import import chain
    from gusp_cli.store.roundtrip import decode_source
    from gusp_cli.track.edits import Change, plan_status

    current, steps = source, []
    for update in group:
        status = update.statut or update.current
        if status is None:  # planning never lets this through
            raise GuspError(f"{update.entry.id} : statut manquant", 70)
        step = plan_status(charter, current, update.entry.id, status, date=update.date, note=update.note,
                           auteur=update.auteur, today=today)
        steps.append(step)
        current = decode_source(source.path, step.data)
    current, evaluated = chain(charter, current, evaluations, today)
    steps += evaluated
    if not steps:
        raise GuspError("aucune modification à appliquer", 70)
    summary = [line for step in steps for line in step.summary]
    warnings: list[Problem] = []
    for step in steps:
        warnings += [w for w in step.warnings if w.format() not in {x.format() for x in warnings}]
    count = len({u.entry.id for u in group} | {e.entry.id for e in evaluations})
    message = f"gusp: import du suivi ({count} action{'s' if count > 1 else ''})"
    last = steps[-1]
    return Change(source, last.text, last.data, summary, message, last.method, warnings)
