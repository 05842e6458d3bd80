"""Reconcile ``charter-data/`` with the signed charter itself.

The seed is the text dump of the signed PDF (``charte-gusp-call.txt``). This module parses the
seed's numbered action tables on its own and checks that the YAML transcription holds exactly the
same tables and actions, in document order: heading, number, label, responsible parties and
deadline. Nothing is counted by hand: every expected count comes from the seed.

The seed is looked up next to the repository (``../shared/seed/charte-gusp-call.txt``, the layout
used in CI) or at the path given by ``GUSP_SEED``. Without it the reconciliation is skipped, unless
``CI`` is set, in which case it fails.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "charter-data"
DEFAULT_SEED = REPO.parent / "shared" / "seed" / "charte-gusp-call.txt"

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
TRACKING_KEYS = ("statut", "suivi", "evaluation", "date_realisation")

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


@pytest.fixture(scope="module")
def seed() -> Path:
    path = Path(os.environ.get("GUSP_SEED") or DEFAULT_SEED)
    if not path.is_file():
        message = (
            f"seed de la charte introuvable ({path}) : placez le dépôt à côté de shared/seed/ "
            "ou indiquez le fichier avec GUSP_SEED"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _load_models() -> ModuleType:
    try:
        import gusp_cli.models as models
    except ImportError:
        spec = importlib.util.spec_from_file_location(
            "gusp_cli_models_seed", REPO / "gusp_cli" / "models.py"
        )
        assert spec and spec.loader
        models = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = models
        spec.loader.exec_module(models)
    return models


@pytest.fixture(scope="module")
def models() -> ModuleType:
    return _load_models()


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def quartiers(models: ModuleType) -> dict[str, Any]:
    return {
        qid: models.Quartier.model_validate(_yaml(DATA / "quartiers" / f"{qid}.yaml"))
        for qid, _p, _h in QUARTIERS
    }


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


# --------------------------------------------------------------------------- models


def test_yaml_files_validate(models: ModuleType) -> None:
    models.Registre.model_validate(_yaml(DATA / "acteurs.yaml"))
    charte = models.Charte.model_validate(_yaml(DATA / "charte.yaml"))
    assert charte.quartiers == [qid for qid, _p, _h in QUARTIERS]
    for qid in charte.quartiers:
        quartier = models.Quartier.model_validate(_yaml(DATA / "quartiers" / f"{qid}.yaml"))
        assert quartier.id == qid


def test_yaml_files_are_clean_text() -> None:
    for path in [DATA / "acteurs.yaml", DATA / "charte.yaml", *sorted(DATA.glob("quartiers/*"))]:
        raw = path.read_bytes()
        raw.decode("utf-8")
        assert b"\r" not in raw and b"\t" not in raw, path
        assert raw.startswith(b"#"), f"{path}: commentaire d'en-tête attendu"


# --------------------------------------------------------------------------- reconciliation


def _seed_rows(tables: list[SeedTable]) -> list[tuple[str, str, int, str, list[str], str | None]]:
    rows = []
    for table in tables:
        for action in table.actions:
            label, resp, ech = action.parsed()
            rows.append((table.titre, phase_of(table.titre), action.numero, label, resp, ech))
    return rows


def _yaml_rows(quartier: Any) -> list[tuple[str, str, int, str, list[str], str | None]]:
    return [
        (t.titre, t.phase.value, a.numero, a.libelle, list(a.responsables), a.echeance)
        for t in quartier.tableaux
        for a in t.actions
    ]


@pytest.mark.parametrize("qid", [q for q, _p, _h in QUARTIERS])
def test_tables_match_seed(seed: Path, quartiers: dict[str, Any], qid: str) -> None:
    seed_tables = seed_sections(seed)[qid]
    quartier = quartiers[qid]
    assert [t.titre for t in quartier.tableaux] == [t.titre for t in seed_tables]
    assert len(quartier.tableaux) == len(seed_tables)
    assert [len(t.actions) for t in quartier.tableaux] == [len(t.actions) for t in seed_tables]
    assert sum(len(t.actions) for t in quartier.tableaux) == sum(
        len(t.actions) for t in seed_tables
    )
    seed_rows = _seed_rows(seed_tables)
    yaml_rows = _yaml_rows(quartier)
    for expected, actual in zip(seed_rows, yaml_rows, strict=False):
        assert actual == expected
    assert len(yaml_rows) == len(seed_rows), "la YAML a des actions que la charte n'a pas"


@pytest.mark.parametrize("qid,prefix", [(q, p) for q, p, _h in QUARTIERS])
def test_action_ids_sequential(quartiers: dict[str, Any], qid: str, prefix: str) -> None:
    ids = [a.id for t in quartiers[qid].tableaux for a in t.actions]
    assert ids == [f"{prefix}-{n:03d}" for n in range(1, len(ids) + 1)]


def test_action_ids_unique_across_charter(quartiers: dict[str, Any]) -> None:
    ids = [a.id for q in quartiers.values() for t in q.tableaux for a in t.actions]
    assert len(ids) == len(set(ids))


def test_no_invented_tracking() -> None:
    """The signed charter records no status, follow-up, evaluation or completion date."""
    for qid, _p, _h in QUARTIERS:
        raw = _yaml(DATA / "quartiers" / f"{qid}.yaml")
        for table in raw["tableaux"]:
            for action in table["actions"]:
                present = [k for k in TRACKING_KEYS if k in action]
                assert not present, f"{action['id']}: {present}"
                if "echeance" in action:
                    assert isinstance(action["echeance"], str), action["id"]


def test_references_resolve(models: ModuleType, quartiers: dict[str, Any]) -> None:
    registre = models.Registre.model_validate(_yaml(DATA / "acteurs.yaml"))
    charte = models.Charte.model_validate(_yaml(DATA / "charte.yaml"))
    roles = {r.id for r in registre.roles}
    acteurs = {a.id for a in registre.acteurs}
    assert len(acteurs) == len(registre.acteurs), "identifiants d'acteurs en double"
    assert not roles & acteurs
    assert charte.porteur in acteurs
    assert set(charte.partenaires) <= acteurs
    for deliberation in charte.deliberations:
        assert deliberation.organisme in acteurs
    for qid, quartier in quartiers.items():
        assert set(quartier.roles) <= roles, qid
        assert set(quartier.roles.values()) <= acteurs, qid
        secteurs = {s.id for s in quartier.secteurs}
        for table in quartier.tableaux:
            assert table.secteur is None or table.secteur in secteurs, table.titre
            assert table.phase.value == phase_of(table.titre), table.titre
            for action in table.actions:
                for resp in action.responsables:
                    assert resp in roles or resp in acteurs, (action.id, resp)
                    assert resp not in roles or resp in quartier.roles, (action.id, resp)
