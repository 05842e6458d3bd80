"""Rendering validation results: editor-clickable text, JSON, GitHub Actions annotations and their
step summary, GitLab Code Quality.

The CI formats name files relative to the repository root (``base``: the workspace the runner
checked out), never to the working directory, so that the forge can place each problem on its line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from gusp_cli.french.markup import md_inert
from gusp_cli.french.text import agree, plural
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem
from gusp_cli.model.source import display_path
from gusp_cli.track.records import JSON_VERSION


def summary(charter: Charter) -> str:
    """One line: ``3 quartiers, 175 actions, 0 erreur, 3 avertissements`` (``2 quartiers et
    l'ensemble du territoire, ...`` with charter-wide actions; the actions in the files: one left
    out because it is invalid counts too)."""
    quartiers = [q for q in charter.quartiers if not charter.is_territory(q)]
    places = plural(len(quartiers), "quartier")
    if charter.territoire is not None:
        places += " et l'ensemble du territoire"
    return ", ".join([
        places,
        plural(charter.action_count() + len(charter.dropped), "action"),
        plural(len(charter.errors), "erreur"),
        plural(len(charter.warnings), "avertissement"),
    ])


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Errors first, then by file and position."""
    def key(p: Problem) -> tuple[bool, str, int, int]:
        line, col = (p.pos.line, p.pos.col) if p.pos else (0, 0)
        return (not p.is_error, str(p.path or ""), line, col)

    return sorted(problems, key=key)


def displayed(base: Path | None) -> Callable[[Path], str]:
    """:func:`~gusp_cli.model.source.display_path` for one rendering, worked out once per file: it
    resolves folders (0.2 s for the 4,570 warnings of 500 quartier files, called per problem)."""
    memo: dict[Path, str] = {}

    def show(path: Path) -> str:
        text = memo.get(path)
        if text is None:
            text = memo[path] = display_path(path, base)
        return text

    return show


def render_text(charter: Charter, base: Path | None = None) -> str:
    """One ``path:line:col: gravité: message [règle]`` line per problem."""
    show = displayed(base)
    return "\n".join(p.format(base, show) for p in _sorted(charter.problems))


def render_json(charter: Charter, base: Path | None = None) -> str:
    """The problems and the counts as a JSON document."""
    show = displayed(base)
    problems = [
        {
            "fichier": show(p.path) if p.path else None,
            "ligne": p.pos.line if p.pos else None,
            "colonne": p.pos.col if p.pos else None,
            "gravite": p.severity.value,
            "regle": p.rule,
            "message": p.message,
        }
        for p in _sorted(charter.problems)
    ]
    document = {
        "version": JSON_VERSION,
        "valide": charter.ok,
        "quartiers": len(charter.quartiers),
        "actions": charter.action_count() + len(charter.dropped),
        "erreurs": len(charter.errors),
        "avertissements": len(charter.warnings),
        "problemes": problems,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_CAP = 10
"""Annotations GitHub shows per step and per level (errors, warnings); it drops the others."""


def render_github(charter: Charter, base: Path | None = None, cap: int = GITHUB_CAP) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``).

    At most ``cap`` errors then ``cap`` warnings (GitHub would drop the rest silently), the errors
    first; then one notice counting what was not annotated, pointing at the step summary.
    """
    lines = []
    left = 0
    for level, problems in (("error", charter.errors), ("warning", charter.warnings)):
        for p in _sorted(problems)[:cap]:
            props = []
            if p.path is not None:
                props.append(f"file={_escape_property(display_path(p.path, base))}")
            if p.pos is not None:
                props += [f"line={p.pos.line}", f"col={p.pos.col}"]
            props.append(f"title={_escape_property('gusp ' + p.rule)}")
            lines.append(f"::{level} {','.join(props)}::{_escape_data(p.message)}")
        left += max(len(problems) - cap, 0)
    if left:
        lines.append(f"::notice title=gusp validate::{plural(left, 'autre problème', 'autres problèmes')} "
                     f"{agree(left, 'non annoté')} (GitHub n'affiche que {cap} erreurs et {cap} "
                     "avertissements par étape) : la liste complète est dans le résumé de l'étape")
    return "\n".join(lines)


SUMMARY_ROWS = 500
"""Problems listed in a step summary (GitHub caps a summary at 1 MiB)."""


def render_summary(charter: Charter, base: Path | None = None, rows: int = SUMMARY_ROWS) -> str:
    """A Markdown step summary: the counts, then every problem (up to ``rows``) with its place."""
    verdict = "valide" if charter.ok else "invalide"
    lines = [f"### Validation de la charte : {verdict}", "", summary(charter) + "."]
    problems = _sorted(charter.problems)
    if problems:
        lines += ["", "| Fichier | Ligne | Gravité | Règle | Message |", "|---|--:|---|---|---|"]
        for p in problems[:rows]:
            where = md_inert(display_path(p.path, base)) if p.path else "—"
            line = str(p.pos.line) if p.pos else ""
            lines.append(f"| {where} | {line} | {p.severity.value} | {p.rule} | {md_inert(p.message)} |")
        if len(problems) > rows:
            more = plural(len(problems) - rows, "autre problème", "autres problèmes")
            lines += ["", f"… et {more} : gusp validate les liste tous."]
    return "\n".join(lines) + "\n"


GITLAB_SEVERITY = {"erreur": "major", "avertissement": "minor"}
"""Code Quality severities (info, minor, major, critical, blocker) of gusp's."""


def render_gitlab(charter: Charter, base: Path | None = None) -> str:
    """A GitLab Code Quality report (JSON): merge requests show each problem on its line.

    The fingerprint hashes the rule, file and message (not the line: a problem that only moves
    stays the same problem between the target branch and the merge request).
    """
    issues = []
    seen: dict[str, int] = {}
    for p in _sorted(charter.problems):
        path = display_path(p.path, base) if p.path else "charter-data"
        key = f"{p.rule}\0{path}\0{p.message}"
        seen[key] = seen.get(key, 0) + 1
        issues.append({
            "description": p.message,
            "check_name": p.rule,
            "fingerprint": hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest(),
            "severity": GITLAB_SEVERITY[p.severity.value],
            "location": {"path": path, "lines": {"begin": p.pos.line if p.pos else 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2)
