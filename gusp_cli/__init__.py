"""gusp — pilot a GUSP charter (Gestion Urbaine et Sociale de Proximité) kept as YAML in git.

The public API is small and pure: find and load a charter repository, then query it.

>>> from gusp_cli import load_charter
>>> charter = load_charter(".")          # doctest: +SKIP
>>> charter.ok, len(charter.entries)     # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_charter"]

TYPE_CHECKING = False  # not ``typing`` (≈ 7 ms): every run imports this package first
if TYPE_CHECKING:
    from typing import Any

    from gusp_cli.model.charter import Charter


def load_charter(start: Any = None, **kwargs: Any) -> Charter:
    """Find the charter repository from ``start`` and load it (see :func:`gusp_cli.store.loader.load`)."""
    from gusp_cli.store.loader import load
    from gusp_cli.store.repository import find_repository

    return load(find_repository(start), **kwargs)
