"""iCalendar export: RFC 5545 lines, stable UIDs, read back by the ``icalendar`` package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.exchange.ics import Event, escape, fold, render
from gusp_cli.store.loader import load
from tests.conftest import CALL

icalendar = pytest.importorskip("icalendar")

Run = Callable[..., tuple[int, str, str]]
D = dt.date




def test_escape_text_values() -> None:
    assert escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_keeps_75_octets_and_whole_characters() -> None:
    line = "SUMMARY:" + "é" * 100 + "x" * 10
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    assert fold("SHORT:ok") == "SHORT:ok"


def test_render_is_read_back_with_the_same_values() -> None:
    event = Event("X-1@gusp", D(2026, 3, 31), "Échéance ; test, avec virgule", "ligne 1\nligne 2",
                  ["Échéance", "Lens"], "TENTATIVE", "https://exemple.org/cr.pdf")
    text = render([event], D(2026, 1, 15), "Calendrier, test")
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    parsed = icalendar.Calendar.from_ical(text)
    (read,) = parsed.walk("VEVENT")
    assert str(read["UID"]) == "X-1@gusp"
    assert str(read["SUMMARY"]) == "Échéance ; test, avec virgule"
    assert str(read["DESCRIPTION"]) == "ligne 1\nligne 2"
    assert read.decoded("DTSTART") == D(2026, 3, 31) and read.decoded("DTEND") == D(2026, 4, 1)
    assert read.decoded("DTSTAMP") == dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    assert [str(c) for c in read["CATEGORIES"].cats] == ["Échéance", "Lens"]
    # An X- property is TEXT by default (RFC 5545, 3.8.8.2): escaped like the others.
    assert "\r\nX-WR-CALNAME:Calendrier\\, test\r\n" in text


def _events(data: bytes) -> dict[str, object]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in parsed.walk("VEVENT")}


def test_export_ics_embedded_charter(gusp: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    target = tmp_path / "charte.ics"
    code, _, err = gusp("export", "--format", "ics", "--as-of", "2026-11-25", "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.count(b"\r\n") == raw.count(b"\n")
    events = _events(raw)
    charter = load(CALL)
    expected_actions = {f"{e.id}@gusp": e for e in charter.entries if e.is_open and e.due is not None}
    assert {u for u in events if "-" in u and u.split("@")[0][:3].isupper()} == set(expected_actions)
    lens = events["LEN-001@gusp"]
    assert lens.decoded("DTSTART") == expected_actions["LEN-001@gusp"].due  # type: ignore[attr-defined]
    assert str(lens["SUMMARY"]).startswith("Échéance LEN-001 — Tour de quartier")  # type: ignore[index]
    assert "En retard au 25 novembre 2026" in str(lens["DESCRIPTION"])  # type: ignore[index]
    # Meetings ahead, from the rhythm, until the end of the charter (2030): none before the as-of date.
    meetings = {u: e for u, e in events.items() if u.split("@")[0][:3].islower()}
    assert "copil-2027@gusp" in meetings and "copil-2030@gusp" in meetings
    assert "copil-2031@gusp" not in meetings
    assert "comite_technique-2026-T4@gusp" not in meetings  # planned 30 October 2026, never held
    assert "comite_de_proximite-2026-11@gusp" in meetings  # planned 30 November 2026: ahead
    assert all(e.decoded("DTSTART") >= D(2026, 11, 25) for e in meetings.values())  # type: ignore[attr-defined]
    assert all(str(e["STATUS"]) == "TENTATIVE" for e in meetings.values())  # type: ignore[index]
    per_body: dict[str, int] = {}
    for uid in meetings:
        body = uid.split("-")[0]
        per_body[body] = per_body.get(body, 0) + 1
    # COPIL 2027-2030; CT 2027-T1 to 2030-T4; months from November 2026; two-month periods from B6 2026.
    assert per_body == {"copil": 4, "comite_technique": 16, "comite_de_proximite": 2 + 48,
                        "groupes_de_travail": 1 + 24}


def test_export_ics_is_stable(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    first = gusp("export", "--format", "ics", "--as-of", "2026-11-25")
    second = gusp("export", "--format", "ics", "--as-of", "2026-11-25")
    assert first == second and first[0] == 0


def test_export_ics_filters(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, _ = gusp("export", "--format", "ics", "--as-of", "2026-11-25", "--quartier", "avion")
    assert code == 0
    actions = [u for u in _events(out.encode("utf-8")) if u[:3].isupper()]
    assert actions and all(u.startswith("AVI-") for u in actions)
    code, out, _ = gusp("export", "--format", "ics", "--as-of", "2026-11-25", "--responsable",
                        "maison des projets")
    events = _events(out.encode("utf-8"))
    bodies = {u.split("-")[0] for u in events if u[:3].islower()}
    # The maison des projets sits on the comité de proximité only.
    assert bodies == {"comite_de_proximite"}


def test_export_ics_recorded_meetings(gov: Path, gusp: Run) -> None:
    code, out, _ = gusp("export", "--format", "ics", "-C", str(gov), "--as-of", "2026-11-25")
    assert code == 0
    events = _events(out.encode("utf-8"))
    held = events["comite_technique-2025-T1@gusp"]
    assert held.decoded("DTSTART") == D(2025, 3, 12)  # type: ignore[attr-defined]
    assert str(held["URL"]) == "https://exemple.org/gusp/cr/2025-03-12.pdf"  # type: ignore[index]
    assert "Objet : Point d'étape propreté" in str(held["DESCRIPTION"])  # type: ignore[index]
    assert str(events["copil-2026@gusp"]["SUMMARY"]) == "Comité de pilotage"  # type: ignore[index]
    assert "CEN-002@gusp" not in events  # done: no deadline to show
    assert "CEN-003@gusp" not in events  # no échéance
