"""The fiche-action fields told in French, on the second test charter (Rivebelle)."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.store.loader import load
from gusp_cli.track.fiche import (
    funding_text,
    has_fiche,
    indicator_text,
    means_lines,
    objective_of,
)
from tests.conftest import CALL

NBSP = "\u202f"


@pytest.fixture(scope="module")
def convention(convention_charter):
    return convention_charter


def test_objective_of_an_action_comes_from_its_table(convention) -> None:
    place = objective_of(convention, convention.by_id["TIL-001"])
    assert place is not None
    assert place.objectif_label == "1.1 Réduire les dépôts sauvages"
    assert place.axe_label == "Axe 1 — Un cadre de vie propre et entretenu"


def test_an_action_without_objective_has_no_place(convention) -> None:
    assert objective_of(convention, convention.by_id["TER-002"]) is None


def test_means_and_indicators(convention) -> None:
    entry = convention.by_id["TIL-001"]
    assert has_fiche(entry)
    assert means_lines(convention, entry) == [
        ("Coût prévu", f"24{NBSP}000{NBSP}€"),
        ("Financement", f"Rivebelle Métropole — 12{NBSP}000{NBSP}€"),
        ("Financement", f"TFPB Habitat de l'Ouest — 12{NBSP}000{NBSP}€"),
        ("Moyens humains", "Deux agents de la régie, une journée par semaine"),
    ]
    assert [indicator_text(i) for i in entry.action.indicateurs] == [
        "Encombrants ramassés (t) : cible 40 ; 18 au 30 juin 2025"]


def test_a_funder_outside_the_registry_keeps_its_text(convention) -> None:
    funding = convention.by_id["TIL-001"].action.moyens.financements[1]
    assert funding_text(convention, funding).startswith("TFPB Habitat de l'Ouest — ")


def test_the_call_charter_records_no_fiche_field() -> None:
    charter = load(CALL, today=dt.date(2026, 11, 25))
    assert not any(has_fiche(e) for e in charter.entries)
    assert all(objective_of(charter, e) is None for e in charter.entries)
