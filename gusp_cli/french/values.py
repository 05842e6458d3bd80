"""Values as a French user types them: « oui » / « non », and amounts (« 12 500 € », « 12 500,50 »).

Shared by ``gusp evaluation set`` (options) and ``gusp import`` (a partner's workbook cells), so a
value reads the same wherever it is typed. Each parser returns the value, None for a word that
means « not reported » (``non_renseigne``, ``?``, ``-``, empty), or raises :class:`ValueError`
with a French message that says what was expected.
"""

from __future__ import annotations

import re

YES = frozenset({"oui", "o", "yes", "y", "true", "vrai", "1"})
NO = frozenset({"non", "n", "no", "false", "faux", "0"})
BLANK = frozenset({"non_renseigne", "non renseigné", "non renseigne", "non renseignee", "non renseignée",
                   "inconnu", "?", "-", ""})
"""Words that mean « not reported »."""
_SPACES = re.compile(r"[\s\u202f\u00a0]")
_DOTTED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
"""« 12.500 »: thousands written with dots, or 12,5 with a dot? Ambiguous, so refused."""


def yes_no(text: str) -> bool | None:
    """``oui`` → True, ``non`` → False (and their usual spellings), a blank word → None."""
    word = " ".join(text.split()).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    if word in BLANK:
        return None
    raise ValueError(f"« {text.strip()} » ; attendu oui ou non")


def amount(text: str) -> int | float | None:
    """A number of euros as the French write it (``12500``, ``12 500``, ``12 500,50 €``), never
    negative; a blank word → None."""
    return _number(text, "montant", "un nombre d'euros : 12500 ou 12 500,50", signed=False)


def number(text: str) -> int | float | None:
    """A number as the French write it (``1 234,5``, maybe negative); a blank word → None."""
    return _number(text, "nombre", "un nombre : 1234 ou 1 234,5", signed=True)


def _number(text: str, noun: str, expected: str, *, signed: bool) -> int | float | None:
    """The number ``text`` writes (spaces, a decimal comma and « € » allowed)."""
    written = text.strip()
    if written.lower() in BLANK:
        return None
    compact = _SPACES.sub("", written).removesuffix("€").removesuffix("EUR")
    if _DOTTED_THOUSANDS.match(compact):
        raise ValueError(f"{noun} « {written} » ambigu : écrivez 12500 ou 12 500 (sans point), ou 12,50 "
                         "pour une décimale")
    try:
        number = float(compact.replace(",", "."))
    except ValueError:
        raise ValueError(f"{noun} invalide « {written} » (attendu {expected})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{noun} invalide « {written} »")
    if number < 0 and not signed:
        raise ValueError(f"un montant ne peut pas être négatif (reçu {written})")
    return int(number) if number.is_integer() else number
