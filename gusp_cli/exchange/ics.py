"""iCalendar (RFC 5545) export of action deadlines and governance meetings, written by hand.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape ``\\``, ``;``, ``,`` and newlines. Every event has a stable UID (``CEN-042@gusp``,
``copil-2026@gusp``: see :mod:`gusp_cli.governance.calendar`), so that a calendar subscribed to the file
updates its events instead of duplicating them. ``DTSTAMP`` is the as-of date, never the clock.
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
_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$")
"""Largest line length in octets, line break excluded (RFC 5545, 3.1)."""


@dataclass
class Event:
    """An all-day event."""

    uid: str
    date: dt.date
    summary: str
    description: str = ""
    categories: list[str] = field(default_factory=list)
    status: str | None = None
    """``CONFIRMED`` or ``TENTATIVE``."""
    url: str | None = None


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


def _event_lines(event: Event, stamp: str) -> list[str]:
    """The content lines of one VEVENT."""
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{_date(event.date)}",
             f"DTEND;VALUE=DATE:{_date(event.date + dt.timedelta(days=1))}",
             f"SUMMARY:{escape(event.summary)}"]
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in event.categories))
    if event.status:
        lines.append(f"STATUS:{event.status}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def render(events: Iterable[Event], as_of: dt.date, name: str) -> str:
    """The whole VCALENDAR, CRLF line endings, events in the given order."""
    stamp = f"{_date(as_of)}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def action_events(charter: Charter, entries: Iterable[Entry], as_of: dt.date) -> list[Event]:
    """One event per open action with a due date, on that date."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date

    events = []
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
        events.append(Event(f"{entry.id}@gusp", entry.due, f"Échéance {entry.id} — {action.libelle}",
                            "\n".join(details), ["Échéance", entry.quartier.commune]))
    return events


def meeting_events(charter: Charter, meetings: Iterable[Meeting]) -> list[Event]:
    """One event per recorded or planned meeting."""
    events = []
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
        events.append(Event(meeting.uid, meeting.date, summary, "\n".join(details), ["Gouvernance"],
                            "TENTATIVE" if meeting.planned else "CONFIRMED", url))
    return events
