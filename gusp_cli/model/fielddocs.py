"""Field docstrings of the models, read from the source only when a schema is generated.

pydantic can collect them at class creation (``use_attribute_docstrings``), but that parses the
source of every model at each start of the CLI (measured: about 15 ms). The JSON Schemas are the
only place that needs them, so they are read here, on demand.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import textwrap


@functools.cache
def field_docs(cls: type) -> dict[str, str]:
    """``{field: docstring}`` for the annotated attributes of ``cls`` that have a docstring below."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs
