"""The charter-wide actions of territoire.yaml, seen as one more quartier."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.model.territory import TERRITORY_ID
from gusp_cli.store.loader import load
from tests.conftest import CALL


@pytest.fixture(scope="module")
def convention(convention_charter):
    return convention_charter


def test_transversal_actions_are_entries_of_the_territory(convention) -> None:
    ids = [e.id for e in convention.entries if e.quartier.id == TERRITORY_ID]
    assert ids == ["TER-001", "TER-002"]
    assert all(convention.is_territory(convention.by_id[i].quartier) for i in ids)


def test_a_role_resolves_to_every_party_filling_it_in_the_covered_quartiers(convention) -> None:
    whole = convention.by_id["TER-001"]
    assert convention.actor_ids("ville", whole.quartier) == ["ville_rivebelle", "ville_saint_aubin"]
    # TER-002's table covers Les Tilleuls only: its bailleurs, not the Port-Vieux's alone.
    halls = convention.by_id["TER-002"]
    assert halls.quartier.couvre == ("tilleuls",)
    assert convention.actor_ids("bailleur", halls.quartier) == ["habitat_ouest", "logis_atlantique"]


def test_a_role_in_a_quartier_may_name_several_parties(convention) -> None:
    entry = convention.by_id["TIL-003"]
    assert convention.actor_ids("bailleur", entry.quartier) == ["habitat_ouest", "logis_atlantique"]
    assert convention.party_name("bailleur", entry.quartier) == "Habitat de l'Ouest, Logis Atlantique"


def test_the_call_charter_has_no_territory() -> None:
    charter = load(CALL, today=dt.date(2026, 11, 25))
    assert charter.territoire is None
    assert TERRITORY_ID not in {e.quartier.id for e in charter.entries}
