"""Values as a French user types them: oui / non and amounts."""

from __future__ import annotations

import pytest

from gusp_cli.french import values


@pytest.mark.parametrize(("text", "expected"), [
    ("oui", True), ("OUI", True), (" Non ", False), ("vrai", True), ("0", False), ("non renseigné", None),
    ("", None), ("?", None),
])
def test_yes_no(text: str, expected: bool | None) -> None:
    assert values.yes_no(text) is expected


def test_yes_no_refuses_anything_else() -> None:
    with pytest.raises(ValueError, match="« peut-être » ; attendu oui ou non"):
        values.yes_no("peut-être")


@pytest.mark.parametrize(("text", "expected"), [
    ("12500", 12500), ("12 500", 12500), ("12\u202f500\u00a0€", 12500), ("12 500 €", 12500),
    ("12 500,50", 12500.5), ("12500.5", 12500.5), ("0", 0), ("non_renseigne", None), ("", None),
])
def test_amount(text: str, expected: float | None) -> None:
    found = values.amount(text)
    assert found == expected and type(found) is type(expected)


@pytest.mark.parametrize(("text", "message"), [
    ("-5", "un montant ne peut pas être négatif (reçu -5)"),
    ("beaucoup", "montant invalide « beaucoup » (attendu un nombre d'euros : 12500 ou 12 500,50)"),
    ("12.500", "montant « 12.500 » ambigu"),
    ("1.250.000", "montant « 1.250.000 » ambigu"),
    ("nan", "montant invalide « nan »"),
])
def test_amount_refusals_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        values.amount(text)


def test_a_number_may_be_negative() -> None:
    assert values.number("-1 234,5") == -1234.5
    with pytest.raises(ValueError, match="nombre invalide « x »"):
        values.number("x")
