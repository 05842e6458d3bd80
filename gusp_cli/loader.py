"""Loading a charter repository: read every file, validate, check, collect every problem.

Like beancount's loader, it never stops at the first problem: a file that fails to parse is
reported and the others are still read and checked. Source positions are resolved at the end,
only for the files that have problems.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gusp_cli.charter import Charter, Entry
from gusp_cli.checks import run_checks
from gusp_cli.errors import Problem, error, warning
from gusp_cli.models import Charte, Quartier, Registre
from gusp_cli.repository import CHARTER_FILE, DATA_DIR, QUARTIERS_DIR, REGISTRY_FILE, data_dir, quartier_file
from gusp_cli.source import SourcePos
from gusp_cli.validation import validate
from gusp_cli.yamlio import Parsed, decode, node_tree, parse_file, parse_text, position_of

Texts = Mapping[Path, str | bytes]
"""File contents held in memory, by path (a git revision): a path it lacks is a missing file."""


class Overrides(dict[Path, str | bytes]):
    """In-memory contents of a few files (an edit not written yet); the others come from the disk."""


def _from_disk(path: Path, texts: Texts | None) -> bool:
    """True when ``path`` is read from the disk rather than from ``texts``."""
    return texts is None or (isinstance(texts, Overrides) and path not in texts)


def _exists(path: Path, texts: Texts | None) -> bool:
    """Whether ``path`` exists (lexists on disk: a folder or a loop is read and reported as such)."""
    return os.path.lexists(path) if _from_disk(path, texts) else path in texts  # type: ignore[operator]


def _is_file(path: Path, texts: Texts | None) -> bool:
    """Whether an optional file is present."""
    return path.is_file() if _from_disk(path, texts) else path in texts  # type: ignore[operator]


def load(root: Path, *, as_of: dt.date | None = None, texts: Texts | None = None,
         locate_warnings: bool = True) -> Charter:
    """Load the charter repository at ``root``; problems are collected in ``charter.problems``.

    ``as_of`` is the reference date for the rules that depend on it (follow-up dates in the
    future); without it those rules are skipped. The clock is never read here. With ``texts``
    the files are read from that mapping (paths below ``root``) instead of the disk; a path it
    lacks is a missing file, unless ``texts`` is an :class:`Overrides` (then it is read from
    disk). Without ``locate_warnings`` only errors get their line and column
    (a query on a valid charter then never re-reads a file that the parse cache answered for).
    """
    # Loading allocates millions of small containers and frees none: the cyclic garbage collector
    # would only rescan them (measured: 57 % of the load time on 50,000 actions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(root, as_of, texts, locate_warnings)
    finally:
        if collecting:
            gc.freeze()  # what was loaded lives until the command ends: never rescan it
            gc.enable()


def _load(root: Path, as_of: dt.date | None, texts: Texts | None, locate_warnings: bool) -> Charter:
    """Body of :func:`load`."""
    charter = Charter(root=root)
    parsed: dict[Path, Parsed] = {}
    base = data_dir(root)
    charter.charte = _read_model(base / CHARTER_FILE, Charte, parsed, charter.problems, texts)
    charter.registre = _read_model(base / REGISTRY_FILE, Registre, parsed, charter.problems, texts)
    for index, quartier_id in enumerate(charter.charte.quartiers if charter.charte else []):
        path = quartier_file(root, quartier_id)
        if not _exists(path, texts):
            charter.problems.append(error(
                "fichier_manquant", f"quartier « {quartier_id} » listé mais fichier "
                f"{QUARTIERS_DIR}/{quartier_id}.yaml introuvable", base / CHARTER_FILE,
                ("quartiers", index)))
            continue
        _load_quartier(charter, quartier_id, parsed, texts)
    _warn_unlisted(charter, texts)
    _load_records(charter, parsed, texts)
    if charter.charte is not None and charter.registre is not None:
        charter.problems.extend(run_checks(charter, as_of))
    located = charter.problems if locate_warnings else [p for p in charter.problems if p.is_error]
    _resolve_positions(located, parsed)
    return charter


def _parse(path: Path, texts: Texts | None) -> Parsed:
    """Parse one file from the disk, or from ``texts`` when given."""
    if _from_disk(path, texts):
        escape = _escapes_repository(path)
        if escape:
            return Parsed(path, problems=[error("lien_exterieur", f"lien symbolique vers {escape}, hors du "
                                                "dépôt de charte : refusé (copiez le fichier dans le dépôt)",
                                                path)])
        return parse_file(path)
    assert texts is not None
    if path not in texts:
        return Parsed(path, problems=[error("fichier_illisible", "fichier introuvable", path)])
    content = texts[path]
    text, problems = decode(content.encode() if isinstance(content, str) else content, path)
    return parse_text(text, path) if text is not None else Parsed(path, problems=problems)


def _escapes_repository(path: Path) -> str | None:
    """The real path of a file that a symbolic link takes out of its repository, else None.

    A pull request must not make ``gusp`` read (and quote in its messages) a file elsewhere on the
    machine that runs it.
    """
    folder = next((p for p in path.parents if p.name == DATA_DIR), None)
    if folder is None or not os.path.lexists(path):
        return None
    real, root = os.path.realpath(path), os.path.realpath(folder.parent)
    return None if real == root or real.startswith(root + os.sep) else real


def _read_model(path: Path, model: Any, parsed: dict[Path, Parsed], problems: list[Problem],
                texts: Texts | None = None) -> Any:
    """Parse and validate one file; record its problems; return the model or None."""
    result = _parse(path, texts)
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



def _load_records(charter: Charter, parsed: dict[Path, Parsed], texts: Texts | None = None) -> None:
    """Load the optional ``reunions.yaml`` and ``insertion.yaml`` when they exist."""
    from gusp_cli.checks import personal_data
    from gusp_cli.models import RegistreInsertion, Reunions
    from gusp_cli.repository import INSERTION_FILE, MEETINGS_FILE

    base = data_dir(charter.root)
    path = base / MEETINGS_FILE
    if _is_file(path, texts):
        meetings = _read_model(path, Reunions, parsed, charter.problems, texts)
        charter.reunions = meetings.reunions if meetings is not None else []
    path = base / INSERTION_FILE
    if not _is_file(path, texts):
        return
    start = len(charter.problems)
    charter.insertion = _read_model(path, RegistreInsertion, parsed, charter.problems, texts)
    flagged = personal_data(parsed[path].data, path)
    if flagged:  # their own message replaces the generic « clé inconnue »
        at = {p.yaml_path for p in flagged}
        kept = [p for p in charter.problems[start:] if not (p.rule == "schema" and p.yaml_path in at)]
        charter.problems[start:] = kept + flagged


def _load_quartier(charter: Charter, quartier_id: str, parsed: dict[Path, Parsed],
                   texts: Texts | None = None) -> None:
    """Load one quartier file and append its entries."""
    path = quartier_file(charter.root, quartier_id)
    quartier: Quartier | None = _read_model(path, Quartier, parsed, charter.problems, texts)
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


def _warn_unlisted(charter: Charter, texts: Texts | None = None) -> None:
    """Warn about quartier files that ``charte.yaml`` does not list (they are not loaded)."""
    folder = data_dir(charter.root) / QUARTIERS_DIR
    listed = set(charter.charte.quartiers) if charter.charte else set()
    in_memory = texts is not None and not isinstance(texts, Overrides)
    if charter.charte is None or (not in_memory and not folder.is_dir()):
        return
    files = set(folder.glob("*.yaml")) if not in_memory else set()
    files |= {p for p in texts or () if p.parent == folder and p.suffix == ".yaml"}
    for path in sorted(files):
        if path.stem not in listed:
            charter.problems.append(warning("quartier_non_liste", f"fichier {path.name} ignoré : "
                                            f"« {path.stem} » n'est pas listé dans charte.yaml "
                                            "(clé quartiers)", path, pos=SourcePos(path, 1, 1)))


def _resolve_positions(problems: list[Problem], parsed: dict[Path, Parsed]) -> None:
    """Give each problem that has a YAML path its line and column, from the node tree."""
    for problem in problems:
        if problem.pos is not None or problem.path is None:
            continue
        source = parsed.get(problem.path)
        root = node_tree(source) if source is not None else None
        if root is None:
            continue
        problem.pos = position_of(root, problem.path, problem.yaml_path, key=problem.key)
