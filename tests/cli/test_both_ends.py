"""``gusp overdue`` on two cores: the same text as one process, whatever the runs, the helper and
which of the two does each run."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from gusp_cli.cli import both_ends, cmd_query
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
    """The command's (code, stdout, stderr) in one process, then cut into runs from one action on."""
    monkeypatch.setattr(both_ends, "MIN_ACTIONS", 10**9)
    alone = gusp(*args)
    monkeypatch.setattr(both_ends, "MIN_ACTIONS", 1)
    return alone, gusp(*args)


@pytest.mark.parametrize("args", [
    ("overdue", "--as-of", "2026-11-25"),
    ("overdue", "--as-of", "2026-11-25", "--responsable", "ville"),
    ("overdue", "--as-of", "2031-06-30", "--phase", "chantier"),
    ("overdue", "--as-of", "2016-06-01"),  # nothing late yet
])
def test_overdue_on_two_cores_prints_what_one_process_prints(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                          started: list[bool], args: tuple[str, ...]) -> None:
    alone, cut = _both_ways(gusp, monkeypatch, *args)
    assert cut == alone
    assert alone[0] == 0 and alone[1]
    assert started == [True]  # cut once, and the runs aside came back


def test_one_quartier_is_not_cut_and_the_charter_is_loaded_once(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                                 started: list[bool]) -> None:
    loads: list[object] = []
    real = cmd_query.load_view
    monkeypatch.setattr(cmd_query, "load_view", lambda *args: loads.append(args) or real(*args))
    alone, cut = _both_ways(gusp, monkeypatch, "overdue", "--as-of", "2026-11-25", "--quartier", "avion")
    assert cut == alone
    assert started == []
    assert len(loads) == 2  # once per run


def test_the_runs_of_a_failed_process_aside_are_done_here(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                          started: list[bool]) -> None:
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


def test_a_busy_second_core_leaves_every_run_to_this_process(gusp: Run,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The process aside starts only once this one has taken every run: it finds them all marked."""
    aside_did: list[dict[int, Any]] = []

    def late(work: Callable[[], Any]) -> Any:
        return SimpleNamespace(result=lambda: (True, aside_did.append(work()) or aside_did[-1]))

    monkeypatch.setattr(aside, "run_aside", late)
    alone, cut = _both_ways(gusp, monkeypatch, "overdue", "--as-of", "2026-11-25")
    assert cut == alone
    assert aside_did == [{}]


def test_a_failure_in_this_process_leaves_no_process_aside_nor_descriptor(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(both_ends, "MIN_ACTIONS", 1)
    here = os.getpid()

    def fails_here(run: Selection) -> int:
        if os.getpid() == here:
            raise RuntimeError("panne ici")
        return len(run.quartiers)

    charter = _charter(*[(f"q{i:02}", 100) for i in range(8)])
    open_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(RuntimeError, match="panne ici"):
        both_ends.from_both_ends(charter, Selection(quartiers={f"q{i:02}" for i in range(8)}), fails_here)
    aside.reap(wait=True)
    assert aside._ENDING == []
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_each_end_takes_runs_until_it_meets_the_other() -> None:
    cut: list[Any] = list("abcdef")
    marks = bytearray(6)
    marks[4] = 2  # the process aside took e (and f before it)
    assert both_ends.taken(cut, marks, str.upper) == {0: "A", 1: "B", 2: "C", 3: "D"}
    assert bytes(marks) == b"\x01\x01\x01\x01\x02\x00"
    marks = bytearray(b"\x01\x01\x00\x00\x00\x00")
    assert both_ends.taken(cut, marks, str.upper, reverse=True) == {5: "F", 4: "E", 3: "D", 2: "C"}


def test_a_run_both_ends_did_is_kept_once_and_a_missing_one_is_done() -> None:
    cut: list[Any] = list("abcd")
    mine = {0: "A", 1: "B"}
    theirs = {1: "b (aside)", 3: "D"}
    assert both_ends.assembled(cut, mine, theirs, str.upper) == ["A", "B", "C", "D"]


def _charter(*quartiers: tuple[str, int]) -> Any:
    return SimpleNamespace(quartiers=[SimpleNamespace(id=q) for q, _ in quartiers], counts=dict(quartiers))


@pytest.mark.parametrize(("quartiers", "chosen", "count", "expected"), [
    ([("a", 100), ("b", 100), ("c", 100), ("d", 100)], "abcd", 2, ["ab", "cd"]),
    ([("a", 100), ("b", 100), ("c", 100), ("d", 100)], "abcd", 32, ["a", "b", "c", "d"]),
    ([("a", 1000), ("b", 10), ("c", 10)], "abc", 2, ["a", "bc"]),
    ([("a", 10), ("b", 10), ("c", 1000)], "abc", 2, ["ab", "c"]),
    ([("a", 100), ("b", 100), ("c", 100), ("d", 100)], "dab", 2, ["a", "bd"]),  # the charter's order
    ([(f"q{i:02}", 100) for i in range(12)], "", 3, [[f"q{i:02}" for i in range(k, k + 4)]
                                                     for k in (0, 4, 8)]),
])
def test_runs_are_consecutive_quartiers_of_about_as_many_actions(
    monkeypatch: pytest.MonkeyPatch, quartiers: Any, chosen: str, count: int, expected: list[Any]) -> None:
    monkeypatch.setattr(both_ends, "MIN_ACTIONS", 1)
    ids = set(chosen) or {q for q, _ in quartiers}
    cut = both_ends.runs(_charter(*quartiers), Selection(quartiers=ids, phase="chantier"), count)
    assert cut is not None
    assert [run.quartiers for run in cut] == [set(run) for run in expected]
    assert {run.phase for run in cut} == {"chantier"}
@pytest.mark.parametrize(("quartiers", "chosen"), [
    ([("a", 5000), ("b", 4999)], "ab"),  # fewer than MIN_ACTIONS
    ([("a", 50_000), ("b", 50_000)], "a"),  # one quartier
    ([("a", 50_000), ("b", 50_000), ("a", 50_000)], "ab"),  # an id used twice
])
def test_what_is_not_cut(quartiers: Any, chosen: str) -> None:
    assert both_ends.runs(_charter(*quartiers), Selection(quartiers=set(chosen))) is None


def test_joined_adds_counts_and_puts_texts_end_to_end() -> None:
    runs = [(1, 2, "ab", b"x"), (3, 4, "cd", b"y"), (0, 1, "", b"")]
    assert both_ends.joined(runs) == (4, 7, "abcd", b"xy")


_PIPED = ("import sys; from gusp_cli.cli import both_ends; from gusp_cli.store import aside; "
          "aside.cores = lambda: 2; both_ends.MIN_ACTIONS = int(sys.argv[1]); "
          "from gusp_cli.cli.entry import main; sys.argv[1:] = sys.argv[2:]; main()")


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1", "utf-8-sig", "utf-16"])
def test_a_piped_overdue_writes_the_same_bytes_on_two_cores_whatever_the_encoding(encoding: str) -> None:
    """In a process of its own, stdout a real pipe: the runs' bytes, encoded as the stream encodes
    (« é » replaced in ASCII, kept in Latin-1), then the closing lines, in that order; a codec that
    writes a byte-order mark writes one at most, at the start, as one process does."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding, "GUSP_NO_CACHE": "1"}
    outputs = [subprocess.run([sys.executable, "-c", _PIPED, minimum, "overdue", "--as-of", "2026-11-25"],
                              cwd=CALL, env=env, capture_output=True, check=True).stdout
               for minimum in (str(10**9), "1")]
    assert outputs[0] == outputs[1]
    text = outputs[1].decode(encoding, errors="replace").removeprefix("\ufeff")
    assert text.count("\n\n") >= 3 and "actions en retard sur" in text and "\ufeff" not in text
    assert ("?" if encoding == "ascii" else "é") in text
