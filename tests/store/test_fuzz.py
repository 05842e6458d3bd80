"""Property-based tests (issue 9): whatever bytes or YAML a charter file holds, the loader returns
either a valid charter or problems that each name a file and a line:column, within a time bound,
and never raises.

Files are given to the loader in memory (``load(root, texts=...)``): nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gusp_cli.model.charter import Charter
from gusp_cli.store.loader import load
from gusp_cli.store.yamlio import decode, parse_text
from tests.conftest import CASES
from tests.test_robustness import ACTEURS, CHARTE, QUARTIER

ROOT = Path("/depot-en-memoire")
DATA = ROOT / "charter-data"
CHARTE_PATH, ACTEURS_PATH = DATA / "charte.yaml", DATA / "acteurs.yaml"
QUARTIER_PATH = DATA / "quartiers/centre.yaml"
BASE = {p: (CASES / "base" / p.relative_to(ROOT)).read_text(encoding="utf-8")
        for p in (CHARTE_PATH, ACTEURS_PATH, QUARTIER_PATH)}
INLINE = {CHARTE_PATH: CHARTE, ACTEURS_PATH: ACTEURS, QUARTIER_PATH: QUARTIER}

FUZZ = settings(max_examples=200, deadline=dt.timedelta(seconds=1), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def load_and_check(path: Path, content: str | bytes, base: dict[Path, str] = INLINE) -> Charter:
    """Load the in-memory charter with one file replaced, and check it."""
    texts: dict[Path, str | bytes] = {**base, path: content}
    charter = load(ROOT, today=dt.date(2026, 11, 25), texts=texts)
    check(charter, texts)
    event("charte valide" if charter.ok else f"erreur {charter.errors[0].rule}")
    return charter


def check(charter: Charter, contents: dict[Path, str | bytes]) -> None:
    """A valid charter, or problems that each have a file and a position inside it."""
    for problem in charter.problems:
        assert problem.path is not None and problem.message, problem
        assert problem.pos is not None, problem.format()
        lines = _lines(contents.get(problem.path, ""))
        assert 1 <= problem.pos.line <= lines + 1 and problem.pos.col >= 1, problem.format()
    if charter.ok:
        assert charter.charte is not None and charter.registre is not None and charter.quartiers


def _lines(content: str | bytes) -> int:
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return raw.count(b"\n") + raw.count(b"\r") + 1


# --------------------------------------------------------------------------- random bytes and text

@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_quartier_file(raw: bytes) -> None:
    load_and_check(QUARTIER_PATH, raw)


@FUZZ
@given(st.sampled_from([CHARTE_PATH, ACTEURS_PATH, QUARTIER_PATH]), st.binary(max_size=2000))
def test_random_bytes_after_a_valid_prefix(path: Path, tail: bytes) -> None:
    raw = INLINE[path].encode("utf-8")[: len(tail) * 3] + tail
    load_and_check(path, raw)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_never_breaks_the_reader(text: str) -> None:
    # parse_text also receives text that did not go through decode() (editing, history).
    parsed = parse_text(text, QUARTIER_PATH)
    assert all(p.pos is not None for p in parsed.problems)
    decoded, problems = decode(text.encode("utf-8", "surrogatepass"), QUARTIER_PATH)
    assert (decoded is None) == bool(problems)


# --------------------------------------------------------------------------- random YAML documents

KEYS = ["id", "nom", "commune", "roles", "tableaux", "titre", "phase", "actions", "numero", "libelle",
        "responsables", "echeance", "statut", "date_realisation", "suivi", "date", "evaluation", "cout",
        "deployee", "secteurs", "secteur", "alias", "<<", "=", "~"]
WORDS = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
"""Printable texts, so that the documents also reach the rules beyond the reader."""
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20)
           | st.floats(allow_nan=True, allow_infinity=True) | WORDS
           | st.sampled_from(["no", "yes", "01234", "1_000", "0x1F", ".inf", "2025-02-30", "2025-06-30",
                              "T2 2026", "Été 2022", "realisee", "ville", "agglo", "CEN-001", "actuelle"]))
DOCUMENTS = st.recursive(
    SCALARS | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8),
                                                                inner, max_size=5),
    max_leaves=40)


def dump(data: Any, flow: bool | None) -> str:
    """Dump with ruamel's pure-Python safe dumper (escapes whatever the data holds)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@FUZZ
@given(DOCUMENTS, st.sampled_from([None, False, True]))
def test_random_yaml_documents(data: Any, flow: bool | None) -> None:
    text = dump(data, flow)
    load_and_check(QUARTIER_PATH, text)


ACTIONS = st.fixed_dictionaries(
    {"id": st.sampled_from(["CEN-001", "CEN-002", "cen-1"]) | SCALARS, "numero": st.integers(0, 3) | SCALARS,
     "libelle": WORDS | SCALARS, "responsables": st.lists(st.sampled_from(["ville", "agglo", "x"]))},
    optional={"echeance": st.sampled_from(["2025", "T2 2026", "30/02/2025", "2025/2023", "Été 2022"])
              | SCALARS,
              "statut": st.sampled_from(["a_faire", "realisee", "realise"]) | SCALARS,
              "date_realisation": st.sampled_from(["2024-07-15", "2025-02-30", "2030-01-01"]) | SCALARS,
              "evaluation": st.fixed_dictionaries({}, optional={"cout": SCALARS, "deployee": SCALARS})})
QUARTIERS = st.fixed_dictionaries(
    {"id": st.sampled_from(["centre", "Centre", "autre"]), "nom": WORDS | SCALARS, "commune": WORDS,
     "tableaux": st.lists(st.fixed_dictionaries({"titre": WORDS,
                                                 "phase": st.sampled_from(["actuelle", "chantier", "x"]),
                                                 "actions": st.lists(ACTIONS, max_size=3)}), max_size=2)},
    optional={"roles": st.dictionaries(st.sampled_from(["ville", "bailleur", "12"]),
                                       st.sampled_from(["ville_centre", "agglo", "inconnu"]), max_size=2)})


@FUZZ
@given(QUARTIERS)
def test_random_quartier_shaped_documents(data: Any) -> None:
    text = dump(data, None)
    load_and_check(QUARTIER_PATH, text)


# --------------------------------------------------------------------------- mutated real files

@st.composite
def mutated(draw: Callable[..., Any]) -> tuple[Path, str]:
    """One of the base charter's files with 1 to 4 edits: lines deleted, duplicated, swapped,
    characters inserted or replaced."""
    path = draw(st.sampled_from(sorted(BASE)))
    lines = BASE[path].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            char = draw(st.characters(codec="utf-8") | st.sampled_from(list("\t:-[]{}&*!|>'\"#%@`,?\x00\r")))
            at = draw(st.integers(0, len(lines[i])))
            end = at + (op == "replace")
            lines[i] = lines[i][:at] + char + lines[i][end:]
    return path, "".join(lines)


@FUZZ
@given(mutated())
def test_mutated_base_files(case: tuple[Path, str]) -> None:
    path, text = case
    load_and_check(path, text, BASE)


# --------------------------------------------------------------------------- through the CLI

@settings(max_examples=40, deadline=dt.timedelta(seconds=2), database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated())
def test_validate_json_is_always_valid_json(gusp: Callable[..., tuple[int, str, str]],
                                            case: tuple[Path, str]) -> None:
    path, text = case
    with tempfile.TemporaryDirectory() as folder:
        for name, content in {**BASE, path: text}.items():
            target = Path(folder) / name.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8", "surrogatepass"))
        before = {p: p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}
        code, out, err = gusp("validate", "--charter", folder, "--format", "json")
        after = {p: p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}
    report = json.loads(out)
    assert code in (0, 1) and err == "" and before == after
    assert report["valide"] == (code == 0)
    assert all(p["ligne"] is not None and p["colonne"] is not None for p in report["problemes"])

