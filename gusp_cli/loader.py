"""Loading a charter repository: read every file, validate, check, collect every problem.

Like beancount's loader, it never stops at the first problem: a file that fails to parse is
reported and the others are still read and checked. Source positions are resolved at the end,
only for the files that have problems.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gusp_cli.charter import Charter, Entry
from gusp_cli.checks import run_checks
from gusp_cli.errors import Problem, error, warning
from gusp_cli.models import Charte, Quartier, Registre
from gusp_cli.repository import CHARTER_FILE, QUARTIERS_DIR, REGISTRY_FILE, data_dir, quartier_file
from gusp_cli.validation import validate
from gusp_cli.yamlio import Parsed, parse_file, position_of


def load(root: Path, *, as_of: dt.date | None = None) -> Charter:
    """Load the charter repository at ``root``; problems are collected in ``charter.problems``.

    ``as_of`` is the reference date for the rules that depend on it (follow-up dates in the
    future); without it those rules are skipped. The clock is never read here.
    """
    charter = Charter(root=root)
    parsed: dict[Path, Parsed] = {}
    base = data_dir(root)
    charter.charte = _read_model(base / CHARTER_FILE, Charte, parsed, charter.problems)
    charter.registre = _read_model(base / REGISTRY_FILE, Registre, parsed, charter.problems)
    for index, quartier_id in enumerate(charter.charte.quartiers if charter.charte else []):
        if not quartier_file(root, quartier_id).is_file():
            charter.problems.append(error(
                "fichier_manquant", f"quartier « {quartier_id} » listé mais fichier "
                f"{QUARTIERS_DIR}/{quartier_id}.yaml introuvable", base / CHARTER_FILE,
                ("quartiers", index)))
            continue
        _load_quartier(charter, quartier_id, parsed)
    _warn_unlisted(charter)
    if charter.charte is not None and charter.registre is not None:
        charter.problems.extend(run_checks(charter, as_of))
    _resolve_positions(charter.problems, parsed)
    return charter


def _read_model(path: Path, model: Any, parsed: dict[Path, Parsed], problems: list[Problem]) -> Any:
    """Parse and validate one file; record its problems; return the model or None."""
    result = parse_file(path)
    parsed[path] = result
    problems.extend(result.problems)
    if not result.ok:
        return None
    if not isinstance(result.data, dict):
        kind = "une liste" if isinstance(result.data, list) else "une valeur simple"
        problems.append(error("schema", f"le document doit être une table (clé: valeur), pas {kind}",
                              path, ()))
        return None
    instance, schema_problems = validate(model, result.data, path)
    problems.extend(schema_problems)
    return instance


def _load_quartier(charter: Charter, quartier_id: str, parsed: dict[Path, Parsed]) -> None:
    """Load one quartier file and append its entries."""
    path = quartier_file(charter.root, quartier_id)
    quartier: Quartier | None = _read_model(path, Quartier, parsed, charter.problems)
    if quartier is None:
        return
    if quartier.id != quartier_id:
        charter.problems.append(error("quartier_id", f"l'id « {quartier.id} » ne correspond pas au "
                                      f"nom du fichier ({quartier_id}.yaml)", path, ("id",)))
    charter.quartiers.append(quartier)
    charter.files[quartier.id] = path
    for t, tableau in enumerate(quartier.tableaux):
        for a, action in enumerate(tableau.actions):
            yaml_path = ("tableaux", t, "actions", a)
            charter.entries.append(Entry(quartier, tableau, action, path, yaml_path,
                                         len(charter.entries)))


def _warn_unlisted(charter: Charter) -> None:
    """Warn about quartier files that ``charte.yaml`` does not list (they are not loaded)."""
    folder = data_dir(charter.root) / QUARTIERS_DIR
    listed = set(charter.charte.quartiers) if charter.charte else set()
    if charter.charte is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        if path.stem not in listed:
            charter.problems.append(warning("quartier_non_liste", f"fichier {path.name} ignoré : "
                                            f"« {path.stem} » n'est pas listé dans charte.yaml "
                                            "(clé quartiers)", path))


def _resolve_positions(problems: list[Problem], parsed: dict[Path, Parsed]) -> None:
    """Give each problem that has a YAML path its line and column, from the node tree."""
    for problem in problems:
        if problem.pos is not None or problem.path is None:
            continue
        source = parsed.get(problem.path)
        if source is None or source.root is None:
            continue
        problem.pos = position_of(source.root, problem.path, problem.yaml_path, key=problem.key)
