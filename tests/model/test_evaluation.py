"""The evaluation grid: the default four dimensions, or the charter's own."""

from __future__ import annotations

import datetime as dt

from gusp_cli.model.evaluation import DEFAULT_GRID, Dimension, grid, kind_error, value_of
from gusp_cli.model.vocabulary import TypeDimension
from gusp_cli.store.loader import load
from tests.conftest import CALL, CASES


def test_without_a_declaration_the_grid_is_the_default_four() -> None:
    charter = load(CALL, today=dt.date(2026, 11, 25))
    assert grid(charter) == list(DEFAULT_GRID)
    assert [d.libelle for d in grid(charter)] == [
        "Déployée", "Coût", "Clauses d’insertion respectées", "Amélioration de la qualité de vie validée"]


def test_a_declared_grid_and_its_values() -> None:
    charter = load(CASES / "convention", today=dt.date(2026, 11, 25))
    assert [(d.id, d.type) for d in grid(charter)] == [
        ("deployee", TypeDimension.oui_non), ("cout", TypeDimension.montant),
        ("satisfaction", TypeDimension.texte)]
    evaluation = charter.by_id["TIL-001"].action.evaluation
    assert value_of(evaluation, "deployee") is True
    assert value_of(evaluation, "cout") is None
    assert value_of(evaluation, "satisfaction") == "Plutôt satisfaits (enquête de juin 2025)"
    assert value_of(None, "deployee") is None


def test_kind_errors_are_told_in_french() -> None:
    amount = Dimension("cout", "Coût", TypeDimension.montant)
    assert kind_error(amount, 1200.5) is None
    assert kind_error(amount, -3) == "« cout » attend un montant en euros, positif (reçu -3)"
    assert kind_error(amount, True) is not None
    assert kind_error(Dimension("ok", "Ok", TypeDimension.oui_non), "oui") == \
        "« ok » attend true ou false (reçu 'oui')"
