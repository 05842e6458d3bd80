"""Late or not, since when, by which rule (gusp_cli.model.lateness)."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.model.lateness import ECHEANCE, NO_FOLLOW_UP, NOT_IN_PLACE, late
from gusp_cli.model.models import Action

D = dt.date
DAY = D(2026, 6, 30)


def _action(**fields: object) -> Action:
    base: dict[str, object] = {"id": "CEN-001", "numero": 1, "libelle": "Permanence",
                               "responsables": ["ville"]}
    return Action.model_validate({**base, **fields})


def test_a_one_off_action_is_late_the_day_after_its_echeance() -> None:
    action = _action(echeance="2025")
    assert late(action, D(2025, 12, 31), D(2025, 12, 31)) is None
    found = late(action, D(2025, 12, 31), D(2026, 1, 1))
    assert found is not None
    assert (found.rule, found.since, found.days(D(2026, 1, 1))) == (ECHEANCE, D(2025, 12, 31), 1)


@pytest.mark.parametrize("statut", ["realisee", "abandonnee"])
def test_done_or_abandoned_is_never_late(statut: str) -> None:
    fields = {"date_realisation": "2025-01-01"} if statut == "realisee" else {}
    assert late(_action(statut=statut, frequence="mensuelle", **fields), D(2020, 1, 1), DAY) is None


def test_without_due_date_never_late() -> None:
    assert late(_action(statut="en_cours", frequence="mensuelle"), None, DAY) is None


@pytest.mark.parametrize("statut", [None, "a_faire", "reportee"])
def test_an_ongoing_action_not_in_place_is_late_after_its_echeance(statut: str | None) -> None:
    action = _action(statut=statut, frequence="hebdomadaire")
    assert late(action, D(2026, 7, 1), DAY) is None  # reportee to a later échéance: not late yet
    found = late(action, D(2026, 1, 31), DAY)
    assert found is not None and (found.rule, found.since) == (NOT_IN_PLACE, D(2026, 1, 31))


@pytest.mark.parametrize(("days_before", "is_late"), [(20, False), (40, False), (50, True), (None, True)])
def test_a_monthly_action_in_place_at_the_boundaries(days_before: int | None, is_late: bool) -> None:
    """En cours with a follow-up entry 20 days before, 40 (within the grace of half a month), 50, none."""
    suivi = [] if days_before is None else [
        {"date": (DAY - dt.timedelta(days=days_before)).isoformat(), "statut": "en_cours", "note": "tenue"}]
    action = _action(statut="en_cours", frequence="mensuelle", suivi=suivi)
    found = late(action, D(2025, 12, 31), DAY)
    assert (found is not None) is is_late
    if found is not None:
        assert found.rule == NO_FOLLOW_UP
        if days_before == 50:  # the last entry, 11 May, covered the month to 11 June: 19 days of delay
            assert (found.last_follow_up, found.since) == (D(2026, 5, 11), D(2026, 6, 11))
            assert found.days(DAY) == 19
        else:  # no entry: from one period after the échéance
            assert (found.last_follow_up, found.since) == (None, D(2026, 1, 31))


def test_an_amendment_is_not_follow_up() -> None:
    action = _action(statut="en_cours", frequence="mensuelle", suivi=[
        {"date": "2026-06-20", "motif": "COPIL", "champ": "libelle", "ancienne_valeur": "x"}])
    found = late(action, D(2025, 12, 31), DAY)
    assert found is not None and found.rule == NO_FOLLOW_UP and found.last_follow_up is None


def test_an_action_in_place_early_must_keep_its_rhythm_before_its_echeance() -> None:
    action = _action(statut="en_cours", frequence="trimestrielle",
                     suivi=[{"date": "2025-01-10", "statut": "en_cours"}])
    found = late(action, D(2027, 12, 31), DAY)
    assert found is not None and found.since == D(2025, 4, 10)


def test_a_weekly_action_with_a_note_last_week_is_on_time() -> None:
    action = _action(statut="en_cours", frequence="hebdomadaire",
                     suivi=[{"date": "2026-06-24", "note": "permanence tenue"}])
    assert late(action, D(2022, 12, 31), DAY) is None
    assert late(action, D(2022, 12, 31), D(2026, 7, 5)) is None  # a week, then 4 days of grace
    assert late(action, D(2022, 12, 31), D(2026, 7, 6)) is not None
