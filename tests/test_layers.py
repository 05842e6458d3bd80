"""The layers of gusp_cli: each package imports only the layers below it; the core stays pure.

The order is the one ``ARCHITECTURE.md`` draws; each package's ``__init__`` docstring says what it
may import, and this test holds both the code and those docstrings to it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gusp_cli"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("french",),
    ("model",),
    ("store",),
    ("track", "history"),
    ("governance",),
    ("reports", "exchange", "publish"),
    ("cli",),
)
"""From the bottom up. Packages on one floor do not import each other."""

RANK = {name: floor for floor, names in enumerate(LAYERS) for name in names}
CORE = [name for name in RANK if name != "cli"]


def _modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every gusp_cli import of a file, lazy ones and TYPE_CHECKING ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.level:
                yield node.lineno, f"relative import {'.' * node.level}{node.module}"
            elif node.module == "gusp_cli":
                for alias in node.names:
                    yield node.lineno, "gusp_cli" if alias.name == "__version__" else f"gusp_cli.{alias.name}"
            else:
                yield node.lineno, node.module


def upward_imports(package: str) -> list[str]:
    """The imports of ``package`` that reach a layer not below it, as ``file:line: module``."""
    bad = []
    for path in _modules(package):
        for line, module in _imports(path):
            if module.startswith("relative import"):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} (use gusp_cli.…)")
                continue
            parts = module.split(".")
            if parts[0] != "gusp_cli" or len(parts) == 1 or parts[1] == package:
                continue
            target = parts[1]
            if target not in RANK or RANK[target] >= RANK[package]:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module}")
    return bad


@pytest.mark.parametrize("package", list(RANK))
def test_each_package_imports_only_the_layers_below_it(package: str) -> None:
    assert upward_imports(package) == [], f"gusp_cli.{package} importe une couche qui n'est pas en dessous"


def test_every_module_lives_in_a_layer_package() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert loose == []
    assert folders == sorted(RANK)


@pytest.mark.parametrize("package", list(RANK))
def test_each_package_docstring_names_its_job_and_what_it_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.splitlines()[0]) > 20, "une phrase qui dit à quoi sert la couche"
    declared = next(line for line in doc.splitlines() if line.startswith("May import:"))
    if package == "cli":
        assert declared == "May import: every layer of gusp_cli."
        return
    below = [name for name in RANK if RANK[name] < RANK[package]]  # in the order of LAYERS
    text = " ".join(doc[doc.index("May import:"):].split())
    expected = (f"May import: {', '.join(f'gusp_cli.{n}' for n in below)}." if below
                else "May import: nothing of gusp_cli.")
    assert text == expected


def test_the_layer_rule_names_a_planted_upward_import(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "gusp_cli"
    for package in RANK:
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text('"""x."""\n', encoding="utf-8")
    (fake / "model" / "planted.py").write_text("def f():\n    from gusp_cli.track.queries import overdue\n",
                                               encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert upward_imports("model") == ["gusp_cli/model/planted.py:2: gusp_cli.track.queries"]


def test_the_core_imports_neither_typer_nor_rich_nor_click() -> None:
    modules = [".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
               for package in CORE for p in _modules(package)]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "bad = (m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click'))\n"
            + "print(','.join(sorted(bad)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
         ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime")}


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_reads_the_clock(package: str) -> None:
    found = []
    for path in _modules(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if (name, node.func.attr) in CLOCK:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert found == [], "la date du jour se lit dans gusp_cli.cli et se passe en argument"


def test_safe_reader_is_the_c_parser() -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.main import CParser

    from gusp_cli.store.yamlio import _loader_class

    assert CParser is not None, "ruamel.yaml.clib absent : installez ruamel.yaml[oldlibyaml]"
    assert YAML(typ="safe").Parser is CParser
    assert issubclass(_loader_class(), CParser)
