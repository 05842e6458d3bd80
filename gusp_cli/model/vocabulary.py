"""The closed vocabularies of a charter (phases, statuses, kinds of party...), without pydantic.

They are plain string enums: the models use them for validation, and the query path (which reads
validated values from the cache, without importing pydantic) compares against the same members.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EtatSignalement", "Frequence", "PerimetreInsertion", "Phase", "SourceSignalement", "Statut",
           "TypeActeur", "TypeDimension"]

ENUMS: dict[str, type[StrEnum]] = {}
"""Every vocabulary by class name (filled below), for rebuilding cached values."""


class Phase(StrEnum):
    """The default phases of the urban renewal project (a charter may declare its own)."""

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


class TypeDimension(StrEnum):
    """Kind of value of an evaluation dimension."""

    oui_non = "oui_non"
    montant = "montant"
    nombre = "nombre"
    texte = "texte"


class PerimetreInsertion(StrEnum):
    """Hours an insertion objective is measured on."""

    travaux = "travaux"
    gup = "gup"
    ensemble = "ensemble"


class EtatSignalement(StrEnum):
    """Where a field problem of the veille stands."""

    ouvert = "ouvert"
    """Recorded, not solved yet."""
    transmis = "transmis"
    """Not a GUSP problem: relayed to the arrangement that deals with it (CLSPD, a service...)."""
    traite = "traite"
    """Dealt with by the responsible party, to be checked."""
    clos = "clos"
    """Closed."""


class SourceSignalement(StrEnum):
    """How a field problem came to be known."""

    tour_de_quartier = "tour_de_quartier"
    diagnostic_en_marchant = "diagnostic_en_marchant"
    comite_de_proximite = "comite_de_proximite"
    reunion = "reunion"
    """Another meeting of a body or of partners."""
    habitant = "habitant"
    partenaire = "partenaire"
    autre = "autre"


ENUMS.update({e.__name__: e for e in (Phase, Statut, TypeActeur, Frequence, PerimetreInsertion,
                                      TypeDimension, EtatSignalement, SourceSignalement)})
