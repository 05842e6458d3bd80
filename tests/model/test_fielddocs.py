"""Every field of every model is documented by a docstring under it (read without pydantic)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from gusp_cli.model import models
from gusp_cli.model.fielddocs import field_docs

MODELS = sorted((obj for obj in vars(models).values()
                 if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == models.__name__
                 and obj.model_fields), key=lambda m: m.__name__)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_field_has_a_docstring(model: type[BaseModel]) -> None:
    docs = field_docs(model)
    missing = [name for name in model.model_fields if not docs.get(name)]
    assert missing == []
