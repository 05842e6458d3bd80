"""Coercion of text, path and flag options without pydantic (typer's costs ≈ 30 ms per run).

typer (0.29) turns every option value into its annotated type through a pydantic ``TypeAdapter``,
built on first use: any command with an option then imports pydantic, whatever the value. Nearly
all of gusp's options are text (the value typed is already a ``str``), paths (``Path(value)``)
or flags (already a ``bool``): for those, :func:`install` sets the same conversion without
pydantic. Anything else (numbers, lists, a flag given as text) keeps typer's own coercion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # typer's runtime coercion layer (0.29); older releases coerce without pydantic
    from typer._coercion import RuntimeParam, build_runtime_param
except ImportError:  # pragma: no cover - pinned in pyproject.toml
    RuntimeParam = None  # type: ignore[assignment,misc]

_DIRECT = (str, Path, bool)
"""Annotations whose values are taken as they come when already of that type."""


@dataclass(frozen=True)
class _PlainRuntimeParam(RuntimeParam if RuntimeParam is not None else object):  # type: ignore[misc]
    """Keep a value of the right type, make a path of a ``str``; typer's coercion for the rest."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        if self.annotation is Path and isinstance(value, str):
            return Path(value)
        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


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
