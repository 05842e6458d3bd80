"""The public YAML test suite (github.com/yaml/yaml-test-suite) as a corpus of hostile shapes.

Every ``in.yaml`` of ``valid/`` and ``error/`` is given to the reader and, as a quartier file, to
the loader: no exception may escape, every problem has a position, and every ``error/`` file gets
at least one positioned error — except the few that libyaml itself accepts (documented below).

The corpus lives outside the repository: ``shared/yaml-test-suite`` next to it, or ``$GUSP_YAML_SUITE``.
Without it the tests are skipped, unless ``$CI`` is set (then its absence is a failure).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from gusp_cli.model.errors import Problem
from gusp_cli.store.loader import load
from gusp_cli.store.yamlio import decode, parse_text
from tests.conftest import SHARED
from tests.test_robustness import ACTEURS, CHARTE

SUITE = Path(os.environ.get("GUSP_YAML_SUITE") or SHARED / "yaml-test-suite")
FILES = sorted((SUITE / "valid").glob("*.yaml")) + sorted((SUITE / "error").glob("*.yaml"))

LIBYAML_LENIENT = {
    "9C9N": "flow sequence continued on a line less indented than its key",
    "QB6E": "double-quoted text continued on a line less indented than its key",
    "DK95-01": "double-quoted text continued on a line starting with a tab",
    "Y79Y-003": "flow sequence entry on a line starting with a tab",
    "9JBA": "comment '#' glued to the end of a flow sequence",
    "CVW2": "comment '#' glued to a flow sequence entry",
    "SU5Z": "comment '#' glued to a double-quoted text",
    "X4QW": "comment '#' glued to a block scalar indicator",
    "G5U8": "plain '-' taken as a text inside a flow sequence",
    "YJV2": "plain '-' taken as a text inside a flow sequence",
    "S98Z": "block scalar whose leading blank lines are more indented than its first text line",
}
"""Files of ``error/`` that libyaml 0.2.5 (ruamel.yaml.clib) parses without error: known
leniencies of the C parser, none of them able to smuggle a tag, an alias or a second document."""

if not FILES:
    if os.environ.get("CI"):
        raise RuntimeError(f"corpus yaml-test-suite introuvable : {SUITE} (variable GUSP_YAML_SUITE)")
    pytestmark = pytest.mark.skip(reason=f"corpus yaml-test-suite absent ({SUITE}) ; "
                                         "définir GUSP_YAML_SUITE pour le lancer")

ROOT = Path("/depot-en-memoire")
DATA = ROOT / "charter-data"
QUARTIER = DATA / "quartiers" / "centre.yaml"


def _read(path: Path) -> list[Problem]:
    """The reader's problems for a corpus file."""
    text, problems = decode(path.read_bytes(), path)
    return problems if text is None else parse_text(text, path).problems


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_corpus_file(path: Path) -> None:
    problems = _read(path)
    assert all(p.pos is not None and p.pos.line >= 1 and p.pos.col >= 1 for p in problems)
    if path.parent.name == "error" and path.stem not in LIBYAML_LENIENT:
        assert any(p.is_error for p in problems), "fichier invalide accepté"
    texts: dict[Path, str | bytes] = {DATA / "charte.yaml": CHARTE, DATA / "acteurs.yaml": ACTEURS,
                                      QUARTIER: path.read_bytes()}
    charter = load(ROOT, today=dt.date(2026, 11, 25), texts=texts)
    assert all(p.path is not None and p.pos is not None for p in charter.problems)
    assert not charter.ok  # none of them is a quartier


def test_libyaml_leniencies_are_the_documented_ones() -> None:
    accepted = {p.stem for p in FILES if p.parent.name == "error" and not any(x.is_error for x in _read(p))}
    undocumented = accepted - set(LIBYAML_LENIENT)
    assert not undocumented, f"nouvelles tolérances de libyaml à documenter : {sorted(undocumented)}"
    assert len(FILES) > 300 and len(accepted) <= len(LIBYAML_LENIENT)
