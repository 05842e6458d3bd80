"""Loader behaviours that are not a single validation rule."""

from __future__ import annotations

import os
from pathlib import Path

from gusp_cli.loader import load


def test_symlink_out_of_the_repository_is_refused(base_charter: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("acteurs: []\n", encoding="utf-8")
    target = base_charter / "charter-data" / "acteurs.yaml"
    target.unlink()
    os.symlink(secret, target)
    charter = load(base_charter)
    problem = next(p for p in charter.problems if p.rule == "lien_exterieur")
    assert problem.is_error and problem.path == target
    assert problem.message == (f"lien symbolique vers {os.path.realpath(secret)}, hors du dépôt de charte : "
                               "refusé (copiez le fichier dans le dépôt)")


def test_symlink_inside_the_repository_is_followed(base_charter: Path) -> None:
    data = base_charter / "charter-data"
    (data / "partage").mkdir()
    (data / "acteurs.yaml").rename(data / "partage" / "acteurs.yaml")
    os.symlink(data / "partage" / "acteurs.yaml", data / "acteurs.yaml")
    assert load(base_charter).ok
