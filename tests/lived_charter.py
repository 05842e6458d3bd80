"""A charter lived for a year, for the tests of the published site (privacy, feed, browser): the CALL's
charter in git, signed, then follow-up notes public and private with an author, meetings with their
participants, decisions, subjects and minutes, an insertion semester with companies and comment, and
signalements of the veille (place, description, follow-up notes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import CALL
from tests.scripted_git import commit_all, edit, git

PRIVATE_NOTES = ["Rencontre avec Madame Privée au domicile", "Relance téléphonique de Monsieur Secret",
                 "Plainte du voisinage, confidentiel"]
PUBLIC_NOTE = "Atelier de réemploi tenu au centre social"
PARTICIPANTS = ["Mme Participante Nommée", "M. Invité Discret"]
MEETING_TEXTS = ["Décision sur un cas individuel", "Ordre du jour interne",
                 "https://intranet.exemple.org/cr-secret.pdf"]
INSERTION_TEXTS = ["Secteur Confidentiel Unique", "Commentaire réservé au délégué"]
ATTENDANCE = ["AIT CHIKHEBI", "BAUDE", "DUBREUCQ", "DECLEMY", "ROSSIGNOL", "GLORIAN", "COTTIGNY"]
"""The members named by the CALL's deliberation: who did not take part, who was excused."""
SIGNAL_TEXTS = ["Passage Confidentiel du Bâtiment C", "Encombrants déposés devant la cage d'escalier 4",
                "Relayé au bailleur après la visite du gardien", "Agent Veille Nommé"]
"""A signalement's place, description, follow-up note and author: the veille is never published."""
AUTHORS = ["Bernard Rapporteur", "Alice Martin", "alice@example.org"]
"""The follow-up entries' author, and the commits' (tests.scripted_git)."""

REUNIONS = f"""reunions:
  - date: 2025-03-12
    instance: comite_technique
    quartiers: [lens]
    objet: "{MEETING_TEXTS[1]}"
    participants: [ville_de_lens, "{PARTICIPANTS[0]}", "{PARTICIPANTS[1]}"]
    decisions:
      - texte: "{MEETING_TEXTS[0]}"
        actions: [LEN-004]
    compte_rendu: {MEETING_TEXTS[2]}
  - date: 2026-12-10
    instance: copil
"""
INSERTION = f"""semestres:
  - semestre: 2025-S1
    heures_travaux: 1850
    heures_gup: 420
    heures_marches_travaux: 31200
    heures_marches_gup: 3900
    entreprises:
      - taille: "moins de 10 salariés"
        secteur: "{INSERTION_TEXTS[0]}"
        nombre: 3
    beneficiaires: 14
    profil:
      femmes: 3
      hommes: 11
    commentaire: "{INSERTION_TEXTS[1]}"
"""
SIGNALEMENTS = f"""signalements:
  - id: SIG-2025-0001
    date: 2025-03-20
    quartier: lens
    lieu: "{SIGNAL_TEXTS[0]}"
    theme: propreté
    description: "{SIGNAL_TEXTS[1]}"
    source: tour_de_quartier
    responsable: bailleur
    etat: transmis
    suivi:
      - date: 2025-04-02
        etat: transmis
        vers: bailleur
        note: "{SIGNAL_TEXTS[2]}"
        auteur: "{SIGNAL_TEXTS[3]}"
"""
FOLLOW_UP = f"""        echeance: "2021"
        statut: en_cours
        suivi:
          - date: 2025-02-01
            statut: en_cours
            note: "{PRIVATE_NOTES[0]}"
            auteur: "{AUTHORS[0]}"
          - date: 2025-03-01
            note: "{PRIVATE_NOTES[1]}"
            public: false
          - date: 2025-04-01
            note: "{PUBLIC_NOTE}"
            public: true
            auteur: "{AUTHORS[0]}"
          - date: 2025-05-01
            note: "{PRIVATE_NOTES[2]}"
"""


def build_lived_call(tmp_path: Path) -> Path:
    """The CALL's charter in git: signed, then a year of follow-up, meetings and insertion."""
    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Charte signée", day=1)
    lens = Path("charter-data/quartiers/lens.yaml")
    text = (root / lens).read_text(encoding="utf-8")
    block = text[text.index("      - id: LEN-004\n"):]
    edit(root, lens, block[:block.index('        echeance: "2021"\n') + 25], block[:block.index(
        '        echeance: "2021"\n')] + FOLLOW_UP)
    (root / "charter-data" / "reunions.yaml").write_text(REUNIONS, encoding="utf-8")
    (root / "charter-data" / "insertion.yaml").write_text(INSERTION, encoding="utf-8")
    (root / "charter-data" / "signalements.yaml").write_text(SIGNALEMENTS, encoding="utf-8")
    commit_all(root, f"Suivi de LEN-004 rapporté par {AUTHORS[0]}", day=6)
    return root
