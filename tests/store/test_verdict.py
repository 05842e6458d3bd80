"""The cached verdict of the cross-record rules: reused only when it is exactly what the rules say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import error, warning
from gusp_cli.model.source import SourcePos
from gusp_cli.store import checking
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.loader import load
from gusp_cli.store.verdict import Horizon, decode, encode

D = dt.date(2024, 7, 15)



@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The reference dates the charter-wide rules are run with, in order (every load that does not
    take a whole verdict runs them)."""
    calls: list[object] = []
    real = checking.charter_wide

    def charter_wide(charter: Charter, as_of: dt.date | None) -> object:
        calls.append(as_of)
        return real(charter, as_of)

    monkeypatch.setattr(checking, "charter_wide", charter_wide)
    return calls


# --------------------------------------------------------------------------- the horizon


def test_a_date_after_the_horizon_is_false_and_bounds_it() -> None:
    horizon = Horizon()
    assert not horizon < D and horizon.bound == D and horizon.exact
    assert not dt.date(2020, 1, 1) > horizon and horizon.bound == D  # the bound only grows


@pytest.mark.parametrize(("compare", "result", "bound"), [
    (lambda x, h: x > h, False, D),
    (lambda x, h: x >= h, False, D + dt.timedelta(days=1)),
    (lambda x, h: x < h, True, D + dt.timedelta(days=1)),
    (lambda x, h: x <= h, True, D),
    (lambda x, h: x == h, False, D + dt.timedelta(days=1)),
    (lambda x, h: max(x, h) is h, True, D + dt.timedelta(days=1)),
])
def test_each_comparison_holds_for_every_date_from_its_bound(compare, result, bound) -> None:  # type: ignore[no-untyped-def]
    horizon = Horizon()
    assert compare(D, horizon) is result and horizon.bound == bound and horizon.exact
    for day in (bound, bound + dt.timedelta(days=1), dt.date(9000, 1, 1)):
        assert compare(D, day) is result  # a real reference date from the bound on agrees
    assert compare(D, bound - dt.timedelta(days=1)) is not result  # and the day before does not


@pytest.mark.parametrize("use", [str, repr, lambda h: f"{h}", lambda h: h.isoformat(), lambda h: h.year,
                                 lambda h: h - D, lambda h: D - h, lambda h: h.toordinal(), hash])
def test_any_other_use_makes_the_verdict_uncacheable(use) -> None:  # type: ignore[no-untyped-def]
    horizon = Horizon()
    use(horizon)
    assert not horizon.exact


def test_problems_round_trip_with_their_positions(tmp_path: Path) -> None:
    path = tmp_path / "charter-data" / "quartiers" / "a.yaml"
    problems = [error("r1", "message", path, ("tableaux", 0, "actions", 2), pos=SourcePos(path, 3, 9)),
                warning("r2", "autre", None), error("r3", "clé", path, ("x",), key=True)]
    again = decode(encode(problems, tmp_path), tmp_path)
    assert again == problems


# --------------------------------------------------------------------------- in the loader


def test_the_second_load_reuses_the_verdict(store: ParseCache, base_charter: Path,
                                            counted: list[object]) -> None:
    first = load(base_charter, today=dt.date(2026, 11, 25))
    second = load(base_charter, today=dt.date(2026, 11, 25))
    later = load(base_charter, today=dt.date(2027, 3, 1))
    assert len(counted) == 1 and isinstance(counted[0], Horizon)
    assert first.checks.ran == ["charte", "centre"] and second.checks.ran == later.checks.ran == []
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]
    assert [p.format() for p in later.problems] == [p.format() for p in first.problems]
    assert all(p.pos is not None for p in second.problems)


def test_a_reference_date_before_a_recorded_date_runs_the_rules_again(
        store: ParseCache, base_charter: Path, counted: list[object]) -> None:
    assert load(base_charter, today=dt.date(2026, 11, 25)).ok
    early = load(base_charter, today=dt.date(2024, 7, 1))  # before the follow-up of 15 July 2024
    assert early.checks.ran == ["centre"]  # the quartier that holds it, against that date
    assert {p.rule for p in early.errors} == {"date_future"}
    bound = load(base_charter, today=dt.date(2024, 7, 15))  # the bound itself: cached verdict holds
    assert bound.ok and bound.checks.ran == [] and len(counted) == 1


def test_an_edited_file_gets_a_new_verdict(store: ParseCache, base_charter: Path,
                                           counted: list[object]) -> None:
    load(base_charter, today=dt.date(2026, 11, 25))
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: CEN-004", "id: CEN-001"), encoding="utf-8")
    charter = load(base_charter, today=dt.date(2026, 11, 25))
    assert len(counted) == 2 and "id_duplique" in {p.rule for p in charter.errors}


def test_without_a_reference_date_the_verdict_is_kept_apart(store: ParseCache, base_charter: Path,
                                                            counted: list[object]) -> None:
    dated = load(base_charter, today=dt.date(2026, 11, 25))
    undated = load(base_charter)
    load(base_charter)
    assert counted == [counted[0], None] and [p.format() for p in undated.problems] == [
        p.format() for p in dated.problems]


def test_a_charter_with_errors_runs_the_charter_wide_rules_every_time(
        store: ParseCache, base_charter: Path, counted: list[object]) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("numero: 1\n", "numero: zero\n", 1),
                    encoding="utf-8")
    first = load(base_charter, today=dt.date(2026, 11, 25))
    second = load(base_charter, today=dt.date(2026, 11, 25))
    assert len(counted) == 2 and not second.ok  # no verdict kept: it holds for a valid charter only
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]
