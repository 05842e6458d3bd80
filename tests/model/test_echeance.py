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
    ("1er trimestre 2017", dt.date(2017, 3, 31)),
    ("2e trimestre 2017", dt.date(2017, 6, 30)),
    ("3ème trimestre 2017", dt.date(2017, 9, 30)),
    ("quatrième trimestre 2017", dt.date(2017, 12, 31)),
    ("T1 2017", dt.date(2017, 3, 31)),
    ("2e semestre 2016", dt.date(2016, 12, 31)),
    ("premier semestre 2019", dt.date(2019, 6, 30)),
    ("S2 2016", dt.date(2016, 12, 31)),
    ("fin 2017", dt.date(2017, 12, 31)),
    ("Fin 2017", dt.date(2017, 12, 31)),
    ("début 2018", dt.date(2018, 3, 31)),
    ("Debut  2018", dt.date(2018, 3, 31)),
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


@pytest.mark.parametrize(("text", "rhythm"), [
    ("en continu", None),
    ("Continuellement", None),
    ("en permanence", None),
    ("tout au long de l'année", None),
    ("tout au long de l’année", None),
    ("toute l'année", None),
    ("chaque année", "annuelle"),
    ("tous les ans", "annuelle"),
    ("annuellement", "annuelle"),
])
def test_continuous_echeances_have_no_due_date(text: str, rhythm: str | None) -> None:
    echeance = parse_echeance(text)
    assert echeance.continu and echeance.date is None
    assert (echeance.rythme.value if echeance.rythme else None) == rhythm


@pytest.mark.parametrize("text", ["3e semestre 2017", "5e trimestre 2017", "fin de 2017 ou 2018",
                                  "milieu 2018"])
def test_invalid_new_wordings(text: str) -> None:
    with pytest.raises(EcheanceError):
        parse_echeance(text)


# --------------------------------------------------------------------------- the editors' pattern

PIECES = ["", " ", "  ", "/", "-", "–", "T", "t", "S", "s", "Été", "ete", "ÉTÉ", "Hiver", "printemps",
          "juin", "Juin", "Juinn", "AOÛT", "fevrier", "Février", "brumaire", "fin", "1er", "trimestre",
          "2e", "semestre", "début", "debut", "en continu", "chaque année", "Continuellement",
          "tout au long de l'année", "de"]
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
    ("2023 – 2024", True), ("bientôt", False), ("30/06/2025", True), ("2025-02-30", True),
    ("1er trimestre 2017", True), ("2e semestre 2016", True), ("fin 2017", True), ("Début 2018", True),
    ("en continu", True), ("chaque année", True), ("tout au long de l'année", True),
    ("3e semestre 2017", False), ("milieu 2018", False)])
def test_the_schema_pattern_on_examples(text: str, accepted: bool) -> None:
    assert bool(re.search(schema_pattern(), text)) is accepted


def test_the_schema_pattern_is_plain_ecmascript() -> None:
    # Only what JavaScript's RegExp reads the same: no named groups, no lookbehind, no inline flags.
    pattern = schema_pattern()
    assert "(?P" not in pattern and "(?<" not in pattern and "(?i" not in pattern
    assert pattern.startswith("^") and pattern.endswith("$")
