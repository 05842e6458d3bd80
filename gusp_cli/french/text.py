"""Text helpers: accent- and case-insensitive matching, suggestions, French plurals."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents, with ``œ``/``æ`` spelt out and spaces collapsed.

    NFD-decomposed input folds like its composed form, so ``é`` typed either way matches.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    stripped = stripped.replace("’", "'").replace("–", "-").replace("—", "-")
    return " ".join(stripped.casefold().split())


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates close to ``word`` (accent- and case-insensitive)."""
    by_fold: dict[str, str] = {}
    for cand in candidates:
        by_fold.setdefault(fold(cand), cand)
    found = difflib.get_close_matches(fold(word), list(by_fold), n=n, cutoff=0.6)
    return [by_fold[f] for f in found]


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """Return `` — vouliez-vous dire « x » ?`` when a candidate is close, else an empty string."""
    found = closest(word, candidates, n=1)
    return f" — vouliez-vous dire « {found[0]} » ?" if found else ""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``"<count> <word>"`` with the French plural (0 and 1 take the singular)."""
    return f"{count} {agree(count, singular, plural_form)}"


def agree(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone, agreed with ``count``: ``agree(5, "écrite")`` is ``écrites`` (0 and 1: singular)."""
    return singular if count <= 1 else (plural_form or singular + "s")


_MASCULINE = frozenset({"comite", "conseil", "groupe", "bureau", "college", "copil", "cotech", "jury"})
_FEMININE = frozenset({"commission", "cellule", "conference", "reunion", "instance", "equipe", "table"})


def _article(name: str) -> tuple[str | None, str]:
    """The gender of a body's name from its first word (``m``, ``f``, ``v`` before a vowel, None when
    not known) and the name as it reads after an article (an acronym keeps its capitals)."""
    first = fold(name).split(" ", 1)[0] if name.strip() else ""
    word = name.split(" ", 1)[0]
    lower = name if word.isupper() else name[:1].lower() + name[1:]
    if first in _MASCULINE:
        return "m", lower
    if first in _FEMININE:
        return "f", lower
    if first[:1] in "aeiouyh" and first:
        return "v", lower
    return None, lower


def of_the(name: str) -> str:
    """« du comité de pilotage », « de la commission locale », « de l’assemblée… »: ``name`` after
    « de » with its article, from the gender of its first word; « : Nom » when it is not known."""
    gender, lower = _article(name)
    return {"m": f"du {lower}", "f": f"de la {lower}", "v": f"de l’{lower}"}.get(gender or "", f": {name}")


def to_the(name: str) -> str:
    """« au comité technique », « à la commission locale », « à l’assemblée… »; « à l’instance
    « Nom » » when the gender is not known."""
    gender, lower = _article(name)
    return {"m": f"au {lower}", "f": f"à la {lower}", "v": f"à l’{lower}"}.get(
        gender or "", f"à l’instance « {name} »")


def the(name: str) -> str:
    """« le comité de pilotage », « la commission locale », « l’assemblée… »; « l’instance
    « Nom » » when the gender is not known."""
    gender, lower = _article(name)
    return {"m": f"le {lower}", "f": f"la {lower}", "v": f"l’{lower}"}.get(
        gender or "", f"l’instance « {name} »")
