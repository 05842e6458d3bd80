"""iCalendar export: RFC 5545 lines, stable UIDs, read back by the ``icalendar`` package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.exchange.ics import Event, escape, fold, render
from gusp_cli.store.loader import load
from tests.conftest import CALL, CASES

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
    expected_actions = {f"{e.id}@call-2019.gusp": e for e in charter.entries
                        if e.is_open and e.due is not None}
    assert {u for u in events if "-" in u and u.split("@")[0][:3].isupper()} == set(expected_actions)
    lens = events["LEN-001@call-2019.gusp"]
    assert lens.decoded("DTSTART") == expected_actions["LEN-001@call-2019.gusp"].due  # type: ignore[attr-defined]
    assert str(lens["SUMMARY"]).startswith("Échéance LEN-001 — Tour de quartier")  # type: ignore[index]
    assert "En retard au 25 novembre 2026" in str(lens["DESCRIPTION"])  # type: ignore[index]
    # Meetings ahead, from the rhythm, until the end of the charter (2030): none before the as-of date.
    meetings = {u: e for u, e in events.items() if u.split("@")[0][:3].islower()}
    assert "copil-2027@call-2019.gusp" in meetings and "copil-2030@call-2019.gusp" in meetings
    assert "copil-2031@call-2019.gusp" not in meetings
    assert "comite_technique-2026-T4@call-2019.gusp" not in meetings  # planned 30 Oct. 2026, never held
    assert "comite_de_proximite-2026-11@call-2019.gusp" in meetings  # planned 30 November 2026: ahead
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


def test_export_ics_responsable_counts_a_party_of_a_role_list(gusp: Run) -> None:
    # Habitat Ouest is the bailleur of Les Tilleuls only through a list of two bailleurs; the
    # commission locale's members are roles (ville, bailleur): it sits there.
    code, out, _ = gusp("export", "--format", "ics", "-C", str(CASES / "convention"), "--as-of", "2026-11-25",
                        "--responsable", "habitat_ouest")
    assert code == 0
    bodies = {u.split("-")[0] for u in _events(out.encode("utf-8")) if u[:3].islower()}
    assert "commission_locale" in bodies and "cellule_veille" not in bodies


def test_export_ics_recorded_meetings(gov: Path, gusp: Run) -> None:
    code, out, _ = gusp("export", "--format", "ics", "-C", str(gov), "--as-of", "2026-11-25")
    assert code == 0
    events = _events(out.encode("utf-8"))
    held = events["comite_technique-2025-T1@agglo-2020.gusp"]
    assert held.decoded("DTSTART") == D(2025, 3, 12)  # type: ignore[attr-defined]
    assert str(held["URL"]) == "https://exemple.org/gusp/cr/2025-03-12.pdf"  # type: ignore[index]
    assert "Objet : Point d'étape propreté" in str(held["DESCRIPTION"])  # type: ignore[index]
    assert str(events["copil-2026@agglo-2020.gusp"]["SUMMARY"]) == "Comité de pilotage"  # type: ignore[index]
    assert "CEN-002@agglo-2020.gusp" not in events  # done: no deadline to show
    assert "CEN-003@agglo-2020.gusp" not in events  # no échéance


def test_two_charters_share_no_uid(gusp: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The CALL's calendar and a new charter's (gusp init): khal, Outlook, Thunderbird keep both.
    from gusp_cli.history.git import first_commit
    from gusp_cli.store.scaffold import create_repository

    other = tmp_path / "autre"
    create_repository(other, annee=2026, commit=first_commit)
    monkeypatch.chdir(CALL)
    call = _events(gusp("export", "--format", "ics", "--as-of", "2026-11-25")[1].encode("utf-8"))
    new = _events(gusp("export", "--format", "ics", "-C", str(other), "--as-of", "2026-11-25")[1].encode())
    assert "copil-2027@call-2019.gusp" in call and "copil-2027@agglo-2026.gusp" in new
    assert call and new and set(call).isdisjoint(new)


def test_a_moved_echeance_updates_the_event_sequence_and_last_modified(
        gusp: Run, embedded_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    first = gusp("export", "--format", "ics", "--as-of", "2026-11-25")[1]
    assert first == gusp("export", "--format", "ics", "--as-of", "2026-11-25")[1]  # stable across runs
    before = _events(first.encode("utf-8"))["LEN-043@call-2019.gusp"]
    assert before["SEQUENCE"] == 0 and "LAST-MODIFIED" not in before  # type: ignore[operator,index]
    assert gusp("amend", "LEN-043", "--echeance", "2027", "--motif", "COPIL", "--date", "2026-03-12")[0] == 0
    again = gusp("export", "--format", "ics", "--as-of", "2026-11-25")[1]
    after = _events(again.encode("utf-8"))["LEN-043@call-2019.gusp"]
    assert after.decoded("DTSTART") == D(2027, 12, 31)  # type: ignore[attr-defined]
    assert after["SEQUENCE"] == 1  # type: ignore[index]
    assert after.decoded("LAST-MODIFIED") == dt.datetime(2026, 3, 12, tzinfo=dt.UTC)  # type: ignore[attr-defined]


def test_timed_meetings_are_in_paris_time_with_a_reminder(gov: Path, gusp: Run) -> None:
    from zoneinfo import ZoneInfo

    meetings = gov / "charter-data" / "reunions.yaml"
    text = meetings.read_text(encoding="utf-8")
    assert text.count("  - date: 2026-10-15\n") == 1
    meetings.write_text(text.replace("  - date: 2026-10-15\n", "  - date: 2026-10-15\n    heure: 14h30\n"
                                     "    heure_fin: \"16:00\"\n"), encoding="utf-8")
    code, out, err = gusp("calendar", "-C", str(gov), "--as-of", "2026-11-25", "--format", "ics", "--from",
                          "2026-01-01", "--to", "2026-12-31", "--rappel", "7j")
    assert code == 0, err
    assert "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" in out
    assert "DTSTART;TZID=Europe/Paris:20261015T143000\r\n" in out
    events = _events(out.encode("utf-8"))
    held = events["comite_technique-2026-T4@agglo-2020.gusp"]
    paris = ZoneInfo("Europe/Paris")
    start, end = held.decoded("DTSTART"), held.decoded("DTEND")  # type: ignore[attr-defined]
    assert start == dt.datetime(2026, 10, 15, 14, 30, tzinfo=paris)
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time
    assert end == dt.datetime(2026, 10, 15, 16, 0, tzinfo=paris)
    assert held["SEQUENCE"] == 1 and events["copil-2026@agglo-2020.gusp"]["SEQUENCE"] == 1  # type: ignore[index]
    [alarm] = held.walk("VALARM")  # type: ignore[attr-defined]
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=7) and str(alarm["ACTION"]) == "DISPLAY"
    assert all(len(e.walk("VALARM")) == 1 for e in events.values())  # type: ignore[attr-defined]
    code, _, err = gusp("calendar", "-C", str(gov), "--format", "ics", "--rappel", "bientôt")
    assert code == 2 and "--rappel : délai « bientôt » invalide (attendu 7j, 2h ou 30min)" in err


def test_a_past_period_says_why_its_planned_meetings_are_not_exported(
        gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp("calendar", "--format", "ics", "--from", "2020-01-01", "--to", "2020-12-31",
                          "--as-of", "2026-11-25")
    assert code == 0 and "BEGIN:VEVENT" not in out
    assert err == ("23 réunions prévues avant le 25 novembre 2026 non exportées : une réunion passée n'entre "
                   "au calendrier que si charter-data/reunions.yaml l'enregistre (date et instance)\n")


@pytest.mark.parametrize(("delay", "trigger"), [("7j", "-P7D"), ("2h", "-PT2H"), ("30min", "-PT30M"),
                                                ("1 jour", "-P1D")])
def test_reminder_triggers(delay: str, trigger: str) -> None:
    from gusp_cli.exchange.ics import trigger as written
    from gusp_cli.french.dates import parse_delay

    assert written(parse_delay(delay)) == trigger
