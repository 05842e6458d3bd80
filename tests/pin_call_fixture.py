"""Pin the CALL charter for the tests: copy ``charter-data/`` to ``tests/cases/call/charter-data/``.

Run ``make fixture`` (``python -m tests.pin_call_fixture``) after correcting the transcription of
the signed charter, never to follow the charter's life: the pinned copy is the charter *as signed*,
and the tests compute their expectations from it. It therefore refuses a charter that carries any
follow-up (a status, a ``suivi`` entry, an evaluation, a completion date) or optional records
(meetings, insertion...), and names what it found.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "charter-data"
TARGET = ROOT / "tests" / "cases" / "call" / "charter-data"
SIGNED_FILES = ("charte.yaml", "acteurs.yaml")
TRACKING = ("statut", "suivi", "evaluation", "date_realisation")


def follow_up_found(data: Path) -> list[str]:
    """What in ``data`` is not the signed text: tracking fields of actions, optional record files."""
    found = [f"{p.relative_to(data.parent)} (fichier facultatif)" for p in sorted(data.glob("*.yaml"))
             if p.name not in SIGNED_FILES]
    for path in sorted((data / "quartiers").glob("*.yaml")):
        quartier = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for table in quartier.get("tableaux") or []:
            for action in table.get("actions") or []:
                keys = [k for k in TRACKING if k in action]
                if keys:
                    found.append(f"{path.name} : {action.get('id')} porte {', '.join(keys)}")
    return found


def pin(source: Path = SOURCE, target: Path = TARGET) -> None:
    """Replace ``target`` by a copy of the signed files of ``source`` (all at once, or not at all)."""
    found = follow_up_found(source)
    if found:
        raise SystemExit("copie refusée : la copie de référence des tests est la charte telle que signée, "
                         "sans suivi ; retirez d'abord :\n  " + "\n  ".join(found))
    with tempfile.TemporaryDirectory(dir=target.parent.parent) as scratch:
        fresh = Path(scratch) / "charter-data"
        (fresh / "quartiers").mkdir(parents=True)
        for name in SIGNED_FILES:
            shutil.copy2(source / name, fresh / name)
        for path in sorted((source / "quartiers").glob("*.yaml")):
            shutil.copy2(path, fresh / "quartiers" / path.name)
        old = Path(scratch) / "old"
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    print(f"copie de référence mise à jour : {target}")


if __name__ == "__main__":
    pin()
    sys.exit(0)
