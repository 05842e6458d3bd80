"""The gusp benchmark: whole-process timings on synthetic and real charters, against Taskwarrior.

Every measure runs the command as a separate process (``subprocess``), wall clock by
``time.perf_counter``, peak memory from the child's own ``rusage`` (``os.wait4``). For each command:
one *cold* run (the bench-private gusp cache ``$XDG_CACHE_HOME/gusp`` cleared just before; the OS
page cache is not dropped) and ``--runs`` *warm* runs (median and min–max).

Measured: ``gusp --help``, ``validate``, ``overdue --quartier X``, ``overdue``, ``review --format html``,
``export --format json`` on the synthetic sizes and on the real embedded charter; the edit
``gusp status ID en_cours|a_faire --date DAY`` on a scratch copy of each of them (``WORK/edit-NAME``, the
status alternating so that every run writes); the floor ``python -c "import typer"`` in the same virtual
environment; the peer, Taskwarrior, on the same actions imported with ``task import`` (``task overdue``,
``task project:X overdue``). A gusp command that does not exist yet is reported as absent. The report is
Markdown (``bench/RESULTS.md`` by default).

Before measuring, the gusp package is byte-compiled once (``python -m compileall -q``), as ``pip install``
does: with ``PYTHONDONTWRITEBYTECODE=1`` in the environment, an editable install would otherwise recompile
its modules from source on every run. The environment of the measured processes is left as it is.

Usage::

    python bench/run.py [--sizes 1,50,500] [--actions 100] [--runs 5] [--no-peer] [--out FILE]
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import ActionRecord, generate, quartier_id, slug, write_task_json  # noqa: E402

TASK_RC = ("rc.confirmation=off", "rc.verbose=nothing", "rc.hooks=off", "rc.gc=off",
           "rc.recurrence=off", "rc.color=off")
TIMEOUT_S = 900.0
TARGETS = {"overdue_q_floor": 1.5, "help_floor": 1.3, "peer": 1 / 3, "validate_cold_s": 5.0, "edit_s": 1.0,
           "export_xlsx_s": 5.0}
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
    for _ in range(colds):
        for m, env, clear in items:
            if clear is None and m.colds:
                continue
            if clear is not None:
                shutil.rmtree(clear, ignore_errors=True)
            m.colds.append(run_once(m.argv_at(len(m.samples)), m.cwd, env))
    for _ in range(runs):
        for m, env, _ in items:
            m.warm.append(run_once(m.argv_at(len(m.samples)), m.cwd, env))
    for m, _, _ in items:
        med, cold = m.median, m.cold
        print(f"  {m.group:<24} {m.label:<40} froid {cold.seconds if cold else float('nan'):7.3f} s  "
              f"chaud {med if med is not None else float('nan'):7.3f} s  codes {m.codes}", flush=True)
    return [m for m, _, _ in items]


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


GUSP_BENCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("validate", ("validate",)),
    ("overdue_q", ("overdue", "--quartier", "{q}")),
    ("overdue", ("overdue",)),
    ("review", ("review", "--format", "html", "-o", "{out}")),
    ("export", ("export", "--format", "json")),
    ("export_xlsx", ("export", "--format", "xlsx", "-o", "{xlsx}", "--force")),
)
"""(key, arguments); the first argument is the subcommand, ``{q}`` the quartier, ``{out}`` and ``{xlsx}``
files (``--force``: the workbook of the previous run is replaced)."""


def present_commands(gusp: list[str], env: dict[str, str]) -> dict[str, bool]:
    """Which subcommands exist (``gusp CMD --help`` exits 0)."""
    names = sorted({args[0] for _, args in GUSP_BENCHES} | {"status"})
    return {n: run_once([*gusp, n, "--help"], ROOT, env).code == 0 for n in names}


def gusp_measures(ds: Dataset, gusp: list[str], present: dict[str, bool], work: Path) -> list[Measure]:
    """The gusp measures of one data set (absent commands flagged, not run)."""
    out = work / f"review-{slug(ds.name.replace('×', 'x'))}.html"
    xlsx = work / f"suivi-{slug(ds.name.replace('×', 'x'))}.xlsx"
    result = []
    for key, args in GUSP_BENCHES:
        argv = [*gusp, *(a.format(q=ds.quartier, out=out, xlsx=xlsx) for a in args)]
        label = "gusp " + " ".join(a.format(q=ds.quartier, out="FICHIER.html", xlsx="FICHIER.xlsx")
                                   for a in args)
        m = Measure(key, ds.name, label, argv, ds.root)
        m.absent = not present.get(args[0], False)
        result.append(m)
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
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(ds.root / "charter-data", copy / "charter-data")
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
        return f"| {m.group} | {actions} | `{cell(m.label)}` | absente | — | — | — | — | — | — |"
    lo_hi = m.spread
    spread = "—" if lo_hi is None else f"{lo_hi[0]:.3f}–{lo_hi[1]:.3f}"
    mem = "—" if m.peak_mib is None else f"{m.peak_mib:.0f}"
    warm_mem = "—" if m.warm_peak_mib is None else f"{m.warm_peak_mib:.0f}"
    codes = ", ".join(str(c) for c in m.codes)
    return (f"| {m.group} | {actions} | `{cell(m.label)}` | {fmt_s(m.cold.seconds if m.cold else None)} | "
            f"{fmt_s(m.median)} | {spread} | {fmt_s(m.cpu_median)} | {warm_mem} | {mem} | {codes} |")


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
    """Cold runs per command (their median is shown)."""


def _find(measures: list[Measure], key: str) -> Measure | None:
    """The measure of ``key`` in a list."""
    return next((m for m in measures if m.key == key), None)


def _usable(m: Measure | None) -> Measure | None:
    """The measure when it ran and succeeded (exit 0), else None."""
    return m if m is not None and not m.absent and m.codes == [0] else None


def targets_section(rep: Report) -> list[str]:
    """The issue's targets with the measured ratios and a verdict each."""
    floor = rep.floor.median
    lines = ["## Objectifs (issue 8)", "",
             f"Plancher : `python -c \"import typer\"` = {fmt_s(floor)} s (médiane à chaud).", "",
             "| Objectif | Mesure | Cible | Verdict |", "| --- | --- | --- | --- |"]
    help_ratio = rep.help_.median / floor if floor and rep.help_.median else None
    lines.append(f"| `gusp --help` / plancher | {fmt_ratio(rep.help_.median, floor)} "
                 f"({fmt_s(rep.help_.median)} s) | ≤ {TARGETS['help_floor']}× | "
                 f"{verdict(help_ratio, TARGETS['help_floor'], rep.help_.codes != [0])} |")
    real = next((d for d in rep.datasets if d.actions is None), None)
    if real is not None:
        m = _usable(_find(rep.gusp[real.name], "overdue_q"))
        med = m.median if m else None
        lines.append(f"| `gusp overdue --quartier {real.quartier}` (charte réelle) / plancher | "
                     f"{fmt_ratio(med, floor)} ({fmt_s(med)} s) | ≤ {TARGETS['overdue_q_floor']}× | "
                     f"{verdict(med / floor if med and floor else None, TARGETS['overdue_q_floor'])} |")
    synth = [d for d in rep.datasets if d.actions is not None]
    if synth:
        big = max(synth, key=lambda d: d.total or 0)
        lines += _peer_targets(rep, big)
        v = _usable(_find(rep.gusp[big.name], "validate"))
        cold = v.cold.seconds if v and v.cold else None
        total = (big.quartiers or 0) * (big.actions or 0)
        lines.append(f"| `gusp validate` à froid, {total} actions | {fmt_s(cold)} s | "
                     f"≤ {TARGETS['validate_cold_s']:.0f} s | {verdict(cold, TARGETS['validate_cold_s'])} |")
        raw = _find(rep.gusp[big.name], "edit")
        e = _usable(raw)
        med = e.median if e else None
        what = f" (`{cell(raw.label)}`)" if raw else ""
        lines.append(f"| modifier une action, {total} actions, à chaud{what} | {fmt_s(med)} s | "
                     f"≤ {TARGETS['edit_s']:.0f} s | {verdict(med, TARGETS['edit_s'], raw is None)} |")
        x = _usable(_find(rep.gusp[big.name], "export_xlsx"))
        med = x.median if x else None
        lines.append(f"| classeur de suivi (`gusp export --format xlsx`), {total} actions, à chaud | "
                     f"{fmt_s(med)} s | ≤ {TARGETS['export_xlsx_s']:.0f} s | "
                     f"{verdict(med, TARGETS['export_xlsx_s'], x is None)} |")
    return [*lines, ""]


def _peer_targets(rep: Report, big: Dataset) -> list[str]:
    """Targets against Taskwarrior on the largest data set."""
    if big.name not in rep.peers:
        return [f"| gusp / Taskwarrior ({(big.quartiers or 0) * (big.actions or 0)} actions) | "
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
        lines.append(f"| `{raw.label if raw else gusp_key}` / `{t.label if t else task_key}` à chaud, "
                     f"{total} actions | {fmt_ratio(gm, tm)} ({fmt_s(gm)} s / {fmt_s(tm)} s) | "
                     f"≤ 0.33× | {verdict(ratio, TARGETS['peer'])} |")
        if gusp_key == "overdue":
            gp, tp = (g.warm_peak_mib if g else None), (t.warm_peak_mib if t else None)
            ok = "non mesurable (commande absente ou en échec)" if gp is None or tp is None else (
                "atteint" if gp < tp else "non atteint")
            lines.append(f"| mémoire max à chaud `gusp overdue` < `task overdue`, {total} actions | "
                         f"{gp or 0:.0f} Mio / {tp or 0:.0f} Mio | inférieure | {ok} |")
    return lines


def linearity_section(rep: Report) -> list[str]:
    """``gusp validate`` cold, per 1,000 actions, across the synthetic sizes (wall and CPU time)."""
    lines = ["## Croissance avec la taille (`gusp validate`)", "",
             "| Jeu de données | Actions | À froid (s) | À froid par 1 000 actions (s) | CPU à froid (s) | "
             "CPU par 1 000 actions (s) | À chaud (s) | Mémoire max (Mio) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for ds in rep.datasets:
        if ds.actions is None:
            continue
        m = _find(rep.gusp[ds.name], "validate")
        total = ds.total or 0
        cold = m.cold if m else None
        per = f"{cold.seconds / total * 1000:.3f}" if cold and total else "—"
        cpu_per = f"{cold.cpu / total * 1000:.3f}" if cold and total else "—"
        mem = f"{m.peak_mib:.0f}" if m and m.peak_mib else "—"
        lines.append(f"| {ds.name} | {total} | {fmt_s(cold.seconds if cold else None)} | {per} | "
                     f"{fmt_s(cold.cpu if cold else None)} | {cpu_per} | {fmt_s(m.median if m else None)} | "
                     f"{mem} |")
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
    lines += ["", f"Chaque commande : {rep.cold_runs} exécution(s) à froid (cache gusp vidé avant chacune ; "
              f"la médiane est montrée) puis {rep.runs} "
              "à chaud ; temps mural du processus entier ; médiane et écart min–max des exécutions à "
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
              "| Jeu de données | Actions | Commande | À froid (s) | À chaud, médiane (s) | "
              "Écart min–max (s) | CPU à chaud, médiane (s) | Mémoire max à chaud (Mio) | "
              "Mémoire max, froid compris (Mio) | Code de sortie |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
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
    p.add_argument("--sizes", default="1,50,500", help="nombres de quartiers, séparés par des virgules")
    p.add_argument("--actions", type=int, default=100, help="actions par quartier")
    p.add_argument("--runs", type=int, default=5, help="exécutions à chaud par commande")
    p.add_argument("--cold-runs", type=int, default=5,
                   help="exécutions à froid par commande (cache vidé avant chacune ; médiane)")
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
    return result


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
        todo = [*gusp_measures(ds, gusp, present, work), *([edit] if edit else [])]
        gusp_results[ds.name] = [m if m.absent else measure(m, env, args.runs, cache / "gusp", args.cold_runs)
                                 for m in todo]
        if edit is None:
            notes.append(f"{ds.name} : aucune action au statut absent, a_faire ou en_cours : "
                         "modification non mesurée")
        if task and ds.actions is not None:
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
                    args.cold_runs)
    text = render(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"rapport écrit : {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
