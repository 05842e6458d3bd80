"""The edit plans of ``gusp signals``: only the signalement's lines change, entries land in date order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gusp_cli.model.errors import GuspError, UsageError
from gusp_cli.model.vocabulary import EtatSignalement as E
from gusp_cli.model.vocabulary import SourceSignalement
from gusp_cli.store.loader import load
from gusp_cli.store.textfile import read_or_new
from gusp_cli.track.signal_edits import NewSignal, plan_signal_add, plan_signal_update, signals_file

D = dt.date
TODAY = D(2026, 11, 25)
FILE = """\
# Nos signalements : un commentaire à garder.
signalements:
  - id: SIG-2026-0001   # le premier
    date: 2026-03-02
    quartier: centre
    lieu: rue de la Gare
    theme: propreté
    description: 'Dépôt sauvage'
    source: tour_de_quartier
    etat: ouvert
    suivi:
      - date: 2026-03-20
        note: relance du bailleur
"""


def new(sid: str = "SIG-2026-0002", description: str = "Candélabre en panne") -> NewSignal:
    return NewSignal(sid, D(2026, 11, 2), "centre", "place du Marché", "éclairage", description,
                     SourceSignalement.partenaire, responsable="ville")


def test_the_first_signalement_creates_the_file_with_its_modeline(base_charter: Path) -> None:
    charter = load(base_charter, today=TODAY)
    source = read_or_new(signals_file(charter))
    change = plan_signal_add(charter, source, new("SIG-2026-0001"), today=TODAY)
    lines = change.text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/signalements.schema.json"
    assert "signalements:" in lines and "  - id: SIG-2026-0001" in lines and "    etat: ouvert" in lines
    assert not source.exists and source.digest == ""


def test_adding_keeps_every_other_line(base_charter: Path) -> None:
    path = base_charter / "charter-data" / "signalements.yaml"
    path.write_text(FILE, encoding="utf-8")
    charter = load(base_charter, today=TODAY)
    change = plan_signal_add(charter, read_or_new(path), new(), today=TODAY)
    assert change.text.startswith(FILE)
    assert change.text[len(FILE):].splitlines()[0] == "  - id: SIG-2026-0002"


def test_a_crlf_file_stays_crlf(base_charter: Path) -> None:
    path = base_charter / "charter-data" / "signalements.yaml"
    path.write_bytes(FILE.replace("\n", "\r\n").encode())
    charter = load(base_charter, today=TODAY)
    change = plan_signal_add(charter, read_or_new(path), new(), today=TODAY)
    assert change.data.startswith(FILE.replace("\n", "\r\n").encode()) and b"\n" not in change.data.replace(
        b"\r\n", b"")


def test_an_entry_lands_at_its_date_and_a_late_report_keeps_the_newer_state(base_charter: Path) -> None:
    path = base_charter / "charter-data" / "signalements.yaml"
    path.write_text(FILE.replace("        note: relance du bailleur\n",
                                 "        note: relance du bailleur\n        etat: traite\n"),
                    encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("etat: ouvert", "etat: traite"),
                    encoding="utf-8")
    charter = load(base_charter, today=TODAY)
    assert charter.ok, [p.format() for p in charter.errors]
    change = plan_signal_update(charter, read_or_new(path), "SIG-2026-0001", date=D(2026, 3, 10),
                                etat=E.transmis, vers="CLSPD", note="relayé", today=TODAY)
    text = change.text
    assert text.index("2026-03-10") < text.index("2026-03-20")
    assert "    etat: traite\n" in text  # the entry of the 20th still gives the state
    assert any("il reste « traité »" in line for line in change.summary)


def test_an_update_must_say_something(base_charter: Path) -> None:
    path = base_charter / "charter-data" / "signalements.yaml"
    path.write_text(FILE, encoding="utf-8")
    charter = load(base_charter, today=TODAY)
    with pytest.raises(UsageError, match="rien à consigner"):
        plan_signal_update(charter, read_or_new(path), "SIG-2026-0001", date=TODAY, today=TODAY)
    with pytest.raises(UsageError, match="--vers CLSPD"):
        plan_signal_update(charter, read_or_new(path), "SIG-2026-0001", date=TODAY, etat=E.transmis,
                           today=TODAY)
    with pytest.raises(UsageError, match="antérieure au constat"):
        plan_signal_update(charter, read_or_new(path), "SIG-2026-0001", date=D(2026, 1, 1), note="x",
                           today=TODAY)


def test_an_edit_that_adds_an_error_is_refused(base_charter: Path) -> None:
    path = base_charter / "charter-data" / "signalements.yaml"
    path.write_text(FILE, encoding="utf-8")
    charter = load(base_charter, today=TODAY)
    with pytest.raises(GuspError) as refused:
        plan_signal_add(charter, read_or_new(path), new(description="appeler le 06 12 34 56 78"), today=TODAY)
    assert "modification refusée" in refused.value.message and "donnees_personnelles" in refused.value.message
    assert path.read_text(encoding="utf-8") == FILE
