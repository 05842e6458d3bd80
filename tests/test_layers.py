"""The core never imports typer or rich; the reader uses the C parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORE = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "gusp_cli").glob("*.py")
              if p.stem not in ("__main__",))


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_typer_nor_rich(module: str) -> None:
    code = (f"import sys, gusp_cli.{module}; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click'));"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_safe_reader_is_the_c_parser() -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.main import CParser

    from gusp_cli.yamlio import _loader_class

    assert CParser is not None, "ruamel.yaml.clib absent : installez ruamel.yaml[oldlibyaml]"
    assert YAML(typ="safe").Parser is CParser
    assert issubclass(_loader_class(), CParser)
