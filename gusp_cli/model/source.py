"""Positions in source files, printed the way editors make them clickable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourcePos:
    """A 1-based line and column in a file."""

    path: Path
    line: int
    col: int

    def display(self, base: Path | None = None) -> str:
        """Return ``path:line:col``, the path relative to ``base`` when it lies below it."""
        return f"{display_path(self.path, base)}:{self.line}:{self.col}"


def display_path(path: Path, base: Path | None = None) -> str:
    """Return ``path`` relative to ``base`` (default: the working directory) when possible."""
    try:  # the folder is resolved, not the file: a symlink loop or to /dev/null keeps its name
        root = base if base is not None else Path.cwd()
        return str((path.parent.resolve() / path.name).relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)
