"""Loose matching of quartiers, phases and parties."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.model.errors import UsageError
from gusp_cli.store.loader import load
from gusp_cli.track.matching import match_party, match_phase, match_quartier
from tests.conftest import CALL


@pytest.fixture(scope="module")
def charter():
    return load(CALL, today=dt.date(2026, 11, 25))


@pytest.mark.parametrize("typed", ["avion", "Avion", "AVION", "république", "republique", "Republique"])
def test_avion(charter, typed: str) -> None:
    assert match_quartier(charter, typed) == "avion"


@pytest.mark.parametrize("typed", ["lievin", "Liévin", "vent de bise", "jean lebas"])
def test_lievin(charter, typed: str) -> None:
    assert match_quartier(charter, typed) == "lievin"


def test_unknown_quartier_lists_choices_closest_first(charter) -> None:
    with pytest.raises(UsageError) as exc:
        match_quartier(charter, "lievn")
    assert exc.value.message == "--quartier : « lievn » inconnu ; choix possibles : lievin, lens, avion"
    assert exc.value.exit_code == 2


@pytest.mark.parametrize(("typed", "phase"), [("post-chantier", "post_chantier"), ("Chantier", "chantier"),
                                              ("gestion actuelle", "actuelle")])
def test_phase(typed: str, phase: str) -> None:
    assert match_phase(typed).value == phase


@pytest.mark.parametrize(("typed", "party"), [("CALL", "call"), ("maisons et cites", "maisons_et_cites"),
                                              ("bailleur", "bailleur"), ("El Fouad", "el_fouad")])
def test_party(charter, typed: str, party: str) -> None:
    assert match_party(charter, typed) == party


@pytest.mark.parametrize(("typed", "value"), [("en_cours", "en_cours"), ("En cours", "en_cours"),
                                              ("réalisée", "realisee"), ("À faire", "a_faire"),
                                              ("abandonnée", "abandonnee")])
def test_status_words_and_labels(typed: str, value: str) -> None:
    from gusp_cli.track.matching import statut_value

    assert statut_value(typed) == value


def test_unreported_only_where_allowed() -> None:
    from gusp_cli.track.matching import match_statut, statut_value

    assert statut_value("non renseigné") is None
    assert match_statut("non renseigné", "--statut", allow_unreported=True) == "non_renseigne"
    with pytest.raises(UsageError) as exc:
        match_statut("fini", "STATUT")
    assert exc.value.message.startswith("STATUT : valeur « fini » inconnue ; choix possibles : ")
