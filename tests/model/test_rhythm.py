"""Rhythms as periods of the calendar (gusp_cli.model.rhythm)."""

from __future__ import annotations

import datetime as dt

from gusp_cli.model.rhythm import after, grace, last_working_day, period_of, periods
from gusp_cli.model.vocabulary import Frequence

D = dt.date


def test_weekly_periods_are_iso_weeks() -> None:
    week = period_of(Frequence.hebdomadaire, D(2026, 3, 4))  # a Wednesday
    assert (week.start, week.end, week.key, week.label) == (D(2026, 3, 2), D(2026, 3, 8), "2026-W10",
                                                              "semaine du 2 mars 2026")
    assert week.next().start == D(2026, 3, 9)
    assert period_of(Frequence.hebdomadaire, D(2027, 1, 1)).key == "2026-W53"  # ISO year


def test_half_months() -> None:
    first, second = (period_of(Frequence.bimensuelle, D(2026, 2, d)) for d in (15, 16))
    assert (first.start, first.end, first.key, first.label) == (D(2026, 2, 1), D(2026, 2, 15), "2026-02-Q1",
                                                                  "1re quinzaine de février 2026")
    assert (second.start, second.end, second.label) == (D(2026, 2, 16), D(2026, 2, 28),
                                                        "2e quinzaine de février 2026")
    assert second.next().start == D(2026, 3, 1)
    assert [p.key for p in periods(Frequence.bimensuelle, D(2026, 1, 20), D(2026, 2, 2))] == [
        "2026-01-Q2", "2026-02-Q1"]


def test_one_period_after_and_half_a_period_of_grace() -> None:
    assert after(D(2026, 1, 31), Frequence.mensuelle) == D(2026, 2, 28)
    assert after(D(2026, 1, 1), Frequence.hebdomadaire) == D(2026, 1, 8)
    assert after(D(2026, 1, 1), Frequence.bimensuelle) == D(2026, 1, 16)
    assert grace(D(2026, 6, 11), Frequence.mensuelle) == dt.timedelta(days=15)
    assert grace(D(2026, 1, 1), Frequence.hebdomadaire) == dt.timedelta(days=4)
    assert grace(D(2026, 1, 1), Frequence.annuelle) == dt.timedelta(days=183)


def test_a_planned_day_stays_within_its_period() -> None:
    week = period_of(Frequence.hebdomadaire, D(2026, 3, 4))
    assert last_working_day(week) == D(2026, 3, 6)  # Friday of that week, not the end of March
    half = period_of(Frequence.bimensuelle, D(2026, 2, 3))
    assert last_working_day(half) == D(2026, 2, 13)  # the 15th is a Sunday
