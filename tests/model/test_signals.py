"""Signalements as the model sees them: ids never reused, the state a follow-up gives, the replay."""

from __future__ import annotations

import datetime as dt

from gusp_cli.model.models import Signalement, SuiviSignalement
from gusp_cli.model.signals import (
    is_open,
    next_signal_id,
    resolved_on,
    signal_on,
    signals_on,
    state_of,
    state_since,
    transmitted_to,
)
from gusp_cli.model.vocabulary import EtatSignalement as E

D = dt.date


def sig(*suivi: SuiviSignalement, etat: E | None = None, **fields: object) -> Signalement:
    values: dict[str, object] = {"id": "SIG-2026-0001", "date": D(2026, 3, 2), "quartier": "centre",
                                 "lieu": "rue de la Gare", "theme": "propreté", "description": "Dépôt",
                                 "source": "tour_de_quartier", "suivi": list(suivi),
                                 "etat": etat or state_of(suivi), **fields}
    return Signalement.model_validate(values)


def entry(day: dt.date, etat: E | None = None, **fields: object) -> SuiviSignalement:
    return SuiviSignalement.model_validate({"date": day, "etat": etat, **fields})


def test_next_id_is_above_every_id_ever_used_that_year() -> None:
    assert next_signal_id(2026, []) == "SIG-2026-0001"
    assert next_signal_id(2026, ["SIG-2026-0001", "SIG-2026-0007", "SIG-2025-0042"]) == "SIG-2026-0008"
    assert next_signal_id(2025, ["SIG-2026-0001", "SIG-2025-0042"]) == "SIG-2025-0043"
    assert next_signal_id(2026, ["SIG-2026-12345"]) == "SIG-2026-12346"
    assert next_signal_id(2026, ["SIG-2026-9999"]) == "SIG-2026-10000"


def test_the_latest_dated_entry_that_sets_a_state_wins() -> None:
    assert state_of([]) is E.ouvert
    entries = [entry(D(2026, 3, 10), E.transmis, vers="CLSPD"), entry(D(2026, 3, 12), note="relance"),
               entry(D(2026, 3, 5), E.traite)]  # written late: older news
    assert state_of(entries) is E.transmis


def test_since_and_resolution_dates() -> None:
    solved = sig(entry(D(2026, 3, 10), E.traite), entry(D(2026, 3, 20), E.clos))
    assert state_since(solved) == D(2026, 3, 10) and resolved_on(solved) == D(2026, 3, 10)
    assert not is_open(solved)
    relayed = sig(entry(D(2026, 3, 4), E.transmis, vers="CLSPD"))
    assert transmitted_to(relayed) == "CLSPD" and resolved_on(relayed) is None and not is_open(relayed)
    assert state_since(sig()) == D(2026, 3, 2) and is_open(sig())


def test_a_replay_undoes_later_follow_up_and_links() -> None:
    recorded = sig(entry(D(2026, 3, 10), E.transmis, vers="CLSPD"),
                   entry(D(2026, 4, 1), note="action ABC-042 créée", action="ABC-042"),
                   action="ABC-042", actions=["ABC-042", "ABC-001"])
    before = signal_on(recorded, D(2026, 3, 15))
    assert before.etat is E.transmis and before.action is None and before.actions == ["ABC-001"]
    assert [e.date for e in before.suivi] == [D(2026, 3, 10)]
    earliest = signal_on(recorded, D(2026, 3, 5))
    assert earliest.etat is E.ouvert and earliest.id == "SIG-2026-0001"
    assert signal_on(recorded, D(2026, 5, 1)) is recorded
    assert signals_on([recorded], D(2026, 3, 1)) == []
