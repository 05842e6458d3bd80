"""What each page of the published site shows, as plain dataclasses its templates render.

Pure core: a loaded charter seen on a day (``Charter.on``) gives the pages; nothing here renders
HTML, reads the clock or writes. The follow-up goes through :mod:`gusp_cli.publish.public` (notes
only when marked public); meetings are shown by date, body and quartiers (never their
participants, decisions or minutes), deliberations by body and date (never who attended), and
insertion by its cumulated aggregates against the objectives.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gusp_cli.french.dates import STATUS_LABELS, delay_words, format_date, format_number
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.rhythm import LABELS as RHYTHMS
from gusp_cli.publish import paths
from gusp_cli.publish.progress import ETAT_SINGULIER, Barre, barre, etat
from gusp_cli.publish.public import AJOUT, AVENANT, MISE_A_JOUR, NOTE, STATUT, PublicEntry, public_entries
from gusp_cli.track.delays import delay_reason
from gusp_cli.track.fiche import indicator_text, means_lines, objective_of

CHAMPS = {"echeance": "Échéance", "libelle": "Libellé", "responsables": "Responsables"}
"""Amended fields in words."""


# ----------------------------------------------------------------------------- site-wide


@dataclass(frozen=True)
class Licence:
    """The licence of the published data."""

    id: str
    """Its identifier in the data package (``etalab-2.0``)."""
    titre: str
    url: str


@dataclass(frozen=True)
class SiteInfo:
    """What every page shows: the charter, its owner, the date of the data, the licence."""

    titre: str
    territoire: str | None
    """The charter's territory, None when the title already names it."""
    porteur: str
    periode: str
    """« 2019 – 2026 »."""
    date: dt.date
    """The day the charter is seen on: the date of the data."""
    licence: Licence
    flux: bool
    """True when the Atom feed has something to tell (the charter is in git)."""


def site_info(charter: Charter, day: dt.date, licence: Licence, *, flux: bool) -> SiteInfo:
    """The charter-wide facts of every page."""
    charte = charter.charte
    assert charte is not None, "publish needs a valid charter"
    porteur = charter.actors.get(charte.porteur)
    owner = porteur.nom if porteur else charte.porteur
    said = (charte.titre, owner)
    territoire = charte.territoire
    if territoire and any(territoire in text for text in said):
        territoire = None
    return SiteInfo(charte.titre, territoire, owner,
                    f"{charte.periode.debut} – {charte.periode.fin}", day, licence, flux)


# ----------------------------------------------------------------------------- one action, in a table


@dataclass(frozen=True)
class ActionLigne:
    """An action as a quartier's tables list it."""

    id: str
    lien: str
    """Its page, relative to the quartier's page."""
    numero: str
    libelle: str
    etat: str
    """Its category (:data:`gusp_cli.publish.progress.ETATS`)."""
    etat_libelle: str
    precision: str | None
    """What the category does not say: the recorded status (« statut : reportée »), the completion
    date; None when the category says it all."""
    echeance: str
    responsables: str
    suivi: str
    """Its latest follow-up entry in a few words (« — » when none)."""


def responsible_names(charter: Charter, entry: Entry) -> list[str]:
    """The responsible parties by name (roles resolved in the quartier), the pilot first and said."""
    action = entry.action
    ordered = sorted(action.responsables, key=lambda p: p != action.pilote)
    return [charter.party_name(p, entry.quartier) + (" (pilote)" if p == action.pilote else "")
            for p in ordered]


def status_words(entry: Entry) -> str:
    """« en cours », « réalisée le 3 mars 2026 », « non renseigné »."""
    action = entry.action
    words = STATUS_LABELS[action.statut.value if action.statut else None]
    if action.date_realisation is not None:
        words += f" le {format_date(action.date_realisation)}"
    return words


def precision(entry: Entry, category: str) -> str | None:
    """The recorded status when the category does not already say it, or the completion date."""
    action = entry.action
    if action.date_realisation is not None:
        return f"le {format_date(action.date_realisation)}"
    if action.statut is None or category in ("realisee", "abandonnee", "en_cours"):
        return None
    return f"statut : {STATUS_LABELS[action.statut.value]}"


def entry_summary(item: PublicEntry | None) -> str:
    """A follow-up entry in a few words, for a table cell."""
    if item is None:
        return "—"
    day = format_date(item.date)
    if item.nature == AJOUT:
        return f"ajoutée le {day}"
    if item.nature == AVENANT:
        return f"{CHAMPS.get(item.champ or '', 'Action').lower()} modifiée le {day}"
    if item.nature == STATUT:
        return f"{STATUS_LABELS[item.statut]} le {day}"
    if item.nature == NOTE:
        return f"{day} : {item.note}"
    return f"mise à jour le {day}"


def action_row(charter: Charter, entry: Entry, day: dt.date) -> ActionLigne:
    """The row of an action in its quartier's table."""
    action = entry.action
    entries = public_entries(action)
    category = etat(entry, day)
    return ActionLigne(action.id, "../../" + paths.action_path(action.id), str(action.numero),
                       action.libelle, category, ETAT_SINGULIER[category], precision(entry, category),
                       action.echeance or "aucune", ", ".join(responsible_names(charter, entry)),
                       entry_summary(entries[-1] if entries else None))


# ----------------------------------------------------------------------------- quartier page


@dataclass(frozen=True)
class TableauPage:
    """An action table of a quartier, as the charter titles it."""

    titre: str
    secteur: str | None
    lignes: list[ActionLigne]


@dataclass(frozen=True)
class Theme:
    """The tables under one theme (``titre`` None: tables without a theme)."""

    titre: str | None
    tableaux: list[TableauPage]


@dataclass(frozen=True)
class Groupe:
    """The tables of one phase (``titre`` None for a charter without phases)."""

    titre: str | None
    themes: list[Theme]


@dataclass(frozen=True)
class QuartierPage:
    """One quartier (or the charter-wide actions): context, sectors, progress and action tables."""

    id: str
    nom: str
    commune: str | None
    """The town, when the quartier's name does not already say it."""
    chemin: str
    territoire: bool
    contexte: list[str]
    """Paragraphs of the charter's presentation."""
    chiffres: list[str]
    secteurs: list[tuple[str, str | None]]
    """(name, description) of each sector."""
    participation: list[str]
    """The residents' participation: the charter's introduction and each modality."""
    programme: list[str]
    barre: Barre
    groupes: list[Groupe]


def capitalized(label: str) -> str:
    """``gestion actuelle`` -> ``Gestion actuelle`` (the first letter only)."""
    return label[:1].upper() + label[1:]


def paragraphs(text: str | None) -> list[str]:
    """A text of the YAML cut into paragraphs, each on one line: blank lines part them in a literal
    block (``|``), line breaks in a folded one (``>``, whose blank lines become line breaks)."""
    if not text:
        return []
    parts = text.split("\n\n") if "\n\n" in text.strip() else text.split("\n")
    return [" ".join(p.split()) for p in parts if p.strip()]


def mentions(title: str, name: str) -> bool:
    """True when every word of ``name`` is in ``title`` (accents, case and a plural's s aside): a
    table titled « Gestion actuelle / Zone de diversification » needs no « secteur Zones de
    diversification » after it."""
    from gusp_cli.french.text import fold

    def words(text: str) -> set[str]:
        return {w.rstrip("sx") or w for w in re.findall(r"\w+", fold(text))}

    return words(name) <= words(title)


def _figure(item: Any) -> str:
    """« Population : 5 355 habitants (2011) »."""
    value = item.valeur if isinstance(item.valeur, str) else format_number(item.valeur)
    unit = f" {item.unite}" if item.unite else ""
    year = f" ({item.annee})" if item.annee else ""
    where = f", {item.perimetre}" if item.perimetre else ""
    return f"{item.libelle} : {value}{unit}{year}{where}"


def groups(charter: Charter, entries: Sequence[Entry], day: dt.date) -> list[Groupe]:
    """The tables of a quartier, grouped by phase (the charter's order) then by theme (first seen)."""
    rows: dict[int, list[ActionLigne]] = {}
    tables: dict[int, Any] = {}
    for entry in entries:
        rows.setdefault(id(entry.tableau), []).append(action_row(charter, entry, day))
        tables.setdefault(id(entry.tableau), entry)
    by_phase: dict[str | None, dict[str | None, list[TableauPage]]] = {}
    for key, first in tables.items():
        tableau = first.tableau
        secteur = next((s.nom for s in first.quartier.secteurs if s.id == tableau.secteur), tableau.secteur)
        shown = None if secteur is None or mentions(tableau.titre, secteur) else secteur
        page = TableauPage(tableau.titre, shown, rows[key])
        by_phase.setdefault(tableau.phase, {}).setdefault(tableau.theme, []).append(page)
    order = [pid for pid, _ in charter.phases]
    phases = sorted(by_phase, key=lambda p: order.index(p) if p in order else len(order))
    return [Groupe(capitalized(charter.phase_name(p)) if p is not None else None,
                   [Theme(t, pages) for t, pages in by_phase[p].items()]) for p in phases]


def quartier_page(charter: Charter, quartier: Any, day: dt.date) -> QuartierPage:
    """The page of a quartier (the territory's view included)."""
    entries = charter.entries_of(quartier.id)
    participation = quartier.participation
    lines = ([*paragraphs(participation.texte), *participation.modalites] if participation else [])
    commune = quartier.commune if quartier.commune and quartier.commune not in quartier.nom else None
    return QuartierPage(
        id=quartier.id, nom=quartier.nom, commune=commune, chemin=paths.quartier_path(quartier.id),
        territoire=charter.is_territory(quartier), contexte=paragraphs(quartier.contexte),
        chiffres=[_figure(c) for c in quartier.chiffres_cles],
        secteurs=[(s.nom, " ".join(s.description.split()) if s.description else None)
                  for s in quartier.secteurs],
        participation=[" ".join(line.split()) for line in lines],
        programme=paragraphs(quartier.programme), barre=barre(entries, day),
        groupes=groups(charter, entries, day))


# ----------------------------------------------------------------------------- action page


@dataclass(frozen=True)
class Evenement:
    """One dated line of an action's timeline."""

    date: dt.date
    titre: str
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActionPage:
    """Everything public about one action."""

    id: str
    libelle: str
    chemin: str
    quartier: str
    quartier_lien: str
    place: list[tuple[str, str]]
    """(label, value) of its place in the charter: table, phase, sector, theme, number, objective."""
    responsables: list[str]
    echeance: str
    statut: str
    etat: str
    etat_libelle: str
    retard: str | None
    """How late, in words, with the rule for an ongoing action (None when not late)."""
    retard_titre: str
    """« Retard » for a real delay; « Échéance dépassée de » when nothing is recorded."""
    fiche: list[tuple[str, str]]
    """(label, value) of its fiche-action fields, when the charter records them."""
    evenements: list[Evenement]


def echeance_words(entry: Entry) -> str:
    """« 2021 (due le 31 décembre 2021) », « en continu (action continue, en place dès le début de la
    charte) », « aucune »; the rhythm of an ongoing action."""
    action = entry.action
    if action.echeance is None:
        text = "aucune"
    elif entry.continuous is not None:
        text = f"{action.echeance} (action continue, en place dès le début de la charte)"
    else:
        due = format_date(entry.due) if entry.due else "non reconnue"
        text = f"{action.echeance} ({'à mettre en place le' if action.frequence else 'due le'} {due})"
    if action.frequence is not None:
        text += f" ; rythme : {RHYTHMS[action.frequence]}"
    return text


def late_words(entry: Entry, day: dt.date) -> str | None:
    """« 4 ans 10 mois au 25 novembre 2026 (pas mis en place) », or None when on time."""
    late = entry.lateness(day)
    if late is None:
        return None
    reason = delay_reason(entry, day)
    return f"{delay_words(late.since, day)} au {format_date(day)}" + (f" ({reason})" if reason else "")


def event(charter: Charter, entry: Entry, item: PublicEntry) -> Evenement:
    """One follow-up entry as a timeline line (nothing but what :mod:`~gusp_cli.publish.public` gives)."""
    details = []
    if item.nature == AJOUT:
        title = "Action ajoutée à la charte"
    elif item.nature == AVENANT:
        title = f"{CHAMPS.get(item.champ or '', item.champ or '')} modifiée"
        if item.champ == "responsables" and item.ancienne_valeur:
            parties = [p.strip() for p in item.ancienne_valeur.replace(",", " ").split()]
            names = [charter.party_name(p, entry.quartier) for p in parties]
            details.append("Auparavant : " + ", ".join(names))
        elif item.ancienne_valeur or item.nouvelle_valeur:
            before, after = item.ancienne_valeur or "non renseignée", item.nouvelle_valeur or "—"
            details.append(f"« {before} » → « {after} »")
        if item.statut is not None:
            details.append(f"Statut : {STATUS_LABELS[item.statut]}")
    elif item.nature == STATUT:
        title = f"Statut : {STATUS_LABELS[item.statut]}"
    elif item.nature == NOTE:
        title = "Point d’avancement"
    else:
        title = "Mise à jour"
    if item.motif:
        details.append(f"Motif : {item.motif}")
    if item.note is not None and item.nature != MISE_A_JOUR:
        details.append(item.note)
    return Evenement(item.date, title, details)


def place_lines(charter: Charter, entry: Entry) -> list[tuple[str, str]]:
    """Where the action stands in the charter; a line the charter does not fill is left out."""
    tableau = entry.tableau
    lines = [("Tableau", tableau.titre)]
    if tableau.phase is not None:
        lines.append(("Phase", capitalized(charter.phase_name(tableau.phase))))
    secteur = next((s.nom for s in entry.quartier.secteurs if s.id == tableau.secteur), tableau.secteur)
    if secteur:
        lines.append(("Secteur", secteur))
    if tableau.theme:
        lines.append(("Thème", tableau.theme))
    lines.append(("Numéro dans le tableau", str(entry.action.numero)))
    place = objective_of(charter, entry)
    if place is not None:
        lines += [("Axe", place.axe_label), ("Objectif", place.objectif_label)]
    return lines


def fiche_lines(charter: Charter, entry: Entry) -> list[tuple[str, str]]:
    """The fiche-action fields the charter records: public, place, means, indicators."""
    action = entry.action
    lines = []
    if action.public_cible:
        lines.append(("Public visé", action.public_cible))
    if action.localisation:
        lines.append(("Localisation", action.localisation))
    lines += means_lines(charter, entry)
    lines += [("Indicateur", indicator_text(i)) for i in action.indicateurs]
    return lines


def action_page(charter: Charter, entry: Entry, day: dt.date) -> ActionPage:
    """The page of one action."""
    action = entry.action
    category = etat(entry, day)
    quartier = charter.quartier(entry.quartier.id) or entry.quartier
    return ActionPage(
        id=action.id, libelle=action.libelle, chemin=paths.action_path(action.id), quartier=quartier.nom,
        quartier_lien="../../" + paths.quartier_path(quartier.id), place=place_lines(charter, entry),
        responsables=responsible_names(charter, entry), echeance=echeance_words(entry),
        statut=status_words(entry), etat=category, etat_libelle=ETAT_SINGULIER[category],
        retard=late_words(entry, day),
        retard_titre="Retard" if category == "en_retard" else "Échéance dépassée de",
        fiche=fiche_lines(charter, entry),
        evenements=[event(charter, entry, item) for item in public_entries(action)])
