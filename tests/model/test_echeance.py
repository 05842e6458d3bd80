"""The échéance grammar and its due dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gusp_cli.model.echeance import EcheanceError, parse_echeance, schema_pattern


@pytest.mark.parametrize(("text", "due"), [
    ("2023", dt.date(2023, 12, 31)),
    ("2023/2024", dt.date(2024, 12, 31)),
    ("2023 - 2024", dt.date(2024, 12, 31)),
    ("Été 2022", dt.date(2022, 9, 22)),
    ("ete 2022", dt.date(2022, 9, 22)),
    ("Printemps 2025", dt.date(2025, 6, 20)),
    ("Automne 2025", dt.date(2025, 12, 20)),
    ("Hiver 2025", dt.date(2026, 3, 20)),
    ("T2 2025", dt.date(2025, 6, 30)),
    ("t4 2025", dt.date(2025, 12, 31)),
    ("S1 2025", dt.date(2025, 6, 30)),
    ("S2 2025", dt.date(2025, 12, 31)),
    ("juin 2025", dt.date(2025, 6, 30)),
    ("Février 2024", dt.date(2024, 2, 29)),
    ("fevrier 2025", dt.date(2025, 2, 28)),
    ("2025-06-30", dt.date(2025, 6, 30)),
    ("30/06/2025", dt.date(2025, 6, 30)),
    ("E\u0301te\u0301 2022", dt.date(2022, 9, 22)),  # NFD accents
])
def test_due_dates(text: str, due: dt.date) -> None:
    assert parse_echeance(text).date == due


@pytest.mark.parametrize(("text", "fragment"), [
    ("T5 2025", "non reconnue"),
    ("2025-02-30", "n'existe pas"),
    ("31/02/2025", "n'existe pas"),
    ("brumaire 2025", "mois « brumaire » inconnu"),
    ("2024/2023", "précède"),
    ("0000", "hors de la plage"),
    ("bientôt", "formes acceptées"),
    ("", "non reconnue"),
])
def test_invalid(text: str, fragment: str) -> None:
    with pytest.raises(EcheanceError, match=fragment):
        parse_echeance(text)


# --------------------------------------------------------------------------- the editors' pattern

PIECES = ["", " ", "  ", "/", "-", "–", "T", "t", "S", "s", "Été", "ete", "ÉTÉ", "Hiver", "printemps",
          "juin", "Juin", "Juinn", "AOÛT", "fevrier", "Février", "brumaire", "fin", "1er", "trimestre"]
CALENDAR = ("n'existe pas", "hors de la plage", "précède")
"""What the pattern cannot see: the calendar and the span of years (``gusp validate`` does)."""


def _accepted_by_the_grammar(text: str) -> bool:
    try:
        parse_echeance(text)
    except EcheanceError as exc:
        return any(reason in str(exc) for reason in CALENDAR)
    return True


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.integers(0, 3000).map(str),
                          st.sampled_from(["06", "30", "2025", "2024", "1", "4"])), max_size=6))
def test_the_schema_pattern_accepts_what_the_grammar_accepts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert bool(re.search(schema_pattern(), text)) == _accepted_by_the_grammar(text), text


@pytest.mark.parametrize(("text", "accepted"), [
    ("T2 2025", True), ("T5 2027", False), ("Été 2022", True), (" juin 2025 ", True), ("Juinn 2025", False),
    ("2023 – 2024", True), ("bientôt", False), ("30/06/2025", True), ("2025-02-30", True)])
def test_the_schema_pattern_on_examples(text: str, accepted: bool) -> None:
    assert bool(re.search(schema_pattern(), text)) is accepted


def test_the_schema_pattern_is_plain_ecmascript() -> None:
    # Only what JavaScript's RegExp reads the same: no named groups, no lookbehind, no inline flags.
    pattern = schema_pattern()
    assert "(?P" not in pattern and "(?<" not in pattern and "(?i" not in pattern
    assert pattern.startswith("^") and pattern.endswith("$")
