"""An action's follow-up told in a line: when, what, and who reported it."""

from __future__ import annotations

from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.model.charter import Charter, Entry


def latest_line(charter: Charter, entry: Entry, *, short: bool = False) -> str:
    """« 12 mars 2026 — en cours — Permanence tenue (Bailleur du Sud) » (``short``: « 12/03/2026 »);
    empty when nothing is recorded."""
    last = entry.action.suivi[-1] if entry.action.suivi else None
    if last is None:
        return ""
    who = f" ({charter.party_name(last.auteur)})" if last.auteur else ""
    when = last.date.strftime("%d/%m/%Y") if short else format_date(last.date)
    status = STATUS_LABELS[last.statut.value] if last.statut else ""
    parts = [when, status, (last.note or last.motif or "") + who]
    return " — ".join(p for p in parts if p.strip())
