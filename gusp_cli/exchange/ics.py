"""iCalendar (RFC 5545) export of action deadlines and governance meetings, written by hand.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape ``\\``, ``;``, ``,`` and newlines. Every event has a stable UID that names the charter
(``ABC-042@agglo-2019.gusp``, ``copil-2026@agglo-2019.gusp``: the porteur and the first year, see
:func:`charter_identity`), so that a calendar subscribed to the file updates its events instead
of duplicating them, and two charters' events never merge. ``SEQUENCE`` and ``LAST-MODIFIED``
come from the data (an action's follow-up entries, a meeting recorded in place of a planned one),
never the clock, so that a moved échéance updates the event and an unchanged one stays as it was.
Meetings with a time (``heure``) are timed events in Europe/Paris, with its ``VTIMEZONE``; an
optional ``VALARM`` reminds of each event. ``DTSTAMP`` is the as-of date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from gusp_cli.governance.calendar import KIND_LABELS, Meeting
from gusp_cli.model.charter import Charter, Entry

PRODID = "-//gusp//Charte GUSP//FR"
LIMIT = 75
"""Largest line length in octets, line break excluded (RFC 5545, 3.1)."""
_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$")
TIMEZONE = "Europe/Paris"
VTIMEZONE = (
    "BEGIN:VTIMEZONE", f"TZID:{TIMEZONE}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
)
"""Paris time since 1996: summer time from the last Sunday of March to the last Sunday of October."""


@dataclass
class Event:
    """An event: all day, or timed in Paris time when it has a ``start``."""

    uid: str
    date: dt.date
    summary: str
    description: str = ""
    categories: list[str] = field(default_factory=list)
    status: str | None = None
    """``CONFIRMED`` or ``TENTATIVE``."""
    url: str | None = None
    start: dt.time | None = None
    """Start time in Paris time; None: an all-day event."""
    end: dt.time | None = None
    """End time in Paris time, when known."""
    sequence: int = 0
    """Revision of the event, from the data (RFC 5545, 3.8.7.4)."""
    modified: dt.date | None = None
    """The date of the data's last change, when it records one."""


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545, 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into CRLF-joined pieces of at most 75 octets; continuations start with a space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LIMIT:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def _date(value: dt.date) -> str:
    """``20261125``."""
    return f"{value:%Y%m%d}"


def _moment(day: dt.date, time: dt.time) -> str:
    """``20260312T143000`` (a local time of :data:`TIMEZONE`)."""
    return f"{day:%Y%m%d}T{time:%H%M%S}"


def _when(event: Event) -> list[str]:
    """DTSTART and DTEND: a whole day, or times in Paris time."""
    if event.start is None:
        return [f"DTSTART;VALUE=DATE:{_date(event.date)}",
                f"DTEND;VALUE=DATE:{_date(event.date + dt.timedelta(days=1))}"]
    lines = [f"DTSTART;TZID={TIMEZONE}:{_moment(event.date, event.start)}"]
    if event.end is not None:
        lines.append(f"DTEND;TZID={TIMEZONE}:{_moment(event.date, event.end)}")
    return lines


def trigger(before: dt.timedelta) -> str:
    """An alarm's ``TRIGGER`` value, ``before`` the start: ``-P7D``, ``-PT2H``, ``-PT30M``."""
    days, seconds = before.days, before.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "-P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "") if before else "PT0S"


def _event_lines(event: Event, stamp: str, alarm: dt.timedelta | None = None) -> list[str]:
    """The content lines of one VEVENT (with its reminder, ``alarm`` before it)."""
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}", *_when(event),
             f"SEQUENCE:{event.sequence}", f"SUMMARY:{escape(event.summary)}"]
    if event.modified is not None:
        lines.append(f"LAST-MODIFIED:{_date(event.modified)}T000000Z")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in event.categories))
    if event.status:
        lines.append(f"STATUS:{event.status}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("TRANSP:OPAQUE" if event.start is not None else "TRANSP:TRANSPARENT")
    if alarm is not None:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(event.summary)}",
                  f"TRIGGER:{trigger(alarm)}", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def render(events: Iterable[Event], as_of: dt.date, name: str, alarm: dt.timedelta | None = None) -> str:
    """The whole VCALENDAR, CRLF line endings, events in the given order (each reminded ``alarm``
    before it, when given); Paris time's VTIMEZONE when an event is timed."""
    stamp = f"{_date(as_of)}T000000Z"
    events = list(events)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}", f"X-WR-TIMEZONE:{TIMEZONE}"]
    if any(e.start is not None for e in events):
        lines += VTIMEZONE
    for event in events:
        lines += _event_lines(event, stamp, alarm)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def charter_identity(charter: Charter) -> str:
    """What tells this charter's events from any other charter's: ``call-2019.gusp`` (porteur, first year)."""
    if charter.charte is None:
        return "charte.gusp"
    return f"{charter.charte.porteur}-{charter.charte.periode.debut}.gusp"


def action_events(charter: Charter, entries: Iterable[Entry], as_of: dt.date) -> list[Event]:
    """One event per open action with a due date, on that date."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date

    events = []
    domain = charter_identity(charter)
    for entry in entries:
        if not entry.is_open or entry.due is None:
            continue
        action = entry.action
        parties = ", ".join(charter.party_name(p, entry.quartier) for p in action.responsables)
        details = [f"Quartier : {entry.quartier.nom}", f"Tableau : {entry.tableau.titre}",
                   f"Responsables : {parties}", f"Échéance écrite : {action.echeance}",
                   f"Statut : {STATUS_LABELS[action.statut.value if action.statut else None]}"]
        if entry.is_overdue(as_of):
            details.append(f"En retard au {format_date(as_of)}")
        latest = max((s.date for s in action.suivi), default=None)
        events.append(Event(f"{entry.id}@{domain}", entry.due, f"Échéance {entry.id} — {action.libelle}",
                            "\n".join(details), ["Échéance", entry.quartier.commune],
                            sequence=len(action.suivi), modified=latest))
    return events


def meeting_events(charter: Charter, meetings: Iterable[Meeting]) -> list[Event]:
    """One event per recorded or planned meeting; a recorded one, in its slot's place, is revision 1."""
    from gusp_cli.french.dates import parse_time

    events = []
    domain = charter_identity(charter)
    for meeting in meetings:
        reunion = meeting.reunion
        details = [f"{meeting.period_label} : {KIND_LABELS[meeting.kind]}"]
        url = None
        if reunion is not None:
            names = [q.nom for q in charter.quartiers if q.id in reunion.quartiers]
            details += [f"Objet : {reunion.objet}"] if reunion.objet else []
            details += [f"Quartiers : {', '.join(names)}"] if names else []
            details += [f"Décision : {d.texte}" + (f" ({', '.join(d.actions)})" if d.actions else "")
                        for d in reunion.decisions]
            if reunion.compte_rendu:
                details.append(f"Compte rendu : {reunion.compte_rendu}")
                url = reunion.compte_rendu if _URL.match(reunion.compte_rendu) else None
        summary = meeting.instance.nom + (" (date indicative)" if meeting.planned else "")
        start = parse_time(reunion.heure) if reunion is not None and reunion.heure else None
        end = parse_time(reunion.heure_fin) if reunion is not None and reunion.heure_fin else None
        events.append(Event(f"{meeting.uid}@{domain}", meeting.date, summary, "\n".join(details),
                            ["Gouvernance"], "TENTATIVE" if meeting.planned else "CONFIRMED", url,
                            start, end, sequence=0 if meeting.planned else 1))
    return events
