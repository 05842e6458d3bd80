"""An action as it stood on a date (gusp_cli.model.timeline), on pydantic models."""

from __future__ import annotations

import datetime as dt

from gusp_cli.model.models import Action, RegistreInsertion, Reunion
from gusp_cli.model.timeline import action_on, added_after, insertion_on, meetings_on
from gusp_cli.model.vocabulary import Statut

D = dt.date


def _action(**fields: object) -> Action:
    base: dict[str, object] = {"id": "CEN-001", "numero": 1, "libelle": "Tour de quartier",
                               "responsables": ["ville"], "echeance": "2026"}
    return Action.model_validate({**base, **fields})


def test_nothing_dated_after_the_day_gives_the_action_itself() -> None:
    action = _action(statut="en_cours", suivi=[{"date": "2025-03-01", "statut": "en_cours"}])
    assert action_on(action, D(2025, 3, 1)) is action
    plain = _action()
    assert action_on(plain, D(2000, 1, 1)) is plain


def test_later_entries_are_not_there_and_the_status_is_the_one_of_that_day() -> None:
    action = _action(statut="realisee", date_realisation="2025-09-01", suivi=[
        {"date": "2025-02-10", "statut": "en_cours", "note": "lancé"},
        {"date": "2025-05-01", "note": "point d'étape"},
        {"date": "2025-09-01", "statut": "realisee"}])
    june = action_on(action, D(2025, 6, 30))
    assert june.statut is Statut.en_cours and june.date_realisation is None
    assert [e.date for e in june.suivi] == [D(2025, 2, 10), D(2025, 5, 1)]
    before = action_on(action, D(2025, 1, 1))
    assert before.statut is None and before.suivi == []  # entries set a status, none yet on that day
    assert (before.id, before.libelle, before.numero) == ("CEN-001", "Tour de quartier", 1)


def test_a_recorded_status_no_entry_sets_holds_on_every_day() -> None:
    action = _action(statut="en_cours", suivi=[{"date": "2025-05-01", "note": "relance"}])
    assert action_on(action, D(2025, 1, 1)).statut is Statut.en_cours


def test_later_amendments_are_undone_the_earliest_has_the_last_word() -> None:
    action = _action(echeance="2028", libelle="Tour de quartier mensuel", responsables=["ville", "call"],
                     suivi=[
        {"date": "2025-03-12", "motif": "COPIL", "champ": "echeance", "ancienne_valeur": "2025"},
        {"date": "2026-03-10", "motif": "COPIL", "champ": "echeance", "ancienne_valeur": "2026"},
        {"date": "2026-04-01", "motif": "avenant", "champ": "libelle", "ancienne_valeur": "Tour de quartier"},
        {"date": "2026-04-01", "motif": "avenant", "champ": "responsables", "ancienne_valeur": "ville"}])
    assert action_on(action, D(2025, 1, 1)).echeance == "2025"
    assert action_on(action, D(2025, 12, 31)).echeance == "2026"
    mid = action_on(action, D(2026, 3, 31))
    assert (mid.echeance, mid.libelle, mid.responsables) == ("2028", "Tour de quartier", ["ville"])
    assert action_on(action, D(2026, 4, 1)) is action


def test_an_amended_field_that_was_empty_is_empty_again() -> None:
    action = _action(echeance="2027", suivi=[{"date": "2026-01-05", "motif": "fixée", "champ": "echeance"}])
    assert action_on(action, D(2025, 12, 31)).echeance is None


def test_an_action_added_by_amendment_is_absent_before_its_date() -> None:
    action = _action(suivi=[{"date": "2026-03-01", "motif": "COPIL", "champ": "action"}])
    assert added_after(action, D(2026, 2, 28)) and not added_after(action, D(2026, 3, 1))
    assert not added_after(_action(), D(1990, 1, 1))


def test_a_later_meeting_is_only_planned() -> None:
    held = Reunion.model_validate({"date": "2025-03-12", "instance": "copil", "decisions": [{"texte": "x"}]})
    later = Reunion.model_validate({"date": "2026-03-12", "instance": "copil", "compte_rendu": "cr.pdf",
                                    "decisions": [{"texte": "report", "actions": ["CEN-001"]}]})
    seen = meetings_on([held, later], D(2025, 12, 31))
    assert seen[0] is held and seen[1].date == later.date and seen[1].instance == "copil"
    assert seen[1].decisions == [] and seen[1].compte_rendu is None


def test_insertion_records_count_from_the_day_they_were_sent() -> None:
    records = RegistreInsertion.model_validate({"semestres": [
        {"semestre": "2025-S1", "heures_travaux": 10, "heures_gup": 5, "beneficiaires": 2,
         "transmis_le": "2025-07-15"},
        {"semestre": "2025-S2", "heures_travaux": 10, "heures_gup": 5, "beneficiaires": 2}]})
    assert insertion_on(records, D(2025, 7, 14)).semestres == []
    assert [r.semestre for r in insertion_on(records, D(2025, 7, 15)).semestres] == ["2025-S1"]
    assert [r.semestre for r in insertion_on(records, D(2025, 12, 30)).semestres] == ["2025-S1"]
    assert insertion_on(records, D(2025, 12, 31)) is records  # 2025-S2 counts from its end
    assert insertion_on(None, D(2025, 1, 1)) is None
