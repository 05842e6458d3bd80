"""Insertion clauses: semesters, consistency, indicators, objectives, missing semesters, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.governance.insertion import Objective, attainment, build_report, objectives
from gusp_cli.model.insertion_records import (
    Semester,
    SemesterError,
    inconsistencies,
    parse_semester,
    semester_of,
    semesters_between,
)
from gusp_cli.model.models import SemestreInsertion
from gusp_cli.model.rules import personal_data
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
D = dt.date
NNBSP = "\u202f"




# --------------------------------------------------------------------------- semesters


def test_parse_semester_forms() -> None:
    assert parse_semester("2025-S2") == Semester(2025, 2)
    assert parse_semester(" s1 2025 ") == Semester(2025, 1)
    assert parse_semester("2025-s1") == Semester(2025, 1)
    with pytest.raises(SemesterError):
        parse_semester("2025-s1", strict=True)
    for bad in ("2025-S3", "2025", "S2", "2025-T1", ""):
        with pytest.raises(SemesterError, match="forme attendue"):
            parse_semester(bad)


def test_semester_arithmetic() -> None:
    s2 = Semester(2025, 2)
    assert (s2.start, s2.end, s2.label) == (D(2025, 7, 1), D(2025, 12, 31), "2025-S2")
    assert s2.next() == Semester(2026, 1) and s2.previous() == Semester(2025, 1)
    assert semester_of(D(2026, 6, 30)) == Semester(2026, 1)
    assert semester_of(D(2026, 7, 1)) == Semester(2026, 2)
    assert [s.label for s in semesters_between(Semester(2024, 2), Semester(2025, 2))] == [
        "2024-S2", "2025-S1", "2025-S2"]
    assert semesters_between(Semester(2025, 2), Semester(2025, 1)) == []


# --------------------------------------------------------------------------- consistency, personal data


def _record(**values: object) -> SemestreInsertion:
    base: dict[str, object] = {"semestre": "2025-S1", "heures_travaux": 100, "heures_gup": 20,
                               "beneficiaires": 4}
    base.update(values)
    return SemestreInsertion.model_validate(base)


def test_consistent_record_has_no_inconsistency() -> None:
    record = _record(modalites={"interim": 100, "formation": 20}, heures_marches_travaux=2000,
                     profil={"femmes": 1, "hommes": 3, "moins_26": 4, "residents_qpv": 4},
                     situation_6_mois={"emploi_durable": 2, "sans_emploi": 2})
    assert list(inconsistencies(record)) == []


def test_inconsistencies_name_each_part_and_its_whole() -> None:
    record = _record(modalites={"interim": 130}, heures_marches_gup=10, beneficiaires=4,
                     profil={"moins_26": 3, "de_26_a_49": 2, "residents_qpv": 5},
                     situation_12_mois={"emploi_durable": 5})
    found = dict(inconsistencies(record))
    assert found[("modalites",)].startswith("heures par modalité (130 h) supérieures aux heures d'insertion")
    assert found[("heures_gup",)].startswith("heures_gup (20 h) supérieur à heures_marches_gup (10 h)")
    assert list(found).count(("profil",)) == 1  # one message per block path (dict keeps the last)
    messages = [m for p, m in inconsistencies(record) if p == ("profil",)]
    assert messages == ["tranches d'âge = 5, plus que les 4 bénéficiaires du semestre",
                        "résidents QPV = 5, plus que les 4 bénéficiaires du semestre"]
    assert found[("situation_12_mois",)] == ("situations à 12 mois = 5, plus que les 4 bénéficiaires du "
                                             "semestre")
    hours_without_people = dict(inconsistencies(_record(beneficiaires=0)))
    assert hours_without_people[("beneficiaires",)] == "120 h d'insertion mais aucun bénéficiaire"


def test_personal_data_keys_are_found_anywhere_with_their_path(tmp_path: Path) -> None:
    detail = [{"Prénom": "A", "age": 30}, {"e-mail": "x", "adresse_postale": "y"}]
    data = {"semestres": [{"semestre": "2025-S1", "nombre": 3, "detail": detail, "NIR": "1",
                           "telephone_portable": "0"}]}
    found = personal_data(data, tmp_path / "insertion.yaml")
    assert [p.yaml_path for p in found] == [
        ("semestres", 0, "detail", 0, "Prénom"), ("semestres", 0, "detail", 1, "e-mail"),
        ("semestres", 0, "detail", 1, "adresse_postale"), ("semestres", 0, "NIR"),
        ("semestres", 0, "telephone_portable")]
    assert all(p.rule == "donnees_personnelles" and p.key for p in found)
    # Aggregate keys are never taken for personal data.
    clean = {"semestres": [{"nombre": 1, "taille": "x", "secteur": "y", "beneficiaires": 2,
                            "situation_6_mois": {"emploi_durable": 1}}]}
    assert personal_data(clean, tmp_path / "insertion.yaml") == []


# --------------------------------------------------------------------------- objectives and indicators


def test_objectives_default_to_the_charter_percentage_on_all_hours() -> None:
    charte = load(CALL).charte
    assert charte is not None and charte.insertion is not None
    without = charte.model_copy(update={"insertion": charte.insertion.model_copy(update={"objectifs": []})})
    assert objectives(without) == [Objective("ensemble", 10, charte.insertion.objectif_texte)]


def test_embedded_objective_is_the_gup_contracts_with_the_charter_sentence() -> None:
    charte = load(CALL).charte
    assert charte is not None and charte.insertion is not None
    assert objectives(charte) == [Objective("gup", 10, charte.insertion.objectif_texte)]


def test_objectives_by_perimeter_and_their_attainment(gov: Path) -> None:
    charter = load(gov)
    found = objectives(charter.charte)
    assert [(o.perimetre, o.pourcentage) for o in found] == [("travaux", 5), ("gup", 10)]
    records = charter.insertion.semestres  # type: ignore[union-attr]
    works = attainment(found[0], records[1:])
    assert (works.heures, works.base, works.atteint) == (1240, 28000, False)
    assert works.taux == pytest.approx(100 * 1240 / 28000)
    cumul = attainment(found[0], records)
    assert (cumul.heures, cumul.base, cumul.atteint) == (3090, 59200, True)
    missing_base = attainment(found[1], [records[0].model_copy(update={"heures_marches_gup": None})])
    assert (missing_base.taux, missing_base.atteint, missing_base.sans_base) == (None, None, ["2025-S1"])


def test_report_semester_and_cumulated(gov: Path) -> None:
    charter = load(gov)
    report = build_report(charter, D(2026, 11, 25))
    assert report.semestre == Semester(2025, 2) and report.cumul_de == Semester(2025, 1)
    lines = {(line.rubrique, line.indicateur): line for line in report.lines}
    total = lines[("Heures", "Heures d'insertion — total")]
    assert (total.semestre, total.cumul) == (1750, 4020)
    women = lines[("Bénéficiaires", "Femmes")]
    assert (women.semestre, women.cumul) == (4, 7)
    assert women.part_cumul == pytest.approx(100 * 7 / 25)
    # Only 2025-S1 reports the situation at 12 months: its share is of that semester's 14 people.
    lasting = lines[("Situation à 12 mois", "Emploi durable")]
    assert (lasting.semestre, lasting.cumul) == (None, 6)
    assert lasting.part_cumul == pytest.approx(100 * 6 / 14)
    companies = [(x.indicateur, x.semestre, x.cumul) for x in report.lines if x.rubrique == "Entreprises"]
    assert companies == [("Entreprises attributaires", 3, 9), ("10 à 49 salariés — BTP", 0, 2),
                         ("10 à 49 salariés — espaces verts", 1, 1), ("10 à 49 salariés — propreté", 0, 1),
                         ("moins de 10 salariés — BTP", 2, 5)]
    assert [s.label for s in report.attendus] == ["2025-S1", "2025-S2", "2026-S1"]
    assert [s.label for s in report.manquants] == ["2026-S1"]


def test_report_for_an_earlier_semester_cumulates_up_to_it(gov: Path) -> None:
    report = build_report(load(gov), D(2026, 1, 10), "2025-S1")
    lines = {(x.rubrique, x.indicateur): x for x in report.lines}
    assert lines[("Heures", "Heures d'insertion — total")].cumul == 2270
    assert report.manquants == []  # 2025-S1 and 2025-S2 due at 10 January 2026, both recorded


# --------------------------------------------------------------------------- command


def test_gusp_insertion_embedded_without_data(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp("insertion", "--as-of", "2026-11-25")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("Aucune donnée d'insertion enregistrée (charter-data/insertion.yaml absent) au "
                        "25 novembre 2026.")
    assert f"Objectif : 10{NNBSP}% des heures — marchés de GUP" in lines
    assert "Indicateurs à transmettre chaque semestre :" in lines
    numbered = [line for line in lines if line[:5] in {f"  {n}. " for n in range(1, 10)}]
    assert len(numbered) == 6 and numbered[3] == "  4. Nombre de bénéficiaires ;"
    assert lines[-1].startswith("Semestres attendus de 2019-S1 à 2026-S1 : 15, dont 15 manquants : "
                                "2019-S1, ")


def test_gusp_insertion_table(gov: Path, gusp: Run) -> None:
    code, out, _ = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25")
    assert code == 0
    assert out.startswith("Clauses d'insertion — semestre 2025-S2 (cumul 2025-S1 à 2025-S2) — au "
                          "25 novembre 2026")
    assert f"  semestre 2025-S2 : 4,4{NNBSP}% — non atteint" in out
    assert f"  cumul : 5,2{NNBSP}% — atteint" in out
    assert "Semestres attendus de 2025-S1 à 2026-S1 : 3, dont 1 manquant : 2026-S1" in out


def test_gusp_insertion_csv_md_xlsx(gov: Path, gusp: Run, tmp_path: Path) -> None:
    code, out, _ = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    femmes = next(r for r in rows if r["indicateur"] == "Femmes")
    assert (femmes["semestre"], femmes["cumul"], femmes["part_cumul"]) == ("4", "7", "28.0")
    code, out, _ = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25", "--format", "md",
                        "--semestre", "2025-S1")
    assert code == 0 and out.startswith("# Clauses d'insertion — semestre 2025-S1 (cumul 2025-S1 à 2025-S1)")
    assert "| Heures | Heures d'insertion — total (h) | 2\u202f270 |  | 2\u202f270 |  |" in out
    target = tmp_path / "insertion.xlsx"
    code, _, err = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25", "--format", "xlsx",
                        "-o", str(target))
    assert code == 0 and "écrits dans" in err
    from openpyxl import load_workbook

    wb = load_workbook(target)
    assert wb.sheetnames == ["Indicateurs", "Objectifs", "Semestres"]
    sheet = wb["Indicateurs"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "Femmes")
    assert row[header.index("cumul")] == 7 and row[header.index("part_cumul")] == pytest.approx(0.28)
    semesters = [tuple(r) for r in wb["Semestres"].iter_rows(min_row=2, values_only=True)]
    assert [(s[0], s[3]) for s in semesters] == [("2025-S1", "renseigné"), ("2025-S2", "renseigné"),
                                                 ("2026-S1", "manquant")]


def test_gusp_insertion_unrecorded_semester(gov: Path, gusp: Run) -> None:
    code, out, _ = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25", "--semestre", "2024-S2")
    assert code == 0
    assert "Le semestre 2024-S2 n'est pas renseigné." in out


@pytest.mark.parametrize(("args", "message"), [
    (("--semestre", "2025-S3"), "--semestre : semestre « 2025-S3 » invalide"),
    (("--format", "xlsx"), "--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx"),
    (("--format", "pdf"), "--format : valeur « pdf » inconnue"),
])
def test_gusp_insertion_usage_errors(gov: Path, gusp: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = gusp("insertion", "-C", str(gov), *args)
    assert code == 2 and out == "" and message in err


def test_an_invalid_insertion_file_stops_the_report(gov: Path, gusp: Run) -> None:
    path = gov / "charter-data" / "insertion.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    heures_gup: 420\n",
                                                             "    heures_gup: 420\n    prenom: Jean\n"),
                    encoding="utf-8")
    code, out, err = gusp("insertion", "-C", str(gov), "--as-of", "2026-11-25")
    assert code == 1 and out == ""
    assert "insertion.yaml:7:5: erreur: donnée personnelle refusée : la clé « prenom »" in err
