"""Insertion clauses: semester records, their indicators, cumulation, objectives, missing semesters.

A semester is written ``AAAA-S1`` (January–June) or ``AAAA-S2`` (July–December). The records of
``insertion.yaml`` hold aggregates only (hours, counts); the indicators are sums over records and
shares of a base (insertion hours, beneficiaries, companies). Cumulated beneficiaries are the sum
of the semesters: aggregates cannot tell that one person was counted in two semesters.

An objective is a share of the hours worked on a perimeter (``travaux``, ``gup`` or ``ensemble``):
the insertion hours divided by all the hours of the contracts of that perimeter
(``heures_marches_travaux``/``heures_marches_gup``). Without those bases the rate is not computable,
and the report says so rather than guessing. A charter without ``objectifs`` has one objective,
its ``objectif_pourcentage``, measured on all hours (``ensemble``).

Nothing here reads the clock: the as-of date is an argument.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import UsageError
from gusp_cli.model.insertion_records import (
    MODALITES,
    PROFIL,
    SITUATIONS,
    Semester,
    SemesterError,
    parse_semester,
    semester_of,
    semesters_between,
)
from gusp_cli.model.vocabulary import PerimetreInsertion

if TYPE_CHECKING:
    from gusp_cli.model.models import Charte, SemestreInsertion

_Fn = Callable[[list["SemestreInsertion"]], tuple[float | None, float | None]]
"""An indicator: records -> (value, share in percent)."""

PERIMETRES = {"travaux": "travaux", "gup": "marchés de GUP", "ensemble": "ensemble des marchés"}


# --------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class Objective:
    """A share of hours to reach on a perimeter."""

    perimetre: str
    pourcentage: float
    texte: str | None = None

    @property
    def label(self) -> str:
        """``10 % des heures — marchés de GUP``."""
        return f"{_pct(self.pourcentage)} des heures — {PERIMETRES[self.perimetre]}"


def objectives(charte: Charte | None) -> list[Objective]:
    """The charter's objectives: its ``objectifs``, else ``objectif_pourcentage`` on all hours.

    An objective without its own text that restates ``objectif_pourcentage`` quotes ``objectif_texte``.
    """
    if charte is None or charte.insertion is None:
        return []
    ins = charte.insertion
    if ins.objectifs:
        same = ins.objectif_texte
        return [Objective(o.perimetre.value, o.pourcentage,
                          o.texte or (same if o.pourcentage == ins.objectif_pourcentage else None))
                for o in ins.objectifs]
    return [Objective(PerimetreInsertion.ensemble.value, ins.objectif_pourcentage, ins.objectif_texte)]


@dataclass
class Attainment:
    """An objective measured on some records."""

    objective: Objective
    heures: float
    """Insertion hours on the perimeter."""
    base: float | None
    """All hours of the perimeter's contracts (None when a record lacks them)."""
    sans_base: list[str] = field(default_factory=list)
    """Semesters whose contract hours are not reported."""

    @property
    def taux(self) -> float | None:
        """Insertion hours / contract hours, in percent (None when not computable)."""
        if self.base is None or self.base == 0:
            return None
        return 100 * self.heures / self.base

    @property
    def atteint(self) -> bool | None:
        """True when the rate reaches the objective (None when not computable)."""
        return None if self.taux is None else self.taux + 1e-9 >= self.objective.pourcentage


def attainment(objective: Objective, records: Iterable[SemestreInsertion]) -> Attainment:
    """Measure ``objective`` on ``records``."""
    hours, base, missing = 0.0, 0.0, []
    for rec in records:
        parts = [("heures_travaux", "heures_marches_travaux"), ("heures_gup", "heures_marches_gup")]
        if objective.perimetre != "ensemble":
            parts = [p for p in parts if p[0].endswith(objective.perimetre)]
        for part, whole in parts:
            hours += getattr(rec, part)
            value = getattr(rec, whole)
            if value is None:
                missing.append(rec.semestre)
            else:
                base += value
    missing = list(dict.fromkeys(missing))
    return Attainment(objective, hours, None if missing else base, missing)


# --------------------------------------------------------------------------- indicators


@dataclass
class Line:
    """One indicator line: a value and, when it has one, its share of a base."""

    rubrique: str
    indicateur: str
    unite: str
    semestre: float | None
    part_semestre: float | None
    cumul: float | None
    part_cumul: float | None


def _sum(values: Iterable[float | None]) -> float | None:
    """Sum of the reported values (None when none is reported)."""
    reported = [v for v in values if v is not None]
    return sum(reported) if reported else None


def _share(value: float | None, base: float | None) -> float | None:
    """``value / base`` in percent (None when either is missing or the base is 0)."""
    if value is None or not base:
        return None
    return 100 * value / base


def _counted(records: list[SemestreInsertion], block: str, key: str) -> tuple[float | None, float | None]:
    """(sum of a profile/situation count, beneficiaries of the records that report it)."""
    pairs = [(getattr(getattr(r, block), key), r.beneficiaires) for r in records
             if getattr(r, block) is not None and getattr(getattr(r, block), key) is not None]
    if not pairs:
        return None, None
    return sum(v for v, _ in pairs), sum(b for _, b in pairs)


def _line(rubrique: str, indicateur: str, unite: str, semestre: tuple[float | None, float | None],
          cumul: tuple[float | None, float | None]) -> Line:
    """A line from (value, share) pairs."""
    return Line(rubrique, indicateur, unite, semestre[0], semestre[1], cumul[0], cumul[1])


def indicator_lines(current: list[SemestreInsertion], cumul: list[SemestreInsertion]) -> list[Line]:
    """The six ANRU indicators, for the semester's records and for the cumulated ones."""
    lines: list[Line] = []
    for rubrique, build in (("Heures", _hours), ("Modalités", _modalities), ("Entreprises", _companies),
                            ("Bénéficiaires", _beneficiaries), ("Situation à 6 mois", _situation_6),
                            ("Situation à 12 mois", _situation_12)):
        for indicateur, unite, fn in build(cumul):
            lines.append(_line(rubrique, indicateur, unite, fn(current), fn(cumul)))
    return lines


def _hours(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Hours worked in insertion, and the contract hours when reported."""
    def field_sum(key: str) -> _Fn:
        return lambda rs: (_sum(getattr(r, key) for r in rs) if rs else None, None)

    def total(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
        return (sum(r.heures_travaux + r.heures_gup for r in rs) if rs else None), None

    return [("Heures d'insertion — travaux", "h", field_sum("heures_travaux")),
            ("Heures d'insertion — GUP", "h", field_sum("heures_gup")),
            ("Heures d'insertion — total", "h", total),
            ("Heures des marchés — travaux", "h", field_sum("heures_marches_travaux")),
            ("Heures des marchés — GUP", "h", field_sum("heures_marches_gup"))]


def _modalities(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Hours by arrangement, with their share of the insertion hours of the records that report them."""
    def by(key: str) -> _Fn:
        def fn(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
            reported = [r for r in rs if r.modalites is not None]
            if not reported:
                return None, None
            value = sum(getattr(r.modalites, key) for r in reported)
            return value, _share(value, sum(r.heures_travaux + r.heures_gup for r in reported))
        return fn

    return [(label, "h", by(key)) for key, label in MODALITES]


def _companies(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Number of contracting companies, then one line per size and sector found in ``cumul``."""
    def total(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
        if not any(r.entreprises for r in rs):
            return None, None
        return sum(e.nombre for r in rs for e in r.entreprises), None

    def by(size: str, sector: str) -> _Fn:
        def fn(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
            value, base = total(rs)
            if value is None:
                return None, None
            n = sum(e.nombre for r in rs for e in r.entreprises if (e.taille, e.secteur) == (size, sector))
            return n, _share(n, base)
        return fn

    kinds = sorted({(e.taille, e.secteur) for r in cumul for e in r.entreprises})
    return [("Entreprises attributaires", "entreprises", total)] + [
        (f"{size} — {sector}", "entreprises", by(size, sector)) for size, sector in kinds]


def _beneficiaries(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Number of beneficiaries and their profile."""
    def total(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
        return (sum(r.beneficiaires for r in rs) if rs else None), None

    def by(key: str) -> _Fn:
        def fn(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
            value, base = _counted(rs, "profil", key)
            return value, _share(value, base)
        return fn

    return [("Bénéficiaires", "personnes", total)] + [(label, "personnes", by(key)) for key, label in PROFIL]


def _situation(block: str) -> list[tuple[str, str, _Fn]]:
    """Situations some months after insertion."""
    def by(key: str) -> _Fn:
        def fn(rs: list[SemestreInsertion]) -> tuple[float | None, float | None]:
            value, base = _counted(rs, block, key)
            return value, _share(value, base)
        return fn

    return [(label, "personnes", by(key)) for key, label in SITUATIONS]


def _situation_6(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Situation at 6 months."""
    return _situation("situation_6_mois")


def _situation_12(cumul: list[SemestreInsertion]) -> list[tuple[str, str, _Fn]]:
    """Situation at 12 months."""
    return _situation("situation_12_mois")


# --------------------------------------------------------------------------- report


@dataclass
class Report:
    """Everything ``gusp insertion`` shows."""

    as_of: dt.date
    semestre: Semester | None
    """The semester shown (None when nothing is recorded and none was asked)."""
    record: SemestreInsertion | None
    cumul_de: Semester | None
    """First semester of the cumulation."""
    lines: list[Line]
    objectifs: list[tuple[Attainment, Attainment]]
    """Each objective measured on the semester and on the cumulation."""
    attendus: list[Semester]
    manquants: list[Semester]
    indicateurs_charte: list[str]
    enregistres: int
    """Number of semester records."""
    fichier_present: bool


def recorded(charter: Charter) -> dict[Semester, SemestreInsertion]:
    """Valid semester records by semester (the first one when a semester is duplicated)."""
    out: dict[Semester, SemestreInsertion] = {}
    for rec in charter.insertion.semestres if charter.insertion else []:
        try:
            out.setdefault(parse_semester(rec.semestre), rec)
        except SemesterError:
            continue
    return out


def due_semesters(charter: Charter, as_of: dt.date) -> list[Semester]:
    """Semesters a report is due for: from the first due one to the last one ended at ``as_of``
    (none for a charter that declares no insertion clause and records none)."""
    if charter.charte is None or (charter.charte.insertion is None and charter.insertion is None):
        return []
    first = Semester(charter.charte.periode.debut, 1)
    if charter.insertion is not None and charter.insertion.premier_semestre:
        with contextlib.suppress(SemesterError):
            first = parse_semester(charter.insertion.premier_semestre)
    last = min(semester_of(as_of).previous(), Semester(charter.charte.periode.fin, 2))
    return semesters_between(first, last)


def build_report(charter: Charter, as_of: dt.date, semestre: str | None = None) -> Report:
    """The indicators of one semester (default: the latest recorded) and cumulated up to it."""
    records = recorded(charter)
    if semestre is not None:
        try:
            chosen: Semester | None = parse_semester(semestre)
        except SemesterError as exc:
            raise UsageError(f"--semestre : {exc}") from None
    else:
        chosen = max(records) if records else None
    current = [records[chosen]] if chosen in records else []
    cumul = [r for s, r in sorted(records.items()) if chosen is not None and s <= chosen]
    due = due_semesters(charter, as_of)
    pairs = [(attainment(o, current), attainment(o, cumul)) for o in objectives(charter.charte)]
    ins = charter.charte.insertion if charter.charte else None
    return Report(as_of, chosen, records.get(chosen) if chosen else None,
                  min((s for s in records if chosen and s <= chosen), default=None),
                  indicator_lines(current, cumul) if records else [], pairs, due,
                  [s for s in due if s not in records], ins.indicateurs if ins else [], len(records),
                  charter.insertion is not None)


def _pct(value: float) -> str:
    """``10 %`` or ``12,5 %`` (narrow no-break space)."""
    from gusp_cli.french.dates import NNBSP

    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}{NNBSP}%"

