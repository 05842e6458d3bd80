"""The edit operations: status, amend, add; lookups; ids; refusal leaves the file untouched."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.history.git import ids_in_history
from gusp_cli.model.errors import GuspError, UsageError
from gusp_cli.model.models import Statut
from gusp_cli.store.atomic import lock_path
from gusp_cli.store.loader import load
from gusp_cli.store.textfile import read_source
from gusp_cli.track.edits import (
    find_entry,
    find_table,
    next_action_id,
    plan_add,
    plan_amend,
    plan_status,
    run_edit,
)
from tests.conftest import CALL

AS_OF = dt.date(2026, 11, 25)


def _charter(root: Path) -> Any:
    return load(root, today=AS_OF)


def _centre(root: Path) -> Path:
    return root / "charter-data" / "quartiers" / "centre.yaml"


def test_status_realisee_sets_the_completion_date(base_charter: Path) -> None:
    charter = _charter(base_charter)
    change = plan_status(charter, read_source(_centre(base_charter)), "CEN-001", Statut.realisee,
                         date=dt.date(2025, 5, 6), note="Fait en mai", auteur="agglo", today=AS_OF)
    assert "        statut: realisee\n        date_realisation: 2025-05-06\n        suivi:\n" in change.text
    assert ('          - date: 2025-05-06\n            statut: realisee\n            note: "Fait en mai"\n'
            '            auteur: "agglo"\n') in change.text
    assert change.message == "gusp: CEN-001 statut realisee"
    assert _centre(base_charter).read_bytes() == change.source.raw, "planning writes nothing"


def test_reopening_a_completed_action_removes_its_completion_date(base_charter: Path) -> None:
    charter = _charter(base_charter)
    change = plan_status(charter, read_source(_centre(base_charter)), "CEN-002", Statut.en_cours,
                         date=dt.date(2025, 1, 10), today=AS_OF)
    assert "date_realisation" not in change.text.split("CEN-002")[1].split("CEN-003")[0]
    assert any("retirée" in line for line in change.summary)


def test_same_status_without_note_is_refused(base_charter: Path) -> None:
    charter = _charter(base_charter)
    with pytest.raises(UsageError, match="déjà « realisee »"):
        plan_status(charter, read_source(_centre(base_charter)), "CEN-002", Statut.realisee,
                    date=AS_OF, today=AS_OF)


def test_an_edit_that_breaks_the_charter_is_refused_and_nothing_written(base_charter: Path) -> None:
    charter = _charter(base_charter)
    path = _centre(base_charter)
    before = path.read_bytes()

    def plan(source: Any) -> Any:
        return plan_status(charter, source, "CEN-002", Statut.en_cours, date=dt.date(2027, 1, 1), today=AS_OF)

    with pytest.raises(GuspError) as info:
        run_edit(path, plan, write=True)
    assert info.value.exit_code == 1
    assert "date_future" in info.value.message and "rien n'a été écrit" in info.value.message
    assert path.read_bytes() == before
    assert not lock_path(path).exists()


def test_amend_keeps_the_former_value_and_the_reason(base_charter: Path) -> None:
    charter = _charter(base_charter)
    change = plan_amend(charter, read_source(_centre(base_charter)), "CEN-004", motif="COPIL du 3 mars",
                        date=dt.date(2025, 3, 3), echeance="2031", responsables=["agglo", "ville"],
                        today=AS_OF)
    block = change.text.split("- id: CEN-004")[1]
    assert '        echeance: "2031"\n' in block
    assert "        responsables: [agglo, ville]\n" in block
    assert ('          - date: 2025-03-03\n            motif: "COPIL du 3 mars"\n'
            '            champ: echeance\n            ancienne_valeur: "2030"\n') in block
    assert '            champ: responsables\n            ancienne_valeur: "agglo"\n' in block
    assert change.message == "gusp: CEN-004 echeance 2031, responsables (COPIL du 3 mars)"


def test_amend_without_change_is_refused(base_charter: Path) -> None:
    charter = _charter(base_charter)
    source = read_source(_centre(base_charter))
    with pytest.raises(UsageError, match="déjà ces valeurs"):
        plan_amend(charter, source, "CEN-004", motif="x", date=AS_OF, echeance="2030", today=AS_OF)
    with pytest.raises(UsageError, match="indiquez --echeance"):
        plan_amend(charter, source, "CEN-004", motif="x", date=AS_OF, today=AS_OF)
    with pytest.raises(UsageError, match="motif"):
        plan_amend(charter, source, "CEN-004", motif="  ", date=AS_OF, echeance="2031", today=AS_OF)


def test_add_appends_with_next_number_and_new_id(base_charter: Path) -> None:
    charter = _charter(base_charter)
    quartier = charter.quartier("centre")
    assert quartier is not None
    new_id = next_action_id(charter, quartier)
    assert new_id == "CEN-005"
    change = plan_add(charter, read_source(_centre(base_charter)), quartier, 0, action_id=new_id,
                      libelle="Nouvelle: action", responsables=["ville"], echeance="2027", date=AS_OF,
                      today=AS_OF)
    assert ('        note: Fait.\n      - id: CEN-005\n        numero: 3\n'
            '        libelle: "Nouvelle: action"\n        responsables: [ville]\n        echeance: "2027"\n'
            '        suivi:\n          - date: 2026-11-25\n            champ: action\n'
            '  - titre: Gestion post chantier' in change.text)


def test_add_to_an_empty_table(base_charter: Path) -> None:
    path = _centre(base_charter)
    text = path.read_text(encoding="utf-8")
    text += "  - titre: Vide\n    phase: actuelle\n    actions: []\n"
    path.write_text(text, encoding="utf-8")
    charter = _charter(base_charter)
    quartier = charter.quartier("centre")
    assert quartier is not None
    change = plan_add(charter, read_source(path), quartier, 2, action_id="CEN-005", libelle="Première",
                      responsables=["agglo"], date=AS_OF, today=AS_OF)
    assert change.text.endswith("  - titre: Vide\n    phase: actuelle\n    actions:\n      - id: CEN-005\n"
                                "        numero: 1\n        libelle: \"Première\"\n"
                                "        responsables: [agglo]\n        suivi:\n"
                                "          - date: 2026-11-25\n            champ: action\n")
    assert [w.rule for w in change.warnings] == ["echeance_absente"]


def test_next_id_skips_ids_used_in_history_and_other_quartiers(base_charter: Path) -> None:
    charter = _charter(base_charter)
    quartier = charter.quartier("centre")
    assert quartier is not None
    assert next_action_id(charter, quartier, {"CEN-009", "LEN-500", "CEN-0012"}) == "CEN-0013"
    assert next_action_id(charter, quartier, {"CEN-007"}) == "CEN-008"


@pytest.mark.skipif(shutil.which("git") is None, reason="git absent")
def test_ids_in_history_finds_removed_actions(base_charter: Path) -> None:
    def git(*args: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        subprocess.run(["git", *args], cwd=base_charter, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    path = _centre(base_charter)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("      - id: CEN-004")[0], encoding="utf-8")
    git("commit", "-q", "-am", "retrait de CEN-004")
    assert "CEN-004" in ids_in_history(base_charter, path)
    charter = _charter(base_charter)
    quartier = charter.quartier("centre")
    assert quartier is not None
    assert "CEN-004" not in charter.by_id
    assert next_action_id(charter, quartier, ids_in_history(base_charter, path)) == "CEN-005"


def test_ids_in_history_outside_git_is_empty(tmp_path: Path) -> None:
    assert ids_in_history(tmp_path, tmp_path / "x.yaml") == set()


def test_find_entry_is_case_insensitive_and_suggests(base_charter: Path) -> None:
    charter = _charter(base_charter)
    assert find_entry(charter, "cen-002").id == "CEN-002"
    with pytest.raises(UsageError, match="CEN-002"):
        find_entry(charter, "CEN-02")


def test_find_table_loose_ambiguous_and_unknown() -> None:
    charter = load(CALL, today=AS_OF)
    if not charter.ok:
        pytest.skip("charte embarquée invalide")
    lens = charter.quartier("lens")
    assert lens is not None
    index = find_table(lens, "actuelle dépots ensemble")
    assert lens.tableaux[index].titre == "Gestion actuelle / Dépôts sauvages et déchets"
    assert find_table(lens, "2") == 1
    with pytest.raises(UsageError) as info:
        find_table(lens, "chantier")
    assert "désigne" in info.value.message and "précisez" in info.value.message
    with pytest.raises(UsageError) as info:
        find_table(lens, "piscine olympique")
    assert "aucun tableau" in info.value.message and " 1. « " in info.value.message


def test_run_edit_refuses_when_locked(base_charter: Path) -> None:
    charter = _charter(base_charter)
    path = _centre(base_charter)
    lock_path(path).write_text("999\n")
    before = path.read_bytes()

    def plan(source: Any) -> Any:
        return plan_status(charter, source, "CEN-001", Statut.en_cours, date=AS_OF, today=AS_OF)

    with pytest.raises(GuspError, match=r"centre\.yaml\.lock existe"):
        run_edit(path, plan, write=True)
    assert path.read_bytes() == before
    assert lock_path(path).exists()


def test_run_edit_refuses_when_the_file_changes_meanwhile(base_charter: Path) -> None:
    charter = _charter(base_charter)
    path = _centre(base_charter)
    saved = path.read_bytes() + b"# ajout d'un editeur\n"

    def plan(source: Any) -> Any:
        change = plan_status(charter, source, "CEN-001", Statut.en_cours, date=AS_OF, today=AS_OF)
        path.write_bytes(saved)  # an editor saves while gusp works
        return change

    with pytest.raises(GuspError, match="modifié sur le disque"):
        run_edit(path, plan, write=True)
    assert path.read_bytes() == saved
    assert sorted(p.name for p in path.parent.iterdir()) == ["centre.yaml"]


# --------------------------------------------------------------------------- the living charter


def _suivi_of(text: str, action_id: str) -> str:
    return text.split(f"- id: {action_id}")[1].split("- id: ")[0].split("  - titre:")[0]


def test_a_late_report_lands_in_date_order_and_keeps_the_newer_status(base_charter: Path) -> None:
    charter = _charter(base_charter)
    change = plan_status(charter, read_source(_centre(base_charter)), "CEN-002", Statut.en_cours,
                         date=dt.date(2024, 5, 2), note="CR atelier de mai", today=AS_OF)
    block = _suivi_of(change.text, "CEN-002")
    dates = [line.split("date: ")[1] for line in block.splitlines() if "- date: " in line]
    assert dates == ["2024-03-01", "2024-05-02", "2024-07-15"]
    assert "        statut: realisee\n        date_realisation: 2024-07-15\n" in block
    kept = "CEN-002 : entrée antérieure à celle du 2024-07-15 : le statut reste « realisee »"
    assert kept in change.summary
    assert not any("statut realisee →" in line for line in change.summary)


def test_a_late_report_of_the_same_status_without_note_is_refused(base_charter: Path) -> None:
    charter = _charter(base_charter)
    with pytest.raises(UsageError, match="déjà « realisee »"):
        plan_status(charter, read_source(_centre(base_charter)), "CEN-002", Statut.realisee,
                    date=dt.date(2024, 7, 20), today=AS_OF)


def test_reportee_needs_its_new_echeance_and_a_motif(base_charter: Path) -> None:
    charter = _charter(base_charter)
    source = read_source(_centre(base_charter))
    with pytest.raises(UsageError, match=r"« reportee » demande la nouvelle échéance : gusp status CEN-004 "
                                         r"reportee --echeance 2027"):
        plan_status(charter, source, "CEN-004", Statut.reportee, date=AS_OF, today=AS_OF)
    with pytest.raises(UsageError, match="--motif : le motif du report est obligatoire"):
        plan_status(charter, source, "CEN-004", Statut.reportee, date=AS_OF, echeance="2031", today=AS_OF)
    with pytest.raises(UsageError, match="--echeance ne va qu'avec le statut reportee ; pour déplacer"):
        plan_status(charter, source, "CEN-004", Statut.en_cours, date=AS_OF, echeance="2031", motif="x",
                    today=AS_OF)


def test_reportee_records_the_move_as_an_amendment(base_charter: Path) -> None:
    charter = _charter(base_charter)
    change = plan_status(charter, read_source(_centre(base_charter)), "CEN-004", Statut.reportee,
                         date=dt.date(2026, 3, 12), echeance="2031", motif="COPIL du 12 mars", today=AS_OF)
    assert ('        echeance: "2031"\n        statut: reportee\n        suivi:\n'
            '          - date: 2026-03-12\n            statut: reportee\n'
            '            motif: "COPIL du 12 mars"\n            champ: echeance\n'
            '            ancienne_valeur: "2030"\n') in change.text
    assert change.summary[0] == "CEN-004 : échéance « 2030 » → « 2031 » (motif « COPIL du 12 mars »)"


def test_an_addition_is_dated_so_that_a_replay_before_it_leaves_it_out(base_charter: Path) -> None:
    charter = _charter(base_charter)
    quartier = charter.quartier("centre")
    assert quartier is not None
    path = _centre(base_charter)
    def plan(source: Any) -> Any:
        return plan_add(charter, source, quartier, 0, action_id="CEN-005", libelle="Nouvelle",
                        responsables=["ville"], date=dt.date(2026, 3, 1), motif="COPIL du 1er mars",
                        today=AS_OF)

    run_edit(path, plan, write=True)
    after = load(base_charter, today=AS_OF)
    assert "CEN-005" in after.by_id and "CEN-005" in after.on(dt.date(2026, 3, 1)).by_id
    assert "CEN-005" not in after.on(dt.date(2026, 2, 28)).by_id
    assert [e.id for e in after.on(dt.date(2026, 2, 28)).entries] == [f"CEN-00{n}" for n in range(1, 5)]
