"""The fast reader gives exactly the reference reader's values, problems and positions.

Compared on every charter file of ``tests/cases`` (the pinned CALL charter first), on the public
yaml-test-suite corpus (hostile shapes: what the fast reader does not read itself, it hands to the
reference reader), and on the shapes that make it hand over.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.errors import YamlPath
from gusp_cli.store.plainyaml import Positions, locate, locator, parse_values, read_values
from gusp_cli.store.yamlio import MAX_DEPTH, Parsed, decode, parse_text, position_of
from tests.conftest import CALL, CASES
from tests.store.test_yaml_suite import FILES as SUITE_FILES

CHARTER_FILES = sorted(CALL.rglob("*.yaml")) + sorted(p for p in CASES.rglob("*.yaml")
                                                       if not p.is_relative_to(CALL))


def _both(text: str, path: Path) -> tuple[Parsed, Parsed]:
    return parse_text(text, path), parse_values(text, path)


def _same(reference: Parsed, fast: Parsed) -> None:
    """Identical values (types included: 1 is not 1.0 nor True) and identical problems."""
    assert _typed(fast.data) == _typed(reference.data)
    assert [p.format() for p in fast.problems] == [p.format() for p in reference.problems]


def _typed(value: Any) -> Any:
    """``value`` with the type of each scalar beside it."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return type(value).__name__, value


def _paths(value: Any, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    """Every path to a value inside ``value``, its root included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@pytest.mark.parametrize("path", CHARTER_FILES, ids=[str(p.relative_to(CASES)) for p in CHARTER_FILES])
def test_charter_files_read_fast_to_the_same_values_and_positions(path: Path) -> None:
    text, problems = decode(path.read_bytes(), path)
    if text is None:  # tests/cases/invalid: refused before parsing, by both
        assert read_values(path.read_bytes(), path).problems == problems
        return
    reference, fast = _both(text, path)
    _same(reference, fast)
    if reference.problems:
        return
    assert isinstance(fast.root, Positions), "un fichier propre est lu par le lecteur rapide"
    for yaml_path in _paths(reference.data):
        for key in (False, True):
            assert locate(fast.root, path, yaml_path, key=key) == \
                position_of(reference.root, path, yaml_path, key=key), (yaml_path, key)
    for missing in (("tableaux", 999), ("inconnue", 0), (*next(iter(_paths(reference.data))), "x")):
        assert fast.root.locate(path, missing) == position_of(reference.root, path, missing)


def test_the_pinned_charter_is_read_fast() -> None:
    quartiers = sorted((CALL / "charter-data" / "quartiers").glob("*.yaml"))
    assert quartiers
    assert all(isinstance(read_values(p.read_bytes(), p).root, Positions) for p in quartiers)


@pytest.mark.parametrize("path", SUITE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in SUITE_FILES])
def test_yaml_suite_files_read_fast_to_the_reference_result(path: Path) -> None:
    text, problems = decode(path.read_bytes(), path)
    if text is None:
        assert read_values(path.read_bytes(), path).problems == problems
        return
    reference, fast = _both(text, path)
    _same(reference, fast)
    if isinstance(fast.root, Positions):
        assert not reference.problems
        for yaml_path in _paths(reference.data):
            assert locate(fast.root, path, yaml_path) == position_of(reference.root, path, yaml_path)


HANDED_OVER = {
    "duplicate key": "a: 1\na: 2\n",
    "merge key": "base: {x: 1}\nautre:\n  <<: {y: 2}\n",
    "list as key": "? [a, b]\n: 1\n",
    "boolean key": "true: 1\n",
    "float key": "1.5: x\n",
    "null key": "~: x\n",
    "explicit tag": "a: !!str 12\n",
    "tag on a table": "a: !!map {b: 1}\n",
    "python tag": "a: !!python/object:os.system x\n",
    "alias": "a: &x 1\nb: *x\n",
    "lone anchor": "a: &x 1\n",
    "tab in a value": "a:\t1\n",
    "escaped control character": 'a: "bip\\x07"\n',
    "escaped escape": 'a: "\\e[31mrouge"\n',
    "syntax error": "a: [1, 2\n",
    "scalar root": "texte seul\n",
    "empty document": "---\n",
    "deep nesting": "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    "explicit bool": "a: !!bool peut-être\n",
}


@pytest.mark.parametrize("text", HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_what_is_not_plainly_clean_gets_the_reference_result(text: str) -> None:
    path = Path("q.yaml")
    reference, fast = _both(text, path)
    assert reference.problems or not isinstance(reference.data, dict | list)  # a problem, or no table
    _same(reference, fast)
    assert not isinstance(fast.root, Positions)


PLAIN_SCALARS = ["12", "-3", "0", "-0", "012", "1_000", "0x1F", "0o17", "1.5", "-2.5e3", "1e400", ".inf",
                 "-.inf", ".nan", "true", "True", "TRUE", "false", "yes", "no", "on", "off", "null", "Null",
                 "~", "", "2025-02-30", "2026-11-25", "2026-11-25T10:00:00", "=", "<<", "+1", "12:30",
                 "1:20:30", "été", "e\u0301té", "Cœur", "a b", "-", "- x"]


@pytest.mark.parametrize("scalar", PLAIN_SCALARS)
def test_plain_scalars_get_the_reference_value_as_values_keys_and_items_twice(scalar: str) -> None:
    text = f"valeur: {scalar}\nliste: [{scalar or '~'}]\n{scalar or 'vide'}: cle\n"
    for _ in range(2):  # the second time from what was kept of the first
        _same(*_both(text, Path("q.yaml")))


@pytest.mark.parametrize("scalar", ['"12"', "'true'", '"e\u0301té"', "|\n  bloc\n  e\u0301té\n",
                                    ">-\n  plié\n  ici\n", '"tab\\tici"', '"ligne\\nsuivante"', '"\\u00e9"'])
def test_quoted_and_block_scalars_are_texts_as_the_reference_says(scalar: str) -> None:
    _same(*_both(f"valeur: {scalar}\n", Path("q.yaml")))


def test_a_cached_file_is_read_again_for_its_positions(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text("id: centre\ntableaux:\n  - titre: T\n", encoding="utf-8")
    root = locator(Parsed(path, cached=True))
    assert isinstance(root, Positions)
    assert locate(root, path, ("tableaux", 0, "titre")).line == 3
    assert locate(root, path, ("tableaux", 0, "titre"), key=True).col == 5
