"""``gusp signals``: the veille de terrain — record field problems, follow them up, list them, turn
a recurring one into an action.

The edits (``add``, ``update``, ``close``, ``to-action``) change only the lines of the signalement
concerned in ``charter-data/signalements.yaml`` (created by the first ``add``), check the charter
as it would be, and write atomically under a lock; ``to-action`` writes the quartier's file and
the signalements' together, or neither. ``list`` is a query: ``--as-of`` replays a past day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.cmd_edit import AuteurOpt, DateOpt, DryRunOpt
from gusp_cli.cli.common import (
    AsOfOpt,
    CharterOpt,
    SeparateurOpt,
    check_choice,
    load_view,
    parse_as_of,
    today,
)
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter
    from gusp_cli.store.textfile import Source
    from gusp_cli.track.edits import Change

signals_app = typer.Typer(
    name="signals", no_args_is_help=True, add_completion=False, rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Veille de terrain : enregistrer, suivre et remonter les dysfonctionnements repérés.",
)
app.add_typer(signals_app, name="signals")

FORMATS = ("table", "json", "csv", "md")
SignalIdArg = Annotated[str, typer.Argument(metavar="ID", help="Identifiant du signalement (SIG-2026-0001).",
                                            show_default=False, autocompletion=completion.signal_ids)]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Commentaire consigné dans le suivi (jamais de "
                                             "nom "
                                             "d'habitant, de téléphone ni de courriel).", metavar="TEXTE",
                                             show_default=False)]
ResponsableOpt = Annotated[str | None, typer.Option(
    "--responsable", "-r", help="Partie qui le traite : id, nom, sigle ou alias d'un acteur, ou un rôle "
    "(ville, bailleur...) résolu dans le quartier.", show_default=False, autocompletion=completion.parties)]


@signals_app.command("add")
def add_command(
    quartier: Annotated[str, typer.Argument(metavar="QUARTIER", help="Quartier : id, nom, commune ou alias.",
                                            show_default=False, autocompletion=completion.quartiers)],
    description: Annotated[str, typer.Argument(metavar="DESCRIPTION", help="Ce qui a été constaté.",
                                               show_default=False)],
    lieu: Annotated[str, typer.Option("--lieu", "-l", help="Où : une rue, un bâtiment, un lieu.",
                                      metavar="TEXTE", show_default=False)],
    theme: Annotated[str, typer.Option("--theme", "-t", help="Thème : propreté, éclairage, tranquillité...",
                                       metavar="TEXTE", show_default=False)],
    source: Annotated[str, typer.Option("--source", help="Comment il a été connu : tour_de_quartier, "
                                        "diagnostic_en_marchant, comite_de_proximite, reunion, habitant, "
                                        "partenaire ou autre.", show_default=False,
                                        autocompletion=completion.signal_sources)],
    responsable: ResponsableOpt = None,
    secteur: Annotated[str | None, typer.Option("--secteur", "-s", help="Secteur du quartier : id ou mots de "
                                                "son nom.", show_default=False)] = None,
    actions: Annotated[list[str] | None, typer.Option("--action", help="Action existante à laquelle il se "
                                                      "rattache (répétable).", show_default=False,
                                                      autocompletion=completion.action_ids)] = None,
    date: DateOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Enregistrer un dysfonctionnement repéré sur un quartier ; affiche son identifiant.

    L'identifiant (SIG-AAAA-NNNN, l'année du constat) n'a jamais servi : ni dans le fichier, ni
    dans son historique git. --date : jour du constat (défaut : aujourd'hui), jamais dans le
    futur. Ni nom d'habitant, ni téléphone, ni courriel : refusés, rien n'est écrit.
    Code de sortie : 0 écrit, 1 refusé, 2 usage.
    """
    from gusp_cli.cli.cmd_edit import _parse_date, _plausible
    from gusp_cli.history.git import ids_in_history
    from gusp_cli.model.signals import SIGNAL_ID, next_signal_id
    from gusp_cli.track.edits import find_entry, run_edits
    from gusp_cli.track.matching import match_party, match_quartier, match_secteur
    from gusp_cli.track.signal_edits import NewSignal, plan_signal_add, signals_file
    from gusp_cli.track.signals import match_source

    day = today()
    event = _parse_date("--date", date, day)
    origin = match_source(source)
    loaded = _load_editable(charter)
    _plausible(loaded, "--date", event)
    qid = match_quartier(loaded, quartier)
    sector = None
    if secteur:
        pairs = match_secteur(loaded, secteur, {qid})
        if len(pairs) != 1:
            raise UsageError(f"--secteur : « {secteur} » désigne plusieurs secteurs ; précisez : "
                             f"{', '.join(sorted(s for _, s in pairs))}")
        sector = next(iter(pairs))[1]
    party = match_party(loaded, responsable) if responsable else None
    linked = tuple(dict.fromkeys(find_entry(loaded, a).id for a in actions or []))
    path = signals_file(loaded)
    history = ids_in_history(loaded.root, path, SIGNAL_ID, "gusp signals add")
    chosen: list[str] = []

    def plan(sources: dict[Any, Source]) -> list[Change]:
        current = sources[path]
        written = (m.group(0) for m in SIGNAL_ID.finditer(current.text))
        new_id = next_signal_id(event.year, {*history, *written})
        chosen.append(new_id)
        new = NewSignal(new_id, event, qid, lieu, theme, description, origin, sector, party, linked, auteur)
        return [plan_signal_add(loaded, current, new, today=day)]

    changes = run_edits(loaded.root, [path], plan, write=not dry_run, label="enregistrement du signalement")
    _report(loaded, changes, dry_run, chosen[-1])


@signals_app.command("list")
def list_command(
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Quartier : id, nom, commune ou "
                                                 "alias.", autocompletion=completion.quartiers)] = None,
    secteur: Annotated[str | None, typer.Option("--secteur", "-s", help="Secteur : id ou mots de son nom.")
                       ] = None,
    responsable: ResponsableOpt = None,
    etat: Annotated[str | None, typer.Option("--etat", "-e", help="ouvert, transmis, traite ou clos.",
                                             autocompletion=completion.signal_states)] = None,
    theme: Annotated[str | None, typer.Option("--theme", "-t", help="Mot contenu dans le thème.")] = None,
    depuis: Annotated[str | None, typer.Option("--depuis", help="Vus ce jour AAAA-MM-JJ ou après.",
                                               metavar="DATE")] = None,
    a_remonter: Annotated[bool, typer.Option("--a-remonter", help="Seulement ceux à remonter aux instances "
                                             "(ouverts au-delà de la période de la première).")] = False,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, json, csv ou md.")] = "table",
    separateur: SeparateurOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Lister les signalements de la veille (filtres combinables), avec leur remontée.

    Pour chacun : lieu, thème, responsable (rôle résolu dans le quartier), état et, s'il est
    encore ouvert, l'instance qui doit s'en saisir d'après le rythme des instances
    (charte.yaml, clé veille).
    """
    from gusp_cli.cli.cmd_edit import _parse_date
    from gusp_cli.governance.signal_records import records
    from gusp_cli.governance.veille import standings
    from gusp_cli.track.signals import SignalFilters, select_signals

    check_choice("--format", format, FORMATS)
    day = parse_as_of(as_of)
    since = _parse_date("--depuis", depuis, day) if depuis is not None else None
    loaded = load_view(charter, day)
    filters = SignalFilters(quartier, secteur, responsable, etat, theme, since)
    chosen = select_signals(loaded, filters)
    if a_remonter:
        up = {s.signal.id for s in standings(loaded, chosen, day) if s.escalated}
        chosen = [s for s in chosen if s.id in up]
    rows = records(loaded, chosen, day)
    if format == "json":
        from gusp_cli.exchange.formats import to_json
        from gusp_cli.track.records import document

        typer.echo(to_json(document(date_reference=day.isoformat(), signalements=rows)))
    elif format == "csv":
        from gusp_cli.exchange.formats import to_csv
        from gusp_cli.governance.signal_records import CSV_COLUMNS, csv_row

        typer.echo(to_csv([csv_row(r) for r in rows], CSV_COLUMNS, separateur), nl=False)
    else:
        _print_list(loaded, rows, format, day, _scope(loaded, filters, a_remonter))


def _scope(charter: Charter, filters: Any, a_remonter: bool) -> str:
    """What the list covers, in words."""
    parts = [f"{name} « {value} »" for name, value in (
        ("quartier", filters.quartier), ("secteur", filters.secteur), ("responsable", filters.responsable),
        ("état", filters.etat), ("thème", filters.theme)) if value]
    if filters.depuis:
        from gusp_cli.french.dates import format_date

        parts.append(f"vus depuis le {format_date(filters.depuis)}")
    parts += ["à remonter"] if a_remonter else []
    return ", ".join(parts) or "toute la charte"


def _print_list(charter: Charter, rows: list[dict[str, Any]], fmt: str, day: dt.date, scope: str) -> None:
    """The signalements as tables (terminal or Markdown), one per quartier, then a count."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.text import plural

    if charter.signalements is None:
        typer.echo("Aucun signalement enregistré (charter-data/signalements.yaml absent) : gusp signals add "
                   "QUARTIER \"description\" --lieu … --theme … --source … pour en enregistrer un.")
        return
    if not rows:
        typer.echo(f"Aucun signalement ne correspond ({scope}) au {format_date(day)}.")
        return
    for quartier in charter.quartiers:
        group = [r for r in rows if r["quartier"] == quartier.id]
        if group:
            title = f"Signalements au {format_date(day)} — {quartier.nom}"
            _markdown(group, title) if fmt == "md" else _table(group, title)
    up = sum(1 for r in rows if r["a_remonter"])
    opened = sum(1 for r in rows if r["etat"] == "ouvert")
    typer.echo(f"{plural(len(rows), 'signalement')} sur "
               f"{len(charter.signals)} — {scope} : {opened} {_agree(opened, 'ouvert')}, "
               f"dont {up} à remonter")


def _agree(count: int, word: str) -> str:
    from gusp_cli.french.text import agree

    return agree(count, word)


LIST_COLUMNS = ("id", "date", "lieu", "theme", "description", "responsable_noms", "etat_libelle", "suite")
LIST_HEADERS = ("Id", "Vu le", "Lieu", "Thème", "Description", "Responsable", "État", "Suite")


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    """A record as the list shows it: names joined, what comes next in words."""
    from gusp_cli.french.dates import format_date

    if row["resolu_le"]:
        suite = f"résolu le {format_date(dt.date.fromisoformat(row['resolu_le']))}"
    elif row["action"]:
        suite = f"suivi par l'action {row['action']}"
    else:
        suite = row["remontee"] or (f"relayé à {row['transmis_a']}" if row["transmis_a"] else "—")
    return {**row, "date": format_date(dt.date.fromisoformat(row["date"])),
            "responsable_noms": ", ".join(row["responsable_noms"]) or "non désigné", "suite": suite}


def _table(rows: list[dict[str, Any]], title: str) -> None:
    """One quartier's signalements as a terminal table."""
    import sys

    from rich import box
    from rich.table import Table

    from gusp_cli.cli.render import cells, console

    table = Table(title=title, box=box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2,
                  title_justify="left")
    for header in LIST_HEADERS:
        table.add_column(header, overflow="fold", no_wrap=header in ("Id",))
    for row in rows:
        shown = _cells(row)
        table.add_row(*cells(*(str(shown[c]) for c in LIST_COLUMNS)))
    console().print(table)


def _markdown(rows: list[dict[str, Any]], title: str) -> None:
    """One quartier's signalements as a GFM table."""
    from gusp_cli.exchange.formats import to_markdown
    from gusp_cli.french.markup import md_inert

    table = to_markdown([_cells(r) for r in rows], LIST_COLUMNS, LIST_HEADERS)
    typer.echo(f"### {md_inert(title)}\n\n{table}\n")


@signals_app.command("update")
def update_command(
    signal_id: SignalIdArg,
    etat: Annotated[str | None, typer.Option("--etat", "-e", help="Nouvel état : ouvert, transmis, traite ou "
                                             "clos.", show_default=False,
                                             autocompletion=completion.signal_states)] = None,
    vers: Annotated[str | None, typer.Option("--vers", help="Pour « transmis » : le dispositif qui le reçoit "
                                             "(CLSPD, un service...).", metavar="DISPOSITIF",
                                             show_default=False)] = None,
    note: NoteOpt = None,
    date: DateOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Consigner le suivi d'un signalement : état, dispositif qui le reçoit, note datée.

    « transmis » : ce n'est pas une problématique de GUSP, il est relayé au dispositif adapté
    (--vers CLSPD...). L'entrée se range à sa date dans le suivi : un compte rendu écrit après
    coup ne remplace pas un état plus récent.
    """
    from gusp_cli.track.signals import match_state

    state = match_state(etat) if etat is not None else None
    _follow_up(signal_id, charter, dry_run, date, etat=state, vers=vers, note=note, auteur=auteur)


@signals_app.command("close")
def close_command(
    signal_id: SignalIdArg,
    note: Annotated[str, typer.Option("--note", help="Comment il a été résolu (consigné dans le suivi).",
                                      metavar="TEXTE", show_default=False)],
    action: Annotated[str | None, typer.Option("--action", help="Action de la charte qui le traite "
                                               "(ABC-042) : "
                                               "rattachée au signalement.", show_default=False,
                                               autocompletion=completion.action_ids)] = None,
    date: DateOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Clore un signalement, avec une note (et l'action qui le traite, le cas échéant)."""
    from gusp_cli.model.vocabulary import EtatSignalement

    if not note.strip():
        raise UsageError("--note : dites comment il a été résolu (la note reste dans le suivi)")
    _follow_up(signal_id, charter, dry_run, date, etat=EtatSignalement.clos, note=note, auteur=auteur,
               action=action)


def _follow_up(signal_id: str, charter_path: Any, dry_run: bool, date: str | None, **entry: Any) -> None:
    """Load, find the signalement (and the action named), plan the entry, write, report."""
    from gusp_cli.cli.cmd_edit import _parse_date, _plausible
    from gusp_cli.track.edits import find_entry, run_edits
    from gusp_cli.track.signal_edits import plan_signal_update, signals_file
    from gusp_cli.track.signals import find_signal

    day = today()
    event = _parse_date("--date", date, day)
    loaded = _load_editable(charter_path)
    _plausible(loaded, "--date", event)
    signal = find_signal(loaded, signal_id)
    if entry.get("action") is not None:
        entry["action"] = find_entry(loaded, entry["action"]).id
    path = signals_file(loaded)

    def plan(sources: dict[Any, Source]) -> list[Change]:
        return [plan_signal_update(loaded, sources[path], signal.id, date=event, today=day, **entry)]

    changes = run_edits(loaded.root, [path], plan, write=not dry_run, label=f"suivi de {signal.id}")
    _report(loaded, changes, dry_run)


@signals_app.command("to-action")
def to_action_command(
    signal_id: SignalIdArg,
    tableau: Annotated[str, typer.Option("--tableau", "-t", help="Tableau du quartier du signalement : "
                                         "mots de "
                                         "son titre, de son secteur ou de son thème, ou son numéro.",
                                         show_default=False)],
    libelle: Annotated[str | None, typer.Option("--libelle", "-l", help="Libellé de l'action (défaut : la "
                                                "description du signalement).", show_default=False)] = None,
    responsables: Annotated[list[str] | None, typer.Option(
        "--responsable", "-r", help="Partie responsable (répétable ; défaut : celle du signalement).",
        show_default=False, autocompletion=completion.parties)] = None,
    echeance: Annotated[str | None, typer.Option("--echeance", "-e", help="Échéance, comme la charte l'écrit "
                                                 "(2027, « Été 2027 »...).", show_default=False)] = None,
    motif: Annotated[str | None, typer.Option("--motif", "-m", help="Raison de l'ajout (défaut : « créée à "
                                              "partir du signalement … »).", metavar="TEXTE",
                                              show_default=False)] = None,
    date: DateOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Créer une action de la charte à partir d'un problème récurrent ; affiche son identifiant.

    L'action est ajoutée comme par gusp add (numéro suivant, identifiant jamais utilisé, ajout
    daté) dans un tableau du quartier du signalement ; elle nomme le signalement
    (signalements) et le signalement la nomme (action) : les deux fichiers sont écrits
    ensemble, ou aucun. Le signalement est ensuite suivi par l'action : il ne remonte plus.
    """
    from gusp_cli.cli.cmd_edit import _parse_date, _plausible
    from gusp_cli.history.git import ids_in_history
    from gusp_cli.track.edits import find_table, next_action_id, run_edits
    from gusp_cli.track.matching import match_party
    from gusp_cli.track.signal_edits import ActionFromSignal, plan_to_action, signals_file
    from gusp_cli.track.signals import find_signal

    day = today()
    event = _parse_date("--date", date, day)
    loaded = _load_editable(charter)
    _plausible(loaded, "--date", event)
    signal = find_signal(loaded, signal_id)
    quartier = loaded.quartier(signal.quartier)
    if quartier is None:  # pragma: no cover - the rules refuse a signalement of an unknown quartier
        raise UsageError(f"{signal.id} : quartier « {signal.quartier} » introuvable")
    index = find_table(quartier, tableau)
    parties = [match_party(loaded, r) for r in responsables] if responsables else (
        [signal.responsable] if signal.responsable else [])
    if not parties:
        raise UsageError(f"{signal.id} n'a pas de responsable : indiquez --responsable (au moins un)")
    quartier_path = loaded.files[quartier.id]
    new_id = next_action_id(loaded, quartier, ids_in_history(loaded.root, quartier_path))
    new = ActionFromSignal(index, new_id, libelle if libelle is not None else signal.description, parties,
                           echeance, motif, auteur)
    path = signals_file(loaded)

    def plan(sources: dict[Any, Source]) -> list[Change]:
        return plan_to_action(loaded, sources, signal, new, date=event, today=day)

    changes = run_edits(loaded.root, [quartier_path, path], plan, write=not dry_run,
                        label=f"création de l'action {new_id}")
    _report(loaded, changes, dry_run, new_id)


# --------------------------------------------------------------------------- helpers


def _load_editable(charter_path: Any) -> Charter:
    """Load the charter for an edit (its other problems do not block an edit that adds none);
    refuse when ``signalements.yaml`` itself does not load or validate."""
    from gusp_cli.cli.cmd_edit import _load
    from gusp_cli.track.signal_edits import signals_file

    loaded = _load(charter_path)
    if loaded.signals_broken:
        from gusp_cli.model.errors import GuspError

        file = signals_file(loaded)
        lines = "\n".join(f"  {p.format()}" for p in loaded.errors if p.path == file)
        raise GuspError("charter-data/signalements.yaml ne se charge pas ; rien n'a été modifié "
                        "(corrigez-le, "
                        f"gusp validate) :\n{lines}", 1)
    return loaded


def _report(charter: Charter, changes: list[Change], dry_run: bool, new_id: str | None = None) -> None:
    """What changed, file by file (the diff with ``--dry-run``), and the git command to record it;
    with ``new_id`` (a signalement or an action created), that id alone on stdout and the rest on
    stderr, for a script to take it."""
    from gusp_cli.cli.cmd_edit import _repo_relative, git_command
    from gusp_cli.model.source import display_path
    from gusp_cli.store.textfile import unified_diff

    err = new_id is not None
    for change in changes:
        diff = unified_diff(change.source.text, change.text, _repo_relative(charter.root, change.path))
        if dry_run:
            typer.echo(diff, nl=False, err=err)
        added = sum(1 for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff.splitlines() if line.startswith("-") and not line.startswith("---"))
        verb = ("serait créé" if not change.source.exists else "serait modifié") if dry_run else (
            "créé" if not change.source.exists else "modifié")
        typer.echo(f"{display_path(change.path)} {verb} (+{added} −{removed} lignes) :", err=err)
        _details(change, err)
    if new_id is not None:
        typer.echo(new_id)
    if dry_run:
        typer.echo("--dry-run : rien n'a été écrit.", err=err)
        return
    typer.echo("Pour l'enregistrer dans git :", err=err)
    message = changes[0].message if changes else "gusp: veille"
    typer.echo(f"  {git_command(charter.root, [c.path for c in changes], message)}", err=err)


def _details(change: Change, err: bool) -> None:
    """What an edit changes and the warnings it leaves, indented under its file."""
    for line in change.summary:
        typer.echo(f"  {line}", err=err)
    for problem in change.warnings:
        typer.echo(f"  avertissement : {problem.message} [{problem.rule}]", err=err)
