"""Coercion of text, path and flag options without pydantic (typer's costs ≈ 30 ms per run).

typer (0.29) turns every option value into its annotated type through a pydantic ``TypeAdapter``,
built on first use: any command with an option then imports pydantic, whatever the value. Nearly
all of gusp's options are text (the value typed is already a ``str``), paths (``Path(value)``),
flags (already a ``bool``) or whole numbers: for those, :func:`install` sets the same conversion
without pydantic, and a number that is not one, or out of the option's ``min``/``max``, gets a
French message (pydantic's would be English: « Input should be a valid integer »). Anything else
(lists, a flag given as text) keeps typer's own coercion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # typer's runtime coercion layer (0.29); older releases coerce without pydantic
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - pinned in pyproject.toml
    RuntimeParam = None  # type: ignore[assignment,misc]

_DIRECT = (str, Path, bool, int)
"""Annotations converted here (see the module docstring)."""
_INTEGER = re.compile(r"[+-]?[0-9]+")
"""A whole number as typed."""
_DIGITS = 18
"""More digits than this is never a count of days or a year (and would overflow dates)."""


@dataclass(frozen=True)
class _PlainRuntimeParam(RuntimeParam if RuntimeParam is not None else object):  # type: ignore[misc]
    """Keep a value of the right type, make a path of a ``str``; typer's coercion for the rest."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.annotation is int:
            return _integer(value, self.parameter_info, param, ctx)
        if type(value) is self.annotation:
            return value
        if self.annotation is Path and isinstance(value, str):
            return Path(value)
        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


def _integer(value: Any, info: Any, param: Any, ctx: Any) -> int:
    """A whole number within the option's bounds, or click's BadParameter with a French message."""
    from typer._click.exceptions import BadParameter

    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadParameter(f"« {value} » n'est pas un nombre entier", ctx=ctx, param=param)
    text = value.strip() if isinstance(value, str) else str(value)
    if not _INTEGER.fullmatch(text):
        raise BadParameter(f"« {value} » n'est pas un nombre entier", ctx=ctx, param=param)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if len(text.lstrip("+-")) > _DIGITS:
        limit = f" (au plus {high})" if high is not None and not text.startswith("-") else ""
        raise BadParameter(f"« {text} » est hors limites{limit}", ctx=ctx, param=param)
    number = int(text)
    if low is not None and number < low:
        raise BadParameter(f"{number} est trop petit (au moins {low})", ctx=ctx, param=param)
    if high is not None and number > high:
        raise BadParameter(f"{number} est trop grand (au plus {high})", ctx=ctx, param=param)
    return number


def install(command: Any) -> None:
    """Give the text, path and flag parameters of ``command`` and its subcommands the direct coercion."""
    if RuntimeParam is None:
        return
    _patch_help_option()
    for param in getattr(command, "params", ()):
        _install_param(param)
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def _install_param(param: Any) -> None:
    """Set the direct coercion on one parameter when its type allows it."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", True) is not None:
        return
    if descriptor.annotation in _DIRECT and descriptor.file_annotation is None:
        param._runtime_param = _PlainRuntimeParam(parameter_info=descriptor.parameter_info,
                                                  annotation=descriptor.annotation)


def _patch_help_option() -> None:
    """The ``--help`` option is made per command when parsing: give it the direct coercion too."""
    from typer._click import core

    original = core.Command.get_help_option
    if getattr(original, "_gusp_plain", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            _install_param(option)
        return option

    get_help_option._gusp_plain = True  # type: ignore[attr-defined]
    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
