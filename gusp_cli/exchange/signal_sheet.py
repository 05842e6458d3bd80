"""The « Signalements » sheet of a partner's workbook: the field problems of the veille it deals with.

A per-party workbook (:mod:`gusp_cli.exchange.workbook`) carries the signalements the party is
responsible for (roles resolved in their quartier) that are not closed on the export day; the
whole-charter workbook carries every one of its quartiers. The grey columns come from
``signalements.yaml``; the partner fills in the yellow ones: « État » (a drop-down list),
« Date », « Transmis à » (for « transmis ») and « Note ». The base records each row's state and
the fingerprints of its grey cells, so that ``gusp import`` decides the state three-way, as for
an action's status (:mod:`gusp_cli.exchange.signal_import`). A partner never adds a signalement
through a workbook: new ones are reported to the project lead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange.workbook import Choice, Column, Export, ExportRow, _quartier_sheet
from gusp_cli.french.dates import format_date
from gusp_cli.model.charter import Charter
from gusp_cli.model.signals import STATE_LABELS
from gusp_cli.model.vocabulary import EtatSignalement

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from gusp_cli.exchange.xlsx import Styles

SIGNALS_SHEET = "Signalements"
STATE_CHOICES = [STATE_LABELS[s] for s in EtatSignalement]
"""The drop-down list: « ouvert », « transmis », « traité », « clos »."""
STATE_CHOICE = Choice(STATE_CHOICES, "État", "Nouvel état du signalement")
SIGNAL_COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", 15),
    Column("quartier", "Quartier", 16, guarded=True, wrap=True),
    Column("vu_le", "Vu le", 16, guarded=True),
    Column("lieu", "Lieu", 22, guarded=True, wrap=True),
    Column("theme", "Thème", 14, guarded=True, wrap=True),
    Column("description", "Description", 40, guarded=True, wrap=True),
    Column("suite", "Suite", 24, wrap=True),
    Column("etat", "État", 12, editable=True, choice=STATE_CHOICE),
    Column("date", "Date", 11, editable=True, date=True),
    Column("vers", "Transmis à", 16, editable=True, wrap=True),
    Column("note", "Note", 36, editable=True, wrap=True),
)
"""The sheet's columns, in order."""
SIGNAL_GUARDED = tuple(c.key for c in SIGNAL_COLUMNS if c.guarded)


def workbook_signals(charter: Charter, day: dt.date, quartiers: set[str], party: str | None) -> list[Any]:
    """The signalements a workbook carries: those of ``quartiers`` not closed on ``day`` (the
    charter seen on that day), and for a party's workbook only those it deals with."""
    from gusp_cli.track.signals import involves

    return [s for s in charter.signals if s.quartier in quartiers and s.etat is not EtatSignalement.clos
            and (party is None or involves(charter, s, party))]


def signal_row(charter: Charter, signal: Any, day: dt.date) -> ExportRow:
    """The cells of one signalement at ``day``."""
    from gusp_cli.governance.veille import ascent, standing

    quartier = charter.quartier(signal.quartier)
    chain = ascent(charter)
    found = standing(charter, signal, day, chain)
    suite = found.words(chain) if found is not None else (
        f"suivi par l'action {signal.action}" if signal.action else "")
    return ExportRow(signal.id, signal.quartier, {
        "id": signal.id, "quartier": quartier.commune if quartier else signal.quartier,
        "vu_le": format_date(signal.date), "lieu": signal.lieu, "theme": signal.theme,
        "description": signal.description, "suite": suite, "etat": STATE_LABELS[signal.etat],
        "date": None, "vers": None, "note": None,
    }, signal.etat.value)


def signal_sheet(ws: Worksheet, charter: Charter, signals: Sequence[Any], styles: Styles,
                 export: Export) -> list[ExportRow]:
    """Write the sheet; return its rows in order (for the base)."""
    rows = [signal_row(charter, s, export.date) for s in signals]
    _quartier_sheet(ws, rows, styles, export, SIGNAL_COLUMNS)
    return rows


def instruction_line(count: int) -> str:
    """What the instructions say of the sheet."""
    from gusp_cli.french.text import plural

    states = ", ".join(STATE_CHOICES)
    return (f"Feuille « {SIGNALS_SHEET} » : {plural(count, 'signalement')} de la veille de terrain "
            f"que vous traitez. Mettez à jour l'État ({states}), la Date, « Transmis à » pour un "
            "signalement relayé à un autre dispositif, et une Note — jamais de nom, de téléphone ni de "
            "courriel d'habitant. Un nouveau signalement ne s'ajoute pas ici : signalez-le au chef de "
            "projet.")
