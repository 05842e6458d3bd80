"""Finding the charter repository, the way git finds ``.git``.

A charter repository is a directory that holds ``charter-data/charte.yaml``. It is found, in
order, from ``--charter PATH``, from ``$GUSP_CHARTER``, or by walking up from the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from gusp_cli.model.errors import GuspError
from gusp_cli.model.layout import CHARTER_FILE, DATA_DIR

ENV_VAR = "GUSP_CHARTER"

HOW_TO_POINT = ("indiquez-la avec --charter CHEMIN, avec la variable GUSP_CHARTER, "
                "ou lancez gusp depuis un dossier qui contient charter-data/")


def find_repository(start: str | Path | None = None, *, env: dict[str, str] | None = None,
                    cwd: Path | None = None) -> Path:
    """Return the root of the charter repository (the folder holding ``charter-data/``).

    ``start`` is an explicit path (``--charter``); otherwise ``$GUSP_CHARTER``; otherwise the
    working directory and its parents. Raises :class:`GuspError` (exit 2) when none is found.
    """
    environ = os.environ if env is None else env
    if start is not None:
        return _explicit(Path(start), "--charter")
    if environ.get(ENV_VAR):
        return _explicit(Path(environ[ENV_VAR]), ENV_VAR)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DATA_DIR / CHARTER_FILE).is_file():
            return folder
    raise GuspError(f"aucune charte trouvée dans {here} ni ses dossiers parents : {HOW_TO_POINT}.", 2)


def _explicit(path: Path, origin: str) -> Path:
    """Accept the repository root, its ``charter-data/`` folder or its ``charte.yaml``."""
    try:
        resolved = path.expanduser().resolve()
    except (OSError, RuntimeError):
        raise GuspError(f"{origin} : chemin illisible « {path} » (boucle de liens ?)", 2) from None
    if not resolved.exists():  # before looking around: a typo must not fall back on the parent
        raise GuspError(f"{origin} : « {path} » n'existe pas", 2)
    if resolved.is_file() and resolved.name != CHARTER_FILE:
        raise GuspError(f"{origin} : « {path} » est un fichier, pas un dépôt de charte", 2)
    candidates = [resolved]
    if resolved.name == DATA_DIR:
        candidates.append(resolved.parent)
    elif resolved.name == CHARTER_FILE:
        candidates.append(resolved.parent.parent)
    for folder in candidates:
        if (folder / DATA_DIR / CHARTER_FILE).is_file():
            return folder
    raise GuspError(f"{origin} : « {path} » {_why_not(candidates)}", 2)


def _why_not(candidates: list[Path]) -> str:
    """Say why none of ``candidates`` is a repository root (a file in place of a folder...)."""
    for folder in candidates:
        data = folder / DATA_DIR
        if os.path.lexists(data) and not data.is_dir():
            return f"a un {DATA_DIR} qui n'est pas un dossier ({data})"
        if os.path.lexists(data / CHARTER_FILE):
            return (f"a un {DATA_DIR}/{CHARTER_FILE} illisible : dossier, lien symbolique cassé "
                    f"ou en boucle ({data / CHARTER_FILE})")
    return f"ne contient pas {DATA_DIR}/{CHARTER_FILE}"
