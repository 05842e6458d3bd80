"""Rules on the charter's recorded dates: none long before its period (:mod:`gusp_cli.model.period`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem, error
from gusp_cli.model.layout import MEETINGS_FILE, data_dir
from gusp_cli.model.period import earliest_plausible, implausible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.models import Quartier


def implausible_dates(charter: Charter, quartier: Quartier, as_of: dt.date | None) -> Iterator[Problem]:
    """An action's completion and follow-up dates are not years before the period."""
    earliest = earliest_plausible(charter.charte)
    if earliest is None:
        return
    for entry in charter.entries_of(quartier.id):
        action = entry.action
        if action.date_realisation is not None and action.date_realisation < earliest:
            yield error("date_invraisemblable", _reason(charter, action.date_realisation), entry.file,
                        (*entry.yaml_path, "date_realisation"))
        for i, item in enumerate(action.suivi):
            if item.date < earliest:
                yield error("date_invraisemblable", _reason(charter, item.date), entry.file,
                            (*entry.yaml_path, "suivi", i, "date"))


def implausible_meeting_dates(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Meeting dates are not years before the period."""
    earliest = earliest_plausible(charter.charte)
    if earliest is None:
        return
    meetings = data_dir(charter.root) / MEETINGS_FILE
    for i, meeting in enumerate(charter.reunions):
        if meeting.date < earliest:
            yield error("date_invraisemblable", _reason(charter, meeting.date), meetings,
                        ("reunions", i, "date"))


def _reason(charter: Charter, day: dt.date) -> str:
    return implausible(charter.charte, day) or ""
