"""``gusp import`` for the evaluation columns: each cell of the charter's grid decided three-way.

As for an action's status (:mod:`gusp_cli.exchange.importing`), per cell: the value the workbook
showed at export (its base, format 2), the partner's, and the one the charter records now
(:func:`gusp_cli.exchange.merge.three_way`). A cell the partner left alone never overwrites a newer
value; both changed is a conflict, listed with the three values and not applied unless
``--garder`` says which side wins. A value that does not fit its dimension (« peut-être » for a
yes/no, a negative or non-numeric cost) is reported with its sheet and cell, and not applied;
« 12 500 € » typed as text reads as 12500. A cell emptied by the partner is not applied either: an
evaluation is cleared with ``gusp evaluation set``. A workbook whose base has no evaluation (the
first format) has no evaluation column, so its import touches no evaluation. A CSV or a workbook
without a base is compared with the charter as it is: a filled cell that differs is applied, an
empty one means « not given ».

Accepted values are written with the same surgical edit as ``gusp evaluation set``
(:func:`gusp_cli.track.evaluation_edits.plan_evaluation`), chained with the status edits of the
same file, all files at once or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange import cells
from gusp_cli.exchange.merge import Decision, three_way
from gusp_cli.exchange.reading import BaseRow, Row
from gusp_cli.french.text import fold
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.evaluation import Dimension, grid, value_of

if TYPE_CHECKING:
    from gusp_cli.exchange.importing import BookPlan
    from gusp_cli.store.textfile import Source
    from gusp_cli.track.edits import Change


@dataclass
class EvaluationUpdate:
    """The accepted evaluation cells of one action."""

    entry: Entry
    where: str
    values: dict[str, Any]
    """New value by dimension id."""
    book: str
    """The file it comes from."""
    settled: list[str] = field(default_factory=list)
    """The dimensions whose conflict ``--garder partenaire`` settles."""


@dataclass
class EvaluationConflict:
    """An evaluation cell both the partner and the charter changed since the export (or two files
    gave different values)."""

    entry: Entry
    where: str
    dimension: Dimension
    exported: Any
    partner: Any
    charter: Any
    other_book: str | None = None
    """The file that gave the other value (a conflict between two workbooks), None otherwise."""
    kept: str | None = None
    """Which side ``--garder`` kept (None: not settled, not applied)."""

    def text(self) -> str:
        """« Coût : exporté « non renseigné », classeur « 12 500 € », charte « 9 000 € » »."""
        def say(value: Any) -> str:
            return f"« {plain(self.dimension, value)} »"

        if self.other_book is not None:
            return (f"{self.dimension.libelle} : classeur {say(self.partner)}, {say(self.charter)} donné par "
                    f"{self.other_book}")
        return (f"{self.dimension.libelle} : exporté {say(self.exported)}, classeur {say(self.partner)}, "
                f"charte {say(self.charter)}")


def plain(dimension: Dimension, value: Any) -> str:
    """A value as the reader sees it: oui/non, « 12 500 € », a text, « non renseigné »."""
    from gusp_cli.track.evaluation_edits import value_text

    return value if isinstance(value, str) else value_text(dimension, value)


def evaluation_headers(charter: Charter) -> dict[str, str]:
    """Folded header -> dimension id, for a file without a base: the headers an export writes for
    the charter's grid, and the dimension ids (a CSV's ``cout``)."""
    from gusp_cli.exchange.workbook import EVALUATION_KEY, evaluation_columns

    dimensions = grid(charter)
    headers = {fold(c.header): c.key.removeprefix(EVALUATION_KEY)
               for c in evaluation_columns(dimensions, False)}
    headers.update({fold(d.id): d.id for d in dimensions})
    return headers


def plan_evaluation_row(plan: BookPlan, entry: Entry, row: Row, exported: BaseRow | None,
                        keep: str | None) -> bool:
    """Decide the row's evaluation cells: the update, conflicts and notices they give; True when
    the partner changed one (the row counts as filled)."""
    from gusp_cli.exchange.importing import PARTNER, Notice
    from gusp_cli.exchange.workbook import EVALUATION_KEY

    dimensions = {d.id: d for d in grid(plan.charter)}
    values: dict[str, Any] = {}
    settled: list[str] = []
    touched = False
    for key, raw in row.cells.items():
        if not key.startswith(EVALUATION_KEY):
            continue
        dimension_id = key.removeprefix(EVALUATION_KEY)
        where = row.cell(key)
        dimension = dimensions.get(dimension_id)
        base = exported.evaluation.get(dimension_id) if exported is not None else None
        if dimension is None:  # the grid lost this dimension since the export
            if cells.text(raw) != cells.text(_shown(base)):
                touched = True
                plan.notices.append(Notice(where, entry.id, f"case « {dimension_id} » absente de la grille "
                                           "d'évaluation de la charte : non appliquée"))
            continue
        try:
            partner = cells.evaluation(dimension, raw)
        except cells.CellError as exc:
            touched = True
            plan.notices.append(Notice(where, entry.id,
                                       f"case « {dimension.libelle} » : {exc} ; non appliquée"))
            continue
        current = value_of(entry.action.evaluation, dimension_id)
        if exported is None:
            if partner is None:
                continue  # a file without a base: an empty cell gives nothing
            base = current
        decision = three_way(_same(base), partner, _same(current))
        if decision is Decision.UNTOUCHED:
            continue
        touched = True
        if decision is Decision.ALREADY:
            continue
        if partner is None:
            from gusp_cli.track.evaluation_edits import set_option

            plan.notices.append(Notice(where, entry.id, (
                f"case « {dimension.libelle} » vidée (« {plain(dimension, base)} » → vide) : une évaluation "
                f"ne s'efface pas par import ; pour l'effacer : gusp evaluation set {entry.id} "
                f"{set_option(dimension_id, 'non_renseigne')}")))
            continue
        if decision is Decision.CONFLICT:
            plan.evaluation_conflicts.append(EvaluationConflict(entry, where, dimension, base, partner,
                                                                current, kept=keep))
            if keep != PARTNER:
                continue
            settled.append(dimension_id)
        values[dimension_id] = partner
    if values:
        in_order = {d: values[d] for d in dimensions if d in values}  # the grid's order, as the workbook's
        plan.evaluation_updates.append(EvaluationUpdate(entry, row.where, in_order, plan.book.path.name,
                                                        settled))
    return touched


def _shown(value: Any) -> Any:
    """A base value as its cell shows it (``oui`` / ``non`` for a yes/no)."""
    return ("oui" if value else "non") if isinstance(value, bool) else value


def _same(value: Any) -> Any:
    """A value as the partner's cell compares to it: a text with its spaces collapsed (a cell
    read back has them so)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def cross_books(plans: Iterable[BookPlan]) -> None:
    """An evaluation cell given two different values by two files: the second is a conflict, not
    applied."""
    first: dict[tuple[str, str], tuple[Any, str]] = {}
    for plan in plans:
        kept = []
        dimensions = {d.id: d for d in grid(plan.charter)}
        for update in plan.evaluation_updates:
            for dimension_id, value in list(update.values.items()):
                earlier = first.setdefault((update.entry.id, dimension_id), (value, update.book))
                if earlier[0] != value:
                    plan.evaluation_conflicts.append(EvaluationConflict(
                        update.entry, update.where, dimensions[dimension_id], None, value, earlier[0],
                        other_book=earlier[1]))
                    del update.values[dimension_id]
            if update.values:
                kept.append(update)
        plan.evaluation_updates = kept


def chain(charter: Charter, source: Source, updates: Iterable[EvaluationUpdate], today: dt.date
          ) -> tuple[Source, list[Change]]:
    """The evaluation edits of ``updates`` chained on one file's text (each as ``gusp evaluation
    set`` makes it, checked the same way): the text they give and each change."""
    from gusp_cli.store.textfile import decode_source
    from gusp_cli.track.evaluation_edits import plan_evaluation

    current, changes = source, []
    for update in updates:
        change = plan_evaluation(charter, current, update.entry.id, update.values, today=today)
        changes.append(change)
        current = decode_source(source.path, change.data)
    return current, changes
