"""Every ``--format json`` document carries ``version`` and follows its published schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gusp_cli.exchange.json_schemas import FOLDER, SCHEMAS, render
from tests.conftest import CALL, ROOT
from tests.scripted_git import build_history

Run = Callable[..., tuple[int, str, str]]
PUBLISHED = ROOT / "schemas" / FOLDER
DAY = ("--as-of", "2026-11-25")


def test_the_published_schemas_are_the_generated_ones(update_cases: bool) -> None:
    if update_cases:
        for name in SCHEMAS:
            (PUBLISHED / f"{name}.schema.json").write_text(render(name), encoding="utf-8")
    assert sorted(p.name for p in PUBLISHED.iterdir()) == sorted(f"{n}.schema.json" for n in SCHEMAS)
    for name in SCHEMAS:
        assert (PUBLISHED / f"{name}.schema.json").read_text(encoding="utf-8") == render(name), name
        jsonschema.Draft7Validator.check_schema(SCHEMAS[name])


def test_every_command_with_json_output_has_a_schema() -> None:
    import typer

    from gusp_cli.cli.app import _register, app

    _register()
    group = typer.main.get_command(app)
    commands = dict(group.commands)  # type: ignore[attr-defined]
    for name, command in list(commands.items()):  # a group's subcommands count as the group's
        for sub in getattr(command, "commands", {}).values():
            if any(p.name == "format" for p in sub.params):
                commands[name] = sub
    with_json = {name for name, command in commands.items()
                 for param in command.params if param.name == "format" and "json" in (param.help or "")}
    assert with_json == set(SCHEMAS) | {"who"}


def _valid(name: str, out: str) -> dict[str, Any]:
    document = json.loads(out)
    checker = jsonschema.Draft7Validator(SCHEMAS[name], format_checker=jsonschema.FormatChecker())
    errors = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(document)]
    assert errors == [], errors[:5]
    assert document["version"] == 1
    return dict(document)


CALL_RUNS = [
    ("overdue", ("overdue", "-q", "avion", *DAY)),
    ("upcoming", ("upcoming", "--within", "400", *DAY)),
    ("actions", ("actions", "--search", "dechets", *DAY)),
    ("export", ("export", *DAY)),
    ("show", ("show", "LEN-004", *DAY)),
    ("responsibilities", ("responsibilities", *DAY)),
    ("responsibilities", ("who", "--acteur", "bailleur", "-q", "lens", *DAY)),
    ("validate", ("validate",)),
    ("calendar", ("calendar", "--from", "2026-01-01", "--to", "2026-06-30", *DAY)),
    ("agenda", ("agenda", "copil", "-q", "avion", *DAY)),
    ("insertion", ("insertion", *DAY)),
    ("tfpb", ("tfpb", *DAY)),
    ("evaluation", ("evaluation", *DAY)),
]


@pytest.mark.parametrize(("name", "args"), CALL_RUNS, ids=[" ".join(a[:2]) for _, a in CALL_RUNS])
def test_the_call_charter_s_documents_follow_their_schema(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                                          name: str, args: tuple[str, ...]) -> None:
    monkeypatch.chdir(CALL)
    code, out, err = gusp(*args, "--format", "json")
    assert code == 0, err
    document = _valid(name, out)
    if "actions" in document:
        assert document["actions"]


@pytest.mark.parametrize(("name", "args"), [
    ("calendar", ("calendar", "--from", "2025-01-01", "--to", "2026-12-31", *DAY)),
    ("agenda", ("agenda", "comite technique", "--date", "2026-10-15", *DAY)),
    ("insertion", ("insertion", *DAY)),
    ("show", ("show", "CEN-002", *DAY)),
    ("export", ("export", *DAY)),
], ids=lambda v: v if isinstance(v, str) else v[0])
def test_governance_documents_with_records_follow_their_schema(gov: Path, gusp: Run, name: str,
                                                              args: tuple[str, ...]) -> None:
    code, out, err = gusp(*args, "--format", "json", "-C", str(gov))
    assert code == 0, err
    document = _valid(name, out)
    if name == "calendar":
        held = [r for r in document["reunions"] if r["etat"] == "tenue"]
        assert held and any(r["decisions"] for r in held)
    if name == "insertion":
        assert document["semestre"] and document["indicateurs"] and document["objectifs"]
    if name == "show":
        assert document["suivi"] and document["dernier_suivi_date"] == document["suivi"][-1]["date"]


def test_history_documents_follow_their_schema(tmp_path: Path, gusp: Run) -> None:
    root = tmp_path / "depot"
    build_history(root)
    code, out, _ = gusp("diff", "HEAD~4", "HEAD", "--format", "json", "--charter", str(root))
    assert code == 0
    assert {a["nature"] for q in _valid("diff", out)["quartiers"] for a in q["actions"]} == {
        "ajoutee", "modifiee", "supprimee"}
    code, out, _ = gusp("log", "CEN-005", "--format", "json", "--charter", str(root))
    assert code == 0 and len(_valid("log", out)["commits"]) == 2


def test_exports_carry_the_latest_follow_up(gov: Path, gusp: Run) -> None:
    import csv
    import io

    out = gusp("export", "--format", "json", "-C", str(gov), *DAY)[1]
    rows = {r["id"]: r for r in json.loads(out)["actions"]}
    text = gusp("export", "--format", "csv", "-C", str(gov), *DAY)[1]
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    for action_id, row in rows.items():
        keys = list(row)
        at = keys.index("frequence")  # appended after the contract's existing fields
        assert keys[at + 1:at + 4] == ["dernier_suivi_date", "dernier_suivi_note", "dernier_suivi_auteur"]
        assert table[action_id]["dernier_suivi_date"] == (row["dernier_suivi_date"] or "")
        assert table[action_id]["dernier_suivi_note"] == (row["dernier_suivi_note"] or "")
    done = rows["CEN-002"]
    assert (done["dernier_suivi_date"], done["dernier_suivi_note"]) == ("2024-07-15", "Fait.")
    columns = list(table["CEN-002"])
    at = columns.index("dernier_suivi_date")
    assert columns[at:at + 3] == ["dernier_suivi_date", "dernier_suivi_note", "dernier_suivi_auteur"]
