"""JSON Schemas of the charter's YAML files, generated from the pydantic models.

Editors (VS Code with the YAML extension, any yaml-language-server client) read them through a
modeline at the top of each file::

    # yaml-language-server: $schema=../schemas/charte.schema.json

and then complete keys and enum values, show each field's description (the models' field
docstrings) and flag errors while typing. The schemas are written as JSON Schema draft-07, the
version yaml-language-server fully supports (``definitions`` rather than ``$defs``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from gusp_cli.model.layout import CHARTER_FILE, QUARTIERS_DIR, REGISTRY_FILE, TERRITORY_FILE
from gusp_cli.model.models import Charte, Quartier, Registre, Territoire, _year_to_str

SCHEMAS_DIR = "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
MODELINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Kind:
    """A kind of charter file and its schema."""

    name: str
    model: type[BaseModel]
    title: str

    @property
    def filename(self) -> str:
        """Schema file name (``quartier.schema.json``)."""
        return f"{self.name}.schema.json"


KINDS = (
    Kind("charte", Charte, "Charte GUSP (charte.yaml)"),
    Kind("acteurs", Registre, "Registre des parties (acteurs.yaml)"),
    Kind("quartier", Quartier, "Quartier GUSP (quartiers/<id>.yaml)"),
    Kind("territoire", Territoire, "Actions transversales de la charte (territoire.yaml)"),
)


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with the YAML leniencies the loader accepts made visible."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        """``echeance: 2025`` (a YAML integer) is accepted as the text ``"2025"``."""
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") is _year_to_str:
            return {"anyOf": [inner, {"type": "integer"}]}
        return inner


def build(kind: Kind) -> dict[str, Any]:
    """Return the JSON Schema (draft-07) of one file kind."""
    generated = kind.model.model_json_schema(schema_generator=_Generator,
                                             ref_template="#/definitions/{model}")
    schema: dict[str, Any] = {"$schema": DRAFT, "title": kind.title}
    schema.update({k: v for k, v in generated.items() if k not in ("$defs", "title")})
    if "$defs" in generated:
        schema["definitions"] = generated["$defs"]
    _describe(schema, kind.model)
    for name, definition in schema.get("definitions", {}).items():
        model = _models().get(name)
        if model is not None:
            _describe(definition, model)
    return schema


def _models() -> dict[str, type[BaseModel]]:
    """The models of :mod:`gusp_cli.model.models` by class name (pydantic's definition names)."""
    from gusp_cli.model import models

    return {name: obj for name, obj in vars(models).items()
            if isinstance(obj, type) and issubclass(obj, BaseModel)}


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give each property of a model's schema its field docstring as description."""
    from gusp_cli.model.fielddocs import field_docs

    docs = field_docs(model)
    for name, prop in schema.get("properties", {}).items():
        if name in docs and "description" not in prop:
            prop["description"] = docs[name]
            schema["properties"][name] = dict(sorted(prop.items()))  # pydantic's key order


def render(kind: Kind) -> str:
    """The schema as the text written to disk (stable: 2-space JSON, UTF-8, final newline)."""
    return json.dumps(build(kind), indent=2, ensure_ascii=False) + "\n"


def kind_of(path: Path) -> Kind | None:
    """The kind of a charter file from its place (``charte.yaml``, ``acteurs.yaml``, ``quartiers/*``,
    ``territoire.yaml``)."""
    if path.name == CHARTER_FILE:
        return KINDS[0]
    if path.name == REGISTRY_FILE:
        return KINDS[1]
    if path.parent.name == QUARTIERS_DIR and path.suffix == ".yaml":
        return KINDS[2]
    if path.name == TERRITORY_FILE:
        return KINDS[3]
    return None


def modeline(file: Path, schemas_dir: Path) -> str:
    """The modeline for ``file``: its schema's path relative to the file's folder."""
    kind = kind_of(file)
    if kind is None:
        raise ValueError(f"{file} n'est pas un fichier de charte")
    relative = Path(os.path.relpath(schemas_dir / kind.filename, file.parent)).as_posix()
    return MODELINE + relative
