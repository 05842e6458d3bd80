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
