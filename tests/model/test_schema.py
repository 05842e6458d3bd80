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

from gusp_cli.model.models import Action, Statut
from gusp_cli.model.schema import (
    KINDS,
    MODELINE,
    CharterIds,
    build,
    kind_of,
    modeline,
    render,
)
from gusp_cli.store.loader import load
from gusp_cli.store.schema_files import stale_schemas, write_schemas
from gusp_cli.store.yamlio import parse_file
from tests.conftest import CALL, CASES, ROOT

BASE = CASES / "base"
INVALID = CASES / "invalid"
SCHEMAS = ROOT / "schemas"
KEYWORDS = {"$schema", "title", "description", "type", "properties", "required", "additionalProperties",
            "anyOf", "enum", "$ref", "items", "pattern", "minimum", "maximum", "minLength", "minItems",
            "patternProperties", "propertyNames", "format", "default", "definitions", "errorMessage",
            "patternErrorMessage"}
KIND = {k.name: k for k in KINDS}


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
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        ok = any(isinstance(value, kinds[t]) and not (t in ("integer", "number") and isinstance(value, bool))
                 for t in types)
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


def _ids(root: Path) -> CharterIds:
    return CharterIds.of(load(root))


def test_committed_schemas_are_up_to_date() -> None:
    # This repository's schemas are those of its charter, the CALL's (its ids: the pinned copy's).
    assert stale_schemas(SCHEMAS, load(CALL)) == [], "lancez : gusp schema"


def test_schemas_use_only_draft7_keywords_our_checks_know() -> None:
    for kind in KINDS:
        schema = build(kind, _ids(CALL))
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert _keywords(schema, set()) <= KEYWORDS
        text = render(kind)
        assert "$defs" not in text
        for ref in re.findall(r'"\$ref": "#/definitions/([^"]+)"', text):
            assert ref in schema["definitions"]


def test_every_field_has_a_docstring_and_a_french_description() -> None:
    from pydantic import BaseModel

    from gusp_cli.model import models
    from gusp_cli.model.descriptions import FIELDS, MODELS
    from gusp_cli.model.fielddocs import field_docs

    classes = {n: c for n, c in vars(models).items() if isinstance(c, type) and issubclass(c, BaseModel)
               and c.__module__ == models.__name__ and not n.startswith("_")}
    assert set(MODELS) == set(FIELDS) == set(classes)
    for name, model in classes.items():
        assert set(field_docs(model)) == set(model.model_fields) == set(FIELDS[name]), name
        assert all(FIELDS[name].values())


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_schemas_speak_french_to_the_editor(kind: Any) -> None:
    from gusp_cli.model.descriptions import FIELDS, MODELS

    schema = build(kind, _ids(CALL))
    text = render(kind, _ids(CALL))
    assert "``" not in text and '"title": "Echeance"' not in text
    assert schema["description"] == MODELS[kind.model.__name__]
    for name, prop in schema["properties"].items():
        assert prop["description"] == FIELDS[kind.model.__name__][name]
    assert schema["additionalProperties"] is False and "clé inconnue" in schema["errorMessage"]


def test_enums_and_leniencies() -> None:
    from gusp_cli.model.echeance import schema_pattern

    schema = build(KIND["quartier"])
    assert schema["definitions"]["Statut"]["enum"] == [s.value for s in Statut]
    assert schema["definitions"]["Statut"]["errorMessage"].startswith("statut invalide ; valeurs possibles")
    action = schema["definitions"]["Action"]
    assert action["required"] == [n for n, f in Action.model_fields.items() if f.is_required()]
    echeance = action["properties"]["echeance"]  # a text following the grammar, or a year (2025)
    assert echeance["type"] == ["string", "integer", "null"]
    assert (echeance["minimum"], echeance["maximum"]) == (1990, 2100)
    assert echeance["pattern"] == schema_pattern()
    assert echeance["patternErrorMessage"].startswith("échéance non reconnue")


def test_a_charter_s_schemas_list_its_own_ids() -> None:
    ids = _ids(CALL)
    quartier = build(KIND["quartier"], ids)
    parties = quartier["definitions"]["Action"]["properties"]["responsables"]["items"]["enum"]
    assert "maisons_et_cites" in parties and "bailleur" in parties and "bailleurs" not in parties
    assert quartier["properties"]["id"]["enum"] == ["lens", "lievin", "avion"]
    assert set(quartier["properties"]["roles"]["properties"]) == {"ville", "bailleur"}
    assert "coeur_de_quartier" in quartier["definitions"]["Tableau"]["properties"]["secteur"]["enum"]
    charte = build(KIND["charte"], ids)
    assert charte["properties"]["porteur"]["enum"] == list(ids.acteurs)
    reunion = build(KIND["reunions"], ids)["definitions"]["Reunion"]["properties"]
    assert reunion["instance"]["enum"] == list(ids.instances) and reunion["instance"]["enum"]
    # Another charter, other ids: the base fixture's schema knows none of the CALL's.
    base = build(KIND["quartier"], _ids(BASE))["definitions"]["Action"]["properties"]["responsables"]
    assert "maisons_et_cites" not in base["items"]["enum"]


@pytest.mark.parametrize("check", [_errors, _validator()], ids=["mini", "jsonschema-or-mini"])
@pytest.mark.parametrize("root", [BASE, CALL, CASES / "gouvernance"], ids=["base", "call", "gouvernance"])
def test_the_charters_validate_against_their_schema(root: Path, check: Callable[..., list[str]]) -> None:
    files = _charter_files(root)
    ids = _ids(root if (root / "charter-data" / "charte.yaml").is_file() else BASE)
    assert files
    for path in files:
        kind = kind_of(path)
        assert kind is not None
        assert check(json.loads(render(kind)), _data(path)) == [], path
        assert check(json.loads(render(kind, ids)), _data(path)) == [], path


def test_the_charter_s_schema_refuses_an_unknown_party_a_bad_echeance_and_a_bad_time() -> None:
    check = _validator()
    data = _data(BASE / "charter-data" / "quartiers" / "centre.yaml")
    data["tableaux"][0]["actions"][0]["responsables"] = ["bailleurs"]
    data["tableaux"][0]["actions"][1]["echeance"] = "T5 2027"
    schema = json.loads(render(KIND["quartier"], _ids(BASE)))
    assert [e.split(":")[0] for e in check(schema, data)] == ["/tableaux/0/actions/0/responsables/0",
                                                             "/tableaux/0/actions/1/echeance"]
    reunions = json.loads(render(KIND["reunions"], _ids(BASE)))
    meeting = {"date": "2026-03-12", "heure": "14h30", "instance": "copil"}
    assert check(reunions, {"reunions": [meeting]}) == []
    assert check(reunions, {"reunions": [{**meeting, "heure": "25:00"}]})


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
    for path in _charter_files(CALL):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.startswith(MODELINE)]
        for line in lines:
            assert line == modeline(path, CALL / "schemas"), path


def test_write_schemas_then_unchanged(tmp_path: Path) -> None:
    first = write_schemas(tmp_path / "s")
    assert [(p.name, changed) for p, changed in first] == [
        ("charte.schema.json", True), ("acteurs.schema.json", True), ("quartier.schema.json", True),
        ("territoire.schema.json", True), ("reunions.schema.json", True), ("insertion.schema.json", True),
        ("signalements.schema.json", True), ("revue.schema.json", True), ("tfpb.schema.json", True)]
    assert all(changed is False for _, changed in write_schemas(tmp_path / "s"))
    assert stale_schemas(tmp_path / "s") == []


def test_schema_command(base_charter: Path, gusp: Callable[..., tuple[int, str, str]],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(base_charter)
    code, out, _ = gusp("schema")
    assert code == 0
    assert out == ("écrit : schemas/charte.schema.json\nécrit : schemas/acteurs.schema.json\n"
                   "écrit : schemas/quartier.schema.json\nécrit : schemas/territoire.schema.json\n"
                   "écrit : schemas/reunions.schema.json\nécrit : schemas/insertion.schema.json\n"
                   "écrit : schemas/signalements.schema.json\nécrit : schemas/revue.schema.json\n"
                   "écrit : schemas/tfpb.schema.json\n")
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
