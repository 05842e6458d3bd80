"""Validation results for CI: GitHub annotations and step summary, GitLab Code Quality."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]
AVION = "charter-data/quartiers/avion.yaml"


@pytest.fixture
def typos(embedded_copy: Path) -> Path:
    """The CALL charter with 14 unknown parties in Avion (« bailleurs ») and its 5 warnings."""
    path = embedded_copy / AVION
    path.write_text(path.read_text(encoding="utf-8").replace("bailleur]", "bailleurs]"), encoding="utf-8")
    return embedded_copy


def test_github_paths_start_at_the_repository_root_wherever_gusp_runs(
        typos: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(typos / "charter-data" / "quartiers")
    code, out, err = gusp("validate", "--format", "github")
    assert code == 1 and err == "3 quartiers, 175 actions, 14 erreurs, 5 avertissements\n"
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={AVION},line=") and "acteur « bailleurs » inconnu" in first
    # The runner's checkout holds the charter in a subfolder: paths go through it.
    monkeypatch.setenv("GITHUB_WORKSPACE", str(typos.parent))
    out = gusp("validate", "--format", "github")[1]
    assert out.startswith(f"::error file={typos.name}/{AVION},line=")


def test_github_annotations_stop_where_github_stops_most_severe_first(
        typos: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(typos)
    summary = tmp_path / "step-summary.md"
    summary.write_text("## Étape précédente\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = gusp("validate", "--format", "github")[1].splitlines()
    levels = [line.split(" ", 1)[0] for line in out]
    assert levels == ["::error"] * 10 + ["::warning"] * 5 + ["::notice"]
    assert out[-1] == ("::notice title=gusp validate::4 autres problèmes non annotés (GitHub n'affiche que "
                       "10 erreurs et 10 avertissements par étape) : la liste complète est dans le résumé "
                       "de l'étape")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Étape précédente\n### Validation de la charte : invalide\n")
    assert "3 quartiers, 175 actions, 14 erreurs, 5 avertissements." in text
    rows = [line for line in text.splitlines() if line.startswith(f"| {AVION} |")]
    assert len(rows) == 14 and "| erreur | acteur_inconnu | acteur « bailleurs » inconnu" in rows[0]


def test_a_summary_that_cannot_be_written_does_not_fail_the_validation(
        embedded_copy: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(embedded_copy)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "absent" / "summary.md"))
    code, _, err = gusp("validate", "--format", "github")
    assert code == 0
    assert err.splitlines()[0].startswith(f"gusp : résumé de l'étape non écrit dans {tmp_path}")


def test_gitlab_code_quality_report(typos: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    monkeypatch.chdir(typos / "charter-data")
    code, out, err = gusp("validate", "--format", "gitlab")
    assert code == 1 and err == "3 quartiers, 175 actions, 14 erreurs, 5 avertissements\n"
    issues = json.loads(out)
    assert len(issues) == 19 and len({i["fingerprint"] for i in issues}) == 19
    first = issues[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert (first["check_name"], first["severity"], first["location"]["path"]) == ("acteur_inconnu", "major",
                                                                                     AVION)
    assert isinstance(first["location"]["lines"]["begin"], int)
    assert {i["severity"] for i in issues[14:]} == {"minor"}
    # A problem that only moves down a line keeps its fingerprint (GitLab compares them).
    path = typos / AVION
    path.write_text("# une ligne de plus\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = json.loads(gusp("validate", "--format", "gitlab")[1])
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert moved[0]["location"]["lines"]["begin"] == first["location"]["lines"]["begin"] + 1
