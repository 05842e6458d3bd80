"""Draft agendas: next meeting, overdue and upcoming actions by party, pending decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.governance.agenda import build_agenda, match_instance, to_markdown
from gusp_cli.model.errors import UsageError
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
D = dt.date




@pytest.mark.parametrize(("typed", "expected"), [
    ("copil", "copil"), ("COPIL", "copil"), ("comité technique", "comite_technique"),
    ("technique", "comite_technique"), ("proximite", "comite_de_proximite"),
    ("Comite_de_proximite", "comite_de_proximite"),
])
def test_match_instance_is_loose(gov: Path, typed: str, expected: str) -> None:
    assert match_instance(load(gov), typed).id == expected


def test_match_instance_unknown_lists_the_bodies(gov: Path) -> None:
    with pytest.raises(UsageError) as exc:
        match_instance(load(gov), "bureau")
    assert "« bureau » inconnu ; choix possibles :" in exc.value.message
    assert all(b in exc.value.message for b in ("copil", "comite_technique", "comite_de_proximite"))


def test_agenda_of_the_technical_committee(gov: Path) -> None:
    charter = load(gov)
    agenda = build_agenda(charter, match_instance(charter, "technique"), D(2026, 11, 25))
    # Next period with no meeting: Q1 2027, planned on Friday 29 January 2027; the following, Q2.
    assert (agenda.date, agenda.suivante) == (D(2027, 1, 29), D(2027, 4, 30))
    assert agenda.derniere is not None and agenda.derniere.date == D(2026, 10, 15)
    # CEN-002 is done: its decisions are not pending. Latest meeting first.
    assert [(p.reunion.date, [e.id for e in p.ouvertes]) for p in agenda.decisions] == [
        (D(2026, 10, 15), ["CEN-001"]), (D(2025, 3, 12), ["CEN-001"]), (D(2025, 3, 12), ["CEN-004"])]
    # CEN-001 (due 2021, roles ville + agglo) is overdue: one group per party, roles resolved.
    assert [(g.party, [e.id for e in g.entries]) for g in agenda.en_retard] == [
        ("agglo", ["CEN-001"]), ("ville_centre", ["CEN-001"])]
    assert agenda.a_echeance == []
    assert agenda.membres == ["Agglomération de test", "Ville (Centre : Ville de Centre)",
                              "Bailleur (Centre : Bailleur du Sud)"]


def test_actions_due_before_the_following_meeting(gov: Path) -> None:
    charter = load(gov)
    body = match_instance(charter, "technique")
    # After the charter's last period there is no planned meeting: the following is one period later.
    agenda = build_agenda(charter, body, D(2026, 11, 25), date=D(2030, 11, 15))
    assert agenda.suivante == D(2031, 2, 15)
    assert [(g.party, [e.id for e in g.entries]) for g in agenda.a_echeance] == [("agglo", ["CEN-004"])]
    assert agenda.origine == "date indiquée (--date)"


def test_owed_meeting_uses_the_as_of_date(gov: Path) -> None:
    charter = load(gov)
    agenda = build_agenda(charter, match_instance(charter, "proximité"), D(2026, 1, 31))
    assert agenda.date == D(2026, 1, 31)
    assert agenda.origine.startswith("réunion à tenir pour la période janvier 2026, aucune n'est enregistrée")
    assert agenda.suivante == D(2026, 2, 27)


def test_no_meeting_after_the_charter_period(gov: Path) -> None:
    charter = load(gov)
    with pytest.raises(UsageError) as exc:
        build_agenda(charter, match_instance(charter, "copil"), D(2031, 3, 1))
    assert "indiquez --date" in exc.value.message


def test_markdown_agenda(gov: Path) -> None:
    charter = load(gov)
    text = to_markdown(charter, build_agenda(charter, match_instance(charter, "technique"), D(2026, 11, 25)))
    lines = text.splitlines()
    assert lines[0] == "# Comité technique — projet d'ordre du jour"
    assert ("- **Réunion** : 29 janvier 2027 (date indicative tirée du rythme de l'instance, "
            "à confirmer)") in lines
    assert ("- Réunion du 12 mars 2025 — compte rendu : `https://exemple.org/gusp/cr/2025-03-12.pdf` : "
            "Relancer le tour de quartier mensuel avec le bailleur") in lines
    assert "## 2. Actions en retard au 29 janvier 2027 (1)" in lines
    assert "### Agglomération de test (1)" in lines
    assert ("- **CEN-001** (Centre) Tour de quartier mensuel — échéance « 2021 », "
            "5 ans de retard, statut : non renseigné") in lines
    assert lines[-1] == "## 4. Questions diverses" or lines[-2] == "## 4. Questions diverses"


def test_gusp_agenda_embedded_writes_markdown(gusp: Run, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    target = tmp_path / "odj.md"
    code, out, err = gusp("agenda", "comité technique", "--as-of", "2026-01-15", "-q", "avion",
                          "-o", str(target))
    assert code == 0 and out == "" and "ordre du jour écrit dans" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Comité technique — projet d'ordre du jour")
    assert "- **Réunion** : 30 janvier 2026" in text
    assert "- **Quartiers** : Avion – République" in text
    ids = {line.split("**")[1] for line in text.splitlines() if line.startswith("- **AVI-")}
    assert ids and all(i.startswith("AVI-") for i in ids)
    assert "**LEN-" not in text and "**LIE-" not in text


def test_gusp_agenda_unknown_body(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp("agenda", "bureau", "--as-of", "2026-01-15")
    assert code == 2 and out == ""
    assert err.startswith("gusp : erreur : instance : « bureau » inconnu")
