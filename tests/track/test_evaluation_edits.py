"""Recording an evaluation changes only its lines, checks the charter, and refuses what it must."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gusp_cli.model.errors import UsageError
from gusp_cli.store.loader import load
from gusp_cli.store.textfile import read_source
from gusp_cli.track.evaluation_edits import CLEAR, plan_evaluation

DAY = dt.date(2026, 11, 25)


def _plan(root: Path, action_id: str, values: dict[str, object],
          **more: object) -> tuple[str, str, list[str]]:
    charter = load(root, today=DAY)
    entry = charter.by_id[action_id]
    source = read_source(entry.file)
    change = plan_evaluation(charter, source, action_id, values, today=DAY, **more)  # type: ignore[arg-type]
    return source.text, change.text, change.summary


def _changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [x for x in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if x[:1] in "+-" and not x.startswith(("+++", "---"))]


def test_a_new_block_lands_after_the_action_s_fields_and_nothing_else_changes(embedded_copy: Path) -> None:
    before, after, summary = _plan(embedded_copy, "AVI-005", {"deployee": True, "cout": 12500,
                                                              "qualite_de_vie_amelioree": False},
                                   commentaire="Équipes en place")
    assert _changed_lines(before, after) == [
        "+        evaluation:", "+          deployee: true", "+          cout: 12500",
        "+          qualite_de_vie_amelioree: false", '+          commentaire: "Équipes en place"']
    assert summary[1] == "AVI-005 : Coût non renseigné → 12\u202f500\u202f€"
    assert "# Dispositif permanent" in after  # the comment under the action stays


def test_a_cell_is_replaced_in_place_and_cleared(embedded_copy: Path) -> None:
    _, after, _ = _plan(embedded_copy, "AVI-005", {"deployee": True, "cout": 100})
    entry = load(embedded_copy).by_id["AVI-005"]
    entry.file.write_text(after, encoding="utf-8")
    before, again, summary = _plan(embedded_copy, "AVI-005", {"cout": 250.5, "deployee": CLEAR})
    assert _changed_lines(before, again) == ["-          deployee: true", "-          cout: 100",
                                             "+          cout: 250.5"]
    assert summary == ["AVI-005 : Coût 100\u202f€ → 250,50\u202f€", "AVI-005 : Déployée oui → non renseigné"]
    entry.file.write_text(again, encoding="utf-8")
    before, emptied, _ = _plan(embedded_copy, "AVI-005", {"cout": CLEAR})
    assert "evaluation" not in emptied and len(_changed_lines(before, emptied)) == 2


def test_nothing_to_change_and_unknown_cells_are_refused(embedded_copy: Path) -> None:
    with pytest.raises(UsageError, match="rien à enregistrer"):
        _plan(embedded_copy, "AVI-005", {})
    with pytest.raises(UsageError, match="pas de case « efficacite »"):
        _plan(embedded_copy, "AVI-005", {"efficacite": True})
    with pytest.raises(UsageError, match="déjà ces valeurs"):
        _plan(embedded_copy, "AVI-005", {"deployee": CLEAR})
