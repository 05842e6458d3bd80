"""CSV for French Excel and GFM tables: formulas defused, Markdown inert."""

from __future__ import annotations

import csv
import io

import pytest

from gusp_cli.exchange.formats import is_formula_like, to_csv, to_markdown
from gusp_cli.exchange.reading import _undefuse


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1", " =1+1",
                                  "  \t+1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff201"])
def test_every_formula_start_is_defused_and_read_back(text: str) -> None:
    assert is_formula_like(text)
    out = to_csv([{"libelle": text}], ["libelle"], bom=False)
    [row] = list(csv.DictReader(io.StringIO(out, newline=""), delimiter=";"))
    assert row["libelle"] == "'" + text
    assert _undefuse(row["libelle"]) == text


@pytest.mark.parametrize("text", ["Tour de quartier", "", "2025", "'déjà cité'", "a=b", "e-mail"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not is_formula_like(text)
    assert _undefuse(text) == text


def test_markdown_table_cells_are_inert() -> None:
    table = to_markdown([{"a": "[x](javascript:y) @all #1 | fin"}], ["a"], ["A"])
    assert table.splitlines()[2] == "| \\[x\\](javascript\u200d:y) @\u200dall #\u200d1 \\| fin |"
