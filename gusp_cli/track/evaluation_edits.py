"""Record an action's evaluation: the cells of the charter's grid, changed in place.

:func:`plan_evaluation` sets the given cells of ``evaluation`` (creating the block when the action
has none) in the file's round-trip tree, so only those lines change; a cell set to ``None`` is
removed (« non renseigné »), and an emptied block goes with it. The charter is checked as it would
be after the change (:func:`gusp_cli.track.edits._finish`); nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import UsageError
from gusp_cli.model.evaluation import BUILT_IN, Dimension, grid
from gusp_cli.model.models import Evaluation
from gusp_cli.store.roundtrip import Session
from gusp_cli.store.textfile import Source
from gusp_cli.track.edits import ACTION_ORDER, Change, _finish, _locate, _set, _text

EVALUATION_ORDER = list(Evaluation.model_fields)
CLEAR = object()
"""The value that removes a cell (the user typed ``non_renseigne``)."""
SET_OPTIONS = {"deployee": "--deployee", "cout": "--cout", "clauses_insertion_respectees": "--insertion",
               "qualite_de_vie_amelioree": "--qualite-de-vie"}
"""The ``gusp evaluation set`` option of each default dimension (the others: ``--valeur CASE=…``)."""


def set_option(dimension: str, value: str) -> str:
    """The ``gusp evaluation set`` option that gives ``dimension`` the (typed) ``value``:
    ``--cout 12500``, ``--valeur satisfaction=…``."""
    option = SET_OPTIONS.get(dimension)
    return f"{option} {value}" if option else f"--valeur {dimension}={value}"


def plan_evaluation(charter: Charter, source: Source, action_id: str, values: dict[str, Any], *,
                    commentaire: str | None = None, today: dt.date | None = None) -> Change:
    """Set the evaluation cells ``values`` (dimension id -> value, :data:`CLEAR` to remove) and the
    comment of one action; refuse a dimension the grid does not have."""
    dimensions = {d.id: d for d in grid(charter)}
    for key in values:
        if key not in dimensions:
            raise UsageError(f"la grille d'évaluation de la charte n'a pas de case « {key} » (cases : "
                             f"{', '.join(dimensions) or 'aucune'})")
    if not values and commentaire is None:
        raise UsageError("rien à enregistrer : indiquez au moins une case (--deployee, --cout, --insertion, "
                         "--qualite-de-vie, --valeur CASE=VALEUR) ou --note")
    session = Session(source)
    path = _locate(session.data, action_id, source)
    action = session.item(path)
    current = action.get("evaluation")
    summary = [_line(action_id, dimensions[k], _cell(current, k), v) for k, v in values.items()
               if _cell(current, k) != (None if v is CLEAR else v)]
    if commentaire is not None and (current or {}).get("commentaire") != commentaire:
        summary.append(f"{action_id} : commentaire d'évaluation « {commentaire} »")
    if not summary:
        raise UsageError(f"rien à modifier : l'évaluation de {action_id} a déjà ces valeurs")

    def change(node: Any) -> None:
        _apply(node, values, commentaire)

    rendered = session.edit(path, change)
    fields = ", ".join(values) + (", commentaire" if commentaire is not None else "")
    return _finish(charter, source, rendered, summary, f"gusp: {action_id} évaluation ({fields.strip(', ')})",
                   today)


def _cell(block: Any, key: str) -> Any:
    """The value a round-trip ``evaluation`` block holds for a dimension (None when blank)."""
    if not hasattr(block, "get"):
        return None
    if key in BUILT_IN:
        return block.get(key)
    others = block.get("autres")
    return others.get(key) if hasattr(others, "get") else None


def _apply(action: Any, values: dict[str, Any], commentaire: str | None) -> None:
    """Write the cells into the action's ``evaluation`` block (created in model order when absent)."""
    from ruamel.yaml.comments import CommentedMap

    block = action.get("evaluation")
    if not isinstance(block, CommentedMap):
        block = CommentedMap()
        _set(action, "evaluation", block, ACTION_ORDER)
    for key, value in values.items():
        target, order = block, EVALUATION_ORDER
        if key not in BUILT_IN:
            others = block.get("autres")
            if not isinstance(others, CommentedMap):
                others = CommentedMap()
                _set(block, "autres", others, EVALUATION_ORDER)
            target, order = others, [*others, key]
        if value is CLEAR:
            target.pop(key, None)
        else:
            _set(target, key, _text(value, target.get(key)) if isinstance(value, str) else value, order)
    if commentaire is not None:
        if commentaire:
            _set(block, "commentaire", _text(commentaire, block.get("commentaire")), EVALUATION_ORDER)
        else:
            block.pop("commentaire", None)
    if "autres" in block and not block["autres"]:
        del block["autres"]
    if not block:
        del action["evaluation"]


def _line(action_id: str, dimension: Dimension, old: Any, new: Any) -> str:
    """« ABC-042 : Coût non renseigné → 12 500 € »."""
    return f"{action_id} : {change_text(dimension, old, new)}"


def change_text(dimension: Dimension, old: Any, new: Any) -> str:
    """« Coût non renseigné → 12 500 € » (None or :data:`CLEAR`: not reported)."""
    return f"{dimension.libelle} {value_text(dimension, old)} → {value_text(dimension, new)}"


def value_text(dimension: Dimension, value: Any) -> str:
    """A cell as the user reads it, « non renseigné » when blank (None or :data:`CLEAR`)."""
    if value is None or value is CLEAR:
        return "non renseigné"
    return shown(value, euros=dimension.type == "montant")


def shown(value: Any, *, euros: bool = False) -> str:
    """A cell as the user reads it: oui/non, « 12 500 € », a number, a text."""
    from gusp_cli.french.dates import format_euros, format_number

    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return format_euros(value) if euros else format_number(value)
    return f"« {value} »"
