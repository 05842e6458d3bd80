"""JSON Schemas: generated from the models, up to date, accepting the charters, refusing errors."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.models import Action, Charte, Quartier, Registre, Statut
from gusp_cli.model.schema import (
    KINDS,
    MODELINE,
    build,
    kind_of,
    modeline,
    render,
)
from gusp_cli.store.schema_files import stale_schemas, write_schemas
from gusp_cli.store.yamlio import parse_file
from tests.conftest import CASES, ROOT

BASE = CASES / "base"
INVALID = CASES / "invalid"
SCHEMAS = ROOT / "schemas"
KEYWORDS = {"$schema", "title", "description", "type", "properties", "required", "additionalProperties",
            "anyOf", "enum", "$ref", "items", "pattern", "minimum", "maximum", "minLength", "minItems",
            "patternProperties", "format", "default", "definitions"}


def _keywords(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("properties", "definitions", "patternProperties"):
                found.add(key)
                _keywords(value, found)
            else:
                found.add(key)
                for sub in value.values():
                    _keywords(sub, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def _errors(schema: dict[str, Any], value: Any, node: dict[str, Any] | None = None,
            at: str = "") -> list[str]:
    """A small validator for exactly the draft-07 keywords the schemas use (checked below)."""
    node = schema if node is None else node
    if "$ref" in node:
        return _errors(schema, value, schema["definitions"][node["$ref"].split("/")[-1]], at)
    if "anyOf" in node:
        branches = [_errors(schema, value, branch, at) for branch in node["anyOf"]]
        return [] if any(not b for b in branches) else [f"{at}: aucune forme admise"]
    kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None),
             "array": list, "object": dict}
    if "type" in node:
        ok = isinstance(value, kinds[node["type"]]) and not (node["type"] in ("integer", "number")
                                                             and isinstance(value, bool))
        if not ok:
            return [f"{at}: type {node['type']} attendu"]
    problems: list[str] = []
    if "enum" in node and value not in node["enum"]:
        problems.append(f"{at}: valeur hors liste")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            problems.append(f"{at}: motif")
        if len(value) < node.get("minLength", 0):
            problems.append(f"{at}: trop court")
        if node.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.append(f"{at}: date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            problems.append(f"{at}: minimum")
        if "maximum" in node and value > node["maximum"]:
            problems.append(f"{at}: maximum")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            problems.append(f"{at}: trop peu d'éléments")
        for i, item in enumerate(value):
            problems += _errors(schema, item, node.get("items", {}), f"{at}/{i}")
    if isinstance(value, dict):
        problems += [f"{at}: clé {k} obligatoire" for k in node.get("required", []) if k not in value]
        for key, item in value.items():
            if key in node.get("properties", {}):
                problems += _errors(schema, item, node["properties"][key], f"{at}/{key}")
                continue
            patterns = [s for p, s in node.get("patternProperties", {}).items() if re.search(p, key)]
            if patterns:
                problems += _errors(schema, item, patterns[0], f"{at}/{key}")
            elif node.get("additionalProperties") is False:
                problems.append(f"{at}: clé {key} inconnue")
    return problems


def _validator() -> Callable[[dict[str, Any], Any], list[str]]:
    """jsonschema's Draft 7 validator when installed, else the small one above."""
    try:
        import jsonschema
    except ImportError:
        return _errors

    def check(schema: dict[str, Any], value: Any) -> list[str]:
        checker = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
        return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(value)]

    return check


def _data(path: Path) -> Any:
    parsed = parse_file(path)
    assert parsed.ok, path
    return parsed.data


def _charter_files(root: Path) -> list[Path]:
    return sorted((root / "charter-data").rglob("*.yaml"))


def test_committed_schemas_are_up_to_date() -> None:
    assert stale_schemas(SCHEMAS) == [], "lancez : gusp schema"


def test_schemas_use_only_draft7_keywords_our_checks_know() -> None:
    for kind in KINDS:
        schema = build(kind)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert _keywords(schema, set()) <= KEYWORDS
        text = render(kind)
        assert "$defs" not in text
        for ref in re.findall(r'"\$ref": "#/definitions/([^"]+)"', text):
            assert ref in schema["definitions"]


@pytest.mark.parametrize(("model", "name"),
                         [(Charte, "charte"), (Registre, "acteurs"), (Quartier, "quartier")])
def test_every_field_is_described_by_its_docstring(model: Any, name: str) -> None:
    from gusp_cli.model.fielddocs import field_docs

    schema = build(next(k for k in KINDS if k.name == name))
    docs = field_docs(model)
    for field in model.model_fields:
        assert schema["properties"][field]["description"] == docs[field]
        assert docs[field]
    assert schema["additionalProperties"] is False


def test_enums_and_leniencies() -> None:
    schema = build(KINDS[2])
    assert schema["definitions"]["Statut"]["enum"] == [s.value for s in Statut]
    action = schema["definitions"]["Action"]
    assert action["required"] == [n for n, f in Action.model_fields.items() if f.is_required()]
    assert {"type": "integer"} in action["properties"]["echeance"]["anyOf"]


@pytest.mark.parametrize("check", [_errors, _validator()], ids=["mini", "jsonschema-or-mini"])
@pytest.mark.parametrize("root", [BASE, ROOT], ids=["base", "embedded"])
def test_the_charters_validate_against_their_schema(root: Path, check: Callable[..., list[str]]) -> None:
    files = _charter_files(root)
    assert files
    for path in files:
        kind = kind_of(path)
        assert kind is not None
        assert check(json.loads(render(kind)), _data(path)) == [], path


@pytest.mark.parametrize("check", [_errors, _validator()], ids=["mini", "jsonschema-or-mini"])
@pytest.mark.parametrize("case", ["cle_inconnue", "statut_inconnu", "mauvais_type", "cle_obligatoire",
                                  "cout_negatif", "date_invalide", "piege_yaml11"])
def test_schema_flags_the_invalid_cases(case: str, check: Callable[..., list[str]]) -> None:
    path = INVALID / case / "charter-data" / "quartiers" / "centre.yaml"
    assert check(json.loads(render(KINDS[2])), _data(path)) != []


def test_base_files_carry_a_modeline_to_an_existing_schema_of_their_kind() -> None:
    for path in _charter_files(BASE):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == modeline(path, SCHEMAS), path
        target = (path.parent / first[len(MODELINE):]).resolve()
        kind = kind_of(path)
        assert kind is not None and target == (SCHEMAS / kind.filename).resolve() and target.is_file()


def test_embedded_modelines_when_present_point_to_the_right_schema() -> None:
    for path in _charter_files(ROOT):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith(MODELINE)]
        for line in lines:
            assert line == modeline(path, SCHEMAS), path


def test_write_schemas_then_unchanged(tmp_path: Path) -> None:
    first = write_schemas(tmp_path / "s")
    assert [(p.name, changed) for p, changed in first] == [
        ("charte.schema.json", True), ("acteurs.schema.json", True), ("quartier.schema.json", True),
        ("territoire.schema.json", True)]
    assert all(changed is False for _, changed in write_schemas(tmp_path / "s"))
    assert stale_schemas(tmp_path / "s") == []


def test_schema_command(base_charter: Path, gusp: Callable[..., tuple[int, str, str]],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(base_charter)
    code, out, _ = gusp("schema")
    assert code == 0
    assert out == ("écrit : schemas/charte.schema.json\nécrit : schemas/acteurs.schema.json\n"
                   "écrit : schemas/quartier.schema.json\nécrit : schemas/territoire.schema.json\n")
    assert gusp("schema", "--check")[0] == 0
    (base_charter / "schemas" / "acteurs.schema.json").write_text("{}\n")
    code, out, err = gusp("schema", "--check")
    assert code == 1 and out == "à régénérer : schemas/acteurs.schema.json\n" and "gusp schema" in err
    code, out, _ = gusp("schema", "-o", "autre")
    assert code == 0 and "écrit : autre/quartier.schema.json" in out
    shutil.rmtree(base_charter / "autre")
    (base_charter / "fichier").write_text("x")
    code, _, err = gusp("schema", "-o", "fichier")
    assert code == 2 and "n'est pas un dossier" in err
