"""The benchmark never rots: its generator writes valid charters, its harness runs end to end.

Tiny sizes and one run; no timing is asserted (machines are noisy).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from tests.conftest import CASES, ROOT

BENCH = ROOT / "bench"


def _generate(out: Path, quartiers: int, actions: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH / "generate.py"), str(out), "--quartiers",
                           str(quartiers), "--actions", str(actions), *extra],
                          capture_output=True, text=True, check=True)


def test_generated_charter_is_valid(tmp_path: Path, gusp: Callable[..., tuple[int, str, str]]) -> None:
    repo = tmp_path / "synth"
    _generate(repo, 2, 10, "--tasks", str(tmp_path / "tasks.json"))
    files = sorted(p.name for p in (repo / "charter-data" / "quartiers").iterdir())
    assert files == ["q001.yaml", "q002.yaml"]
    code, out, err = gusp("validate", "--charter", str(repo))
    assert code == 0, out + err
    assert "2 quartiers, 20 actions, 0 erreur" in out + err
    tasks = (tmp_path / "tasks.json").read_text(encoding="utf-8")
    assert tasks.count('"project": "q001"') == 10 and tasks.count('"project": "q002"') == 10


def test_generator_is_deterministic_and_quartiers_do_not_depend_on_size(tmp_path: Path) -> None:
    _generate(tmp_path / "a", 1, 10)
    _generate(tmp_path / "b", 3, 10)
    q001 = "charter-data/quartiers/q001.yaml"
    assert (tmp_path / "a" / q001).read_bytes() == (tmp_path / "b" / q001).read_bytes()
    text = (tmp_path / "b" / "charter-data/quartiers/q003.yaml").read_text(encoding="utf-8")
    assert "id: QAAC-001" in text and "é" in text


def test_harness_runs_end_to_end_and_writes_a_markdown_report(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    real = CASES / "base" / "charter-data" / "quartiers" / "centre.yaml"
    real_before = real.read_bytes()
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "2", "--actions", "10",
                           "--runs", "1", "--cold-runs", "1", "--heavy-runs", "1", "--no-peer",
                           "--work", str(tmp_path / "work"), "--out", str(out),
                           "--real", str(CASES / "base"), "--real-quartier", "centre"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "bytecode compilé" in done.stdout and "compileall -q gusp_cli" in out.read_text(encoding="utf-8")
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Banc d'essai gusp")
    for heading in ("## Machine", "## Objectifs (issues 8, 15, 16, 19 et 20)", "## Mesures",
                    "## Croissance avec la taille", "## Commandes exactes"):
        assert heading in report
    measures = report.split("## Mesures", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in measures.splitlines() if line.startswith("| synthétique 2×10 | 20 |")]
    labels = [row.split(" | ")[2] for row in rows]
    assert labels[:9] == ["`gusp validate`", "`gusp overdue --quartier q001`", "`gusp overdue`",
                          "`gusp review --format html -o FICHIER.html`", "`gusp export --format json`",
                          "`gusp export --format xlsx -o FICHIER.xlsx --force`", "`gusp publish -o DOSSIER`",
                          "`gusp review --format docx -o FICHIER.docx`",
                          "`gusp review --format pdf -o FICHIER.pdf`"]
    assert labels[10:] == ["`gusp overdue (un fichier de quartier modifié avant chaque exécution)`",
                           "`gusp diff HEAD~1 HEAD (2 actions modifiées)`",
                           "`gusp import FICHIER.xlsx --dry-run (classeur de toute la charte)`"]
    validate = rows[0].split(" | ")
    assert float(validate[3]) > 0 and validate[4] == "1 / 1" and validate[-1] == "0 |"
    for row in rows[1:9] + rows[10:]:
        cells = row.split(" | ")
        assert cells[-1] == "0 |", row
    assert '`python -c "import typer"`' in report and "| charte réelle | 4 |" in report
    assert "pair non mesuré" in report.lower() or "Non mesuré" in report
    _assert_edit_measured(report, rows, tmp_path / "work")
    real_edit = [line for line in measures.splitlines()
                 if line.startswith("| charte réelle | 4 | `gusp status CEN-001 ")]
    assert len(real_edit) == 1 and real_edit[0].endswith(" | 0 |"), measures
    assert real.read_bytes() == real_before, "the real charter is edited on a copy only"


def _assert_edit_measured(report: str, rows: list[str], work: Path) -> None:
    """``gusp status ID A|B`` ran on a copy of the tiny data set, every run exiting 0 (and writing)."""
    assert len(rows) == 13, rows
    edit = rows[9].split(" | ")
    label = edit[2].strip("`")
    assert label.startswith("gusp status QAAA-") and label.split()[-1] in ("en_cours\\|a_faire",
                                                                              "a_faire\\|en_cours"), label
    assert float(edit[3]) > 0 and edit[-1] == "0 |", rows[9]
    targets = report.split("## Objectifs (issues 8, 15, 16, 19 et 20)", 1)[1].split("\n## ", 1)[0]
    goal = [line for line in targets.splitlines()
            if line.startswith("| 20 | `gusp status` (modifier une action), 20 actions |")]
    assert len(goal) == 1 and "≤ 0.4 s" in goal[0] and "non mesurable" not in goal[0], targets
    published = [line for line in targets.splitlines()
                 if line.startswith("| 19 | `gusp publish -o DOSSIER` à froid")]
    assert [line.split(" | ")[4] for line in published] == ["≤ 1 s", "≤ 20 s"], targets
    for goal_text in ("`gusp diff HEAD~1 HEAD`, 3 actions modifiées, 20 actions",
                      "un quartier modifié, puis `gusp overdue`, 20 actions",
                      "mémoire max de `gusp validate` à froid, 20 actions"):
        [line] = [x for x in targets.splitlines() if goal_text in x]
        assert "non mesurable" not in line, line
    growth = report.split("## Croissance avec la taille", 1)[1].split("\n## ", 1)[0]
    assert [x.split(" | ")[1] for x in growth.splitlines() if x.startswith("| synthétique")] == ["20"]
    assert (work / "site-synthetique_2x10" / "actions" / "QAAA-001" / "index.html").is_file()
    commands = report.split("## Commandes exactes", 1)[1]
    as_of = commands.split(" status ", 1)[1].split(" --date ", 1)[1].split()[0]
    action_id = label.split()[2]
    generated = (work / "synth-2x10" / "charter-data" / "quartiers" / "q001.yaml").read_text(encoding="utf-8")
    edited = (work / "edit-synthetique_2x10" / "charter-data" / "quartiers" / "q001.yaml").read_text(
        encoding="utf-8")
    _generate(work / "fresh", 2, 10)
    fresh = (work / "fresh" / "charter-data" / "quartiers" / "q001.yaml").read_text(encoding="utf-8")
    assert action_id in generated and generated == fresh and edited != generated  # only the copy is written
    entry = f"- date: {as_of}\n"
    assert edited.count(entry) == generated.count(entry) + 2  # cold and warm run: one suivi entry each


def _bench_run() -> ModuleType:
    """``bench/run.py`` as a module (it is a script, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = run  # its dataclasses look their module up
    spec.loader.exec_module(run)
    return run


def test_two_commands_are_measured_in_alternation(tmp_path: Path) -> None:
    # A ratio of two tools must see the same machine load: runs go A, B, A, B..., cold ones first.
    run = _bench_run()
    log = tmp_path / "ordre.txt"

    def appending(letter: str) -> list[str]:
        return [sys.executable, "-c", f"open({str(log)!r}, 'a').write({letter!r})"]

    a = run.Measure("a", "—", "A", appending("A"), tmp_path)
    b = run.Measure("b", "—", "B", appending("B"), tmp_path)
    clear = tmp_path / "cache"
    run.measure_together([(a, {}, clear), (b, {}, clear)], runs=2, colds=2)
    assert log.read_text() == "ABABABAB"
    assert (len(a.colds), len(a.warm)) == (2, 2) and a.codes == [0] and a.cold in a.colds


def test_the_cold_publish_writes_a_new_site_and_the_warm_ones_replace_it(tmp_path: Path) -> None:
    # A cold figure that replaced a 50,000-page site left by an earlier bench was not a cold one.
    run = _bench_run()
    site = tmp_path / "site"
    (site / "actions").mkdir(parents=True)
    before = run._fresh_site(site)
    before(1)
    assert site.is_dir()  # a warm run replaces the site of the run before
    before(0)
    assert not site.exists()
    before(0)  # nothing to remove: no error
