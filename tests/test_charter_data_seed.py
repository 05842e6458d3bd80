"""The fidelity test: ``charter-data/`` holds what the signed charter says, and nothing else.

The only test that reads the live ``charter-data/`` (the project lead edits it: every other test
uses the pinned copy in ``tests/cases/call``). The seed is the text dump of the signed PDF
(``charte-gusp-call.txt``). This module parses the seed's numbered action tables on its own and
checks that the YAML holds exactly the same tables and actions, in document order: heading,
phase, number, label, responsible parties and échéance, *as signed*. An amendment recorded in an
action's ``suivi`` (``champ`` and ``ancienne_valeur``, as ``gusp amend`` writes them) is undone
before comparing; statuses, follow-up and evaluations are never compared: they are the living
record, not the signed text. Nothing is counted by hand: every expected count comes from the seed.

The seed is found at ``GUSP_SEED``, else in a ``shared/seed/`` folder beside the checkout or beside
one of its parents (the layout of the workplace and of CI). Without it the reconciliation is
skipped with that reason shown in the test summary, unless ``CI`` is set: then it fails.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "charter-data"
SEED_NAME = Path("shared") / "seed" / "charte-gusp-call.txt"
AMENDABLE = ("libelle", "responsables", "echeance")
"""The fields ``gusp amend`` changes, recording the former value in the action's ``suivi``."""

# (quartier id, action id prefix, heading of its section in the seed)
QUARTIERS: list[tuple[str, str, str]] = [
    ("lens", "LEN", "LENS – Cité du 12/14"),
    ("lievin", "LIE", "LIEVIN – QUARTIER VENT DE VISE"),
    ("avion", "AVI", "AVION – QUARTIER REPUBLIQUE"),
]
END_OF_QUARTIERS = "MODALITES DE PILOTAGE"

# Responsible parties as written in the tables -> actor or role ids.
RESPONSABLES: dict[str, str] = {
    "Ville": "ville",
    "Bailleur": "bailleur",
    "CALL": "call",
    "El Fouad": "el_fouad",
    "Les Anges Gardins": "les_anges_gardins",
    "Partenaires": "partenaires",
    "partenaires": "partenaires",
    "Futurs promoteurs": "futurs_promoteurs",
}

_NAME = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(RESPONSABLES, key=len, reverse=True)
)
_RESP = rf"(?:{_NAME})(?:\s*[&/]\s*(?:{_NAME}))*"
_ECH = r"(?:Été\s+)?\d{4}(?:/\d{4})?"
# A finished row: label, responsible cell, deadline (the deadline ends the row).
ROW_COMPLETE = re.compile(rf"^(?P<label>.+?)\s+(?P<resp>{_RESP})\s+(?P<ech>{_ECH})$")
# A row whose deadline cell is empty: label then responsible cell.
ROW_NO_DEADLINE = re.compile(rf"^(?P<label>.+?)\s+(?P<resp>{_RESP})$")
ROW_START = re.compile(r"^(?P<num>\d{1,2})(?:\s+(?P<rest>.*))?$")
HEADER_LINE = re.compile(r"^(?:Action|N°|Libellé de l’Action\s+Responsable\s+Echéance)$")
# Lines that open a new block of the document and therefore close a row left without deadline.
STRUCTURAL = re.compile(r"^(?:- |o |\d+\.\s)")


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return re.sub(r"\s+", " ", text).strip()


def phase_of(heading: str) -> str:
    """Phase id from a table heading ("Gestion phase post chantier / ..." -> post_chantier)."""
    head = heading.split("/", 1)[0].lower()
    if "actuelle" in head:
        return "actuelle"
    if "post" in head:
        return "post_chantier"
    if "chantier" in head:
        return "chantier"
    raise ValueError(f"phase inconnue pour l'intitulé {heading!r}")


@dataclass
class SeedAction:
    numero: int
    text: str  # label, responsible cell and deadline, lines joined

    def parsed(self) -> tuple[str, list[str], str | None]:
        match = ROW_COMPLETE.match(self.text) or ROW_NO_DEADLINE.match(self.text)
        assert match, f"ligne {self.numero} illisible : {self.text!r}"
        resp = [collapse(part) for part in re.split(r"[&/]", match["resp"])]
        ech = match.groupdict().get("ech")
        return collapse(match["label"]), [RESPONSABLES[r] for r in resp], ech


@dataclass
class SeedTable:
    titre: str
    actions: list[SeedAction] = field(default_factory=list)


def _is_table_heading(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not (line.startswith("Gestion") and "/" in line):
        return False
    for nxt in lines[i + 1 :]:
        if nxt.strip():
            return nxt.strip() == "Action"
    return False


def parse_tables(lines: list[str]) -> list[SeedTable]:
    """Parse the numbered action tables of one quartier section (descriptive tables excluded)."""
    tables: list[SeedTable] = []
    table: SeedTable | None = None
    row: SeedAction | None = None

    def complete(r: SeedAction | None) -> bool:
        return r is not None and ROW_COMPLETE.match(r.text) is not None

    def closable(r: SeedAction | None) -> bool:
        return r is not None and ROW_NO_DEADLINE.match(r.text) is not None

    def close_row() -> None:
        nonlocal row
        if row is not None:
            assert complete(row) or closable(row), f"ligne inachevée : {row.text!r}"
            assert table is not None
            table.actions.append(row)
        row = None

    for i, raw in enumerate(lines):
        line = collapse(raw)
        if not line:
            continue
        if _is_table_heading(lines, i):
            close_row()
            table = SeedTable(titre=line)
            tables.append(table)
            continue
        if table is None:
            # A row number right after a table ended means the parser lost a row: fail loudly.
            start = ROW_START.match(line)
            assert not (
                start and tables and int(start["num"]) == len(tables[-1].actions) + 1
            ), f"ligne {line!r} hors tableau après « {tables[-1].titre} »"
            continue
        if HEADER_LINE.match(line):
            continue
        start = ROW_START.match(line)
        expected = len(table.actions) + (1 if row is None else 2)
        if start and int(start["num"]) == expected and (row is None or complete(row) or closable(row)):
            close_row()
            row = SeedAction(numero=int(start["num"]), text=start["rest"] or "")
            continue
        if row is not None and not complete(row):
            if STRUCTURAL.match(line) and closable(row):
                close_row()
                table = None
                continue
            row.text = collapse(f"{row.text} {line}")
            continue
        # Anything else after a finished row ends the table (prose, theme or sector heading).
        close_row()
        table = None
    close_row()
    return tables


@cache
def seed_sections(seed: Path) -> dict[str, list[SeedTable]]:
    lines = seed.read_text(encoding="utf-8").splitlines()
    starts: list[tuple[int, str]] = []
    for qid, _prefix, heading in QUARTIERS:
        found = [i for i, line in enumerate(lines) if line.strip().startswith(heading)]
        assert len(found) == 1, f"intitulé {heading!r} trouvé {len(found)} fois dans le seed"
        starts.append((found[0], qid))
    end = [i for i, line in enumerate(lines) if line.strip().startswith(END_OF_QUARTIERS)]
    assert len(end) == 1, f"{END_OF_QUARTIERS!r} trouvé {len(end)} fois dans le seed"
    bounds = [*sorted(starts), (end[0], "")]
    assert bounds[-1][0] > bounds[-2][0], "les quartiers doivent précéder le pilotage"
    return {
        qid: parse_tables(lines[begin:bounds[k + 1][0]])
        for k, (begin, qid) in enumerate(bounds[:-1])
    }


def seed_section_lines(seed: Path, qid: str) -> list[str]:
    lines = seed.read_text(encoding="utf-8").splitlines()
    heads = {q: h for q, _p, h in QUARTIERS}
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith(heads[qid]))
    ends = [
        i
        for i, line in enumerate(lines)
        if i > begin
        and (
            line.strip().startswith(END_OF_QUARTIERS)
            or any(line.strip().startswith(h) for h in heads.values())
        )
    ]
    return lines[begin : min(ends)]


# --------------------------------------------------------------------------- fixtures


def find_seed() -> Path | None:
    """The signed charter's text: ``GUSP_SEED``, else ``shared/seed/`` beside the checkout or a parent."""
    if os.environ.get("GUSP_SEED"):
        return Path(os.environ["GUSP_SEED"])
    return next((folder / SEED_NAME for folder in REPO.parents if (folder / SEED_NAME).is_file()), None)


@pytest.fixture(scope="module")
def seed() -> Path:
    path = find_seed()
    if path is None or not path.is_file():
        message = (f"test de fidélité non lancé : texte signé de la charte introuvable "
                   f"({path or f'{SEED_NAME} à côté de {REPO} ou de ses parents'}) ; "
                   "indiquez-le avec GUSP_SEED=chemin/charte-gusp-call.txt")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def as_signed(action: dict[str, Any]) -> dict[str, Any]:
    """The action's amendable fields as signed: each amended field takes back the former value of
    its earliest amendment (``gusp amend`` keeps it in ``ancienne_valeur``)."""
    signed = {key: action.get(key) for key in AMENDABLE}
    undone: set[str] = set()
    for entry in sorted(action.get("suivi") or [], key=lambda e: str(e.get("date"))):
        champ = entry.get("champ")
        if champ in AMENDABLE and champ not in undone:
            undone.add(champ)
            old = entry.get("ancienne_valeur")
            if champ == "responsables":
                old = [part.strip() for part in str(old).split(",")] if old else []
            signed[champ] = old
    return signed


@pytest.fixture(scope="module")
def quartiers() -> dict[str, Any]:
    """Each quartier's raw YAML (plain values: the model may grow, the signed text does not)."""
    return {qid: _yaml(DATA / "quartiers" / f"{qid}.yaml") for qid, _p, _h in QUARTIERS}


# --------------------------------------------------------------------------- seed parser sanity


def test_seed_parser_finds_every_table(seed: Path) -> None:
    """Each "Action / N°" header pair of a section yields exactly one parsed table."""
    sections = seed_sections(seed)
    for qid, _prefix, _heading in QUARTIERS:
        lines = [collapse(line) for line in seed_section_lines(seed, qid)]
        nonblank = [line for line in lines if line]
        headers = sum(1 for a, b in itertools.pairwise(nonblank) if (a, b) == ("Action", "N°"))
        assert headers > 0
        assert len(sections[qid]) == headers, qid
        for table in sections[qid]:
            assert table.actions, table.titre
            assert [a.numero for a in table.actions] == list(range(1, len(table.actions) + 1))
            for action in table.actions:
                action.parsed()


# --------------------------------------------------------------------------- the charter's quartiers


def test_the_charter_lists_its_three_quartiers_in_order() -> None:
    assert _yaml(DATA / "charte.yaml")["quartiers"] == [qid for qid, _p, _h in QUARTIERS]


# --------------------------------------------------------------------------- reconciliation


def _seed_rows(tables: list[SeedTable]) -> list[tuple[str, str, int, str, list[str], str | None]]:
    rows = []
    for table in tables:
        for action in table.actions:
            label, resp, ech = action.parsed()
            rows.append((table.titre, phase_of(table.titre), action.numero, label, resp, ech))
    return rows


def _yaml_rows(quartier: Any) -> list[tuple[str, str, int, str, list[str], str | None]]:
    rows = []
    for table in quartier["tableaux"]:
        for action in table["actions"]:
            signed = as_signed(action)
            echeance = signed["echeance"]
            rows.append((table["titre"], table["phase"], action["numero"], signed["libelle"],
                         list(signed["responsables"]), None if echeance is None else str(echeance)))
    return rows


@pytest.mark.parametrize("qid", [q for q, _p, _h in QUARTIERS])
def test_tables_match_seed(seed: Path, quartiers: dict[str, Any], qid: str) -> None:
    seed_tables = seed_sections(seed)[qid]
    tableaux = quartiers[qid]["tableaux"]
    assert [t["titre"] for t in tableaux] == [t.titre for t in seed_tables]
    assert [len(t["actions"]) for t in tableaux] == [len(t.actions) for t in seed_tables]
    seed_rows = _seed_rows(seed_tables)
    yaml_rows = _yaml_rows(quartiers[qid])
    for expected, actual in zip(seed_rows, yaml_rows, strict=False):
        assert actual == expected
    assert len(yaml_rows) == len(seed_rows), "la YAML a des actions que la charte n'a pas"


@pytest.mark.parametrize("qid,prefix", [(q, p) for q, p, _h in QUARTIERS])
def test_action_ids_sequential(quartiers: dict[str, Any], qid: str, prefix: str) -> None:
    ids = [a["id"] for t in quartiers[qid]["tableaux"] for a in t["actions"]]
    assert ids == [f"{prefix}-{n:03d}" for n in range(1, len(ids) + 1)]


def test_action_ids_unique_across_charter(quartiers: dict[str, Any]) -> None:
    ids = [a["id"] for q in quartiers.values() for t in q["tableaux"] for a in t["actions"]]
    assert len(ids) == len(set(ids))
