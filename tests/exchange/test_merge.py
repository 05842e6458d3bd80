"""The three-way decision for one cell."""

from __future__ import annotations

import pytest

from gusp_cli.exchange.merge import Decision, three_way


@pytest.mark.parametrize(("base", "partner", "charter", "decision"), [
    (None, None, None, Decision.UNTOUCHED),
    (None, None, "en_cours", Decision.UNTOUCHED),  # a stale workbook never erases newer work
    ("a_faire", "a_faire", "realisee", Decision.UNTOUCHED),
    (None, "en_cours", "en_cours", Decision.ALREADY),  # imported twice
    (None, "en_cours", None, Decision.APPLY),
    ("en_cours", "realisee", "en_cours", Decision.APPLY),
    ("en_cours", None, "en_cours", Decision.APPLY),  # an erasure: the import refuses it
    (None, "realisee", "en_cours", Decision.CONFLICT),
    ("a_faire", "realisee", "abandonnee", Decision.CONFLICT),
])
def test_three_way(base: str | None, partner: str | None, charter: str | None, decision: Decision) -> None:
    assert three_way(base, partner, charter) is decision
