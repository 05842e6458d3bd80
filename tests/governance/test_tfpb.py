"""The TFPB report and the costs it gives the actions, on the CALL charter with test programmes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gusp_cli.governance.tfpb import CostIndex, build_report, landlords, programme_lines, rate
from gusp_cli.model.charter import Charter
from gusp_cli.store.loader import load

DAY = dt.date(2026, 11, 25)


@pytest.fixture
def charter(tfpb_copy: Path) -> Charter:
    loaded = load(tfpb_copy, today=DAY)
    assert loaded.ok, [p.format() for p in loaded.errors]
    return loaded.on(DAY)


def _raw_lines(root: Path, year: int) -> list[tuple[str, dict[str, object]]]:
    """(landlord, line) for each line of the year, read with PyYAML: the test's own sums."""
    data = YAML(typ="safe").load((root / "charter-data" / "tfpb.yaml").read_text(encoding="utf-8"))
    return [(p["bailleur"], line) for p in data["programmes"] if p["annee"] == year for line in p["lignes"]]


def _sum(lines: list[tuple[str, dict[str, object]]], key: str) -> float:
    return sum(float(line[key]) for _, line in lines if key in line)  # type: ignore[arg-type]


def test_the_year_s_totals_are_the_sums_of_its_lines(charter: Charter, tfpb_copy: Path) -> None:
    report = build_report(charter, 2025, DAY)
    raw = _raw_lines(tfpb_copy, 2025)
    assert report.total.prevu == _sum(raw, "montant_prevu") == 153000
    assert report.total.valorise == _sum(raw, "montant_valorise") == 137750.5
    assert report.total.lignes == len(raw) == 7
    assert report.total.sans_valorise == 1
    for axis in report.par_axe:
        mine = [(b, x) for b, x in raw if x["axe"] == axis.axe.id]
        assert axis.total.lignes == len(mine)
        assert axis.total.prevu == (_sum(mine, "montant_prevu") if mine else None)
    for quartier in report.par_quartier:
        mine = [(b, x) for b, x in raw if x["quartier"] == quartier.id]
        assert quartier.total.valorise == _sum(mine, "montant_valorise")
    assert [p.bailleur for p in report.programmes] == ["pas_de_calais_habitat", "maisons_et_cites"]
    assert sum(p.total.prevu or 0 for p in report.programmes) == report.total.prevu


def test_the_rate_of_execution_is_spent_over_planned(charter: Charter) -> None:
    report = build_report(charter, 2025, DAY)
    assert report.total.taux == pytest.approx(137750.5 / 153000 * 100)
    waste = next(a for a in report.par_axe if a.axe.id == "dechets_encombrants")
    assert waste.total.taux == pytest.approx((45250.5 + 17500) / (48000 + 18000) * 100)
    empty = next(a for a in report.par_axe if a.axe.id == "formation_proximite")
    assert (empty.total.prevu, empty.total.valorise, empty.total.taux) == (None, None, None)
    assert rate(0, 10) is None and rate(None, 5) is None


def test_filters_by_landlord_and_quartier(charter: Charter) -> None:
    report = build_report(charter, 2025, DAY, bailleur="maisons_et_cites")
    assert {x.bailleur for x in report.lignes} == {"maisons_et_cites"}
    assert report.total.prevu == 62000
    report = build_report(charter, 2025, DAY, quartier="lievin")
    assert [x.libelle for x in report.lignes] == ["Nettoyage renforcé des parties communes",
                                                   "Ateliers avec les locataires"]
    assert [q.id for q in report.par_quartier] == ["lievin"]
    assert report.sans_programme == []


def test_a_year_without_programmes_says_which_years_exist(charter: Charter) -> None:
    report = build_report(charter, 2023, DAY)
    assert report.programmes == [] and report.total.prevu is None
    assert report.annees == [2024, 2025]
    assert report.sans_programme == ["Maisons et Cités", "Pas-de-Calais Habitat"]


def test_the_landlords_expected_are_those_that_fill_a_role() -> None:
    from tests.conftest import CALL

    charter = load(CALL)
    assert landlords(charter) == ["maisons_et_cites", "pas_de_calais_habitat"]
    assert landlords(charter, "lens") == ["maisons_et_cites"]


def test_an_action_s_cost_comes_from_its_tfpb_lines_with_their_source(charter: Charter) -> None:
    costs = CostIndex(charter, DAY)
    avion = costs.cost(charter.by_id["AVI-005"])
    assert (avion.montant, avion.origine) == (39000 + 45250.5, "tfpb")
    assert avion.source == "TFPB Pas-de-Calais Habitat 2024, 2025"
    assert [s.label for s in avion.sources] == ["TFPB Pas-de-Calais Habitat 2024",
                                                "TFPB Pas-de-Calais Habitat 2025"]
    lens = costs.cost(charter.by_id["LEN-005"])
    assert (lens.montant, lens.source) == (17500, "TFPB Maisons et Cités 2025")
    assert costs.cost(charter.by_id["AVI-006"]).montant is None


def test_a_recorded_cost_wins_and_a_day_before_the_year_leaves_it_out(tfpb_copy: Path) -> None:
    path = tfpb_copy / "charter-data" / "quartiers" / "avion.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "        responsables: [bailleur, el_fouad]\n        echeance: \"2018\"\n"
    assert text.count(anchor) >= 1
    block = "        evaluation:\n          cout: 12500\n"
    path.write_text(text.replace(anchor, anchor + block, 1), encoding="utf-8")
    charter = load(tfpb_copy, today=DAY)
    assert charter.ok
    recorded = CostIndex(charter).cost(charter.by_id["AVI-005"])
    assert (recorded.montant, recorded.origine) == (12500, "evaluation")
    assert recorded.source == "évaluation de l'action"
    assert CostIndex(charter).tfpb_total([charter.by_id["AVI-005"]]) is None
    lens = charter.by_id["LEN-005"]
    assert CostIndex(charter, dt.date(2024, 12, 31)).cost(lens).montant is None


def test_a_line_linked_to_several_actions_is_shared_not_split(tfpb_copy: Path) -> None:
    path = tfpb_copy / "charter-data" / "tfpb.yaml"
    old = "actions: [AVI-005]\n        montant_prevu: 48000"
    new = old.replace("[AVI-005]", "[AVI-005, AVI-014]")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    charter = load(tfpb_copy, today=DAY)
    costs = CostIndex(charter)
    other = costs.cost(charter.by_id["AVI-014"])
    assert other.montant == 45250.5 and other.sources[0].partagee_avec == ("AVI-005",)
    both = [charter.by_id["AVI-005"], charter.by_id["AVI-014"]]
    assert costs.tfpb_total(both) == 39000 + 45250.5  # each line once


def test_every_line_is_read_with_names_resolved(charter: Charter) -> None:
    lines = programme_lines(charter)
    assert len(lines) == 8
    first = lines[0]
    assert (first.bailleur_nom, first.quartier_nom, first.axe_nom) == (
        "Pas-de-Calais Habitat", charter.quartier("avion").nom, "Gestion des déchets, encombrants et épaves")
