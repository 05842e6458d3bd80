"""``gusp diff`` (semantic diff between two git revisions) and ``gusp log ID`` (an action's history).

The work is done in :mod:`gusp_cli.history.diff`; this module renders it: Markdown fit for a pull
request comment, JSON with stable keys, or plain text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, check_choice, repository_root
from gusp_cli.track.records import JSON_VERSION

if TYPE_CHECKING:
    from gusp_cli.history.diff import ActionDiff, CharterDiff, FieldChange, Placed, QuartierDiff, Side
    from gusp_cli.history.log import Change
    from gusp_cli.model.models import Acteur, Action, Suivi

DIFF_FORMATS = ("md", "json", "text")
LOG_FORMATS = ("text", "json")
COMMENT_MARKER = "<!-- gusp diff -->"
"""First line of the Markdown diff: the CI templates find their own pull-request comment by it."""

_COUNT_WORDS = {
    "actions_ajoutees": ("action ajoutée", "actions ajoutées"),
    "actions_supprimees": ("action supprimée", "actions supprimées"),
    "actions_modifiees": ("action modifiée", "actions modifiées"),
    "statuts_modifies": ("statut modifié", "statuts modifiés"),
    "echeances_modifiees": ("échéance modifiée", "échéances modifiées"),
    "suivis_ajoutes": ("entrée de suivi ajoutée", "entrées de suivi ajoutées"),
    "quartiers_ajoutes": ("quartier ajouté", "quartiers ajoutés"),
    "quartiers_supprimes": ("quartier supprimé", "quartiers supprimés"),
    "tableaux_ajoutes": ("tableau ajouté", "tableaux ajoutés"),
    "tableaux_supprimes": ("tableau supprimé", "tableaux supprimés"),
    "acteurs_ajoutes": ("acteur ajouté", "acteurs ajoutés"),
    "acteurs_supprimes": ("acteur supprimé", "acteurs supprimés"),
    "acteurs_modifies": ("acteur modifié", "acteurs modifiés"),
}


@app.command("diff")
def diff_command(
    rev_a: Annotated[str | None, typer.Argument(
        metavar="REV_A", help="Révision de départ (défaut : merge-base de HEAD et de main, "
        "sinon master, sinon le premier commit).", show_default=False)] = None,
    rev_b: Annotated[str | None, typer.Argument(
        metavar="REV_B", help="Révision d'arrivée (défaut : l'arbre de travail).",
        show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : md (commentaire de "
                                        "pull request), json ou text.")] = "md",
    charter: CharterOpt = None,
) -> None:
    """Différence sémantique de la charte entre deux révisions git (commentaire de pull request).

    Actions ajoutées et supprimées, champs modifiés avec leur motif, statuts, entrées de suivi,
    acteurs, quartiers et tableaux ; groupés par quartier, avec les totaux.

    Code de sortie : 0 comparaison faite, 1 charte invalide à l'une des révisions, 2 usage
    (pas de dépôt git, révision inconnue), 3 historique git tronqué (clone superficiel :
    git fetch --unshallow, ou fetch-depth: 0 en CI).
    """
    from gusp_cli.history.diff import diff_revisions

    check_choice("--format", format, DIFF_FORMATS)
    result = diff_revisions(repository_root(charter), rev_a, rev_b)
    from gusp_cli.french.markup import terminal_text

    renderers = {"md": render_markdown, "json": render_json, "text": render_text}
    output = renderers[format](result)
    typer.echo(terminal_text(output) if format == "text" else output)


@app.command("log")
def log_command(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant de l'action (ABC-042).",
                                             autocompletion=completion.action_ids)],
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : text ou json.")] = "text",
    charter: CharterOpt = None,
) -> None:
    """Historique git d'une action : commits qui l'ont modifiée, du plus récent au plus ancien.

    Pour chaque commit : date, auteur, hash court, sujet, et ce qui a changé champ par champ
    (les commits de fusion sont omis ; l'action est suivie d'un fichier à l'autre par son id).

    Code de sortie : 0, 2 usage, 3 historique git tronqué (clone superficiel : git fetch --unshallow).
    """
    from gusp_cli.history.log import action_history

    check_choice("--format", format, LOG_FORMATS)
    root = repository_root(charter)
    wanted = normalise_id(action_id)
    changes = action_history(root, wanted)
    if not changes:
        typer.echo(_no_history(root, wanted, action_id))
        return
    from gusp_cli.french.markup import terminal_text

    # Commit subjects and author names are anybody's text: never an escape sequence on a terminal.
    typer.echo(render_log_json(wanted, changes) if format == "json"
               else terminal_text(render_log_text(wanted, changes)))


def normalise_id(text: str) -> str:
    """``cen-42`` → ``CEN-042``: upper case, three-digit number."""
    wanted = text.strip().upper()
    match = re.match(r"^([A-Z]{2,5})-?(\d{1,2})$", wanted)
    return f"{match.group(1)}-{int(match.group(2)):03d}" if match else wanted


def _no_history(root: Path, wanted: str, typed: str) -> str:
    """Explain an empty history; an id unknown everywhere is a usage error (close ids suggested)."""
    from gusp_cli.french.text import closest
    from gusp_cli.model.errors import UsageError
    from gusp_cli.store.loader import load

    current = load(root)
    if wanted in current.by_id:
        return (f"{wanted} : aucun commit ne la modifie encore (présente dans l'arbre de travail, "
                "pas encore validée par un commit).")
    near = closest(wanted, list(current.by_id), n=3)
    hint = f" ; proches : {', '.join(near)}" if near else ""
    raise UsageError(f"action « {typed} » introuvable dans la charte et dans son historique git{hint}")


# ----------------------------------------------------------------------------- shared pieces


def summary_line(result: CharterDiff) -> str:
    """``1 action ajoutée, 2 actions modifiées, 1 statut modifié`` (or ``aucune modification``)."""
    from gusp_cli.french.text import plural

    parts = [plural(n, *_COUNT_WORDS[k]) for k, n in result.counts().items() if n]
    if result.charte:
        parts.append("charte.yaml modifiée")
    return ", ".join(parts) if parts else "aucune modification"


def quartier_counts(qdiff: QuartierDiff) -> str:
    """``1 ajoutée, 2 modifiées`` for a quartier's actions."""
    from gusp_cli.french.text import plural

    words = {"ajoutee": "ajoutée", "supprimee": "supprimée", "modifiee": "modifiée"}
    parts = [plural(len(qdiff.of(n)), w) for n, w in words.items() if qdiff.of(n)]
    return ", ".join(parts) if parts else "aucune action modifiée"


def quartier_title(qdiff: QuartierDiff) -> str:
    """``Centre (centre)``, with ``nouveau`` or ``supprimé`` when it is."""
    state = {"ajoute": " — nouveau quartier", "supprime": " — quartier supprimé"}.get(qdiff.nature, "")
    return f"{qdiff.nom} ({qdiff.id}){state}"


def describe_suivi(item: Suivi, *, author: bool = True) -> str:
    """``2025-05-01 : échéance, ancienne valeur 2024 (motif : chantier)``, in the voice of the field
    changes (``(note : …)``, ``(motif : …)``); ``author`` adds who reported it."""
    from gusp_cli.french.dates import STATUS_LABELS
    from gusp_cli.history.diff import FIELD_LABELS

    parts = []
    if item.statut is not None:
        parts.append(f"statut {STATUS_LABELS[item.statut.value]}")
    if item.champ == "action":
        parts.append("ajout de l'action à la charte")
    elif item.champ:
        parts.append(FIELD_LABELS.get(item.champ, item.champ))
    if item.ancienne_valeur:
        parts.append(f"ancienne valeur {item.ancienne_valeur}")
    reasons = [f"motif : {item.motif}"] * bool(item.motif) + [f"note : {item.note}"] * bool(item.note)
    if author and item.auteur:
        reasons.append(f"par {item.auteur}")
    text = item.date.isoformat() + (f" : {', '.join(parts)}" if parts else "")
    return text + (f" ({' ; '.join(reasons)})" if reasons else "" if parts else " : entrée vide")


def change_lines(champs: list[FieldChange], added: list[Suivi],
                 removed: list[Suivi] | None = None, *, authors: bool = True) -> list[str]:
    """One phrase per changed field, then the follow-up entries whose reason is not shown yet."""
    from gusp_cli.history.diff import explains

    lines = [c.describe() for c in champs]
    lines += [f"suivi ajouté {describe_suivi(s, author=authors)}" for s in added
              if not any(explains(s, c) for c in champs)]
    lines += [f"suivi retiré {describe_suivi(s, author=authors)}" for s in removed or []]
    return lines


def action_lines(adiff: ActionDiff) -> list[str]:
    """What changed in a modified action, one phrase per change (its authors are shown apart)."""
    return change_lines(adiff.champs, adiff.suivis_ajoutes, adiff.suivis_supprimes, authors=False)


def parties(placed: Placed) -> str:
    """The responsible parties as the partners know them (``Ville de Centre, Bailleur du Sud``)."""
    return ", ".join(placed.noms or placed.action.responsables)


def _place(placed: Placed) -> str:
    """``Gestion actuelle / Propreté, n° 2``."""
    return f"{placed.place}, n° {placed.action.numero}"


def _status(action: Action) -> str | None:
    """The French label of an action's status (None when not reported)."""
    from gusp_cli.french.dates import STATUS_LABELS

    return STATUS_LABELS[action.statut.value] if action.statut else None


def _actor(actor: Acteur) -> str:
    """``Bailleur du Sud (BDS, bailleur_sud)``: the name first, as the partners know it."""
    sigle = f"{actor.sigle}, " if actor.sigle else ""
    return f"{actor.nom} ({sigle}{actor.id})"


def _registry_lines(result: CharterDiff) -> list[tuple[str, str]]:
    """(verb, actor) pairs for the registry section."""
    return ([("ajouté", _actor(a)) for a in result.acteurs_ajoutes]
            + [("supprimé", _actor(a)) for a in result.acteurs_supprimes]
            + [("modifié", _actor(a)) for a in result.acteurs_modifies])


# ----------------------------------------------------------------------------- markdown


def _md(text: str | None) -> str:
    """A text as inert Markdown for a table cell or a line (no link, mention, reference, emphasis)."""
    from gusp_cli.french.markup import md_inert

    if not text:
        return "—"
    return md_inert(" ".join(text.split()))


def render_markdown(result: CharterDiff) -> str:
    """A French Markdown report fit to paste as a pull request comment (marked as gusp's own)."""
    lines = [COMMENT_MARKER, "## Charte GUSP : modifications", "",
             f"Comparaison de **{_md(result.base.label)}** à **{_md(result.cible.label)}**.", ""]
    lines += [f"_Remarque : {_md(note)}._" for note in result.notes] + ([""] if result.notes else [])
    if result.empty:
        return "\n".join([*lines, "Aucune modification de la charte."])
    lines += [f"**Résumé :** {summary_line(result)}.", ""]
    for qdiff in result.quartiers:
        lines += _md_quartier(qdiff)
    registry = _registry_lines(result)
    if registry:
        lines += ["### Registre des acteurs", ""]
        lines += [f"- {verb.capitalize()} : {_md(actor)}" for verb, actor in registry] + [""]
    if result.charte:
        lines += ["### Charte (charte.yaml)", "",
                  f"- Rubriques modifiées : {', '.join(result.charte)}", ""]
    lines.append("<sub>Généré par `gusp diff`.</sub>")
    return "\n".join(lines)


def _md_quartier(qdiff: QuartierDiff) -> list[str]:
    """The section of one quartier."""
    state = {"ajoute": " — nouveau quartier", "supprime": " — quartier supprimé"}.get(qdiff.nature, "")
    lines = [f"### {_md(qdiff.nom)}{state} — {quartier_counts(qdiff)}", ""]
    for label, tables in (("Tableaux ajoutés", qdiff.tableaux_ajoutes),
                          ("Tableaux supprimés", qdiff.tableaux_supprimes)):
        if tables and qdiff.nature != "modifie":
            lines.append(f"- {label} : {len(tables)}")
        elif tables:
            lines += [f"- {label} : " + ", ".join(f"« {_md(t)} »" for t in tables)]
    if qdiff.rubriques:
        lines += [f"- Autres rubriques modifiées : {', '.join(qdiff.rubriques)}"]
    if qdiff.tableaux_ajoutes or qdiff.tableaux_supprimes or qdiff.rubriques:
        lines.append("")
    for nature, title in (("ajoutee", "Actions ajoutées"), ("modifiee", "Actions modifiées"),
                          ("supprimee", "Actions supprimées")):
        actions = qdiff.of(nature)
        if actions:
            lines += [f"**{title} ({len(actions)})**", "", *_md_table(nature, actions), ""]
    return lines


def _md_table(nature: str, actions: list[ActionDiff]) -> list[str]:
    """The table of the added, modified or removed actions of a quartier."""
    if nature == "modifiee":
        rows = ["| Action | Libellé | Modifications | Par |", "|---|---|---|---|"]
        rows += [f"| {a.id} | {_md(a.placed.action.libelle)} | "
                 f"{'<br>'.join(_md(line) for line in action_lines(a))} | {_md(', '.join(a.auteurs))} |"
                 for a in actions]
        return rows
    rows = ["| Action | Tableau | Libellé | Responsables | Échéance | Statut | Par |",
            "|---|---|---|---|---|---|---|"]
    for a in actions:
        action = a.placed.action
        rows.append(f"| {a.id} | {_md(_place(a.placed))} | {_md(action.libelle)} | "
                    f"{_md(parties(a.placed))} | {_md(action.echeance)} | "
                    f"{_md(_status(action))} | {_md(', '.join(a.auteurs))} |")
    return rows


# ----------------------------------------------------------------------------- text and json


def render_text(result: CharterDiff) -> str:
    """Plain text: one line per change, ``+`` added, ``~`` modified, ``-`` removed."""
    lines = [f"Charte : {result.base.label} → {result.cible.label}"]
    lines += [f"Remarque : {note}" for note in result.notes] + [f"Résumé : {summary_line(result)}"]
    for qdiff in result.quartiers:
        lines += ["", f"{quartier_title(qdiff)} : {quartier_counts(qdiff)}"]
        if qdiff.nature == "modifie":
            lines += [f"  tableau ajouté : « {t} »" for t in qdiff.tableaux_ajoutes]
            lines += [f"  tableau supprimé : « {t} »" for t in qdiff.tableaux_supprimes]
        if qdiff.rubriques:
            lines.append(f"  autres rubriques modifiées : {', '.join(qdiff.rubriques)}")
        for a in qdiff.actions:
            action = a.placed.action
            by = f" — par {', '.join(a.auteurs)}" if a.auteurs else ""
            if a.nature == "modifiee":
                lines += [f"  ~ {a.id} : {line}{by}" for line in action_lines(a)]
                continue
            sign = "+" if a.nature == "ajoutee" else "-"
            status = f" — statut : {_status(action)}" if action.statut else ""
            lines.append(f"  {sign} {a.id} [{_place(a.placed)}] {action.libelle} — responsables : "
                         f"{parties(a.placed)} — échéance : {action.echeance or '(vide)'}"
                         f"{status}{by}")
    registry = _registry_lines(result)
    if registry:
        lines += ["", "Registre des acteurs :"] + [f"  acteur {verb} : {actor}" for verb, actor in registry]
    if result.charte:
        lines += ["", f"charte.yaml : rubriques modifiées : {', '.join(result.charte)}"]
    return "\n".join(lines)


def _side_json(side: Side) -> dict[str, Any]:
    return {"revision": side.revision, "commit": side.commit, "libelle": side.label}


def _change_json(change: FieldChange) -> dict[str, Any]:
    return {"champ": change.champ, "libelle": change.libelle, "avant": change.avant,
            "apres": change.apres, "motif": change.motif, "note": change.note}


def _suivi_json(items: list[Suivi]) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json", exclude_none=True) for s in items]


def _action_json(a: ActionDiff) -> dict[str, Any]:
    action = a.placed.action
    return {
        "id": a.id, "nature": a.nature, "quartier": a.placed.quartier, "tableau": a.placed.tableau,
        "numero": action.numero, "libelle": action.libelle, "responsables": action.responsables,
        "responsables_noms": list(a.placed.noms), "auteurs": a.auteurs,
        "echeance": action.echeance, "statut": action.statut.value if action.statut else None,
        "changements": [_change_json(c) for c in a.champs],
        "suivis_ajoutes": _suivi_json(a.suivis_ajoutes),
        "suivis_supprimes": _suivi_json(a.suivis_supprimes),
    }


def _actor_json(actor: Acteur) -> dict[str, Any]:
    return {"id": actor.id, "nom": actor.nom, "sigle": actor.sigle, "type": actor.type.value}


def render_json(result: CharterDiff) -> str:
    """The diff as JSON with stable keys."""
    document = {
        "version": JSON_VERSION,
        "base": _side_json(result.base),
        "cible": _side_json(result.cible),
        "resume": result.counts(),
        "quartiers": [{
            "id": q.id, "nom": q.nom, "nature": q.nature,
            "tableaux_ajoutes": q.tableaux_ajoutes, "tableaux_supprimes": q.tableaux_supprimes,
            "rubriques_modifiees": q.rubriques,
            "actions": [_action_json(a) for a in q.actions],
        } for q in result.quartiers],
        "acteurs": {
            "ajoutes": [_actor_json(a) for a in result.acteurs_ajoutes],
            "supprimes": [_actor_json(a) for a in result.acteurs_supprimes],
            "modifies": [_actor_json(a) for a in result.acteurs_modifies],
        },
        "charte": {"rubriques_modifiees": result.charte},
        "remarques": result.notes,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# ----------------------------------------------------------------------------- log


def _creation_details(placed: Placed) -> str:
    """``n° 1, libellé « ... », responsables ville, agglo, échéance 2021``."""
    action = placed.action
    parts = [f"n° {action.numero}", f"libellé « {action.libelle} »",
             f"responsables {', '.join(action.responsables)}"]
    if action.echeance:
        parts.append(f"échéance {action.echeance}")
    if action.statut:
        parts.append(f"statut {_status(action)}")
    return ", ".join(parts)


def render_log_text(action_id: str, changes: list[Change]) -> str:
    """The history of an action, newest commit first."""
    from gusp_cli.french.text import plural

    latest = next((c.placed for c in changes if c.placed is not None), None)
    title = f" — {latest.action.libelle}" if latest else ""
    lines = [f"Historique de {action_id}{title} ({plural(len(changes), 'commit')})"]
    for change in changes:
        commit = change.commit
        lines += ["", f"{commit.date[:10]}  {commit.short}  {commit.author}", f"  {commit.subject}"]
        if change.nature == "creation" and change.placed is not None:
            lines.append(f"  {change.summary()} : {_creation_details(change.placed)}")
            continue
        if change.nature != "modification":
            lines.append(f"  {change.summary()}")
            continue
        details = change_lines(change.champs, change.suivis_ajoutes)
        lines += [f"  {line}" for line in details or [change.summary()]]
    return "\n".join(lines)


def render_log_json(action_id: str, changes: list[Change]) -> str:
    """The history of an action as JSON with stable keys."""
    commits = [{
        "commit": c.commit.sha, "commit_court": c.commit.short, "date": c.commit.date,
        "auteur": c.commit.author, "courriel": c.commit.email, "sujet": c.commit.subject,
        "nature": c.nature,
        "quartier": c.placed.quartier if c.placed else None,
        "tableau": c.placed.tableau if c.placed else None,
        "changements": [_change_json(f) for f in c.champs],
        "suivis_ajoutes": _suivi_json(c.suivis_ajoutes),
    } for c in changes]
    return json.dumps({"version": JSON_VERSION, "action": action_id, "commits": commits}, ensure_ascii=False,
                      indent=2)
