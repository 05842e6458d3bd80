"""The échéance grammar and its due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from gusp_cli.model.echeance import EcheanceError, parse_echeance


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
