"""``gusp import`` for the « Signalements » sheet: a partner's states and notes, decided three-way.

As for an action's status (:mod:`gusp_cli.exchange.importing`): the state the workbook showed at
export (its base), the partner's, and the one ``signalements.yaml`` gives now
(:func:`gusp_cli.exchange.merge.three_way`). A row left alone never overwrites newer follow-up;
both changed is a conflict, not applied unless ``--garder`` says which side wins. « transmis »
needs « Transmis à »; a note or a « Transmis à » holding personal data is refused, never quoted.
A row naming no signalement of the workbook is reported: **an import adds no signalement**, the
partner reports a new one to the project lead, who records it (``gusp signals add``). Accepted
entries are written with the same surgical edit as ``gusp signals update``
(:func:`gusp_cli.track.signal_edits.plan_signal_update`), with the actions' files, all or none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange import cells
from gusp_cli.exchange.merge import Decision, three_way
from gusp_cli.exchange.reading import Base, Row
from gusp_cli.french.text import fold
from gusp_cli.model.charter import Charter
from gusp_cli.model.signals import STATE_LABELS
from gusp_cli.model.vocabulary import EtatSignalement

if TYPE_CHECKING:
    from gusp_cli.exchange.importing import BookPlan
    from gusp_cli.track.edits import Change


@dataclass
class SignalUpdate:
    """An accepted follow-up entry for one signalement."""

    signal: Any
    where: str
    etat: EtatSignalement | None
    """New state (None: unchanged, the row adds a note)."""
    vers: str | None
    date: dt.date
    note: str | None
    auteur: str | None
    book: str
    settled: bool = False


@dataclass
class SignalConflict:
    """A state both the partner and the charter changed since the export."""

    signal: Any
    where: str
    exported: str | None
    partner: str | None
    charter: str | None
    kept: str | None = None


def is_signal_row(row: Row) -> bool:
    """True for a row of the « Signalements » sheet (or a CSV row naming a signalement)."""
    from gusp_cli.exchange.signal_sheet import SIGNALS_SHEET

    return row.sheet == SIGNALS_SHEET or cells.text(row.cells.get("id")).upper().startswith("SIG-")


def plan_signal_row(plan: BookPlan, base: Base | None, row: Row, seen: dict[str, str], today: dt.date,
                    keep: str | None) -> None:
    """One row of the sheet: the update, conflict or notice it gives."""
    from gusp_cli.exchange.importing import Notice

    charter = plan.charter
    signal_id = cells.text(row.cells.get("id")).upper()
    signal = next((s for s in charter.signals if s.id == signal_id), None)
    exported = base.signals.get(signal_id) if base is not None else None
    if signal_id in seen:
        plan.notices.append(Notice(row.where, signal_id, f"signalement déjà lu ({seen[signal_id]})"))
        return
    if signal is None or (base is not None and exported is None):
        plan.notices.append(Notice(row.where, signal_id or "—", _unknown(signal_id, signal)))
        return
    seen[signal_id] = row.where
    edited = _read_only_edits(row, exported)
    if edited:
        plan.notices.append(Notice(row.where, signal_id, "colonne en lecture seule modifiée, non appliquée : "
                                   + " ; ".join(edited) + " (le chef de projet la corrige dans "
                                   "signalements.yaml si elle est fausse)"))
    try:
        _plan_follow_up(plan, signal, row, exported, today, keep)
    except cells.CellError as exc:
        plan.touched += 1
        plan.notices.append(Notice(row.where, signal_id, str(exc)))


def missing_rows(plan: BookPlan, base: Base, seen: dict[str, str]) -> None:
    """A signalement of the base whose row was deleted: reported, nothing changed."""
    from gusp_cli.exchange.importing import Notice

    for signal_id, exported in base.signals.items():
        if signal_id not in seen:
            plan.notices.append(Notice(f"feuille « {exported.sheet} », ligne {exported.line}", signal_id,
                                       f"ligne supprimée du classeur : rien n'est changé pour {signal_id} ; "
                                       f"s'il est résolu : gusp signals close {signal_id} --note NOTE"))


def _unknown(signal_id: str, signal: Any) -> str:
    """Why a row names no signalement of this workbook."""
    if signal is not None:
        return ("signalement absent de ce classeur à l'export (ligne copiée d'un autre classeur ?) : "
                f"consignez-le avec gusp signals update {signal_id}")
    what = f"identifiant « {signal_id} » inconnu" if signal_id else "ligne sans identifiant"
    return (f"{what} : un nouveau signalement ne s'ajoute pas par import ; le partenaire le signale au "
            "chef de projet, qui l'enregistre (gusp signals add QUARTIER DESCRIPTION --lieu LIEU "
            "--theme THÈME --source partenaire)")


def _read_only_edits(row: Row, exported: Any) -> list[str]:
    """The grey cells the partner changed, against the base's fingerprints."""
    from gusp_cli.exchange.signal_sheet import SIGNAL_COLUMNS, SIGNAL_GUARDED
    from gusp_cli.exchange.workbook import fingerprint

    if exported is None:
        return []
    headers = {c.key: c.header for c in SIGNAL_COLUMNS}
    return [f"{headers[key]} (« {cells.text(row.cells[key])[:60]} »)" for key in SIGNAL_GUARDED
            if key in row.cells and fingerprint(cells.text(row.cells[key])) != exported.prints.get(key)]


def state(value: Any) -> EtatSignalement | None:
    """A state from a cell: a value (``traite``) or a label (« traité »); empty is None."""
    written = cells.text(value)
    folded = fold(written).replace(" ", "_")
    if not folded:
        return None
    for member in EtatSignalement:
        if folded == member.value:
            return member
    raise cells.CellError(f"état « {written} » inconnu (valeurs : {', '.join(STATE_LABELS.values())})")


def _free_text(value: Any, name: str) -> str | None:
    """A note or a « Transmis à »: no control character, no personal data (never quoted)."""
    from gusp_cli.model.privacy import SIGNALS_REASON, personal_data_in, refusal

    written = cells.note(value)
    kinds = personal_data_in(written) if written else []
    if kinds:
        raise cells.CellError(refusal(kinds, name, SIGNALS_REASON))
    return written


def _plan_follow_up(plan: BookPlan, signal: Any, row: Row, exported: Any, today: dt.date,
                    keep: str | None) -> None:
    """The state, date, « Transmis à » and note of a row, decided three-way with the base."""
    from gusp_cli.exchange.importing import PARTNER, _check_date

    current = signal.etat.value
    base_state = exported.statut if exported is not None else current
    written = state(row.cells.get("etat"))
    partner = (written.value if written else None) if "etat" in row.cells else base_state
    date = cells.date(row.cells.get("date"))
    note = _free_text(row.cells.get("note"), "note")
    vers = _free_text(row.cells.get("vers"), "Transmis à")
    if note is not None and any(e.note == note for e in signal.suivi):
        note = None  # already recorded: a workbook imported twice changes nothing
    if partner != base_state or date is not None or note is not None or vers is not None:
        plan.touched += 1
    decision = three_way(base_state, partner, current)
    new_state, settled = None, False
    if decision is Decision.APPLY or decision is Decision.CONFLICT:
        if partner is None:
            raise cells.CellError(f"état effacé (« {base_state} » → vide) : un état ne s'efface pas par "
                                  "import")
        if decision is Decision.CONFLICT:
            plan.signal_conflicts.append(SignalConflict(signal, row.where, base_state, partner, current,
                                                        keep))
            new_state, settled = (partner, True) if keep == PARTNER else (None, False)
        else:
            new_state = partner
    if new_state is None and note is None:
        if (date is not None or vers is not None) and partner == base_state:
            raise cells.CellError("date ou « Transmis à » sans changement d'état ni note : ignorés")
        plan.unchanged += 1
        return
    etat = EtatSignalement(new_state) if new_state is not None else None
    if etat is EtatSignalement.transmis and not vers:
        raise cells.CellError("« transmis » demande « Transmis à » : le dispositif qui le reçoit (CLSPD, un "
                              "service…)")
    if vers is not None and etat is not EtatSignalement.transmis:
        raise cells.CellError("« Transmis à » ne va qu'avec l'état « transmis »")
    _check_date(plan.charter, date, today)
    if date is not None and date < signal.date:
        raise cells.CellError(f"date {date.isoformat()} antérieure au constat ({signal.date.isoformat()})")
    plan.signal_updates.append(SignalUpdate(signal, row.where, etat, vers, date or today, note, plan.auteur,
                                            plan.book.path.name, settled))


def cross_books(plans: list[BookPlan]) -> None:
    """A signalement given two different states by two files: the second is a conflict, not applied."""
    first: dict[str, SignalUpdate] = {}
    for plan in plans:
        kept = []
        for update in plan.signal_updates:
            earlier = first.get(update.signal.id)
            if update.etat is None or earlier is None or earlier.etat in (None, update.etat):
                first.setdefault(update.signal.id, update)
                kept.append(update)
                continue
            plan.signal_conflicts.append(SignalConflict(
                update.signal, update.where, None, update.etat.value,
                earlier.etat.value if earlier.etat else None, None))
        plan.signal_updates = kept


def signals_change(charter: Charter, updates: list[SignalUpdate], today: dt.date) -> Change:
    """The entries of ``updates`` chained on ``signalements.yaml`` (each checked as ``gusp signals
    update`` checks it): one change from the original bytes."""
    from gusp_cli.store.textfile import decode_source, read_source
    from gusp_cli.track.edits import Change
    from gusp_cli.track.signal_edits import plan_signal_update, signals_file

    source = read_source(signals_file(charter))
    current, last, summary = source, None, []
    for update in updates:
        last = plan_signal_update(charter, current, update.signal.id, date=update.date, etat=update.etat,
                                  vers=update.vers, note=update.note, auteur=update.auteur, today=today)
        summary += last.summary
        current = decode_source(source.path, last.data)
    assert last is not None  # the caller passes at least one update
    count = len(updates)
    message = f"gusp: import du suivi ({count} signalement{'s' if count > 1 else ''})"
    return Change(source, last.text, last.data, summary, message, last.method, list(last.warnings))
