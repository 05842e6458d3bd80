"""Finding the charter repository, the way git finds ``.git``.

A charter repository is a directory that holds ``charter-data/charte.yaml``. It is found, in
order, from ``--charter PATH``, from ``$GUSP_CHARTER``, or by walking up from the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from gusp_cli.errors import GuspError

DATA_DIR = "charter-data"
CHARTER_FILE = "charte.yaml"
REGISTRY_FILE = "acteurs.yaml"
QUARTIERS_DIR = "quartiers"
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
    candidates = [resolved, resolved.parent, resolved.parent.parent]
    if resolved.is_file() and resolved.name != CHARTER_FILE:
        raise GuspError(f"{origin} : « {path} » est un fichier, pas un dépôt de charte", 2)
    for folder in candidates:
        if (folder / DATA_DIR / CHARTER_FILE).is_file():
            return folder
    if not resolved.exists():
        raise GuspError(f"{origin} : « {path} » n'existe pas", 2)
    raise GuspError(f"{origin} : « {path} » ne contient pas {DATA_DIR}/{CHARTER_FILE}", 2)


def data_dir(root: Path) -> Path:
    """Return the ``charter-data`` folder of a repository root."""
    return root / DATA_DIR


def quartier_file(root: Path, quartier_id: str) -> Path:
    """Return the YAML file of a quartier."""
    return root / DATA_DIR / QUARTIERS_DIR / f"{quartier_id}.yaml"
