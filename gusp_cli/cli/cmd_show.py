"""``gusp show ID`` and ``gusp responsibilities`` (alias ``gusp who``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, check_choice, load_valid, parse_as_of

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter, Entry
    from gusp_cli.track.responsibilities import Matrix


@app.command("show")
def show_command(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant de l'action (LEN-042).")],
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : text ou json.")] = "text",
    charter: CharterOpt = None,
) -> None:
    """Tout sur une action : place dans la charte, responsables, échéance, statut, suivi, historique git."""
    from gusp_cli.exchange.formats import to_json
    from gusp_cli.track.records import record

    check_choice("--format", format, ("text", "json"))
    day = parse_as_of(as_of)
    loaded = load_valid(charter, day)
    entry = find_entry(loaded, action_id)
    if format == "json":
        data = record(loaded, entry, day)
        data["suivi"] = [s.model_dump(mode="json", exclude_none=True) for s in entry.action.suivi]
        data["evaluation"] = (entry.action.evaluation.model_dump(mode="json", exclude_none=True)
                              if entry.action.evaluation else None)
        typer.echo(to_json(data))
        return
    from gusp_cli.french.markup import terminal_text

    typer.echo(terminal_text("\n".join(describe(loaded, entry, day))))  # labels, commit subjects, authors


def find_entry(charter: Charter, action_id: str) -> Entry:
    """Return the entry with this id (case-insensitive), or a French error with close ids."""
    import re

    from gusp_cli.french.text import closest
    from gusp_cli.model.errors import UsageError

    wanted = action_id.strip().upper()
    padded = re.match(r"^([A-Z]{2,5})-?(\d{1,2})$", wanted)
    if padded:
        wanted = f"{padded.group(1)}-{int(padded.group(2)):03d}"
    if wanted in charter.by_id:
        return charter.by_id[wanted]
    near = closest(wanted, list(charter.by_id), n=3)
    hint = f" ; proches : {', '.join(near)}" if near else ""
    raise UsageError(f"action « {action_id} » introuvable{hint}")


def describe(charter: Charter, entry: Entry, as_of: dt.date) -> list[str]:
    """The lines of ``gusp show``."""
    from gusp_cli.french.dates import PHASE_LABELS, STATUS_LABELS, format_date, format_euros, format_int

    action, quartier, tableau = entry.action, entry.quartier, entry.tableau
    sector = next((s.nom for s in quartier.secteurs if s.id == tableau.secteur), None)
    lines = [f"{action.id} — {action.libelle}", ""]
    lines.append(f"  Quartier      : {quartier.nom}")
    lines.append(f"  Secteur       : {sector or '—'}")
    lines.append(f"  Thème         : {tableau.theme or '—'}")
    lines.append(f"  Tableau       : {tableau.titre} (n° {action.numero})")
    lines.append(f"  Phase         : {PHASE_LABELS[tableau.phase.value]}")
    for party in action.responsables:
        actor = charter.resolve(party, quartier)
        name = actor.nom if actor else charter.party_name(party, quartier)
        role = f" (rôle « {party} »)" if party in quartier.roles else ""
        lines.append(f"  Responsable   : {name}{role}")
    if action.echeance is None:
        lines.append("  Échéance      : aucune")
    else:
        due = format_date(entry.due) if entry.due else "non reconnue"
        lines.append(f"  Échéance      : {action.echeance} (due le {due})")
    status = STATUS_LABELS[action.statut.value if action.statut else None]
    if action.date_realisation:
        status += f" le {format_date(action.date_realisation)}"
    lines.append(f"  Statut        : {status}")
    if entry.is_overdue(as_of):
        lines.append(f"  En retard     : {format_int(entry.days_late(as_of))} jours au {format_date(as_of)}")
    lines += _suivi_lines(entry) + _evaluation_lines(entry, format_euros) + _history_lines(charter, entry)
    return lines


CHANGED_FIELD = {"echeance": "échéance modifiée", "libelle": "libellé modifié",
                 "responsables": "responsables modifiés"}
"""How an amended field is told in the follow-up timeline."""


def _suivi_lines(entry: Entry) -> list[str]:
    """The follow-up timeline."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date

    if not entry.action.suivi:
        return ["", "  Suivi : aucune entrée"]
    lines = ["", "  Suivi :"]
    for item in entry.action.suivi:
        parts = [STATUS_LABELS[item.statut.value]] if item.statut else []
        if item.champ:
            changed = CHANGED_FIELD.get(item.champ, f"{item.champ} modifié")
            parts.append(f"{changed} (ancienne valeur : {item.ancienne_valeur or '—'})")
        parts += [p for p in (item.motif and f"motif : {item.motif}", item.note) if p]
        lines.append(f"    {format_date(item.date)} — {' ; '.join(parts) or '—'}")
    return lines


def _evaluation_lines(entry: Entry, euros: object) -> list[str]:
    """The evaluation table of the charter for this action (blank when not reported)."""
    ev = entry.action.evaluation
    if ev is None:
        return ["", "  Évaluation : non renseignée"]

    def yes_no(value: bool | None) -> str:
        return "—" if value is None else ("oui" if value else "non")

    cost = euros(ev.cout) if ev.cout is not None else "—"  # type: ignore[operator]
    return ["", "  Évaluation :", f"    Déployée : {yes_no(ev.deployee)}", f"    Coût : {cost}",
            f"    Clauses d'insertion respectées : {yes_no(ev.clauses_insertion_respectees)}",
            f"    Amélioration de la qualité de vie validée : {yes_no(ev.qualite_de_vie_amelioree)}"]


def _history_lines(charter: Charter, entry: Entry) -> list[str]:
    """Commits that changed the action, when the charter is a git repository."""
    try:
        from gusp_cli.history.log import action_history
    except ImportError:
        return []
    from gusp_cli.history.git import TruncatedHistory

    try:
        changes = action_history(charter.root, entry.id)
    except TruncatedHistory as exc:  # say it: an incomplete history read as complete misleads
        return ["", f"  Historique git : {exc.message}"]
    except Exception:  # history is a bonus here: never let it break `show`
        return []
    if not changes:
        return []
    lines = ["", "  Historique git :"]
    for change in changes:
        lines.append(f"    {change}")
    return lines


@app.command("responsibilities")
def responsibilities_command(
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Quartier.")] = None,
    acteur: Annotated[str | None, typer.Option(
        "--acteur", "-a", help="Partie : liste ses actions (un rôle comme « bailleur » est résolu "
        "par quartier).")] = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, json ou md.")] = "table",
    charter: CharterOpt = None,
) -> None:
    """Qui est responsable de quoi : matrice parties × quartiers et points à vérifier avant un COPIL."""
    from gusp_cli.track.queries import Filters, resolve_filters, select
    from gusp_cli.track.responsibilities import build_matrix

    check_choice("--format", format, ("table", "json", "md"))
    day = parse_as_of(as_of)
    loaded = load_valid(charter, day)
    if acteur:  # resolved here so that an unknown party is reported against --acteur
        from gusp_cli.track.matching import match_party

        acteur = match_party(loaded, acteur, "--acteur")
    selection = resolve_filters(loaded, Filters(quartier=quartier, responsable=acteur))
    entries = select(loaded, selection)
    if acteur:
        from gusp_cli.cli.cmd_query import _emit

        fmt = "table" if format == "table" else ("json" if format == "json" else "md")
        if not entries:
            typer.echo(f"Aucune action pour « {acteur} » dans cette sélection.")
            return
        party = selection.party or acteur
        scope = loaded.quartier(next(iter(selection.quartiers))) if quartier else None
        _emit(loaded, entries, fmt, day, ";", f"Actions de {loaded.party_name(party, scope)}")
        return
    matrix = build_matrix(loaded, entries, day)
    if format == "json":
        typer.echo(_matrix_json(loaded, matrix))
    elif format == "md":
        typer.echo("\n".join(_matrix_lines(loaded, matrix, markdown=True)))
    else:
        _matrix_table(loaded, matrix)
        typer.echo("\n".join(_matrix_lines(loaded, matrix, markdown=False)[len(matrix.rows) + 2:]))


app.command("who", help="Alias de « responsibilities ».")(responsibilities_command)


def _matrix_json(charter: Charter, matrix: Matrix) -> str:
    """The matrix as JSON."""
    from dataclasses import asdict

    from gusp_cli.exchange.formats import to_json

    return to_json({
        "quartiers": matrix.quartiers,
        "parties": [{"id": r.party, "nom": r.nom, "identifie": r.identifie, "total": asdict(r.total),
                     "par_quartier": {q: asdict(c) for q, c in r.par_quartier.items()}} for r in matrix.rows],
        "actions_partie_non_identifiee": [e.id for e in matrix.non_identifiees],
        "parties_sans_action": [a.id for a in matrix.absents],
        "plus_de_retards": [r.party for r in matrix.most_overdue()],
    })


def _matrix_cells(charter: Charter, matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the matrix."""
    names = {q.id: q.commune for q in charter.quartiers}
    head = ["Partie"] + [names[q] for q in matrix.quartiers] + ["Total", "Ouvertes", "En retard",
                                                                  "Réalisées", "Sans statut", "Conjointes"]
    rows = []
    for row in matrix.rows:
        cells = [row.nom + ("" if row.identifie else " (non identifiée)")]
        cells += [str(row.par_quartier[q].total) if q in row.par_quartier else "" for q in matrix.quartiers]
        t = row.total
        counts = (t.total, t.ouvertes, t.en_retard, t.realisees, t.sans_statut, t.conjointes)
        cells += [str(v) for v in counts]
        rows.append(cells)
    return head, rows


def _matrix_table(charter: Charter, matrix: Matrix) -> None:
    """Print the matrix with rich."""
    from rich.table import Table

    from gusp_cli.cli.render import _box, console
    from gusp_cli.cli.render import cells as visible

    head, rows = _matrix_cells(charter, matrix)
    table = Table(title="Responsabilités (actions par partie ; rôles résolus par quartier)", box=_box(),
                  title_justify="left")
    for i, name in enumerate(head):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i > 0)
    for cells in rows:
        table.add_row(*visible(*cells))
    console().print(table)


def _matrix_lines(charter: Charter, matrix: Matrix, markdown: bool) -> list[str]:
    """Matrix table (GFM, also readable in a terminal) and the pre-COPIL checks."""
    from gusp_cli.french.markup import md_inert

    head, rows = _matrix_cells(charter, matrix)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(md_inert(c) for c in cells) + " |" for cells in rows]
    bullet = "- " if markdown else "  • "
    title = "Points à vérifier avant le COPIL"
    lines += ["", f"### {title}" if markdown else f"{title} :"]
    unidentified = ", ".join(e.id for e in matrix.non_identifiees) or "aucune"
    lines.append(f"{bullet}actions dont une partie n'est pas encore identifiée : {unidentified}")
    absent = ", ".join(a.sigle or a.nom for a in matrix.absents) or "aucune"
    lines.append(f"{bullet}parties du registre sans aucune action : {absent}")
    top = ", ".join(f"{r.nom} ({r.total.en_retard})" for r in matrix.most_overdue()) or "aucune"
    lines.append(f"{bullet}parties portant le plus d'actions en retard : {top}")
    lines.append(f"{bullet}« Conjointes » : actions partagées avec au moins une autre partie "
                 "(comptées pour chacune).")
    return lines
