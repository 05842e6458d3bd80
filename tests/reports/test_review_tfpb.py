"""The review's TFPB section: per landlord, planned and spent per axis, the lines linked to actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.reports.review_tfpb import tfpb_section
from gusp_cli.store.loader import load

DAY = dt.date(2026, 11, 25)


def test_each_landlord_s_axes_and_linked_lines(tfpb_copy: Path) -> None:
    charter = load(tfpb_copy, today=DAY).on(DAY)
    section = tfpb_section(charter, 2025, DAY)
    assert section is not None
    assert [b.nom for b in section.bailleurs] == ["Pas-de-Calais Habitat", "Maisons et Cités"]
    landlord = section.bailleurs[0]
    assert [a.axe.id for a in landlord.par_axe] == ["sur_entretien", "dechets_encombrants", "tranquillite",
                                                    "animation_lien_social"]
    assert (landlord.total.prevu, landlord.total.valorise) == (91000, 81250.5)
    assert [x.actions for x in landlord.lignes_liees] == [("AVI-005",)]
    assert section.sans_programme == []
    lens = tfpb_section(charter, 2025, DAY, ["lens"])
    assert lens is not None and [b.nom for b in lens.bailleurs] == ["Maisons et Cités"]
    earlier = tfpb_section(charter, 2023, DAY)
    assert earlier is not None and earlier.bailleurs == []
    assert earlier.sans_programme == ["Maisons et Cités", "Pas-de-Calais Habitat"]


def test_no_tfpb_yaml_no_section(embedded_copy: Path) -> None:
    assert tfpb_section(load(embedded_copy).on(DAY), 2025, DAY) is None


def test_the_review_renders_it(tfpb_copy: Path, gusp: Callable[..., tuple[int, str, str]],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, err = gusp("review", "--year", "2025", "-f", "md", "--as-of", "2026-11-25")
    assert code == 0, err
    [heading] = [line for line in out.splitlines()
                 if line.startswith("## ") and "Programmes TFPB 2025" in line]
    section = out.split(heading + "\n", 1)[1].split("\n## ", 1)[0]
    assert "| **Total** | **91\u202f000\u202f€** | **81\u202f250,50\u202f€** | 89,3\u202f% |" in section
    assert "| AVI-005 | " in section and "| LEN-005 | " in section
    code, out, err = gusp("review", "--year", "2025", "-f", "html", "--as-of", "2026-11-25")
    assert code == 0 and '<section id="tfpb"' in out and '<a href="#tfpb">' in out


def test_the_evaluation_counts_tfpb_costs_as_gusp_evaluation_does(tfpb_copy: Path) -> None:
    from gusp_cli.governance.evaluation_summary import evaluation_summary
    from gusp_cli.reports.review import build_review

    charter = load(tfpb_copy, today=DAY).on(DAY)
    revue = build_review(charter, DAY, 2025)
    avion = next(s for s in revue.quartiers if s.id == "avion")
    # AVI-005 records no evaluation: the TFPB lines give its cost
    [row] = [r for r in avion.evaluation if r.id == "AVI-005"]
    assert row.cout == 84250.5 and row.source_cout == "TFPB Pas-de-Calais Habitat 2024, 2025"
    summary = avion.resume_evaluation
    assert summary is not None
    cost = next(d for d in summary.dimensions if d.id == "cout")
    assert (cost.renseignees, cost.depuis_tfpb, cost.somme, cost.somme_tfpb) == (1, 1, 84250.5, 84250.5)
    assert avion.cout_renseigne == 84250.5
    expected = evaluation_summary(charter, ["avion"], DAY).quartiers[0]
    assert (summary.total, summary.completes) == (expected.total, expected.completes)
    assert [d.renseignees for d in summary.dimensions] == [d.renseignees for d in expected.dimensions]
    whole = revue.resume_evaluation[-1]
    assert next(d for d in whole.dimensions if d.id == "cout").somme == 84250.5 + 17500


def test_the_evaluation_chapter_names_the_tfpb_part(tfpb_copy: Path,
                                                    gusp: Callable[..., tuple[int, str, str]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, err = gusp("review", "--year", "2025", "-f", "md", "--as-of", "2026-11-25")
    assert code == 0, err
    chapter = next(part for part in out.split("\n## ") if part.split("\n", 1)[0].endswith("Évaluation"))
    assert "dont TFPB\u00a0: 84\u202f250,50\u202f€, 1 action" in chapter
    assert "(TFPB Pas-de-Calais Habitat 2024, 2025)" in out
