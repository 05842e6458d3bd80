"""A long query on two cores: each process selects and formats half of the quartiers.

Speed only. A warm ``gusp overdue`` on a national repository (50,000 actions) spends most of its
time building the actions of every quartier from the cache, finding the late ones and formatting
some 30,000 rows, one quartier after another and each independently of the others. When such a
query prints plain text (not to a terminal), the quartiers it chose are cut in two runs of about
as many actions, in the charter's order: a forked process (:mod:`gusp_cli.store.aside`) does the
second run while this one does the first, and the texts are joined in that order.

Each table is one quartier's, in its own order, so the joined text is the one a single process
prints (``tests/cli/test_halves.py`` compares them). When the process aside fails, this one does
its half too. The fork happens before the actions are built: each process then builds only its
own, and the memory they share stays mostly unwritten (forking after building them, to format the
rows only, was slower than one process: every touched object's page was copied).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter
    from gusp_cli.track.queries import Selection

T = TypeVar("T")

MIN_ACTIONS = 10_000
"""Fewer actions than this in the quartiers chosen: one process does it all."""


def halves(charter: Charter, selection: Selection) -> tuple[Selection, Selection] | None:
    """The selection cut in two runs of quartiers of about as many actions, the first run before the
    second in the charter's order; None when there are too few actions, or quartiers to cut (a
    quartier id used twice is never cut: its tables would no longer follow the charter's order)."""
    ids = [quartier.id for quartier in charter.quartiers if quartier.id in selection.quartiers]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        return None
    counts = [charter.counts.get(quartier_id, 0) for quartier_id in ids]
    total = sum(counts)
    if total < MIN_ACTIONS:
        return None
    seen = 0
    for cut, count in enumerate(counts):
        if seen and seen + count > total // 2:
            return (dataclasses.replace(selection, quartiers=set(ids[:cut])),
                    dataclasses.replace(selection, quartiers=set(ids[cut:])))
        seen += count
    return None


def in_halves(charter: Charter, selection: Selection, work: Callable[[Selection], T]) -> list[T] | None:
    """``work`` on each half of the selection (:func:`halves`), the second in a process aside:
    their results, in order; None when the selection is not cut (the caller does it as usual).

    ``work`` returns plain values :mod:`marshal` can send (texts, numbers, tuples).
    """
    cut = halves(charter, selection)
    if cut is None:
        return None
    from gusp_cli.store.aside import run_aside

    first, second = cut
    started = run_aside(lambda: work(second))
    if started is None:
        return None
    mine = work(first)
    finished, theirs = started.result()
    return [mine, theirs if finished else work(second)]


def joined(results: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Two halves' results joined field by field: numbers added, texts put end to end."""
    return tuple(a + b for a, b in zip(*results, strict=True))
