"""The README's tour on a fresh copy of the repository, then the whole suite there.

The embedded charter is the CALL's live data: a new user follows the tour and edits it. The tests
must not care: they use the pinned copy in ``tests/cases/call``, and only the fidelity test reads
``charter-data/``, comparing what the signed charter says. This runs the suite a second time, in a
copy whose charter the tour has edited (the inner run skips this test).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from tests.test_charter_data_seed import find_seed

INNER = "GUSP_TOUR_INNER"


def tour_commands() -> list[list[str]]:
    """The commands of the README's « Visite guidée », as a user types them (comments dropped)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Visite guidée", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    return [shlex.split(line.strip()[2:], comments=True) for line in block.splitlines()
            if line.strip().startswith("$ gusp ")]


def _copy_of_the_repository(target: Path) -> None:
    """The checkout's files as a fresh clone has them (tracked and not ignored), committed in git."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    env = {**os.environ, "GIT_AUTHOR_NAME": "Chef de projet", "GIT_AUTHOR_EMAIL": "cp@example.org",
           "GIT_COMMITTER_NAME": "Chef de projet", "GIT_COMMITTER_EMAIL": "cp@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "clone"]):
        subprocess.run(["git", "-C", str(target), *args], check=True, env=env, capture_output=True)


def test_the_tour_lists_its_edits() -> None:
    words = [command[1] for command in tour_commands()]
    assert "status" in words and "amend" in words, "la visite guidée modifie la charte"


@pytest.mark.skipif(bool(os.environ.get(INNER)), reason="exécution intérieure du parcours de la visite")
def test_the_suite_passes_after_the_readme_tour(tmp_path: Path) -> None:
    copy = tmp_path / "clone"
    _copy_of_the_repository(copy)
    env = {**os.environ, INNER: "1", "PYTHONPATH": str(copy), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    seed = find_seed()
    if seed is not None:
        env["GUSP_SEED"] = str(seed)  # the fidelity test checks the edited charter too
    tools = ROOT / ".ci" / "node" / "node_modules"
    if tools.is_dir():  # installed by .ci/run (npm ci), ignored by git: the copy shares them
        (copy / ".ci" / "node" / "node_modules").symlink_to(tools, target_is_directory=True)
    suite = Path(os.environ.get("GUSP_YAML_SUITE") or SHARED / "yaml-test-suite")
    if suite.is_dir():
        env["GUSP_YAML_SUITE"] = str(suite)  # the copy has no shared/ beside it
    before = (copy / "charter-data" / "quartiers" / "lens.yaml").read_bytes()
    for command in tour_commands():
        done = subprocess.run([sys.executable, "-m", "gusp_cli", *command[1:]], cwd=copy, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{shlex.join(command)} : {done.stderr}"
    assert (copy / "charter-data" / "quartiers" / "lens.yaml").read_bytes() != before
    inner = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                           cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert inner.returncode == 0, inner.stdout[-4000:] + inner.stderr[-2000:]
