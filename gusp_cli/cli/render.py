"""Terminal rendering of query results with rich (imported lazily: only commands that print tables pay)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer

from gusp_cli.dates_fr import format_date, format_int

if TYPE_CHECKING:
    from rich.console import Console

    from gusp_cli.charter import Charter, Entry


def console() -> Console:
    """A console for stdout: colours and box drawing on a terminal, plain ASCII when piped."""
    from rich.console import Console

    if sys.stdout.isatty():  # no markup nor emoji codes: charter texts are printed as written
        return Console(highlight=False, markup=False, emoji=False)
    return Console(highlight=False, markup=False, no_color=True, width=120, emoji=False, soft_wrap=False)


def _box() -> Any:
    from rich import box

    return box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2


def entries_table(charter: Charter, entries: Sequence[Entry], as_of: dt.date | None,
                  title: str | None = None, delay: bool = False, due_in: bool = False) -> None:
    """Print actions (of one quartier, named in the title): id, label (wrapped), parties, échéance, delay."""
    from rich.table import Table

    table = Table(title=title, box=_box(), show_lines=False, title_justify="left", expand=True)
    table.add_column("Id", no_wrap=True, style="bold")
    table.add_column("Action", overflow="fold", ratio=1, min_width=30)
    table.add_column("Responsables", overflow="fold", min_width=14, max_width=30)
    table.add_column("Échéance", no_wrap=True)
    if delay:
        table.add_column("Retard", justify="right", no_wrap=True)
    elif due_in:
        table.add_column("Dans", justify="right", no_wrap=True)
    else:
        table.add_column("Statut", no_wrap=True)
    for entry in entries:
        names = "\n".join(charter.party_name(p, entry.quartier) for p in entry.action.responsables)
        row = [entry.id, entry.action.libelle, names, entry.action.echeance or "—"]
        if delay and as_of is not None:
            row.append(f"{format_int(entry.days_late(as_of))} j")
        elif due_in and as_of is not None and entry.due is not None:
            row.append(f"{format_int((entry.due - as_of).days)} j")
        else:
            row.append(status_label(entry))
        table.add_row(*row)
    console().print(table)


def status_label(entry: Entry) -> str:
    """French label of an entry's status."""
    from gusp_cli.dates_fr import STATUS_LABELS

    return STATUS_LABELS.get(entry.action.statut.value if entry.action.statut else None, "non renseigné")


def echo(text: str = "") -> None:
    """Print plain text."""
    typer.echo(text)


def heading(text: str) -> None:
    """Print a section heading."""
    console().print(text, style="bold")


def date_fr(date: dt.date | None) -> str:
    """``25 novembre 2026``."""
    return format_date(date) if date else "—"
