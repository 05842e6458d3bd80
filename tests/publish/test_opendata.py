"""The open-data package, checked by an independent client: frictionless (PyPI), not gusp's code."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gusp_cli.publish.opendata import package
from gusp_cli.publish.site import LICENCES
from gusp_cli.store.loader import load
from tests.conftest import CALL, CASES
from tests.scripted_git import edit

DAY = dt.date(2026, 11, 25)
FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def written(charter_root: Path, folder: Path, licence: str = "etalab-2.0") -> Path:
    """The package of a charter seen on DAY, written in ``folder``; returns its datapackage.json."""
    charter = load(charter_root, today=DAY).on(DAY)
    assert charter.ok, [p.format() for p in charter.errors]
    for name, data in package(charter, DAY, LICENCES[licence], "Le porteur").files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder / "datapackage.json"


def validate(descriptor: Path) -> dict:
    """``frictionless validate --json``: its report."""
    done = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(descriptor)], capture_output=True,
                          text=True, check=False)
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["valid"]
    return report


def errors(report: dict) -> list[tuple[str, str]]:
    return [(task["name"], e["type"]) for task in report["tasks"] for e in task["errors"]]


@pytest.mark.parametrize("root", [CALL, CASES / "convention", CASES / "base"],
                         ids=["call", "convention", "base"])
def test_frictionless_validates_the_package(root: Path, tmp_path: Path) -> None:
    report = validate(written(root, tmp_path))
    assert errors(report) == []
    assert [t["name"] for t in report["tasks"]] == ["quartiers", "acteurs", "instances", "actions",
                                                    "responsables", "suivi", "reunions"]


def test_the_validator_sees_a_broken_foreign_key(tmp_path: Path) -> None:
    descriptor = written(CALL, tmp_path)
    actions = tmp_path / "actions.csv"
    actions.write_bytes(actions.read_bytes().replace(b"\r\nLEN-001,lens,", b"\r\nLEN-001,nulle_part,", 1))
    assert ("actions", "foreign-key") in errors(validate(descriptor))


def test_the_package_says_its_licence_producer_date_and_keys(tmp_path: Path) -> None:
    descriptor = json.loads(written(CALL, tmp_path, "ODbL-1.0").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["licenses"] == [{"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                                       "title": "Open Database License (ODbL) version 1.0"}]
    assert descriptor["contributors"] == [{"title": "Le porteur", "role": "publisher"}]
    assert descriptor["date_des_donnees"] == "2026-11-25"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert resources["actions"]["schema"]["foreignKeys"] == [
        {"fields": ["quartier"], "reference": {"resource": "quartiers", "fields": ["id"]}}]
    assert resources["suivi"]["schema"]["primaryKey"] == ["action", "rang"]
    for name, resource in resources.items():  # schema/ holds the same Table Schemas, for others to adopt
        copy = json.loads((tmp_path / "schema" / f"{name}.json").read_text(encoding="utf-8"))
        assert copy == resource["schema"]
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_csv_is_utf8_with_commas_and_no_bom_and_counts_the_charter(tmp_path: Path) -> None:
    written(CALL, tmp_path)
    raw = (tmp_path / "actions.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"id,quartier,tableau,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) == 175
    first = rows[0]
    assert (first["id"], first["quartier"], first["statut"], first["etat"]) == (
        "LEN-001", "lens", "", "a_renseigner")
    quartiers = list(csv.DictReader(io.StringIO((tmp_path / "quartiers.csv").read_text(encoding="utf-8"))))
    assert [(q["id"], q["actions"], q["a_renseigner"], q["a_venir"]) for q in quartiers] == [
        ("lens", "105", "89", "16"), ("lievin", "33", "33", "0"), ("avion", "37", "37", "0")]


def test_a_formula_in_a_label_is_defused_and_the_package_stays_valid(tmp_path: Path) -> None:
    root = tmp_path / "depot"
    shutil.copytree(CASES / "base", root)
    edit(root, Path("charter-data/quartiers/centre.yaml"), 'libelle: "Ramassage des dépôts sauvages"',
         'libelle: "=HYPERLINK(\\"http://x\\")"')
    out = tmp_path / "donnees"
    out.mkdir()
    report = validate(written(root, out))
    assert errors(report) == []
    assert "'=HYPERLINK(\"\"http://x\"\")" in (out / "actions.csv").read_text(encoding="utf-8")
