"""The annual management review (« revue annuelle de gestion »): the context its templates render.

Pure core: :func:`build_review` turns a loaded charter, an as-of date, a reviewed year and an
optional quartier filter into plain dataclasses; nothing here imports Jinja or reads the clock.
The only outside world it touches is git, read-only, for the amendments of the year
(:func:`amendments`, through :mod:`gusp_cli.history.diff`).

Nothing is invented: the charter records no status, cost or evaluation for most actions, so
absent values stay ``None`` (blank cells) and are counted as « non renseigné ».

Governance and insertion: ``Revue.reunions`` lists the meetings recorded in ``reunions.yaml``
(:func:`meetings`), ``Revue.instances`` each body with its late status as ``gusp calendar``
computes it (:mod:`gusp_cli.governance.calendar`); ``Revue.insertion_revue`` the semesters of
``insertion.yaml`` up to the reviewed year, the cumulated rates against each objective and the
semesters due but missing (:mod:`gusp_cli.governance.insertion`).

The review is a list of chapters (:attr:`Revue.chapitres`): each names the partial template that
renders it (``partials/<gabarit>.html.j2`` / ``.md.j2``), and the table of contents, the HTML, the
Markdown and the Word document all follow that list. A new chapter is one more entry and one
more pair of partials.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.governance.evaluation_summary import COST, DimensionSummary, Summary, summarize
from gusp_cli.governance.tfpb import CostIndex
from gusp_cli.model.charter import Charter, Entry, short_name
from gusp_cli.model.evaluation import Dimension, grid, value_of
from gusp_cli.model.lateness import RULE_LABELS
from gusp_cli.model.layout import DATA_DIR, REVIEWS_DIR
from gusp_cli.model.rhythm import add_months
from gusp_cli.model.territory import TERRITORY_ID
from gusp_cli.model.vocabulary import Statut
from gusp_cli.reports.review_tfpb import TfpbRevue, tfpb_section
from gusp_cli.reports.veille import Veille, build_veille
from gusp_cli.track.delays import delay_text
from gusp_cli.track.fiche import Place, has_fiche, indicator_text, means_lines, objective_of
from gusp_cli.track.follow_up import latest_line
from gusp_cli.track.matching import NO_STATUS
from gusp_cli.track.queries import overdue, split_reported, status_key, upcoming, without_echeance
from gusp_cli.track.responsibilities import pilots, resolved_parties

if TYPE_CHECKING:
    from gusp_cli.history.diff import ActionDiff
    from gusp_cli.history.git import GitRepo
    from gusp_cli.model.models import RevueAnnuelle

DECISIONS_PER_PARTY = 5
"""How many of a party's long delays the decisions chapter shows; the others go to the annex."""
LONG_DELAY_DAYS = 365
"""An overdue action is put to the COPIL's decision when it is late by more than this."""
TOP_DELAYS = 5
"""How many of the longest delays the synthesis shows."""
STATUS_ORDER: tuple[str, ...] = (*(s.value for s in Statut), NO_STATUS)
"""Status keys in display order (``non_renseigne`` last)."""


# ----------------------------------------------------------------------------- context types


@dataclass(frozen=True)
class Compte:
    """One bar of a chart / one row of a count table."""

    cle: str
    libelle: str
    valeur: int


@dataclass(frozen=True)
class Ligne:
    """An action as the review lists it."""

    id: str
    libelle: str
    quartier: str
    """Quartier display name."""
    tableau: str
    phase: str
    """Phase label (« gestion actuelle »...)."""
    responsables: list[str]
    """Display names of the responsible parties (roles resolved in the quartier)."""
    echeance: str | None
    """Échéance as written."""
    due: dt.date | None
    statut: str
    """Status label; « non renseigné » when absent."""
    retard: int
    """Days late at the as-of date (0 when not overdue)."""
    retard_texte: str
    """The delay in words (« 7 ans 11 mois », with the rule for an ongoing action); « — » when on time."""
    date_realisation: dt.date | None
    dernier_suivi: str = ""
    """The latest follow-up entry: when, what and who reported it (empty when none)."""
    motif_retard: str = ""
    """The rule that makes it late, in words (« pas mis en place », « sans suivi »); empty on time."""


@dataclass(frozen=True)
class LigneEvaluation:
    """A row of the charter's evaluation table: ``None`` is a blank cell (not reported)."""

    id: str
    libelle: str
    valeurs: list[Any]
    """One value per dimension of the charter's grid (:attr:`Revue.grille`), in its order."""
    cout: float | None
    """The action's cost when the grid has a ``cout`` dimension: recorded, else the amounts spent on
    the TFPB lines linked to it (None: not known, never estimated)."""
    commentaire: str | None
    source_cout: str | None = None
    """Where a cost not recorded in the action's evaluation comes from (« TFPB Bailleur 2025 »,
    « (ligne partagée avec CEN-002) » when a line serves several actions); None for a recorded cost."""

    @property
    def renseignee(self) -> bool:
        """True when at least one cell is reported."""
        return any(v is not None for v in (*self.valeurs, self.commentaire))


@dataclass(frozen=True)
class ResumeDimension:
    """One dimension of the evaluation grid summed over a set of actions."""

    id: str
    libelle: str
    type: str
    """``oui_non``, ``montant``, ``nombre`` or ``texte``."""
    renseignees: int
    """Actions that report this dimension."""
    total: int
    """Actions of the set."""
    oui: int = 0
    non: int = 0
    somme: float | None = None
    """Sum of the reported amounts or numbers (None when none is reported); for the cost, recorded
    costs plus the TFPB amounts, each TFPB line counted once."""
    depuis_tfpb: int = 0
    """For the cost: actions whose cost comes from their TFPB lines, not from their evaluation."""
    somme_tfpb: float | None = None
    """For the cost: the part of :attr:`somme` that comes from the TFPB programmes."""


@dataclass(frozen=True)
class ResumeEvaluation:
    """The evaluation of a quartier (or of the whole charter) in one row: « n renseignées sur N »."""

    id: str
    nom: str
    dimensions: list[ResumeDimension]
    evaluees: int
    """Actions with at least one reported cell (a cost from TFPB counts)."""
    total: int
    completes: int = 0
    """Actions whose every dimension is filled."""


@dataclass(frozen=True)
class LigneResponsabilite:
    """A party's row of the party × status table."""

    partie: str
    identifiee: bool
    par_statut: list[int]
    """Counts in :data:`STATUS_ORDER`."""
    total: int
    en_retard: int
    pilotees: int = 0
    """Actions the party leads (its pilot; shown only when the charter names pilots)."""


@dataclass(frozen=True)
class LigneObjectif:
    """One objective's row of the « par axe et objectif » table."""

    axe: str
    """« Axe 1 — Un cadre de vie propre et entretenu »."""
    objectif: str
    """« 1.1 Réduire les dépôts sauvages »; « sans objectif déclaré » for the actions naming none."""
    total: int
    realisees: int
    en_retard: int
    sans_statut: int


@dataclass(frozen=True)
class Fiche:
    """The fiche-action fields of one action, as the review lists them."""

    id: str
    libelle: str
    public_cible: str | None
    localisation: str | None
    moyens: list[str]
    """« Coût prévu : 24 000 € », « Financement : Rivebelle Métropole — 12 000 € »..."""
    indicateurs: list[str]
    """« Encombrants ramassés (t) : cible 40 ; 18 au 30 juin 2025 »."""


@dataclass
class Synthese:
    """Counts and chart data of a set of actions."""

    total: int
    realisees: int
    en_retard: int
    sans_statut: int
    sans_echeance: int
    par_statut: list[Compte]
    par_phase: list[Compte]
    retard_par_partie: list[Compte]
    plus_longs_retards: list[Ligne]


@dataclass(frozen=True)
class Amendement:
    """An action added or removed, a deadline moved or a status changed during the year."""

    id: str
    libelle: str
    quartier: str
    """Quartier id."""
    avant: str | None = None
    apres: str | None = None
    motif: str | None = None


@dataclass
class Modifications:
    """The amendments of the year, for the whole charter or one quartier."""

    ajoutees: list[Amendement] = field(default_factory=list)
    supprimees: list[Amendement] = field(default_factory=list)
    echeances: list[Amendement] = field(default_factory=list)
    statuts: list[Amendement] = field(default_factory=list)
    responsables: list[Amendement] = field(default_factory=list)
    """Changes of responsible parties, by name (« Ville, Bailleur du Sud »)."""
    libelles: list[Amendement] = field(default_factory=list)

    @property
    def vide(self) -> bool:
        """True when nothing changed."""
        return not (self.ajoutees or self.supprimees or self.echeances or self.statuts
                    or self.responsables or self.libelles)

    def of(self, quartier_id: str) -> Modifications:
        """The amendments of one quartier."""
        def keep(items: list[Amendement]) -> list[Amendement]:
            return [a for a in items if a.quartier == quartier_id]
        return Modifications(keep(self.ajoutees), keep(self.supprimees), keep(self.echeances),
                             keep(self.statuts), keep(self.responsables), keep(self.libelles))


@dataclass(frozen=True)
class CommitLigne:
    """A commit of the year that touched ``charter-data/``."""

    date: dt.date
    court: str
    auteur: str
    sujet: str


@dataclass
class Historique:
    """What git says about the year; ``disponible`` False (with ``raison``) outside git."""

    disponible: bool
    raison: str | None = None
    note: str | None = None
    """Why there is nothing to compare (the charter not yet in git at the end of the period)."""
    base: str | None = None
    """The state compared against: « 31 décembre 2025 (commit 1a2b3c4) »."""
    cible: str | None = None
    creation: dt.date | None = None
    """Set when the charter first entered git during the year (nothing to compare against)."""
    commits: list[CommitLigne] = field(default_factory=list)
    modifications: Modifications = field(default_factory=Modifications)


@dataclass(frozen=True)
class Reunion:
    """A recorded governance meeting: held (dated up to the as-of date) or fixed in advance."""

    instance: str
    """Body id (``copil``, ``comite_technique``...)."""
    instance_nom: str
    date: dt.date
    tenue: bool
    quartiers: list[str] = field(default_factory=list)
    """Quartier names it dealt with (empty: the whole charter)."""
    objet: str | None = None
    decisions: list[str] = field(default_factory=list)
    compte_rendu: str | None = None
    """Link to the minutes, as recorded (rendered through the ``safe_url`` filter)."""


@dataclass(frozen=True)
class InsertionSemestre:
    """The insertion figures reported for one semester (``insertion.yaml``)."""

    periode: str
    """« 2026-S1 »."""
    heures_travaux: float
    heures_gup: float
    beneficiaires: int
    modalites: list[tuple[str, float]] = field(default_factory=list)
    """Hours by arrangement, as reported: (« Embauche directe », 1200.0)."""
    transmis_le: dt.date | None = None

    @property
    def heures(self) -> float:
        """All insertion hours (works and GUP)."""
        return self.heures_travaux + self.heures_gup


@dataclass(frozen=True)
class InsertionObjectif:
    """One objective measured on the cumulated semesters."""

    libelle: str
    """« 10 % des heures — marchés de GUP »."""
    pourcentage: float
    heures: float
    base: float | None
    """All hours of the perimeter's contracts (None when a semester lacks them)."""
    taux: float | None
    atteint: bool | None
    sans_base: list[str] = field(default_factory=list)
    """Semesters whose contract hours are not reported (the rate cannot be computed)."""


@dataclass
class InsertionRevue:
    """The insertion records of the review: semesters up to the reviewed year, cumulated rates,
    semesters due but missing."""

    semestres: list[InsertionSemestre]
    objectifs: list[InsertionObjectif]
    manquants: list[str]
    """Semesters due (ended at the as-of date, up to the reviewed year) with no record."""
    fichier_present: bool

    @property
    def cumul(self) -> str:
        """« 2025-S2 à 2026-S1 » (empty when nothing is recorded)."""
        if not self.semestres:
            return ""
        first, last = self.semestres[0].periode, self.semestres[-1].periode
        return first if first == last else f"{first} à {last}"


@dataclass(frozen=True)
class InstanceInfo:
    """A governance body as the charter defines it, and where it stands at the as-of date."""

    id: str
    nom: str
    rythme: str
    """« tous les trimestres »."""
    membres: list[str]
    derniere: dt.date | None = None
    """Its last meeting held (None when none is recorded)."""
    en_retard: bool = False
    """Late as ``gusp calendar`` computes it: no meeting for one period plus the tolerance."""
    retard_texte: str = ""
    """« aucune réunion enregistrée depuis le 1er janvier 2020 (6 ans 10 mois) »; empty on time."""
    tenues_annee: int = 0
    """Meetings held during the reviewed year."""
    programmee: dt.date | None = None
    """Its next meeting already fixed."""


@dataclass(frozen=True)
class DecisionReunion:
    """A decision taken in a meeting of the year that names actions."""

    date: dt.date
    instance: str
    """The body's name."""
    texte: str
    actions: list[tuple[str, str]]
    """(id, label) of each action it names (the label empty for an action no longer in the charter)."""


@dataclass(frozen=True)
class InsertionInfo:
    """The charter's insertion objective and the indicators it requires."""

    objectif_pourcentage: float
    objectif_texte: str
    rythme: str
    destinataire: str
    indicateurs: list[str]


@dataclass
class Section:
    """The review of a set of actions: one quartier, or the whole selection."""

    id: str
    nom: str
    commune: str
    synthese: Synthese
    realisees_annee: list[Ligne]
    en_retard: list[Ligne]
    """Real delays: late actions with a status or a follow-up recorded."""
    a_renseigner: list[Ligne]
    """Actions past their échéance with nothing recorded (no status, no follow-up)."""
    a_echeance: list[Ligne]
    sans_echeance: list[Ligne]
    sans_statut: list[Ligne]
    responsabilites: list[LigneResponsabilite]
    evaluation: list[LigneEvaluation]
    """The actions that record an evaluation (never rows of blank cells)."""
    modifications: Modifications = field(default_factory=Modifications)
    resume_evaluation: ResumeEvaluation | None = None
    """The evaluation summed per dimension (None when the charter evaluates nothing)."""
    paragraphes: list[str] = field(default_factory=list)
    """The project lead's own paragraphs on this quartier (``revues/AAAA.yaml``)."""
    par_objectif: list[LigneObjectif] = field(default_factory=list)
    """Counts per declared axis and objective (empty when the charter declares no axes)."""
    fiches: list[Fiche] = field(default_factory=list)
    """The actions that record fiche-action fields (indicators, means, public, place)."""
    territoire: bool = False
    """True for the charter-wide actions (roles resolve to every party that fills them)."""
    veille: Veille | None = None
    """The quartier's signalements over the period (:mod:`gusp_cli.reports.veille`); None for the
    whole selection and the charter-wide actions."""

    @property
    def evaluations_renseignees(self) -> int:
        """Actions with at least one reported evaluation cell."""
        return len(self.evaluation)

    @property
    def sans_statut_ids(self) -> list[str]:
        """Ids of the actions without status, consecutive ones collapsed (« CEN-001 à CEN-089 »)."""
        return id_ranges(line.id for line in self.sans_statut)

    @property
    def cout_renseigne(self) -> float | None:
        """Recorded costs plus TFPB amounts, each TFPB line once (None when no cost is known: never
        a made-up 0)."""
        summary = self.resume_evaluation
        cost = next((d for d in summary.dimensions if d.id == COST), None) if summary else None
        return cost.somme if cost else None


@dataclass(frozen=True)
class PointPartie:
    """A party and its actions late by more than :data:`LONG_DELAY_DAYS`, longest delay first."""

    partie: str
    actions: list[Ligne]

    @property
    def premieres(self) -> list[Ligne]:
        """The actions the decisions chapter shows (:data:`DECISIONS_PER_PARTY`)."""
        return self.actions[:DECISIONS_PER_PARTY]

    @property
    def reste(self) -> int:
        """How many more are listed in the annex."""
        return max(0, len(self.actions) - DECISIONS_PER_PARTY)


@dataclass
class Decisions:
    """Points put to the COPIL's decision."""

    retards_longs: list[Ligne]
    par_partie: list[PointPartie]
    """The long delays grouped by responsible party (a shared action is under each of its parties)."""
    parties_non_identifiees: list[Ligne]
    sans_echeance: list[Ligne]
    sans_statut: int

    @property
    def annexe(self) -> bool:
        """True when some party has more long delays than the chapter shows (they go to the annex)."""
        return any(p.reste for p in self.par_partie)


@dataclass(frozen=True)
class Chapitre:
    """One chapter of the review: the table of contents and every format follow :attr:`Revue.chapitres`."""

    id: str
    """Anchor (``decisions``, ``quartier-centre``)."""
    titre: str
    gabarit: str
    """Partial template rendering it: ``partials/<gabarit>.html.j2`` and ``.md.j2``."""
    quartier: Section | None = None
    """The quartier a quartier chapter is about."""
    annexe: bool = False
    """An annex (after the chapters, lettered rather than numbered)."""


@dataclass(frozen=True)
class Seance:
    """The deciding body's meeting the review goes to: from ``revues/AAAA.yaml``, else recorded."""

    date: dt.date
    heure: str | None = None
    lieu: str | None = None


@dataclass
class Revue:
    """Everything the review templates render."""

    titre: str
    territoire: str | None
    """The charter's territory, None when the title already names it."""
    porteur: str
    periode_debut: int
    periode_fin: int
    annee: int
    as_of: dt.date
    debut: dt.date
    """First day of the reviewed period (1 January)."""
    fin: dt.date
    """Last day of the reviewed period (31 December, or the as-of date when earlier)."""
    horizon: dt.date
    """As-of date plus twelve months: end of the « à échéance » window."""
    perimetre: str
    """« toute la charte » or the quartier's name."""
    ensemble: Section
    quartiers: list[Section]
    statuts: list[str]
    """Status labels in :data:`STATUS_ORDER` (party × status table header)."""
    instances: list[InstanceInfo]
    insertion: InsertionInfo | None
    reunions: list[Reunion]
    historique: Historique
    decisions: Decisions
    insertion_revue: InsertionRevue | None = None
    """The insertion records (None when the charter has no insertion clause and records none)."""
    decisions_reunions: list[DecisionReunion] = field(default_factory=list)
    resume_evaluation: list[ResumeEvaluation] = field(default_factory=list)
    """One row per quartier, then the whole charter (empty when the charter evaluates nothing)."""
    faits_marquants: list[str] = field(default_factory=list)
    perspectives: list[str] = field(default_factory=list)
    fichier_mots: str = ""
    """Where the project lead's words go: ``charter-data/revues/2026.yaml``."""
    mots_absents: list[str] = field(default_factory=list)
    """What that file could add and does not (« la date et le lieu … (seance) »)."""
    seance_revue: Seance | None = None
    """The deciding body's meeting from ``revues/AAAA.yaml`` (date, time, place)."""
    chapitres: list[Chapitre] = field(default_factory=list)
    grille: list[Dimension] = field(default_factory=list)
    """The charter's evaluation grid (empty: the charter evaluates nothing, the section is left out)."""
    instance_decision: str | None = None
    """Name of the body that decides on the review's points (None: the charter has no body)."""
    instance_decision_id: str | None = None
    phases: bool = True
    """False for a charter that declares no phases (no « par phase » tables)."""
    pilotes: bool = False
    """True when some action names a pilot (« Pilotées » column, « (pilote) » marks)."""
    roles: list[str] = field(default_factory=list)
    """Names of the registry's roles (« Ville », « Bailleur »), for the note on how parties count."""
    seuil_retard_long: int = LONG_DELAY_DAYS
    tfpb: TfpbRevue | None = None
    """The landlords' TFPB programmes of the year (None without ``tfpb.yaml``: no section)."""

    @property
    def date_copil(self) -> dt.date | None:
        """Date of the deciding body's meeting: ``revues/AAAA.yaml``'s, else its next one recorded."""
        return self.seance.date if self.seance else None

    @property
    def seance(self) -> Seance | None:
        """The deciding body's meeting: from ``revues/AAAA.yaml``, else its next one recorded."""
        if self.seance_revue is not None:
            return self.seance_revue
        planned = [r.date for r in self.reunions
                   if r.instance == self.instance_decision_id and r.date >= self.as_of]
        return Seance(min(planned)) if planned else None

    @property
    def chapitres_numerotes(self) -> list[Chapitre]:
        """The chapters before the annexes."""
        return [c for c in self.chapitres if not c.annexe]

    @property
    def annexes(self) -> list[Chapitre]:
        """The annexes."""
        return [c for c in self.chapitres if c.annexe]

    @property
    def instances_en_retard(self) -> list[InstanceInfo]:
        """The bodies late at the as-of date."""
        return [i for i in self.instances if i.en_retard]

    @property
    def titre_decisions(self) -> str:
        """« Points soumis à la décision du comité de pilotage » (the charter's deciding body)."""
        from gusp_cli.french.text import of_the

        if not self.instance_decision:
            return "Points soumis à décision"
        return f"Points soumis à la décision {of_the(self.instance_decision)}"


def capitalized(label: str) -> str:
    """``à faire`` -> ``À faire`` (first letter only; the rest untouched)."""
    return label[:1].upper() + label[1:]


def id_ranges(ids: Iterable[str]) -> list[str]:
    """Collapse consecutive ids: ``["CEN-001", "CEN-002", "CEN-003", "CEN-007"]`` gives
    ``["CEN-001 à CEN-003", "CEN-007"]`` (order kept; two in a row stay separate)."""
    runs: list[list[str]] = []
    for current in ids:
        prefix, _, number = current.rpartition("-")
        if runs and number.isdigit():
            last_prefix, _, last_number = runs[-1][-1].rpartition("-")
            if last_prefix == prefix and last_number.isdigit() and int(number) == int(last_number) + 1:
                runs[-1].append(current)
                continue
        runs.append([current])
    out: list[str] = []
    for run in runs:
        out.extend([f"{run[0]} à {run[-1]}"] if len(run) > 2 else run)
    return out


# ----------------------------------------------------------------------------- building


def build_review(charter: Charter, as_of: dt.date, year: int, quartiers: Iterable[str] | None = None,
                 *, history: Historique | None = None) -> Revue:
    """Build the review of ``year`` at ``as_of`` for the selected quartier ids (all when None).

    ``history`` defaults to :func:`amendments` on the charter's repository (git, read-only).
    """
    assert charter.charte is not None, "build_review needs a valid charter"
    selected = set(quartiers) if quartiers is not None else {q.id for q in charter.quartiers}
    entries = [e for e in charter.entries if e.quartier.id in selected]
    end = min(dt.date(year, 12, 31), as_of)
    horizon = add_months(as_of, 12)
    history = history if history is not None else amendments(charter.root, year, end)
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.quartier.id, []).append(entry)
    memo: dict[int, Ligne] = {}
    costs = CostIndex(charter, as_of)
    sections = []
    for quartier in charter.quartiers:
        if quartier.id in selected:
            section = build_section(charter, groups.get(quartier.id, []), quartier.id, quartier.nom,
                                    quartier.commune, as_of, year, horizon, memo, costs)
            section.modifications = history.modifications.of(quartier.id)
            if not charter.is_territory(quartier):
                section.veille = build_veille(charter, quartier.id, dt.date(year, 1, 1), end)
            sections.append(section)
    whole = build_section(charter, entries, "ensemble", "Ensemble de la charte",
                          ", ".join(s.commune for s in sections), as_of, year, horizon, memo, costs)
    whole.modifications = history.modifications
    charte = charter.charte
    porteur = charter.actors.get(charte.porteur)
    reunions = meetings(charter, as_of, year)
    body = charter.deciding_body
    words = charter.revues.get(year)
    if words is not None:
        for section in sections:
            section.paragraphes = list(words.quartiers.get(section.id, []))
    summary = [s.resume_evaluation for s in ([*sections, whole] if len(sections) > 1 else sections)
               if s.resume_evaluation is not None]
    revue = Revue(
        titre=charte.titre,
        territoire=None if charte.territoire and charte.territoire in charte.titre else charte.territoire,
        porteur=porteur.nom if porteur else charte.porteur,
        periode_debut=charte.periode.debut, periode_fin=charte.periode.fin,
        annee=year, as_of=as_of, debut=dt.date(year, 1, 1), fin=end, horizon=horizon,
        perimetre=sections[0].nom if len(sections) == 1 else "toute la charte",
        ensemble=whole, quartiers=sections,
        statuts=[capitalized(STATUS_LABELS[k]) for k in STATUS_ORDER],
        instances=governance(charter, as_of, year), insertion=insertion(charter),
        reunions=reunions, insertion_revue=insertion_review(charter, as_of, year),
        decisions_reunions=named_decisions(charter, as_of, year), resume_evaluation=summary,
        historique=history, decisions=decisions(charter, entries, as_of), grille=grid(charter),
        instance_decision=body.nom if body else None, instance_decision_id=body.id if body else None,
        phases=bool(charter.phases), pilotes=any(e.action.pilote for e in charter.entries),
        roles=[role.nom for role in charter.roles.values()],
        faits_marquants=list(words.faits_marquants) if words else [],
        perspectives=list(words.perspectives) if words else [],
        fichier_mots=f"{DATA_DIR}/{REVIEWS_DIR}/{year}.yaml", mots_absents=missing_words(words),
        seance_revue=Seance(words.seance.date, words.seance.heure, words.seance.lieu)
        if words and words.seance else None,
        tfpb=tfpb_section(charter, year, as_of, None if quartiers is None else sorted(selected)),
    )
    revue.chapitres = chapters(revue)
    return revue


WORDS = (("seance", "la date, l’heure et le lieu de la séance qui examine la revue (seance)"),
         ("faits_marquants", "les faits marquants de l’année (faits_marquants)"),
         ("perspectives", "les perspectives (perspectives)"),
         ("quartiers", "des paragraphes libres par quartier (quartiers)"))
"""What ``revues/AAAA.yaml`` can hold, in words (the key in parentheses)."""


def missing_words(words: RevueAnnuelle | None) -> list[str]:
    """What the year's ``revues/AAAA.yaml`` could add and does not hold."""
    return [text for key, text in WORDS if words is None or not getattr(words, key)]


def chapters(revue: Revue) -> list[Chapitre]:
    """The review's chapters, in order (see the module's docstring)."""
    out = []
    if len(revue.quartiers) > 1:
        out.append(Chapitre("synthese", "Synthèse", "synthese"))
    out.append(Chapitre("faits-marquants", f"Faits marquants de {revue.annee}", "faits_marquants"))
    out.append(Chapitre("decisions", revue.titre_decisions, "decisions"))
    out += [Chapitre(f"quartier-{q.id}", q.nom, "quartier", quartier=q) for q in revue.quartiers]
    if revue.grille:
        out.append(Chapitre("evaluation", "Évaluation", "evaluation"))
    if revue.insertion or revue.insertion_revue:
        out.append(Chapitre("insertion", "Insertion", "insertion"))
    if revue.tfpb:
        out.append(Chapitre("tfpb", f"Programmes TFPB {revue.tfpb.annee}", "tfpb"))
    out.append(Chapitre("gouvernance", "Gouvernance", "gouvernance"))
    out.append(Chapitre("modifications", f"Modifications de la charte en {revue.annee}", "modifications"))
    out.append(Chapitre("perspectives", "Perspectives", "perspectives"))
    if revue.decisions.annexe:
        out.append(Chapitre("annexe-decisions", "Toutes les actions en retard de plus d’un an",
                            "annexe_decisions", annexe=True))
    return out


def line(charter: Charter, entry: Entry, as_of: dt.date) -> Ligne:
    """The review's view of one action."""
    action = entry.action
    return Ligne(
        id=action.id, libelle=action.libelle, quartier=entry.quartier.nom, tableau=entry.tableau.titre,
        phase=charter.phase_name(entry.tableau.phase),
        responsables=[charter.party_name(p, entry.quartier) + (" (pilote)" if p == action.pilote else "")
                      for p in sorted(action.responsables, key=lambda p: p != action.pilote)],
        echeance=action.echeance, due=entry.due, statut=STATUS_LABELS[status_key(entry)],
        retard=entry.days_late(as_of) if entry.is_overdue(as_of) else 0,
        retard_texte=delay_text(entry, as_of), date_realisation=action.date_realisation,
        dernier_suivi=latest_line(charter, entry), motif_retard=late_rule(entry, as_of),
    )


def late_rule(entry: Entry, as_of: dt.date) -> str:
    """The rule that makes an action late, in words; empty when it is on time."""
    late = entry.lateness(as_of)
    return RULE_LABELS[late.rule] if late else ""


def build_section(charter: Charter, entries: Sequence[Entry], section_id: str, nom: str, commune: str,
                  as_of: dt.date, year: int, horizon: dt.date,
                  memo: dict[int, Ligne] | None = None, costs: CostIndex | None = None) -> Section:
    """The review of a set of actions (in document order); ``memo`` keeps each action's line
    across the sections of one review (an action is listed in its quartier and in the whole);
    ``costs``, the TFPB lines of the charter, built once for all sections."""
    known: dict[int, Ligne] = {} if memo is None else memo
    costs = costs if costs is not None else CostIndex(charter, as_of)
    evaluation = evaluated_rows(entries, grid(charter), costs)

    def lines(items: Iterable[Entry]) -> list[Ligne]:
        out = []
        for e in items:
            found = known.get(id(e))
            if found is None:
                found = known[id(e)] = line(charter, e, as_of)
            out.append(found)
        return out

    done = [e for e in entries if e.action.statut is Statut.realisee
            and e.action.date_realisation is not None and e.action.date_realisation.year == year]
    done.sort(key=lambda e: (e.action.date_realisation or as_of, e.index))
    reported, to_fill = split_reported(overdue(entries, as_of), as_of)
    return Section(
        id=section_id, nom=nom, commune=commune,
        synthese=synthesis(charter, entries, as_of),
        realisees_annee=lines(done),
        en_retard=lines(reported), a_renseigner=lines(to_fill),
        a_echeance=lines(upcoming(entries, as_of, (horizon - as_of).days)),
        sans_echeance=lines(without_echeance(entries)),
        sans_statut=lines(e for e in entries if e.action.statut is None),
        responsabilites=responsibility_rows(charter, entries, as_of),
        evaluation=evaluation,
        resume_evaluation=evaluation_resume(charter, entries, section_id, nom, costs, len(evaluation)),
        par_objectif=objective_rows(charter, entries, as_of, keep_empty=section_id == "ensemble"),
        fiches=[fiche(charter, e) for e in entries if has_fiche(e)],
        territoire=section_id == TERRITORY_ID,
    )


def objective_rows(charter: Charter, entries: Sequence[Entry], as_of: dt.date,
                   *, keep_empty: bool) -> list[LigneObjectif]:
    """Counts per declared objective, in the charter's order of axes and objectives (those no action
    serves only with ``keep_empty``); the actions naming no objective get a last row. Empty when the
    charter declares no axes."""
    if charter.charte is None or not charter.charte.axes:
        return []
    groups: dict[str | None, list[Entry]] = {}
    for entry in entries:
        place = objective_of(charter, entry)
        groups.setdefault(place.objectif.id if place else None, []).append(entry)
    keys: list[tuple[str | None, str, str]] = []
    for axe in charter.charte.axes:
        for objectif in axe.objectifs:
            place = Place(axe, objectif)
            keys.append((objectif.id, place.axe_label, place.objectif_label))
    keys.append((None, "—", "sans objectif déclaré"))
    rows = []
    for key, axe_label, objectif_label in keys:
        group = groups.get(key, [])
        if not group and (key is None or not keep_empty):
            continue
        rows.append(LigneObjectif(
            axe_label, objectif_label, len(group),
            sum(1 for e in group if e.action.statut is Statut.realisee),
            sum(1 for e in group if e.is_overdue(as_of)),
            sum(1 for e in group if e.action.statut is None)))
    return rows


def fiche(charter: Charter, entry: Entry) -> Fiche:
    """The fiche-action fields of one action, told in French."""
    action = entry.action
    return Fiche(action.id, action.libelle, action.public_cible, action.localisation,
                 [f"{label} : {text}" for label, text in means_lines(charter, entry)],
                 [indicator_text(i) for i in action.indicateurs])


def synthesis(charter: Charter, entries: Sequence[Entry], as_of: dt.date) -> Synthese:
    """Counts by status, by phase and overdue by party, and the longest delays."""
    statuses = Counter(status_key(e) for e in entries)
    phases = Counter(e.tableau.phase for e in entries)
    late = overdue(entries, as_of)
    by_party: Counter[str] = Counter()
    names: dict[str, str] = {}
    for entry in late:
        for party in resolved_parties(charter, entry):
            by_party[party] += 1
            names.setdefault(party, party_display(charter, party))
    return Synthese(
        total=len(entries),
        realisees=statuses[Statut.realisee.value],
        en_retard=len(late),
        sans_statut=statuses[NO_STATUS],
        sans_echeance=sum(1 for e in entries if e.action.echeance is None),
        par_statut=[Compte(k, capitalized(STATUS_LABELS[k]), statuses[k]) for k in STATUS_ORDER],
        par_phase=[Compte(pid, capitalized(name), phases[pid]) for pid, name in charter.phases],
        retard_par_partie=[Compte(p, names[p], n)
                           for p, n in sorted(by_party.items(), key=lambda kv: (-kv[1], names[kv[0]]))],
        plus_longs_retards=[line(charter, e, as_of) for e in late[:TOP_DELAYS]],
    )


def party_display(charter: Charter, party: str) -> str:
    """Display name of a resolved party id (actor short name, else the role's or the id)."""
    actor = charter.actors.get(party)
    return short_name(actor) if actor else charter.party_name(party)


def responsibility_rows(charter: Charter, entries: Sequence[Entry],
                        as_of: dt.date) -> list[LigneResponsabilite]:
    """The party × status table: each action counted once for each of its parties."""
    counts: dict[str, Counter[str]] = {}
    for entry in entries:
        leading = pilots(charter, entry)
        for party in resolved_parties(charter, entry):
            row = counts.setdefault(party, Counter())
            row[status_key(entry)] += 1
            row["__total"] += 1
            row["__late"] += entry.is_overdue(as_of)
            row["__lead"] += party in leading
    rows = []
    for party, row in counts.items():
        actor = charter.actors.get(party)
        rows.append(LigneResponsabilite(
            partie=party_display(charter, party), identifiee=actor.identifie if actor else True,
            par_statut=[row[k] for k in STATUS_ORDER], total=row["__total"], en_retard=row["__late"],
            pilotees=row["__lead"]))
    return sorted(rows, key=lambda r: (-r.total, r.partie))


def evaluated_rows(entries: Sequence[Entry], dimensions: Sequence[Dimension],
                   costs: CostIndex) -> list[LigneEvaluation]:
    """The evaluation rows of the actions that record an evaluation or whose cost the TFPB lines give
    (rows of blank cells are left out)."""
    rows = (evaluation_row(e, dimensions, costs) for e in entries
            if e.action.evaluation is not None or costs.linked(e.id))
    return [row for row in rows if row.renseignee]


def evaluation_resume(charter: Charter, entries: Sequence[Entry], section_id: str, nom: str,
                      costs: CostIndex, evaluees: int) -> ResumeEvaluation | None:
    """The evaluation of a section summed per dimension, as ``gusp evaluation`` sums it
    (:mod:`gusp_cli.governance.evaluation_summary`); None when the charter evaluates nothing."""
    if not grid(charter):
        return None
    summary = summarize(charter, entries, section_id, nom, costs)
    return ResumeEvaluation(section_id, nom, [dimension_resume(d, summary) for d in summary.dimensions],
                            evaluees, summary.total, summary.completes)


def dimension_resume(dimension: DimensionSummary, summary: Summary) -> ResumeDimension:
    """One dimension of the summary as the review shows it: for the cost, recorded plus TFPB."""
    d = dimension.dimension
    is_cost = d.id == COST
    return ResumeDimension(d.id, d.libelle, d.type.value, dimension.renseignees, dimension.total,
                           oui=dimension.oui, non=dimension.non,
                           somme=summary.cout_total if is_cost else dimension.somme,
                           depuis_tfpb=dimension.depuis_tfpb if is_cost else 0,
                           somme_tfpb=summary.cout_tfpb if is_cost else None)


def evaluation_row(entry: Entry, dimensions: Sequence[Dimension],
                   costs: CostIndex | None = None) -> LigneEvaluation:
    """The evaluation table row of an action, blank where nothing is reported; a cost not recorded is
    taken from the action's TFPB lines with its source (never estimated)."""
    ev = entry.action.evaluation
    values = [value_of(ev, d.id) for d in dimensions]
    at = next((i for i, d in enumerate(dimensions) if d.id == COST), None)
    cost = values[at] if at is not None else None
    source = None
    if at is not None and cost is None and costs is not None:
        found = costs.cost(entry)
        if found.origine == "tfpb":
            cost = values[at] = found.montant
            shared = sorted({other for s in found.sources for other in s.partagee_avec})
            source = found.source + (f" (ligne partagée avec {', '.join(shared)})" if shared else "")
    comment = ev.commentaire if ev else None
    return LigneEvaluation(entry.id, entry.action.libelle, values, cost, comment, source)


def decisions(charter: Charter, entries: Sequence[Entry], as_of: dt.date) -> Decisions:
    """Long delays (grouped by party, longest first), parties not identified, actions without échéance."""
    long_late = [e for e in overdue(entries, as_of) if e.days_late(as_of) > LONG_DELAY_DAYS]
    lines = {e.id: line(charter, e, as_of) for e in long_late}
    by_party: dict[str, list[Ligne]] = {}
    for entry in long_late:
        for party in resolved_parties(charter, entry):
            by_party.setdefault(party_display(charter, party), []).append(lines[entry.id])
    ranked = sorted(by_party.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    grouped = [PointPartie(p, items) for p, items in ranked]
    unidentified = [e for e in entries if any(not a.identifie for p in resolved_parties(charter, e)
                                              if (a := charter.actors.get(p)) is not None)]
    return Decisions(
        retards_longs=list(lines.values()),
        par_partie=grouped,
        parties_non_identifiees=[line(charter, e, as_of) for e in unidentified],
        sans_echeance=[line(charter, e, as_of) for e in without_echeance(entries)],
        sans_statut=sum(1 for e in entries if e.action.statut is None),
    )


def governance(charter: Charter, as_of: dt.date, year: int) -> list[InstanceInfo]:
    """The governance bodies: rhythm, members named (roles by their role name), meetings held in
    the year, and whether each is late at ``as_of`` (:func:`gusp_cli.governance.calendar.body_status`)."""
    assert charter.charte is not None
    from gusp_cli.french.dates import delay_words
    from gusp_cli.governance.calendar import body_status
    from gusp_cli.model.rhythm import LABELS

    bodies = []
    for body in charter.charte.instances:
        status = body_status(charter, body, as_of)
        held = sum(1 for r in charter.reunions
                   if r.instance == body.id and r.date.year == year and r.date <= as_of)
        since = (f"dernière réunion le {format_date(status.derniere.date)}" if status.derniere
                 else f"aucune réunion enregistrée depuis le {format_date(status.reference)}")
        late = f"{since} ({delay_words(status.reference, as_of)})" if status.en_retard else ""
        bodies.append(InstanceInfo(
            body.id, body.nom, LABELS[body.frequence] if body.frequence else "sans rythme fixé",
            [charter.party_name(m) for m in body.membres],
            derniere=status.derniere.date if status.derniere else None, en_retard=status.en_retard,
            retard_texte=late, tenues_annee=held,
            programmee=status.programmee.date if status.programmee else None))
    return bodies


def named_decisions(charter: Charter, as_of: dt.date, year: int) -> list[DecisionReunion]:
    """The decisions of the meetings held in ``year`` that name actions, by date."""
    bodies = {i.id: i.nom for i in charter.charte.instances} if charter.charte else {}
    out = []
    for meeting in sorted(charter.reunions, key=lambda r: (r.date, r.instance)):
        if meeting.date.year != year or meeting.date > as_of:
            continue
        for decision in meeting.decisions:
            if decision.actions:
                named = [(a, charter.by_id[a].action.libelle if a in charter.by_id else "")
                         for a in decision.actions]
                out.append(DecisionReunion(meeting.date, bodies.get(meeting.instance, meeting.instance),
                                           decision.texte, named))
    return out


def insertion(charter: Charter) -> InsertionInfo | None:
    """The insertion objective and required indicators (None when the charter sets none)."""
    assert charter.charte is not None
    from gusp_cli.model.rhythm import LABELS

    ins = charter.charte.insertion
    if ins is None:
        return None
    return InsertionInfo(ins.objectif_pourcentage, ins.objectif_texte,
                         LABELS[ins.frequence_rapport], ins.destinataire,
                         list(ins.indicateurs))


def meetings(charter: Charter, as_of: dt.date, year: int) -> list[Reunion]:
    """Meetings recorded in ``reunions.yaml``: those held during ``year`` (up to ``as_of``) and
    those fixed after ``as_of``, by date. Dates planned from a body's rhythm are not records and
    are left out (nothing invented)."""
    bodies = {i.id: i.nom for i in charter.charte.instances} if charter.charte else {}
    names = {q.id: q.nom for q in charter.quartiers}
    kept = [r for r in charter.reunions
            if (r.date.year == year and r.date <= as_of) or r.date > as_of]
    return [Reunion(r.instance, bodies.get(r.instance, r.instance), r.date, r.date <= as_of,
                    [names.get(q, q) for q in r.quartiers], r.objet, [d.texte for d in r.decisions],
                    r.compte_rendu)
            for r in sorted(kept, key=lambda r: (r.date, r.instance))]


def insertion_review(charter: Charter, as_of: dt.date, year: int) -> InsertionRevue | None:
    """The semesters recorded up to the end of ``year``, each objective measured on them all
    (cumulated), and the semesters due by ``as_of`` (up to ``year``) with no record. None when the
    charter has no insertion clause and records nothing."""
    from gusp_cli.governance.insertion import attainment, due_semesters, objectives, recorded
    from gusp_cli.model.insertion_records import MODALITES

    if charter.charte is None or (charter.charte.insertion is None and charter.insertion is None):
        return None
    records = {s: r for s, r in sorted(recorded(charter).items()) if s.year <= year}
    rows = []
    for semester, rec in records.items():
        ways = [(label, float(getattr(rec.modalites, key))) for key, label in MODALITES
                if rec.modalites is not None and getattr(rec.modalites, key)]
        rows.append(InsertionSemestre(semester.label, rec.heures_travaux, rec.heures_gup,
                                      rec.beneficiaires, ways, rec.transmis_le))
    goals = []
    for objective in objectives(charter.charte):
        measured = attainment(objective, records.values())
        goals.append(InsertionObjectif(objective.label, objective.pourcentage, measured.heures,
                                       measured.base, measured.taux, measured.atteint,
                                       measured.sans_base))
    missing = [s.label for s in due_semesters(charter, as_of) if s.year <= year and s not in records]
    return InsertionRevue(rows, goals if records else [], missing, charter.insertion is not None)


# ----------------------------------------------------------------------------- git history


def amendments(root: Path, year: int, end: dt.date) -> Historique:
    """The amendments of ``year`` up to ``end``, from git (read-only).

    Compares the charter at the last commit before 1 January with the last commit up to ``end``
    (semantic diff of :mod:`gusp_cli.history.diff`), and lists the commits of the period that touched
    ``charter-data/``. Outside git (or without git) the history is marked unavailable; a git
    failure never stops the review.
    """
    from gusp_cli.history.git import GitRepo, in_git
    from gusp_cli.model.errors import GuspError

    if not in_git(root):
        return Historique(False, "la charte n’est pas dans un dépôt git")
    try:
        repo = GitRepo.open(root)
        return _year_diff(repo, year, end)
    except GuspError as exc:
        return Historique(False, exc.message.splitlines()[0])


def _last_commit(repo: GitRepo, before: str) -> str | None:
    """The last commit (HEAD's history) dated strictly before ``before`` (ISO date-time)."""
    if repo.commit_of("HEAD") is None:
        return None
    out = repo.git("rev-list", "-1", f"--before={before}", "HEAD").decode().strip()
    return out or None


def _year_diff(repo: GitRepo, year: int, end: dt.date) -> Historique:
    """The semantic diff of the year and its commits."""
    from gusp_cli.history.diff import Side, diff_charters, load_side, require_valid

    start_sha = _last_commit(repo, f"{year}-01-01T00:00:00")
    if start_sha is None and repo.shallow:  # the clone may just start after 1 January
        from gusp_cli.history.git import TruncatedHistory

        raise TruncatedHistory(f"l'état de la charte au 31 décembre {year - 1} n'est pas dans les "
                               "commits récupérés")
    end_sha = _last_commit(repo, f"{end + dt.timedelta(days=1)}T00:00:00")
    commits = _commits(repo, year, end)
    target = Side(end_sha, end_sha, repo.short(end_sha)) if end_sha else None
    after = require_valid(load_side(repo, target), repo, target) if target else None
    if target is None or after is None:
        return Historique(True, note=f"la charte n’est pas encore enregistrée dans git au "
                          f"{format_date(end)}", commits=commits)
    cible = f"{format_date(end)} (commit {target.short})"
    base = Side(start_sha, start_sha, repo.short(start_sha)) if start_sha else None
    before = require_valid(load_side(repo, base), repo, base) if base else None
    if base is None or before is None:
        first = commits[-1].date if commits else None
        return Historique(True, cible=cible, creation=first, commits=commits)
    diff = diff_charters(before, after, base, target)
    mods = Modifications()
    for qdiff in diff.quartiers:
        for adiff in qdiff.actions:
            _collect(adiff, qdiff.id, mods)
    return Historique(True, base=f"31 décembre {year - 1} (commit {base.short})", cible=cible,
                      commits=commits, modifications=mods)


def _collect(adiff: ActionDiff, quartier_id: str, mods: Modifications) -> None:
    """File one action diff under added, removed, deadline moved or status changed."""
    action = adiff.placed.action
    if adiff.nature == "ajoutee":
        mods.ajoutees.append(Amendement(action.id, action.libelle, quartier_id,
                                        apres=action.echeance))
    elif adiff.nature == "supprimee":
        mods.supprimees.append(Amendement(action.id, action.libelle, quartier_id))
    kinds = {"echeance": mods.echeances, "statut": mods.statuts, "responsables": mods.responsables,
             "libelle": mods.libelles}
    for change in adiff.champs:
        if change.champ in kinds:
            kinds[change.champ].append(Amendement(action.id, action.libelle, quartier_id, change.avant,
                                                  change.apres, change.motif or change.note))


def _commits(repo: GitRepo, year: int, end: dt.date) -> list[CommitLigne]:
    """Commits of the period that touched ``charter-data/``, newest first (merges left out)."""
    from gusp_cli.model.layout import DATA_DIR

    if repo.commit_of("HEAD") is None:
        return []
    out = repo.git("log", "--no-merges", f"--since={year}-01-01T00:00:00",
                   f"--until={end}T23:59:59", "--format=%x1e%cs%x1f%h%x1f%an%x1f%s", "HEAD",
                   "--", DATA_DIR)
    commits = []
    for chunk in out.decode("utf-8", "replace").split("\x1e")[1:]:
        day, short, author, subject = [*chunk.strip("\n").split("\x1f"), "", "", ""][:4]
        commits.append(CommitLigne(dt.date.fromisoformat(day), short, author, subject))
    return commits
