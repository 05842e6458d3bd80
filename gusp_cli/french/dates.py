"""French formats: dates in words, numbers with narrow no-break spaces, percentages, euros."""

from __future__ import annotations

import datetime as dt

NNBSP = "\u202f"
"""Narrow no-break space: French thousands separator and space before « ; : ! ? % »."""

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")

STATUS_LABELS: dict[str | None, str] = {
    "a_faire": "à faire",
    "en_cours": "en cours",
    "realisee": "réalisée",
    "abandonnee": "abandonnée",
    "reportee": "reportée",
    None: "non renseigné",
    "non_renseigne": "non renseigné",
}



def format_date(date: dt.date) -> str:
    """``25 novembre 2026`` (``1er`` for the first of the month)."""
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS_FR[date.month - 1]} {date.year}"


def format_int(value: int) -> str:
    """``12 000`` with a narrow no-break space as thousands separator."""
    return f"{value:,}".replace(",", NNBSP)


def format_number(value: float) -> str:
    """``12 000`` or ``1 234,5`` (narrow no-break space, decimal comma, at most two decimals)."""
    if float(value).is_integer():
        return format_int(int(value))
    whole, _, decimals = f"{abs(value):.2f}".rstrip("0").partition(".")
    return ("-" if value < 0 else "") + format_int(int(whole)) + "," + decimals


def format_euros(value: float) -> str:
    """``12 000 €`` (cents shown only when there are some)."""
    if float(value).is_integer():
        return f"{format_int(int(value))}{NNBSP}€"
    whole, cents = f"{value:.2f}".split(".")
    return f"{format_int(int(whole))},{cents}{NNBSP}€"


def format_percent(part: int, whole: int) -> str:
    """``37 %`` (rounded; ``—`` when the whole is zero)."""
    if whole == 0:
        return "—"
    return f"{round(100 * part / whole)}{NNBSP}%"


def delay_words(since: dt.date, day: dt.date) -> str:
    """A delay as a COPIL reads it: days below two months (« 45 jours »), then months and years
    (« 5 mois », « 1 an », « 7 ans 11 mois »), counted in whole calendar months."""
    days = (day - since).days
    months = (day.year - since.year) * 12 + day.month - since.month - (day.day < since.day)
    if months < 2:
        return f"{format_int(days)} jour{'s' if abs(days) > 1 else ''}"
    years, months = divmod(months, 12)
    parts = [f"{years} an{'s' if years > 1 else ''}"] if years else []
    if months:
        parts.append(f"{months} mois")
    return " ".join(parts)


def parse_time(text: str) -> dt.time:
    """``14:30``, ``14h30``, ``14h`` or ``9:00`` as a time of day; ValueError for anything else."""
    import re

    match = re.fullmatch(r"([01]?[0-9]|2[0-3])(?::([0-5][0-9])|h([0-5][0-9])?)", text.strip())
    if match is None:
        raise ValueError(f"heure « {text} » invalide (attendu 14:30 ou 14h30)")
    return dt.time(int(match.group(1)), int(match.group(2) or match.group(3) or 0))


def format_time(value: dt.time) -> str:
    """``14 h 30``, ``9 h`` (the way French typography writes a time)."""
    return f"{value.hour}{NNBSP}h" + (f"{NNBSP}{value.minute:02d}" if value.minute else "")


def parse_delay(text: str) -> dt.timedelta:
    """``7j``, ``2h``, ``30min`` (or ``7 jours``, ``2 heures``) as a duration; ValueError otherwise."""
    import re

    match = re.fullmatch(r"\s*(\d{1,4})\s*(j|jours?|h|heures?|min|minutes?)\s*", text.lower())
    if match is None:
        raise ValueError(f"délai « {text} » invalide (attendu 7j, 2h ou 30min)")
    count, unit = int(match.group(1)), match.group(2)[0]
    units = {"j": dt.timedelta(days=1), "h": dt.timedelta(hours=1), "m": dt.timedelta(minutes=1)}
    return count * units[unit]
