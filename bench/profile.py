"""Where gusp's time goes: import times by package, load phases, and the cost of candidate fixes.

Three reports, each printed as Markdown::

    python bench/profile.py importtime [--runs 5] -- overdue --quartier avion   # from a charter dir
    python bench/profile.py phases REPO [--runs 3]
    python bench/profile.py alternatives REPO [--runs 3]
    PYTHONPATH=/tmp/pyi python bench/profile.py pyinstrument [--show-all] -- overdue --quartier avion
    python bench/profile.py startup [--runs 7] -- overdue --quartier avion          # from a charter dir

``importtime`` runs ``python -X importtime -m gusp_cli ARGS`` several times and keeps, per module,
the smallest self time (the least disturbed run), then sums by package. ``phases`` times, in
process, each step of ``gusp_cli.store.loader.load`` on a repository: reading, YAML parsing into nodes
(C parser), building plain values, pydantic validation, the cross-record checks one by one.
``alternatives`` times what a parse cache or another reader would cost instead: pickle of the
validated models, ``model_construct`` from plain values, ``model_validate_json``, ruamel's
safe loader. It reads gusp internals (``yamlio``) but changes nothing.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_PLUGINS = "importlib.metadata (recherche des greffons pydantic)"
GROUPS = (
    ("gusp_cli.model.models", "gusp_cli.model.models (construction des modèles pydantic)"),
    ("gusp_cli", "gusp_cli (autres modules)"),
    ("typer", "typer + click"), ("click", "typer + click"),
    ("rich", "rich"), ("pygments", "rich"), ("markdown_it", "rich"), ("mdurl", "rich"),
    ("pydantic_core", "pydantic + pydantic_core"), ("pydantic", "pydantic + pydantic_core"),
    ("annotated_types", "pydantic + pydantic_core"), ("typing_inspection", "pydantic + pydantic_core"),
    ("importlib", _PLUGINS), ("email", _PLUGINS), ("zipfile", _PLUGINS), ("csv", _PLUGINS),
    ("ruamel", "ruamel.yaml"), ("_ruamel_yaml", "ruamel.yaml"),
    ("jinja2", "jinja2 + markupsafe"), ("markupsafe", "jinja2 + markupsafe"),
    ("_distutils_hack", "site (.pth de setuptools)"),
)


def group_of(module: str) -> str:
    """The reporting group of a module name."""
    for prefix, label in GROUPS:
        if module == prefix or module.startswith(prefix + "."):
            return label
    return "bibliothèque standard et autres"


def importtime(args: list[str], runs: int) -> str:
    """Markdown: import self time by group (min over runs per module) and the heaviest modules."""
    best: dict[str, tuple[int, int]] = {}
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "gusp_cli", *args],
                              capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cum_us, name = line.split(":", 1)[1].split("|")
            key = name.strip()
            old = best.get(key)
            best[key] = (int(self_us), int(cum_us)) if old is None else (min(old[0], int(self_us)),
                                                                          min(old[1], int(cum_us)))
    by_group: collections.Counter[str] = collections.Counter()
    for name, (own, _) in best.items():
        by_group[group_of(name)] += own
    total = sum(by_group.values(), 0)
    out = [f"`python -X importtime -m gusp_cli {' '.join(args)}` ({runs} exécutions, minimum par module ; "
           f"processus entier : médiane {statistics.median(walls):.3f} s, min {min(walls):.3f} s)", "",
           "| Groupe | Temps propre d'import (ms) | Part |", "| --- | --- | --- |"]
    out += [f"| {g} | {us / 1000:.1f} | {100 * us / total:.0f} % |" for g, us in by_group.most_common()]
    out += [f"| **total** | **{total / 1000:.1f}** | |", "", "Modules les plus lourds (temps propre) :", "",
            "| Module | Propre (ms) | Cumulé (ms) |", "| --- | --- | --- |"]
    heavy = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:15]
    out += [f"| `{n}` | {s / 1000:.1f} | {c / 1000:.1f} |" for n, (s, c) in heavy]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- in-process phases


def both(runs: int, fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """``best_of`` with the cyclic GC enabled, then disabled: (with GC, without GC, result)."""
    t_gc, _ = best_of(runs, fn)
    t_nogc, result = best_of(runs, lambda: _without_gc(fn))
    return t_gc, t_nogc, result


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Smallest CPU time (``process_time``) of ``runs`` calls of ``fn`` and the last result.

    CPU time rather than wall time: on a shared machine the wall clock also counts other processes.
    The result of the previous call is dropped first, so that the cyclic GC of one call does not
    walk the objects of the one before.
    """
    import gc

    times, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def _files(repo: Path) -> list[tuple[Path, Any]]:
    """(path, model) of every file of a charter repository, in load order."""
    from gusp_cli.model.models import Charte, Quartier, Registre
    from gusp_cli.store.yamlio import parse_file

    data = repo / "charter-data"
    charte = parse_file(data / "charte.yaml").data
    files = [(data / "charte.yaml", Charte), (data / "acteurs.yaml", Registre)]
    files += [(data / "quartiers" / f"{q}.yaml", Quartier) for q in charte["quartiers"]]
    return files


Row = tuple[str, float, float]
"""(step, CPU seconds with the cyclic GC, CPU seconds without it)."""


def _parse_steps(files: list[tuple[Path, Any]], runs: int) -> list[Row]:
    """CPU time of each reading step over every file (the intermediate results die on return)."""
    from gusp_cli.store import yamlio

    rows: list[Row] = []
    t_read, n_read, texts = both(runs, lambda: [yamlio.read_text(p)[0] for p, _ in files])
    rows.append(("lecture + décodage UTF-8 (`read_text`)", t_read, n_read))
    loader = yamlio._loader_class()
    t_nodes, n_nodes, roots = both(runs, lambda: [loader(t).get_single_node() for t in texts])
    rows.append(("analyse YAML en nœuds (`CParser.get_single_node`, parseur et composeur C)",
                 t_nodes, n_nodes))

    def build() -> list[Any]:
        return [yamlio._Builder(p).build(r, 0) for (p, _), r in zip(files, roots, strict=True)]

    t_build, n_build, values = both(runs, build)
    rows.append(("nœuds → valeurs Python (`_Builder`, Python)", t_build, n_build))
    t_valid, n_valid, _ = both(runs, lambda: [m.model_validate(v) for (_, m), v in
                                             zip(files, values, strict=True)])
    rows.append(("validation pydantic (`model_validate`)", t_valid, n_valid))
    return rows


def phases(repo: Path, runs: int) -> str:
    """Markdown: time of each step of loading ``repo``, in process, best of ``runs``."""
    import datetime as dt

    from gusp_cli.model import rules
    from gusp_cli.store.loader import load

    files = _files(repo)
    rows = _parse_steps(files, runs)
    today = dt.date.today()
    t_load, t_nogc, charter = both(runs, lambda: load(repo, today=today))
    checks_gc = checks_nogc = 0.0

    def run_one(check: Any) -> list[Any]:
        if check in rules.QUARTIER_RULES:
            return [p for q in charter.quartiers for p in check(charter, q, today)]
        return list(check(charter, today))

    for check in rules.RULES:
        t_check, n_check, _ = both(runs, lambda c=check: run_one(c))  # type: ignore[misc]
        checks_gc, checks_nogc = checks_gc + t_check, checks_nogc + n_check
    slowest = max(rules.RULES, key=lambda c: best_of(1, lambda: run_one(c))[0])
    rows.append((f"les {len(rules.RULES)} règles de `rules.RULES` (la plus lente : `{slowest.__name__}`)",
                 checks_gc, checks_nogc))
    rest = (t_load - sum(r[1] for r in rows), t_nogc - sum(r[2] for r in rows))
    rows.append(("reste de `load()` (entrées, positions des problèmes…)", max(rest[0], 0), max(rest[1], 0)))
    out = [f"Chargement en processus de `{repo}` ({len(files)} fichiers, {len(charter.entries)} actions, "
           f"{len(charter.problems)} problèmes ; temps CPU en ms, meilleur de {runs} ; chaque étape mesurée "
           "seule)", "",
           "| Étape | Avec GC | Part de `load()` | Sans GC (`gc.disable()`) |", "| --- | --- | --- | --- |"]
    out += [f"| {label} | {1000 * t:.1f} | {100 * t / t_load:.1f} % | {1000 * n:.1f} |"
            for label, t, n in rows]
    out += [f"| **`loader.load()` complet** | **{1000 * t_load:.1f}** | 100 % | **{1000 * t_nogc:.1f}** |",
            f"| → part du ramasse-miettes cyclique dans `load()` | {1000 * (t_load - t_nogc):.1f} | "
            f"{100 * (t_load - t_nogc) / t_load:.1f} % | |"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- candidate fixes


def alternatives(repo: Path, runs: int) -> str:
    """Markdown: what the reading steps would cost with a parse cache or another reader."""
    import json
    import pickle

    from ruamel.yaml import YAML

    from gusp_cli.store import yamlio

    files = _files(repo)
    values = [yamlio.parse_file(p).data for p, _ in files]
    models = [m.model_validate(v) for (_, m), v in zip(files, values, strict=True)]
    texts = [p.read_text(encoding="utf-8") for p, _ in files]
    safe = YAML(typ="safe", pure=False)
    blobs = [pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL) for m in models]
    value_blobs = [pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in values]
    jsons = [json.dumps(v, ensure_ascii=False).encode() for v in values]
    pairs = list(zip(files, values, strict=True))
    cases: list[tuple[str, Callable[[], Any], str]] = [
        ("référence : `yamlio.parse_file` (lecture, nœuds, valeurs)",
         lambda: [yamlio.parse_file(p) for p, _ in files], "lecteur actuel, garde les nœuds (positions)"),
        ("ruamel `YAML(typ='safe', pure=False).load` : valeurs directement, sans nœuds",
         lambda: [safe.load(t) for t in texts], "positions relues seulement en cas d'erreur"),
        ("référence : `model_validate` des valeurs",
         lambda: [m.model_validate(v) for (_, m), v in pairs], ""),
        ("cache : `pickle.loads` des modèles validés", lambda: [pickle.loads(b) for b in blobs],
         f"{sum(len(b) for b in blobs) / 1e6:.1f} Mo"),
        ("cache : `pickle.loads` des valeurs simples", lambda: [pickle.loads(b) for b in value_blobs],
         f"{sum(len(b) for b in value_blobs) / 1e6:.1f} Mo, à valider ensuite"),
        ("cache : valeurs + `model_construct` récursif (Python)",
         lambda: [_construct(m, pickle.loads(b)) for (_, m), b in zip(files, value_blobs, strict=True)],
         "sans validation"),
        ("cache : JSON + `model_validate_json` (analyse et validation en Rust)",
         lambda: [m.model_validate_json(j) for (_, m), j in zip(files, jsons, strict=True)],
         f"{sum(len(j) for j in jsons) / 1e6:.1f} Mo"),
        ("clé de cache : lecture + BLAKE2b de chaque fichier", lambda: [_digest(p) for p, _ in files], ""),
    ]
    out = [f"Coûts comparés sur `{repo}` ({len(files)} fichiers ; temps CPU en ms, meilleur de {runs})", "",
           "| Opération | Avec GC | Sans GC | Remarque |", "| --- | --- | --- | --- |"]
    for label, fn, note in cases:
        t_gc, t_nogc, _ = both(runs, fn)
        out.append(f"| {label} | {1000 * t_gc:.1f} | {1000 * t_nogc:.1f} | {note} |")
    return "\n".join(out) + "\n"


def _without_gc(fn: Callable[[], Any]) -> Any:
    """Call ``fn`` with the cyclic garbage collector disabled."""
    import gc

    gc.disable()
    try:
        return fn()
    finally:
        gc.enable()


def _digest(path: Path) -> str:
    """Content hash of a file (what a parse cache would key on)."""
    import hashlib

    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _construct(model: Any, data: Any) -> Any:
    """``model_construct`` applied recursively to nested models and lists of models."""
    if not isinstance(data, dict):
        return data
    fields = {}
    for name, value in data.items():
        info = model.model_fields.get(name)
        sub = _submodel(info.annotation) if info is not None else None
        if sub is not None and isinstance(value, list):
            fields[name] = [_construct(sub, v) for v in value]
        elif sub is not None and isinstance(value, dict):
            fields[name] = _construct(sub, value)
        else:
            fields[name] = value
    return model.model_construct(**fields)


def _submodel(annotation: Any) -> Any:
    """The pydantic model inside ``list[M]``, ``M | None``..., or None."""
    from pydantic import BaseModel

    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            return current
        stack.extend(getattr(current, "__args__", ()))
    return None


def cpu_profile(args: list[str], interval: float, show_all: bool) -> str:
    """pyinstrument text profile of ``gusp ARGS`` in this process, sampled on CPU time.

    pyinstrument is not a dependency of gusp: install it apart, e.g.
    ``pip install --target /tmp/pyi pyinstrument`` then ``PYTHONPATH=/tmp/pyi``.
    """
    import runpy

    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]
        from pyinstrument.stack_sampler import get_stack_sampler  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return "pyinstrument absent : pip install --target /tmp/pyi pyinstrument ; PYTHONPATH=/tmp/pyi"
    get_stack_sampler().timer_func = time.process_time
    profiler = Profiler(interval=interval)
    sys.argv = ["gusp", *args]
    profiler.start()
    try:
        runpy.run_module("gusp_cli", run_name="__main__")
    except SystemExit:
        pass
    finally:
        profiler.stop()
    return str(profiler.output_text(unicode=True, color=False, show_all=show_all))


_STARTUP_PROBE = r"""
import io, json, sys, time, contextlib
marks = [("début de l'interpréteur (site, encodages)", time.perf_counter())]
def mark(label): marks.append((label, time.perf_counter()))
import typer
mark("import typer (le plancher)")
import gusp_cli.cli.app as app_module
mark("import gusp_cli.cli.app (+ errors, gusp_cli)")
app_module._register()
mark("_register() : import des modules de commandes")
command = typer.main.get_command(app_module.app)
mark("typer.main.get_command() : arbre click de toutes les commandes")
for name in sys.argv[2].split(","):
    if name:
        __import__(name)
mark("imports faits dans la commande (" + sys.argv[2] + ")")
from gusp_cli.store.loader import load
from gusp_cli.store.repository import find_repository
root = find_repository(None)
charter = load(root)
mark("load() : lecture, validation, règles (" + str(len(charter.entries)) + " actions)")
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = app_module.run(json.loads(sys.argv[1]))
mark("run() complet, imports déjà faits et charte relue (dont recherche, rendu)")
print(json.dumps([(label, t) for label, t in marks]))
"""


def startup(args: list[str], imports: str, runs: int) -> str:
    """Markdown: wall time of each start-up step of ``gusp ARGS``, median over fresh processes.

    The first mark is taken when the probe starts, so the interpreter's own start is measured
    apart, with ``python -c pass``.
    """
    import json

    per_step: dict[str, list[float]] = {}
    python_start = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_start.append(time.perf_counter() - start)
        done = subprocess.run([sys.executable, "-c", _STARTUP_PROBE, json.dumps(args), imports],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"sonde en échec : {done.stderr[-800:]}"
        marks = json.loads(done.stdout.strip().splitlines()[-1])
        for (_, before), (label, after) in itertools.pairwise(marks):
            per_step.setdefault(label, []).append(after - before)
    out = [f"Démarrage de `gusp {' '.join(args)}` par étapes (temps mural, médiane de {runs} processus)", "",
           "| Étape | ms |", "| --- | --- |",
           f"| interpréteur seul (`python -c pass`) | {1000 * statistics.median(python_start):.1f} |"]
    out += [f"| {label} | {1000 * statistics.median(times):.1f} |" for label, times in per_step.items()]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="Profil de gusp (imports, étapes, alternatives).")
    sub = parser.add_subparsers(dest="what", required=True)
    p_imp = sub.add_parser("importtime")
    p_imp.add_argument("--runs", type=int, default=5)
    p_imp.add_argument("args", nargs=argparse.REMAINDER)
    p_cpu = sub.add_parser("pyinstrument")
    p_cpu.add_argument("--interval", type=float, default=0.001)
    p_cpu.add_argument("--show-all", action="store_true")
    p_cpu.add_argument("--out", type=Path)
    p_cpu.add_argument("args", nargs=argparse.REMAINDER)
    p_start = sub.add_parser("startup")
    p_start.add_argument("--runs", type=int, default=7)
    p_start.add_argument("--imports", default="gusp_cli.track.queries,gusp_cli.track.records,"
                         "gusp_cli.exchange.formats,gusp_cli.french.dates,gusp_cli.cli.render,rich.console,"
                         "rich.table",
                         help="modules importés par la commande, séparés par des virgules")
    p_start.add_argument("args", nargs=argparse.REMAINDER)
    for name in ("phases", "alternatives"):
        p = sub.add_parser(name)
        p.add_argument("repo", type=Path)
        p.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.pop("GUSP_CHARTER", None)
    if args.what == "importtime":
        rest = args.args[1:] if args.args[:1] == ["--"] else args.args
        print(importtime(rest, args.runs))
    elif args.what == "pyinstrument":
        rest = args.args[1:] if args.args[:1] == ["--"] else args.args
        out = sys.stdout
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the command's own output is dropped
        try:
            text = cpu_profile(rest, args.interval, args.show_all)
        finally:
            sys.stdout.close()
            sys.stdout = out
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        print(text)
    elif args.what == "startup":
        rest = args.args[1:] if args.args[:1] == ["--"] else args.args
        print(startup(rest, args.imports, args.runs))
    elif args.what == "phases":
        print(phases(args.repo.resolve(), args.runs))
    else:
        print(alternatives(args.repo.resolve(), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
