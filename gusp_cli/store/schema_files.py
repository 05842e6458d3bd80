"""The JSON Schema files of a charter repository: written for its charter, or found stale.

The schemas themselves are built by :mod:`gusp_cli.model.schema` from the models and the ids the
charter defines (actors, roles, quartiers, sectors, bodies); this module only writes them
(atomically, untouched when already current) and compares them with what is on disk.
"""

from __future__ import annotations

from pathlib import Path

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.model.schema import KINDS, CharterIds, render


def write_schemas(directory: Path, charter: Charter | None = None) -> list[tuple[Path, bool]]:
    """Write every schema for ``charter`` into ``directory``; return (path, changed) for each."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GuspError(f"impossible de créer le dossier {directory} : {os_reason(exc)}", 1) from None
    from gusp_cli.store.outputs import write_output

    ids = CharterIds.of(charter)
    results = []
    for kind in KINDS:
        path = directory / kind.filename
        text = render(kind, ids).encode("utf-8")
        changed = not path.is_file() or path.read_bytes() != text  # is_file: a regular file only
        if changed:
            write_output(path, text, force=True)  # the folder was checked; a device is not replaced
        results.append((path, changed))
    return results


def stale_schemas(directory: Path, charter: Charter | None = None) -> list[Path]:
    """Schema files of ``directory`` that are missing or differ from those of ``charter``."""
    ids = CharterIds.of(charter)
    return [directory / k.filename for k in KINDS
            if not (directory / k.filename).is_file()
            or (directory / k.filename).read_bytes() != render(k, ids).encode("utf-8")]
