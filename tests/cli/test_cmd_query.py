"""The query commands end to end (in-process), on the pinned CALL charter and the base fixture."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
CONTRACT = {"id", "quartier", "secteur", "theme", "tableau", "phase", "numero", "libelle",
            "responsables", "echeance", "echeance_date", "statut"}


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)


def _avion_yaml() -> list[dict]:
    data = YAML(typ="safe").load((CALL / "charter-data/quartiers/avion.yaml").read_text(encoding="utf-8"))
    return [a for t in data["tableaux"] for a in t["actions"]]


def test_overdue_avion_json_lists_exactly_the_avion_actions_due_before(gusp: Run) -> None:
    code, out, _ = gusp("overdue", "--quartier", "avion", "--as-of", "2026-11-25", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["version"], document["date_reference"]) == (1, "2026-11-25")
    rows = document["actions"]
    # Every Avion échéance is a plain year in the charter: due on 31 December of that year.
    expected = {a["id"] for a in _avion_yaml() if a.get("echeance") and int(a["echeance"]) < 2026}
    assert {r["id"] for r in rows} == expected
    assert all(set(r) >= CONTRACT and r["quartier"] == "avion" and r["en_retard"] for r in rows)


def test_overdue_table_closing_line(gusp: Run) -> None:
    code, out, _ = gusp("overdue", "-q", "république", "--as-of", "2026-11-25")
    total = len(_avion_yaml())
    late = sum(1 for a in _avion_yaml() if a.get("echeance") and int(a["echeance"]) < 2026)
    assert code == 0
    assert out.splitlines()[-2:] == [
        f"{late} actions en retard sur {total} — Avion : 0 retard avec un statut ou un suivi consigné, "
        f"{late} à renseigner (échéance passée, rien de consigné)",
        "Pour recueillir les statuts manquants auprès des partenaires : gusp export --format xlsx "
        "--par-partie -o campagne/ (un classeur par partie), à faire remplir, puis gusp import campagne/."]


def test_empty_result_is_a_sentence(gusp: Run) -> None:
    code, out, _ = gusp("overdue", "-q", "avion", "--as-of", "2018-01-01")
    assert code == 0
    assert out.strip() == "Aucune action en retard au 1er janvier 2018 (Avion, 37 actions)."


def test_unknown_quartier_exit_2(gusp: Run) -> None:
    code, out, err = gusp("overdue", "-q", "arras")
    assert code == 2 and out == ""
    assert err.startswith("gusp : erreur : --quartier : « arras » inconnu ; choix possibles :")


def test_csv_for_french_excel(gusp: Run) -> None:
    code, out, _ = gusp("overdue", "-q", "lens", "--as-of", "2026-11-25", "-f", "csv")
    assert code == 0 and out.startswith("\ufeffid;quartier;")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert rows and all(r["quartier"] == "lens" and r["en_retard"] == "oui" for r in rows)


def test_markdown_escapes_pipes(gusp: Run, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Tour de quartier mensuel",
                                                             "Tour | quartier <b>"), encoding="utf-8")
    code, out, _ = gusp("overdue", "-C", str(base_charter), "--as-of", "2026-11-25", "-f", "md")
    assert code == 0
    assert "| CEN-001 | Tour \\| quartier &lt;b&gt; |" in out


def test_actions_search_is_accent_insensitive(gusp: Run) -> None:
    code, out, _ = gusp("actions", "--search", "dechets", "-q", "LIEVIN", "-f", "json")
    rows = json.loads(out)["actions"]
    assert code == 0 and rows
    assert all((r["quartier"] == "lievin" and "déchets" in (r["libelle"] + (r["theme"] or "")).lower())
               or "dechets" in r["tableau"].lower() for r in rows)


def test_export_json_is_the_whole_charter_in_document_order(gusp: Run) -> None:
    code, out, _ = gusp("export", "--format", "json", "--as-of", "2026-11-25")
    rows = json.loads(out)["actions"]
    assert code == 0 and len(rows) == 175
    assert [r["id"][:3] for r in rows[:1]] == ["LEN"]
    assert all({"en_retard", "jours_de_retard"} <= set(r) for r in rows)


def test_show_resolves_roles(gusp: Run) -> None:
    code, out, _ = gusp("show", "LEN-004", "--as-of", "2026-11-25")
    assert code == 0
    assert "Responsable   : Maisons et Cités (rôle « bailleur »)" in out


def test_show_unknown_id(gusp: Run) -> None:
    code, _, err = gusp("show", "LEN-999")
    assert code == 2 and "action « LEN-999 » introuvable" in err


def test_who_lists_maisons_et_cites_in_lens(gusp: Run) -> None:
    code, out, _ = gusp("who", "--acteur", "bailleur", "--quartier", "lens", "-f", "md")
    assert code == 0
    assert "Actions de Maisons et Cités" in out
    assert "AVI-" not in out and "LIE-" not in out


def test_who_matrix_json_counts(gusp: Run) -> None:
    code, out, _ = gusp("who", "--as-of", "2026-11-25", "-f", "json")
    data = json.loads(out)
    call = next(p for p in data["parties"] if p["id"] == "call")
    raw = 0
    for q in ("lens", "lievin", "avion"):
        doc = YAML(typ="safe").load((CALL / f"charter-data/quartiers/{q}.yaml").read_text(encoding="utf-8"))
        raw += sum(1 for t in doc["tableaux"] for a in t["actions"] if "call" in a["responsables"])
    assert code == 0 and call["total"]["total"] == raw
    assert "sia_habitat" in data["parties_sans_action"]


def test_closing_line_names_every_filter(gusp: Run) -> None:
    code, out, _ = gusp("overdue", "--phase", "chantier", "-q", "lens", "-r", "ville",
                        "--secteur", "jardin", "--as-of", "2026-11-25")
    assert code == 0
    assert out.splitlines()[-2].split(" — ")[1].startswith(
        "Lens, secteur Cité Jardin, phase chantier, responsable Ville de Lens : ")


def test_who_reports_an_unknown_party_against_acteur(gusp: Run) -> None:
    code, _, err = gusp("who", "--acteur", "bailleurz")
    assert code == 2
    assert err.startswith("gusp : erreur : --acteur : « bailleurz » inconnu ; choix possibles : bailleur, ")


def test_missing_argument_is_named_by_its_metavar(gusp: Run) -> None:
    code, _, err = gusp("show")
    assert code == 2 and err.splitlines()[0] == "gusp : erreur : paramètre obligatoire manquant : ID"


def test_a_role_filter_means_whoever_fills_the_role_there(embedded_copy: Path, gusp: Run,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # LIE-010 names « bailleur »; amended, it names Pas-de-Calais habitat directly: the role
    # « bailleur » at Liévin must still find it, as the matrix counts it.
    monkeypatch.chdir(embedded_copy)
    day = ("--as-of", "2026-11-25")
    assert gusp("amend", "LIE-010", "--responsable", "Pas-de-Calais habitat", "--motif", "COPIL",
                "--date", "2026-01-10")[0] == 0

    def actions(*args: str) -> list[dict[str, Any]]:
        return list(json.loads(gusp(*args, "-f", "json", *day)[1])["actions"])

    by_role = actions("overdue", "--responsable", "bailleur", "-q", "lievin")
    by_name = actions("overdue", "--responsable", "pas-de-calais habitat", "-q", "lievin")
    assert "LIE-010" in {r["id"] for r in by_role}
    assert [r["id"] for r in by_role] == [r["id"] for r in by_name]
    listed = actions("who", "--acteur", "bailleur", "-q", "lievin")
    matrix = json.loads(gusp("who", "-q", "lievin", "-f", "json", *day)[1])
    landlord = next(p for p in matrix["parties"] if p["id"] == "pas_de_calais_habitat")
    assert len(listed) == landlord["total"]["total"] == 16
    # Elsewhere the role resolves to another landlord: Lens's actions stay Maisons et Cités's.
    lens = actions("actions", "--responsable", "bailleur", "-q", "lens")
    assert lens and all({"maisons_et_cites", "bailleur"} & set(r["responsables"]) for r in lens)


def test_french_agreement_of_counts_and_words(embedded_copy: Path, gusp: Run, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    out = gusp("show", "LEN-053", "--as-of", "2027-01-01")[1]
    assert "En retard     : 1 jour au 1er janvier 2027" in out
    code, _, err = gusp("export", "-f", "csv", "-r", "anges gardins", "-o", str(tmp_path / "a.csv"),
                        "--as-of", "2026-11-25")
    assert code == 0 and err == "1 action exportée dans " + str(tmp_path / "a.csv") + "\n"
    out = gusp("amend", "LEN-093", "--echeance", "2026", "--motif", "COPIL", "-n")[1]
    assert "LEN-093 : échéance non renseignée → « 2026 »" in out
    code, _, err = gusp("fmt", "--check")
    assert code == 0 and err == "5 fichiers : 0 à reformater, 5 déjà conformes\n"


# --------------------------------------------------------------------------- late, or never reported?


@pytest.fixture
def followed(embedded_copy: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CALL charter with a few statuses and notes recorded in Avion."""
    monkeypatch.chdir(embedded_copy)
    for args in (["status", "AVI-005", "en_cours", "--date", "2026-11-02", "--note", "2 passages"],
                 ["status", "AVI-001", "a_faire", "--date", "2026-10-01"]):
        assert gusp(*args)[0] == 0
    return embedded_copy


def test_overdue_puts_real_delays_first_then_what_is_to_be_reported(followed: Path, gusp: Run) -> None:
    code, out, _ = gusp("overdue", "-q", "avion")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "En retard au 25 novembre 2026 — Avion – République"
    assert lines[1].split() == ["Id", "Retard", "Statut", "Échéance", "Responsables", "Action"]
    assert lines[2].startswith("AVI-005  7 ans 10 mois  en cours  2018") and lines[3].startswith("AVI-001")
    later = lines.index("À renseigner au 25 novembre 2026 : rien de consigné — Avion – République")
    assert later > 3 and not any(line.startswith(("AVI-005", "AVI-001")) for line in lines[later:])
    assert lines[-2] == ("37 actions en retard sur 37 — Avion : 2 retards avec un statut ou un suivi "
                         "consigné, 35 à renseigner (échéance passée, rien de consigné)")


def test_overdue_json_says_the_group_and_the_delay_in_words(followed: Path, gusp: Run) -> None:
    rows = json.loads(gusp("overdue", "-q", "avion", "--format", "json")[1])["actions"]
    assert [r["id"] for r in rows[:2]] == ["AVI-005", "AVI-001"] and len(rows) == 37
    first = rows[0]
    fields = ("retard_groupe", "retard_regle", "retard_texte", "jours_de_retard")
    assert [first[f] for f in fields] == ["avec_suivi", "echeance", "7 ans 10 mois", 2886]
    assert {r["retard_groupe"] for r in rows[2:]} == {"a_renseigner"}


def test_overdue_markdown_has_both_groups(followed: Path, gusp: Run) -> None:
    out = gusp("overdue", "-q", "avion", "--format", "md")[1]
    assert "### En retard au 25 novembre 2026 — Avion – République" in out
    assert "| Id | Action | Responsables | Échéance | Statut | Retard |" in out
    assert "| AVI-005 | Gestion des dépôts sauvages" in out and "| en cours | 7 ans 10 mois |" in out
    assert "### À renseigner au 25 novembre 2026 : rien de consigné — Avion – République" in out


def test_an_ongoing_action_in_place_with_recent_follow_up_is_not_late(
        embedded_copy: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    before = json.loads(gusp("overdue", "-q", "lens", "--format", "json")[1])["actions"]
    assert "LEN-023" in {r["id"] for r in before}
    assert gusp("status", "LEN-023", "en_cours", "--date", "2026-11-18", "--note", "Permanence tenue")[0] == 0
    after = {r["id"] for r in json.loads(gusp("overdue", "-q", "lens", "--format", "json")[1])["actions"]}
    assert "LEN-023" not in after and len(after) == len(before) - 1
    late = {r["id"]: r for r in json.loads(gusp("overdue", "-q", "lens", "--format", "json",
                                                "--as-of", "2027-01-10")[1])["actions"]}
    assert late["LEN-023"]["retard_regle"] == "sans_suivi"
    table = gusp("overdue", "-q", "lens", "--as-of", "2027-01-10")[1]
    assert "LEN-023  46 jours — sans suivi depuis 53 jours  en cours  2022" in table
