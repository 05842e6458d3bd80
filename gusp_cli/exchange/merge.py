"""A three-way decision for one cell a partner fills in: what was exported (the *base*), what the
partner wrote, and what the charter holds now.

The rules, as for a three-way merge in git:

- the partner left the cell as exported: nothing to do, whatever the charter holds now (a stale
  workbook never overwrites newer work);
- the partner wrote what the charter already holds: nothing to do;
- the charter has not changed since the export: the partner's value is applied;
- both changed it, differently: a conflict, shown and not applied until the project lead says
  which side to keep (``--garder partenaire|charte``).
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class Decision(Enum):
    """What to do with one cell."""

    UNTOUCHED = "inchangé"
    """The partner left it as exported."""
    ALREADY = "déjà dans la charte"
    """The partner wrote what the charter holds."""
    APPLY = "à appliquer"
    CONFLICT = "conflit"


def three_way(base: T, partner: T, charter: T) -> Decision:
    """The decision for a cell (values compared with ``==``; None is « empty »)."""
    if partner == base:
        return Decision.UNTOUCHED
    if partner == charter:
        return Decision.ALREADY
    if charter == base:
        return Decision.APPLY
    return Decision.CONFLICT
