"""Shared fixtures: the project root, the pinned CALL charter and the small cases, a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from gusp_cli.store.cache import ParseCache

# Property tests explore new random inputs on every local run; under CI they are derandomized so that
# a run is reproducible (a failure found locally is replayed by its printed blob).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
CALL = CASES / "call"
"""The CALL charter as signed, pinned for the tests (``make fixture`` refreshes it from charter-data/)."""
SHARED = ROOT.parent / "shared"
"""The project's read-only shared folder, beside the checkout: the signed charter, the YAML test suite."""


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI's parse cache goes to a private folder, never to the user's ~/.cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(autouse=True)
def _cache_off_after_each_test() -> Iterator[None]:
    """A command run in-process turns the cache on for the rest of the process: turn it off again,
    so that a test of the core loads pydantic models unless it asks for the cache itself."""
    yield
    from gusp_cli.store.cache import activate

    activate(None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ParseCache]:
    """A private cache, turned on for the test (parsed values, validated models, verdicts)."""
    from gusp_cli.store import cache

    parse_cache = ParseCache(tmp_path / "cache")
    cache.activate(parse_cache)
    yield parse_cache
    cache.activate(None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-cases", action="store_true",
                     help="rewrite expected outputs of validation cases and golden files")


@pytest.fixture
def update_cases(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-cases"))


@pytest.fixture
def gusp(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run gusp in-process; return (exit code, stdout, stderr)."""
    from gusp_cli.cli.app import run

    def _run(*args: str) -> tuple[int, str, str]:
        code = run(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


@pytest.fixture
def base_charter(tmp_path: Path) -> Path:
    """A copy of the minimal valid charter repository."""
    target = tmp_path / "depot"
    shutil.copytree(CASES / "base", target)
    return target


@pytest.fixture
def gov(tmp_path: Path) -> Path:
    """The base charter with the governance fixture (bodies, meetings, insertion records)."""
    target = tmp_path / "depot"
    shutil.copytree(CASES / "base", target)
    shutil.copytree(CASES / "gouvernance" / "charter-data", target / "charter-data", dirs_exist_ok=True)
    return target


@pytest.fixture
def embedded_copy(tmp_path: Path) -> Path:
    """A copy of the pinned CALL charter (tests never lean on the live charter-data/)."""
    target = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", target / "charter-data")
    return target


@pytest.fixture
def lived_call(tmp_path: Path) -> Path:
    """The CALL's charter lived for a year, in git (:mod:`tests.lived_charter`)."""
    from tests.lived_charter import build_lived_call

    return build_lived_call(tmp_path)


@pytest.fixture(scope="session")
def convention_charter():  # type: ignore[no-untyped-def]
    """The second test charter (Rivebelle Métropole, ``tests/cases/convention``), loaded at the
    tests' today."""
    import datetime as dt

    from gusp_cli.store.loader import load

    charter = load(CASES / "convention", today=dt.date(2026, 11, 25))
    assert charter.ok, [p.format() for p in charter.errors]
    return charter


@pytest.fixture(autouse=True)
def _today_is_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' today is 25 November 2026 (``GUSP_TODAY``): the rules on future dates and the
    default ``--as-of`` never depend on the day the suite runs."""
    monkeypatch.setenv("GUSP_TODAY", "2026-11-25")


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gusp built as users get it: a wheel and an sdist (``python -m build``, offline: no isolation)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    """The built wheel."""
    [built] = dist.glob("gusp_cli-*-py3-none-any.whl")
    return built


@pytest.fixture(scope="session")
def fresh_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with pip and the built wheel installed; returns its ``bin`` folder.

    Its dependencies come from the package index (or pip's cache), as for a user. The venv is made
    without pip, then this environment's pip installs pip and the wheel into it (half the time).
    """
    import subprocess
    import sys

    venv = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                           "--disable-pip-version-check", "pip", str(wheel)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.fixture
def tfpb_copy(embedded_copy: Path) -> Path:
    """A copy of the pinned CALL charter with the TFPB programmes of test (``tests/cases/tfpb``):
    Pas-de-Calais Habitat 2024 and 2025, Maisons et Cités 2025; lines linked to AVI-005 and LEN-005."""
    shutil.copy(CASES / "tfpb" / "charter-data" / "tfpb.yaml", embedded_copy / "charter-data" / "tfpb.yaml")
    return embedded_copy


def until_joined_threads_are_gone() -> None:
    """Wait, bounded, until this process runs one thread as the system sees it: a joined thread can
    stay listed in /proc/self/task for a moment after ``join`` returns (seen 4 times in 2,000), and
    no process is forked beside a thread (``store/aside.can_fork``)."""
    import time

    from gusp_cli.store import aside

    for _ in range(500):
        if aside._one_thread():
            return
        time.sleep(0.01)
    pytest.fail("un fil joint est encore listé dans /proc/self/task après 5 s")
