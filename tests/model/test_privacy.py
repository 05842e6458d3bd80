"""Personal data in free text: e-mails, French phone numbers, « M. Dupont », never a place."""

from __future__ import annotations

import pytest

from gusp_cli.model.privacy import SIGNALS_REASON, personal_data_in, refusal


@pytest.mark.parametrize(("text", "kinds"), [
    ("contact : jean.dupont@example.org", ["courriel"]),
    ("écrire à o'neil+gusp@ville-centre.fr", ["courriel"]),
    ("joignable au 06 12 34 56 78", ["telephone"]),
    ("tél. 0612345678", ["telephone"]),
    ("06.12.34.56.78 le soir", ["telephone"]),
    ("+33 6 12 34 56 78", ["telephone"]),
    ("0033 612345678", ["telephone"]),
    ("03-21-00-00-00", ["telephone"]),
    ("devant chez M. Dupont", ["nom"]),
    ("Madame Durand signale", ["nom"]),
    ("Mme Martin au 0612345678, martin@example.org", ["courriel", "telephone", "nom"]),
])
def test_what_identifies_a_person_is_found(text: str, kinds: list[str]) -> None:
    assert personal_data_in(text) == kinds


@pytest.mark.parametrize("text", [
    "Dépôt sauvage au pied de la borne, rue Jean Jaurès",
    "rue Madame de Sévigné, éclairage en panne",
    "école Madame Curie : grillage arraché",
    "62 logements vacants, 2 500 m² de friche",
    "arrêté n° 2026-0612345 du maire",
    "signalé en comité de proximité le 12/03/2026",
    "voir avec M. le maire",
    "badge 12 34 56 78",
])
def test_places_numbers_and_functions_are_not_personal(text: str) -> None:
    assert personal_data_in(text) == []


def test_the_refusal_names_the_field_and_never_quotes_the_text() -> None:
    message = refusal(["telephone", "nom"], "note", SIGNALS_REASON)
    assert message.startswith("donnée personnelle refusée : « note » contient un numéro de téléphone et une "
                              "civilité suivie d'un nom")
    assert "jamais des personnes" in message
