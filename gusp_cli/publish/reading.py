"""The page that explains how to read the figures: the categories, the échéance rules, the statuses.

Its rules are gusp's (``model.echeance``, ``model.lateness``); what depends on the charter (the
first day of its period, its phases) comes from the charter at hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.model.charter import Charter
from gusp_cli.model.vocabulary import Statut
from gusp_cli.publish.pages import capitalized
from gusp_cli.publish.progress import ETATS


@dataclass(frozen=True)
class Lecture:
    """What the reading page needs from the charter."""

    debut: dt.date
    """First day of the charter's period: continuous actions are due in place from it."""
    phases: list[str]
    etats: list[tuple[str, str]]
    """(key, words) of each category, in the bars' order."""
    statuts: list[str]
    """The statuses a partner may record, in words."""


def reading(charter: Charter) -> Lecture:
    """The reading page's content."""
    assert charter.charte is not None
    return Lecture(dt.date(charter.charte.periode.debut, 1, 1), [capitalized(n) for _, n in charter.phases],
                   [(cle, capitalized(words)) for cle, words in ETATS],
                   [STATUS_LABELS[s.value] for s in Statut])
