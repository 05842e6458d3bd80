"""French wording helpers: the article a body's name takes after « de »."""

from __future__ import annotations

import pytest

from gusp_cli.french.text import of_the


@pytest.mark.parametrize(("name", "expected"), [
    ("Comité de pilotage", "du comité de pilotage"),
    ("COPIL", "du COPIL"),
    ("Commission locale de gestion", "de la commission locale de gestion"),
    ("Cellule de veille", "de la cellule de veille"),
    ("Assemblée des partenaires", "de l’assemblée des partenaires"),
    ("Réunion annuelle", "de la réunion annuelle"),
    ("Plénière", ": Plénière"),
])
def test_of_the(name: str, expected: str) -> None:
    assert of_the(name) == expected
