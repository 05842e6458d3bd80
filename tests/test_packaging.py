"""gusp as users install it: a publishable wheel that carries the CALL charter and reads it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_the_distributions_pass_twine_check(dist: Path) -> None:
    files = [str(p) for p in sorted(dist.iterdir())]
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_wheel_carries_the_charter_the_templates_and_complete_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode("utf-8")
    shipped = {n.split("_embedded/", 1)[1] for n in names if "/_embedded/" in n}
    expected = {p.relative_to(ROOT).as_posix() for folder in ("charter-data", "templates")
                for p in (ROOT / folder).rglob("*") if p.is_file()}
    assert shipped == expected
    assert "gusp_cli/py.typed" in names
    for field in ("Name: gusp-cli", "Summary: Piloter une charte", "License: MIT", "Requires-Python: >=3.11",
                  "Author: Les contributeurs de gusp", "Classifier: Natural Language :: French",
                  "Description-Content-Type: text/markdown"):
        assert field in text, field


def test_a_fresh_venv_answers_from_the_embedded_charter_outside_any_repository(
        fresh_venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    # Nothing of this checkout may leak in: no $GUSP_CHARTER, no $PYTHONPATH (the README's tour sets it).
    env = {k: v for k, v in os.environ.items() if k not in ("GUSP_CHARTER", "PYTHONPATH")}
    # The wheel embeds the live charter-data/ (followed up to today, maybe by the README's tour):
    # today's date, and only the shape of the answer is checked.
    command = [str(fresh_venv / "gusp"), "overdue", "--quartier", "avion"]
    done = subprocess.run(command, cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (f"gusp : aucune charte trouvée dans {elsewhere} ni ses parents ; la charte "
                           "embarquée (Communauté d’Agglomération de Lens-Liévin) répond, en lecture "
                           "seule : gusp init DOSSIER pour créer la vôtre\n")
    first = done.stdout.splitlines()[0]
    assert first.startswith(("En retard au ", "À renseigner au ")) and first.endswith(" — Avion – République")
    # It reads the copy inside the installed package, never this checkout.
    where = subprocess.run([str(fresh_venv / "python"), "-c", "from gusp_cli.store.repository import "
                            "embedded_repository as e; print(e())"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == fresh_venv.parent / "lib" / (
        f"python{sys.version_info[0]}.{sys.version_info[1]}") / "site-packages" / "gusp_cli" / "_embedded"
