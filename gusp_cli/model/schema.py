"""JSON Schemas of a charter's YAML files: the models' shape, the charter's own ids, French words.

Editors (VS Code with the YAML extension, any yaml-language-server client) read them through a
modeline at the top of each file::

    # yaml-language-server: $schema=../schemas/charte.schema.json

and then complete keys and values, show each field's French description (:mod:`gusp_cli.model.
descriptions`) on hover and flag errors while typing, in French (``errorMessage`` and
``patternErrorMessage``, which yaml-language-server shows in place of its English messages).

A schema is generated from the pydantic models, then made specific to one charter
(:class:`CharterIds`): a party, role, quartier, sector or body id must be one the charter defines,
so that a typo (``bailleurs``) is flagged in the editor as ``gusp validate`` would. The échéance
pattern comes from the grammar itself (:func:`gusp_cli.model.echeance.schema_pattern`). The
schemas are JSON Schema draft-07, the version yaml-language-server fully supports
(``definitions`` rather than ``$defs``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from gusp_cli.model.charter import Charter
from gusp_cli.model.descriptions import FIELDS, MODELS, VOCABULARIES
from gusp_cli.model.echeance import ACCEPTED_FORMS, MAX_YEAR, MIN_YEAR, schema_pattern
from gusp_cli.model.layout import (
    CHARTER_FILE,
    INSERTION_FILE,
    MEETINGS_FILE,
    QUARTIERS_DIR,
    REGISTRY_FILE,
    REVIEWS_DIR,
    SIGNALS_FILE,
    TERRITORY_FILE,
    TFPB_FILE,
)
from gusp_cli.model.models import (
    Charte,
    Quartier,
    Registre,
    RegistreInsertion,
    RegistreTfpb,
    Reunions,
    RevueAnnuelle,
    Signalements,
    Territoire,
    _year_to_str,
)
from gusp_cli.model.tfpb import axes as tfpb_axes

SCHEMAS_DIR = "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
MODELINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Kind:
    """A kind of charter file and its schema."""

    name: str
    model: type[BaseModel]
    title: str
    file: str
    """Where the file lives below ``charter-data/`` (``quartiers/*.yaml`` for a quartier)."""

    @property
    def filename(self) -> str:
        """Schema file name (``quartier.schema.json``)."""
        return f"{self.name}.schema.json"


KINDS = (
    Kind("charte", Charte, "Charte GUSP (charte.yaml)", CHARTER_FILE),
    Kind("acteurs", Registre, "Registre des parties (acteurs.yaml)", REGISTRY_FILE),
    Kind("quartier", Quartier, "Quartier GUSP (quartiers/<id>.yaml)", f"{QUARTIERS_DIR}/*.yaml"),
    Kind("territoire", Territoire, "Actions transversales de la charte (territoire.yaml)", TERRITORY_FILE),
    Kind("reunions", Reunions, "Réunions des instances (reunions.yaml)", MEETINGS_FILE),
    Kind("insertion", RegistreInsertion, "Indicateurs d'insertion par semestre (insertion.yaml)",
         INSERTION_FILE),
    Kind("signalements", Signalements, "Signalements de la veille de terrain (signalements.yaml)",
         SIGNALS_FILE),
    Kind("revue", RevueAnnuelle, "Revue annuelle de gestion (revues/AAAA.yaml)", f"{REVIEWS_DIR}/*.yaml"),
    Kind("tfpb", RegistreTfpb, "Programmes TFPB des bailleurs (tfpb.yaml)", TFPB_FILE),
)


@dataclass(frozen=True)
class CharterIds:
    """The ids one charter defines, which its files may refer to (empty: any well-formed id)."""

    acteurs: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    quartiers: tuple[str, ...] = ()
    secteurs: tuple[str, ...] = ()
    """Sector ids of every quartier (one schema serves all the quartier files)."""
    instances: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    """The phases the tables may name (the declared ones, else the default three)."""
    objectifs: tuple[str, ...] = ()
    """The objectives declared under the charter's axes."""
    bailleurs: tuple[str, ...] = ()
    """The actors of type ``bailleur`` (the landlords a TFPB programme is of)."""
    axes_tfpb: tuple[str, ...] = ()
    """The TFPB axes (declared, else the national framework's)."""

    @classmethod
    def of(cls, charter: Charter | None) -> CharterIds:
        """The ids of a loaded charter (what could be read of it)."""
        if charter is None:
            return cls()
        listed = charter.charte.quartiers if charter.charte else [q.id for q in charter.quartiers]
        charte = charter.charte
        return cls(acteurs=tuple(charter.actors), roles=tuple(charter.roles), quartiers=tuple(listed),
                   secteurs=tuple(dict.fromkeys(s.id for q in charter.quartiers for s in q.secteurs)),
                   instances=tuple(i.id for i in charte.instances) if charte else (),
                   phases=tuple(pid for pid, _ in charter.phases) if charte else (),
                   objectifs=tuple(o.id for a in charte.axes for o in a.objectifs) if charte else (),
                   bailleurs=tuple(a.id for a in charter.actors.values() if a.type == "bailleur"),
                   axes_tfpb=tuple(a.id for a in tfpb_axes(charter)))

    def get(self, what: str) -> tuple[str, ...]:
        """The ids of one kind; ``parties`` are the actors then the roles."""
        return self.acteurs + self.roles if what == "parties" else tuple(getattr(self, what))


UNKNOWN_OBJECTIVE = "objectif inconnu : un objectif des axes de charte.yaml est attendu"
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("Action", "responsables"): ("parties", "partie inconnue : un identifiant d'acteur ou de rôle de "
                                 "acteurs.yaml est attendu"),
    ("Action", "pilote"): ("parties", "partie inconnue : un identifiant d'acteur ou de rôle de acteurs.yaml "
                           "est attendu"),
    ("Action", "objectif"): ("objectifs", UNKNOWN_OBJECTIVE),
    ("Tableau", "objectif"): ("objectifs", UNKNOWN_OBJECTIVE),
    ("Tableau", "phase"): ("phases", "phase inconnue : une phase de la charte est attendue"),
    ("Tableau", "quartiers"): ("quartiers", "quartier inconnu : un identifiant de la liste quartiers de "
                               "charte.yaml est attendu"),
    ("Charte", "instance_decisionnelle"): ("instances", "instance inconnue : un identifiant des instances "
                                           "de charte.yaml est attendu"),
    ("Tableau", "secteur"): ("secteurs", "secteur inconnu : un identifiant de la liste secteurs du "
                             "quartier est attendu"),
    ("Quartier", "id"): ("quartiers", "quartier inconnu : un identifiant de la liste quartiers de "
                         "charte.yaml est attendu"),
    ("Charte", "porteur"): ("acteurs", "acteur inconnu : un identifiant d'acteurs.yaml est attendu"),
    ("Charte", "partenaires"): ("acteurs", "acteur inconnu : un identifiant d'acteurs.yaml est attendu"),
    ("Deliberation", "organisme"): ("acteurs", "acteur inconnu : un identifiant d'acteurs.yaml est attendu"),
    ("Reunion", "instance"): ("instances", "instance inconnue : un identifiant des instances de "
                              "charte.yaml est attendu"),
    ("RevueAnnuelle", "quartiers"): ("quartiers", "quartier inconnu : un identifiant de la liste "
                                     "quartiers de charte.yaml est attendu"),
    ("ProgrammeTfpb", "bailleur"): ("bailleurs", "bailleur inconnu : un acteur de type bailleur "
                                    "d'acteurs.yaml est attendu"),
    ("LigneTfpb", "quartier"): ("quartiers", "quartier inconnu : un identifiant de la liste quartiers de "
                                "charte.yaml est attendu"),
    ("LigneTfpb", "axe"): ("axes_tfpb", "axe TFPB inconnu : un axe de axes_tfpb (charte.yaml) ou du cadre "
                           "national est attendu"),
    ("Reunion", "quartiers"): ("quartiers", "quartier inconnu : un identifiant de la liste quartiers de "
                               "charte.yaml est attendu"),
    ("Veille", "instances"): ("instances", "instance inconnue : un identifiant des instances de "
                              "charte.yaml est attendu"),
    ("Signalement", "quartier"): ("quartiers", "quartier inconnu : un identifiant de la liste quartiers de "
                                  "charte.yaml est attendu"),
    ("Signalement", "secteur"): ("secteurs", "secteur inconnu : un identifiant de la liste secteurs du "
                                 "quartier est attendu"),
    ("Signalement", "responsable"): ("parties", "partie inconnue : un identifiant d'acteur ou de rôle de "
                                     "acteurs.yaml est attendu"),
}
"""Fields that name something the charter defines: which ids, and the French error."""

PATTERN_MESSAGES = {
    r"^[a-z][a-z0-9_]*$": "identifiant invalide : minuscules sans accents, chiffres et _, en commençant "
                          "par une lettre",
    r"^[A-Z]{2,5}-[0-9]{3,}$": "identifiant d'action invalide : 2 à 5 majuscules, un tiret et au moins "
                               "3 chiffres (ABC-042)",
    r"^SIG-[0-9]{4}-[0-9]{4,}$": "identifiant de signalement invalide : SIG, l'année, un numéro d'au moins "
                                 "4 chiffres (SIG-2026-0001)",
    r"^([01]?[0-9]|2[0-3])(:[0-5][0-9]|h([0-5][0-9])?)$": "heure invalide : 14:30 ou 14h30 (de 0:00 à 23:59)",
}
"""French messages of the models' patterns (other patterns get :data:`PATTERN_MESSAGE`)."""
PATTERN_MESSAGE = "valeur mal formée"
ECHEANCE_MESSAGE = f"échéance non reconnue ; formes acceptées : {ACCEPTED_FORMS}"

TYPE_WORDS = {"string": "un texte", "integer": "un nombre entier", "number": "un nombre",
              "boolean": "true ou false", "array": "une liste", "object": "une table (clé: valeur)"}
"""What each JSON type is, in the error of a value of the wrong type."""
_KEYWORDS_OF = {"string": {"pattern", "patternErrorMessage", "minLength", "format", "enum", "errorMessage"},
                "integer": {"minimum", "maximum"}, "number": {"minimum", "maximum"}, "boolean": set(),
                "null": set(), "array": {"items", "minItems"}}
"""The keywords that apply to one type only: branches of an ``anyOf`` that use only those merge."""


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with the YAML leniencies the loader accepts made visible."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        """An échéance: text following the grammar, or a year written as a YAML integer (``2025``)."""
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") is _year_to_str:
            text = {**inner, "pattern": schema_pattern(), "patternErrorMessage": ECHEANCE_MESSAGE}
            year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
            return {"anyOf": [text, year]}
        return inner


def build(kind: Kind, ids: CharterIds | None = None) -> dict[str, Any]:
    """Return the JSON Schema (draft-07) of one file kind, for a charter's ``ids``."""
    generated = kind.model.model_json_schema(schema_generator=_Generator,
                                             ref_template="#/definitions/{model}")
    schema: dict[str, Any] = {"$schema": DRAFT, "title": kind.title}
    schema.update({k: v for k, v in generated.items() if k not in ("$defs", "title")})
    if "$defs" in generated:
        schema["definitions"] = generated["$defs"]
    models = _models()
    for name, node in [(kind.model.__name__, schema), *schema.get("definitions", {}).items()]:
        if name in models:
            _shape(node, name, ids or CharterIds())
        elif name in VOCABULARIES:
            word, description = VOCABULARIES[name]
            node.pop("title", None)
            node["description"] = description
            node["errorMessage"] = f"{word} invalide ; valeurs possibles : {', '.join(node['enum'])}"
    _french_errors(schema)
    return schema


def _models() -> dict[str, type[BaseModel]]:
    """The models of :mod:`gusp_cli.model.models` by class name (pydantic's definition names)."""
    from gusp_cli.model import models

    return {name: obj for name, obj in vars(models).items()
            if isinstance(obj, type) and issubclass(obj, BaseModel)}


def _shape(node: dict[str, Any], model: str, ids: CharterIds) -> None:
    """French descriptions, no generated titles, the charter's ids on the fields that refer to them."""
    node["description"] = MODELS[model]
    node.pop("title", None)
    required = node.get("required", [])
    keys = ", ".join(node.get("properties", {}))
    node["errorMessage"] = (f"{MODELS[model].rstrip('.')} : clé inconnue, clé obligatoire manquante ou "
                            f"valeur qui n'est pas une table (clés possibles : {keys}"
                            + (f" ; obligatoires : {', '.join(required)})" if required else ")"))
    for name, prop in node.get("properties", {}).items():
        prop.pop("title", None)
        prop["description"] = FIELDS[model][name]
        reference = REFERENCES.get((model, name))
        if reference is not None and ids.get(reference[0]):
            for leaf in _strings(prop) if prop.get("type") != "object" else [_keys(prop)]:
                leaf.pop("pattern", None)
                leaf["enum"] = list(ids.get(reference[0]))
                leaf["errorMessage"] = f"{reference[1]} ({', '.join(ids.get(reference[0]))})"
        node["properties"][name] = dict(sorted(prop.items()))
    if model in ("Quartier", "Territoire") and ids.roles and ids.acteurs:
        node["properties"]["roles"] = _roles(node["properties"]["roles"], ids)


def _keys(prop: dict[str, Any]) -> dict[str, Any]:
    """A table keyed by ids (``patternProperties``) turned into one whose keys are the charter's ids:
    its ``propertyNames`` schema, to fill in."""
    (value,) = prop.pop("patternProperties").values()
    prop["additionalProperties"] = value
    prop["propertyNames"] = {"type": "string"}
    return prop["propertyNames"]  # type: ignore[no-any-return]


def _strings(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The string schemas of a property: itself, its ``anyOf`` branches, its items."""
    if node.get("type") == "string":
        yield node
    for branch in node.get("anyOf", []):
        yield from _strings(branch)
    if isinstance(node.get("items"), dict):
        yield from _strings(node["items"])


def _roles(prop: dict[str, Any], ids: CharterIds) -> dict[str, Any]:
    """A quartier's ``roles``: each role of the registry, filled by an actor of the registry."""
    actor = {"type": "string", "enum": list(ids.acteurs),
             "errorMessage": f"acteur inconnu : un identifiant d'acteurs.yaml est attendu "
                             f"({', '.join(ids.acteurs)})"}
    several = {"type": "array", "items": actor, "minItems": 1,
               "errorMessage": "une liste d'acteurs d'acteurs.yaml est attendue"}
    return {"description": prop["description"], "type": "object",
            "properties": {role: {"anyOf": [actor, several],
                                  "description": f"L'acteur qui tient le rôle « {role} » ici, ou la liste "
                                                 "des acteurs quand plusieurs le tiennent."}
                           for role in ids.roles},
            "additionalProperties": False,
            "errorMessage": f"rôle inconnu : un rôle d'acteurs.yaml est attendu ({', '.join(ids.roles)})"}


def _french_errors(node: Any) -> None:
    """Give every typed value a French ``errorMessage`` and every pattern a ``patternErrorMessage``."""
    if isinstance(node, list):
        for item in node:
            _french_errors(item)
        return
    if not isinstance(node, dict):
        return
    _merge_branches(node)
    if "pattern" in node and "patternErrorMessage" not in node:
        node["patternErrorMessage"] = PATTERN_MESSAGES.get(node["pattern"], PATTERN_MESSAGE)
    if "errorMessage" not in node and node.get("type", "null") != "null" and "properties" not in node:
        node["errorMessage"] = _type_error(node)
    for key, value in node.items():
        if key in ("properties", "definitions", "patternProperties"):
            for sub in value.values():
                _french_errors(sub)
        elif key in ("items", "anyOf", "additionalProperties"):
            _french_errors(value)


def _merge_branches(node: dict[str, Any]) -> None:
    """Make ``anyOf`` of plain types one node with a list of types (``["string", "null"]``).

    pydantic writes an optional field as ``anyOf: [{type: string...}, {type: null}]``; the editor's
    hover then blends the branches' (empty) titles into its heading. One node with a list of types
    means the same (``pattern`` applies to strings only, ``minimum`` to numbers only), and the
    hover shows the field's description.
    """
    branches = node.get("anyOf")
    if not branches or any(not isinstance(b.get("type"), str) or b["type"] not in _KEYWORDS_OF
                           or set(b) - {"type"} - _KEYWORDS_OF[b["type"]] for b in branches):
        return
    types = [b["type"] for b in branches]
    keys = [k for b in branches for k in b if k != "type"]
    if len(set(types)) != len(types) or len(set(keys)) != len(keys):
        return
    del node["anyOf"]
    for branch in branches:
        node.update({k: v for k, v in branch.items() if k != "type"})
    node["type"] = types
    if "enum" in node and "null" in types:
        node["enum"] = [*node["enum"], None]


def _type_error(node: dict[str, Any]) -> str:
    """The French error of a typed value: what is expected there."""
    if "enum" in node:
        return f"valeur invalide ; valeurs possibles : {', '.join(map(str, node['enum']))}"
    types = [t for t in (node["type"] if isinstance(node["type"], list) else [node["type"]]) if t != "null"]
    if node.get("pattern") == schema_pattern():
        return ("une échéance écrite comme la charte l'écrit (2023, Été 2022, T2 2025…) ou une année "
                "est attendue")
    if node.get("format") == "date":
        return "une date AAAA-MM-JJ qui existe est attendue (2025-06-30)"
    if node.get("minItems"):
        return f"une liste d'au moins {node['minItems']} élément est attendue"
    if node.get("minLength"):
        return "un texte non vide est attendu"
    words = " ou ".join(TYPE_WORDS[t] for t in types)
    return f"{words} est attendue" if types[-1] in ("array", "object") else f"{words} est attendu"


def render(kind: Kind, ids: CharterIds | None = None) -> str:
    """The schema as the text written to disk (stable: 2-space JSON, UTF-8, final newline)."""
    return json.dumps(build(kind, ids), indent=2, ensure_ascii=False) + "\n"


def kind_of(path: Path) -> Kind | None:
    """The kind of a charter file from its place (``charte.yaml``, ``acteurs.yaml``, ``quartiers/*``...)."""
    if path.parent.name in (QUARTIERS_DIR, REVIEWS_DIR) and path.suffix == ".yaml":
        return next(k for k in KINDS if k.file == f"{path.parent.name}/*.yaml")
    return next((k for k in KINDS if k.file == path.name), None)


def modeline(file: Path, schemas_dir: Path) -> str:
    """The modeline for ``file``: its schema's path relative to the file's folder."""
    kind = kind_of(file)
    if kind is None:
        raise ValueError(f"{file} n'est pas un fichier de charte")
    relative = Path(os.path.relpath(schemas_dir / kind.filename, file.parent)).as_posix()
    return MODELINE + relative
