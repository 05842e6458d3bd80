"""Validating plain YAML values against the models, with French, positioned messages.

pydantic's errors carry a ``loc`` path; it is kept as the problem's YAML path, and the loader
turns it into ``file:line:col`` from the node tree. Messages are rewritten in French, with a
suggestion for mistyped keys and enum values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gusp_cli.errors import Problem, YamlPath, error
from gusp_cli.text import suggestion

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "un texte",
    "int_type": "un nombre entier",
    "int_parsing": "un nombre entier",
    "int_from_float": "un nombre entier",
    "float_type": "un nombre",
    "float_parsing": "un nombre",
    "bool_type": "true ou false",
    "bool_parsing": "true ou false",
    "list_type": "une liste",
    "dict_type": "une table (clé: valeur)",
    "model_type": "une table (clé: valeur)",
    "model_attributes_type": "une table (clé: valeur)",
    "date_type": "une date AAAA-MM-JJ",
}


def validate(model: type[M], data: Any, path: Path) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` as ``model``; return the instance or the problems (never raises)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, _problems(model, exc, path)


def _problems(model: type[BaseModel], exc: ValidationError, path: Path) -> list[Problem]:
    """Translate every pydantic error, once per location."""
    seen: set[YamlPath] = set()
    problems = []
    errors = exc.errors(include_url=False)
    seen.update(_missing_explained_by_typos(model, errors))
    for err in errors:
        loc = _clean_loc(err["loc"])
        if loc in seen:
            continue
        seen.add(loc)
        message, key = _message(model, err, loc)
        problems.append(error("schema", message, path, loc, key=key))
    return problems


def _missing_explained_by_typos(model: type[BaseModel], errors: list[Any]) -> set[YamlPath]:
    """Locations of missing keys that a mistyped key next to them explains (``libele``)."""
    from gusp_cli.text import closest

    explained: set[YamlPath] = set()
    extras = [_clean_loc(e["loc"]) for e in errors if e["type"] == "extra_forbidden"]
    for err in errors:
        if err["type"] != "missing":
            continue
        loc = _clean_loc(err["loc"])
        siblings = [str(x[-1]) for x in extras if x[:-1] == loc[:-1]]
        if siblings and closest(str(loc[-1]), siblings, n=1):
            explained.add(loc)
    return explained


def _clean_loc(loc: tuple[Any, ...]) -> YamlPath:
    """Drop pydantic's union-member and ``[key]`` markers from a location."""
    names = {"str", "int", "float", "bool", "none", "date", "function-before[_year_to_str(), str]"}
    out: list[str | int] = []
    for step in loc:
        if isinstance(step, str) and (step in names or step.startswith(("function-", "[key]"))):
            continue
        if isinstance(step, str) and step.startswith("constrained-"):
            continue
        out.append(step)
    return tuple(out)


def _field_name(loc: YamlPath) -> str:
    """Name the field an error is about (the last textual step)."""
    for step in reversed(loc):
        if isinstance(step, str):
            return step
    return "élément"


def _message(model: type[BaseModel], err: Any, loc: YamlPath) -> tuple[str, bool]:
    """Return the French message for one pydantic error and whether it points at a key."""
    kind, value, field = err["type"], err.get("input"), _field_name(loc)
    if kind == "missing":
        return f"clé obligatoire « {field} » absente", False
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        return f"clé inconnue « {field} »{suggestion(str(field), known)}", True
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return (f"valeur « {value} » invalide pour « {field} »{suggestion(str(value), choices)} "
                f"(valeurs possibles : {', '.join(choices)})"), False
    if kind.startswith("date") or kind == "datetime_from_date_parsing":
        return f"date invalide « {value} » pour « {field} » (attendu une date réelle AAAA-MM-JJ)", False
    if kind == "string_pattern_mismatch":
        return _pattern_message(field, value), False
    if kind in ("greater_than_equal", "greater_than"):
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt", 0))
        limit = int(limit) if float(limit).is_integer() else limit
        return f"« {field} » doit être supérieur ou égal à {limit} (reçu {value})", False
    if kind == "less_than_equal":
        return f"« {field} » doit être inférieur ou égal à {err['ctx']['le']} (reçu {value})", False
    if kind in ("too_short", "string_too_short"):
        return f"« {field} » ne peut pas être vide", False
    if kind in _TYPE_NAMES:
        return f"« {field} » doit être {_TYPE_NAMES[kind]} (reçu {_show(value)})", False
    if kind == "value_error":
        return f"valeur invalide pour « {field} » : {err.get('ctx', {}).get('error', err['msg'])}", False
    return f"valeur invalide pour « {field} » : {err['msg']}", False


def _pattern_message(field: str, value: Any) -> str:
    """Explain the identifier patterns."""
    if field == "id" and isinstance(value, str) and value[:1].isupper():
        return f"identifiant d'action « {value} » invalide (forme attendue : LEN-042)"
    return (f"identifiant « {value} » invalide pour « {field} » "
            "(minuscules sans accents, chiffres et _ ; ex. maisons_et_cites)")


def _show(value: Any) -> str:
    """Render a received value briefly."""
    if value is None:
        return "rien"
    if isinstance(value, dict):
        return "une table"
    if isinstance(value, list):
        return "une liste"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _known_keys(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """Return the keys allowed at ``loc`` inside ``model`` (for suggestions)."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(step)
        if field_info is None:
            return []
        current = _inner_model(field_info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """Find the BaseModel class inside ``list[X]``, ``X | None``..."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
