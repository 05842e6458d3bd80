"""The échéance grammar: from a deadline as written in the charter to the date it is due.

Accepted forms (case- and accent-insensitive), each due at the *end* of the period it names:

==================  ==========================================  ===============
form                example                                     due date
==================  ==========================================  ===============
year                ``2023``                                    2023-12-31
range of years      ``2023/2024``, ``2023-2024``                2024-12-31
season              ``Été 2022``                                2022-09-22
quarter             ``T2 2025``, ``1er trimestre 2017``         2025-06-30, 2017-03-31
semester            ``S1 2025``, ``2e semestre 2016``           2025-06-30, 2016-12-31
end of a year       ``fin 2017``                                2017-12-31
start of a year     ``début 2018``                              2018-03-31 (its first quarter)
month               ``juin 2025``                               2025-06-30
ISO date            ``2025-06-30``                              2025-06-30
French date         ``30/06/2025``                              2025-06-30
continuous          ``en continu``, ``tout au long de l'année``  none
yearly              ``chaque année``                            none (continuous, yearly)
==================  ==========================================  ===============

Seasons end on their usual calendar dates: printemps 20 June, été 22 September, automne
20 December, hiver (the winter that starts in December of the year named) 20 March of the next year.
A *continuous* échéance has no due date: the action must be in place from the start of the
charter's period and is judged by the rule of ongoing actions (:mod:`gusp_cli.model.lateness`), at
the rhythm it implies (``annuelle`` for « chaque année ») or the action's own ``frequence``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from gusp_cli.french.text import fold
from gusp_cli.model.vocabulary import Frequence

ACCEPTED_FORMS = (
    "une année (2023), deux années (2023/2024), une saison (Été 2022), un trimestre (T2 2025, "
    "1er trimestre 2017), un semestre (S1 2025, 2e semestre 2016), fin 2017, début 2018, un mois "
    "(juin 2025), une date (2025-06-30 ou 30/06/2025), ou une action continue (en continu, "
    "continuellement, tout au long de l'année, chaque année)"
)

MIN_YEAR, MAX_YEAR = 1990, 2100

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
SEASON_END = {"printemps": (0, 6, 20), "ete": (0, 9, 22), "automne": (0, 12, 20), "hiver": (1, 3, 20)}

_YEAR = r"(\d{4})"
_RANK = {"1er": 1, "1re": 1, "premier": 1, "premiere": 1, "2e": 2, "2eme": 2, "2nd": 2, "2nde": 2,
         "deuxieme": 2, "second": 2, "seconde": 2, "3e": 3, "3eme": 3, "troisieme": 3, "4e": 4,
         "4eme": 4, "quatrieme": 4}
_RANKS = "|".join(sorted(_RANK, key=len, reverse=True))
_HALF_RANKS = "|".join(sorted((r for r, n in _RANK.items() if n <= 2), key=len, reverse=True))
"""The ranks a semester can have (« 1er », « second »...): « 3e semestre » is no form."""
_OF = r"(?:de\s+|d')?"
CONTINUOUS = {"en continu": None, "continu": None, "continue": None, "continuellement": None,
              "en permanence": None, "tout au long de l'annee": None, "toute l'annee": None,
              "chaque annee": Frequence.annuelle, "tous les ans": Frequence.annuelle,
              "annuellement": Frequence.annuelle}
"""Continuous wordings (folded) and the rhythm each implies (None: the action's own)."""
_FORMS: tuple[tuple[str, str], ...] = (
    ("annee", rf"^{_YEAR}$"),
    ("annees", rf"^{_YEAR}\s*[/-]\s*{_YEAR}$"),
    ("iso", r"^(\d{4})-(\d{2})-(\d{2})$"),
    ("fr", r"^(\d{1,2})/(\d{1,2})/(\d{4})$"),
    ("trimestre", rf"^t\s*([1-4])\s+{_YEAR}$"),
    ("semestre", rf"^s\s*([12])\s+{_YEAR}$"),
    ("trimestre", rf"^({_RANKS})\s+trimestre\s+{_OF}{_YEAR}$"),
    ("semestre", rf"^({_HALF_RANKS})\s+semestre\s+{_OF}{_YEAR}$"),
    ("fin", rf"^fin\s+{_OF}{_YEAR}$"),
    ("debut", rf"^debut\s+{_OF}{_YEAR}$"),
    ("saison", rf"^(printemps|ete|automne|hiver)\s+{_YEAR}$"),
    ("mois", rf"^({'|'.join(MONTHS)})\s+{_YEAR}$"),
)
"""Each form and its regular expression, on the folded text (:func:`fold`), compiled on first use
(:func:`_patterns`: a warm query reads due dates from the cache and never parses an échéance).
:func:`schema_pattern` derives the editors' pattern from these: write each form's words out
(``juin``, not ``[a-z]+``) so that the schema refuses what the grammar refuses."""
_THIRD_SEMESTER = rf"^({_RANKS})\s+semestre\s+{_OF}{_YEAR}$"
"""A semester ranked beyond the second, told as such rather than as an unknown form."""
_WORD_AND_YEAR = rf"^([a-z]+)\s+{_YEAR}$"
"""A word then a year that no form took: a misspelt month, named in the error."""


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The forms' regular expressions, compiled once per process, when an échéance is first parsed."""
    return tuple((form, re.compile(source)) for form, source in _FORMS)


class EcheanceError(ValueError):
    """An échéance that does not follow the grammar; the message is French."""


@dataclass(frozen=True, slots=True)
class Echeance:
    """A parsed échéance: the text as written, its form and its due date (none for a continuous
    échéance, which may imply a rhythm)."""

    texte: str
    forme: str
    date: dt.date | None
    rythme: Frequence | None = None
    """For a continuous échéance: the rhythm it implies (« chaque année »: annuelle), if any."""

    @property
    def continu(self) -> bool:
        """True for a continuous échéance (« en continu », « chaque année »...)."""
        return self.forme == "continu"


def parse_echeance(text: str) -> Echeance:
    """Parse an échéance as written and return it with its due date.

    Raises :class:`EcheanceError` with a French message listing the accepted forms.
    """
    result = _parse_cached(text)
    if isinstance(result, EcheanceError):
        raise EcheanceError(str(result))
    return result


@functools.lru_cache(maxsize=8192)
def _parse_cached(text: str) -> Echeance | EcheanceError:
    """Parse once per distinct text (a charter repeats the same few échéances many times)."""
    try:
        return _parse(text)
    except EcheanceError as exc:
        return exc


def _parse(text: str) -> Echeance:
    """The grammar itself."""
    folded = fold(text)
    if folded in CONTINUOUS:
        return Echeance(text, "continu", None, CONTINUOUS[folded])
    for form, pattern in _patterns():
        match = pattern.match(folded)
        if match:
            due = _due_date(form, match.groups(), text)
            return Echeance(text, form, due)
    if re.match(_THIRD_SEMESTER, folded):
        raise EcheanceError(f"échéance « {text} » : il n'y a que 2 semestres par an")
    word = re.match(_WORD_AND_YEAR, folded)
    if word:
        raise EcheanceError(f"échéance « {text} » : mois « {word.group(1)} » inconnu ; "
                            f"formes acceptées : {ACCEPTED_FORMS}")
    raise EcheanceError(f"échéance « {text} » non reconnue ; formes acceptées : {ACCEPTED_FORMS}")


def _due_date(form: str, groups: tuple[str, ...], text: str) -> dt.date:
    """Compute the end date of a matched form, checking the calendar."""
    if form == "annee":
        return _year_end(int(groups[0]), text)
    if form == "annees":
        first, last = int(groups[0]), int(groups[1])
        if last < first:
            raise EcheanceError(f"échéance « {text} » : la seconde année précède la première")
        _check_year(first, text)
        return _year_end(last, text)
    if form in ("iso", "fr"):
        year, month, day = (int(g) for g in (groups if form == "iso" else groups[::-1]))
        return _exact(year, month, day, text)
    if form in ("trimestre", "semestre"):
        rank = int(groups[0]) if groups[0].isdigit() else _RANK[groups[0]]
        months = 3 if form == "trimestre" else 6
        if rank * months > 12:
            raise EcheanceError(f"échéance « {text} » : il n'y a que {12 // months} {form}s par an")
        return _month_end(int(groups[1]), rank * months, text)
    if form == "fin":
        return _year_end(int(groups[0]), text)
    if form == "debut":
        return _month_end(int(groups[0]), 3, text)
    if form == "saison":
        shift, month, day = SEASON_END[groups[0]]
        return _exact(_check_year(int(groups[1]), text) + shift, month, day, text)
    return _month_end(int(groups[1]), MONTHS[groups[0]], text)


def _check_year(year: int, text: str) -> int:
    """Refuse years outside a plausible span for an urban-renewal charter."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise EcheanceError(f"échéance « {text} » : l'année {year} est hors de la plage "
                            f"{MIN_YEAR}–{MAX_YEAR}")
    return year


def _year_end(year: int, text: str) -> dt.date:
    """Return 31 December of ``year``."""
    return dt.date(_check_year(year, text), 12, 31)


def _month_end(year: int, month: int, text: str) -> dt.date:
    """Return the last day of ``month``."""
    _check_year(year, text)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _exact(year: int, month: int, day: int, text: str) -> dt.date:
    """Return the date, or raise a French error for an impossible one (``2025-02-30``)."""
    _check_year(year, text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise EcheanceError(f"échéance « {text} » : cette date n'existe pas") from None


# --------------------------------------------------------------------------- the editors' pattern


def schema_pattern() -> str:
    """The JSON Schema ``pattern`` (an ECMAScript regular expression) of the échéances gusp accepts.

    Derived from the grammar's forms (:data:`_FORMS`), so a form added there reaches the
    editors' schemas with no second edit. It accepts the text as written: capitals, accents,
    ``’`` and dashes, spaces around, as :func:`fold` forgives them. What it cannot see, the
    calendar (``2025-02-30``) and the span of years, ``gusp validate`` still refuses.
    """
    forms = [_written(source) for _, source in _FORMS] + [_written(words) for words in CONTINUOUS]
    return r"^\s*(?:" + "|".join(forms) + r")\s*$"


def _written(folded: str) -> str:
    """A regular expression over folded text turned into one over the text as written.

    Handles what the grammar's sources use: literals, ``\\d`` / ``\\s`` escapes, classes,
    groups (made non-capturing), ``|`` and quantifiers; ``^`` and ``$`` are dropped.
    """
    out: list[str] = []
    i = 0
    while i < len(folded):
        char = folded[i]
        if char == "\\":
            out.append(folded[i:i + 2])
            i += 2
        elif char == "[":
            end = folded.index("]", i + 1)
            out.append(_written_class(folded[i + 1:end]))
            i = end + 1
        elif char == "(":
            named = re.match(r"\(\?P<\w+>", folded[i:])
            skip = len(named.group(0)) if named else 3 if folded.startswith("(?:", i) else 1
            out.append("(?:")
            i += skip
        elif char in "^$":
            i += 1
        elif char == "{":
            end = folded.index("}", i)
            out.append(folded[i:end + 1])
            i = end + 1
        else:
            out.append(_written_char(char))
            i += 1
    return "".join(out)


def _written_char(char: str) -> str:
    """One character of the source outside a class: a literal as it may be written, or an operator."""
    variants = _VARIANTS.get(char)
    if variants:
        return f"[{re.escape(char)}{variants}]"
    return r"\s+" if char == " " else char


def _written_class(body: str) -> str:
    """A character class of the folded text (``a-z``, ``/-``), as it may be written."""
    out = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            first, last = body[i], body[i + 2]
            out.append(f"{first}-{last}")
            out += [v for c in map(chr, range(ord(first), ord(last) + 1)) for v in _VARIANTS.get(c, "")]
            i += 3
            continue
        char = body[i]
        out.append("\\-" if char == "-" else char)
        out += list(_VARIANTS.get(char, ""))
        i += 1
    return "[" + "".join(dict.fromkeys(out)) + "]"


def _variants() -> dict[str, str]:
    """For each character of folded text, the others that fold to it in French text (``e``: ``EÈÉÊË…``):
    capitals, the accents of Latin-1 and ``Ÿ``, the typographic apostrophe and dashes."""
    found: dict[str, list[str]] = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x100), 0x178, 0x2013, 0x2014, 0x2019]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char and (folded.isalpha() or folded in "-'"):
            found.setdefault(folded, []).append(char)
    return {k: "".join(v) for k, v in found.items()}


_VARIANTS = _variants()
