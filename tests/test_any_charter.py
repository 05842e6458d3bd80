"""Any GUSP charter, not only the CALL's.

The second test charter (``tests/cases/convention``, Rivebelle Métropole, written for the tests) is
shaped like the conventions-cadres of other cities: axes and objectives and no phases, two bailleurs
in one quartier, pilots and associated partners, indicators and fundings, transversal actions,
continuous échéances and a body without a rhythm. Every command runs on it and nothing the CALL
alone says reaches its outputs. On a copy of the CALL charter, each new form is accepted.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CALL, CASES, ROOT
from tests.scripted_git import commit_all, edit, git

Run = Callable[..., tuple[int, str, str]]

def ok(gusp: Run, *args: str) -> str:
    """Run a command that must succeed; return its output."""
    code, out, err = gusp(*args)
    assert code == 0, err
    return out


CALL_WORDS = re.compile(r"Lens|Liévin|Lievin|Avion|\bCALL\b|LEN-|AVI-|LIE-|COPIL|ANRU")
"""What only the CALL's charter says: its towns, its ids, its bodies' acronym, its funder."""

COMMANDS: list[list[str]] = [
    ["validate"],
    ["overdue"],
    ["overdue", "--quartier", "territoire"],
    ["upcoming", "--within", "800"],
    ["actions"],
    ["actions", "--format", "csv"],
    ["show", "TIL-001"],
    ["show", "TER-001"],
    ["who"],
    ["who", "--acteur", "logis_atlantique"],
    ["who", "--format", "json"],
    ["review", "--year", "2025"],
    ["calendar"],
    ["agenda", "commission_locale"],
    ["agenda", "cellule_veille", "--date", "2026-12-10"],
    ["insertion"],
    ["tfpb"],
    ["evaluation"],
    ["evaluation", "--a-renseigner"],
    ["evaluation", "--format", "json"],
    ["signals", "list"],
    ["export", "--format", "json"],
    ["export", "--format", "csv"],
    ["export", "--format", "ics"],
    ["log", "TIL-002"],
    ["diff", "HEAD~1", "HEAD"],
]


@pytest.fixture(scope="module")
def convention(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second charter in a git repository with two commits (the second amends TIL-002)."""
    root = tmp_path_factory.mktemp("rivebelle") / "depot"
    shutil.copytree(CASES / "convention", root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Convention-cadre signée", day=1)
    edit(root, Path("charter-data/quartiers/tilleuls.yaml"), 'echeance: "1er trimestre 2025"',
         'echeance: "2e semestre 2025"')
    commit_all(root, "Avenant : sensibilisation au tri reportée", day=2)
    return root


@pytest.fixture
def in_convention(convention: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(convention)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return convention


def test_the_second_charter_validates(in_convention: Path, gusp: Run) -> None:
    code, out, err = gusp("validate")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == ("2 quartiers et l'ensemble du territoire, 8 actions, 0 erreur, "
                                    "0 avertissement")


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_runs_and_says_nothing_of_the_call(in_convention: Path, gusp: Run,
                                                         args: list[str]) -> None:
    code, out, err = gusp(*args)
    assert code == 0, err
    assert out.strip(), args
    assert CALL_WORDS.findall(out + err) == []


def test_the_review_pages_and_workbook_say_nothing_of_the_call(in_convention: Path, gusp: Run,
                                                               tmp_path: Path) -> None:
    import openpyxl

    html, xlsx = tmp_path / "revue.html", tmp_path / "suivi.xlsx"
    assert gusp("review", "--year", "2025", "-o", str(html))[0] == 0
    assert gusp("export", "--format", "xlsx", "-o", str(xlsx))[0] == 0
    assert CALL_WORDS.findall(html.read_text(encoding="utf-8")) == []
    cells = [str(c.value) for ws in openpyxl.load_workbook(xlsx).worksheets for row in ws.iter_rows()
             for c in row if c.value is not None]
    assert CALL_WORDS.findall("\n".join(cells)) == []


def test_the_published_site_and_data_say_nothing_of_the_call(in_convention: Path, gusp: Run,
                                                            tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert gusp("publish", "-o", str(site), "--as-of", "2026-11-25")[0] == 0
    texts = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(site.rglob("*")) if p.is_file()}
    assert "quartiers/territoire/index.html" in texts and "actions/TIL-001/index.html" in texts
    assert {path: CALL_WORDS.findall(text) for path, text in texts.items() if CALL_WORDS.search(text)} == {}


def test_the_review_reads_as_this_charters(in_convention: Path, gusp: Run) -> None:
    code, out, _ = gusp("review", "--year", "2025")
    assert code == 0
    assert "## 3. Points soumis à la décision du comité de pilotage" in out
    assert "| Phase |" not in out  # no phases declared
    assert "Insertion" not in out and "insertion" not in out.split("## 2.")[1]  # none declared
    assert "| Id | Action | Action déployée | Coût réalisé | Avis des habitants | Commentaire |" in out
    assert "| TIL-001 | Tournées de ramassage des encombrants | oui |  | Plutôt satisfaits" in out
    assert ("| Axe 1 — Un cadre de vie propre et entretenu | 1\\.1 Réduire les dépôts sauvages "
            "| 2 | 0 | 2 | 1 |") in out
    assert "| — | sans objectif déclaré | 1 | 0 | 1 | 1 |" in out
    assert "| Cellule de veille | sans rythme fixé |" in out
    assert "Régie de quartier des Tilleuls (pilote), Habitat de l'Ouest, Logis Atlantique" in out
    assert "  - Indicateur : Encombrants ramassés (t) : cible 40 ; 18 au 30 juin 2025" in out
    territory = out.split("## 6. Ensemble du territoire")[1].split("## 7.")[0]
    assert "résolus sur l’ensemble du territoire" in territory


def test_an_edit_is_checked_in_a_charter_with_transversal_actions(in_convention: Path, gusp: Run) -> None:
    # territoire.yaml's view is one more quartier, not a listed one missing: the charter is complete.
    code, out, err = gusp("status", "TIL-001", "abandonnee", "--note", "remplacée", "--dry-run")
    assert code == 0, err
    assert "TIL-001 : suivi + 2026-11-25 abandonnee — remplacée" in out


def test_the_veille_of_a_charter_without_ascent(in_convention: Path, gusp: Run, tmp_path: Path) -> None:
    root = tmp_path / "depot"
    shutil.copytree(in_convention, root)
    code, out, err = gusp("signals", "add", "tilleuls", "Éclairage en panne", "--lieu", "allée des Tilleuls",
                          "--theme", "éclairage", "--source", "partenaire", "--responsable", "bailleur",
                          "--charter", str(root))
    assert (code, out) == (0, "SIG-2026-0001\n"), err
    listed = ok(gusp, "signals", "list", "--charter", str(root))
    assert "Habitat de l'Ouest, Logis Atlantique" in listed.replace("\n", " ") or "Logis" in listed
    review = ok(gusp, "review", "--year", "2026", "--charter", str(root))
    section = review.split("### Veille de terrain")[1].split("\n### ")[0]
    assert "1 reçu" in section and "remonte" not in section  # no ascent declared
    assert CALL_WORDS.findall(listed + review) == []


def test_a_role_filled_by_two_bailleurs_covers_both(in_convention: Path, gusp: Run) -> None:
    def ids(*args: str) -> list[str]:
        code, out, err = gusp("actions", *args, "--format", "json")
        assert code == 0, err
        return [a["id"] for a in json.loads(out)["actions"]]

    both = ["TIL-001", "TIL-002", "TIL-003", "TIL-004", "TER-002"]
    assert ids("--responsable", "habitat_ouest") == both
    assert ids("--responsable", "logis_atlantique") == [*both[:4], "PVX-002", "TER-002"]
    assert ids("--responsable", "bailleur", "--quartier", "tilleuls") == both[:4]


def test_who_lists_an_action_under_each_bailleur(in_convention: Path, gusp: Run) -> None:
    out = ok(gusp, "who", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["parties"]}
    assert rows["habitat_ouest"]["total"]["total"] == 5
    assert rows["logis_atlantique"]["total"]["total"] == 6


def test_the_pilot_filter_and_the_pilot_column(in_convention: Path, gusp: Run) -> None:
    out = ok(gusp, "actions", "--pilote", "regie_quartier", "--format", "json")
    assert [a["id"] for a in json.loads(out)["actions"]] == ["TIL-001"]
    out = ok(gusp, "who")
    assert "| Pilotées |" in out.splitlines()[1]
    assert "| Rivebelle Métropole | 1 |  | 1 | 2 | 2 | 2 | 0 | 2 | 2 | 2 |" in out
    out = ok(gusp, "who", "--acteur", "regie_quartier")
    assert "Actions pilotées par Régie de quartier des Tilleuls" in out


def test_continuous_echeances_are_judged_by_their_rhythm(in_convention: Path, gusp: Run) -> None:
    out = ok(gusp, "export", "--format", "json")
    records = {r["id"]: r for r in json.loads(out)["actions"]}
    yearly = records["TIL-003"]  # « chaque année », nothing recorded: not in place
    assert (yearly["echeance_date"], yearly["en_retard"], yearly["retard_regle"]) == (
        None, True, "pas_mis_en_place")
    monthly = records["TIL-001"]  # « en continu » every month, last note 30 June 2025
    assert (monthly["en_retard"], monthly["retard_regle"]) == (True, "sans_suivi")


def test_a_body_without_rhythm_is_neither_planned_nor_late(in_convention: Path, gusp: Run) -> None:
    code, out, _ = gusp("calendar")
    assert code == 0
    assert "Cellule de veille" not in out.split("Instances au")[0]  # no meeting drawn from a rhythm
    assert "sans rythme  Cellule de veille (sans rythme fixé) : dernière réunion le 12 septembre 2025" in out
    code, _, err = gusp("agenda", "cellule_veille")
    assert code != 0
    assert "« Cellule de veille » n'a pas de rythme fixé" in err and "--date" in err


# ----------------------------------------------------------------------------- the CALL, widened


@pytest.fixture
def call_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return root


def _record(gusp: Run, action_id: str) -> dict:
    code, out, err = gusp("export", "--format", "json")
    assert code == 0, err
    return next(r for r in json.loads(out)["actions"] if r["id"] == action_id)


def _valid(gusp: Run) -> None:
    code, out, err = gusp("validate")
    assert code == 0, out + err
    assert " 0 erreur" in out.splitlines()[-1]


@pytest.mark.parametrize(("wording", "due"), [
    ("1er trimestre 2017", "2017-03-31"), ("2e semestre 2016", "2016-12-31"), ("fin 2017", "2017-12-31"),
    ("début 2018", "2018-03-31"), ("T1 2017", "2017-03-31"), ("S2 2016", "2016-12-31"),
    ("en continu", None), ("Continuellement", None), ("tout au long de l'année", None),
    ("chaque année", None),
])
def test_amend_sets_each_new_wording(call_copy: Path, gusp: Run, wording: str, due: str | None) -> None:
    code, _, err = gusp("amend", "LEN-063", "--echeance", wording, "--motif", "avenant")
    assert code == 0, err
    _valid(gusp)
    record = _record(gusp, "LEN-063")
    assert (record["echeance"], record["echeance_date"], record["en_retard"]) == (wording, due, True)
    assert record["retard_regle"] == ("echeance" if due else "pas_mis_en_place")
    out = ok(gusp, "overdue", "--quartier", "lens")
    assert any(line.startswith("LEN-063 ") and wording in line for line in out.splitlines())


def test_two_bailleurs_in_lens(call_copy: Path, gusp: Run) -> None:
    edit(call_copy, Path("charter-data/quartiers/lens.yaml"), "  bailleur: maisons_et_cites\n",
         "  bailleur: [maisons_et_cites, sia_habitat]\n")
    _valid(gusp)
    by_mc = ok(gusp, "overdue", "--quartier", "lens", "--responsable", "maisons_et_cites",
               "--format", "json")
    by_sia = ok(gusp, "overdue", "--quartier", "lens", "--responsable", "sia_habitat", "--format", "json")
    mc = [a["id"] for a in json.loads(by_mc)["actions"]]
    assert mc and mc == [a["id"] for a in json.loads(by_sia)["actions"]]
    out = ok(gusp, "who", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["parties"]}
    assert rows["sia_habitat"]["par_quartier"]["lens"]["total"] == \
        rows["maisons_et_cites"]["par_quartier"]["lens"]["total"]


def test_a_text_numero(call_copy: Path, gusp: Run) -> None:
    text = (call_copy / "charter-data/quartiers/lens.yaml").read_text(encoding="utf-8")
    block = text[text.index("      - id: LEN-063\n"):]
    old = block[:block.index("\n", block.index("numero:")) + 1]
    edit(call_copy, Path("charter-data/quartiers/lens.yaml"), old,
         re.sub(r"numero: \d+", 'numero: "1.2"', old))
    _valid(gusp)
    assert _record(gusp, "LEN-063")["numero"] == "1.2"
    out = ok(gusp, "show", "LEN-063")
    assert "(n° 1.2)" in out


def test_a_pilot_on_a_call_action(call_copy: Path, gusp: Run) -> None:
    text = (call_copy / "charter-data/quartiers/lens.yaml").read_text(encoding="utf-8")
    block = text[text.index("      - id: LEN-063\n"):]
    old = block[:block.index("\n", block.index("responsables:")) + 1]
    edit(call_copy, Path("charter-data/quartiers/lens.yaml"), old, old + "        pilote: ville\n")
    _valid(gusp)
    out = ok(gusp, "actions", "--pilote", "ville", "--format", "json")
    assert [a["id"] for a in json.loads(out)["actions"]] == ["LEN-063"]
    out = ok(gusp, "who")
    row = next(line for line in out.splitlines() if line.startswith("| Ville de Lens |"))
    assert row.rstrip(" |").endswith("| 1")  # « Pilotées »
    out = ok(gusp, "show", "LEN-063")
    assert "  Pilote        : Ville de Lens (rôle « ville »)" in out


def test_no_call_word_in_the_package_nor_the_templates() -> None:
    offenders = []
    for folder in ("gusp_cli", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".j2", ".css", ".json", ".txt", ".yaml"}:
                for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if re.search(r"Lens|Liévin|Lievin|Avion|\bCALL\b|LEN-|AVI-", text):
                        offenders.append(f"{path.relative_to(ROOT)}:{number}: {text.strip()}")
    assert offenders == []


def test_evaluation_set_fills_a_dimension_the_charter_declares(tmp_path: Path, gusp: Run,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "depot"
    shutil.copytree(CASES / "convention", root)
    monkeypatch.chdir(root)
    code, out, err = gusp("evaluation", "set", "TIL-001", "--valeur", "satisfaction=Très bon accueil",
                          "--cout", "800")
    assert code == 0, err
    assert "Avis des habitants « Plutôt satisfaits (enquête de juin 2025) » → « Très bon accueil »" in out
    assert "Coût réalisé non renseigné → 800\u202f€" in out
    text = (root / "charter-data" / "quartiers" / "tilleuls.yaml").read_text(encoding="utf-8")
    assert 'autres:\n            satisfaction: "Très bon accueil"' in text
    code, out, _ = gusp("evaluation", "-q", "tilleuls", "-f", "json")
    cells = {c["case"]: c for c in json.loads(out)["quartiers"][0]["cases"]}
    assert cells["cout"]["somme"] == 800 and cells["satisfaction"]["renseignees"] >= 1
    code, _, err = gusp("evaluation", "set", "TIL-001", "--insertion", "oui")
    assert code == 2 and "pas de case « clauses_insertion_respectees »" in err
