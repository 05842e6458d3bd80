"""A partner's cells as values, with the help a typo deserves."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.exchange import cells
from gusp_cli.model.vocabulary import Statut


@pytest.mark.parametrize(("value", "expected"), [
    ("Réalisée", Statut.realisee), ("en_cours", Statut.en_cours), ("A FAIRE", Statut.a_faire),
    (None, None), ("", None), ("non renseigné", None), ("  en   cours ", Statut.en_cours),
])
def test_status(value: object, expected: Statut | None) -> None:
    assert cells.status(value) is expected


@pytest.mark.parametrize(("value", "message"), [
    ("en cour", "statut « en cour » inconnu — vouliez-vous dire « en cours » ?"),
    ("Réalisé", "vouliez-vous dire « réalisée » ?"),
    ("fini", "statut « fini » inconnu (valeurs : à faire, en cours, réalisée, abandonnée, reportée)"),
])
def test_status_typos_get_a_suggestion(value: str, message: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.status(value)
    assert message in str(caught.value)


def test_dates() -> None:
    assert cells.date(dt.datetime(2026, 3, 1, 0, 0)) == dt.date(2026, 3, 1)
    assert cells.date("01/03/2026") == cells.date("2026-03-01") == dt.date(2026, 3, 1)
    assert cells.date("") is None and cells.date(None) is None


@pytest.mark.parametrize(("value", "message"), [
    ("1/10/26", "année sur deux chiffres — vouliez-vous dire « 01/10/2026 » ?"),
    ("31/02/2026", "date « 31/02/2026 » invalide (ce jour n'existe pas)"),
    ("2026/10/01", "vouliez-vous dire « 01/10/2026 » ?"),
    ("mars 2026", "attendu JJ/MM/AAAA ou AAAA-MM-JJ"),
    (46000, "un nombre, pas une date"),
])
def test_date_typos(value: object, message: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.date(value)
    assert message in str(caught.value)


def test_ids_get_a_suggestion() -> None:
    known = ["LEN-009", "LEN-011", "AVI-005"]
    assert cells.action_id("len-009", known) == ("LEN-009", "")
    assert cells.action_id("LEN-11", known) == ("LEN-11", " — vouliez-vous dire LEN-011 ?")
    assert cells.action_id("QQQ-777", known)[1] == ""  # nothing close
    assert cells.action_id("AVI-05", known)[1] == " — vouliez-vous dire AVI-005 ?"


def test_notes() -> None:
    assert cells.note("  Devis   signé ") == "Devis signé"
    assert cells.note(None) is None
    with pytest.raises(cells.CellError, match="caractère de contrôle U\\+001B interdit"):
        cells.note("a\x1bb")


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("oui_non", "oui", True), ("oui_non", "Non", False), ("oui_non", True, True), ("oui_non", None, None),
    ("oui_non", "  ", None), ("montant", 12500, 12500), ("montant", 12500.0, 12500),
    ("montant", "12 500 €", 12500),
    ("montant", "12 500,50", 12500.5), ("nombre", -3, -3), ("nombre", "-1,5", -1.5),
    ("texte", "  Plutôt   satisfaits ", "Plutôt satisfaits"),
])
def test_evaluation_cells_read_as_their_dimension(kind: str, value: object, expected: object) -> None:
    from gusp_cli.model.evaluation import Dimension
    from gusp_cli.model.vocabulary import TypeDimension

    found = cells.evaluation(Dimension("x", "X", TypeDimension(kind)), value)
    assert found == expected and type(found) is type(expected)


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("oui_non", "peut-être", "« peut-être » n'est ni oui ni non (choisissez dans la liste, ou laissez vide)"),
    ("oui_non", "ou", "vouliez-vous dire « oui » ?"),
    ("montant", -5, "un montant ne peut pas être négatif (reçu -5)"),
    ("montant", "beaucoup", "montant invalide « beaucoup »"),
    ("montant", True, "« oui » n'est pas un montant en euros"),
    ("montant", dt.date(2026, 1, 5), "« 2026-01-05 » est une date, pas un montant en euros"),
    ("texte", "a\x07b", "caractère de contrôle U+0007"),
])
def test_evaluation_cells_that_do_not_fit_say_why(kind: str, value: object, message: str) -> None:
    from gusp_cli.model.evaluation import Dimension
    from gusp_cli.model.vocabulary import TypeDimension

    with pytest.raises(cells.CellError) as caught:
        cells.evaluation(Dimension("x", "X", TypeDimension(kind)), value)
    assert message in str(caught.value)
