"""``gusp overdue`` on two cores: the same text as one process, whatever the cut and the helper."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from gusp_cli.cli import cmd_query, halves
from gusp_cli.store import aside
from gusp_cli.track.queries import Selection
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    monkeypatch.setattr(aside, "cores", lambda: 2)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each process aside finished (recorded as their results are read)."""
    seen: list[bool] = []
    real = aside.Aside.result

    def result(self: aside.Aside) -> tuple[bool, Any]:
        finished, value = real(self)
        seen.append(finished)
        return finished, value

    monkeypatch.setattr(aside.Aside, "result", result)
    return seen


def _both_ways(gusp: Run, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, Any]:
    """The command's (code, stdout, stderr) in one process, then cut in halves from one action on."""
    monkeypatch.setattr(halves, "MIN_ACTIONS", 10**9)
    alone = gusp(*args)
    monkeypatch.setattr(halves, "MIN_ACTIONS", 1)
    return alone, gusp(*args)


@pytest.mark.parametrize("args", [
    ("overdue", "--as-of", "2026-11-25"),
    ("overdue", "--as-of", "2026-11-25", "--responsable", "ville"),
    ("overdue", "--as-of", "2031-06-30", "--phase", "chantier"),
    ("overdue", "--as-of", "2016-06-01"),  # nothing late yet
])
def test_overdue_in_halves_prints_what_one_process_prints(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                          started: list[bool], args: tuple[str, ...]) -> None:
    alone, cut = _both_ways(gusp, monkeypatch, *args)
    assert cut == alone
    assert alone[0] == 0 and alone[1]
    assert started == [True]  # cut once, and the half aside came back


def test_one_quartier_is_not_cut_and_the_charter_is_loaded_once(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                                 started: list[bool]) -> None:
    loads: list[object] = []
    real = cmd_query.load_view
    monkeypatch.setattr(cmd_query, "load_view", lambda *args: loads.append(args) or real(*args))
    alone, cut = _both_ways(gusp, monkeypatch, "overdue", "--as-of", "2026-11-25", "--quartier", "avion")
    assert cut == alone
    assert started == []
    assert len(loads) == 2  # once per run


def test_a_failed_half_is_done_here(gusp: Run, monkeypatch: pytest.MonkeyPatch, started: list[bool]) -> None:
    real = aside.run_aside

    def failing(work: Callable[[], Any]) -> aside.Aside | None:
        return real(lambda: 1 // 0)

    monkeypatch.setattr(aside, "run_aside", failing)
    alone, cut = _both_ways(gusp, monkeypatch, "overdue", "--as-of", "2026-11-25")
    assert cut == alone
    assert started == [False]


def test_no_fork_no_cut(gusp: Run, monkeypatch: pytest.MonkeyPatch, started: list[bool]) -> None:
    monkeypatch.setattr(aside, "cores", lambda: 1)
    alone, cut = _both_ways(gusp, monkeypatch, "overdue", "--as-of", "2026-11-25")
    assert cut == alone
    assert started == []


def _charter(*quartiers: tuple[str, int]) -> Any:
    return SimpleNamespace(quartiers=[SimpleNamespace(id=q) for q, _ in quartiers], counts=dict(quartiers))


@pytest.mark.parametrize(("quartiers", "chosen", "first", "second"), [
    ([("a", 100), ("b", 100), ("c", 100), ("d", 100)], "abcd", {"a", "b"}, {"c", "d"}),
    ([("a", 1000), ("b", 10), ("c", 10)], "abc", {"a"}, {"b", "c"}),
    ([("a", 10), ("b", 10), ("c", 1000)], "abc", {"a", "b"}, {"c"}),
    ([("a", 100), ("b", 100), ("c", 100), ("d", 100)], "dab", {"a"}, {"b", "d"}),  # the charter's order
])
def test_halves_are_runs_of_about_as_many_actions(monkeypatch: pytest.MonkeyPatch, quartiers: Any,
                                                  chosen: str, first: set[str], second: set[str]) -> None:
    monkeypatch.setattr(halves, "MIN_ACTIONS", 1)
    cut = halves.halves(_charter(*quartiers), Selection(quartiers=set(chosen), phase="chantier"))
    assert cut is not None
    assert (cut[0].quartiers, cut[1].quartiers) == (first, second)
    assert cut[0].phase == cut[1].phase == "chantier"


@pytest.mark.parametrize(("quartiers", "chosen"), [
    ([("a", 5000), ("b", 4999)], "ab"),  # fewer than MIN_ACTIONS
    ([("a", 50_000), ("b", 50_000)], "a"),  # one quartier
    ([("a", 50_000), ("b", 50_000), ("a", 50_000)], "ab"),  # an id used twice
])
def test_what_is_not_cut(quartiers: Any, chosen: str) -> None:
    assert halves.halves(_charter(*quartiers), Selection(quartiers=set(chosen))) is None


def test_joined_adds_counts_and_puts_texts_end_to_end() -> None:
    assert halves.joined([(1, 2, "ab"), (3, 4, "cd")]) == (4, 6, "abcd")
