"""A long query on two cores: the quartiers taken in runs from both ends, one end per process.

Speed only. A warm ``gusp overdue`` on a national repository (50,000 actions) spends most of its
time building the actions of every quartier from the cache, finding the late ones and formatting
some 30,000 rows, one quartier after another and each independently of the others. When such a
query prints plain text (not to a terminal), the quartiers it chose are cut into :data:`RUNS` runs
of about as many actions, in the charter's order. A forked process (:mod:`gusp_cli.store.aside`)
takes runs from the last one down while this one takes them from the first one up, each marking in
shared memory the run it takes, until each meets a run the other marked. A second core that is
busy elsewhere so does fewer runs, and this process more, instead of being waited for.

Nothing is lost when both take the same run at the same moment (each does it; this process keeps
its own), when the process aside fails (this one does the runs it did not get back) or never
starts. Each table is one quartier's, in its own order, so the texts of the runs put end to end in
the charter's order are the text a single process prints (``tests/cli/test_both_ends.py``
compares them). The fork happens before the actions are built: each process then builds only its
own, and the memory they share stays mostly unwritten (forking after building them, to format the
rows only, was slower than one process: every touched object's page was copied).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import mmap

    from gusp_cli.model.charter import Charter
    from gusp_cli.track.queries import Selection

T = TypeVar("T")

MIN_ACTIONS = 10_000
"""Fewer actions than this in the quartiers chosen: one process does it all."""

RUNS = 32
"""Runs the quartiers are cut into: what a busy second core can leave undone is one of them."""

_HERE, _ASIDE = 1, 2
"""Who marked a run in the shared memory (0: not taken yet)."""


def runs(charter: Charter, selection: Selection, count: int = RUNS) -> list[Selection] | None:
    """The selection cut into at most ``count`` runs of consecutive quartiers (the charter's order) of
    about as many actions; None when there are too few actions, or quartiers to cut (a quartier id
    used twice is never cut: its tables would no longer follow the charter's order)."""
    ids = [quartier.id for quartier in charter.quartiers if quartier.id in selection.quartiers]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        return None
    counts = [charter.counts.get(quartier_id, 0) for quartier_id in ids]
    total = sum(counts)
    if total < MIN_ACTIONS:
        return None
    cut: list[list[str]] = [[]]
    seen = 0
    for quartier_id, actions in zip(ids, counts, strict=True):
        if cut[-1] and seen + actions > total * len(cut) / count:
            cut.append([])
        cut[-1].append(quartier_id)
        seen += actions
    return [dataclasses.replace(selection, quartiers=set(run)) for run in cut] if len(cut) > 1 else None


def from_both_ends(charter: Charter, selection: Selection, work: Callable[[Selection], T]) -> list[T] | None:
    """``work`` on each run of the selection (:func:`runs`), this process from the first run up and a
    process aside from the last one down: their results, in the runs' order; None when the
    selection is not cut or no process can be forked (the caller does it as usual).

    ``work`` returns plain values :mod:`marshal` can send (texts, numbers, tuples).
    """
    cut = runs(charter, selection)
    if cut is None:
        return None
    import mmap

    from gusp_cli.store.aside import run_aside

    marks = mmap.mmap(-1, len(cut))  # anonymous and shared: the process aside sees the same bytes
    try:
        started = run_aside(lambda: taken(cut, marks, work, reverse=True))
        if started is None:
            return None
        try:
            mine = taken(cut, marks, work)
        except BaseException:  # an error or a ^C here: the process aside is not left behind
            started.abandon()
            raise
        finished, theirs = started.result()
    finally:
        marks.close()
    return assembled(cut, mine, theirs if finished else {}, work)


def taken(cut: list[Selection], marks: mmap.mmap | bytearray, work: Callable[[Selection], T],
          reverse: bool = False) -> dict[int, T]:
    """``work`` on the runs one end takes (the first one up, or the last one down when ``reverse``),
    each marked before it is done, until a run is found marked by the other end: index → result."""
    done: dict[int, T] = {}
    for index in (range(len(cut) - 1, -1, -1) if reverse else range(len(cut))):
        if marks[index]:
            break
        marks[index] = _ASIDE if reverse else _HERE
        done[index] = work(cut[index])
    return done


def assembled(cut: list[Selection], mine: dict[int, T], theirs: dict[int, T],
              work: Callable[[Selection], T]) -> list[T]:
    """Every run's result in order: this process's own, else the one sent back, else done now (the
    runs a failed process aside had taken)."""
    return [mine[index] if index in mine else theirs[index] if index in theirs else work(run)
            for index, run in enumerate(cut)]


def joined(results: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Runs' results joined field by field: numbers added, texts (str or bytes) put end to end."""
    fields = zip(*results, strict=True)
    return tuple(field[0][:0].join(field) if isinstance(field[0], str | bytes) else sum(field)
                 for field in fields)
