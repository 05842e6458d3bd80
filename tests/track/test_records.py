"""The stable JSON records: a follow-up entry as written (``public`` only when true)."""

from __future__ import annotations

from gusp_cli.model.models import Suivi
from gusp_cli.track.records import suivi_record


def test_a_follow_up_entry_says_public_only_when_it_is() -> None:
    private = Suivi.model_validate({"date": "2025-03-01", "note": "Appel du gardien", "auteur": "Paul"})
    public = Suivi.model_validate({"date": "2025-04-01", "note": "Atelier tenu", "public": True})
    assert suivi_record(private) == {"date": "2025-03-01", "note": "Appel du gardien", "auteur": "Paul"}
    assert suivi_record(public) == {"date": "2025-04-01", "note": "Atelier tenu", "public": True}
