"""Generate synthetic GUSP charter repositories of realistic shape, for the benchmark.

A repository of ``Q`` quartiers × ``A`` actions is written as ``charter-data/charte.yaml``,
``charter-data/acteurs.yaml`` and one ``charter-data/quartiers/qNNN.yaml`` per quartier, with plain
string templating (fast and diff-friendly). Everything is deterministic: quartier ``q001`` is the
same file whatever the size of the repository it belongs to (each quartier draws from its own seeded
random generator).

Shape, modelled on the embedded CALL charter: French labels with accents and typographic
apostrophes, 10–30 action tables per quartier across the three phases, 1–3 responsible parties per
action (the roles ``ville``/``bailleur`` and registry actors), mixed échéance forms (years, ranges,
seasons, quarters, semesters, months, ISO and French dates, some absent), and on some actions a
status, a completion date, dated follow-up entries and an evaluation.

Usage::

    python bench/generate.py OUT_DIR --quartiers 500 --actions 100 [--seed 8] [--tasks tasks.json]

``--tasks`` also writes the same actions as a Taskwarrior ``task import`` JSON file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SEED = 8

COMMUNES = (
    "Lens", "Liévin", "Avion", "Hénin-Beaumont", "Méricourt", "Sallaumines", "Harnes",
    "Bully-les-Mines", "Grenay", "Wingles", "Loos-en-Gohelle", "Noyelles-sous-Lens", "Courrières",
    "Montigny-en-Gohelle", "Carvin", "Béthune", "Bruay-la-Buissière", "Saint-Étienne-du-Rouvray",
    "Vénissieux", "Vaulx-en-Velin", "Évry-Courcouronnes", "Créteil", "Besançon", "Saint-Denis",
    "Aubervilliers", "Nîmes", "Montbéliard", "Châlons-en-Champagne", "Mâcon", "Orléans",
    "Épinay-sur-Seine", "Grigny", "Clichy-sous-Bois", "Sevran", "Trappes", "Mantes-la-Jolie",
    "Les Mureaux", "Roubaix", "Tourcoing", "Denain", "Maubeuge", "Valenciennes", "Amiens", "Rouen",
    "Le Havre", "Caen", "Rennes", "Brest", "Nantes", "Saint-Nazaire", "Angers", "Tours", "Poitiers",
    "Limoges", "Bordeaux", "Toulouse", "Montpellier", "Béziers", "Perpignan", "Marseille", "Toulon",
    "Nice", "Grenoble", "Échirolles", "Saint-Priest", "Villeurbanne", "Dijon", "Metz", "Nancy",
    "Strasbourg", "Mulhouse", "Colmar", "Reims", "Troyes", "Charleville-Mézières",
)
QUARTIER_NAMES = (
    "Cité du 12/14", "Les Hauts de la Ville", "Quartier de la Gare", "La Briqueterie",
    "Les Peupliers", "Le Mont-Soleil", "Résidence République", "Cité des Fleurs", "Les Provinces",
    "La Grande Résidence", "Cité Saint-Éloi", "Le Val Fourré", "Les Tilleuls", "La Source",
    "Les Bruyères", "Cité Jardin", "Le Petit Bard", "Les Églantiers", "Château-Rouge", "L’Ariane",
)
BAILLEURS = (
    ("maisons_et_cites", "Maisons & Cités", "M&C"),
    ("pas_de_calais_habitat", "Pas-de-Calais Habitat", "PDCH"),
    ("sia_habitat", "SIA Habitat", None),
    ("flandre_opale_habitat", "Flandre Opale Habitat", "FOH"),
    ("vilogia", "Vilogia", None),
    ("partenord_habitat", "Partenord Habitat", None),
    ("habitat_du_nord", "Habitat du Nord", None),
    ("office_public_de_l_habitat", "Office public de l’habitat de l’agglomération", "OPH"),
)
OTHER_ACTORS = (
    ("agglo", "Communauté d’agglomération du Bassin minier", "CABM", "epci"),
    ("ddtm", "Direction départementale des territoires et de la mer", "DDTM", "etat"),
    ("prefecture", "Préfecture du département", None, "etat"),
    ("caf", "Caisse d’allocations familiales", "CAF", "etablissement_public"),
    ("france_travail", "France Travail", None, "etablissement_public"),
    ("les_anges_gardins", "Les Anges Gardins", None, "association"),
    ("regie_de_quartier", "Régie de quartier du Bassin", None, "association"),
    ("centre_socio_culturel", "Centre socio-culturel Éole", "CSC", "association"),
    ("conseil_citoyen", "Conseil citoyen", None, "collectif"),
    ("futurs_promoteurs", "Futurs promoteurs", None, "promoteur"),
)
PARTNERS = tuple(a[0] for a in OTHER_ACTORS if a[0] not in ("futurs_promoteurs", "conseil_citoyen"))
PHASES = (("actuelle", "Gestion actuelle"), ("chantier", "Gestion phase chantier"),
          ("post_chantier", "Gestion post chantier"))
THEMES: dict[str, tuple[str, ...]] = {
    "Propreté": (
        "Ramassage des dépôts sauvages", "Nettoyage des pieds d’immeubles",
        "Installation de bornes d’apport volontaire enterrées", "Campagne de sensibilisation au tri sélectif",
        "Tour de quartier mensuel avec les partenaires", "Enlèvement des encombrants sur rendez-vous",
    ),
    "Espaces verts": (
        "Entretien des haies sur les parcelles locatives", "Plantation de prairie enherbée",
        "Taille des arbres d’alignement", "Création d’un jardin partagé au cœur de la cité",
        "Fauchage tardif des délaissés",
    ),
    "Stationnement": (
        "Verbalisation des véhicules ventouses", "Enlèvement des épaves",
        "Matérialisation des places de stationnement", "Création d’un parking provisoire pendant les travaux",
    ),
    "Tranquillité publique": (
        "Présence renforcée de la police municipale", "Médiation de nuit l’été",
        "Installation de la vidéoprotection", "Cellule de veille tranquillité trimestrielle",
    ),
    "Relation avec les usagers": (
        "Permanence du renouvellement urbain 2 fois par mois",
        "Diffusion d’un magazine d’information sur le projet de renouvellement urbain",
        "Réunion publique d’information sur l’avancée des travaux", "Ouverture d’une maison des projets",
        "Atelier « ça papote » au centre socio-culturel",
    ),
    "Gestion de chantier": (
        "Sécurisation des emprises de chantier", "Nettoyage des voiries après passage des engins",
        "Information des riverains avant le démarrage des travaux (date de début / durée)",
        "Gardiennage des logements vacants murés", "Lutte contre le vol de matériaux",
    ),
    "Éclairage public": (
        "Remplacement des candélabres défectueux", "Rétrocession de l’éclairage public à la Ville",
    ),
    "Insertion": (
        "Suivi des heures d’insertion des marchés de travaux",
        "Chantier éducatif avec les jeunes du quartier",
    ),
}
PLACES = (
    "rue Émile Zola", "place Cauchy", "résidence Les Peupliers", "avenue Jean Jaurès",
    "square de l’Église", "cité du Moulin", "rue de la Bassée", "parc du Jeu de Balle",
    "allée des Écoles", "boulevard Salengro",
)
SECTEURS = (("ensemble", "Ensemble du quartier"), ("nord", "Secteur Nord"), ("sud", "Secteur Sud"),
            ("coeur", "Cœur de quartier"), ("gare", "Secteur de la Gare"))
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
SEASONS = ("Printemps", "Été", "Automne", "Hiver")
NOTES = ("Point fait en comité technique.", "Relance du bailleur.", "Travaux commencés, suivi à la "
         "prochaine réunion.", "Retour des habitants positif.", "Décalé à cause du chantier voisin.")
LAST_FOLLOW_UP = dt.date(2026, 6, 30)
"""Follow-up and completion dates stay before this day, so the data is valid whatever today is."""


@dataclass
class ActionRecord:
    """One generated action, kept for the Taskwarrior export."""

    id: str
    quartier: str
    libelle: str
    echeance: str | None
    statut: str | None
    date_realisation: dt.date | None


@dataclass
class Registry:
    """The actors of the generated registry, by kind."""

    communes: dict[str, str] = field(default_factory=dict)
    """Commune name -> actor id (``ville_de_lens``)."""


def slug(text: str) -> str:
    """Lower-case ASCII identifier of a French name (``Liévin`` -> ``lievin``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(c if c.isalnum() else "_" for c in folded)
    return "_".join(p for p in out.split("_") if p)


def prefix(index: int) -> str:
    """Action id prefix of quartier ``index`` (0-based): ``QAAA``, ``QAAB``... (base 26)."""
    letters = []
    for _ in range(3):
        index, rest = divmod(index, 26)
        letters.append(chr(ord("A") + rest))
    if index:
        raise ValueError("at most 26**3 quartiers")
    return "Q" + "".join(reversed(letters))


def quartier_id(index: int) -> str:
    """Quartier id of quartier ``index`` (0-based): ``q001``..."""
    return f"q{index + 1:03d}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------- échéances, follow-up


def echeance(rng: random.Random) -> str | None:
    """An échéance in one of the charter's forms, or None (absent)."""
    year = rng.randint(2018, 2028)
    roll = rng.random()
    if roll < 0.07:
        return None
    if roll < 0.50:
        return str(year)
    if roll < 0.58:
        return f"{year}/{year + 1}"
    if roll < 0.66:
        return f"{rng.choice(SEASONS)} {year}"
    if roll < 0.74:
        return f"T{rng.randint(1, 4)} {year}"
    if roll < 0.81:
        return f"S{rng.randint(1, 2)} {year}"
    if roll < 0.89:
        return f"{rng.choice(MONTHS)} {year}"
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    if roll < 0.96:
        return day.isoformat()
    return day.strftime("%d/%m/%Y")


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day between ``start`` and ``end`` inclusive."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def follow_up(rng: random.Random, statut: str) -> tuple[list[str], dt.date | None]:
    """YAML lines of the status, completion date and follow-up of an action (indent 8)."""
    count = rng.randint(0, 3)
    dates = sorted(random_date(rng, dt.date(2019, 1, 1), LAST_FOLLOW_UP) for _ in range(count + 1))
    done = dates[-1] if statut == "realisee" else None
    lines = [f"        statut: {statut}"]
    if done is not None:
        lines.append(f"        date_realisation: {done.isoformat()}")
    if count:
        lines.append("        suivi:")
        for i, day in enumerate(dates[:count]):
            last = i == count - 1
            lines.append(f"          - date: {day.isoformat()}")
            lines.append(f"            statut: {statut if last and statut != 'realisee' else 'en_cours'}")
            if rng.random() < 0.6:
                lines.append(f"            note: {q(rng.choice(NOTES))}")
    if done is not None and count:
        lines.append(f"          - date: {done.isoformat()}")
        lines.append("            statut: realisee")
    return lines, done


def evaluation(rng: random.Random) -> list[str]:
    """YAML lines of an evaluation table (indent 8)."""
    return [
        "        evaluation:",
        "          deployee: true",
        f"          cout: {rng.randint(5, 400) * 250}",
        f"          clauses_insertion_respectees: {rng.choice(('true', 'false'))}",
        f"          commentaire: {q('Évalué en comité de pilotage.')}",
    ]


# --------------------------------------------------------------------------- files


def action_lines(rng: random.Random, record: ActionRecord, numero: int, theme: str,
                 actors: list[str]) -> list[str]:
    """YAML lines of one action (list item at indent 6)."""
    if rng.random() < 0.02:
        parties = ["futurs_promoteurs"]
    else:
        first = rng.choices(("ville", "bailleur", rng.choice(actors)), weights=(50, 25, 25))[0]
        pool = [p for p in ("ville", "bailleur", *actors) if p != first]
        parties = [first, *rng.sample(pool, rng.choice((0, 0, 0, 1, 1, 2)))]
    lines = [
        f"      - id: {record.id}",
        f"        numero: {numero}",
        f"        libelle: {q(record.libelle)}",
        f"        responsables: [{', '.join(parties)}]",
    ]
    if record.echeance is not None:
        lines.append(f"        echeance: {q(record.echeance)}")
    if record.statut is not None:
        status_lines, record.date_realisation = follow_up(rng, record.statut)
        lines += status_lines
        if record.statut == "realisee" and rng.random() < 0.3:
            lines += evaluation(rng)
    if theme == "Propreté" and rng.random() < 0.3:
        lines.append("        etiquettes: [tfpb]")
    return lines


def quartier_yaml(index: int, actions: int, seed: int, registry: Registry,
                  records: list[ActionRecord]) -> str:
    """The text of quartier ``index`` with ``actions`` actions; appends them to ``records``."""
    rng = random.Random(seed * 1_000_003 + index)
    qid, pre = quartier_id(index), prefix(index)
    commune = COMMUNES[index % len(COMMUNES)]
    name = QUARTIER_NAMES[(index // len(COMMUNES) + index) % len(QUARTIER_NAMES)]
    secteurs = SECTEURS[:rng.randint(2, len(SECTEURS))]
    bailleur = BAILLEURS[index % len(BAILLEURS)][0]
    actors = ["agglo", "ddtm", "caf", "les_anges_gardins", "regie_de_quartier", "centre_socio_culturel"]
    out = [
        f"# Quartier synthétique n° {index + 1} (banc d’essai gusp, graine {seed}).",
        f"id: {qid}",
        f"nom: {q(f'{commune} – {name}')}",
        f"titre: {q(f'{commune.upper()} – {name}')}",
        f"commune: {q(commune)}",
        "alias:",
        f"  - {q(name)}",
        "roles:",
        f"  ville: {registry.communes[commune]}",
        f"  bailleur: {bailleur}",
        "contexte: >-",
        f"  Le quartier {name} de {commune} est retenu dans le cadre du NPNRU. Il compte "
        f"{rng.randint(800, 9000)} habitants ;",
        "  la population se caractérise par une grande fragilité socio-économique et un nombre "
        "important de familles monoparentales.",
        "chiffres_cles:",
        f"  - libelle: {q('Habitants du quartier')}",
        f"    valeur: {rng.randint(800, 9000)}",
        "    unite: habitants",
        f"    annee: {rng.randint(2011, 2022)}",
        f"  - libelle: {q('Taux de chômage')}",
        f"    valeur: {rng.randint(15, 45)}",
        f"    unite: {q('%')}",
        "secteurs:",
    ]
    for sid, sname in secteurs:
        out += [f"  - id: {sid}", f"    nom: {q(sname)}"]
    out += [
        "diagnostic:",
        f"  forces: {q('Des espaces verts généreux, une vie associative active et un cadre bâti agréable.')}",
        f"  faiblesses: {q('Dépôts sauvages nombreux, stationnement anarchique, vacance des logements.')}",
        "tableaux:",
    ]
    tables = min(rng.randint(10, 30), actions) if actions else 0
    sizes = [1] * tables
    for _ in range(actions - tables):
        sizes[rng.randrange(tables)] += 1
    number = 0
    for size in sizes:
        phase, phase_label = rng.choice(PHASES)
        theme = rng.choice(tuple(THEMES))
        out += [
            f"  - titre: {q(f'{phase_label} / {theme}')}",
            f"    phase: {phase}",
        ]
        if rng.random() < 0.7:
            out.append(f"    secteur: {rng.choice(secteurs)[0]}")
        out += [f"    theme: {q(theme)}", "    actions:"]
        for n in range(1, size + 1):
            number += 1
            label = rng.choice(THEMES[theme])
            if rng.random() < 0.5:
                label += f" ({rng.choice(PLACES)})"
            statut = None
            if rng.random() < 0.4:
                statut = rng.choice(("a_faire", "en_cours", "en_cours", "realisee", "realisee",
                                     "abandonnee", "reportee"))
            record = ActionRecord(f"{pre}-{number:03d}", qid, label, echeance(rng), statut, None)
            out += action_lines(rng, record, n, theme, actors)
            records.append(record)
    return "\n".join(out) + "\n"


def registry_yaml(quartiers: int) -> tuple[str, Registry]:
    """The text of ``acteurs.yaml`` for ``quartiers`` quartiers, and the registry it defines."""
    registry = Registry()
    out = [
        "# Registre des acteurs (banc d’essai gusp).",
        "roles:",
        "  - id: ville",
        "    nom: Ville",
        "  - id: bailleur",
        "    nom: Bailleur",
        "acteurs:",
    ]
    for ident, nom, sigle, kind in OTHER_ACTORS:
        out += [f"  - id: {ident}", f"    nom: {q(nom)}"]
        if sigle:
            out.append(f"    sigle: {q(sigle)}")
        out.append(f"    type: {kind}")
        if ident == "futurs_promoteurs":
            out.append("    identifie: false")
    for ident, nom, sigle in BAILLEURS:
        out += [f"  - id: {ident}", f"    nom: {q(nom)}"]
        if sigle:
            out.append(f"    sigle: {q(sigle)}")
        out.append("    type: bailleur")
    for index in range(quartiers):
        commune = COMMUNES[index % len(COMMUNES)]
        if commune in registry.communes:
            continue
        ident = "ville_de_" + slug(commune)
        registry.communes[commune] = ident
        out += [f"  - id: {ident}", f"    nom: {q('Ville de ' + commune)}", "    type: commune"]
    return "\n".join(out) + "\n", registry


def charte_yaml(quartiers: int, actions: int, seed: int) -> str:
    """The text of ``charte.yaml``."""
    out = [
        f"# Charte synthétique : {quartiers} quartiers × {actions} actions (graine {seed}).",
        f"titre: {q('Charte de Gestion Urbaine et Sociale de Proximité – banc d’essai')}",
        "porteur: agglo",
        f"territoire: {q('Territoire national (synthétique)')}",
        "quartiers:",
        *(f"  - {quartier_id(i)}" for i in range(quartiers)),
        f"partenaires: [{', '.join(PARTNERS)}]",
        "periode:",
        "  debut: 2023",
        "  fin: 2028",
        "instances:",
        "  - id: copil",
        f"    nom: {q('Comité de pilotage')}",
        "    membres: [agglo, ville, bailleur, ddtm]",
        "    frequence: annuelle",
        "  - id: comite_technique",
        f"    nom: {q('Comité technique')}",
        "    membres: [agglo, ville, bailleur]",
        "    frequence: trimestrielle",
    ]
    return "\n".join(out) + "\n"


def generate(out: Path, quartiers: int, actions: int, seed: int = DEFAULT_SEED) -> list[ActionRecord]:
    """Write a repository of ``quartiers`` × ``actions`` under ``out``; return its actions."""
    data = out / "charter-data"
    folder = data / "quartiers"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.yaml"):
        stale.unlink()
    registry_text, registry = registry_yaml(quartiers)
    (data / "acteurs.yaml").write_text(registry_text, encoding="utf-8")
    (data / "charte.yaml").write_text(charte_yaml(quartiers, actions, seed), encoding="utf-8")
    records: list[ActionRecord] = []
    for index in range(quartiers):
        text = quartier_yaml(index, actions, seed, registry, records)
        (folder / f"{quartier_id(index)}.yaml").write_text(text, encoding="utf-8")
    return records


# --------------------------------------------------------------------------- Taskwarrior


def _tw_date(day: dt.date, end_of_day: bool = True) -> str:
    """A Taskwarrior JSON date (UTC, ISO basic)."""
    return day.strftime("%Y%m%d") + ("T235959Z" if end_of_day else "T000000Z")


def task_json(records: list[ActionRecord]) -> list[dict[str, str]]:
    """The actions as Taskwarrior tasks: description, project, due, status (and entry, end, uuid)."""
    from gusp_cli.model.echeance import EcheanceError, parse_echeance

    tasks = []
    for record in records:
        task = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "gusp-bench:" + record.id)),
            "description": record.libelle,
            "project": record.quartier,
            "entry": "20230101T000000Z",
            "status": "pending",
        }
        if record.echeance is not None:
            with contextlib.suppress(EcheanceError):
                task["due"] = _tw_date(parse_echeance(record.echeance).date)
        if record.statut in ("realisee", "abandonnee"):
            task["status"] = "completed"
            task["end"] = _tw_date(record.date_realisation or LAST_FOLLOW_UP)
        tasks.append(task)
    return tasks


def write_task_json(records: list[ActionRecord], path: Path) -> int:
    """Write the ``task import`` file (a JSON array); return the number of tasks."""
    tasks = task_json(records)
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return len(tasks)


def main(argv: list[str] | None = None) -> int:
    """Command line of the generator."""
    parser = argparse.ArgumentParser(description="Génère un dépôt de charte synthétique.")
    parser.add_argument("out", type=Path, help="dossier du dépôt à écrire")
    parser.add_argument("--quartiers", type=int, default=1)
    parser.add_argument("--actions", type=int, default=100, help="actions par quartier")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tasks", type=Path, help="écrire aussi l'import Taskwarrior (JSON)")
    args = parser.parse_args(argv)
    if not 1 <= args.quartiers <= 26 ** 3 or args.actions < 0:
        parser.error("--quartiers entre 1 et 17576, --actions positif")
    records = generate(args.out, args.quartiers, args.actions, args.seed)
    if args.tasks:
        write_task_json(records, args.tasks)
    print(f"{args.quartiers} quartiers, {len(records)} actions écrits dans {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
