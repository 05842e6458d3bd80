"""Where a load reads each file's bytes: the disk, a git revision held in memory, or the disk with
a few files held in memory instead (an edit not written yet).

Reading from the disk is bounded and refuses a symbolic link that leads out of the repository: a
pull request must not make ``gusp`` read (and quote in its messages) a file elsewhere on the
machine that runs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gusp_cli.model.errors import Problem, error
from gusp_cli.model.layout import DATA_DIR, QUARTIERS_DIR, REVIEWS_DIR, data_dir
from gusp_cli.store.yamlio import read_bounded

Texts = Mapping[Path, str | bytes]
"""File contents held in memory, by path (a git revision): a path it lacks is a missing file."""


class Overrides(dict[Path, str | bytes]):
    """In-memory contents of a few files (an edit not written yet); the others come from the disk."""


@dataclass(frozen=True)
class Sources:
    """The files of one repository as one load sees them."""

    root: Path
    texts: Texts | None = None

    @property
    def from_disk_only(self) -> bool:
        """True when every file comes from the disk (no revision, no override)."""
        return self.texts is None

    @property
    def touches_disk(self) -> bool:
        """True when some files come from the disk (the file index can vouch for those)."""
        return self.texts is None or isinstance(self.texts, Overrides)

    def on_disk(self, path: Path) -> bool:
        """True when ``path`` is read from the disk rather than from memory."""
        return self.texts is None or (isinstance(self.texts, Overrides) and path not in self.texts)

    def exists(self, path: Path) -> bool:
        """Whether ``path`` exists (``lexists`` on disk: a folder or a loop is read, and reported)."""
        return os.path.lexists(path) if self.on_disk(path) else path in self._memory

    def is_file(self, path: Path) -> bool:
        """Whether an optional file is present."""
        return path.is_file() if self.on_disk(path) else path in self._memory

    def read(self, path: Path) -> tuple[bytes | None, Problem | None]:
        """The file's bytes, or None and the problem that prevents reading them."""
        if not self.on_disk(path):
            content = self._memory.get(path)
            if content is None:
                return None, error("fichier_illisible", "fichier introuvable", path)
            return (content.encode() if isinstance(content, str) else content), None
        escape = escapes_repository(path)
        if escape:
            return None, error("lien_exterieur", f"lien symbolique vers {escape}, hors du dépôt de "
                               "charte : refusé (copiez le fichier dans le dépôt)", path)
        return read_bounded(path)

    def quartier_files(self) -> set[Path]:
        """Every ``quartiers/*.yaml`` file there is, listed in ``charte.yaml`` or not."""
        return self._yaml_files(QUARTIERS_DIR)

    def review_files(self) -> set[Path]:
        """Every ``revues/*.yaml`` file there is (the project lead's words for a year's review)."""
        return self._yaml_files(REVIEWS_DIR)

    def _yaml_files(self, name: str) -> set[Path]:
        """The ``*.yaml`` files of one folder of ``charter-data/``, on disk and in memory."""
        folder = data_dir(self.root) / name
        found: set[Path] = set()
        if self.touches_disk and folder.is_dir():
            found |= set(folder.glob("*.yaml"))
        found |= {p for p in self._memory if p.parent == folder and p.suffix == ".yaml"}
        return found

    @property
    def _memory(self) -> Texts:
        return self.texts if self.texts is not None else {}


@lru_cache(maxsize=4096)
def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as git names it (``charter-data/quartiers/abc.yaml``).

    Remembered: a load asks it of every file three times (the listing, the file index, the
    rules' parts), and an edit loads twice; for 500 quartiers pathlib's ``relative_to`` was 4 % of
    an edit.
    """
    return path.relative_to(root).as_posix()


def escapes_repository(path: Path) -> str | None:
    """The real path of a file that a symbolic link takes out of its repository, else None."""
    folder = next((p for p in path.parents if p.name == DATA_DIR), None)
    if folder is None or not os.path.lexists(path):
        return None
    below = [path, *path.parents[:len(path.parents) - len(folder.parents)]]  # the file .. charter-data
    if not any(os.path.islink(p) for p in below):
        return None  # no link below the repository's root: the file is inside it
    real, root = os.path.realpath(path), os.path.realpath(folder.parent)
    return None if real == root or real.startswith(root + os.sep) else real
