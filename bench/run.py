"""The gusp benchmark: whole-process timings on synthetic and real charters, against Taskwarrior.

Every measure runs the command as a separate process (``subprocess``), wall clock by
``time.perf_counter``, peak memory through GNU time (else the child's own ``rusage``). *Cold* runs
come first, the bench-private gusp cache ``$XDG_CACHE_HOME/gusp`` cleared before each (the OS page
cache is not dropped): ``--cold-runs`` of them for the measures whose cold figure is a goal, their
median shown, one for the others; then the *warm* runs (median and min–max). Two commands compared
(gusp against Taskwarrior) run in alternation, A B A B.

Measured on every size (the growth table, 1,000 to 200,000 actions by default): ``validate``,
``overdue --quartier X``, ``overdue``, the edit ``gusp status ID en_cours|a_faire --date DAY`` on a
scratch copy, ``overdue`` right after one quartier file changed, ``diff HEAD~1 HEAD`` between two
commits of a git copy (:mod:`scenarios`). On the real charter and the largest set within
``--heavy-max`` actions, the outputs: ``review`` (html, docx, pdf), ``export`` (json, xlsx),
``publish -o DOSSIER`` and ``import`` of the whole workbook. The floor ``python -c "import typer"``
in the same virtual environment; the peer, Taskwarrior, on the same actions imported with ``task
import`` (``task overdue``, ``task project:X overdue``). A gusp command that does not exist yet is
reported as absent. The report is Markdown (``bench/RESULTS.md`` by default), each goal with its
median, min–max and verdict.

Before measuring, the gusp package is byte-compiled once (``python -m compileall -q``), as ``pip install``
does: with ``PYTHONDONTWRITEBYTECODE=1`` in the environment, an editable install would otherwise recompile
its modules from source on every run. The environment of the measured processes is left as it is.

Usage::

    python bench/run.py [--sizes 10,100,500,2000] [--actions 100] [--runs 5] [--cold-runs 5]
                        [--heavy-runs 3] [--heavy-max 50000] [--no-peer] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import scenarios  # noqa: E402
from generate import ActionRecord, generate, quartier_id, slug, write_task_json  # noqa: E402

TASK_RC = ("rc.confirmation=off", "rc.verbose=nothing", "rc.hooks=off", "rc.gc=off",
           "rc.recurrence=off", "rc.color=off")
TIMEOUT_S = 900.0
TARGETS = {"overdue_q_floor": 1.5, "help_floor": 1.3, "peer": 1 / 3, "validate_cold_s": 5.0, "edit_s": 1.0,
           "export_xlsx_s": 5.0, "publish_real_s": 1.0, "publish_big_s": 20.0}
EDIT_STATUTS = ("en_cours", "a_faire")
"""The two statuses ``gusp status`` alternates between (it refuses to set the status an action has)."""
EDITABLE = (None, *EDIT_STATUTS)
"""Current statuses of an action that can take both values of EDIT_STATUTS without other changes."""


# --------------------------------------------------------------------------- running processes


@dataclass
class Sample:
    """One process run."""

    seconds: float
    maxrss_kib: int
    code: int
    stderr: str
    cpu: float = 0.0
    """User + system CPU seconds of the command (10 ms resolution through GNU time)."""


def _gnu_time() -> str | None:
    """GNU ``time`` when it works (``-f %M -o FILE``): it reports the child's own peak RSS."""
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile() as out:
        done = subprocess.run([path, "-f", "%M %U %S", "-o", out.name, "true"], capture_output=True,
                              check=False)
        return path if done.returncode == 0 and len(out.read().split()) == 3 else None


GNU_TIME = _gnu_time()
"""Peak memory is read through GNU time: a child's own ``rusage`` on Linux also counts the memory
of the process it was forked from (the harness), kept across ``exec``; GNU time, a small process,
forks the measured command itself. Without it, ``os.wait4`` is used and small peaks are overstated."""


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run ``argv`` to completion; wall time, the child's peak RSS, exit code, end of stderr."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as mem:
        wrapped = [GNU_TIME, "-f", "%M %U %S", "-o", mem.name, *argv] if GNU_TIME else argv
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        killer = threading.Timer(TIMEOUT_S, os.killpg, (proc.pid, 9))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")[-4000:]
        fields = mem.read().decode("ascii", "replace").split()[-3:]
    if GNU_TIME and len(fields) == 3 and fields[0].isdigit():
        return Sample(seconds, int(fields[0]), proc.returncode, text, float(fields[1]) + float(fields[2]))
    return Sample(seconds, usage.ru_maxrss, proc.returncode, text, usage.ru_utime + usage.ru_stime)


@dataclass
class Measure:
    """Cold and warm runs of one command on one data set."""

    key: str
    """What is measured: ``floor``, ``help``, ``validate``, ``overdue_q``, ``task_overdue``..."""
    group: str
    label: str
    argv: list[str]
    cwd: Path
    colds: list[Sample] = field(default_factory=list)
    """The cold runs (gusp's cache emptied before each)."""
    warm: list[Sample] = field(default_factory=list)
    absent: bool = False
    alternate: list[list[str]] = field(default_factory=list)
    """Command lines run in turn (run ``i`` uses ``alternate[i % n]``) instead of ``argv``: an edit
    that must really write every time."""
    before: Callable[[int], None] | None = None
    """Run, untimed, before run ``i`` (cold ones counted): a change the command then finds."""
    colds_wanted: int | None = None
    """Cold runs for this measure (None: the harness's ``--cold-runs``)."""
    warm_wanted: int | None = None
    """Warm runs for this measure (None: the harness's ``--runs``)."""

    def argv_at(self, index: int) -> list[str]:
        """The command line of run ``index`` (counting every run, cold ones first)."""
        return self.alternate[index % len(self.alternate)] if self.alternate else self.argv

    @property
    def cold(self) -> Sample | None:
        """The median cold run (by wall time; the lower middle one for an even count)."""
        ranked = sorted(self.colds, key=lambda s: s.seconds)
        return ranked[(len(ranked) - 1) // 2] if ranked else None

    @property
    def cold_spread(self) -> tuple[float, float] | None:
        """(min, max) wall time of the cold runs."""
        seconds = [s.seconds for s in self.colds]
        return (min(seconds), max(seconds)) if seconds else None

    @property
    def cold_peak_mib(self) -> float | None:
        """Largest peak RSS over the cold runs, in MiB."""
        return max(s.maxrss_kib for s in self.colds) / 1024 if self.colds else None

    @property
    def command_lines(self) -> list[str]:
        """Every distinct command line, in order."""
        return [shlex.join(a) for a in (self.alternate or [self.argv])]

    @property
    def median(self) -> float | None:
        """Median wall time of the warm runs."""
        return statistics.median(s.seconds for s in self.warm) if self.warm else None

    @property
    def cpu_median(self) -> float | None:
        """Median CPU time (user + system) of the warm runs."""
        return statistics.median(s.cpu for s in self.warm) if self.warm else None

    @property
    def spread(self) -> tuple[float, float] | None:
        """(min, max) wall time of the warm runs."""
        return (min(s.seconds for s in self.warm), max(s.seconds for s in self.warm)) if self.warm else None

    @property
    def peak_mib(self) -> float | None:
        """Largest peak RSS over all runs, in MiB."""
        runs = self.samples
        return max(s.maxrss_kib for s in runs) / 1024 if runs else None

    @property
    def warm_peak_mib(self) -> float | None:
        """Largest peak RSS over the warm runs, in MiB (the cold run parses every file)."""
        return max(s.maxrss_kib for s in self.warm) / 1024 if self.warm else None

    @property
    def samples(self) -> list[Sample]:
        """Every run, cold first."""
        return self.colds + self.warm

    @property
    def codes(self) -> list[int]:
        """Distinct exit codes, in order of appearance."""
        return list(dict.fromkeys(s.code for s in self.samples))


def measure(measure_: Measure, env: dict[str, str], runs: int, clear: Path | None, colds: int = 1) -> Measure:
    """Fill ``measure_`` with ``colds`` cold runs (``clear`` emptied before each; without ``clear``
    a single one: nothing makes it cold) and ``runs`` warm runs."""
    return measure_together([(measure_, env, clear)], runs, colds)[0]


def measure_together(items: Sequence[tuple[Measure, dict[str, str], Path | None]], runs: int,
                     colds: int = 1) -> list[Measure]:
    """Measure several commands in alternation, run by run (A, B, A, B...), cold runs first: a
    ratio of two commands then sees the same machine load on both sides."""
    for m, _, _ in items:
        m.colds, m.warm = [], []
    for turn in range(max((_wanted(m.colds_wanted, colds) for m, _, _ in items), default=0)):
        for m, env, clear in items:
            if (clear is None and m.colds) or turn >= _wanted(m.colds_wanted, colds):
                continue
            if clear is not None:
                shutil.rmtree(clear, ignore_errors=True)
            m.colds.append(_run(m, env))
    for turn in range(max((_wanted(m.warm_wanted, runs) for m, _, _ in items), default=0)):
        for m, env, _ in items:
            if turn < _wanted(m.warm_wanted, runs):
                m.warm.append(_run(m, env))
    for m, _, _ in items:
        med, cold = m.median, m.cold
        print(f"  {m.group:<24} {m.label:<40} froid {cold.seconds if cold else float('nan'):7.3f} s  "
              f"chaud {med if med is not None else float('nan'):7.3f} s  codes {m.codes}", flush=True)
    return [m for m, _, _ in items]


def _wanted(own: int | None, default: int) -> int:
    """A measure's own number of runs, else the harness's."""
    return default if own is None else own


def _run(m: Measure, env: dict[str, str]) -> Sample:
    """One run of ``m``: its untimed preparation, then the timed process."""
    index = len(m.samples)
    if m.before is not None:
        m.before(index)
    return run_once(m.argv_at(index), m.cwd, env)


# --------------------------------------------------------------------------- gusp side


@dataclass
class Dataset:
    """A charter repository to measure."""

    name: str
    root: Path
    quartier: str
    actions: int | None = None
    quartiers: int | None = None
    records: list[ActionRecord] = field(default_factory=list)
    generated_in: float | None = None
    total: int | None = None
    """Number of actions (loaded with gusp for the real charter)."""
    edit_target: tuple[str, str | None] | None = None
    """(id, current status) of the action ``gusp status`` edits: the first one whose status is
    absent, ``a_faire`` or ``en_cours``."""
    heavy: bool = True
    """Whether the whole-charter outputs (review, workbooks, site, import) are measured on it: the
    real charter and the largest synthetic set that is not beyond ``--heavy-max`` actions."""
    documents: bool = True
    """Whether the review as Word and PDF is measured on it: the real charter and the largest
    synthetic set within ``--document-max`` actions."""


GROWTH = "croissance"
"""Measured on every data set (the growth table)."""
HEAVY = "sorties"
"""Measured on the real charter and the largest synthetic set within ``--heavy-max`` only."""
DOCUMENT = "documents"
"""The review as Word and PDF: measured on the real charter and the largest synthetic set within
``--document-max`` only (a 50,000-action review is about 105,000 table rows, 31 MB of HTML: its PDF
layout was stopped after 6 minutes at 6.4 GiB)."""
GUSP_BENCHES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("validate", GROWTH, ("validate",)),
    ("overdue_q", GROWTH, ("overdue", "--quartier", "{q}")),
    ("overdue", GROWTH, ("overdue",)),
    ("review", HEAVY, ("review", "--format", "html", "-o", "{out}.html")),
    ("export", HEAVY, ("export", "--format", "json")),
    ("export_xlsx", HEAVY, ("export", "--format", "xlsx", "-o", "{xlsx}", "--force")),
    ("publish", HEAVY, ("publish", "-o", "{site}")),
    ("review_docx", DOCUMENT, ("review", "--format", "docx", "-o", "{out}.docx")),
    ("review_pdf", DOCUMENT, ("review", "--format", "pdf", "-o", "{out}.pdf")),
)
"""(key, scope, arguments); the first argument is the subcommand, ``{q}`` the quartier, ``{out}`` and
``{xlsx}`` files (``--force``: the workbook of the previous run is replaced), ``{site}`` a folder
(the cold run of ``gusp publish`` writes a new one, the site of an earlier bench removed first;
each warm run replaces the site written on the run before)."""
COLD_MEDIAN = frozenset({"validate", "overdue_q", "diff"})
"""The measures whose cold figure is a goal (issue 20): ``--cold-runs`` cold runs each, their median
shown (``overdue_q`` and ``diff`` on the real charter and the outputs' set only; ``validate`` on every
set, for the growth table). The others run cold once (their goal is warm, or a single figure)."""


def cold_runs_of(key: str, ds: Dataset) -> int | None:
    """How many cold runs a measure gets on a data set (None: the harness's ``--cold-runs``)."""
    if key == "validate" or (key in COLD_MEDIAN and ds.heavy):
        return None
    return 1


def present_commands(gusp: list[str], env: dict[str, str]) -> dict[str, bool]:
    """Which subcommands exist (``gusp CMD --help`` exits 0)."""
    names = sorted({args[0] for _, _, args in GUSP_BENCHES} | {"status", "diff", "import"})
    return {n: run_once([*gusp, n, "--help"], ROOT, env).code == 0 for n in names}


def _fresh_site(site: Path) -> Callable[[int], None]:
    """Before the first (cold) run of ``gusp publish``: remove the site an earlier bench left, so
    that the cold figure is always a first publication, never the replacement of 50,000 pages."""
    def before(index: int) -> None:
        if index == 0 and site.is_dir() and not site.is_symlink():
            shutil.rmtree(site)

    return before


def gusp_measures(ds: Dataset, gusp: list[str], present: dict[str, bool], work: Path,
                  heavy_runs: int) -> list[Measure]:
    """The gusp measures of one data set (absent commands flagged, not run); the outputs only on a
    heavy data set, with ``heavy_runs`` warm runs and one cold."""
    out = work / f"review-{slug(ds.name.replace('×', 'x'))}"
    xlsx = work / f"suivi-{slug(ds.name.replace('×', 'x'))}.xlsx"
    site = work / f"site-{slug(ds.name.replace('×', 'x'))}"
    result = []
    for key, scope, args in GUSP_BENCHES:
        if (scope == HEAVY and not ds.heavy) or (scope == DOCUMENT and not ds.documents):
            continue
        argv = [*gusp, *(a.format(q=ds.quartier, out=out, xlsx=xlsx, site=site) for a in args)]
        label = "gusp " + " ".join(a.format(q=ds.quartier, out="FICHIER", xlsx="FICHIER.xlsx",
                                            site="DOSSIER") for a in args)
        m = Measure(key, ds.name, label, argv, ds.root)
        m.absent = not present.get(args[0], False)
        m.colds_wanted = cold_runs_of(key, ds)
        if key == "publish":
            m.before = _fresh_site(site)
        if scope == HEAVY:
            m.warm_wanted = heavy_runs
        elif scope == DOCUMENT:
            m.warm_wanted = 1  # a PDF layout of 1,000 actions takes tens of seconds, each run the same
        result.append(m)
    return result


def scenario_measures(ds: Dataset, gusp: list[str], present: dict[str, bool], work: Path,
                      env: dict[str, str], heavy_runs: int, notes: list[str]) -> list[Measure]:
    """The measures that need a prepared copy (:mod:`scenarios`): ``overdue`` right after one
    quartier file changed, ``diff HEAD~1 HEAD`` with three actions changed, and (heavy sets) the
    import of the whole workbook."""
    name = slug(ds.name.replace("×", "x"))
    result = []
    changed = scenarios.fresh_copy(ds.root, work / f"change-{name}")
    after = Measure("after_change", ds.name, "gusp overdue (un fichier de quartier modifié avant chaque "
                    "exécution)", [*gusp, "overdue"], changed, colds_wanted=1,
                    before=scenarios.changing_one_quartier(changed))
    after.absent = not present.get("overdue", False)
    result.append(after)
    diff = Measure("diff", ds.name, "gusp diff HEAD~1 HEAD", [*gusp, "diff", "HEAD~1", "HEAD"],
                   work / f"diff-{name}", colds_wanted=cold_runs_of("diff", ds))
    diff.absent = not present.get("diff", False)
    if not diff.absent:
        count = scenarios.diff_repository(ds.root, diff.cwd)
        if count is None:
            diff.absent = True
            notes.append(f"{ds.name} : git absent ou en échec, ou aucun libellé à réviser : `gusp diff` "
                         "non mesuré")
        else:
            diff.label = f"gusp diff HEAD~1 HEAD ({count} action{'s' if count > 1 else ''} " \
                         f"modifiée{'s' if count > 1 else ''})"
    result.append(diff)
    if ds.heavy:
        workbook = work / f"import-{name}.xlsx"
        imported = Measure("import", ds.name, "gusp import FICHIER.xlsx --dry-run (classeur de toute la "
                           "charte)", [*gusp, "import", str(workbook), "--dry-run"], ds.root,
                           colds_wanted=1, warm_wanted=heavy_runs)
        imported.absent = not present.get("import", False) or not scenarios.exported_workbook(
            gusp, ds.root, workbook, env)
        result.append(imported)
    return result


def edit_measure(ds: Dataset, gusp: list[str], present: dict[str, bool], work: Path,
                 as_of: dt.date) -> Measure | None:
    """``gusp status ID A|B --date DAY`` on a fresh copy of the data set (None without a target).

    The copy (``WORK/edit-NAME/charter-data``) keeps the data set itself pristine for the other
    measures. The status alternates between the two values of EDIT_STATUTS, starting with the one
    the action does not have: ``gusp status`` refuses to set the current status (exit 2), so every
    run that exits 0 has written the file.
    """
    if ds.edit_target is None:
        return None
    action_id, current = ds.edit_target
    first, second = EDIT_STATUTS if current != EDIT_STATUTS[0] else EDIT_STATUTS[::-1]
    copy = work / f"edit-{slug(ds.name.replace('×', 'x'))}"
    argvs = [[*gusp, "status", action_id, statut, "--date", as_of.isoformat()] for statut in (first, second)]
    m = Measure("edit", ds.name, f"gusp status {action_id} {first}|{second}", argvs[0], copy, alternate=argvs)
    m.absent = not present.get("status", False)
    if not m.absent:
        scenarios.fresh_copy(ds.root, copy)
    m.colds_wanted = 1
    return m




# --------------------------------------------------------------------------- Taskwarrior side


@dataclass
class Peer:
    """Taskwarrior loaded with the actions of one data set."""

    dataset: Dataset
    env: dict[str, str]
    import_seconds: float
    overdue_count: int | None
    """What ``task +OVERDUE count`` says."""
    gusp_overdue: int | None
    """How many rows ``gusp overdue --format json`` prints (None: it failed)."""
    pending: int
    completed: int
    """The tasks imported: pending, and completed (the actions ``realisee`` or ``abandonnee``, which
    gusp holds too, as closed actions)."""


def gusp_overdue_rows(ds: Dataset, gusp: list[str], env: dict[str, str]) -> int | None:
    """The rows ``gusp overdue`` prints on the data set (its JSON document's actions)."""
    done = subprocess.run([*gusp, "overdue", "--format", "json"], cwd=ds.root, env=env, capture_output=True,
                          text=True, check=False)
    try:
        return len(json.loads(done.stdout)["actions"]) if done.returncode in (0, 1) else None
    except (ValueError, KeyError, TypeError):
        return None


def setup_peer(ds: Dataset, task: str, work: Path, base_env: dict[str, str], gusp: list[str]) -> Peer:
    """Import the data set's actions into a fresh bench-private Taskwarrior database."""
    folder = work / f"task-{slug(ds.name.replace('×', 'x'))}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    (folder / "taskrc").write_text("# Taskwarrior du banc d'essai gusp (réglages en rc.* sur la ligne "
                                   "de commande)\n", encoding="utf-8")
    tasks_file = folder / "tasks.json"
    write_task_json(ds.records, tasks_file)
    env = {**base_env, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder / "data")}
    imported = run_once([task, *TASK_RC, "import", str(tasks_file)], folder, env)
    if imported.code != 0:
        raise RuntimeError(f"task import a échoué ({imported.code}) : {imported.stderr[:400]}")
    counted = subprocess.run([task, *TASK_RC, "+OVERDUE", "count"], cwd=folder, env=env,
                             capture_output=True, text=True, check=False)
    count = int(counted.stdout.strip()) if counted.stdout.strip().isdigit() else None
    completed = sum(1 for r in ds.records if r.statut in ("realisee", "abandonnee"))
    return Peer(ds, env, imported.seconds, count, gusp_overdue_rows(ds, gusp, base_env),
                len(ds.records) - completed, completed)


def peer_pairs(peer: Peer, task: str, gusp: list[str]) -> list[tuple[Measure, Measure]]:
    """(gusp, Taskwarrior) pairs, measured in alternation: ``overdue`` and ``overdue`` of one quartier."""
    cwd = Path(peer.env["TASKDATA"]).parent
    ds, q = peer.dataset, peer.dataset.quartier
    return [
        (Measure("paired_overdue", ds.name, "gusp overdue", [*gusp, "overdue"], ds.root),
         Measure("task_overdue", ds.name, "task overdue", [task, *TASK_RC, "overdue"], cwd)),
        (Measure("paired_overdue_q", ds.name, f"gusp overdue --quartier {q}",
                 [*gusp, "overdue", "--quartier", q], ds.root),
         Measure("task_overdue_q", ds.name, f"task project:{q} overdue",
                 [task, *TASK_RC, f"project:{q}", "overdue"], cwd)),
    ]


# --------------------------------------------------------------------------- machine


def machine(python: str, gusp: list[str], task: str | None, env: dict[str, str]) -> dict[str, str]:
    """What the numbers were measured on."""
    info = {"Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}
    info["Processeurs (nproc)"] = str(len(os.sched_getaffinity(0)))
    info["Modèle de processeur"] = _cpuinfo("model name") or platform.processor() or "inconnu"
    info["Mémoire vive"] = _meminfo()
    info["Système"] = platform.platform()
    info["Python (venv)"] = _first_line([python, "-c", "import sys; print(sys.version.split()[0])"], env)
    info["gusp"] = _first_line([*gusp, "--version"], env)
    info["Charge (loadavg 1/5/15 min) au début"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    info["Taskwarrior"] = _first_line([task, "--version"], env) if task else "absent (pair non mesuré)"
    return info


def _cpuinfo(key: str) -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _meminfo() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} Gio"
    except OSError:
        pass
    return "inconnue"


def _first_line(argv: list[str], env: dict[str, str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    except OSError as exc:
        return f"indisponible ({exc})"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else f"code {out.returncode}"


# --------------------------------------------------------------------------- report


def fmt_s(value: float | None) -> str:
    """Seconds with three decimals, or a dash."""
    return "—" if value is None else f"{value:.3f}"


def fmt_ratio(num: float | None, den: float | None) -> str:
    """``num / den`` as ``1.23×``, or a dash."""
    return "—" if num is None or not den else f"{num / den:.2f}×"


def cell(text: str) -> str:
    """Text for a Markdown table cell (``|`` escaped, also inside code spans)."""
    return text.replace("|", "\\|")


def row(m: Measure, actions: str) -> str:
    """One Markdown row of the main table."""
    if m.absent:
        return f"| {m.group} | {actions} | `{cell(m.label)}` | absente | — | — | — | — | — | — | — |"
    lo_hi = m.spread
    spread = "—" if lo_hi is None else f"{lo_hi[0]:.3f}–{lo_hi[1]:.3f}"
    mem = "—" if m.peak_mib is None else f"{m.peak_mib:.0f}"
    warm_mem = "—" if m.warm_peak_mib is None else f"{m.warm_peak_mib:.0f}"
    codes = ", ".join(str(c) for c in m.codes)
    return (f"| {m.group} | {actions} | `{cell(m.label)}` | {fmt_s(m.cold.seconds if m.cold else None)} | "
            f"{len(m.colds)} / {len(m.warm)} | {fmt_s(m.median)} | {spread} | {fmt_s(m.cpu_median)} | "
            f"{warm_mem} | {mem} | {codes} |")


def verdict(value: float | None, limit: float, absent: bool = False) -> str:
    """French verdict of a target."""
    if absent or value is None:
        return "non mesurable (commande absente ou en échec)"
    return "atteint" if value <= limit else "non atteint"


@dataclass
class Report:
    """Everything measured in one run of the harness."""

    info: dict[str, str]
    runs: int
    floor: Measure
    help_: Measure
    datasets: list[Dataset]
    gusp: dict[str, list[Measure]]
    peers: dict[str, tuple[Peer, list[Measure]]]
    notes: list[str]
    as_of: dt.date
    """The ``--date`` of the edits: the day of the run."""
    compiled: str | None
    """The package folder byte-compiled before measuring (None when that failed)."""
    work: Path
    """The working folder (data sets, copies, caches)."""
    cold_runs: int = 1
    """Cold runs per command whose cold figure is a goal (their median is shown)."""
    heavy_runs: int = 1
    """Warm runs of the outputs (review, workbook, site, import)."""
    heavy_max: int = 0
    """The outputs are measured on the largest synthetic set within this many actions."""
    document_max: int = 0
    """The review as Word and PDF: on the largest synthetic set within this many actions."""


def _find(measures: list[Measure], key: str) -> Measure | None:
    """The measure of ``key`` in a list."""
    return next((m for m in measures if m.key == key), None)


def _usable(m: Measure | None) -> Measure | None:
    """The measure when it ran and succeeded (exit 0), else None."""
    return m if m is not None and not m.absent and m.codes == [0] else None


@dataclass(frozen=True)
class Goal:
    """A speed or memory goal of an issue, read from one measure of one data set."""

    issue: str
    what: str
    """The goal in words; ``{n}`` is replaced by the data set's number of actions."""
    on: str
    """``real`` (the real charter) or ``big`` (the largest synthetic set with the outputs measured)."""
    key: str
    statistic: str
    """``warm`` (median of the warm runs), ``cold`` (median of the cold runs) or ``cold_mib`` (peak
    RSS over the cold runs)."""
    limit: float


GOALS: tuple[Goal, ...] = (
    Goal("20", "`gusp validate` à froid, {n} actions", "big", "validate", "cold", 2.5),
    Goal("20", "mémoire max de `gusp validate` à froid, {n} actions", "big", "validate", "cold_mib", 200),
    Goal("20", "`gusp status` (modifier une action), {n} actions", "big", "edit", "warm", 0.4),
    Goal("20", "`gusp diff HEAD~1 HEAD`, 3 actions modifiées, {n} actions", "big", "diff", "warm", 1.5),
    Goal("20", "un quartier modifié, puis `gusp overdue`, {n} actions", "big", "after_change", "warm", 0.5),
    Goal("20", "charte réelle, cache vide : `gusp overdue --quartier`", "real", "overdue_q", "cold", 0.25),
    Goal("16", "`gusp review --format html`, charte réelle", "real", "review", "warm", 0.3),
    Goal("16", "`gusp review --format html`, {n} actions", "big", "review", "warm", 2.0),
    Goal("15", "classeur de suivi (`gusp export --format xlsx`), {n} actions", "big", "export_xlsx", "warm",
         TARGETS["export_xlsx_s"]),
    Goal("19", "`gusp publish -o DOSSIER` à froid, charte réelle", "real", "publish", "cold",
         TARGETS["publish_real_s"]),
    Goal("19", "`gusp publish -o DOSSIER` à froid, {n} actions", "big", "publish", "cold",
         TARGETS["publish_big_s"]),
)
"""The goals of issues 15, 16, 19 and 20 (those of issue 8 are ratios, below)."""


def goal_row(rep: Report, goal: Goal, real: Dataset | None, big: Dataset | None) -> str | None:
    """One goal's row: the measured figure, the min–max it comes from, the target, the verdict
    (None when its data set is not measured)."""
    ds = real if goal.on == "real" else big
    if ds is None:
        return None
    raw = _find(rep.gusp[ds.name], goal.key)
    m = _usable(raw)
    unit = "Mio" if goal.statistic == "cold_mib" else "s"
    value, spread = None, None
    if m is not None and goal.statistic == "warm":
        value, spread = m.median, m.spread
    elif m is not None and goal.statistic == "cold" and m.cold is not None:
        value, spread = m.cold.seconds, m.cold_spread
    elif m is not None and goal.statistic == "cold_mib":
        value = m.cold_peak_mib
        spread = (min(x.maxrss_kib for x in m.colds) / 1024, max(x.maxrss_kib for x in m.colds) / 1024) \
            if m.colds else None
    runs = len(m.warm if goal.statistic == "warm" else m.colds) if m else 0
    shown = "—" if value is None else (f"{value:.0f} {unit}" if unit == "Mio" else f"{value:.3f} s")
    where = "—" if spread is None else (f"{spread[0]:.0f}–{spread[1]:.0f}" if unit == "Mio" else
                                        f"{spread[0]:.3f}–{spread[1]:.3f}")
    limit = f"≤ {goal.limit:g} {unit}"
    return (f"| {goal.issue} | {goal.what.format(n=ds.total)} | {shown} | {where} ({runs}) | {limit} | "
            f"{verdict(value, goal.limit, raw is None or raw.absent)} |")


def targets_section(rep: Report) -> list[str]:
    """Every goal with its measured median, the min–max and the number of runs, and a verdict."""
    floor = rep.floor.median
    real = next((d for d in rep.datasets if d.actions is None), None)
    synth = [d for d in rep.datasets if d.actions is not None and d.heavy]
    big = max(synth, key=lambda d: d.total or 0) if synth else None
    lines = ["## Objectifs (issues 8, 15, 16, 19 et 20)", "",
             "Mesure : médiane des exécutions à chaud (« à chaud ») ou à froid (cache gusp vidé avant "
             "chacune) ; entre parenthèses, le nombre d'exécutions dont viennent la médiane et l'écart.", "",
             "| Issue | Objectif | Mesure | Écart min–max (exécutions) | Cible | Verdict |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [r for goal in GOALS if (r := goal_row(rep, goal, real, big)) is not None]
    lines += ["", f"Plancher : `python -c \"import typer\"` = {fmt_s(floor)} s (médiane à chaud).", "",
              "| Issue | Objectif (rapport) | Mesure | Cible | Verdict |", "| --- | --- | --- | --- | --- |"]
    help_ratio = rep.help_.median / floor if floor and rep.help_.median else None
    lines.append(f"| 8 | `gusp --help` / plancher | {fmt_ratio(rep.help_.median, floor)} "
                 f"({fmt_s(rep.help_.median)} s) | ≤ {TARGETS['help_floor']}× | "
                 f"{verdict(help_ratio, TARGETS['help_floor'], rep.help_.codes != [0])} |")
    if real is not None:
        m = _usable(_find(rep.gusp[real.name], "overdue_q"))
        med = m.median if m else None
        lines.append(f"| 8 | `gusp overdue --quartier {real.quartier}` (charte réelle) / plancher | "
                     f"{fmt_ratio(med, floor)} ({fmt_s(med)} s) | ≤ {TARGETS['overdue_q_floor']}× | "
                     f"{verdict(med / floor if med and floor else None, TARGETS['overdue_q_floor'])} |")
    if big is not None:
        lines += _peer_targets(rep, big)
    return [*lines, ""]


def _peer_targets(rep: Report, big: Dataset) -> list[str]:
    """Targets against Taskwarrior on the largest data set."""
    if big.name not in rep.peers:
        return [f"| 8 | gusp / Taskwarrior ({(big.quartiers or 0) * (big.actions or 0)} actions) | "
                "pair non mesuré | ≤ 0.33× | "
                "non mesurable (Taskwarrior absent) |"]
    _, task_measures = rep.peers[big.name]
    lines = []
    total = (big.quartiers or 0) * (big.actions or 0)
    for gusp_key, task_key in (("overdue_q", "task_overdue_q"), ("overdue", "task_overdue")):
        raw = _find(task_measures, f"paired_{gusp_key}")
        g, t = _usable(raw), _find(task_measures, task_key)
        gm, tm = (g.median if g else None), (t.median if t else None)
        ratio = gm / tm if gm and tm else None
        lines.append(f"| 8 | `{raw.label if raw else gusp_key}` / `{t.label if t else task_key}` à chaud, "
                     f"{total} actions | {fmt_ratio(gm, tm)} ({fmt_s(gm)} s / {fmt_s(tm)} s) | "
                     f"≤ 0.33× | {verdict(ratio, TARGETS['peer'])} |")
        if gusp_key == "overdue":
            lines.append(_memory_against_peer("à chaud", g.warm_peak_mib if g else None,
                                              t.warm_peak_mib if t else None, total))
            cold = _usable(_find(rep.gusp[big.name], "overdue"))
            lines.append(_memory_against_peer("à froid", cold.cold_peak_mib if cold else None,
                                              t.peak_mib if t else None, total))
    return lines


def _memory_against_peer(when: str, gusp_mib: float | None, task_mib: float | None, total: int) -> str:
    """Peak memory of ``gusp overdue`` (warm, or cold: the cache emptied) against ``task overdue``
    (which keeps no cache: its every run is the same)."""
    ok = "non mesurable (commande absente ou en échec)" if gusp_mib is None or task_mib is None else (
        "atteint" if gusp_mib < task_mib else "non atteint")
    issue = "8" if when == "à chaud" else "20"
    return (f"| {issue} | mémoire max {when} `gusp overdue` < `task overdue`, {total} actions | "
            f"{gusp_mib or 0:.0f} Mio / {task_mib or 0:.0f} Mio | inférieure | {ok} |")


GROWTH_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("validate", "cold", "`validate` à froid"),
    ("overdue", "warm", "`overdue` à chaud"),
    ("edit", "warm", "`status` à chaud"),
    ("diff", "warm", "`diff` à chaud"),
    ("diff", "cold", "`diff` à froid"),
)
"""(measure, statistic, heading) of the growth table's columns."""


def _figure(m: Measure | None, statistic: str) -> float | None:
    """A measure's median warm or cold wall time (None when it did not run or failed)."""
    m = _usable(m)
    if m is None:
        return None
    if statistic == "warm":
        return m.median
    return m.cold.seconds if m.cold else None


def linearity_section(rep: Report) -> list[str]:
    """Cold ``validate``, warm ``overdue``, ``status`` and ``diff`` across the synthetic sizes, each
    with its figure per 1,000 actions: what grows linearly shows a constant per-1,000 figure."""
    head = " | ".join(f"{h} (s) | par 1 000 actions (s)" for _, _, h in GROWTH_COLUMNS)
    lines = ["## Croissance avec la taille", "",
             "Médianes ; à froid : cache gusp vidé avant chaque exécution. Mémoire : pic de `validate` "
             "à froid.", "",
             f"| Jeu de données | Actions | {head} | Mémoire à froid (Mio) |",
             "| --- | --- | " + " | ".join("--- | ---" for _ in GROWTH_COLUMNS) + " | --- |"]
    for ds in rep.datasets:
        if ds.actions is None:
            continue
        total = ds.total or 0
        cells = []
        for key, statistic, _ in GROWTH_COLUMNS:
            value = _figure(_find(rep.gusp[ds.name], key), statistic)
            cells += [fmt_s(value), f"{value / total * 1000:.4f}" if value is not None and total else "—"]
        v = _usable(_find(rep.gusp[ds.name], "validate"))
        mem = f"{v.cold_peak_mib:.0f}" if v and v.cold_peak_mib else "—"
        lines.append(f"| {ds.name} | {total} | {' | '.join(cells)} | {mem} |")
    return [*lines, ""]


def peer_section(rep: Report) -> list[str]:
    """Taskwarrior: import, sanity count, and the gusp/task ratios for every size."""
    if not rep.peers:
        return ["## Pair : Taskwarrior", "", "Non mesuré (`task` absent ou `--no-peer`).", ""]
    lines = ["## Pair : Taskwarrior", "",
             "Mêmes actions importées par `task import` (description = libellé, project = quartier, "
             "due = fin de l'échéance à 23:59:59 UTC, status = completed pour `realisee`/`abandonnee`, "
             "pending sinon).", "",
             "| Jeu de données | Tâches en attente / terminées | Import (s) | `task +OVERDUE count` | "
             "Lignes de `gusp overdue` | gusp overdue / task overdue | "
             "gusp overdue --quartier / task project:X overdue |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, (peer, task_measures) in rep.peers.items():
        gusp_all = _usable(_find(task_measures, "paired_overdue"))
        gusp_q = _usable(_find(task_measures, "paired_overdue_q"))
        t_all, t_q = _find(task_measures, "task_overdue"), _find(task_measures, "task_overdue_q")
        agree = "" if peer.overdue_count == peer.gusp_overdue else " (différent !)"
        lines.append(f"| {name} | {peer.pending} / {peer.completed} | {peer.import_seconds:.2f} | "
                     f"{peer.overdue_count} | {peer.gusp_overdue}{agree} | "
                     f"{fmt_ratio(gusp_all.median if gusp_all else None, t_all.median if t_all else None)} | "
                     f"{fmt_ratio(gusp_q.median if gusp_q else None, t_q.median if t_q else None)} |")
    return [*lines, ""]


def render(rep: Report) -> str:
    """The whole Markdown report."""
    lines = ["# Banc d'essai gusp : résultats", "",
             "Produit par `make bench` (`bench/run.py`) ; ne pas éditer à la main. Lecture : voir "
             "`bench/README.md`.", "", "## Machine", ""]
    lines += [f"- {k} : {v}" for k, v in rep.info.items()]
    lines += ["", f"Exécutions : {rep.cold_runs} à froid (cache gusp vidé avant chacune ; la médiane est "
              "montrée) pour les mesures dont le froid est un objectif (`validate`, `overdue --quartier`, "
              f"`diff`), une pour les autres ; puis {rep.runs} à chaud, {rep.heavy_runs} pour les sorties "
              "(revue, classeur, site, import), mesurées sur la charte réelle et le plus grand jeu "
              f"synthétique d'au plus {rep.heavy_max} actions (la revue en Word et en PDF : d'au plus "
              f"{rep.document_max} actions ; celle de 50 000 actions compte environ 105 000 lignes de "
              "tableau, 31 Mo de HTML, et sa mise en page PDF a été arrêtée après 6 minutes à 6,4 Gio ; "
              "`gusp publish` à froid écrit un nouveau dossier, celui d'un banc d'essai précédent retiré "
              "avant, et chaque exécution à chaud remplace le site écrit par la précédente) ; "
              "le tableau donne le nombre exact de "
              "chaque mesure. Temps mural du processus entier ; médiane et écart min–max des exécutions à "
              "chaud ; gusp et Taskwarrior sont mesurés en alternance (gusp, task, gusp, task…), pour "
              "que leur rapport voie la même charge de la machine ; mémoire = pic de RSS du "
              "processus, le max des exécutions à chaud (l'objectif de "
              "l'issue) et le max de toutes, froid compris (l'exécution à froid analyse chaque "
              "fichier), lu par "
              + ("GNU time (`/usr/bin/time -f '%M %U %S'`, qui ajoute environ 1 ms au temps mural de "
                 "chaque mesure, plancher compris). CPU = temps utilisateur + système du processus, "
                 "au 1/100 s : moins sensible que le temps mural à la charge de la machine." if GNU_TIME else
                 "`os.wait4` (GNU time absent : les petits pics sont surestimés, ils incluent la "
                 "mémoire du banc d'essai).")
              + f" Modifier une action : `gusp status ID STATUT --date {rep.as_of.isoformat()}` sur une "
              f"copie de chaque jeu de données (`{relative(str(rep.work / 'edit-'))}…`), "
              "le jeu lui-même restant intact ; le statut alterne entre `en_cours` et `a_faire`, si bien "
              "que chaque exécution écrit réellement le fichier de l'action."
              + (f" Avant les mesures, le bytecode de gusp est compilé une fois (`python -m compileall -q "
                 f"{relative(rep.compiled)}`), comme le fait `pip install` : sans cela, avec "
                 "PYTHONDONTWRITEBYTECODE=1 dans l'environnement "
                 f"({'présent' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'absent'} ici, laissé "
                 "tel quel pour les processus mesurés), une installation éditable recompile ses modules "
                 "à chaque exécution (≈ 15 à 20 ms)." if rep.compiled else
                 " Bytecode de gusp non compilé avant les mesures (échec de `compileall`, voir les "
                 "remarques) : les temps peuvent inclure la compilation des modules."), ""]
    lines += targets_section(rep)
    lines += ["## Mesures", "",
              "| Jeu de données | Actions | Commande | À froid, médiane (s) | Exécutions froid / chaud | "
              "À chaud, médiane (s) | "
              "Écart min–max (s) | CPU à chaud, médiane (s) | Mémoire max à chaud (Mio) | "
              "Mémoire max, froid compris (Mio) | Code de sortie |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    lines.append(row(rep.floor, "—"))
    lines.append(row(rep.help_, "—"))
    for ds in rep.datasets:
        total = "?" if ds.total is None else str(ds.total)
        lines += [row(m, total) for m in rep.gusp[ds.name]]
        if ds.name in rep.peers:
            lines += [row(m, total) for m in rep.peers[ds.name][1]]
    lines.append("")
    lines += linearity_section(rep)
    lines += peer_section(rep)
    lines += commands_section(rep)
    if rep.notes:
        lines += ["## Remarques", "", *[f"- {n}" for n in rep.notes], ""]
    return "\n".join(lines)


def relative(text: str) -> str:
    """Paths below the project root written relative to it (``.`` for the root itself)."""
    return text.replace(str(ROOT) + "/", "").replace(str(ROOT), ".")


def commands_section(rep: Report) -> list[str]:
    """The exact command lines, with the working directory of each data set."""
    lines = ["## Commandes exactes", "", "```"]
    seen: set[str] = set()
    every = [rep.floor, rep.help_, *(m for ms in rep.gusp.values() for m in ms),
             *(m for _, ms in rep.peers.values() for m in ms)]
    for m in every:
        for command in m.command_lines:
            text = relative(f"(cd {m.cwd}) {command}")
            if text not in seen and not m.absent:
                seen.add(text)
                lines.append(text)
    lines += ["```", "", "Chemins relatifs à la racine du dépôt. "
              "Environnement : XDG_CACHE_HOME privé au banc d'essai, GUSP_CHARTER retiré ; "
              "Taskwarrior avec TASKRC et TASKDATA privés. Jeux synthétiques : `bench/generate.py` "
              "(graine fixe), un fichier par quartier.", ""]
    return lines


def failure_notes(measures: list[Measure]) -> list[str]:
    """One note per run that exited non-zero: which run, its code and the end of its stderr."""
    notes = []
    for m in measures:
        for i, sample in enumerate(m.samples):
            if sample.code != 0:
                when = "à froid" if i == 0 and m.cold is not None else f"à chaud n° {i}"
                tail = " / ".join(sample.stderr.strip().splitlines()[-2:])[:300]
                notes.append(f"{m.group}, `{m.label}` ({when}) : code {sample.code} — "
                             f"{tail or 'stderr vide'}")
    return notes


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line of the harness."""
    p = argparse.ArgumentParser(description="Banc d'essai de gusp (temps et mémoire, pair Taskwarrior).")
    p.add_argument("--sizes", default="10,100,500,2000",
                   help="nombres de quartiers, séparés par des virgules (défaut : 1 000 à 200 000 actions)")
    p.add_argument("--actions", type=int, default=100, help="actions par quartier")
    p.add_argument("--runs", type=int, default=5, help="exécutions à chaud par commande")
    p.add_argument("--cold-runs", type=int, default=5,
                   help="exécutions à froid des mesures dont le froid est un objectif (cache vidé avant "
                        "chacune ; médiane)")
    p.add_argument("--heavy-runs", type=int, default=3,
                   help="exécutions à chaud des sorties (revue html/docx/pdf, classeur, site, import)")
    p.add_argument("--heavy-max", type=int, default=50000,
                   help="les sorties sont mesurées sur le plus grand jeu synthétique d'au plus ce nombre "
                        "d'actions (et la charte réelle)")
    p.add_argument("--document-max", type=int, default=1000,
                   help="la revue en Word et en PDF est mesurée sur le plus grand jeu synthétique d'au "
                        "plus ce nombre d'actions (et la charte réelle)")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--work", type=Path, default=HERE / "out", help="dossier de travail (jeux, caches)")
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="rapport Markdown")
    p.add_argument("--real", type=Path, default=ROOT, help="dépôt de la charte réelle (charter-data/)")
    p.add_argument("--real-quartier", default="avion", help="quartier de la charte réelle pour overdue")
    p.add_argument("--no-real", action="store_true", help="ne pas mesurer la charte réelle")
    p.add_argument("--no-peer", action="store_true", help="ne pas mesurer Taskwarrior")
    p.add_argument("--gusp", help="commande gusp (défaut : le script gusp du venv)")
    return p.parse_args(argv)


def gusp_command(explicit: str | None) -> list[str]:
    """The gusp command line: explicit, else the venv's console script, else ``python -m gusp_cli``."""
    if explicit:
        return shlex.split(explicit)
    script = Path(sys.executable).parent / "gusp"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "gusp_cli"]


def datasets(args: argparse.Namespace, work: Path, notes: list[str]) -> list[Dataset]:
    """The real charter (when present) then the generated sizes."""
    result = []
    if not args.no_real:
        real = args.real.resolve()
        if (real / "charter-data" / "charte.yaml").is_file():
            from gusp_cli.store.loader import load

            entries = load(real).entries
            statuts = [(e.id, e.action.statut.value if e.action.statut else None) for e in entries]
            target = next((t for t in statuts if t[1] in EDITABLE), None)
            result.append(Dataset("charte réelle", real, args.real_quartier, total=len(entries),
                                  edit_target=target))
        else:
            notes.append(f"charte réelle absente ({real}/charter-data/charte.yaml) : non mesurée")
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        ds = Dataset(f"synthétique {size}×{args.actions}", work / f"synth-{size}x{args.actions}",
                     quartier_id(0), args.actions, size, total=size * args.actions)
        start = time.perf_counter()
        ds.records = generate(ds.root, size, args.actions, args.seed)
        ds.generated_in = time.perf_counter() - start
        ds.edit_target = next(((r.id, r.statut) for r in ds.records if r.statut in EDITABLE), None)
        print(f"généré {ds.name} en {ds.generated_in:.2f} s", flush=True)
        result.append(ds)
    synthetic = [d for d in result if d.actions is not None]
    heavy, documents = _largest(synthetic, args.heavy_max), _largest(synthetic, args.document_max)
    for ds in synthetic:
        ds.heavy, ds.documents = ds is heavy, ds is documents
    return result


def _largest(sets: list[Dataset], most: int) -> Dataset | None:
    """The largest data set of at most ``most`` actions (None when all are larger)."""
    within = [d for d in sets if (d.total or 0) <= most]
    return max(within, key=lambda d: d.total or 0) if within else None


def compile_package(python: str, env: dict[str, str], notes: list[str]) -> str | None:
    """Byte-compile the installed ``gusp_cli`` package once, as ``pip install`` does; its folder.

    With ``PYTHONDONTWRITEBYTECODE=1`` (kept for the measured processes), the modules of an editable
    install would otherwise be compiled from source on every run, a cost no installed user pays.
    """
    found = subprocess.run([python, "-c", "import gusp_cli, os; print(os.path.dirname(gusp_cli.__file__))"],
                           capture_output=True, text=True, env=env, check=False)
    package = found.stdout.strip()
    if found.returncode != 0 or not package:
        notes.append(f"paquet gusp_cli introuvable par {relative(python)} : bytecode non compilé")
        return None
    done = subprocess.run([python, "-m", "compileall", "-q", package], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0:
        tail = " / ".join((done.stdout + done.stderr).strip().splitlines()[-2:])[:300]
        notes.append(f"`compileall` a échoué sur {relative(package)} (code {done.returncode}) : {tail}")
        return None
    print(f"bytecode compilé : {package}", flush=True)
    return package


def main(argv: list[str] | None = None) -> int:
    """Run every measure and write the report."""
    args = parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "xdg-cache"
    env = {k: v for k, v in os.environ.items()
           if k not in ("GUSP_CHARTER", "GUSP_DEBUG", "TASKRC", "TASKDATA")}
    env["XDG_CACHE_HOME"] = str(cache)
    gusp = gusp_command(args.gusp)
    task = None if args.no_peer else shutil.which("task")
    notes: list[str] = []
    if not args.no_peer and task is None:
        notes.append("Taskwarrior (`task`) absent : pair non mesuré (`make bench` l'installe)")
    python = sys.executable
    # gusp's own today (GUSP_TODAY when set): the edits are dated with it, and never in gusp's future
    fixed = os.environ.get("GUSP_TODAY")
    as_of = dt.date.fromisoformat(fixed) if fixed else dt.date.today()
    compiled = compile_package(python, env, notes)
    info = machine(python, gusp, task, env)
    info["Options du banc d'essai"] = shlex.join(sys.argv[1:] if argv is None else argv) or "(défauts)"
    present = present_commands(gusp, env)
    for name, ok in present.items():
        if not ok:
            notes.append(f"`gusp {name}` n'existe pas encore : mesures marquées « absente »")
    print("plancher et aide", flush=True)
    floor = measure(Measure("floor", "—", 'python -c "import typer"', [python, "-c", "import typer"], ROOT),
                    env, args.runs, None)
    help_ = measure(Measure("help", "—", "gusp --help", [*gusp, "--help"], ROOT), env, args.runs,
                    cache / "gusp")
    sets = datasets(args, work, notes)
    gusp_results: dict[str, list[Measure]] = {}
    peers: dict[str, tuple[Peer, list[Measure]]] = {}
    for ds in sets:
        print(ds.name, flush=True)
        edit = edit_measure(ds, gusp, present, work, as_of)
        todo = [*gusp_measures(ds, gusp, present, work, args.heavy_runs), *([edit] if edit else []),
                *scenario_measures(ds, gusp, present, work, env, args.heavy_runs, notes)]
        gusp_results[ds.name] = [m if m.absent else measure(m, env, args.runs, cache / "gusp", args.cold_runs)
                                 for m in todo]
        if edit is None:
            notes.append(f"{ds.name} : aucune action au statut absent, a_faire ou en_cours : "
                         "modification non mesurée")
        if task and ds.actions is not None and (ds.total or 0) <= args.heavy_max:
            peer = setup_peer(ds, task, work, env, gusp)
            print(f"  task import : {peer.import_seconds:.2f} s", flush=True)
            peers[ds.name] = (peer, [m for g, t in peer_pairs(peer, task, gusp)
                                     for m in measure_together([(g, env, None), (t, peer.env, None)],
                                                               args.runs)])
    notes += failure_notes([floor, help_, *(m for ms in gusp_results.values() for m in ms),
                            *(m for _, ms in peers.values() for m in ms)])
    for ds in sets:
        if ds.generated_in is not None:
            notes.append(relative(f"{ds.name} : généré en {ds.generated_in:.2f} s dans {ds.root}"))
    info["Charge (loadavg 1/5/15 min) à la fin"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    report = Report(info, args.runs, floor, help_, sets, gusp_results, peers, notes, as_of, compiled, work,
                    args.cold_runs, args.heavy_runs, args.heavy_max, args.document_max)
    text = render(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"rapport écrit : {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
