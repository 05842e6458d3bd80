"""A year and a half of follow-up on a git repository of the charter, then replayed.

Scenario: the project lead records statuses, notes, late reports, amendments, a postponement and an
added action from February 2025 to September 2026, committing each day's work with that day's
date. Replaying today's charter at 30 June 2025, 31 December 2025 and 30 June 2026 (``--as-of``)
must give what gusp gave on that day: the same JSON of every action, the same late actions, the
same responsibilities and the same revue de gestion as a fresh load of the commit of that day.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]

STEPS: list[tuple[str, list[list[str]]]] = [
    ("2025-02-10", [["status", "LEN-001", "en_cours", "--note", "Premier tour de quartier"],
                    ["status", "LEN-023", "en_cours", "--note", "Permanence ouverte le mercredi"]]),
    ("2025-05-20", [["status", "LEN-004", "en_cours", "--date", "2025-05-01", "--note", "CR de l'atelier"],
                    ["status", "LEN-023", "en_cours", "--note", "Permanence tenue"]]),
    ("2025-06-10", [["amend", "LEN-043", "--echeance", "2026", "--motif", "COPIL du 10 juin 2025"],
                    ["status", "AVI-005", "en_cours", "--note", "Équipes El Fouad en place"]]),
    ("2025-09-01", [["status", "LEN-001", "realisee", "--note", "Tours de quartier tenus"],
                    ["status", "LEN-045", "reportee", "--echeance", "2027", "--motif", "COPIL de sept."]]),
    ("2025-11-15", [["amend", "LIE-010", "--responsable", "ville", "--motif", "Avenant de novembre"],
                    ["status", "LEN-023", "en_cours", "--note", "Permanence tenue"]]),
    ("2026-03-01", [["add", "-q", "avion", "-t", "actuelle coeur", "-l", "Opération de nettoyage printanière",
                     "-r", "ville", "--motif", "COPIL de mars"],
                    ["status", "LEN-004", "realisee"]]),
    ("2026-04-01", [["status", "LEN-004", "en_cours", "--date", "2026-02-15",
                     "--note", "CR de février écrit après coup"]]),
    ("2026-09-01", [["amend", "LEN-043", "--echeance", "2027", "--motif", "COPIL de septembre 2026"],
                    ["status", "LEN-023", "en_cours", "--note", "Permanence tenue"]]),
]
CHECKPOINTS = ("2025-06-30", "2025-12-31", "2026-06-30")


def _git(root: Path, *args: str, day: str = "2025-01-02") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_AUTHOR_NAME": "Cheffe de projet", "GIT_AUTHOR_EMAIL": "cp@example.org",
                "GIT_COMMITTER_NAME": "Cheffe de projet", "GIT_COMMITTER_EMAIL": "cp@example.org",
                "GIT_AUTHOR_DATE": f"{day}T18:00:00+01:00", "GIT_COMMITTER_DATE": f"{day}T18:00:00+01:00",
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True,
                          env=env).stdout.strip()


@pytest.fixture(scope="module")
def lived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository after the scenario."""
    from gusp_cli.cli.app import run

    root = tmp_path_factory.mktemp("living") / "charte"
    shutil.copytree(CALL, root)
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Charte signée")
    saved, here = os.environ.get("GUSP_TODAY"), Path.cwd()
    os.chdir(root)
    try:
        for day, commands in STEPS:
            os.environ["GUSP_TODAY"] = day
            for command in commands:
                code = run(command)
                assert code == 0, (day, command)
            _git(root, "add", "-A", day=day)
            _git(root, "commit", "-q", "-m", f"Suivi du {day}", day=day)
    finally:
        os.chdir(here)
        os.environ["GUSP_TODAY"] = saved or "2026-11-25"
    return root


def _at(root: Path, day: str, tmp_path: Path) -> Path:
    """A checkout of the last commit made on or before ``day``."""
    sha = _git(root, "rev-list", "-1", f"--before={day}T23:59:59+01:00", "HEAD")
    target = tmp_path / f"au-{day}"
    _git(root, "worktree", "add", "-q", "--detach", str(target), sha)
    return target


def _outputs(gusp: Run, root: Path, day: str, as_of: list[str]) -> dict[str, str]:
    year = day[:4]
    out = {}
    for name, args in {"actions": ["actions", "--format", "json"], "overdue": ["overdue", "--format", "json"],
                       "who": ["who", "--format", "json"],
                       "revue": ["review", "--year", year, "--format", "md"]}.items():
        code, text, err = gusp(*args, *as_of, "-C", str(root))
        assert code == 0, (name, err)
        out[name] = text
    return out


@pytest.mark.parametrize("day", CHECKPOINTS)
def test_a_replay_gives_the_figures_of_that_day(lived: Path, day: str,
                                               gusp: Run, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = lived
    then = _at(root, day, tmp_path)
    monkeypatch.setenv("GUSP_TODAY", day)
    expected = _outputs(gusp, then, day, [])
    monkeypatch.setenv("GUSP_TODAY", "2026-11-25")
    replayed = _outputs(gusp, root, day, ["--as-of", day])
    for name in expected:
        assert replayed[name] == expected[name], name
    assert json.loads(replayed["overdue"])["actions"], "the replay has late actions to compare"


def _by_id(out: str) -> dict[str, Any]:
    """The actions of a JSON document, by id."""
    return {r["id"]: r for r in json.loads(out)["actions"]}


def test_the_replay_is_not_the_charter_of_today(lived: Path, gusp: Run) -> None:
    root = lived
    today = _by_id(gusp("actions", "--format", "json", "-C", str(root))[1])
    june = _by_id(gusp("actions", "--format", "json", "--as-of", "2025-06-30", "-C", str(root))[1])
    assert (today["LEN-001"]["statut"], june["LEN-001"]["statut"]) == ("realisee", "en_cours")
    assert (today["LEN-043"]["echeance"], june["LEN-043"]["echeance"]) == ("2027", "2026")
    assert today["LEN-045"]["statut"] == "reportee" and june["LEN-045"]["statut"] is None
    assert "AVI-038" in today and "AVI-038" not in june
    assert today["LIE-010"]["responsables"] == ["ville"] and june["LIE-010"]["responsables"] != ["ville"]


def test_no_future_date_error_under_a_past_as_of(lived: Path, gusp: Run) -> None:
    root = lived
    for day in ("2025-03-01", *CHECKPOINTS):
        code, _, err = gusp("overdue", "-q", "lens", "--as-of", day, "-C", str(root))
        assert code == 0 and "date_future" not in err, err


def test_the_late_report_landed_in_order_and_kept_the_newer_status(
        lived: Path, gusp: Run) -> None:
    root = lived
    shown = json.loads(gusp("show", "LEN-004", "--format", "json", "-C", str(root))[1])
    assert shown["statut"] == "realisee"
    assert [(s["date"], s.get("statut")) for s in shown["suivi"]] == [
        ("2025-05-01", "en_cours"), ("2026-02-15", "en_cours"), ("2026-03-01", "realisee")]
    assert shown["date_realisation"] == "2026-03-01"


def test_ongoing_actions_are_late_by_their_rule(lived: Path, gusp: Run) -> None:
    root = lived
    late = _by_id(gusp("overdue", "--format", "json", "-C", str(root))[1])
    # LEN-023 (weekly) was last reported on 1 September 2026: silent for nearly three months.
    assert (late["LEN-023"]["retard_regle"], late["LEN-023"]["retard_groupe"]) == ("sans_suivi", "avec_suivi")
    assert late["LEN-022"]["retard_regle"] == "pas_mis_en_place"
    assert late["LEN-022"]["retard_groupe"] == "a_renseigner"
    may = set(_by_id(gusp("overdue", "--format", "json", "--as-of", "2025-05-25", "-C", str(root))[1]))
    assert "LEN-023" not in may  # reported on 20 May: on time for a week and half a week more
    june = _by_id(gusp("overdue", "--format", "json", "--as-of", "2025-06-30", "-C", str(root))[1])
    assert (june["LEN-023"]["retard_regle"], june["LEN-023"]["retard_texte"]) == ("sans_suivi", "34 jours")
