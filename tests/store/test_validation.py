"""Validating plain values: an action that fails is left out, the rest of its quartier is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from gusp_cli.model.models import Quartier
from gusp_cli.store.validation import validate_keeping
from gusp_cli.store.yamlio import parse_file
from tests.conftest import CASES

CENTRE = CASES / "base" / "charter-data" / "quartiers" / "centre.yaml"


def _data() -> dict:
    data = parse_file(CENTRE).data
    assert isinstance(data, dict)
    return data


def test_a_valid_quartier_leaves_nothing_out() -> None:
    instance, problems, left_out = validate_keeping(Quartier, _data(), CENTRE)
    assert instance is not None and problems == [] and left_out == []


def test_errors_inside_actions_leave_those_actions_out() -> None:
    data = _data()
    data["tableaux"][0]["actions"][0]["statut"] = "en cours"
    data["tableaux"][0]["actions"][1]["couleur"] = "verte"
    instance, problems, left_out = validate_keeping(Quartier, data, CENTRE)
    assert instance is not None and left_out == [(0, 0), (0, 1)]
    assert [p.yaml_path for p in problems] == [("tableaux", 0, "actions", 0, "statut"),
                                                ("tableaux", 0, "actions", 1, "couleur")]
    kept = [a.id for t in instance.tableaux for a in t.actions]
    assert "CEN-001" not in kept and len(kept) == sum(len(t["actions"]) for t in _data()["tableaux"]) - 2
    assert data["tableaux"][0]["actions"][0]["statut"] == "en cours"  # the values are not changed


def test_an_error_outside_the_actions_gives_no_quartier() -> None:
    data = _data()
    data["tableaux"][0]["actions"][0]["statut"] = "en cours"
    data["nom"] = 12
    instance, problems, left_out = validate_keeping(Quartier, data, CENTRE)
    assert instance is None and left_out == [] and len(problems) == 2


def test_a_table_that_is_not_a_table_is_not_left_out(tmp_path: Path) -> None:
    data = _data()
    data["tableaux"][0] = "pas une table"
    instance, problems, left_out = validate_keeping(Quartier, data, CENTRE)
    assert instance is None and left_out == [] and problems


def test_a_number_stays_a_number_and_a_text_a_text() -> None:
    """The values reach pydantic as JSON (pydantic-core's serialiser): ``5.0`` is not an integer,
    ``"3"`` not a number, a whole-number key is a text key."""
    data = _data()
    first = data["tableaux"][0]["actions"][0]
    first["numero"] = 5.0
    data["roles"] = {**data.get("roles", {}), 12: "ville"}
    _, problems, _ = validate_keeping(Quartier, data, CENTRE)
    assert [(p.yaml_path, p.message) for p in problems] == [
        (("roles", "12"), "clé « 12 » invalide dans « roles » (minuscules sans accents, chiffres et _ ; "
                          "ex. bailleur_sud)"),
        (("tableaux", 0, "actions", 0, "numero"), "« numero » doit être un nombre entier (reçu 5.0)")]


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_number_that_is_not_finite_is_refused(number: float) -> None:
    """The reader never builds one; from another caller it is refused, never read as a number."""
    data = _data()
    data["tableaux"][0]["actions"][0]["numero"] = number
    instance, problems, _ = validate_keeping(Quartier, data, CENTRE)
    assert [p.yaml_path for p in problems] == [("tableaux", 0, "actions", 0, "numero")]
    kept = [a.id for t in instance.tableaux for a in t.actions] if instance is not None else []
    assert "CEN-001" not in kept
