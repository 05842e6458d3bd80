"""The models as pydantic classes: how they are written so that building them stays cheap, what
importing them costs, and what validating builds."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from gusp_cli.model import models

MODELS = sorted((obj for obj in vars(models).values()
                 if isinstance(obj, type) and issubclass(obj, BaseModel)
                 and obj.__module__ == models.__name__), key=lambda m: m.__name__)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_no_default_factory_is_a_builtin(model: type[BaseModel]) -> None:
    """pydantic parses a builtin's signature from its text (``list``: 213 µs a field)."""
    builtins = [name for name, info in model.model_fields.items()
                if inspect.isbuiltin(info.default_factory) or info.default_factory in (list, dict)]
    assert builtins == []


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_annotations_are_objects_not_texts(model: type[BaseModel]) -> None:
    """Texts would be compiled and evaluated one by one when the models are built."""
    texts = [name for name, annotation in vars(model).get("__annotations__", {}).items()
             if isinstance(annotation, str)]
    assert texts == []


def test_an_empty_default_is_a_new_list_each_time() -> None:
    def action(number: int) -> models.Action:
        return models.Action(id=f"ABC-{number:03d}", numero=number, libelle="Réunion", responsables=["ville"])

    first, second = action(1), action(2)
    assert first.suivi == [] and first.suivi is not second.suivi
    first.suivi.append(models.Suivi(date="2026-01-05"))
    assert second.suivi == [] and action(3).suivi == []


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
