"""Rendering validation results: editor-clickable text, JSON and GitHub Actions annotations."""

from __future__ import annotations

import json
from pathlib import Path

from gusp_cli.french.text import plural
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem
from gusp_cli.model.source import display_path


def summary(charter: Charter) -> str:
    """One line: ``3 quartiers, 175 actions, 0 erreur, 3 avertissements`` (the actions in the files:
    one left out because it is invalid counts too)."""
    return ", ".join([
        plural(len(charter.quartiers), "quartier"),
        plural(len(charter.entries) + len(charter.dropped), "action"),
        plural(len(charter.errors), "erreur"),
        plural(len(charter.warnings), "avertissement"),
    ])


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Errors first, then by file and position."""
    def key(p: Problem) -> tuple[bool, str, int, int]:
        line, col = (p.pos.line, p.pos.col) if p.pos else (0, 0)
        return (not p.is_error, str(p.path or ""), line, col)

    return sorted(problems, key=key)


def render_text(charter: Charter, base: Path | None = None) -> str:
    """One ``path:line:col: gravité: message [règle]`` line per problem."""
    return "\n".join(p.format(base) for p in _sorted(charter.problems))


def render_json(charter: Charter, base: Path | None = None) -> str:
    """The problems and the counts as a JSON document."""
    problems = [
        {
            "fichier": display_path(p.path, base) if p.path else None,
            "ligne": p.pos.line if p.pos else None,
            "colonne": p.pos.col if p.pos else None,
            "gravite": p.severity.value,
            "regle": p.rule,
            "message": p.message,
        }
        for p in _sorted(charter.problems)
    ]
    document = {
        "valide": charter.ok,
        "quartiers": len(charter.quartiers),
        "actions": len(charter.entries) + len(charter.dropped),
        "erreurs": len(charter.errors),
        "avertissements": len(charter.warnings),
        "problemes": problems,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(charter: Charter, base: Path | None = None) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``)."""
    lines = []
    for p in _sorted(charter.problems):
        level = "error" if p.is_error else "warning"
        props = []
        if p.path is not None:
            props.append(f"file={_escape_property(display_path(p.path, base))}")
        if p.pos is not None:
            props += [f"line={p.pos.line}", f"col={p.pos.col}"]
        props.append(f"title={_escape_property('gusp ' + p.rule)}")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(p.message)}")
    return "\n".join(lines)
