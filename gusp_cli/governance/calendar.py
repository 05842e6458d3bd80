"""Governance: the bodies' rhythm turned into planned meetings, merged with the recorded ones.

Planning rule (deterministic, so that a calendar export is stable):

* periods are those of :mod:`gusp_cli.model.rhythm`, aligned on the calendar: ISO weeks, half
  months, months, then months grouped from January (``bimestrielle`` January–February...);
* a period in which ``reunions.yaml`` records a meeting of the body shows that meeting (or those
  meetings); otherwise one meeting is planned in it, on an indicative date: the last working day
  (Monday to Friday) of the period's first month, within the period;
* meetings are planned only within the charter's period (1 January of ``periode.debut`` to
  31 December of ``periode.fin``).

Late bodies: at the as-of date, a body is late when its last meeting held (dated on or before the
as-of date) is older than one period plus :data:`TOLERANCE_DAYS`; when no meeting was ever
recorded, the charter's start (1 January of ``periode.debut``) stands for it.

Nothing here reads the clock: the as-of date is always an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gusp_cli.model.charter import Charter
from gusp_cli.model.rhythm import Period, after, last_working_day, period_of, periods

if TYPE_CHECKING:
    from gusp_cli.model.models import Instance, Reunion

TOLERANCE_DAYS = 15
"""Grace period after a body's period before it is flagged late."""

TENUE, PROGRAMMEE, PREVUE, A_TENIR, NON_TENUE = "tenue", "programmee", "prevue", "a_tenir", "non_tenue"
KIND_LABELS = {
    TENUE: "tenue",
    PROGRAMMEE: "programmée",
    PREVUE: "prévue (date indicative)",
    A_TENIR: "à tenir (période en cours)",
    NON_TENUE: "aucune réunion enregistrée",
}
"""French label of each kind of calendar item."""

def planned_date(period: Period) -> dt.date:
    """Indicative date of a planned meeting: last working day of the period's first month."""
    return last_working_day(period)


def charter_span(charter: Charter) -> tuple[dt.date, dt.date]:
    """First and last day of the charter's period."""
    if charter.charte is None:
        raise ValueError("charte absente")
    return dt.date(charter.charte.periode.debut, 1, 1), dt.date(charter.charte.periode.fin, 12, 31)


# --------------------------------------------------------------------------- calendar


@dataclass
class Meeting:
    """A calendar item: a recorded meeting or a planned one."""

    instance: Instance
    date: dt.date
    period: Period | None
    """The period of the body's rhythm the meeting falls in (None for a body without rhythm)."""
    kind: str
    """One of ``tenue``, ``programmee``, ``prevue``, ``a_tenir``, ``non_tenue``."""
    uid: str
    """Stable identifier within the charter (``comite_technique-2026-T1``): a recorded meeting takes
    the identifier of the slot it fills, so a calendar re-import updates the event instead of
    duplicating it (the export adds the charter's identity: :mod:`gusp_cli.exchange.ics`)."""
    reunion: Reunion | None = None

    @property
    def planned(self) -> bool:
        """True for a meeting planned from the rhythm (not recorded)."""
        return self.reunion is None

    @property
    def period_label(self) -> str:
        """The period in words (« 1er trimestre 2026 »), « — » for a body without rhythm."""
        return self.period.label if self.period is not None else "—"


def body_meetings(charter: Charter, instance: Instance) -> list[Reunion]:
    """The recorded meetings of one body, oldest first."""
    return sorted((r for r in charter.reunions if r.instance == instance.id), key=lambda r: r.date)


def calendar(charter: Charter, start: dt.date, end: dt.date, as_of: dt.date) -> list[Meeting]:
    """Recorded and planned meetings of every body from ``start`` to ``end``, by date then body."""
    bodies = charter.charte.instances if charter.charte else []
    items = [m for instance in bodies for m in _body_calendar(charter, instance, start, end, as_of)]
    order = {b.id: i for i, b in enumerate(bodies)}
    return sorted(items, key=lambda m: (m.date, order[m.instance.id]))


def _body_calendar(charter: Charter, instance: Instance, start: dt.date, end: dt.date,
                   as_of: dt.date) -> list[Meeting]:
    """One body's calendar items in ``[start, end]`` (recorded ones only for a body without rhythm)."""
    rhythm = instance.frequence
    by_period: dict[str, list[Reunion]] = {}
    for reunion in body_meetings(charter, instance):
        key = period_of(rhythm, reunion.date).key if rhythm else reunion.date.isoformat()
        by_period.setdefault(key, []).append(reunion)
    out: list[Meeting] = []
    for key, held in by_period.items():
        for n, reunion in enumerate(held):
            if start <= reunion.date <= end:
                uid = f"{instance.id}-{key}{f'-{n + 1}' if n else ''}"
                kind = TENUE if reunion.date <= as_of else PROGRAMMEE
                period = period_of(rhythm, reunion.date) if rhythm else None
                out.append(Meeting(instance, reunion.date, period, kind, uid, reunion))
    if rhythm is None:
        return out
    first, last = charter_span(charter)
    for period in periods(rhythm, max(start, first), min(end, last)):
        date = planned_date(period)
        if period.key in by_period or not (start <= date <= end and first <= date <= last):
            continue
        kind = PREVUE if date >= as_of else A_TENIR if period.end >= as_of else NON_TENUE
        out.append(Meeting(instance, date, period, kind, f"{instance.id}-{period.key}"))
    return out


# --------------------------------------------------------------------------- late bodies


@dataclass
class BodyStatus:
    """Where a body stands at the as-of date."""

    instance: Instance
    derniere: Reunion | None
    """Last meeting held (None when none is recorded)."""
    reference: dt.date
    """Date of the last meeting held, or the charter's start."""
    limite: dt.date | None
    """Date after which the body is late: reference + one period + tolerance (None without rhythm:
    a body whose rhythm the charter does not fix is never late)."""
    en_retard: bool
    jours_de_retard: int
    periodes_sans_reunion: int
    """Periods ended before the as-of date with no meeting held, since the last one (or the start)."""
    programmee: Reunion | None = None
    """Next meeting already fixed (recorded with a date after the as-of date)."""


def body_status(charter: Charter, instance: Instance, as_of: dt.date) -> BodyStatus:
    """Whether a body is late at ``as_of`` (see the module's rule)."""
    meetings = body_meetings(charter, instance)
    held = [r for r in meetings if r.date <= as_of]
    fixed = next((r for r in meetings if r.date > as_of), None)
    last = held[-1] if held else None
    start, _ = charter_span(charter)
    reference = last.date if last else start
    rhythm = instance.frequence
    if rhythm is None:
        return BodyStatus(instance, last, reference, None, False, 0, 0, fixed)
    limit = after(reference, rhythm) + dt.timedelta(days=TOLERANCE_DAYS)
    first = period_of(rhythm, reference)
    if last is not None:
        first = first.next()
    missed = sum(1 for p in periods(rhythm, first.start, as_of) if p.end < as_of)
    late = as_of > limit
    return BodyStatus(instance, last, reference, limit, late, (as_of - limit).days if late else 0, missed,
                      fixed)


def body_statuses(charter: Charter, as_of: dt.date) -> list[BodyStatus]:
    """Every body's status, in charter order."""
    return [body_status(charter, b, as_of) for b in (charter.charte.instances if charter.charte else [])]
