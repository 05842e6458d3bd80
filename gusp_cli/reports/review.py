"""The annual management review (« revue annuelle de gestion »): the context its templates render.

Pure core: :func:`build_review` turns a loaded charter, an as-of date, a reviewed year and an
optional quartier filter into plain dataclasses; nothing here imports Jinja or reads the clock.
The only outside world it touches is git, read-only, for the amendments of the year
(:func:`amendments`, through :mod:`gusp_cli.history.diff`).

Nothing is invented: the charter records no status, cost or evaluation for most actions, so
absent values stay ``None`` (blank cells) and are counted as « non renseigné ».

Governance and insertion records: ``Revue.reunions`` lists the meetings recorded in
``reunions.yaml`` (:func:`meetings`); ``Revue.insertion_semestres`` is a hook
(:func:`insertion_semesters`, empty for now: the semester indicators against the objective are to
be filled from the insertion records); an empty list renders « aucune donnée enregistrée ».
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import STATUS_LABELS, format_date
from gusp_cli.model.charter import Charter, Entry, short_name
from gusp_cli.model.evaluation import Dimension, grid, value_of
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


@dataclass(frozen=True)
class LigneEvaluation:
    """A row of the charter's evaluation table: ``None`` is a blank cell (not reported)."""

    id: str
    libelle: str
    valeurs: list[Any]
    """One value per dimension of the charter's grid (:attr:`Revue.grille`), in its order."""
    cout: float | None
    """The value of the ``cout`` dimension, when the grid has one."""
    commentaire: str | None

    @property
    def renseignee(self) -> bool:
        """True when at least one cell is reported."""
        return any(v is not None for v in (*self.valeurs, self.commentaire))


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

    @property
    def vide(self) -> bool:
        """True when nothing changed."""
        return not (self.ajoutees or self.supprimees or self.echeances or self.statuts)

    def of(self, quartier_id: str) -> Modifications:
        """The amendments of one quartier."""
        def keep(items: list[Amendement]) -> list[Amendement]:
            return [a for a in items if a.quartier == quartier_id]
        return Modifications(keep(self.ajoutees), keep(self.supprimees), keep(self.echeances),
                             keep(self.statuts))


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
    """Insertion indicators reported for one semester. Hook: see module doc."""

    periode: str
    """« S1 2026 »."""
    taux: float | None = None
    """Share of direct or indirect hires, in percent (compared with the objective)."""
    heures: float | None = None
    """Hours worked."""
    beneficiaires: int | None = None
    valeurs: list[tuple[str, str]] = field(default_factory=list)
    """Other indicators as reported: (indicator, value)."""


@dataclass(frozen=True)
class InstanceInfo:
    """A governance body as the charter defines it."""

    id: str
    nom: str
    rythme: str
    """« tous les trimestres »."""
    membres: list[str]


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
    modifications: Modifications = field(default_factory=Modifications)
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
        """Rows of the evaluation table with at least one reported cell."""
        return sum(1 for row in self.evaluation if row.renseignee)

    @property
    def sans_statut_ids(self) -> list[str]:
        """Ids of the actions without status, consecutive ones collapsed (« CEN-001 à CEN-089 »)."""
        return id_ranges(line.id for line in self.sans_statut)

    @property
    def cout_renseigne(self) -> float | None:
        """Sum of the reported costs (None when no cost is reported: never a made-up 0)."""
        costs = [row.cout for row in self.evaluation if row.cout is not None]
        return sum(costs) if costs else None


@dataclass(frozen=True)
class PointPartie:
    """A party and its actions late by more than :data:`LONG_DELAY_DAYS`."""

    partie: str
    actions: list[str]

    @property
    def plages(self) -> list[str]:
        """The ids, consecutive ones collapsed."""
        return id_ranges(self.actions)


@dataclass
class Decisions:
    """Points put to the COPIL's decision."""

    retards_longs: list[Ligne]
    retards_longs_par_partie: list[PointPartie]
    parties_non_identifiees: list[Ligne]
    sans_echeance: list[Ligne]
    sans_statut: int


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
    insertion_semestres: list[InsertionSemestre]
    historique: Historique
    decisions: Decisions
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
        """Date of the deciding body's next meeting from the records (None when none is recorded)."""
        planned = [r.date for r in self.reunions
                   if r.instance == self.instance_decision_id and r.date >= self.as_of]
        return min(planned) if planned else None

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
    sections = []
    for quartier in charter.quartiers:
        if quartier.id in selected:
            group = [e for e in entries if e.quartier.id == quartier.id]
            section = build_section(charter, group, quartier.id, quartier.nom, quartier.commune,
                                    as_of, year, horizon)
            section.modifications = history.modifications.of(quartier.id)
            if not charter.is_territory(quartier):
                section.veille = build_veille(charter, quartier.id, dt.date(year, 1, 1), end)
            sections.append(section)
    whole = build_section(charter, entries, "ensemble", "Ensemble de la charte",
                          ", ".join(s.commune for s in sections), as_of, year, horizon)
    whole.modifications = history.modifications
    charte = charter.charte
    porteur = charter.actors.get(charte.porteur)
    reunions = meetings(charter, as_of, year)
    body = charter.deciding_body
    return Revue(
        titre=charte.titre,
        territoire=None if charte.territoire and charte.territoire in charte.titre else charte.territoire,
        porteur=porteur.nom if porteur else charte.porteur,
        periode_debut=charte.periode.debut, periode_fin=charte.periode.fin,
        annee=year, as_of=as_of, debut=dt.date(year, 1, 1), fin=end, horizon=horizon,
        perimetre=sections[0].nom if len(sections) == 1 else "toute la charte",
        ensemble=whole, quartiers=sections,
        statuts=[capitalized(STATUS_LABELS[k]) for k in STATUS_ORDER],
        instances=governance(charter), insertion=insertion(charter),
        reunions=reunions, insertion_semestres=insertion_semesters(charter, year),
        historique=history, decisions=decisions(charter, entries, as_of), grille=grid(charter),
        instance_decision=body.nom if body else None, instance_decision_id=body.id if body else None,
        phases=bool(charter.phases), pilotes=any(e.action.pilote for e in charter.entries),
        roles=[role.nom for role in charter.roles.values()],
        tfpb=tfpb_section(charter, year, as_of, None if quartiers is None else sorted(selected)),
    )


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
        dernier_suivi=latest_line(charter, entry),
    )


def build_section(charter: Charter, entries: Sequence[Entry], section_id: str, nom: str, commune: str,
                  as_of: dt.date, year: int, horizon: dt.date) -> Section:
    """The review of a set of actions (in document order)."""
    def lines(items: Iterable[Entry]) -> list[Ligne]:
        return [line(charter, e, as_of) for e in items]

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
        evaluation=[evaluation_row(e, grid(charter)) for e in entries],
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


def evaluation_row(entry: Entry, dimensions: Sequence[Dimension]) -> LigneEvaluation:
    """The evaluation table row of an action, blank where nothing is reported."""
    ev = entry.action.evaluation
    values = [value_of(ev, d.id) for d in dimensions]
    cost = value_of(ev, "cout") if any(d.id == "cout" for d in dimensions) else None
    return LigneEvaluation(entry.id, entry.action.libelle, values, cost, ev.commentaire if ev else None)


def decisions(charter: Charter, entries: Sequence[Entry], as_of: dt.date) -> Decisions:
    """Long delays (grouped by party), parties not identified, actions without échéance."""
    long_late = [e for e in overdue(entries, as_of) if e.days_late(as_of) > LONG_DELAY_DAYS]
    by_party: dict[str, list[str]] = {}
    for entry in sorted(long_late, key=lambda e: e.index):
        for party in resolved_parties(charter, entry):
            by_party.setdefault(party_display(charter, party), []).append(entry.id)
    ranked = sorted(by_party.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    grouped = [PointPartie(p, ids) for p, ids in ranked]
    unidentified = [e for e in entries if any(not a.identifie for p in resolved_parties(charter, e)
                                              if (a := charter.actors.get(p)) is not None)]
    return Decisions(
        retards_longs=[line(charter, e, as_of) for e in long_late],
        retards_longs_par_partie=grouped,
        parties_non_identifiees=[line(charter, e, as_of) for e in unidentified],
        sans_echeance=[line(charter, e, as_of) for e in without_echeance(entries)],
        sans_statut=sum(1 for e in entries if e.action.statut is None),
    )


def governance(charter: Charter) -> list[InstanceInfo]:
    """The governance bodies and their rhythm, members named (roles by their role name)."""
    assert charter.charte is not None
    from gusp_cli.model.rhythm import LABELS

    return [InstanceInfo(i.id, i.nom, LABELS[i.frequence] if i.frequence else "sans rythme fixé",
                         [charter.party_name(m) for m in i.membres])
            for i in charter.charte.instances]


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


def insertion_semesters(charter: Charter, year: int) -> list[InsertionSemestre]:
    """Insertion indicators reported per semester, against the objective.

    Hook, empty for now: to be filled from ``charter.insertion`` (``insertion.yaml``) with the
    rates :mod:`gusp_cli.governance.insertion` computes; the templates already render the rows.
    """
    return []


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
    for change in adiff.champs:
        item = Amendement(action.id, action.libelle, quartier_id, change.avant, change.apres,
                          change.motif or change.note)
        if change.champ == "echeance":
            mods.echeances.append(item)
        elif change.champ == "statut":
            mods.statuts.append(item)


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
