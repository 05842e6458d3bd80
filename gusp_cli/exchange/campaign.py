"""The partners' update campaign: one workbook per responsible party, and who has answered.

Roles are resolved in each quartier (the bailleur of a quartier is a real party), so each party
gets the actions it is responsible for, whether the charter names it or one of its roles. A
party that cannot answer gets no workbook, and the campaign says why: one not identified yet, or
a role no party fills in that quartier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from gusp_cli.french.dates import format_date
from gusp_cli.french.text import of_the
from gusp_cli.model.charter import Charter, Entry, short_name


@dataclass
class PartyBook:
    """The workbook of one party: its actions, in document order."""

    party: str
    """The party's id (``bailleur_sud``): the workbook's file name and its default author."""
    name: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def filename(self) -> str:
        """``bailleur_sud.xlsx``."""
        return f"{self.party}.xlsx"


@dataclass
class Campaign:
    """The workbooks of a selection, and the parties left out with the reason."""

    books: list[PartyBook]
    left_out: list[tuple[str, str]]
    """(party as written, why it gets no workbook)."""


def party_books(charter: Charter, entries: Sequence[Entry]) -> Campaign:
    """One book per registered, identified party responsible for some of ``entries``."""
    books: dict[str, PartyBook] = {}
    left_out: dict[str, str] = {}
    for entry in entries:
        for party in entry.action.responsables:
            actors = charter.actor_ids(party, entry.quartier)
            if not actors:
                left_out.setdefault(charter.party_name(party, entry.quartier), _why_none(charter, party))
            for actor_id in actors:
                actor = charter.actors[actor_id]
                if not actor.identifie:
                    left_out.setdefault(short_name(actor), "partie pas encore identifiée")
                    continue
                book = books.setdefault(actor_id, PartyBook(actor_id, short_name(actor)))
                if not book.entries or book.entries[-1] is not entry:
                    book.entries.append(entry)
    ordered = sorted(books.values(), key=lambda b: (-len(b.entries), b.name))
    return Campaign(ordered, sorted(left_out.items()))


def _why_none(charter: Charter, party: str) -> str:
    """Why a party written in an action resolves to no registered party."""
    if party in charter.roles:
        return "rôle tenu par aucune partie dans ce quartier (roles du fichier quartier)"
    return "partie absente du registre (acteurs.yaml)"


RETURN_MARGIN_DAYS = 15
"""How long before the deciding body's meeting the workbooks come back (time to prepare the review)."""


def return_by(charter: Charter, day: dt.date) -> tuple[dt.date | None, str | None]:
    """When the workbooks should come back: 15 days before the deciding body's next meeting (fixed
    in ``reunions.yaml``, or drawn from its rhythm), with the reason; no date when no meeting is
    ahead (None, None), or when the one owed this period has no date yet (None, why)."""
    from gusp_cli.governance.agenda import next_meeting
    from gusp_cli.governance.calendar import PREVUE, PROGRAMMEE

    body = charter.deciding_body
    meeting = next_meeting(charter, body, day) if body is not None else None
    if body is None or meeting is None:
        return None, None
    if meeting.kind not in (PROGRAMMEE, PREVUE):
        return None, (f"la réunion {of_the(body.nom)} pour la période {meeting.period_label} n'a pas encore "
                      "de date dans reunions.yaml")
    back = max(day, meeting.date - dt.timedelta(days=RETURN_MARGIN_DAYS))
    fixed = "programmée" if meeting.kind == PROGRAMMEE else "prévue, date indicative tirée de son rythme"
    return back, f"avant la réunion {of_the(body.nom)} du {format_date(meeting.date)}, {fixed}"
