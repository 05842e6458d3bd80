"""A draft agenda for a body's next meeting, in Markdown.

It lists, grouped by party (roles resolved in each action's quartier): the decisions of the body's
past meetings whose actions are still open, the actions overdue at the meeting's date, and those
falling due before the following meeting; for a body of the veille's ascent, the signalements it
reviews (:mod:`gusp_cli.governance.veille`). Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gusp_cli.governance.calendar import (
    A_TENIR,
    PREVUE,
    PROGRAMMEE,
    Meeting,
    body_meetings,
    calendar,
)
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.rhythm import after, period_of

if TYPE_CHECKING:
    from gusp_cli.model.models import Decision, Instance, Reunion

HORIZON_YEARS = 3
"""How far ahead the next and following meetings are looked for."""
UNFIXED_HORIZON_DAYS = 90
"""For a body without rhythm whose next meeting is not fixed: the actions falling due within it."""


def match_instance(charter: Charter, value: str) -> Instance:
    """The body ``value`` designates (id or name, loosely); UsageError listing the bodies otherwise."""
    from gusp_cli.french.text import fold
    from gusp_cli.track.matching import _pick

    bodies = charter.charte.instances if charter.charte else []
    names = {b.id: {fold(b.id), fold(b.id.replace("_", " ")), fold(b.nom)} for b in bodies}
    chosen = _pick("instance", value, names)
    return next(b for b in bodies if b.id == chosen)


@dataclass
class PartyGroup:
    """The actions of one party (an actor id, roles resolved)."""

    party: str
    nom: str
    entries: list[Entry]


@dataclass
class PendingDecision:
    """A past decision whose actions are not all closed."""

    reunion: Reunion
    decision: Decision
    ouvertes: list[Entry]


@dataclass
class Agenda:
    """The content of a draft agenda."""

    instance: Instance
    date: dt.date
    origine: str
    """How the date was chosen, in French."""
    suivante: dt.date
    """The following meeting's date (for a body without rhythm and none fixed: the date plus
    :data:`UNFIXED_HORIZON_DAYS`, and ``suivante_fixee`` is False)."""
    derniere: Reunion | None
    membres: list[str]
    en_retard: list[PartyGroup]
    a_echeance: list[PartyGroup]
    decisions: list[PendingDecision]
    quartiers: list[str] = field(default_factory=list)
    """Quartier names the agenda is narrowed to (empty: the whole charter)."""
    suivante_fixee: bool = True
    """False when the following meeting is neither recorded nor given by a rhythm."""
    veille: list[Any] | None = None
    """The signalements the meeting reviews (:func:`gusp_cli.governance.veille.due_at`); None for a
    body outside the veille's ascent."""


def next_meeting(charter: Charter, instance: Instance, as_of: dt.date) -> Meeting | None:
    """The body's next meeting at ``as_of``: fixed, planned, or owed for the current period."""
    end = dt.date(as_of.year + HORIZON_YEARS, 12, 31)
    begin = period_of(instance.frequence, as_of).start if instance.frequence else as_of
    items = [m for m in calendar(charter, begin, end, as_of) if m.instance.id == instance.id]
    owed = [m for m in items if m.kind == A_TENIR]
    ahead = [m for m in items if m.kind in (PROGRAMMEE, PREVUE) and m.date >= as_of]
    return owed[0] if owed else (ahead[0] if ahead else None)


def following_date(charter: Charter, instance: Instance, date: dt.date, as_of: dt.date) -> dt.date | None:
    """Date of the meeting after the one held on ``date`` (next period's; one period later if none;
    None for a body without rhythm and no later meeting recorded)."""
    begin = period_of(instance.frequence, date).next().start if instance.frequence else date
    later = [m for m in calendar(charter, begin, dt.date(date.year + HORIZON_YEARS, 12, 31), as_of)
             if m.instance.id == instance.id and m.date > date]
    if later:
        return later[0].date
    return after(date, instance.frequence) if instance.frequence else None


def build_agenda(charter: Charter, instance: Instance, as_of: dt.date, date: dt.date | None = None,
                 entries: Iterable[Entry] | None = None, scope: list[str] | None = None,
                 signals: list[Any] | None = None) -> Agenda:
    """Gather what the next meeting of ``instance`` should review (``entries``, ``signals``: the
    actions and signalements in scope, default all)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.governance.veille import due_at
    from gusp_cli.model.errors import UsageError

    if date is not None:
        origine = "date indiquée (--date)"
    else:
        upcoming = next_meeting(charter, instance, as_of)
        if upcoming is None and instance.frequence is None:
            raise UsageError(f"« {instance.nom} » n'a pas de rythme fixé et aucune réunion n'est enregistrée "
                             f"après le {format_date(as_of)} (reunions.yaml) : indiquez la date avec --date")
        if upcoming is None:
            raise UsageError(f"aucune réunion de « {instance.nom} » prévue après le {format_date(as_of)} "
                             "(fin de la période de la charte) : indiquez --date")
        date = as_of if upcoming.kind == A_TENIR else upcoming.date
        origine = {PROGRAMMEE: "réunion programmée dans reunions.yaml",
                   PREVUE: "date indicative tirée du rythme de l'instance, à confirmer",
                   A_TENIR: f"réunion à tenir pour la période {upcoming.period_label}, aucune n'est "
                            "enregistrée ; date du jour retenue comme référence"}[upcoming.kind]
    fixed = following_date(charter, instance, date, as_of)
    following = fixed or date + dt.timedelta(days=UNFIXED_HORIZON_DAYS)
    pool = list(charter.entries if entries is None else entries)
    late = sorted((e for e in pool if e.is_overdue(date)), key=lambda e: (-e.days_late(date), e.index))
    soon = sorted((e for e in pool if e.is_open and e.due is not None and date <= e.due < following),
                  key=lambda e: (e.due or date, e.index))
    held = [r for r in body_meetings(charter, instance) if r.date <= as_of and r.date < date]
    return Agenda(instance, date, origine, following, held[-1] if held else None,
                  members(charter, instance), group_by_party(charter, late), group_by_party(charter, soon),
                  pending_decisions(charter, held, pool), scope or [], fixed is not None,
                  due_at(charter, instance, charter.signals if signals is None else signals, date))


def members(charter: Charter, instance: Instance) -> list[str]:
    """The body's members by name; a role lists the actor it resolves to in each quartier."""
    from gusp_cli.model.charter import short_name

    out = []
    for member in instance.membres:
        if member in charter.actors:
            out.append(short_name(charter.actors[member]))
        elif member in charter.roles:
            resolved = [f"{q.commune} : {charter.party_name(member, q)}" for q in charter.quartiers
                        if member in q.roles]
            out.append(f"{charter.roles[member].nom}" + (f" ({' ; '.join(resolved)})" if resolved else ""))
        else:
            out.append(member)
    return out


def group_by_party(charter: Charter, entries: list[Entry]) -> list[PartyGroup]:
    """Entries grouped by responsible party (an action shared by two parties is in both groups)."""
    from gusp_cli.track.responsibilities import resolved_parties

    groups: dict[str, PartyGroup] = {}
    for entry in entries:
        for party in resolved_parties(charter, entry):
            group = groups.setdefault(party, PartyGroup(party, charter.party_name(party), []))
            group.entries.append(entry)
    return sorted(groups.values(), key=lambda g: (-len(g.entries), g.nom))


def pending_decisions(charter: Charter, held: list[Reunion], pool: list[Entry]) -> list[PendingDecision]:
    """Decisions of past meetings (latest first) referencing actions in scope that are still open."""
    in_scope = {e.id for e in pool}
    out = []
    for reunion in reversed(held):
        for decision in reunion.decisions:
            open_entries = [charter.by_id[a] for a in decision.actions
                            if a in charter.by_id and a in in_scope and charter.by_id[a].is_open]
            if open_entries:
                out.append(PendingDecision(reunion, decision, open_entries))
    return out


# --------------------------------------------------------------------------- Markdown


def to_markdown(charter: Charter, agenda: Agenda) -> str:
    """The agenda as a Markdown document (French)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.markup import md_inert

    lines = [f"# {md_inert(agenda.instance.nom)} — projet d'ordre du jour", "",
             f"- **Réunion** : {format_date(agenda.date)} ({agenda.origine})",
             f"- **Réunion suivante** : {format_date(agenda.suivante)}" if agenda.suivante_fixee else
             "- **Réunion suivante** : non fixée (instance sans rythme fixé)",
             "- **Dernière réunion enregistrée** : " + (_meeting_ref(agenda.derniere) if agenda.derniere
                                                        else "aucune"),
             f"- **Membres** : {md_inert(', '.join(agenda.membres)) or 'non précisés'}"]
    if agenda.quartiers:
        lines.append(f"- **Quartiers** : {md_inert(', '.join(agenda.quartiers))}")
    lines += ["", "## 1. Suite des décisions précédentes", ""]
    lines += _decisions(agenda) or ["Aucune décision en attente de suite."]
    count = len({e.id for g in agenda.en_retard for e in g.entries})
    lines += ["", f"## 2. Actions en retard au {format_date(agenda.date)} ({count})", ""]
    lines += _groups(charter, agenda.en_retard, agenda.date, late=True) or ["Aucune action en retard."]
    count = len({e.id for g in agenda.a_echeance for e in g.entries})
    soon = ("avant la réunion suivante" if agenda.suivante_fixee
            else f"dans les {UNFIXED_HORIZON_DAYS} jours (réunion suivante non fixée)")
    lines += ["", f"## 3. Actions à échéance {soon} ({count})", ""]
    lines += _groups(charter, agenda.a_echeance, agenda.date, late=False) or [
        f"Aucune action à échéance d'ici le {format_date(agenda.suivante)}."]
    last = 4
    if agenda.veille is not None:
        from gusp_cli.governance.veille import agenda_title, markdown_lines

        lines += ["", f"## 4. {agenda_title(charter, agenda.instance, len(agenda.veille))}", ""]
        lines += markdown_lines(charter, agenda.instance, agenda.veille, agenda.date)
        last = 5
    lines += ["", f"## {last}. Questions diverses", ""]
    return "\n".join(lines) + "\n"


def _meeting_ref(reunion: Reunion) -> str:
    """``15 janvier 2026 — compte rendu : `URL` `` (a code span: copyable, never a link from the YAML)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.markup import md_code

    link = f" — compte rendu : {md_code(reunion.compte_rendu)}" if reunion.compte_rendu else ""
    return f"{format_date(reunion.date)}{link}"


def _decisions(agenda: Agenda) -> list[str]:
    """One bullet per pending decision, its open actions below it."""
    from gusp_cli.french.markup import md_inert

    lines = []
    for pending in agenda.decisions:
        lines.append(f"- Réunion du {_meeting_ref(pending.reunion)} : {md_inert(pending.decision.texte)}")
        for entry in pending.ouvertes:
            lines.append(f"  - {_entry_line(entry, None)}")
    return lines


def _groups(charter: Charter, groups: list[PartyGroup], date: dt.date, *, late: bool) -> list[str]:
    """A heading per party, one bullet per action."""
    from gusp_cli.french.markup import md_inert

    lines: list[str] = []
    for group in groups:
        lines += [f"### {md_inert(group.nom)} ({len(group.entries)})", ""]
        lines += [f"- {_entry_line(e, date if late else None)}" for e in group.entries]
        lines.append("")
    return lines[:-1] if lines else lines


def _entry_line(entry: Entry, late_at: dt.date | None) -> str:
    """``**CEN-042** (Centre) libellé — échéance « 2023 », 2 ans 10 mois de retard, non renseigné``."""
    from gusp_cli.french.dates import STATUS_LABELS, delay_words
    from gusp_cli.french.markup import md_inert

    status = STATUS_LABELS[entry.action.statut.value if entry.action.statut else None]
    parts = [f"échéance « {md_inert(entry.action.echeance or '—')} »"]
    late = entry.lateness(late_at) if late_at is not None else None
    if late is not None and late_at is not None:
        parts.append(f"{delay_words(late.since, late_at)} de retard")
    parts.append(f"statut : {status}")
    return (f"**{entry.id}** ({md_inert(entry.quartier.commune)}) {md_inert(entry.action.libelle)} — "
            f"{', '.join(parts)}")
