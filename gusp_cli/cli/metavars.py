"""French metavars in ``--help``: ``DATE``, ``TEXTE``, ``CHEMIN`` instead of typer's ``<str>``, ``<path>``.

typer 0.29 shows each parameter's Python type in the help (``<str>``, ``<bool>``, ``<list[str]>``);
a partner reading ``gusp overdue --help`` should see what to type, in French. Flags show nothing
(they take no value), arguments show their name only (``ID``, ``STATUT``), and an option shows its
own metavar when it declares one, else the one its name or its type calls for. Installed only when
a help is rendered (:func:`gusp_cli.cli.app._frenchify`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

BY_OPTION = {
    "--as-of": "DATE", "--date": "DATE", "--from": "DATE", "--to": "DATE",
    "--format": "FORMAT", "--output": "FICHIER", "--charter": "CHEMIN", "--templates": "DOSSIER",
    "--within": "JOURS", "--year": "ANNÉE", "--semestre": "SEMESTRE", "--separateur": "CARACTÈRE",
    "--rappel": "DÉLAI", "--quartier": "QUARTIER", "--responsable": "PARTIE", "--pilote": "PARTIE",
    "--acteur": "PARTIE", "--statut": "STATUT", "--echeance": "ÉCHÉANCE",
}
"""Options whose value has a name of its own."""

BY_TYPE: dict[Any, str] = {str: "TEXTE", Path: "CHEMIN", int: "NOMBRE", float: "NOMBRE"}
"""The metavar of any other option, by the type of its value."""


def metavar(option: Any) -> str | None:
    """The French metavar of a typer option (None for a flag)."""
    if getattr(option, "is_flag", False) or getattr(option, "count", False):
        return None
    if option.metavar is not None:
        return str(option.metavar)
    for name in option.opts:
        if name in BY_OPTION:
            return BY_OPTION[name]
    annotation = getattr(getattr(option, "type_descriptor", None), "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return BY_TYPE.get(annotation, "VALEUR")


def install() -> None:
    """Make typer's help show French metavars (idempotent)."""
    from typer import core

    if getattr(core.TyperOption.display_type_rich, "_gusp_french", False):
        return

    def option_type(self: Any, ctx: Any) -> str | None:
        return metavar(self)

    def argument_type(self: Any, ctx: Any) -> str | None:
        return None  # the name column already says what to type (ID, STATUT, FICHIER...)

    option_type._gusp_french = True  # type: ignore[attr-defined]
    core.TyperOption.display_type_rich = option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = argument_type  # type: ignore[method-assign]
