"""Queries on the base fixture and on the pinned CALL charter, at fixed as-of dates."""

from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml import YAML

from gusp_cli.store.loader import load
from gusp_cli.track.queries import Filters, overdue, resolve_filters, select, upcoming, without_echeance
from tests.conftest import CALL, CASES


@pytest.fixture(scope="module")
def embedded():
    charter = load(CALL, today=dt.date(2026, 11, 25))
    assert charter.ok, [p.format() for p in charter.errors]
    return charter


def _raw_actions() -> list[dict]:
    """Every action straight from the YAML files, without the loader."""
    actions = []
    for path in sorted((CALL / "charter-data" / "quartiers").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for table in data["tableaux"]:
            for action in table["actions"]:
                actions.append({**action, "quartier": data["id"]})
    return actions


def test_year_boundary_on_the_base_charter() -> None:
    charter = load(CASES / "base")
    entries = select(charter, resolve_filters(charter, Filters()))
    # CEN-001 is due "2021": not late on 31 December 2021, late from 1 January 2022.
    assert [e.id for e in overdue(entries, dt.date(2021, 12, 31))] == []
    assert [e.id for e in overdue(entries, dt.date(2022, 1, 1))] == ["CEN-001"]


def test_closed_actions_are_never_late() -> None:
    charter = load(CASES / "base")
    entries = select(charter, resolve_filters(charter, Filters()))
    late = {e.id for e in overdue(entries, dt.date(2031, 6, 1))}
    assert late == {"CEN-001", "CEN-004"}  # CEN-002 is realisee, CEN-003 has no échéance


def test_embedded_boundary_2025(embedded) -> None:
    entries = select(embedded, resolve_filters(embedded, Filters()))
    due_2025 = {a["id"] for a in _raw_actions() if str(a.get("echeance")) == "2025"}
    assert due_2025, "the charter has actions due in 2025"
    on_new_year_eve = {e.id for e in overdue(entries, dt.date(2025, 12, 31))}
    on_new_year = {e.id for e in overdue(entries, dt.date(2026, 1, 1))}
    assert not due_2025 & on_new_year_eve
    assert due_2025 <= on_new_year


def _expected_late(quartier: str | None, as_of: dt.date) -> set[str]:
    """Late ids computed independently: plain years and ranges only (what the charter uses)."""
    from gusp_cli.model.echeance import parse_echeance

    late = set()
    for action in _raw_actions():
        if (quartier and action["quartier"] != quartier) or action.get("echeance") is None:
            continue
        if action.get("statut") in ("realisee", "abandonnee"):
            continue
        if parse_echeance(str(action["echeance"])).date < as_of:
            late.add(action["id"])
    return late


@pytest.mark.parametrize("as_of", [dt.date(2019, 1, 1), dt.date(2024, 6, 30), dt.date(2026, 11, 25)])
@pytest.mark.parametrize("quartier", ["avion", "lens", "lievin", None])
def test_overdue_ids_match_the_data(embedded, quartier: str | None, as_of: dt.date) -> None:
    selection = resolve_filters(embedded, Filters(quartier=quartier))
    got = {e.id for e in overdue(select(embedded, selection), as_of)}
    assert got == _expected_late(quartier, as_of)


def test_overdue_sorted_by_lateness(embedded) -> None:
    late = overdue(embedded.entries, dt.date(2026, 11, 25))
    delays = [e.days_late(dt.date(2026, 11, 25)) for e in late]
    assert delays == sorted(delays, reverse=True)


def test_without_echeance_matches_the_data(embedded) -> None:
    expected = {a["id"] for a in _raw_actions() if a.get("echeance") is None}
    assert {e.id for e in without_echeance(embedded.entries)} == expected
    assert all(not e.is_overdue(dt.date(2100, 1, 1)) for e in without_echeance(embedded.entries))


def test_upcoming_window(embedded) -> None:
    as_of = dt.date(2026, 11, 25)
    got = {e.id for e in upcoming(embedded.entries, as_of, 90)}
    expected = {e.id for e in embedded.entries if e.due and as_of <= e.due <= as_of + dt.timedelta(90)}
    assert got == expected and got  # the 2026 deadlines fall in the window


@pytest.mark.parametrize(("words", "expected_word"), [("dechets", "déchets"), ("DÉCHETS", "déchets")])
def test_search_ignores_accents_and_case(embedded, words: str, expected_word: str) -> None:
    found = select(embedded, resolve_filters(embedded, Filters(search=words)))
    assert found
    raw = {a["id"] for a in _raw_actions() if expected_word in a["libelle"].lower()}
    assert raw <= {e.id for e in found}


def test_role_filter_resolves_per_quartier(embedded) -> None:
    lens_bailleur = select(embedded, resolve_filters(embedded, Filters(quartier="lens",
                                                                       responsable="maisons et cités")))
    raw = {a["id"] for a in _raw_actions() if a["quartier"] == "lens" and "bailleur" in a["responsables"]}
    assert {e.id for e in lens_bailleur} == raw and raw


