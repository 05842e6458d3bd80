"""The closed vocabularies of a charter (phases, statuses, kinds of party...), without pydantic.

They are plain string enums: the models use them for validation, and the query path (which reads
validated values from the cache, without importing pydantic) compares against the same members.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Frequence", "PerimetreInsertion", "Phase", "Statut", "TypeActeur"]

ENUMS: dict[str, type[StrEnum]] = {}
"""Every vocabulary by class name (filled below), for rebuilding cached values."""


class Phase(StrEnum):
    """Phase of the urban renewal project an action table belongs to."""

    actuelle = "actuelle"
    chantier = "chantier"
    post_chantier = "post_chantier"


class Statut(StrEnum):
    """Progress status of an action. Absent means not reported yet."""

    a_faire = "a_faire"
    en_cours = "en_cours"
    realisee = "realisee"
    abandonnee = "abandonnee"
    reportee = "reportee"


class TypeActeur(StrEnum):
    """Kind of party."""

    epci = "epci"
    commune = "commune"
    bailleur = "bailleur"
    etat = "etat"
    association = "association"
    promoteur = "promoteur"
    etablissement_public = "etablissement_public"
    collectif = "collectif"
    autre = "autre"


class Frequence(StrEnum):
    """A rhythm: how often a body meets, or an ongoing action is carried out (shortest first)."""

    hebdomadaire = "hebdomadaire"
    bimensuelle = "bimensuelle"
    """Twice a month."""
    mensuelle = "mensuelle"
    bimestrielle = "bimestrielle"
    trimestrielle = "trimestrielle"
    semestrielle = "semestrielle"
    annuelle = "annuelle"


class PerimetreInsertion(StrEnum):
    """Hours an insertion objective is measured on."""

    travaux = "travaux"
    gup = "gup"
    ensemble = "ensemble"


ENUMS.update({e.__name__: e for e in (Phase, Statut, TypeActeur, Frequence, PerimetreInsertion)})
