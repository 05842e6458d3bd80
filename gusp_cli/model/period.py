"""Which dates are plausible for a charter: none long before its period starts.

A charter runs over ``periode`` (``2019``–``2030`` for the embedded charter). A date typed years
before it is a typo or a conversion gone wrong (an Excel cell ``-5`` read as 25 December 1899,
``--date 0001-01-01``); it is refused, naming the period. Dates after the reference date are already
refused elsewhere (``date_future``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gusp_cli.model.models import Charte

YEARS_BEFORE = 5
"""How many years before its period a charter's dates may go (a diagnostic, a late record)."""


def earliest_plausible(charte: Charte | None) -> dt.date | None:
    """1 January, :data:`YEARS_BEFORE` years before the charter's first year (None without a period)."""
    periode = getattr(charte, "periode", None)
    if periode is None or not isinstance(periode.debut, int) or periode.debut - YEARS_BEFORE < 1:
        return None
    return dt.date(periode.debut - YEARS_BEFORE, 1, 1)


def implausible(charte: Charte | None, day: dt.date) -> str | None:
    """Why ``day`` cannot be a date of this charter, in French, or None when it can be."""
    earliest = earliest_plausible(charte)
    if earliest is None or day >= earliest:
        return None
    assert charte is not None and charte.periode is not None
    return (f"date {day.isoformat()} invraisemblable : antérieure au 1er janvier {earliest.year}, "
            f"{YEARS_BEFORE} ans avant la période de la charte ({charte.periode.debut}–"
            f"{charte.periode.fin}) ; vérifiez l'année")
