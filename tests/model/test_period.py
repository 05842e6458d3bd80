"""Plausible dates: none long before the charter's period."""

from __future__ import annotations

import datetime as dt

from gusp_cli.model.models import Charte
from gusp_cli.model.period import earliest_plausible, implausible
from gusp_cli.store.loader import load
from tests.conftest import CASES


def _charte() -> Charte:
    charte = load(CASES / "base").charte
    assert charte is not None
    return charte


def test_the_earliest_plausible_date_is_five_years_before_the_period() -> None:
    charte = _charte()
    assert (charte.periode.debut, earliest_plausible(charte)) == (2020, dt.date(2015, 1, 1))
    assert earliest_plausible(None) is None


def test_a_date_before_it_is_refused_naming_the_period() -> None:
    charte = _charte()
    assert implausible(charte, dt.date(2015, 1, 1)) is None
    assert implausible(charte, dt.date(2031, 6, 1)) is None  # the future has its own rule
    assert implausible(charte, dt.date(1899, 12, 25)) == (
        "date 1899-12-25 invraisemblable : antérieure au 1er janvier 2015, 5 ans avant la période de la "
        "charte (2020–2030) ; vérifiez l'année")
    assert implausible(charte, dt.date(1, 1, 1)) is not None
