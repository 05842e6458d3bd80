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


def test_overrides_replace_one_file_and_read_the_others_from_disk(base_charter: Path) -> None:
    from gusp_cli.loader import Overrides

    path = base_charter / "charter-data/quartiers/centre.yaml"
    edited = path.read_text(encoding="utf-8").replace('echeance: "2030"', 'echeance: "T5 2030"')
    charter = load(base_charter, texts=Overrides({path: edited}))
    assert [p.rule for p in charter.errors] == ["echeance_invalide"]
    assert charter.registre is not None and charter.charte is not None  # read from the disk
    assert path.read_text(encoding="utf-8") != edited  # nothing written


def test_plain_texts_treat_absent_paths_as_missing(base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    charter = load(base_charter, texts={path: path.read_bytes()})
    assert charter.charte is None
    assert any(p.rule == "fichier_illisible" for p in charter.errors)
