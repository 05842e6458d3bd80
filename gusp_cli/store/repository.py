"""Finding the charter repository, the way git finds ``.git``.

A charter repository is a directory that holds ``charter-data/charte.yaml``. It is found, in
order, from ``--charter PATH``, from ``$GUSP_CHARTER``, or by walking up from the working directory.
When none of them gives one, :func:`find_charter` falls back on the charter gusp ships (the embedded one,
read-only): ``gusp_cli/_embedded/charter-data`` in a wheel, the checkout's own ``charter-data/`` in
an editable install.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
    return find_charter(start, env=env, cwd=cwd, fallback=False).root


@dataclass(frozen=True)
class Found:
    """Where the charter was found."""

    root: Path
    """The repository root (the folder holding ``charter-data/``)."""
    embedded: bool = False
    """True for the charter shipped with gusp, found because no repository was: read-only."""
    searched: Path | None = None
    """For the embedded charter: the folder searched (with its parents) in vain."""


def find_charter(start: str | Path | None = None, *, env: dict[str, str] | None = None,
                 cwd: Path | None = None, fallback: bool = True) -> Found:
    """Like :func:`find_repository`; with ``fallback``, the embedded charter when none is found.

    An explicit path (``--charter``, ``$GUSP_CHARTER``) that is not a repository stays an error:
    only the walk up from the working directory falls back.
    """
    environ = os.environ if env is None else env
    if start is not None:
        return Found(_explicit(Path(start), "--charter"))
    if environ.get(ENV_VAR):
        return Found(_explicit(Path(environ[ENV_VAR]), ENV_VAR))
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / DATA_DIR / CHARTER_FILE).is_file():
            return Found(folder)
    shipped = embedded_repository() if fallback else None
    if shipped is not None:
        return Found(shipped, embedded=True, searched=here)
    raise GuspError(f"aucune charte trouvée dans {here} ni ses dossiers parents : {HOW_TO_POINT}.", 2)


def embedded_repository() -> Path | None:
    """The root of the charter shipped with gusp, or None when this installation has none.

    In a wheel, ``gusp_cli/_embedded/`` holds ``charter-data/`` (``pyproject.toml``,
    ``force-include``); in an editable install, the checkout itself does.
    """
    package = Path(__file__).resolve().parents[1]
    for root in (package / "_embedded", package.parent):
        if (root / DATA_DIR / CHARTER_FILE).is_file():
            return root
    return None


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
