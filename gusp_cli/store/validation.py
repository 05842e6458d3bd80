"""Validating plain YAML values against the models, with French, positioned messages.

pydantic's errors carry a ``loc`` path; it is kept as the problem's YAML path, and the loader
turns it into ``file:line:col`` from the node tree. Messages are rewritten in French, with a
suggestion for mistyped keys and enum values.

One bad action does not hide its quartier (:func:`validate_keeping`): when every error of a
quartier file lies inside actions, those actions are left out and the rest is validated again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gusp_cli.french.text import suggestion
from gusp_cli.model.errors import Problem, YamlPath, error

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
    """Validate ``data`` as ``model``; return the instance or the problems (never raises).

    ``data`` (plain values from :mod:`gusp_cli.store.yamlio`) is validated as JSON in pydantic's strict
    mode: a text stays a text and a number a number (``numero: "3"``, ``numero: true``,
    ``libelle: 2025`` are errors, never silent conversions), while dates and enum values are
    still read from their text.
    """
    try:
        return model.model_validate_json(_as_json(data), strict=True), []
    except ValidationError as exc:
        return None, _problems(model, exc, path)


ACTION = ("tableaux", int, "actions", int)
"""Where an action sits in a quartier file; an action with an error there can be left out."""


def validate_keeping(model: type[M], data: Any, path: Path
                     ) -> tuple[M | None, list[Problem], list[tuple[int, int]]]:
    """Like :func:`validate`, but a quartier whose errors all lie inside actions is validated
    again without those actions: return the instance, every problem (the first pass's) and the
    (table, action) indexes left out. Any other error gives no instance, as :func:`validate`."""
    instance, problems = validate(model, data, path)
    if instance is not None or not problems or model.__name__ != "Quartier":
        return instance, problems, []
    bad = {p.yaml_path[:4] for p in problems}
    if not all(_is_action(loc) for loc in bad) or not isinstance(data, dict):
        return None, problems, []
    left_out = sorted((int(loc[1]), int(loc[3])) for loc in bad)
    kept, _ = validate(model, _without(data, set(left_out)), path)
    return (kept, problems, left_out) if kept is not None else (None, problems, [])


def _is_action(loc: YamlPath) -> bool:
    """True for ``("tableaux", t, "actions", a)``."""
    return len(loc) == 4 and all(
        isinstance(step, int) and not isinstance(step, bool) if kind is int else step == kind
        for step, kind in zip(loc, ACTION, strict=True))


def _without(data: dict[str, Any], left_out: set[tuple[int, int]]) -> dict[str, Any]:
    """A shallow copy of a quartier's values without the actions at ``left_out`` (never mutated)."""
    tables = data.get("tableaux")
    if not isinstance(tables, list):
        return data
    copied = []
    for t, table in enumerate(tables):
        actions = table.get("actions") if isinstance(table, dict) else None
        if isinstance(actions, list) and any(key[0] == t for key in left_out):
            table = {**table, "actions": [a for i, a in enumerate(actions) if (t, i) not in left_out]}
        copied.append(table)
    return {**data, "tableaux": copied}


def _as_json(data: Any) -> bytes:
    """Plain values as JSON text (dates, if a caller passes some, as ISO text).

    pydantic-core's serialiser, twice as fast as :func:`json.dumps` (measured: 116 ms against 243 ms
    for 50,000 actions). The reader builds only finite numbers; a non-finite one, should a caller
    pass it, is written ``null`` and refused by validation (« reçu rien »), never read as a number.
    """
    from pydantic_core import to_json

    return to_json(data, inf_nan_mode="null")


def _problems(model: type[BaseModel], exc: ValidationError, path: Path) -> list[Problem]:
    """Translate every pydantic error, once per location."""
    seen: set[YamlPath] = set()
    problems = []
    errors = exc.errors(include_url=False)
    seen.update(_missing_explained_by_typos(model, errors))
    for err in errors:
        loc = _clean_loc(err["loc"], model)
        if loc in seen:
            continue
        seen.add(loc)
        if err["loc"] and err["loc"][-1] == "[key]":
            message, key = _key_message(err, loc), True
        else:
            message, key = _message(model, err, loc)
        problems.append(error("schema", message, path, loc, key=key))
    return problems


def _key_message(err: Any, loc: YamlPath) -> str:
    """The message for a table key that is not a valid identifier (``roles: {12: ...}``)."""
    parent = _field_name(loc[:-1])
    return (f"clé « {err.get('input')} » invalide dans « {parent} » "
            "(minuscules sans accents, chiffres et _ ; ex. bailleur_sud)")


def _missing_explained_by_typos(model: type[BaseModel], errors: list[Any]) -> set[YamlPath]:
    """Locations of missing keys that a mistyped key next to them explains (``libele``)."""
    from gusp_cli.french.text import closest

    explained: set[YamlPath] = set()
    extras = [_clean_loc(e["loc"], model) for e in errors if e["type"] == "extra_forbidden"]
    for err in errors:
        if err["type"] != "missing":
            continue
        loc = _clean_loc(err["loc"], model)
        if not loc:
            continue
        siblings = [str(x[-1]) for x in extras if x[:-1] == loc[:-1]]
        if siblings and closest(str(loc[-1]), siblings, n=1):
            explained.add(loc)
    return explained


_MARKERS = frozenset({"str", "int", "float", "bool", "none", "date", "list", "dict"})
"""Names pydantic gives the members of a union in a location (``valeur.float``)."""


def _clean_loc(loc: tuple[Any, ...], model: Any = None) -> YamlPath:
    """Drop pydantic's union-member and ``[key]`` markers from a location.

    The location is walked along ``model``'s types, so that a key named like a marker
    (``date`` in a follow-up entry) is kept: only the step after a union can be a marker.
    """
    out: list[str | int] = []
    state = model
    for step in loc:
        if isinstance(step, str) and step.startswith(("function-", "constrained-", "[key]")):
            continue
        if isinstance(step, str) and step in _MARKERS and (model is None or _is_union(state)):
            state = None
            continue
        out.append(step)
        state = _step_into(state, step)
    return tuple(out)


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` → X; ``X | None`` → X (pydantic puts no marker for them)."""
    from typing import Annotated, get_args, get_origin

    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        members = [a for a in get_args(annotation) if a is not type(None)]
        if _is_union_type(annotation) and len(members) == 1:
            annotation = members[0]
            continue
        return annotation


def _is_union_type(annotation: Any) -> bool:
    """True for ``X | Y`` and ``Union[X, Y]``."""
    import types
    from typing import Union, get_origin

    return get_origin(annotation) in (Union, types.UnionType)


def _is_union(annotation: Any) -> bool:
    """True for a union of several types (after which pydantic names the member)."""
    return _is_union_type(_unwrap(annotation))


def _step_into(annotation: Any, step: str | int) -> Any:
    """The type found one step below ``annotation`` (None when unknown)."""
    from typing import get_args, get_origin

    current = _unwrap(annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        info = current.model_fields.get(step) if isinstance(step, str) else None
        return info.annotation if info is not None else None
    args = get_args(current)
    if get_origin(current) in (list, tuple, set) and args and isinstance(step, int):
        return args[0]
    if get_origin(current) is dict and len(args) == 2:
        return args[1]
    return None


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
        return _pattern_message(field, value, err.get("ctx", {}).get("pattern", "")), False
    if kind in ("greater_than_equal", "greater_than"):
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt", 0))
        limit = int(limit) if float(limit).is_integer() else limit
        return f"« {field} » doit être supérieur ou égal à {limit} (reçu {value})", False
    if kind == "less_than_equal":
        return f"« {field} » doit être inférieur ou égal à {err['ctx']['le']} (reçu {value})", False
    if kind in ("too_short", "string_too_short"):
        return f"« {field} » ne peut pas être vide", False
    if kind == "string_type" and isinstance(value, bool | int | float):
        what = "le booléen" if isinstance(value, bool) else "le nombre"
        return (f"« {field} » doit être un texte (reçu {what} {_show(value)} ; écrivez-le entre "
                "guillemets si c'est un texte)"), False
    if kind in _TYPE_NAMES:
        return f"« {field} » doit être {_TYPE_NAMES[kind]} (reçu {_show(value)})", False
    if kind == "value_error":
        return f"valeur invalide pour « {field} » : {err.get('ctx', {}).get('error', err['msg'])}", False
    return f"valeur invalide pour « {field} » : {err['msg']}", False


def _pattern_message(field: str, value: Any, pattern: str = "") -> str:
    """Explain the identifier patterns (``pattern`` tells an action id from a slug)."""
    if pattern.startswith("^SIG-"):
        return (f"identifiant de signalement « {value} » invalide (forme attendue : SIG, l'année, un "
                "numéro d'au moins quatre chiffres, ex. SIG-2026-0001)")
    if pattern.startswith("^[A-Z]") or (field == "id" and isinstance(value, str) and value[:1].isupper()):
        return (f"identifiant d'action « {value} » invalide (forme attendue : deux à cinq majuscules, "
                "un tiret et au moins trois chiffres, ex. ABC-042)")
    return (f"identifiant « {value} » invalide pour « {field} » "
            "(minuscules sans accents, chiffres et _ ; ex. bailleur_sud)")


def _show(value: Any) -> str:
    """Render a received value briefly."""
    if value is None:
        return "rien"
    if isinstance(value, bool):
        return "true" if value else "false"
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
