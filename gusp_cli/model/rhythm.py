"""Rhythms as periods of the calendar: the one vocabulary of bodies' meetings and ongoing actions.

A rhythm (:class:`~gusp_cli.model.vocabulary.Frequence`) cuts the calendar into periods:

* ``hebdomadaire``: ISO weeks, Monday to Sunday;
* ``bimensuelle`` (twice a month): the 1st to the 15th, the 16th to the end of the month;
* ``mensuelle``, ``bimestrielle``, ``trimestrielle``, ``semestrielle``, ``annuelle``: months
  grouped from January (``bimestrielle``: January–February, March–April...).

:func:`after` gives the end of the period that a dated event covers (one period after it) and
:func:`grace` half a period: an ongoing action is late once no follow-up covers a period and its
grace. Nothing here reads the clock.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from gusp_cli.french.dates import MONTHS_FR
from gusp_cli.model.vocabulary import Frequence

MONTHS = {Frequence.mensuelle: 1, Frequence.bimestrielle: 2, Frequence.trimestrielle: 3,
          Frequence.semestrielle: 6, Frequence.annuelle: 12}
"""Length in months of the rhythms made of whole months."""

LABELS = {
    Frequence.hebdomadaire: "chaque semaine",
    Frequence.bimensuelle: "deux fois par mois",
    Frequence.mensuelle: "chaque mois",
    Frequence.bimestrielle: "tous les deux mois",
    Frequence.trimestrielle: "chaque trimestre",
    Frequence.semestrielle: "chaque semestre",
    Frequence.annuelle: "chaque année",
}
"""Each rhythm in words."""

_ORDINAL = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}
_PREFIX = {6: "S", 3: "T", 2: "B"}
_WEEK = dt.timedelta(days=7)


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by ``months`` (the day clamped to the month's length)."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    day = min(date.day, _calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def after(date: dt.date, frequence: Frequence) -> dt.date:
    """The date one period after ``date`` (a week, half a month, N months)."""
    if frequence is Frequence.hebdomadaire:
        return date + _WEEK
    if frequence is Frequence.bimensuelle:
        return date + dt.timedelta(days=15)
    return add_months(date, MONTHS[frequence])


def grace(date: dt.date, frequence: Frequence) -> dt.timedelta:
    """Half of the period that starts on ``date``, rounded up to a whole day."""
    return dt.timedelta(days=-(-(after(date, frequence) - date).days // 2))


def _last_day(year: int, month: int) -> int:
    return _calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=True)
class Period:
    """One period of a rhythm."""

    start: dt.date
    frequence: Frequence

    @property
    def end(self) -> dt.date:
        """Last day."""
        return self.next().start - dt.timedelta(days=1)

    @property
    def rank(self) -> int:
        """1-based rank of the period in its year (its month, for half months)."""
        if self.frequence is Frequence.hebdomadaire:
            return self.start.isocalendar().week
        if self.frequence is Frequence.bimensuelle:
            return 1 if self.start.day == 1 else 2
        return (self.start.month - 1) // MONTHS[self.frequence] + 1

    @property
    def key(self) -> str:
        """Stable key: ``2026``, ``2026-S1``, ``2026-T1``, ``2026-B1``, ``2026-01``, ``2026-01-Q2``,
        ``2026-W05``."""
        year = self.start.year
        if self.frequence is Frequence.hebdomadaire:
            iso = self.start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if self.frequence is Frequence.bimensuelle:
            return f"{year}-{self.start.month:02d}-Q{self.rank}"
        months = MONTHS[self.frequence]
        if months == 12:
            return str(year)
        if months == 1:
            return f"{year}-{self.start.month:02d}"
        return f"{year}-{_PREFIX[months]}{self.rank}"

    @property
    def label(self) -> str:
        """French label: ``2026``, ``1er trimestre 2026``, ``janvier–février 2026``, ``mars 2026``,
        ``1re quinzaine de mars 2026``, ``semaine du 2 mars 2026``."""
        year, month = self.start.year, self.start.month
        if self.frequence is Frequence.hebdomadaire:
            day = "1er" if self.start.day == 1 else str(self.start.day)
            return f"semaine du {day} {MONTHS_FR[month - 1]} {year}"
        if self.frequence is Frequence.bimensuelle:
            which = "1re" if self.rank == 1 else "2e"
            return f"{which} quinzaine de {MONTHS_FR[month - 1]} {year}"
        months = MONTHS[self.frequence]
        if months == 12:
            return str(year)
        if months in (3, 6):
            what = "trimestre" if months == 3 else "semestre"
            return f"{_ORDINAL[self.rank]} {what} {year}"
        if months == 2:
            return f"{MONTHS_FR[month - 1]}–{MONTHS_FR[month]} {year}"
        return f"{MONTHS_FR[month - 1]} {year}"

    def next(self) -> Period:
        """The following period."""
        if self.frequence is Frequence.hebdomadaire:
            return Period(self.start + _WEEK, self.frequence)
        if self.frequence is Frequence.bimensuelle:
            if self.start.day == 1:
                return Period(self.start.replace(day=16), self.frequence)
            return Period(add_months(self.start.replace(day=1), 1), self.frequence)
        return Period(add_months(self.start, MONTHS[self.frequence]), self.frequence)


def period_of(frequence: Frequence, date: dt.date) -> Period:
    """The period of a rhythm that ``date`` falls in."""
    if frequence is Frequence.hebdomadaire:
        return Period(date - dt.timedelta(days=date.weekday()), frequence)
    if frequence is Frequence.bimensuelle:
        return Period(date.replace(day=1 if date.day <= 15 else 16), frequence)
    months = MONTHS[frequence]
    first_month = (date.month - 1) // months * months + 1
    return Period(dt.date(date.year, first_month, 1), frequence)


def periods(frequence: Frequence, start: dt.date, end: dt.date) -> list[Period]:
    """The periods overlapping ``[start, end]``."""
    out: list[Period] = []
    current = period_of(frequence, start)
    while current.start <= end:
        out.append(current)
        current = current.next()
    return out


def last_working_day(period: Period) -> dt.date:
    """The last working day (Monday to Friday) of the period's first month, within the period."""
    year, month = period.start.year, period.start.month
    day = min(dt.date(year, month, _last_day(year, month)), period.end)
    while day.weekday() >= 5 and day > period.start:
        day -= dt.timedelta(days=1)
    return day
