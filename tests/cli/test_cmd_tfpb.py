"""``gusp tfpb``: the Must-show of issue 18 on the CALL charter with test programmes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

Run = Callable[..., tuple[int, str, str]]
DAY = ("--as-of", "2026-11-25")


def _independent_sums(root: Path, year: int) -> dict[str, float]:
    data = YAML(typ="safe").load((root / "charter-data" / "tfpb.yaml").read_text(encoding="utf-8"))
    lines = [x for p in data["programmes"] if p["annee"] == year for x in p["lignes"]]
    return {key: sum(x.get(key, 0) for x in lines) for key in ("montant_prevu", "montant_valorise")}


def test_the_json_totals_equal_the_sums_of_the_file(tfpb_copy: Path, gusp: Run,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, _ = gusp("tfpb", "--annee", "2025", "--format", "json", *DAY)
    assert code == 0
    document = json.loads(out)
    expected = _independent_sums(tfpb_copy, 2025)
    assert document["total"]["montant_prevu"] == expected["montant_prevu"]
    assert document["total"]["montant_valorise"] == expected["montant_valorise"]
    assert sum(p["total"]["montant_prevu"] for p in document["programmes"]) == expected["montant_prevu"]
    assert sum(a["montant_prevu"] or 0 for a in document["par_axe"]) == expected["montant_prevu"]
    assert sum(q["montant_valorise"] or 0 for q in document["par_quartier"]) == expected["montant_valorise"]
    from tests.exchange.test_json_schemas import _valid

    _valid("tfpb", out)


def test_the_year_defaults_to_the_one_before_the_as_of_date(tfpb_copy: Path, gusp: Run,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, _ = gusp("tfpb", "--format", "json", "--as-of", "2025-03-01")
    assert code == 0 and json.loads(out)["annee"] == 2024
    code, out, _ = gusp("tfpb", *DAY)
    assert code == 0
    assert "Programmes TFPB 2025" in out
    assert "137\u202f750,50\u202f€" in out and "153\u202f000\u202f€" in out
    assert "4. Gestion des déchets, encombrants et épaves" in out


def test_the_workbook_reads_back_with_openpyxl(tfpb_copy: Path, gusp: Run, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.chdir(tfpb_copy)
    target = tmp_path / "bilan.xlsx"
    code, _, err = gusp("tfpb", "--annee", "2025", "--bailleur", "Maisons et Cités", "-f", "xlsx", "-o",
                        str(target), *DAY)
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Synthèse", "Lignes"]
    lines = list(book["Lignes"].iter_rows(values_only=True))
    assert lines[0][:9] == ("Bailleur", "Année", "Quartier", "N°", "Axe", "Ligne du programme",
                            "Actions de la charte", "Montant prévu", "Montant valorisé")
    assert {row[0] for row in lines[1:]} == {"Maisons et Cités"}
    assert sum(row[7] for row in lines[1:]) == 18000 + 35000 + 9000
    assert sum(row[8] for row in lines[1:]) == 17500 + 35000 + 4000
    formula = next(c for row in book["Lignes"].iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert formula.data_type == "s"  # a text, never a formula
    summary = [row for row in book["Synthèse"].iter_rows(values_only=True) if row[0] == "Total"]
    assert [row[1:3] for row in summary] == [(62000, 56500), (62000, 56500)]
    assert book["Synthèse"]["A1"].value == "Bilan TFPB 2025 — Maisons et Cités"


def test_csv_and_markdown_keep_user_text_inert(tfpb_copy: Path, gusp: Run,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, _ = gusp("tfpb", "-f", "csv", "-q", "lens", *DAY)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert [r["actions"] for r in rows] == ["LEN-005", "", ""]
    assert not any(r["libelle"].startswith("=") for r in rows)
    code, out, _ = gusp("tfpb", "-f", "md", *DAY)
    assert code == 0 and "## Par axe" in out and "](http" not in out


def test_bad_options_are_refused_in_french(tfpb_copy: Path, gusp: Run,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, _, err = gusp("tfpb", "--bailleur", "Ville de Lens", *DAY)
    assert code == 2 and "choix possibles : maisons_et_cites, pas_de_calais_habitat, sia_habitat" in err
    code, _, err = gusp("tfpb", "-f", "xlsx", *DAY)
    assert code == 2 and "-o FICHIER.xlsx" in err
    code, _, err = gusp("tfpb", "--annee", "20255", *DAY)
    assert code == 2 and "invraisemblable" in err


def test_without_tfpb_yaml_it_says_so(embedded_copy: Path, gusp: Run,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    code, out, _ = gusp("tfpb", *DAY)
    assert code == 0 and "charter-data/tfpb.yaml absent" in out
    assert "Par exemple :\n    programmes:\n      - bailleur: " in out


def test_the_example_it_prints_is_a_valid_first_programme(embedded_copy: Path, gusp: Run,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    code, out, _ = gusp("tfpb", "-q", "avion", "-f", "md", *DAY)
    assert code == 0
    example = out.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "bailleur: pas_de_calais_habitat" in example and "quartier: avion" in example
    filled = (example.replace("LIBELLÉ DE LA LIGNE", "Nettoyage renforcé des halls")
              .replace("MONTANT_EN_EUROS", "12000").replace("MONTANT_AU_BILAN", "11500"))
    (embedded_copy / "charter-data" / "tfpb.yaml").write_text(filled, encoding="utf-8")
    code, out, err = gusp("validate")
    assert code == 0, out + err
    code, out, _ = gusp("tfpb", "-f", "md", *DAY)
    assert code == 0 and "Nettoyage renforcé des halls" in out and "11\u202f500\u202f€" in out
