"""The models as pydantic classes: what importing them costs, and what validating builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CALL = Path(__file__).parents[1] / "cases" / "call" / "charter-data"

_PROBE = """
import sys
from pathlib import Path
from pydantic import BaseModel
from gusp_cli.model import models

def built():
    return sorted(name for name, value in vars(models).items() if isinstance(value, type)
                  and issubclass(value, BaseModel) and value.__pydantic_complete__)

print(built())
from gusp_cli.store.plainyaml import read_values
from gusp_cli.store.validation import validate
path = Path(sys.argv[1])
instance, problems = validate(models.Quartier, read_values(path.read_bytes(), path).data, path)
print(instance is not None, problems, built())
"""


def test_importing_the_models_builds_no_validator_and_a_quartier_builds_its_own(tmp_path: Path) -> None:
    # In a fresh process: the tests before this one have used every model.
    quartier = next(iter(sorted((CALL / "quartiers").glob("*.yaml"))))
    done = subprocess.run([sys.executable, "-c", _PROBE, str(quartier)], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    imported, validated = done.stdout.splitlines()
    assert imported == "[]"  # an edit validates one quartier file: no other model's validator is built
    assert validated == "True [] ['Quartier']"
