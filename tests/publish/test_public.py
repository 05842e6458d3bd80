"""Nothing private leaves: the follow-up rule, and the published site grepped for every private text.

The charter of the end-to-end test is the CALL's (its deliberation names the members who did not
take part and those excused), with follow-up notes public and private, an author, meetings with
participants, decisions, subjects and minutes, an insertion semester with its companies and comment,
and a signalement of the veille with its place, description and note, all committed in git (the feed
reads the history; the commit's author is a person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from gusp_cli.model.models import Action
from gusp_cli.publish.public import AJOUT, AVENANT, MISE_A_JOUR, NOTE, STATUT, public_entries
from tests.lived_charter import (
    ATTENDANCE,
    AUTHORS,
    INSERTION_TEXTS,
    MEETING_TEXTS,
    PARTICIPANTS,
    PRIVATE_NOTES,
    PUBLIC_NOTE,
    SIGNAL_TEXTS,
)
from tests.scripted_git import commit_all, edit

Run = Callable[..., tuple[int, str, str]]


def _action(suivi: list[dict[str, object]], **fields: object) -> Action:
    return Action.model_validate({"id": "CEN-001", "numero": 1, "libelle": "Tour de quartier",
                                  "responsables": ["ville"], "echeance": "2026", "suivi": suivi, **fields})


def test_a_note_is_public_only_when_marked_and_the_author_never() -> None:
    action = _action([
        {"date": "2025-01-10", "statut": "en_cours", "note": "Réunion chez Mme Martin", "auteur": "Paul"},
        {"date": "2025-02-10", "note": "Atelier tenu", "public": True, "auteur": "Paul"},
        {"date": "2025-03-10", "note": "Appel du gardien"},
        {"date": "2025-04-10", "statut": "en_cours", "note": "Devis signé", "public": True},
    ])
    entries = public_entries(action)
    assert [(e.rang, e.nature, e.statut, e.note) for e in entries] == [
        (1, STATUT, "en_cours", None), (2, NOTE, None, "Atelier tenu"), (3, MISE_A_JOUR, None, None),
        (4, STATUT, "en_cours", "Devis signé")]
    assert "Paul" not in repr(entries) and "Martin" not in repr(entries) and "gardien" not in repr(entries)


def test_amendments_and_additions_are_public_with_the_value_they_took() -> None:
    action = _action([
        {"date": "2025-01-10", "champ": "action", "motif": "COPIL du 10 janvier"},
        {"date": "2025-03-12", "champ": "echeance", "ancienne_valeur": "2024", "motif": "COPIL de mars"},
        {"date": "2025-09-01", "champ": "echeance", "ancienne_valeur": "2025", "motif": "Chantier décalé",
         "statut": "reportee"},
    ], echeance="2026")
    first, second, third = public_entries(action)
    assert (first.nature, first.motif, first.champ) == (AJOUT, "COPIL du 10 janvier", None)
    assert (second.nature, second.ancienne_valeur, second.nouvelle_valeur) == (AVENANT, "2024", "2025")
    assert (third.ancienne_valeur, third.nouvelle_valeur, third.statut) == ("2025", "2026", "reportee")


# ----------------------------------------------------------------------------- the whole site


def test_the_published_site_holds_no_private_text(lived_call: Path, gusp: Run, tmp_path: Path) -> None:
    code, _, err = gusp("validate", "--charter", str(lived_call))
    assert code == 0, err
    code, out, _ = gusp("signals", "list", "--charter", str(lived_call), "--format", "json")
    assert code == 0 and SIGNAL_TEXTS[1] in out  # the veille is recorded: the grep below means something
    site = tmp_path / "site"
    code, _, err = gusp("publish", "--charter", str(lived_call), "-o", str(site), "--as-of", "2026-11-25")
    assert code == 0, err
    texts = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
             for path in sorted(site.rglob("*")) if path.is_file()}
    # What must be there is there: the grep below looks at a site that shows the follow-up.
    assert PUBLIC_NOTE in texts["actions/LEN-004/index.html"] and PUBLIC_NOTE in texts["donnees/suivi.csv"]
    assert "Mise à jour" in texts["actions/LEN-004/index.html"]
    assert "Publication de la charte" in texts["flux.atom"]
    assert "12 mars 2025" in texts["gouvernance/index.html"]
    assert "420 heures d’insertion (2025-S1)&nbsp;; 10,8 % des heures" in texts["gouvernance/index.html"]
    private = [*PRIVATE_NOTES, *PARTICIPANTS, *MEETING_TEXTS, *INSERTION_TEXTS, *ATTENDANCE, *AUTHORS,
               *SIGNAL_TEXTS, "SIG-2025-0001"]
    found = {text: [p for p, content in texts.items() if text in content] for text in private}
    assert {text: where for text, where in found.items() if where} == {}


def test_a_status_note_reaches_the_feed_only_when_public(lived_call: Path, gusp: Run, tmp_path: Path) -> None:
    lens = Path("charter-data/quartiers/lens.yaml")
    edit(lived_call, lens, f'            note: "{PRIVATE_NOTES[2]}"\n',
         f'            note: "{PRIVATE_NOTES[2]}"\n'
         '          - date: 2025-06-01\n            statut: realisee\n            note: "Atelier clos, bilan '
         'publié"\n            public: true\n')
    edit(lived_call, lens, "        statut: en_cours\n        suivi:\n          - date: 2025-02-01",
         "        statut: realisee\n        date_realisation: 2025-06-01\n        suivi:\n"
         "          - date: 2025-02-01")
    commit_all(lived_call, "LEN-004 réalisée", day=7)
    site = tmp_path / "site"
    code, _, err = gusp("publish", "--charter", str(lived_call), "-o", str(site), "--as-of", "2026-11-25")
    assert code == 0, err
    feed = (site / "flux.atom").read_text(encoding="utf-8")
    assert "Statut : en cours → réalisée. Atelier clos, bilan publié" in feed
    assert "Statut : non renseigné → en cours." in feed
    assert all(note not in feed for note in PRIVATE_NOTES)
    assert dt.date(2025, 7, 15).isoformat() in feed  # the commit's own date
