"""The review context (gusp_cli.reports.review): counts, lists, evaluation, decisions, meetings, git
history."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gusp_cli.model.charter import Charter
from gusp_cli.reports.review import Historique, Revue, add_months, amendments, build_review, id_ranges
from gusp_cli.store.loader import load
from tests.conftest import CASES

AS_OF = dt.date(2026, 11, 25)

QUARTIER = """\
id: centre
nom: Centre – Quartier de la Gare
commune: Centre
roles:
  ville: ville_centre
  bailleur: bailleur_sud
tableaux:
  - titre: Gestion actuelle / Propreté
    phase: actuelle
    actions:
      - id: CEN-001
        numero: 1
        libelle: Tour de quartier mensuel
        responsables: [ville, agglo]
        echeance: "{e001}"
      - id: CEN-002
        numero: 2
        libelle: "Ramassage | dépôts"
        responsables: [bailleur]
        echeance: "2026"
        statut: realisee
        date_realisation: 2026-03-10
        evaluation:
          deployee: true
          cout: 12000
          clauses_insertion_respectees: false
          qualite_de_vie_amelioree: true
      - id: CEN-003
        numero: 3
        libelle: Sensibilisation au tri
        responsables: [agglo]
        echeance: "T1 2026"
{s003}        evaluation:
          cout: 1500.5
      - id: CEN-004
        numero: 4
        libelle: Bornes enterrées
        responsables: [ville]
        echeance: "2025"
        statut: realisee
        date_realisation: 2025-06-01
  - titre: Gestion post chantier
    phase: post_chantier
    actions:
      - id: CEN-005
        numero: 1
        libelle: Constat d'huissier
        responsables: [futurs_promoteurs]
      - id: CEN-006
        numero: 2
        libelle: Plantations
        responsables: [ville]
        echeance: "{e006}"
        statut: a_faire
{s006}{a007}  - titre: Chantier
    phase: chantier
    actions:
      - id: CEN-008
        numero: 1
        libelle: Déviation
        responsables: [ville]
        echeance: "2020"
        statut: abandonnee
      - id: CEN-009
        numero: 2
        libelle: Base vie
        responsables: [ville]
        echeance: "2022"
        statut: reportee
"""
S003 = """\
        statut: en_cours
        suivi:
          - date: 2026-02-20
            statut: en_cours
            note: Lancé avec le prestataire
"""
S006 = """\
        suivi:
          - date: 2026-02-20
            champ: echeance
            ancienne_valeur: "2027"
            motif: report du chantier
"""
A007 = """\
      - id: CEN-007
        numero: 3
        libelle: Gardiennage
        responsables: [bailleur]
        echeance: "2028"
"""
FINAL = {"e001": "2021", "s003": S003, "e006": "juin 2027", "s006": S006, "a007": A007}


def write_quartier(root: Path, **parts: str) -> None:
    """Write the test quartier (the final state by default)."""
    text = QUARTIER.format(**{**FINAL, **parts})
    (root / "charter-data" / "quartiers" / "centre.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_git_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Temporary charters are never seen as part of an enclosing git work tree."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def depot(tmp_path: Path) -> Path:
    root = tmp_path / "depot"
    shutil.copytree(CASES / "base", root)
    write_quartier(root)
    return root


def loaded(root: Path) -> Charter:
    charter = load(root, today=AS_OF)
    assert charter.ok, [p.format() for p in charter.errors]
    return charter


def review(root: Path, year: int = 2026, **kwargs: object) -> Revue:
    return build_review(loaded(root), AS_OF, year, **kwargs)  # type: ignore[arg-type]


def ids(lines: list) -> list[str]:  # type: ignore[type-arg]
    return [line.id for line in lines]


# ----------------------------------------------------------------------------- counts and lists


def test_synthesis_counts(depot: Path) -> None:
    s = review(depot).ensemble.synthese
    assert s.total == 9
    assert {c.cle: c.valeur for c in s.par_statut} == {
        "a_faire": 1, "en_cours": 1, "realisee": 2, "abandonnee": 1, "reportee": 1, "non_renseigne": 3}
    assert [c.libelle for c in s.par_statut][-1] == "Non renseigné"
    assert {c.cle: c.valeur for c in s.par_phase} == {"actuelle": 4, "chantier": 2, "post_chantier": 3}
    assert (s.realisees, s.en_retard, s.sans_statut, s.sans_echeance) == (2, 3, 3, 1)


def test_lists_follow_the_rules(depot: Path) -> None:
    q = review(depot).quartiers[0]
    # Overdue: open and due before the as-of date, longest delay first; abandoned CEN-008 is not late,
    # postponed (reportee) CEN-009 is. CEN-001 has no status nor follow-up: « à renseigner ».
    assert ids(q.en_retard) == ["CEN-009", "CEN-003"] and ids(q.a_renseigner) == ["CEN-001"]
    assert [line.retard for line in q.a_renseigner + q.en_retard] == [
        (AS_OF - dt.date(2021, 12, 31)).days, (AS_OF - dt.date(2022, 12, 31)).days,
        (AS_OF - dt.date(2026, 3, 31)).days]
    assert [line.retard_texte for line in q.a_renseigner + q.en_retard] == ["4 ans 10 mois", "3 ans 10 mois",
                                                                            "7 mois"]
    assert ids(q.realisees_annee) == ["CEN-002"]  # CEN-004 was completed in 2025
    assert ids(q.a_echeance) == ["CEN-006"]  # due 30 June 2027; CEN-007 (2028) is beyond 12 months
    assert ids(q.sans_echeance) == ["CEN-005"]
    assert ids(q.sans_statut) == ["CEN-001", "CEN-005", "CEN-007"]
    assert q.a_renseigner[0].responsables == ["Ville de Centre", "Agglomération de test"]


def test_year_changes_completed_list(depot: Path) -> None:
    assert ids(review(depot, 2025).quartiers[0].realisees_annee) == ["CEN-004"]


def test_evaluation_lists_only_the_evaluated_actions(depot: Path) -> None:
    q = review(depot).quartiers[0]
    rows = {row.id: row for row in q.evaluation}
    assert ids(q.evaluation) == ["CEN-002", "CEN-003"]  # never rows of blank cells
    # the default grid: deployed, cost, insertion clauses respected, quality of life improved
    assert rows["CEN-002"].valeurs == [True, 12000, False, True] and rows["CEN-002"].cout == 12000
    assert rows["CEN-003"].valeurs == [None, 1500.5, None, None]
    assert q.evaluations_renseignees == 2
    assert q.cout_renseigne == 13500.5


def test_evaluation_summary_counts_what_is_reported(depot: Path) -> None:
    summary = review(depot).quartiers[0].resume_evaluation
    assert summary is not None and (summary.evaluees, summary.total) == (2, 9)
    by_id = {d.id: d for d in summary.dimensions}
    assert (by_id["deployee"].renseignees, by_id["deployee"].oui, by_id["deployee"].non) == (1, 1, 0)
    assert (by_id["cout"].renseignees, by_id["cout"].somme) == (2, 13500.5)
    assert (by_id["clauses_insertion_respectees"].oui, by_id["clauses_insertion_respectees"].non) == (0, 1)


def test_no_cost_reported_is_none_not_zero(depot: Path) -> None:
    text = (depot / "charter-data/quartiers/centre.yaml").read_text(encoding="utf-8")
    text = text.replace("          cout: 12000\n", "")
    text = text.replace("        evaluation:\n          cout: 1500.5\n", "")
    (depot / "charter-data/quartiers/centre.yaml").write_text(text, encoding="utf-8")
    q = review(depot).quartiers[0]
    assert q.cout_renseigne is None
    assert q.evaluations_renseignees == 1


def test_responsibility_rows_by_status(depot: Path) -> None:
    rows = {r.partie: r for r in review(depot).ensemble.responsabilites}
    ville = rows["Ville de Centre"]
    # CEN-001 (non renseigné), CEN-004 (réalisée), CEN-006 (à faire), CEN-008 (abandonnée), CEN-009 (reportée)
    assert ville.par_statut == [1, 0, 1, 1, 1, 1]
    assert (ville.total, ville.en_retard) == (5, 2)
    assert rows["Futurs promoteurs"].identifiee is False
    assert next(iter(rows)) == "Ville de Centre"  # most actions first


def test_decisions(depot: Path) -> None:
    d = review(depot).decisions
    assert ids(d.retards_longs) == ["CEN-001", "CEN-009"]  # CEN-003 is late by less than a year
    assert [(p.partie, ids(p.actions)) for p in d.par_partie] == [
        ("Ville de Centre", ["CEN-001", "CEN-009"]), ("Agglomération de test", ["CEN-001"])]
    assert d.par_partie[0].reste == 0 and not d.annexe
    assert d.retards_longs[0].motif_retard == "échéance dépassée"
    assert ids(d.parties_non_identifiees) == ["CEN-005"]
    assert ids(d.sans_echeance) == ["CEN-005"]
    assert d.sans_statut == 3


def test_overdue_by_party_counts_shared_actions_for_each(depot: Path) -> None:
    bars = {c.cle: c.valeur for c in review(depot).ensemble.synthese.retard_par_partie}
    assert bars == {"ville_centre": 2, "agglo": 2}


def test_quartier_filter(depot: Path) -> None:
    r = review(depot, quartiers=["centre"])
    assert r.perimetre == "Centre – Quartier de la Gare"
    assert [q.id for q in r.quartiers] == ["centre"]


def test_period_and_horizon(depot: Path) -> None:
    r = review(depot, 2025)
    assert (r.debut, r.fin, r.horizon) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2027, 11, 25))
    assert review(depot).fin == AS_OF


def test_governance_without_records(depot: Path) -> None:
    r = review(depot)
    assert [(i.nom, i.rythme) for i in r.instances] == [("Comité de pilotage", "une fois par an")]
    assert r.reunions == [] and r.date_copil is None and r.decisions_reunions == []
    assert [i.nom for i in r.instances_en_retard] == ["Comité de pilotage"]
    assert r.instances[0].retard_texte.startswith("aucune réunion enregistrée depuis le 1er janvier ")


def test_meetings_from_records_and_copil_date(depot: Path) -> None:
    (depot / "charter-data" / "reunions.yaml").write_text("""\
reunions:
  - date: 2025-05-10
    instance: copil
  - date: 2026-03-15
    instance: copil
    quartiers: [centre]
    objet: Revue de projet
    decisions:
      - texte: Report de la bordure
        actions: [CEN-006]
    compte_rendu: "javascript:alert(1)"
  - date: 2026-12-10
    instance: copil
""", encoding="utf-8")
    r = review(depot)
    assert [(m.date, m.tenue) for m in r.reunions] == [
        (dt.date(2026, 3, 15), True), (dt.date(2026, 12, 10), False)]
    held = r.reunions[0]
    assert (held.instance_nom, held.quartiers, held.decisions) == (
        "Comité de pilotage", ["Centre – Quartier de la Gare"], ["Report de la bordure"])
    assert r.date_copil == dt.date(2026, 12, 10)


# ----------------------------------------------------------------------------- helpers


def test_id_ranges() -> None:
    assert id_ranges(["LEN-001", "LEN-002", "LEN-003", "LEN-005", "LEN-006", "AVI-007"]) == [
        "LEN-001 à LEN-003", "LEN-005", "LEN-006", "AVI-007"]
    assert id_ranges([]) == []
    assert id_ranges(["AVI-009", "AVI-010", "AVI-011", "LIE-012"]) == ["AVI-009 à AVI-011", "LIE-012"]


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 11, 25), 12, dt.date(2027, 11, 25)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


# ----------------------------------------------------------------------------- git history


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Chef de projet", "GIT_AUTHOR_EMAIL": "cp@exemple.fr",
           "GIT_COMMITTER_NAME": "Chef de projet", "GIT_COMMITTER_EMAIL": "cp@exemple.fr"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00")
    subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], check=True,
                   capture_output=True, env=env)


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def history_repo(depot: Path) -> Path:
    """A charter whose 2026 history moves a deadline, changes a status and adds an action."""
    git(depot, "init", "-q", "-b", "main")
    write_quartier(depot, e006="2027", s006="", s003="", a007="")
    commit(depot, "Charte initiale", "2025-06-01")
    write_quartier(depot, e001="2021")
    commit(depot, "COPIL de mars : report, lancement, gardiennage", "2026-03-01")
    write_quartier(depot, e001="2022")  # after the as-of date: not part of the 2026 review
    commit(depot, "Décembre", "2026-12-10")
    return depot


def test_not_git(depot: Path) -> None:
    h = amendments(depot, 2026, AS_OF)
    assert (h.disponible, h.raison) == (False, "la charte n’est pas dans un dépôt git")


def test_amendments_of_the_year(history_repo: Path) -> None:
    h = amendments(history_repo, 2026, AS_OF)
    assert h.disponible and h.base is not None and h.base.startswith("31 décembre 2025 (commit ")
    assert h.cible is not None and h.cible.startswith("25 novembre 2026 (commit ")
    assert [(c.date, c.sujet, c.auteur) for c in h.commits] == [
        (dt.date(2026, 3, 1), "COPIL de mars : report, lancement, gardiennage", "Chef de projet")]
    mods = h.modifications
    assert [(a.id, a.apres) for a in mods.ajoutees] == [("CEN-007", "2028")]
    assert [(a.id, a.avant, a.apres, a.motif) for a in mods.echeances] == [
        ("CEN-006", "2027", "juin 2027", "report du chantier")]
    assert [(a.id, a.avant, a.apres, a.motif) for a in mods.statuts] == [
        ("CEN-003", None, "en cours", "Lancé avec le prestataire")]
    assert mods.supprimees == []
    assert mods.of("centre").ajoutees == mods.ajoutees and mods.of("autre").vide


def test_review_uses_history_per_quartier(history_repo: Path) -> None:
    r = review(history_repo)
    assert ids(r.quartiers[0].modifications.ajoutees) == ["CEN-007"]


def test_charter_entering_git_during_the_year(depot: Path) -> None:
    git(depot, "init", "-q", "-b", "main")
    commit(depot, "Charte initiale", "2026-02-01")
    h = amendments(depot, 2026, AS_OF)
    assert (h.disponible, h.creation, h.base) == (True, dt.date(2026, 2, 1), None)
    assert h.modifications.vide


def test_charter_not_yet_committed(depot: Path) -> None:
    git(depot, "init", "-q", "-b", "main")
    (depot / "LISEZMOI").write_text("x")
    git(depot, "add", "LISEZMOI")
    git(depot, "commit", "-q", "-m", "début", date="2026-01-05")
    h = amendments(depot, 2026, AS_OF)
    assert h.disponible and h.note == "la charte n’est pas encore enregistrée dans git au 25 novembre 2026"


def test_empty_repository(depot: Path) -> None:
    git(depot, "init", "-q", "-b", "main")
    h = amendments(depot, 2026, AS_OF)
    assert h.disponible and h.note is not None and h.commits == []


def test_history_can_be_injected(depot: Path) -> None:
    r = build_review(loaded(depot), AS_OF, 2026, history=Historique(False, "test"))
    assert r.historique.raison == "test"
