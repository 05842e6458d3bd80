"""Governance: rhythm periods, planned and recorded meetings, late bodies, ``gusp calendar``."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.governance.calendar import (
    A_TENIR,
    NON_TENUE,
    PREVUE,
    PROGRAMMEE,
    TENUE,
    body_status,
    body_statuses,
    calendar,
    planned_date,
)
from gusp_cli.model.models import Frequence
from gusp_cli.model.rhythm import add_months, period_of, periods
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
D = dt.date




def _last_weekday_of_month(year: int, month: int) -> dt.date:
    """Independent computation of the planning rule's date."""
    day = D(year, month, cal.monthrange(year, month)[1])
    while day.isoweekday() > 5:
        day = D.fromordinal(day.toordinal() - 1)
    return day


# --------------------------------------------------------------------------- periods


def test_period_keys_labels_and_bounds() -> None:
    quarter = period_of(Frequence.trimestrielle, D(2026, 5, 10))
    assert (quarter.key, quarter.label, quarter.start, quarter.end) == (
        "2026-T2", "2e trimestre 2026", D(2026, 4, 1), D(2026, 6, 30))
    two = period_of(Frequence.bimestrielle, D(2026, 12, 31))
    assert (two.key, two.label, two.end) == ("2026-B6", "novembre–décembre 2026", D(2026, 12, 31))
    assert period_of(Frequence.annuelle, D(2026, 7, 1)).key == "2026"
    assert period_of(Frequence.semestrielle, D(2026, 7, 1)).label == "2e semestre 2026"
    month = period_of(Frequence.mensuelle, D(2026, 2, 14))
    assert (month.key, month.label, month.end) == ("2026-02", "février 2026", D(2026, 2, 28))
    assert period_of(Frequence.trimestrielle, D(2026, 1, 1)).label == "1er trimestre 2026"


def test_periods_cover_the_range_and_chain() -> None:
    found = periods(Frequence.trimestrielle, D(2025, 11, 3), D(2026, 4, 1))
    assert [p.key for p in found] == ["2025-T4", "2026-T1", "2026-T2"]
    assert found[0].next() == found[1]


def test_add_months_clamps_the_day() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)


def test_planned_date_is_the_last_working_day_of_the_first_month() -> None:
    # 31 January 2026 is a Saturday: the planned date moves back to Friday 30.
    assert D(2026, 1, 31).isoweekday() == 6
    assert planned_date(period_of(Frequence.trimestrielle, D(2026, 2, 1))) == D(2026, 1, 30)
    for month in range(1, 13):
        period = period_of(Frequence.mensuelle, D(2026, month, 1))
        assert planned_date(period) == _last_weekday_of_month(2026, month)


# --------------------------------------------------------------------------- embedded charter


def test_calendar_2026_on_the_embedded_charter() -> None:
    charter = load(CALL)
    items = calendar(charter, D(2026, 1, 1), D(2026, 12, 31), D(2026, 1, 1))
    by_body: dict[str, list[dt.date]] = {}
    for item in items:
        by_body.setdefault(item.instance.id, []).append(item.date)
        assert item.planned and item.kind == PREVUE
    assert by_body == {
        "copil": [_last_weekday_of_month(2026, 1)],
        "comite_technique": [_last_weekday_of_month(2026, m) for m in (1, 4, 7, 10)],
        "comite_de_proximite": [_last_weekday_of_month(2026, m) for m in range(1, 13)],
        "groupes_de_travail": [_last_weekday_of_month(2026, m) for m in (1, 3, 5, 7, 9, 11)],
    }
    uids = [i.uid for i in items]
    assert len(set(uids)) == len(uids) == 23
    assert "copil-2026" in uids and "comite_technique-2026-T3" in uids


def test_every_embedded_body_is_late_with_no_meeting_recorded() -> None:
    charter = load(CALL)
    statuses = body_statuses(charter, D(2026, 1, 15))
    assert [s.instance.id for s in statuses] == ["copil", "comite_technique", "comite_de_proximite",
                                                 "groupes_de_travail"]
    assert all(s.en_retard and s.derniere is None and s.reference == D(2019, 1, 1) for s in statuses)
    # 2019-01 to 2025-12 ended: 7 years, 28 quarters, 84 months, 42 two-month periods.
    assert [s.periodes_sans_reunion for s in statuses] == [7, 28, 84, 42]


def test_gusp_calendar_2026_embedded(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp("calendar", "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-01-15")
    assert code == 0, err
    assert out.startswith("Gouvernance du 1er janvier 2026 au 31 décembre 2026")
    assert "23 réunions : 0 enregistrée, 23 tirées du rythme" in out
    assert "Instances au 15 janvier 2026 : 4 en retard sur 4" in out
    late = [line for line in out.splitlines() if line.startswith("  EN RETARD")]
    assert len(late) == 4
    assert all("aucune réunion enregistrée depuis le début de la charte (1er janvier 2019)" in line
               for line in late)
    assert "Aucune réunion enregistrée dans la charte" in out
    assert out.count("2e trimestre 2026") == 1


# --------------------------------------------------------------------------- recorded meetings


def test_recorded_meetings_replace_the_planned_slot_and_keep_its_uid(gov: Path) -> None:
    charter = load(gov, today=D(2026, 11, 25))
    assert charter.ok, [p.format() for p in charter.errors]
    items = calendar(charter, D(2026, 1, 1), D(2026, 12, 31), D(2026, 11, 25))
    technical = [i for i in items if i.instance.id == "comite_technique"]
    assert [(i.date, i.kind) for i in technical] == [
        (D(2026, 1, 20), TENUE), (D(2026, 4, 30), NON_TENUE), (D(2026, 7, 31), NON_TENUE),
        (D(2026, 10, 15), TENUE)]
    assert technical[0].uid == "comite_technique-2026-T1" and technical[0].reunion is not None
    copil = [i for i in items if i.instance.id == "copil"]
    assert [(i.date, i.kind, i.uid) for i in copil] == [(D(2026, 12, 10), PROGRAMMEE, "copil-2026")]
    charter.reunions = []
    again = [i for i in calendar(charter, D(2026, 1, 1), D(2026, 3, 31), D(2026, 11, 25))
             if i.instance.id == "comite_technique"]
    assert [(i.uid, i.planned) for i in again] == [("comite_technique-2026-T1", True)]


def test_second_meeting_of_a_period_gets_a_numbered_uid(gov: Path) -> None:
    charter = load(gov)
    extra = charter.reunions[2].model_copy(update={"date": D(2026, 2, 3)})
    charter.reunions.append(extra)
    items = [i for i in calendar(charter, D(2026, 1, 1), D(2026, 3, 31), D(2026, 11, 25))
             if i.instance.id == "comite_technique"]
    assert [i.uid for i in items] == ["comite_technique-2026-T1", "comite_technique-2026-T1-2"]


def test_owed_meeting_of_the_current_period(gov: Path) -> None:
    charter = load(gov)
    items = calendar(charter, D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 31))
    proximity = [i for i in items if i.instance.id == "comite_de_proximite"]
    assert [(i.date, i.kind) for i in proximity] == [(D(2026, 1, 30), A_TENIR)]


def test_planning_stays_within_the_charter_period(gov: Path) -> None:
    charter = load(gov)
    items = calendar(charter, D(2030, 12, 1), D(2031, 12, 31), D(2026, 11, 25))
    assert {i.date.year for i in items} == {2030}


def test_late_rule_one_period_plus_tolerance(gov: Path) -> None:
    charter = load(gov)
    technical = next(b for b in charter.charte.instances if b.id == "comite_technique")  # type: ignore[union-attr]
    # Last held 2026-01-20: late after 2026-04-20 + 15 days.
    on_time = body_status(charter, technical, D(2026, 5, 5))
    assert (on_time.en_retard, on_time.limite) == (False, D(2026, 5, 5))
    late = body_status(charter, technical, D(2026, 5, 6))
    assert (late.en_retard, late.jours_de_retard, late.periodes_sans_reunion) == (True, 1, 0)
    assert late.programmee is not None and late.programmee.date == D(2026, 10, 15)


def test_statuses_on_the_fixture(gov: Path) -> None:
    charter = load(gov)
    statuses = {s.instance.id: s for s in body_statuses(charter, D(2026, 11, 25))}
    assert statuses["copil"].en_retard and statuses["copil"].derniere.date == D(2025, 6, 20)  # type: ignore[union-attr]
    assert statuses["copil"].programmee.date == D(2026, 12, 10)  # type: ignore[union-attr]
    assert not statuses["comite_technique"].en_retard
    assert statuses["comite_technique"].limite == D(2027, 1, 30)
    proximity = statuses["comite_de_proximite"]
    # 2020-01 (charter start) to 2026-10: 82 months ended with no meeting.
    assert (proximity.en_retard, proximity.derniere, proximity.periodes_sans_reunion) == (True, None, 82)


def test_gusp_calendar_fixture_output(gov: Path, gusp: Run) -> None:
    code, out, _ = gusp("calendar", "-C", str(gov), "--as-of", "2026-11-25")
    assert code == 0
    assert "Instances au 25 novembre 2026 : 2 en retard sur 3" in out
    assert ("EN RETARD  Comité de pilotage (annuelle) : dernière réunion le 20 juin 2025 ; en retard "
            "depuis le 5 juillet 2026 ; prochaine réunion programmée le 10 décembre 2026") in out
    assert ("à jour     Comité technique (trimestrielle) : dernière réunion le 15 octobre 2026 ; prochaine "
            "réunion attendue au plus tard le 30 janvier 2027") in out
    assert "Centre — 1 décision" in out


def test_gusp_calendar_ics(gov: Path, gusp: Run, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    target = tmp_path / "gouvernance.ics"
    code, _, err = gusp("calendar", "-C", str(gov), "--as-of", "2026-11-25", "--format", "ics",
                        "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(target))
    assert code == 0 and "réunions écrites dans" in err
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    # Past slots with no meeting are not calendar events; recorded ones and those ahead are.
    assert "comite_technique-2026-T2@agglo-2020.gusp" not in events
    held = events["comite_technique-2026-T4@agglo-2020.gusp"]
    assert held.decoded("DTSTART") == D(2026, 10, 15) and str(held["STATUS"]) == "CONFIRMED"
    assert "Tour de quartier : nouvelle relance (CEN-001)" in str(held["DESCRIPTION"])
    assert str(events["copil-2026@agglo-2020.gusp"]["STATUS"]) == "CONFIRMED"
    assert str(events["comite_de_proximite-2026-12@agglo-2020.gusp"]["STATUS"]) == "TENTATIVE"


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "2026-13-01"), "--from : date invalide « 2026-13-01 »"),
    (("--from", "2026-06-01", "--to", "2026-01-01"), "--to (2026-01-01) est antérieure à --from"),
    (("--format", "pdf"), "--format : valeur « pdf » inconnue"),
])
def test_calendar_usage_errors(gov: Path, gusp: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = gusp("calendar", "-C", str(gov), *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
