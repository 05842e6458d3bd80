"""The bench's scenarios that need a prepared copy of a data set: the first command after a change,
a diff between two commits, the import of a whole workbook.

Each function prepares its copy under the harness's working folder (the data set itself stays
pristine for the other measures) and returns what the measure needs; nothing here times anything.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

GIT_ENV = {"GIT_AUTHOR_NAME": "Banc d'essai", "GIT_AUTHOR_EMAIL": "banc@example.invalid",
           "GIT_COMMITTER_NAME": "Banc d'essai", "GIT_COMMITTER_EMAIL": "banc@example.invalid",
           "GIT_AUTHOR_DATE": "2026-01-05T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+01:00"}
"""A fixed identity and date: the two commits of a diff copy are the same on every run."""
DIFF_CHANGES = 3
"""Actions changed between the two commits of the diff copy, one per quartier file."""
LABEL_LINE = re.compile(r"^(\s+(?:- )?libelle: )(.+)$", re.MULTILINE)
"""An action's label line in a quartier file."""


def fresh_copy(source: Path, target: Path) -> Path:
    """``target`` replaced by a copy of ``source``'s ``charter-data/``; ``target``."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source / "charter-data", target / "charter-data")
    return target


def _git(cwd: Path, *args: str) -> None:
    """Run git quietly in ``cwd`` (fixed identity and date)."""
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                   capture_output=True, text=True)


def quartier_files(root: Path) -> list[Path]:
    """The quartier files of a repository, in name order."""
    return sorted((root / "charter-data" / "quartiers").glob("*.yaml"))


def revise_one_label(path: Path) -> bool:
    """Add « (révisé) » to the first label of a quartier file, inside its quotes when it has some
    (True when a label was found)."""
    text = path.read_text(encoding="utf-8")
    found = LABEL_LINE.search(text)
    if found is None:
        return False
    value = found.group(2).rstrip()
    revised = value[:-1] + " (révisé)" + value[-1] if value[:1] in "\"'" else value + " (révisé)"
    path.write_text(text[:found.start(2)] + revised + text[found.end(2):], encoding="utf-8")
    return True


def diff_repository(source: Path, target: Path) -> int | None:
    """A git copy of ``source`` with two commits, the second changing the label of one action in
    each of :data:`DIFF_CHANGES` quartier files; how many were changed (None: git failed, or no
    label was found to change)."""
    if shutil.which("git") is None:
        return None
    fresh_copy(source, target)
    try:
        _git(target, "init", "-q", "-b", "main")
        _git(target, "add", "-A")
        _git(target, "commit", "-q", "-m", "Charte de départ")
        changed = sum(1 for path in quartier_files(target)[:DIFF_CHANGES] if revise_one_label(path))
        if not changed:
            return None
        _git(target, "commit", "-q", "-am", f"{changed} libellés révisés")
    except subprocess.CalledProcessError:
        return None
    return changed


def changing_one_quartier(root: Path) -> Callable[[int], None]:
    """What to do before each run of « one quartier changed, then ``overdue`` »: rewrite the last
    quartier file with a different comment line at its end, as a ``git pull`` or a text editor
    would, so that the file's bytes (and its cache key) change on every run."""
    path = quartier_files(root)[-1]
    original = path.read_bytes()

    def change(run: int) -> None:
        path.write_bytes(original + f"# relu par le banc d'essai, passage {run}\n".encode())

    return change


def exported_workbook(gusp: list[str], root: Path, target: Path, env: dict[str, str]) -> bool:
    """``gusp export --format xlsx`` of the data set into ``target`` (True when it was written)."""
    done = subprocess.run([*gusp, "export", "--format", "xlsx", "-o", str(target), "--force"], cwd=root,
                          env=env, capture_output=True, text=True, check=False)
    return done.returncode == 0 and target.is_file()
