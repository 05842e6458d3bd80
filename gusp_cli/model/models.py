"""The YAML vocabulary of a GUSP charter repository, as pydantic models.

Field names are exactly the YAML keys (French, ASCII, snake_case). Every field carries a docstring
(read by :mod:`gusp_cli.model.fielddocs`), which also ends up in the JSON Schemas. The closed
vocabularies (enums) live in :mod:`gusp_cli.model.vocabulary`. This module does no I/O.

It does not use ``from __future__ import annotations``: pydantic would then compile and evaluate
each of the 270 annotations from its text when it builds the models, on every command that
validates a file (6 ms, measured); written as objects, Python builds them with the classes.
"""

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from gusp_cli.model.vocabulary import (
    EtatSignalement,
    Frequence,
    PerimetreInsertion,
    SourceSignalement,
    Statut,
    TypeActeur,
    TypeDimension,
)

__all__ = [
    "Acteur",
    "Action",
    "Charte",
    "Evaluation",
    "Quartier",
    "Registre",
    "RegistreTfpb",
    "Signalement",
    "Signalements",
    "Statut",
    "Suivi",
    "Tableau",
    "Territoire",
]


def _year_to_str(value: Any) -> Any:
    """Accept ``echeance: 2025`` (a YAML integer) as the string ``"2025"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _strict_bool(value: Any) -> Any:
    """Accept only YAML booleans: ``no``/``yes``/``0`` are YAML 1.1 traps, refused here."""
    if isinstance(value, bool) or value is None:
        return value
    raise ValueError(f"attendu true ou false (reçu {value!r})")


def _new_list() -> list[Any]:
    """An empty list, the default of a list field.

    A function rather than ``list``: pydantic inspects each default factory's signature when it
    builds a model, and a builtin's is parsed from its text by :mod:`tokenize` (213 µs against 13 for
    a function, measured; 57 fields: about 11 ms of every command that validates a file)."""
    return []


def _new_dict() -> dict[str, Any]:
    """An empty table, the default of a table field (a function: see :func:`_new_list`)."""
    return {}


Booleen = Annotated[bool, BeforeValidator(_strict_bool)]
EcheanceTexte = Annotated[str, BeforeValidator(_year_to_str)]
Identifiant = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
NumeroTexte = Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)+$")]
"""A hierarchical action number as conventions write it (``1.2``, ``1.2.3``; a plain number is an
integer)."""
Parties = Identifiant | Annotated[list[Identifiant], Field(min_length=1)]
"""One party id, or several (a role filled by several bailleurs in one quartier)."""
ActionId = Annotated[str, Field(pattern=r"^[A-Z]{2,5}-[0-9]{3,}$")]
"""An action id (``CEN-042``), where a record names an action."""
SignalementId = Annotated[str, Field(pattern=r"^SIG-[0-9]{4}-[0-9]{4,}$")]
"""A signalement id: ``SIG``, the year it was seen, a number (``SIG-2026-0001``)."""
Texte = Annotated[str, Field(min_length=1)]
"""A text that may not be empty."""
Heure = Annotated[str, Field(pattern=r"^([01]?[0-9]|2[0-3])(:[0-5][0-9]|h([0-5][0-9])?)$")]
"""A time of day as the French write it: ``14:30``, ``14h30``, ``14h``, ``9:00``."""


class _Model(BaseModel):
    """Base of every model: unknown keys are errors.

    The docstring under each field documents it; :mod:`gusp_cli.model.fielddocs` reads them for the
    JSON Schemas (not at class creation: that would slow every start of the CLI).
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=False,
        frozen=False,
        # Each model's validator is built on its first use, not at import: an edit validates one
        # quartier file, and builds the 16 models a quartier holds, not the 53 (measured: importing
        # this module and validating one quartier, 150–290 → 140–200 ms CPU).
        # ``tests/model/test_models.py`` holds it.
        defer_build=True,
    )


# --------------------------------------------------------------------------- actions


class Suivi(_Model):
    """One dated follow-up entry of an action."""

    date: dt.date
    """Date of the event (ISO, YYYY-MM-DD)."""
    statut: Statut | None = None
    """Status set on that date, if the entry changes it."""
    note: str | None = None
    """Free comment."""
    motif: str | None = None
    """Reason of an amendment (deadline moved, label changed...)."""
    champ: str | None = None
    """For an amendment: the field that changed (``echeance``, ``libelle``, ``responsables``), or
    ``action`` for an action added by amendment (it did not exist before that date)."""
    ancienne_valeur: str | None = None
    """For an amendment: the former value, as written."""
    auteur: str | None = None
    """Who reported it (person or party id)."""
    public: Booleen = False
    """True when the note may be published (``gusp publish``); otherwise the published site shows
    only that an update was made on that date."""


class Evaluation(_Model):
    """The charter's evaluation table for one action. Blank means not reported.

    The four fields below are the default grid's dimensions; a charter that
    declares its own grid (``grille_evaluation`` in ``charte.yaml``) records the other dimensions
    under ``autres``.
    """

    deployee: Booleen | None = None
    """The action has been deployed on the quartier."""
    cout: Annotated[float, Field(ge=0)] | None = None
    """Cost of the operation, in euros."""
    clauses_insertion_respectees: Booleen | None = None
    """Insertion clauses respected."""
    qualite_de_vie_amelioree: Booleen | None = None
    """Improvement of the residents' quality of life validated."""
    commentaire: str | None = None
    """Free comment on the evaluation."""
    autres: dict[Identifiant, Booleen | float | str] = Field(default_factory=_new_dict)
    """Values of the dimensions a charter declares beyond the four above, by dimension id."""


class ValeurIndicateur(_Model):
    """A dated value of a result indicator."""

    date: dt.date
    """Date of the measure (ISO, YYYY-MM-DD)."""
    valeur: float | str
    """The value measured (a number, or text when it is not one)."""
    note: str | None = None
    """Comment on the measure (source, perimeter)."""


class Indicateur(_Model):
    """A result indicator of a fiche action: what is measured, its target, its values over time."""

    libelle: Annotated[str, Field(min_length=1)]
    """What is measured, as the fiche action words it."""
    unite: str | None = None
    """Unit (``%``, ``logements``, ``passages``...)."""
    cible: float | str | None = None
    """The target value, when stated."""
    valeurs: list[ValeurIndicateur] = Field(default_factory=_new_list)
    """Dated values, oldest first."""


class Financement(_Model):
    """A financing line of an action's means."""

    financeur: Annotated[str, Field(min_length=1)]
    """Who finances: an actor id of the registry, or the financer's name as written (ANRU...)."""
    montant: Annotated[float, Field(ge=0)]
    """Amount, in euros."""


class Moyens(_Model):
    """The means of a fiche action: planned cost, financing, human means."""

    cout_prevu: Annotated[float, Field(ge=0)] | None = None
    """Planned cost, in euros."""
    financements: list[Financement] = Field(default_factory=_new_list)
    """Financing lines (financer and amount)."""
    moyens_humains: str | None = None
    """Human means, as written (« 1 ETP d'agent de médiation »)."""


class Action(_Model):
    """A numbered action of an action table."""

    id: Annotated[str, Field(pattern=r"^[A-Z]{2,5}-[0-9]{3,}$")]
    """Stable identifier, unique across the charter, never reused (e.g. ``CEN-042``)."""
    numero: Annotated[int, Field(ge=1)] | NumeroTexte
    """Number of the action within its table, as in the charter: an integer, or a text such as
    ``1.2.3`` for conventions numbered by axis and objective."""
    libelle: Annotated[str, Field(min_length=1)]
    """Label of the action, in the charter's words."""
    responsables: Annotated[list[Identifiant], Field(min_length=1)]
    """Responsible parties: actor ids or role ids (``ville``, ``bailleur``)."""
    pilote: Identifiant | None = None
    """The party that leads the action (an actor or role id, one of ``responsables``); the others
    are its associated partners."""
    echeance: EcheanceTexte | None = None
    """Deadline as written in the charter (``2023``, ``Été 2022``, ``2023/2024``...); for an ongoing
    action (``frequence``), the date by which it must be in place."""
    frequence: Frequence | None = None
    """Rhythm of an ongoing arrangement (a permanence, a collection...), only when the charter states
    one: once in place it stays on time while follow-up entries keep that rhythm."""
    statut: Statut | None = None
    """Current status; absent means not reported (never inferred)."""
    date_realisation: dt.date | None = None
    """Completion date, required when the status is ``realisee``."""
    suivi: list[Suivi] = Field(default_factory=_new_list)
    """Dated follow-up entries, oldest first."""
    evaluation: Evaluation | None = None
    """Evaluation (deployed, cost, insertion clauses, quality of life)."""
    etiquettes: list[str] = Field(default_factory=_new_list)
    """Free tags (e.g. ``tfpb``)."""
    objectif: Identifiant | None = None
    """Objective the action serves (declared under ``axes`` in ``charte.yaml``), when it is not
    its table's."""
    public_cible: str | None = None
    """Who the action is for, as the fiche action says."""
    localisation: str | None = None
    """Where it takes place (streets, buildings, sector), as written."""
    indicateurs: list[Indicateur] = Field(default_factory=_new_list)
    """Result indicators: target and dated values."""
    moyens: Moyens | None = None
    """Planned cost, financing and human means."""
    signalements: list[SignalementId] = Field(default_factory=_new_list)
    """Ids of the field problems of ``signalements.yaml`` the action was created from (``gusp
    signals to-action``); each names the action back."""


class Tableau(_Model):
    """An action table of a quartier's programme."""

    titre: Annotated[str, Field(min_length=1)]
    """Table heading as written in the charter."""
    phase: Identifiant | None = None
    """Phase id: one of the phases ``charte.yaml`` declares (default: ``actuelle``, ``chantier``,
    ``post_chantier``); absent in a charter that declares none."""
    secteur: Identifiant | None = None
    """Sector id (from the quartier's ``secteurs``); absent when the table covers the quartier."""
    theme: str | None = None
    """Thematic block the table stands under, as written."""
    objectif: Identifiant | None = None
    """Objective the table's actions serve (declared under ``axes`` in ``charte.yaml``)."""
    quartiers: list[Identifiant] = Field(default_factory=_new_list)
    """For a table of ``territoire.yaml``: the quartiers it covers (all of them when empty)."""
    actions: list[Action] = Field(default_factory=_new_list)
    """Numbered actions, in charter order."""


# --------------------------------------------------------------------------- quartier


class ChiffreCle(_Model):
    """A context figure of a quartier."""

    libelle: str
    """What is measured, as the charter words it."""
    valeur: float | str
    """The value (a number, or text when the charter gives no plain number)."""
    unite: str | None = None
    """Unit (``habitants``, ``%``, ``€``...)."""
    annee: int | None = None
    """Year of the figure, when stated."""
    perimetre: str | None = None
    """Perimeter the figure applies to, when not the whole quartier."""


class Secteur(_Model):
    """A geographic sector of a quartier."""

    id: Identifiant
    """Identifier, unique within the quartier."""
    nom: str
    """Name."""
    titre: str | None = None
    """Heading as written in the charter's programme, when there is one."""
    description: str | None = None
    """What the charter says of the sector."""


class DiagnosticThematique(_Model):
    """A theme of the thematic diagnostic."""

    titre: str
    """Theme heading as written."""
    texte: str
    """The diagnostic text."""


class Diagnostic(_Model):
    """The quartier's diagnostic (SWOT and themes)."""

    forces: str | None = None
    """Strengths."""
    faiblesses: str | None = None
    """Weaknesses."""
    opportunites: str | None = None
    """Opportunities."""
    menaces: str | None = None
    """Threats."""
    thematiques: list[DiagnosticThematique] = Field(default_factory=_new_list)
    """Thematic diagnostics."""


class LigneGestion(_Model):
    """A row of a descriptive management table (existing arrangements)."""

    rubrique: str
    """Row heading (left column)."""
    description: str
    """Existing arrangement (right column)."""


class TableauGestion(_Model):
    """A descriptive table of existing management arrangements (not numbered actions)."""

    titre: str
    """Heading as written."""
    axe: str | None = None
    """Management axis the table belongs to (proximité, technique, sociale, insertion)."""
    lignes: list[LigneGestion] = Field(default_factory=_new_list)
    """Rows."""


class Participation(_Model):
    """Residents' participation modalities."""

    texte: str | None = None
    """Introduction."""
    modalites: list[str] = Field(default_factory=_new_list)
    """Modalities and planned events, one per item, as written."""


class Quartier(_Model):
    """A renewal neighbourhood: context, diagnostic and action programme."""

    id: Identifiant
    """Identifier (``centre``, ``gare``); also the file name."""
    nom: str
    """Display name."""
    titre: str | None = None
    """Heading as written in the charter."""
    commune: str
    """Commune."""
    alias: list[str] = Field(default_factory=_new_list)
    """Other names users type for this quartier (matched loosely)."""
    roles: dict[Identifiant, Parties] = Field(default_factory=_new_dict)
    """Role resolution in this quartier: role id -> actor id (``bailleur: maisons_et_cites``), or
    several actor ids when several parties fill the role (``bailleur: [nantes_habitat, aiguillon]``)."""
    contexte: str | None = None
    """Presentation of the quartier and its context."""
    chiffres_cles: list[ChiffreCle] = Field(default_factory=_new_list)
    """Key context figures."""
    secteurs: list[Secteur] = Field(default_factory=_new_list)
    """Geographic sectors."""
    diagnostic: Diagnostic | None = None
    """Current diagnostic."""
    gestion_existante: list[TableauGestion] = Field(default_factory=_new_list)
    """Descriptive tables of existing management arrangements."""
    programme: str | None = None
    """Introduction of the action programme."""
    tableaux: list[Tableau] = Field(default_factory=_new_list)
    """Action tables, in charter order."""
    participation: Participation | None = None
    """Residents' participation modalities."""


class Territoire(_Model):
    """The charter-wide actions (``territoire.yaml``, optional): tables like a quartier's, whose
    actions cover the whole territory, or the quartiers each table lists."""

    nom: str = "Ensemble du territoire"
    """Display name of the charter-wide actions."""
    alias: list[str] = Field(default_factory=_new_list)
    """Other names users type for it (matched loosely)."""
    roles: dict[Identifiant, Parties] = Field(default_factory=_new_dict)
    """Role resolution for charter-wide actions; a role not listed here is filled by the parties
    that fill it in the quartiers a table covers."""
    programme: str | None = None
    """Introduction of the charter-wide programme."""
    tableaux: list[Tableau] = Field(default_factory=_new_list)
    """Action tables, in charter order."""


# --------------------------------------------------------------------------- registry


class Role(_Model):
    """A role used in action tables, resolved per quartier (``ville``, ``bailleur``)."""

    id: Identifiant
    """Role id."""
    nom: str
    """Display name (``Ville``, ``Bailleur``)."""
    description: str | None = None
    """What the role stands for."""


class Acteur(_Model):
    """A party of the charter."""

    id: Identifiant
    """Identifier: a lower-case slug of the name (``maisons_et_cites``)."""
    nom: str
    """Full name."""
    sigle: str | None = None
    """Acronym (``DDTM``, ``ANRU``)."""
    type: TypeActeur
    """Kind of party."""
    alias: list[str] = Field(default_factory=_new_list)
    """Other spellings found in the charter or typed by users."""
    identifie: Booleen = True
    """False for a party not identified yet (e.g. future developers)."""
    description: str | None = None
    """Role in the charter, as stated."""


class Registre(_Model):
    """The registry of parties (``acteurs.yaml``)."""

    roles: list[Role] = Field(default_factory=_new_list)
    """Roles resolved per quartier."""
    acteurs: list[Acteur]
    """Parties."""


# --------------------------------------------------------------------------- charter


class Periode(_Model):
    """A span of years."""

    debut: int
    """First year."""
    fin: int
    """Last year."""


class DateCle(_Model):
    """A dated fact of the charter."""

    id: Identifiant
    """Identifier."""
    libelle: str
    """What happened, as the charter says."""
    date: dt.date | None = None
    """The date, when the charter gives it."""


class Deliberation(_Model):
    """A deliberation of a partner's board approving the charter."""

    organisme: Identifiant
    """Actor id of the deliberating body."""
    instance: str
    """Deliberating instance (Conseil d'administration...)."""
    date: dt.date | None = None
    """Date of the deliberation, when stated."""
    objet: str | None = None
    """Subject."""
    decisions: list[str] = Field(default_factory=_new_list)
    """What the members decided, as written."""
    vote: str | None = None
    """Outcome of the vote, as written."""
    non_participants: list[str] = Field(default_factory=_new_list)
    """Members who did not take part in the debate and vote."""
    excuses: list[str] = Field(default_factory=_new_list)
    """Excused members (and proxies), as written."""
    references: list[str] = Field(default_factory=_new_list)
    """Other deliberations or agreements it refers to, as written."""


class Pilier(_Model):
    """A pillar of the contrat de ville and the GUSP objectives under it."""

    titre: str
    """Pillar, as written."""
    objectifs: list[str] = Field(default_factory=_new_list)
    """Objectives, as written."""


class Instance(_Model):
    """A governance body."""

    id: Identifiant
    """Identifier (``copil``, ``comite_technique``...)."""
    nom: str
    """Name."""
    membres: list[str] = Field(default_factory=_new_list)
    """Members: actor or role ids, or text for members not in the registry."""
    frequence: Frequence | None = None
    """Meeting rhythm; absent when the charter fixes none (the body is then neither planned nor
    late)."""
    description: str | None = None
    """Role and functioning, as written."""


class Veille(_Model):
    """How the field problems of ``signalements.yaml`` go up the bodies while they stay open."""

    instances: Annotated[list[Identifiant], Field(min_length=1)]
    """The bodies an open signalement goes up, in order (ids of ``instances``): the first examines
    the open signalements of its quartiers; each next one receives those still open one period of
    the previous body (and a grace of half that period) later; after the last one, the deciding
    body (``instance_decisionnelle``). A body without rhythm stops the ascent."""
    texte: str | None = None
    """What the charter says of the veille, as written."""


class PhaseDeclaree(_Model):
    """A phase of the project the charter's action tables are organised by."""

    id: Identifiant
    """Identifier, as the tables write it (``phase: chantier``)."""
    nom: str
    """Name shown in reports (« Phase chantier »)."""
    ordre: int | None = None
    """Rank in reports (default: the order of the declaration)."""


class Objectif(_Model):
    """An operational objective under an axis."""

    id: Identifiant
    """Identifier, as tables and actions write it (``objectif: ob_1_2``)."""
    nom: str
    """Name, as the convention words it."""
    numero: str | None = None
    """Its number in the convention (``1.2``), when it has one."""
    description: str | None = None
    """What it covers, as written."""


class Axe(_Model):
    """A strategic axis of the charter and the objectives under it."""

    id: Identifiant
    """Identifier."""
    nom: str
    """Name, as the convention words it."""
    numero: str | None = None
    """Its number in the convention (``1``), when it has one."""
    objectifs: list[Objectif] = Field(default_factory=_new_list)
    """Operational objectives."""


class DimensionEvaluation(_Model):
    """A dimension of the charter's evaluation grid."""

    id: Identifiant
    """Identifier: one of the default dimensions (``deployee``, ``cout``,
    ``clauses_insertion_respectees``, ``qualite_de_vie_amelioree``) or a dimension of its own,
    recorded under ``evaluation.autres``."""
    libelle: str
    """What is evaluated, as the charter words it."""
    type: TypeDimension = TypeDimension.oui_non
    """Kind of value: ``oui_non``, ``montant`` (euros), ``nombre`` or ``texte``."""


class AxeTfpb(_Model):
    """An axis of the use of the TFPB abatement (property-tax abatement of the social landlords in
    priority neighbourhoods), which the lines of ``tfpb.yaml`` name."""

    id: Identifiant
    """Identifier, as the lines of ``tfpb.yaml`` write it (``axe: sur_entretien``)."""
    nom: str
    """Name, as the national framework or the charter words it."""
    numero: Annotated[int, Field(ge=1)] | None = None
    """Its number in the framework (1 to 8 in the national one), when it has one."""


class PhaseMiseEnOeuvre(_Model):
    """An operational phase of the charter's implementation."""

    nom: str
    """Name."""
    description: str
    """What it covers, as written."""


class ObjectifInsertion(_Model):
    """An insertion objective: a share of the hours worked on a perimeter (ANRU: 5 % travaux)."""

    perimetre: PerimetreInsertion
    """``travaux`` (works contracts), ``gup`` (GUP contracts) or ``ensemble`` (both)."""
    pourcentage: Annotated[float, Field(ge=0, le=100)]
    """Share of the hours worked on that perimeter to be done by insertion, in percent."""
    texte: str | None = None
    """The objective as written, when the charter words it."""


class Insertion(_Model):
    """Insertion-clause objective and the indicators reported to ANRU."""

    objectif_pourcentage: Annotated[float, Field(ge=0, le=100)]
    """Objective, in percent."""
    objectif_texte: str
    """The objective as written."""
    frequence_rapport: Frequence
    """How often the indicators are sent."""
    destinataire: str
    """Who receives them."""
    indicateurs: list[str]
    """Indicators, as written."""
    texte: str | None = None
    """Other provisions, as written."""
    objectifs: list[ObjectifInsertion] = Field(default_factory=_new_list)
    """Objectives by perimeter (optional); without them ``objectif_pourcentage`` applies to all hours."""


class Charte(_Model):
    """The charter itself (``charte.yaml``)."""

    titre: str
    """Title."""
    porteur: Identifiant
    """Actor id of the project owner."""
    territoire: str | None = None
    """Territory."""
    quartiers: list[Identifiant]
    """Quartier ids, in charter order; each has ``quartiers/<id>.yaml``."""
    partenaires: list[Identifiant] = Field(default_factory=_new_list)
    """Actor ids of the operational partners named by the charter."""
    periode: Periode
    """Period of application."""
    duree: str | None = None
    """Duration clause, as written."""
    dates: list[DateCle] = Field(default_factory=_new_list)
    """Key dates."""
    deliberations: list[Deliberation] = Field(default_factory=_new_list)
    """Partners' deliberations approving the charter."""
    preambule: str | None = None
    """Preamble (summary or text)."""
    piliers: list[Pilier] = Field(default_factory=_new_list)
    """Contrat de ville pillars and the GUSP objectives."""
    domaines: list[str] = Field(default_factory=_new_list)
    """Domains covered by the GUSP."""
    enjeux: list[str] = Field(default_factory=_new_list)
    """The stakes, as written."""
    pilotage: str | None = None
    """Steering arrangements, as written (project lead...)."""
    instances: list[Instance] = Field(default_factory=_new_list)
    """Governance bodies."""
    instance_decisionnelle: Identifiant | None = None
    """The body that decides on the points the annual review submits (default: the first body)."""
    veille: Veille | None = None
    """How the field problems (``signalements.yaml``) go up the bodies; absent: they are recorded
    and followed, never escalated."""
    phases: list[PhaseDeclaree] | None = None
    """The phases the action tables are organised by; absent: ``actuelle``, ``chantier`` and
    ``post_chantier`` (gestion actuelle, phase chantier, post-chantier); an empty list: none."""
    axes: list[Axe] = Field(default_factory=_new_list)
    """Strategic axes and their objectives, which tables and actions may name."""
    phases_mise_en_oeuvre: list[PhaseMiseEnOeuvre] = Field(default_factory=_new_list)
    """Operational phases."""
    insertion: Insertion | None = None
    """Insertion objectives and reporting."""
    evaluation: list[str] = Field(default_factory=_new_list)
    """Evaluation dimensions of the follow-up table, as written."""
    grille_evaluation: list[DimensionEvaluation] | None = None
    """The evaluation grid of each action; absent: the four default dimensions (deployed, cost,
    insertion clauses respected, quality of life improved)."""
    suivi_evaluation: str | None = None
    """Follow-up and evaluation clause, as written."""
    axes_tfpb: list[AxeTfpb] | None = None
    """The axes of the TFPB abatement programmes (``tfpb.yaml``); absent: the eight axes of the
    national framework."""


# --------------------------------------------------------------------------- governance records


class Decision(_Model):
    """A decision taken in a meeting."""

    texte: Annotated[str, Field(min_length=1)]
    """The decision, as worded in the minutes."""
    actions: list[str] = Field(default_factory=_new_list)
    """Ids of the actions it concerns (``CEN-042``), e.g. a deadline moved by the steering committee."""


class Reunion(_Model):
    """A meeting of a governance body, held (or fixed in advance when dated after today)."""

    date: dt.date
    """Date of the meeting (ISO, YYYY-MM-DD)."""
    heure: Heure | None = None
    """Start time in Paris time (``14:30`` or ``14h30``), when fixed; without it, an all-day event."""
    heure_fin: Heure | None = None
    """End time (``16:00``, ``16h``), when known; requires ``heure``."""
    instance: Identifiant
    """Id of the body (one of ``charte.yaml`` ``instances``)."""
    quartiers: list[Identifiant] = Field(default_factory=_new_list)
    """Quartier ids it dealt with; empty for the whole charter."""
    objet: str | None = None
    """Subject or title, when the meeting had one."""
    participants: list[str] = Field(default_factory=_new_list)
    """Attendees: actor or role ids, or text (a structure, a function)."""
    decisions: list[Decision] = Field(default_factory=_new_list)
    """Decisions taken."""
    compte_rendu: str | None = None
    """Link to the minutes (URL or path in the repository)."""


class Reunions(_Model):
    """The meetings held (``reunions.yaml``, optional)."""

    reunions: list[Reunion] = Field(default_factory=_new_list)
    """Meetings, in any order."""


# --------------------------------------------------------------------------- insertion records


class ModalitesInsertion(_Model):
    """How the insertion hours of a semester were done, in hours."""

    embauche_directe: Annotated[float, Field(ge=0)] = 0
    """Direct hire."""
    interim: Annotated[float, Field(ge=0)] = 0
    """Temporary work (including insertion temp agencies)."""
    alternance: Annotated[float, Field(ge=0)] = 0
    """Work-study."""
    formation: Annotated[float, Field(ge=0)] = 0
    """Training."""
    autre: Annotated[float, Field(ge=0)] = 0
    """Other arrangements."""


class EntrepriseAttributaire(_Model):
    """A group of contracting companies of one size and sector (counts only, no names)."""

    taille: Annotated[str, Field(min_length=1)]
    """Size band (``moins de 10 salariés``, ``10 à 49``...)."""
    secteur: Annotated[str, Field(min_length=1)]
    """Sector of activity (``BTP``, ``propreté``...)."""
    nombre: Annotated[int, Field(ge=0)]
    """Number of companies."""


class ProfilBeneficiaires(_Model):
    """Profile of the beneficiaries of a semester: counts only."""

    femmes: Annotated[int, Field(ge=0)] | None = None
    """Women."""
    hommes: Annotated[int, Field(ge=0)] | None = None
    """Men."""
    moins_26: Annotated[int, Field(ge=0)] | None = None
    """Aged under 26."""
    de_26_a_49: Annotated[int, Field(ge=0)] | None = None
    """Aged 26 to 49."""
    plus_50: Annotated[int, Field(ge=0)] | None = None
    """Aged 50 and over."""
    residents_qpv: Annotated[int, Field(ge=0)] | None = None
    """Living in a priority neighbourhood (QPV)."""


class SituationBeneficiaires(_Model):
    """Situation of the beneficiaries some months after their insertion: counts only."""

    emploi_durable: Annotated[int, Field(ge=0)] | None = None
    """In lasting employment (permanent contract, fixed-term of 6 months or more)."""
    emploi_temporaire: Annotated[int, Field(ge=0)] | None = None
    """In temporary employment (fixed-term under 6 months, temporary work)."""
    formation: Annotated[int, Field(ge=0)] | None = None
    """In training."""
    sans_emploi: Annotated[int, Field(ge=0)] | None = None
    """Job seeking or without activity."""
    inconnue: Annotated[int, Field(ge=0)] | None = None
    """Situation not known."""


class SemestreInsertion(_Model):
    """The insertion-clause indicators of one semester, as sent to ANRU: aggregates only."""

    semestre: str
    """Semester, ``AAAA-S1`` (January–June) or ``AAAA-S2`` (July–December)."""
    heures_travaux: Annotated[float, Field(ge=0)]
    """Insertion hours worked in the works contracts."""
    heures_gup: Annotated[float, Field(ge=0)]
    """Insertion hours worked in the GUP contracts."""
    heures_marches_travaux: Annotated[float, Field(ge=0)] | None = None
    """All hours worked in the works contracts (the base of a percentage objective)."""
    heures_marches_gup: Annotated[float, Field(ge=0)] | None = None
    """All hours worked in the GUP contracts (the base of a percentage objective)."""
    modalites: ModalitesInsertion | None = None
    """How the insertion hours were done, in hours."""
    entreprises: list[EntrepriseAttributaire] = Field(default_factory=_new_list)
    """Contracting companies, by size and sector."""
    beneficiaires: Annotated[int, Field(ge=0)]
    """Number of beneficiaries."""
    profil: ProfilBeneficiaires | None = None
    """Their profile (sex, age band, QPV residence)."""
    situation_6_mois: SituationBeneficiaires | None = None
    """Their situation 6 months after their insertion."""
    situation_12_mois: SituationBeneficiaires | None = None
    """Their situation 12 months after their insertion."""
    commentaire: str | None = None
    """Free comment (never a name)."""
    transmis_le: dt.date | None = None
    """Date the indicators were sent to the ANRU delegate: the record counts from that day on when
    the charter is replayed at a past date (without it, from the end of the semester)."""


class RegistreInsertion(_Model):
    """The semester insertion records (``insertion.yaml``, optional)."""

    premier_semestre: str | None = None
    """First semester a report is due for (default: the first semester of the charter period)."""
    semestres: list[SemestreInsertion] = Field(default_factory=_new_list)
    """One record per semester."""


# --------------------------------------------------------------------------- veille (signalements)


class SuiviSignalement(_Model):
    """One dated follow-up entry of a signalement."""

    date: dt.date
    """Date of the event (ISO, YYYY-MM-DD)."""
    etat: EtatSignalement | None = None
    """State set on that date, if the entry changes it."""
    vers: Texte | None = None
    """For ``transmis``: the arrangement it was relayed to (``CLSPD``, a service of the town...)."""
    note: str | None = None
    """Free comment (never a resident's name or contact details)."""
    action: ActionId | None = None
    """The action this entry links the signalement to: created from it, or dealing with it."""
    auteur: str | None = None
    """Who reported it (person or party id)."""


class Signalement(_Model):
    """A field problem seen on a quartier (a dépôt sauvage, a broken light...): the veille."""

    id: SignalementId
    """Stable identifier, unique, never reused (``SIG-2026-0001``)."""
    date: dt.date
    """Date it was seen (ISO, YYYY-MM-DD)."""
    quartier: Identifiant
    """Quartier id."""
    secteur: Identifiant | None = None
    """Sector id (from the quartier's ``secteurs``), when known."""
    lieu: Texte
    """Where: a street, a building, a place, as written."""
    theme: Texte
    """Theme (``propreté``, ``éclairage``, ``tranquillité``...), as written."""
    description: Texte
    """What was seen (never a resident's name or contact details)."""
    source: SourceSignalement
    """How it came to be known."""
    responsable: Identifiant | None = None
    """The party that deals with it: an actor id, or a role resolved in the quartier."""
    etat: EtatSignalement = EtatSignalement.ouvert
    """Current state: the one the latest follow-up entry sets (``ouvert`` when none does)."""
    actions: list[ActionId] = Field(default_factory=_new_list)
    """Ids of existing actions it relates to (one dealing with it, one it recurs under)."""
    action: ActionId | None = None
    """Id of the action created from it (``gusp signals to-action``), which names it back."""
    suivi: list[SuiviSignalement] = Field(default_factory=_new_list)
    """Dated follow-up entries, oldest first."""


class Signalements(_Model):
    """The field problems of the veille (``signalements.yaml``, optional)."""

    signalements: list[Signalement] = Field(default_factory=_new_list)
    """One entry per field problem, oldest first."""
# --------------------------------------------------------------------------- annual review


class SeanceRevue(_Model):
    """The meeting of the deciding body (the COPIL) the review is presented to."""

    date: dt.date
    """Date of the meeting (ISO, YYYY-MM-DD)."""
    heure: Heure | None = None
    """Start time (``14:30`` or ``14h30``), when fixed."""
    lieu: str | None = None
    """Where it is held (« Hôtel communautaire, salle du conseil »)."""


class RevueAnnuelle(_Model):
    """The project lead's own words for one year's review (``revues/AAAA.yaml``, optional)."""

    seance: SeanceRevue | None = None
    """The deciding body's meeting the review is presented to: shown on the cover."""
    faits_marquants: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=_new_list)
    """The year's key events, one paragraph each."""
    perspectives: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=_new_list)
    """The outlook for the next year, one paragraph each."""
    quartiers: dict[Identifiant, list[Annotated[str, Field(min_length=1)]]] = Field(default_factory=_new_dict)
    """Free paragraphs per quartier id (``territoire`` for the charter-wide actions), shown at the
    head of the quartier's chapter."""


# --------------------------------------------------------------------------- TFPB programmes

Montant = Annotated[float, Field(ge=0)]
"""An amount in euros, never negative."""


class LigneTfpb(_Model):
    """A line of a landlord's TFPB programme: what it does in one quartier, on one axis."""

    quartier: Identifiant
    """Quartier id (one of ``charte.yaml`` ``quartiers``)."""
    axe: Identifiant
    """TFPB axis id (one of ``charte.yaml`` ``axes_tfpb``, or of the national framework)."""
    libelle: Annotated[str, Field(min_length=1)]
    """What is done, as the programme words it."""
    actions: list[ActionId] = Field(default_factory=_new_list)
    """Ids of the charter actions the line serves (``CEN-042``), if any."""
    montant_prevu: Montant | None = None
    """Amount planned in the programme, in euros."""
    montant_valorise: Montant | None = None
    """Amount spent (« valorisé ») in the annual report, in euros; absent: not reported yet."""
    quantite: Annotated[float, Field(ge=0)] | None = None
    """A quantity, when the programme counts one (2 ETP, 48 passages...)."""
    unite: str | None = None
    """Unit of the quantity (``ETP``, ``passages``, ``heures``)."""
    note: str | None = None
    """Follow-up note."""


class ProgrammeTfpb(_Model):
    """A landlord's TFPB action programme for one year."""

    bailleur: Identifiant
    """Actor id of the landlord (a party of type ``bailleur`` in ``acteurs.yaml``)."""
    annee: Annotated[int, Field(ge=1900, le=2200)]
    """Year of the programme."""
    convention: str | None = None
    """The agreement it implements, as written (« avenant à la convention d'utilisation de
    l'abattement de TFPB du 20 décembre 2022 »)."""
    note: str | None = None
    """Comment on the programme as a whole."""
    lignes: list[LigneTfpb] = Field(default_factory=_new_list)
    """Programme lines."""


class RegistreTfpb(_Model):
    """The landlords' TFPB programmes (``tfpb.yaml``, optional)."""

    programmes: list[ProgrammeTfpb] = Field(default_factory=_new_list)
    """One programme per landlord and year, in any order."""
