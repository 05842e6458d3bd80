"""A partner's cells as values: statuses, dates, ids and texts, with the help a typo deserves.

Each parser returns the value or raises :class:`CellError`, whose French message says what was
expected and, when a close value exists, « vouliez-vous dire … ? » (as ``gusp validate`` and
``gusp show`` do).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.french.text import closest, fold
from gusp_cli.model.vocabulary import Statut

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters a charter file refuses in a text (the reader's rule): a note holding one is refused."""
_ID = re.compile(r"^([A-Z]{2,5})-0*(\d+)$")


class CellError(ValueError):
    """A cell that cannot be read; the message is French and may carry a suggestion."""


def text(value: Any) -> str:
    """A cell as comparable text: dates ISO, whole numbers without decimals, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def status(value: Any) -> Statut | None:
    """A status from a cell: a value (``en_cours``) or a label (« en cours »); empty is None."""
    from gusp_cli.track.matching import statut_value

    written = text(value)
    if fold(written) in ("", fold(STATUS_LABELS[None])):
        return None
    found = statut_value(written)
    if found is not None:
        return Statut(found)
    labels = [STATUS_LABELS[s.value] for s in Statut]
    near = closest(written, labels + [s.value for s in Statut], n=1)
    hint = f" — vouliez-vous dire « {STATUS_LABELS[statut_value(near[0]) or near[0]]} » ?" if near else ""
    raise CellError(f"statut « {written} » inconnu{hint} (valeurs : {', '.join(labels)})")


def date(value: Any) -> dt.date | None:
    """A real date cell, ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"date « {text(value)} » : un nombre, pas une date (saisissez JJ/MM/AAAA)")
    written = str(value).strip()
    parts = written.split("/")
    try:
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) <= 2:
            day, month, year = (int(p) for p in parts)
            if year < 100:
                raise CellError(f"date « {written} » : année sur deux chiffres — vouliez-vous dire "
                                f"« {day:02d}/{month:02d}/{2000 + year} » ?")
            return dt.date(year, month, day)
        return dt.date.fromisoformat(written)
    except CellError:
        raise
    except ValueError:
        raise CellError(f"date « {written} » invalide ({_date_hint(written)})") from None


def _date_hint(written: str) -> str:
    """Why a date does not read, or the expected forms."""
    parts = re.split(r"[/.-]", written)
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        numbers = [int(p) for p in parts]
        day, month, year = numbers if len(parts[0]) <= 2 else numbers[::-1]
        try:
            found = dt.date(year, month, day)
        except ValueError:
            return "ce jour n'existe pas"
        return f"vouliez-vous dire « {found.strftime('%d/%m/%Y')} » ?"
    return "attendu JJ/MM/AAAA ou AAAA-MM-JJ"


def action_id(value: Any, known: Iterable[str]) -> tuple[str, str]:
    """(the id as written, upper-cased; a suggestion `` — vouliez-vous dire ABC-011 ?`` or empty)."""
    written = text(value).upper()
    ids = list(known)
    if written in ids:
        return written, ""
    wanted = _number(written)
    same = [i for i in ids if wanted is not None and _number(i) == wanted]
    if same:
        return written, f" — vouliez-vous dire {same[0]} ?"
    near = closest(written, ids, n=2) if written else []
    return written, f" — vouliez-vous dire {' ou '.join(near)} ?" if near else ""


def _number(identifier: str) -> tuple[str, int] | None:
    """``ABC-011`` and ``ABC-11`` as the same (prefix, number)."""
    match = _ID.match(identifier)
    return (match.group(1), int(match.group(2))) if match else None


def note(value: Any) -> str | None:
    """A note cell: its text (None when empty); a control character is refused."""
    written = text(value) or None
    found = CONTROL.search(written or "")
    if found is not None:
        raise CellError(f"note : caractère de contrôle U+{ord(found.group()):04X} interdit (copié depuis un "
                        "autre logiciel ?)")
    return written


def evaluation(dimension: Any, value: Any) -> Any:
    """A cell of the charter's evaluation grid read as its dimension's kind (:class:`~gusp_cli.model.
    evaluation.Dimension`): True/False for a yes/no, a number for an amount (never negative) or a
    number, a text; None when empty."""
    from gusp_cli.french import values
    from gusp_cli.model.vocabulary import TypeDimension

    kind = dimension.type
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind is TypeDimension.texte:
        return note(value)
    if isinstance(value, dt.date):
        raise CellError(f"« {text(value)} » est une date, pas {_EXPECTED[kind]}")
    if kind is TypeDimension.oui_non:
        if isinstance(value, bool):
            return value
        written = text(value)
        try:
            return values.yes_no(written)
        except ValueError:
            near = closest(written, ["oui", "non"], n=1)
            hint = f" — vouliez-vous dire « {near[0]} » ?" if near else ""
            raise CellError(f"« {written} » n'est ni oui ni non (choisissez dans la liste, ou laissez "
                            f"vide){hint}") from None
    if isinstance(value, bool):
        raise CellError(f"« {text(value)} » n'est pas {_EXPECTED[kind]}")
    if isinstance(value, int | float):
        if kind is TypeDimension.montant and value < 0:
            raise CellError(f"un montant ne peut pas être négatif (reçu {text(value)})")
        return int(value) if float(value).is_integer() else value
    try:
        return (values.amount if kind is TypeDimension.montant else values.number)(text(value))
    except ValueError as exc:
        raise CellError(str(exc)) from None


_EXPECTED = {"oui_non": "oui ou non", "montant": "un montant en euros", "nombre": "un nombre",
             "texte": "un texte"}
