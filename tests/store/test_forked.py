"""The forked helper of a cold load: the same charter and problems as a load without it."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.charter import Charter
from gusp_cli.store import aside, cache, checking, forked, loader, plainyaml
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.known import Known
from gusp_cli.store.sources import Sources
from tests.conftest import ROOT, until_joined_threads_are_gone

TODAY = dt.date(2026, 11, 25)
QUARTIERS = 12
_FIRST_OF_THE_HELPER = QUARTIERS - QUARTIERS * forked.HELPER_SHARE // 100 + 1
"""The number of the first quartier the helper reads (q008: the files changed below are its)."""


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A generated charter of 12 quartiers; in the helper's half, a file that does not parse, an
    action that does not validate (left out) and a quartier whose id is not its file's name."""
    target = tmp_path / "synth"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(target), "--quartiers",
                    str(QUARTIERS), "--actions", "12"], capture_output=True, text=True, check=True)
    folder = target / "charter-data" / "quartiers"
    _replace(folder / "q008.yaml", "tableaux:", "tableaux:\n\t- titre: x")
    _replace(folder / "q010.yaml", "numero: 1\n", "numero: un\n")
    _replace(folder / "q012.yaml", "id: q012\n", "id: q099\n")
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper starts from two files on, whatever the cores of the machine running the tests."""
    monkeypatch.setattr(forked, "MIN_FILES", 2)
    monkeypatch.setattr(aside, "cores", lambda: 2)


def _facts(charter: Charter) -> list[tuple[Any, ...]]:
    """Every problem with its position, the actions left out, and each quartier's actions."""
    problems = [(p.severity.value, p.rule, p.message, str(p.path), p.yaml_path, p.key,
                 (p.pos.line, p.pos.col) if p.pos is not None else None) for p in charter.problems]
    actions = [(q.id, [(a.id, a.statut, a.echeance) for t in q.tableaux for a in t.actions])
               for q in charter.quartiers]
    return [problems, sorted((str(d.file), d.yaml_path, d.action_id) for d in charter.dropped), actions]


def _reference(root: Path) -> Charter:
    """The charter loaded without the cache, hence without a helper."""
    saved = cache.active()
    cache.activate(None)
    try:
        return loader.load(root, today=TODAY)
    finally:
        cache.activate(saved)


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Count, in this process only, the files parsed and the files read again for a position."""
    seen: dict[str, list[str]] = {"parsed": [], "located": []}
    parse, read_text = loader.read_values, plainyaml.read_text

    def counted_parse(raw: bytes, path: Path) -> Any:
        seen["parsed"].append(path.stem)
        return parse(raw, path)

    def counted_read(path: Path) -> Any:
        seen["located"].append(path.stem)
        return read_text(path)

    monkeypatch.setattr(loader, "read_values", counted_parse)
    monkeypatch.setattr(plainyaml, "read_text", counted_read)
    return seen


def test_a_cold_load_with_the_helper_is_the_load_without_it(store: ParseCache, forking: None, many: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _facts(_reference(many))
    assert {p[1] for p in expected[0]} >= {"yaml_syntaxe", "schema", "quartier_id", "echeance_absente"}
    seen = _counting(monkeypatch)
    cold = loader.load(many, today=TODAY)
    assert _facts(cold) == expected
    mine = [f"q{n:03d}" for n in range(1, _FIRST_OF_THE_HELPER)]
    # the helper read the other half; the files it could not keep are read here, and reported (q012
    # validates: the error of its id, found here, is located by the helper's positions)
    assert seen["parsed"] == ["charte", "acteurs", *mine, "q008", "q010"]
    assert seen["located"] == []  # the helper's positions locate the problems of its files
    # the per-quartier rules ran on each side while the helper read (q010 lost an action: after)
    assert cold.checks is not None and cold.checks.ran == ["charte", "q010"]
    assert _facts(loader.load(many, today=TODAY)) == expected  # warm, from what the helper kept


def test_the_helper_checks_its_quartiers_with_the_signalements(store: ParseCache, forking: None, many: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    data = many / "charter-data"
    (data / "signalements.yaml").write_text(
        "signalements:\n  - id: SIG-2026-0001\n    date: 2026-03-02\n    quartier: q011\n"
        "    lieu: rue de la Gare\n    theme: propreté\n    description: Dépôt sauvage\n"
        "    source: habitant\n    etat: ouvert\n", encoding="utf-8")
    quartier = data / "quartiers" / "q011.yaml"
    text = quartier.read_text(encoding="utf-8")
    first, second = re.findall(r"^      - id: \S+\n", text, flags=re.M)[:2]
    text = text.replace(first, first + "        signalements: [SIG-2026-0001]\n", 1)  # it names no action
    quartier.write_text(text.replace(second, second + "        signalements: [SIG-2026-0002]\n", 1),
                        encoding="utf-8")  # unknown
    expected = _facts(_reference(many))
    assert {"lien_signalement", "signalement_inconnu"} <= {p[1] for p in expected[0]}
    cold = loader.load(many, today=TODAY)
    assert _facts(cold) == expected
    assert cold.checks is not None and "q011" not in cold.checks.ran


def test_without_a_valid_context_the_rules_run_after_the_reading(store: ParseCache, forking: None,
                                                                   many: Path) -> None:
    (many / "charter-data" / "signalements.yaml").write_text("signalements:\n  - id: [\n", encoding="utf-8")
    expected = _facts(_reference(many))
    cold = loader.load(many, today=TODAY)
    assert _facts(cold) == expected
    assert cold.checks is not None and len(cold.checks.ran) == 1 + len(cold.quartiers)


def test_a_helper_whose_rules_fail_leaves_them_to_the_load(store: ParseCache, forking: None, many: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    parent, parts_as_stored = os.getpid(), checking.parts_as_stored

    def broken(*args: Any) -> Any:
        if os.getpid() != parent:  # in the helper only
            raise RuntimeError("rules")
        return parts_as_stored(*args)

    monkeypatch.setattr(checking, "parts_as_stored", broken)
    expected = _facts(_reference(many))
    cold = loader.load(many, today=TODAY)
    assert _facts(cold) == expected
    assert cold.checks is not None and "q011" in cold.checks.ran


def test_a_helper_that_fails_leaves_its_files_to_the_load(store: ParseCache, forking: None, many: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("helper")

    monkeypatch.setattr(forked, "_read_all", broken)
    expected = _facts(_reference(many))
    seen = _counting(monkeypatch)
    assert _facts(loader.load(many, today=TODAY)) == expected
    assert len(seen["parsed"]) == 2 + QUARTIERS


def test_an_interrupted_load_leaves_no_helper_behind(store: ParseCache, forking: None, many: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A ^C (or an error) while the load reads its own files: the helper is killed and reaped, its
    descriptors closed, and the interruption goes on."""
    parse = loader.read_values
    here = os.getpid()

    def interrupted(raw: bytes, path: Path) -> Any:
        if os.getpid() == here and path.stem == "q002":
            raise KeyboardInterrupt
        return parse(raw, path)

    monkeypatch.setattr(loader, "read_values", interrupted)
    started: list[aside.Aside] = []
    real = aside.run_aside
    monkeypatch.setattr(aside, "run_aside", lambda work: started.append(real(work)) or started[-1])
    open_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt):
        loader.load(many, today=TODAY)
    assert len(started) == 1 and started[0] is not None
    aside.reap(wait=True)
    assert aside._ENDING == []
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0].pid, os.WNOHANG)
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_no_helper_without_a_reason(store: ParseCache, forking: None, many: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted((many / "charter-data" / "quartiers").glob("*.yaml"))

    def helper(sources: Sources, cache_in_use: ParseCache | None = store, files: list[Path] = paths) -> Any:
        return forked.start(Known(cache_in_use, sources, None), files, "Quartier")

    assert helper(Sources(many), None) is None  # no cache: nothing to share
    assert helper(Sources(many), files=paths[:1]) is None  # too few files
    started = threading.Event()
    stop = threading.Event()

    def waiting() -> None:
        started.set()
        stop.wait(5)

    thread = threading.Thread(target=waiting)
    thread.start()
    started.wait(5)
    try:
        assert helper(Sources(many)) is None  # a thread running: no fork
    finally:
        stop.set()
        thread.join()
    until_joined_threads_are_gone()
    monkeypatch.setattr(aside, "cores", lambda: 1)
    assert helper(Sources(many)) is None  # one core
    monkeypatch.setattr(aside, "cores", lambda: 2)
    started_helper = helper(Sources(many))
    assert started_helper is not None and started_helper.first.stem == f"q{_FIRST_OF_THE_HELPER:03d}"
    assert len(started_helper.join()) == len(started_helper.paths) - 2  # q008 and q010 not kept


def test_the_helper_leaves_alone_the_files_the_cache_knows(store: ParseCache, forking: None,
                                                           many: Path) -> None:
    loader.load(many, today=TODAY)
    paths = sorted((many / "charter-data" / "quartiers").glob("*.yaml"))
    for path in paths:  # a checkout, a restored cache: the index no longer vouches for them
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    helper = forked.start(Known(store, Sources(many), None), paths, "Quartier")
    assert helper is not None and len(helper.paths) == len(paths) // 2
    assert helper.join() == {}  # nothing read again: the loader takes their models from the cache


def test_a_git_revision_held_in_memory_is_read_on_two_cores_unless_the_cache_knows_it(
        store: ParseCache, forking: None, many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {path: path.read_bytes() for path in (many / "charter-data").rglob("*.yaml")}
    quartiers = sorted(p for p in texts if p.parent.name == "quartiers")
    helper = forked.start(Known(store, Sources(many, texts), None), quartiers, "Quartier")
    assert helper is not None and len(helper.paths) == len(quartiers) // 2
    helper.join()
    expected = _facts(_reference(many))
    assert _facts(loader.load(many, today=TODAY, texts=texts)) == expected  # a diff's side, cold
    again = Known(store, Sources(many, texts), None)
    monkeypatch.setattr(forked, "MIN_FILES", 3)
    assert forked.start(again, quartiers, "Quartier") is None  # the other side: known but two files
    assert again.read(quartiers[0])[1] == store.key(texts[quartiers[0]])  # its hash worked out once
