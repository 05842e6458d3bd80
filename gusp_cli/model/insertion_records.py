"""The insertion records (``insertion.yaml``) as the model sees them: semesters, the labels of their
figures, and the inner consistency of one semester's record.

A semester is written ``AAAA-S1`` (January–June) or ``AAAA-S2`` (July–December).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gusp_cli.model.errors import YamlPath

if TYPE_CHECKING:
    from gusp_cli.model.models import SemestreInsertion

SEMESTER_FORM = "AAAA-S1 (janvier à juin) ou AAAA-S2 (juillet à décembre), ex. 2025-S2"
_SEMESTER = re.compile(r"^(\d{4})-S([12])$")

MODALITES = (("embauche_directe", "Embauche directe"), ("interim", "Intérim"),
             ("alternance", "Alternance"), ("formation", "Formation"), ("autre", "Autre"))
PROFIL = (("femmes", "Femmes"), ("hommes", "Hommes"), ("moins_26", "Moins de 26 ans"),
          ("de_26_a_49", "26 à 49 ans"), ("plus_50", "50 ans et plus"),
          ("residents_qpv", "Résidents d'un quartier prioritaire (QPV)"))
SITUATIONS = (("emploi_durable", "Emploi durable"), ("emploi_temporaire", "Emploi temporaire"),
              ("formation", "Formation"), ("sans_emploi", "Sans emploi"), ("inconnue", "Situation inconnue"))
_SITUATION_KEYS = tuple(k for k, _ in SITUATIONS)


class SemesterError(ValueError):
    """A semester that is not written ``AAAA-S1``/``AAAA-S2``."""


@dataclass(frozen=True, order=True)
class Semester:
    """A half-year: ``year`` and ``half`` (1 for January–June, 2 for July–December)."""

    year: int
    half: int

    @property
    def label(self) -> str:
        """``2025-S2``."""
        return f"{self.year}-S{self.half}"

    @property
    def start(self) -> dt.date:
        """First day."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        """Last day."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    def next(self) -> Semester:
        """The following semester."""
        return Semester(self.year, 2) if self.half == 1 else Semester(self.year + 1, 1)

    def previous(self) -> Semester:
        """The preceding semester."""
        return Semester(self.year, 1) if self.half == 2 else Semester(self.year - 1, 2)


def parse_semester(text: str, *, strict: bool = False) -> Semester:
    """Parse ``2025-S2`` (unless ``strict``, also ``2025-s2``, ``S2 2025``); else :class:`SemesterError`."""
    clean = text if strict else text.strip().upper().replace(" ", "")
    swapped = None if strict else re.match(r"^S([12])[-/]?(\d{4})$", clean)
    if swapped:
        clean = f"{swapped.group(2)}-S{swapped.group(1)}"
    match = _SEMESTER.match(clean)
    if not match:
        raise SemesterError(f"semestre « {text} » invalide (forme attendue : {SEMESTER_FORM})")
    return Semester(int(match.group(1)), int(match.group(2)))


def semester_of(date: dt.date) -> Semester:
    """The semester a date falls in."""
    return Semester(date.year, 1 if date.month <= 6 else 2)


def semesters_between(first: Semester, last: Semester) -> list[Semester]:
    """Every semester from ``first`` to ``last`` included (empty when ``last`` is before ``first``)."""
    out: list[Semester] = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


# --------------------------------------------------------------------------- consistency


def inconsistencies(record: SemestreInsertion) -> Iterator[tuple[YamlPath, str]]:
    """Parts that exceed their whole in one record, as (path inside the record, French message)."""
    total = record.heures_travaux + record.heures_gup
    if record.modalites is not None:
        split = sum(getattr(record.modalites, key) for key, _ in MODALITES)
        if split > total + 1e-6:
            yield ("modalites",), (f"heures par modalité ({_h(split)}) supérieures aux heures d'insertion "
                                   f"du semestre ({_h(total)} = travaux + GUP)")
    for part, whole in (("heures_travaux", "heures_marches_travaux"), ("heures_gup", "heures_marches_gup")):
        base = getattr(record, whole)
        if base is not None and getattr(record, part) > base + 1e-6:
            yield (part,), (f"{part} ({_h(getattr(record, part))}) supérieur à {whole} ({_h(base)}) : "
                            "les heures d'insertion font partie des heures des marchés")
    if total > 0 and record.beneficiaires == 0:
        yield ("beneficiaires",), f"{_h(total)} d'insertion mais aucun bénéficiaire"
    yield from _count_inconsistencies(record)


def _count_inconsistencies(record: SemestreInsertion) -> Iterator[tuple[YamlPath, str]]:
    """Profile and situation counts never exceed the number of beneficiaries."""
    n = record.beneficiaires
    groups: list[tuple[YamlPath, object, tuple[str, ...], str]] = [
        (("profil",), record.profil, ("femmes", "hommes"), "femmes + hommes"),
        (("profil",), record.profil, ("moins_26", "de_26_a_49", "plus_50"), "tranches d'âge"),
        (("profil",), record.profil, ("residents_qpv",), "résidents QPV"),
        (("situation_6_mois",), record.situation_6_mois, _SITUATION_KEYS, "situations à 6 mois"),
        (("situation_12_mois",), record.situation_12_mois, _SITUATION_KEYS, "situations à 12 mois"),
    ]
    for path, block, keys, what in groups:
        if block is None:
            continue
        count = sum(getattr(block, k) or 0 for k in keys)
        if count > n:
            yield path, f"{what} = {count}, plus que les {n} bénéficiaires du semestre"


def _h(hours: float) -> str:
    """``1 234 h`` (decimals only when there are some)."""
    from gusp_cli.french.dates import format_int

    whole = format_int(round(hours)) if float(hours).is_integer() else f"{hours:.1f}".replace(".", ",")
    return f"{whole} h"
