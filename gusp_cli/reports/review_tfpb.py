"""The review's TFPB section: each landlord's programme of the reviewed year, planned and spent per
axis, and the charter actions its lines serve.

Self-contained (the review's structure lives in :mod:`gusp_cli.reports.review`): it reads the
programmes through :mod:`gusp_cli.governance.tfpb` and returns plain dataclasses for the templates
(``partials/tfpb.*.j2``). A charter without ``tfpb.yaml`` gets no section (None); a landlord of the
charter with no programme for the year is named, never given a made-up 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gusp_cli.governance.tfpb import AxisTotal, Line, Total, build_report, landlord_name, landlords
from gusp_cli.model.charter import Charter


@dataclass(frozen=True)
class TfpbBailleur:
    """One landlord's programme of the year."""

    nom: str
    convention: str | None
    par_axe: list[AxisTotal]
    """The axes the programme has lines on, in the charter's order."""
    lignes_liees: list[Line]
    """The lines that serve charter actions."""
    total: Total


@dataclass(frozen=True)
class TfpbRevue:
    """The TFPB section of the review of ``annee``."""

    annee: int
    bailleurs: list[TfpbBailleur]
    sans_programme: list[str]
    """Landlords of the charter with no programme recorded for the year."""


def tfpb_section(charter: Charter, annee: int, as_of: dt.date,
                 quartiers: list[str] | None = None) -> TfpbRevue | None:
    """The section for the landlords' programmes of ``annee`` (None without ``tfpb.yaml``);
    ``quartiers``: the review's selection (all when None)."""
    if charter.tfpb is None:
        return None
    selected = None if quartiers is None or len(quartiers) != 1 else quartiers[0]
    out = []
    for programme in build_report(charter, annee, as_of, quartier=selected).programmes:
        report = build_report(charter, annee, as_of, bailleur=programme.bailleur, quartier=selected)
        out.append(TfpbBailleur(programme.nom, programme.convention,
                                [a for a in report.par_axe if a.total.lignes],
                                [x for x in report.lignes if x.actions], report.total))
    recorded = {b.nom for b in out}
    missing = [landlord_name(charter, b) for b in landlords(charter, selected)
               if landlord_name(charter, b) not in recorded]
    return TfpbRevue(annee, out, missing)
