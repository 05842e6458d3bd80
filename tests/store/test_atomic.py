"""Atomic writes: a failure at any step leaves the original intact and no temporary file behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.store.atomic import (
    digest,
    file_lock,
    lock_owner,
    lock_path,
    read_bytes,
    read_regular,
    release_lock,
    take_lock,
    write_atomic,
)

ORIGINAL = b"id: centre\r\nnom: Centre\r\n"
NEW = b"id: centre\nnom: Nouveau\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "centre.yaml"
    path.write_bytes(ORIGINAL)
    path.chmod(0o640)
    return path


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != "centre.yaml")


def test_write_replaces_content_and_keeps_mode(target: Path) -> None:
    write_atomic(target, NEW, expected_digest=digest(ORIGINAL))
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(target.parent) == []


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "fchmod"])
def test_failure_at_each_step_leaves_original_and_no_temp(target: Path, monkeypatch: pytest.MonkeyPatch,
                                                            step: str) -> None:
    monkeypatch.setattr(os, step, _boom)
    with pytest.raises(GuspError) as info:
        write_atomic(target, NEW, expected_digest=digest(ORIGINAL))
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL
    assert _leftovers(target.parent) == []
    assert "disque plein" in info.value.message
    assert "intact" in info.value.message
    assert info.value.exit_code == 1


def test_failing_directory_fsync_after_replace_is_not_fatal(target: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fsync
    calls: list[int] = []

    def second_fails(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.EINVAL, "Invalid argument")
        real(fd)

    monkeypatch.setattr(os, "fsync", second_fails)
    write_atomic(target, NEW)
    assert len(calls) == 2
    assert target.read_bytes() == NEW


def test_stale_file_is_refused(target: Path) -> None:
    seen = digest(read_bytes(target))
    target.write_bytes(b"id: centre\nnom: sauve par un editeur\n")
    with pytest.raises(GuspError) as info:
        write_atomic(target, NEW, expected_digest=seen)
    assert target.read_bytes() == b"id: centre\nnom: sauve par un editeur\n"
    assert "modifié sur le disque" in info.value.message
    assert _leftovers(target.parent) == []


def test_deleted_file_is_stale_too(target: Path) -> None:
    seen = digest(ORIGINAL)
    target.unlink()
    with pytest.raises(GuspError):
        write_atomic(target, NEW, expected_digest=seen)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_symbolic_link_target_is_replaced_link_kept(target: Path) -> None:
    link = target.parent / "lien.yaml"
    link.symlink_to(target.name)
    write_atomic(link, NEW, expected_digest=digest(ORIGINAL))
    assert link.is_symlink()
    assert target.read_bytes() == NEW


def test_lock_is_exclusive_and_released(target: Path) -> None:
    lock = lock_path(target)
    assert lock.name == "centre.yaml.lock"
    with file_lock(target):
        assert lock.exists()
        with pytest.raises(GuspError) as info, file_lock(target, wait=0.05):
            pass  # pragma: no cover - never reached
        assert "centre.yaml.lock existe" in info.value.message
        assert info.value.exit_code == 1
        assert lock.exists(), "a refused attempt must not remove the holder's lock"
    assert not lock.exists()


def test_a_held_lock_is_waited_for_a_bounded_time(target: Path) -> None:
    import threading
    import time

    order: list[str] = []
    with file_lock(target):
        def second() -> None:
            with file_lock(target, wait=5):
                order.append("second")

        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.3)
        order.append("first")
    worker.join(5)
    assert order == ["first", "second"] and not lock_path(target).exists()


def _pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses a lock's wait makes, recorded instead of slept (the wait is their sum, no clock)."""
    import time

    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    return pauses


def test_waiting_for_a_lock_gives_up_and_names_the_holder(target: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = _pauses(monkeypatch)
    with file_lock(target), pytest.raises(GuspError) as info, file_lock(target, wait=0.5):
        pass  # pragma: no cover - never reached
    assert 0.5 <= sum(pauses) < 0.5 + 0.25 and pauses[:2] == [0.01, 0.02]  # 10 ms, doubling, ≤ 250 ms
    assert f"est en cours (processus {os.getpid()})" in info.value.message


def test_gusp_lock_timeout_sets_the_bound(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store.atomic import _wait_seconds

    assert _wait_seconds(None) == 10.0 and _wait_seconds(2) == 2
    monkeypatch.setenv("GUSP_LOCK_TIMEOUT", "0.5")
    assert _wait_seconds(None) == 0.5
    monkeypatch.setenv("GUSP_LOCK_TIMEOUT", "bientôt")
    assert _wait_seconds(None) == 10.0


def test_lock_released_on_error(target: Path) -> None:
    with pytest.raises(RuntimeError), file_lock(target):
        raise RuntimeError("boom")
    assert not lock_path(target).exists()


def test_stale_lock_from_an_interrupted_run_is_reported(target: Path) -> None:
    lock_path(target).write_text("12345\n")
    with pytest.raises(GuspError) as info, file_lock(target, wait=0):
        pass  # pragma: no cover - never reached
    assert "supprimez ce fichier" in info.value.message
    assert lock_path(target).read_text() == "12345\n"


def test_a_lock_whose_process_is_gone_is_refused_at_once(target: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    lock_path(target).write_text(f"{gone}\n{socket.gethostname()}\n")
    pauses = _pauses(monkeypatch)
    with pytest.raises(GuspError) as info, file_lock(target):
        pass  # pragma: no cover - never reached
    assert pauses == []  # no wait at all
    assert "a été interrompue (son processus ne tourne plus)" in info.value.message
    assert f"rm {lock_path(target)}" in info.value.message


def test_a_holder_that_released_its_lock_then_ended_is_waited_for_not_called_stale(
        target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock was read while its holder ran; the holder released it and ended before it was asked
    for: the lock is not stale, and this edit takes it once it is free."""
    import socket
    import subprocess
    import sys

    from gusp_cli.store import atomic

    gone = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)
    lock_path(target).write_text(f"{gone}\n{socket.gethostname()}\n")
    real = atomic.lock_owner

    def released_after_read(lock: Path) -> tuple[int, str] | None:
        owner = real(lock)
        lock.unlink(missing_ok=True)  # the holder releases it right after it was read, then ends
        return owner

    monkeypatch.setattr(atomic, "lock_owner", released_after_read)
    with file_lock(target, wait=5):
        assert lock_path(target).read_text().split()[0] == str(os.getpid())
    assert not lock_path(target).exists()


def test_read_error_is_french(tmp_path: Path) -> None:
    with pytest.raises(GuspError) as info:
        read_bytes(tmp_path / "absent.yaml")
    assert "introuvable" in info.value.message


def test_read_only_file_is_refused_even_for_root(target: Path) -> None:
    target.chmod(0o444)
    with pytest.raises(GuspError) as info:
        write_atomic(target, NEW)
    assert target.read_bytes() == ORIGINAL
    assert info.value.message == (f"{target} est en lecture seule : rien n'a été écrit (rendez-le "
                                  f"modifiable, par exemple chmod u+w {target})")
    assert _leftovers(target.parent) == []


def test_read_only_file_system_is_a_french_error(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(GuspError) as info:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL
    assert "lecture seule" in info.value.message


def test_a_lock_taken_by_hand_names_its_process_until_released(target: Path) -> None:
    import socket

    lock = take_lock(target)
    assert lock_owner(lock) == (os.getpid(), socket.gethostname())
    with pytest.raises(GuspError), file_lock(target, wait=0):
        pass  # pragma: no cover - never reached
    release_lock(lock)
    release_lock(lock)  # already gone: nothing to do
    assert lock_owner(lock) is None and not lock.exists()


def test_read_regular_reads_a_file_and_refuses_a_named_pipe_without_waiting(target: Path) -> None:
    assert read_regular(target) == ORIGINAL
    pipe = target.with_name("tube")
    os.mkfifo(pipe)
    with pytest.raises(OSError) as info:
        read_regular(pipe)
    assert info.value.errno == errno.EINVAL
