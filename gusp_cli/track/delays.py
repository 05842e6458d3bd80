"""Delays told in words, as a COPIL reads them: how late, and for an ongoing action why."""

from __future__ import annotations

import datetime as dt

from gusp_cli.french.dates import delay_words
from gusp_cli.model.charter import Entry
from gusp_cli.model.lateness import NO_FOLLOW_UP, NOT_IN_PLACE


def delay_text(entry: Entry, as_of: dt.date) -> str:
    """« 7 ans 11 mois », and for an ongoing action the rule: « … — pas mis en place »,
    « … — sans suivi depuis 3 mois »."""
    late = entry.lateness(as_of)
    if late is None:
        return "—"
    key = (late.rule, late.since, late.last_follow_up, as_of)
    text = _TEXTS.get(key)
    if text is None:
        reason = delay_reason(entry, as_of)
        text = delay_words(late.since, as_of) + (f" — {reason}" if reason else "")
        if len(_TEXTS) < 10_000:
            _TEXTS[key] = text
    return text


_TEXTS: dict[tuple[str, dt.date, dt.date | None, dt.date], str] = {}
"""Each delay in words, by lateness and day: 30,000 late actions share a few hundred delays."""


def delay_reason(entry: Entry, as_of: dt.date) -> str | None:
    """Why an ongoing action is late (« pas mis en place », « sans suivi depuis 3 mois »); None
    for a one-off action past its échéance or an action on time."""
    late = entry.lateness(as_of)
    if late is None or late.rule not in (NOT_IN_PLACE, NO_FOLLOW_UP):
        return None
    if late.rule == NOT_IN_PLACE:
        return "pas mis en place"
    if late.last_follow_up is None:
        return "en place, sans aucun suivi consigné"
    return f"sans suivi depuis {delay_words(late.last_follow_up, as_of)}"
