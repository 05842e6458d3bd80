"""Loader behaviours that are not a single validation rule."""

from __future__ import annotations

import os
from pathlib import Path

from gusp_cli.store.loader import load


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
    from gusp_cli.store.loader import Overrides

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


def test_a_load_on_a_base_reuses_the_unchanged_files(store: object, embedded_copy: Path) -> None:
    import datetime as dt

    from gusp_cli.store.loader import Overrides

    day = dt.date(2026, 11, 25)
    before = load(embedded_copy, today=day, locate_warnings=False)
    assert len(before.entries_of("lens")) == 105
    avion = embedded_copy / "charter-data/quartiers/avion.yaml"
    text = avion.read_text(encoding="utf-8").replace("id: AVI-002\n", "id: AVI-001\n", 1)
    after = load(embedded_copy, today=day, texts=Overrides({avion: text}), locate_warnings=False,
                 base=before)
    assert after.quartier("lens") is before.quartier("lens")  # same object: not read again
    assert after.entries_of("lens") is before.entries_of("lens")
    assert after.quartier("avion") is not before.quartier("avion")
    duplicate = next(p for p in after.errors if p.rule == "id_duplique")
    assert duplicate.path == avion and duplicate.pos is not None
    fresh = load(embedded_copy, today=day, texts=Overrides({avion: text}), locate_warnings=False)
    assert [p.format() for p in after.problems] == [p.format() for p in fresh.problems]
    assert [e.id for e in after.entries] == [e.id for e in fresh.entries]


def test_quartier_files_charte_does_not_list_are_warned_about_in_name_order(base_charter: Path) -> None:
    folder = base_charter / "charter-data" / "quartiers"
    listed = sorted(p.name for p in folder.glob("*.yaml"))
    for name in ("zeta.yaml", "alpha.yaml"):
        (folder / name).write_text("id: x\n", encoding="utf-8")
    charter = load(base_charter)
    warned = [p for p in charter.problems if p.rule == "quartier_non_liste"]
    assert [p.path for p in warned] == [folder / "alpha.yaml", folder / "zeta.yaml"]
    assert warned[0].message == ("fichier alpha.yaml ignoré : « alpha » n'est pas listé dans charte.yaml "
                                 "(clé quartiers)")
    assert not any(p.path is not None and p.path.name in listed for p in warned)
