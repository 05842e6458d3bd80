"""The review's veille section: the year's counts by theme and party, median time to solve, oldest open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gusp_cli.reports.veille import build_veille
from gusp_cli.store.loader import load
from tests.governance.test_veille import charter_with, signal

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 11, 25))


def test_a_charter_without_signalements_says_so(gov: Path) -> None:
    veille = build_veille(load(gov, today=D(2026, 11, 25)), "centre", *YEAR)
    assert veille.present is False and veille.vide


def test_the_year_s_counts(gov: Path) -> None:
    charter = charter_with(
        gov,
        # seen last year, still open: counted open, not received
        signal("SIG-2025-0001", "2025-11-02"),
        # seen last year, closed this year after 92 days
        signal("SIG-2025-0002", "2025-12-01", etat="clos", suivi="    suivi:\n      - date: 2026-03-03\n"
               "        etat: clos\n        note: fait\n").replace("propreté", "Propreté"),
        # this year: relayed, then treated in 10 days
        signal("SIG-2026-0001", "2026-02-01", etat="transmis", suivi="    suivi:\n      - date: 2026-02-03\n"
               "        etat: transmis\n        vers: CLSPD\n").replace("propreté", "tranquillité"),
        signal("SIG-2026-0002", "2026-05-01", etat="traite", suivi="    suivi:\n      - date: 2026-05-11\n"
               "        etat: traite\n").replace("    responsable: bailleur\n", ""),
        # seen after the as-of day of the review: not there
        signal("SIG-2026-0003", "2026-11-20"),
    )
    veille = build_veille(charter, "centre", D(2026, 1, 1), D(2026, 11, 15))
    assert (veille.recus, veille.transmis, veille.traites, veille.clos, veille.ouverts) == (2, 1, 1, 1, 1)
    assert veille.delai_median == 51.0 and veille.resolus == 2  # median of 92 and 10 days
    assert [(r.libelle, r.recus, r.clos, r.ouverts) for r in veille.par_theme] == [
        ("propreté", 1, 1, 1), ("tranquillité", 1, 0, 0)]  # « Propreté » and « propreté » are one theme
    assert [(r.libelle, r.recus) for r in veille.par_partie] == [("Bailleur du Sud", 1),
                                                                 ("Responsable non désigné", 1)]
    [oldest] = veille.plus_anciens
    assert (oldest.id, oldest.jours, oldest.suite) == ("SIG-2025-0001", 378,
                                                       "à porter devant le comité de pilotage")
