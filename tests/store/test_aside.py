"""A function run in a forked process: its result, or a failure the caller can recover from."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import pytest

from gusp_cli.store import aside
from tests.conftest import until_joined_threads_are_gone


@pytest.fixture(autouse=True, params=["memfd", "pipe"])
def _two_cores(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Two cores, and the result sent through a file in memory or, where there is none, the pipe."""
    monkeypatch.setattr(aside, "cores", lambda: 2)
    if request.param == "pipe":
        monkeypatch.setattr(aside, "_memory_file", lambda: None)


def _outcome(work: Any) -> tuple[bool, Any]:
    started = aside.run_aside(work)
    assert started is not None
    return started.result()


def test_the_result_comes_back_as_plain_values() -> None:
    big = "é" * 300_000  # more than a pipe holds at once
    assert _outcome(lambda: (1, big, [b"x", {"k": None}])) == (True, (1, big, [b"x", {"k": None}]))


def test_the_work_runs_in_another_process() -> None:
    seen: list[int] = []
    assert _outcome(lambda: seen.append(1) or len(seen)) == (True, 1)
    assert seen == []  # the list appended to was the other process's copy


def _exits() -> None:
    raise SystemExit(0)


@pytest.mark.parametrize("work", [lambda: 1 // 0, object, _exits])
def test_a_failure_or_a_result_marshal_cannot_send_is_reported(work: Any) -> None:
    assert _outcome(work) == (False, None)


def test_nothing_is_forked_on_one_core_or_beside_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert aside.run_aside(lambda: 1) is None
    finally:
        release.set()
        thread.join()
    monkeypatch.setattr(aside, "cores", lambda: 1)
    assert aside.run_aside(lambda: 1) is None
    monkeypatch.setattr(aside, "cores", lambda: 2)
    until_joined_threads_are_gone()
    started = aside.run_aside(lambda: 1)
    assert started is not None
    assert started.result() == (True, 1)


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_process_killed_before_its_result_is_a_failure() -> None:
    assert _outcome(_killed) == (False, None)


def test_every_process_aside_is_reaped_once_it_has_ended_and_leaves_no_descriptor_open() -> None:
    open_before = len(os.listdir("/proc/self/fd"))
    pids = []
    for value in range(3):
        started = aside.run_aside(lambda value=value: value)
        assert started is not None
        pids.append(started.pid)
        assert started.result() == (True, value)
    aside.reap(wait=True)
    assert aside._ENDING == []
    for pid in pids:  # no zombie left: each one was waited for already
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_an_abandoned_process_is_killed_reaped_and_leaves_no_descriptor_open() -> None:
    open_before = len(os.listdir("/proc/self/fd"))
    started = aside.run_aside(lambda: signal.pause())
    assert started is not None
    started.abandon()
    started.abandon()  # once only: its number may be another process's by now
    aside.reap(wait=True)
    assert aside._ENDING == []
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, os.WNOHANG)
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_abandoning_after_the_result_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    started = aside.run_aside(lambda: 1)
    assert started is not None
    assert started.result() == (True, 1)
    killed: list[int] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: killed.append(pid))
    started.abandon()
    assert killed == []
