"""The cross-record rules run quartier by quartier (gusp_cli.store.checking): edit after edit, the
problems are exactly those of every rule run on the whole charter without any cache, and only the
quartiers that changed are checked again."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gusp_cli.model.charter import Charter
from gusp_cli.model.rules import run_rules
from gusp_cli.store import cache
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.checking import Part
from gusp_cli.store.loader import load
from gusp_cli.store.sources import Overrides
from gusp_cli.track.edits import introduced_problems_in
from tests.conftest import CASES, ROOT

TODAY = dt.date(2026, 11, 25)

Edit = tuple[str, str, str]
"""A file of ``charter-data/``, a text in it and what replaces it (its first occurrence)."""


def _facts(problems: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    """What a problem says, where (errors with their line and column)."""
    return [(p.severity.value, p.rule, p.message, str(p.path), p.yaml_path, p.key,
             (p.pos.line, p.pos.col) if p.pos is not None and p.is_error else None) for p in problems]


def _reference(root: Path, texts: dict[Path, str] | None = None) -> Charter:
    """The charter loaded without any cache: every rule runs on the whole charter."""
    saved = cache.active()
    cache.activate(None)
    try:
        return load(root, today=TODAY, texts=Overrides(texts) if texts else None, locate_warnings=False)
    finally:
        cache.activate(saved)


def _apply(root: Path, edit: Edit) -> tuple[Path, str]:
    name, old, new = edit
    path = root / "charter-data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    return path, text.replace(old, new, 1)


def _rules_of(root: Path, edit: Edit) -> set[str]:
    """The problems' rules that an edit adds or removes, by the reference."""
    before = {(p.rule, p.message) for p in _reference(root).problems}
    path, text = _apply(root, edit)
    after = {(p.rule, p.message) for p in _reference(root, {path: text}).problems}
    return {rule for rule, _ in before ^ after}


def _checked_edits(root: Path, edits: list[Edit]) -> Iterator[tuple[Edit, Charter]]:
    """Each edit checked as ``gusp status`` checks it (the charter loaded before as ``base``), compared
    with the reference, then written; the next load finds this repository's latest verdict."""
    charter = load(root, today=TODAY, locate_warnings=False)
    assert _facts(charter.problems) == _facts(_reference(root).problems)
    for edit in edits:
        path, text = _apply(root, edit)
        after = load(root, today=TODAY, texts=Overrides({path: text}), locate_warnings=False, base=charter)
        assert _facts(after.problems) == _facts(_reference(root, {path: text}).problems), edit
        assert _facts(after.problems) == _facts(run_rules_on(after)), edit
        quartier = path.stem if path.parent.name == "quartiers" else None
        if quartier is not None:  # only the edited quartier is checked again (none: a state seen before)
            assert set(after.checks.ran) <= {"charte", quartier}, edit
        errors, _, _ = introduced_problems_in(charter, {path: text}, TODAY)
        reference = _reference(root)
        expected = {p.format() for p in _reference(root, {path: text}).errors} - {
            p.format() for p in reference.errors}
        assert {p.format() for p in errors} == expected, edit
        yield edit, after
        path.write_text(text, encoding="utf-8")
        charter = load(root, today=TODAY, locate_warnings=False)  # from the latest verdict
        assert _facts(charter.problems) == _facts(_reference(root).problems), edit
        if quartier is not None:
            assert set(charter.checks.ran) <= {"charte", quartier}, edit


def run_rules_on(charter: Charter) -> list:  # type: ignore[type-arg]
    """The load's own problems (files, validation) then every rule on the whole charter."""
    rules = run_rules(charter, TODAY)
    kept = len(charter.problems) - len(rules)
    by_position = {(p.rule, p.message, p.path, p.yaml_path): p for p in charter.problems[kept:]}
    return charter.problems[:kept] + [by_position.get((p.rule, p.message, p.path, p.yaml_path), p)
                                      for p in rules]


@pytest.fixture
def call(tmp_path: Path) -> Path:
    target = tmp_path / "call"
    shutil.copytree(CASES / "call" / "charter-data", target / "charter-data")
    return target


def test_edits_of_the_call_charter_are_checked_as_by_every_rule(store: ParseCache, call: Path) -> None:
    edits: list[Edit] = [
        ("quartiers/lens.yaml", "id: LEN-002\n", "id: LEN-002\n        statut: en_cours\n"),
        ("quartiers/avion.yaml", "id: AVI-001\n", "id: LEN-001\n"),  # the id of another quartier
        ("quartiers/lens.yaml", "id: LEN-001\n", "id: LEN-901\n"),  # fixes it, from the other file
        ("quartiers/lievin.yaml", "responsables: [", "responsables: [partenaire_inconnu, "),
        ("quartiers/lievin.yaml", "responsables: [partenaire_inconnu, ", "responsables: ["),
        ("acteurs.yaml", "id: ville_de_lens\n", "id: ville_de_lens_\n"),  # the context: every quartier
    ]
    seen = {edit: after for edit, after in _checked_edits(call, edits)}
    assert "id_duplique" in {p.rule for p in seen[edits[1]].errors}
    assert "id_duplique" not in {p.rule for p in seen[edits[2]].errors}
    assert "acteur_inconnu" in {p.rule for p in seen[edits[3]].errors}
    assert not seen[edits[4]].errors
    assert seen[edits[5]].checks.ran == ["charte", "lens", "lievin", "avion"]


def test_an_edit_that_breaks_a_meeting_decision_is_refused_as_before(store: ParseCache, gov: Path) -> None:
    edits: list[Edit] = [("quartiers/centre.yaml", "id: CEN-001\n", "id: CEN-101\n"),
                         ("quartiers/centre.yaml", "id: CEN-101\n", "id: CEN-001\n")]
    assert _rules_of(gov, edits[0]) == {"action_inconnue"}
    seen = {edit: after for edit, after in _checked_edits(gov, edits)}
    unknown = [p for p in seen[edits[0]].errors if p.rule == "action_inconnue"]
    assert unknown and all(p.path is not None and p.path.name == "reunions.yaml" for p in unknown)
    assert not seen[edits[1]].errors


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    target = tmp_path / "synth"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(target), "--quartiers", "4",
                    "--actions", "15"], capture_output=True, text=True, check=True)
    return target


def test_edits_of_a_generated_charter_are_checked_as_by_every_rule(store: ParseCache,
                                                                   generated: Path) -> None:
    first_of_q1, first_of_q3 = (_first_action(generated / f"charter-data/quartiers/{q}.yaml")
                                for q in ("q001", "q003"))
    edits: list[Edit] = [
        ("quartiers/q002.yaml", "statut: ", "statut: abandonnee\n        # "),
        ("quartiers/q003.yaml", f"id: {first_of_q3}\n", f"id: {first_of_q1}\n"),  # a duplicate of q001's
        ("quartiers/q001.yaml", f"id: {first_of_q1}\n", f"id: {first_of_q1.replace('-', '-9')}\n"),  # fixed
        ("quartiers/q004.yaml", "responsables: [", "responsables: [personne, "),
        ("charte.yaml", "titre: ", "titre: Nouveau "),
    ]
    seen = {edit: after for edit, after in _checked_edits(generated, edits)}
    assert "id_duplique" in {p.rule for p in seen[edits[1]].errors}
    assert "id_duplique" not in {p.rule for p in seen[edits[2]].errors}
    assert "acteur_inconnu" in {p.rule for p in seen[edits[3]].errors}
    assert seen[edits[4]].checks.ran == ["charte", "q001", "q002", "q003", "q004"]


def _first_action(path: Path) -> str:
    found = re.search(r"- id: ([A-Z]+-[0-9]+)\n", path.read_text(encoding="utf-8"))
    assert found is not None
    return found.group(1)


def test_without_the_cache_every_quartier_is_checked(base_charter: Path) -> None:
    charter = load(base_charter, today=TODAY)
    again = load(base_charter, today=TODAY, base=charter)
    assert again.checks.ran == ["charte", "centre"] and _facts(again.problems) == _facts(charter.problems)


def test_a_part_is_reused_only_for_dates_its_problems_hold_for() -> None:
    early, bound = {1: []}, {1: []}
    part = Part(("charter-data/quartiers/a.yaml", "k"), early, None, (dt.date(2024, 7, 15), bound))
    checked_on = dt.date(2024, 7, 1)  # its horizon's problems hold from 15 July only
    assert part.on(checked_on, checked_on) is part
    assert part.on(dt.date(2024, 7, 10), checked_on) is None
    assert part.on(dt.date(2024, 7, 15), checked_on).found is bound  # type: ignore[union-attr]
    assert part.on(None, checked_on) is None and Part(None, early, None, None).on(None, None) is not None
    holding = Part(None, early, dt.date(2024, 1, 1), (dt.date(2024, 1, 1), early))
    assert holding.on(TODAY, checked_on) is holding


def test_the_parts_of_an_unchanged_quartier_are_kept_as_they_were_read(store: ParseCache, call: Path) -> None:
    load(call, today=TODAY)
    charter = load(call, today=TODAY)  # from the verdict
    path, text = _apply(call, ("quartiers/avion.yaml", "id: AVI-001\n",
                               "id: AVI-001\n        statut: en_cours\n"))
    after = load(call, today=TODAY, texts=Overrides({path: text}), base=charter)
    assert after.checks.ran == ["charte", "avion"]
    kept, before = after.checks.verdict(), charter.checks.verdict()
    assert kept is not None and before is not None
    blobs = [part[2] for part in kept[1](call)[2]]
    earlier = [part[2] for part in before[1](call)[2]]
    assert [a is b for a, b in zip(blobs, earlier, strict=True)] == [True, True, False]  # lens, lievin, avion
