"""Editing commands: ``status``, ``add``, ``amend`` (one action, one file) and ``fmt``.

Every edit loads the charter, changes only the lines of the action concerned (YAML round-trip),
checks the charter as it would be after the change, and writes atomically under a lock; ``--dry-run``
shows the diff and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, today
from gusp_cli.model.errors import GuspError, UsageError

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter
    from gusp_cli.model.models import Statut
    from gusp_cli.store.textfile import Source
    from gusp_cli.track.edits import Change, Planner

DryRunOpt = Annotated[bool, typer.Option("--dry-run", "-n", help="Afficher le diff sans rien écrire.")]
DateOpt = Annotated[str | None, typer.Option("--date", "-d", help="Date de l'événement AAAA-MM-JJ "
                                             "(défaut : aujourd'hui) ; une date passée range l'entrée à sa "
                                             "place dans le suivi.", metavar="DATE", show_default=False)]
MotifOpt = Annotated[str | None, typer.Option("--motif", "-m", help="Raison (décision du comité de "
                                              "pilotage du ...), consignée dans le suivi.", metavar="TEXTE",
                                              show_default=False)]
AuteurOpt = Annotated[str | None, typer.Option("--auteur", help="Qui rapporte l'information (personne ou "
                                               "id d'acteur), consigné dans le suivi.", show_default=False)]
ResponsablesOpt = Annotated[list[str] | None, typer.Option(
    "--responsable", "-r", help="Partie responsable : id, nom, sigle ou alias d'un acteur, ou un rôle "
    "(ville, bailleur...) ; répétez l'option pour plusieurs.", show_default=False,
    autocompletion=completion.parties)]
ActionIdArg = Annotated[str, typer.Argument(metavar="ID", help="Identifiant de l'action (ABC-042).",
                                            show_default=False, autocompletion=completion.action_ids)]


@app.command("status")
def status_command(
    action_id: ActionIdArg,
    statut: Annotated[str, typer.Argument(metavar="STATUT", help="Nouveau statut : a_faire, en_cours, "
                                          "realisee, abandonnee ou reportee.", show_default=False,
                                          autocompletion=completion.statuses)],
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Commentaire consigné dans le suivi.",
                                             metavar="TEXTE", show_default=False)] = None,
    echeance: Annotated[str | None, typer.Option("--echeance", "-e", help="Pour « reportee » : la "
                                                 "nouvelle échéance, comme la charte l'écrit (2027, "
                                                 "« T2 2027 »...).", metavar="ÉCHÉANCE",
                                                 show_default=False)] = None,
    motif: MotifOpt = None,
    auteur: AuteurOpt = None,
    public: Annotated[bool, typer.Option("--public", help="La note peut être publiée sur le site des "
                                         "habitants (gusp publish) : public: true dans le suivi ; sans "
                                         "elle, le site dit seulement « mise à jour le … ».")] = False,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Consigner l'avancement d'une action : statut, entrée datée dans son suivi.

    L'entrée se range à sa date dans le suivi : un compte rendu écrit après coup (--date passée)
    ne remplace pas un statut plus récent. Pour « realisee », la date de réalisation est aussi
    renseignée ; « reportee » demande la nouvelle échéance (--echeance) et un --motif.
    Code de sortie : 0 écrit, 1 refusé (la charte deviendrait invalide, fichier verrouillé ou
    modifié entre-temps), 2 usage.
    """
    _collector_off()
    from gusp_cli.track.edits import find_entry, plan_status

    day = today()
    event = _parse_date("--date", date, day)
    wanted = _statut(statut)
    loaded = _load(charter)
    _plausible(loaded, "--date", event)
    entry = find_entry(loaded, action_id)

    def plan(source: Source) -> Change:
        return plan_status(loaded, source, entry.id, wanted, date=event, note=note, auteur=auteur,
                           echeance=echeance, motif=motif, today=day, public=public)

    _run(loaded, entry.file, plan, dry_run)


@app.command("amend")
def amend_command(
    action_id: ActionIdArg,
    motif: Annotated[str, typer.Option("--motif", "-m", help="Raison de la modification (décision du "
                                       "comité de pilotage du ...), consignée dans le suivi.",
                                       show_default=False)],
    echeance: Annotated[str | None, typer.Option("--echeance", "-e", help="Nouvelle échéance, comme la "
                                                 "charte l'écrit (2026, « Été 2025 », 2025/2026...).",
                                                 show_default=False)] = None,
    libelle: Annotated[str | None, typer.Option("--libelle", "-l", help="Nouveau libellé.",
                                                show_default=False)] = None,
    responsables: ResponsablesOpt = None,
    date: DateOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Modifier une action (échéance, libellé, responsables) en gardant la trace.

    L'ancienne valeur et le motif entrent dans le suivi de l'action : une échéance repoussée
    reste visible. --responsable remplace la liste entière.
    """
    _collector_off()
    from gusp_cli.track.edits import find_entry, plan_amend
    from gusp_cli.track.matching import match_party

    day = today()
    event = _parse_date("--date", date, day)
    loaded = _load(charter)
    _plausible(loaded, "--date", event)
    entry = find_entry(loaded, action_id)
    parties = [match_party(loaded, r) for r in responsables] if responsables else None

    def plan(source: Source) -> Change:
        return plan_amend(loaded, source, entry.id, motif=motif, date=event,
                          echeance=echeance, libelle=libelle, responsables=parties, auteur=auteur,
                          today=day)

    _run(loaded, entry.file, plan, dry_run)


@app.command("add")
def add_command(
    quartier: Annotated[str, typer.Option("--quartier", "-q", help="Quartier : id, nom, commune ou alias, "
                                          "sans tenir compte des accents ; territoire pour les actions "
                                          "transversales.", show_default=False,
                                          autocompletion=completion.quartiers)],
    tableau: Annotated[str, typer.Option("--tableau", "-t", help="Tableau : mots de son titre, de son "
                                         "secteur ou de son thème (« actuelle déchets »), ou son numéro "
                                         "dans le quartier.", show_default=False)],
    libelle: Annotated[str, typer.Option("--libelle", "-l", help="Libellé de l'action.",
                                         show_default=False)],
    responsables: ResponsablesOpt = None,
    echeance: Annotated[str | None, typer.Option("--echeance", "-e", help="Échéance, comme la charte "
                                                 "l'écrit (2026, « Été 2025 »...).",
                                                 show_default=False)] = None,
    date: DateOpt = None,
    motif: MotifOpt = None,
    auteur: AuteurOpt = None,
    charter: CharterOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Ajouter une action à la fin d'un tableau, avec le numéro suivant et un nouvel identifiant.

    L'identifiant n'a jamais servi : ni dans la charte, ni dans l'historique git du fichier
    (dans un clone superficiel, refusé avec le code 3 : git fetch --unshallow).
    L'ajout est daté dans le suivi de l'action (--date, défaut : aujourd'hui) : la charte rejouée
    à une date antérieure (--as-of) ne la contient pas.
    """
    _collector_off()
    from gusp_cli.history.git import ids_in_history
    from gusp_cli.track.edits import find_table, next_action_id, plan_add
    from gusp_cli.track.matching import match_party, match_quartier

    if not responsables:
        raise UsageError("paramètre obligatoire manquant : --responsable (au moins un)")
    day = today()
    event = _parse_date("--date", date, day)
    loaded = _load(charter)
    _plausible(loaded, "--date", event)
    found = loaded.quartier(match_quartier(loaded, quartier))
    if found is None:  # pragma: no cover - match_quartier only returns loaded ids
        raise UsageError(f"--quartier : « {quartier} » introuvable")
    index = find_table(found, tableau)
    parties = [match_party(loaded, r) for r in responsables]
    path = loaded.files[found.id]
    new_id = next_action_id(loaded, found, ids_in_history(loaded.root, path))

    def plan(source: Source) -> Change:
        return plan_add(loaded, source, found, index, action_id=new_id, libelle=libelle,
                        responsables=parties, date=event, echeance=echeance, motif=motif, auteur=auteur,
                        today=day)

    _run(loaded, path, plan, dry_run)


@app.command("fmt")
def fmt_command(
    files: Annotated[list[Path] | None, typer.Argument(metavar="[FICHIERS]...", help="Fichiers à "
                                                       "mettre en forme (défaut : tous ceux de la "
                                                       "charte).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Ne rien écrire ; échouer (code 1) en listant "
                                        "les fichiers à reformater.")] = False,
    charter: CharterOpt = None,
) -> None:
    """Mettre les fichiers YAML au style maison, sans changer les données.

    Style maison : UTF-8 sans BOM, fins de ligne LF, indentation de 2 espaces, listes indentées
    sous leur clé (« - » à 2 espaces), pas d'espace en fin de ligne, un saut de ligne final.
    Commentaires, ordre des clés et guillemets sont conservés. Sans effet sur un fichier déjà
    conforme.
    """
    from gusp_cli.model.source import display_path

    targets = list(files) if files else _charter_files(charter)
    changed = failed = 0
    for path in targets:
        try:
            if _format_one(path, check):
                changed += 1
                typer.echo(f"{'à reformater' if check else 'reformaté'} : {display_path(path)}")
        except GuspError as exc:
            failed += 1
            typer.echo(f"gusp : erreur : {exc.message}", err=True)
    from gusp_cli.french.text import agree, plural

    done = "à reformater" if check else agree(changed, "reformaté")
    kept = len(targets) - changed - failed
    typer.echo(f"{plural(len(targets), 'fichier')} : {changed} {done}, {kept} déjà "
               f"{agree(kept, 'conforme')}" + (f", {failed} en erreur" if failed else ""), err=True)
    raise typer.Exit(1 if failed or (check and changed) else 0)


# --------------------------------------------------------------------------- helpers


def _collector_off() -> None:
    """Turn the cyclic garbage collector off for the rest of the edit, before its first import.

    An edit builds objects that all live until it ends (the models' classes, the charter, the
    round-trip tree): the collector would only rescan them. The load turns it off anyway
    (:func:`gusp_cli.cli.common.load_kept`); doing it before pydantic builds the models' classes
    too saves about a tenth of that import (87–107 → 77–95 ms CPU measured).
    :func:`gusp_cli.cli.app.run` turns it back on for a caller that runs gusp in its own process.
    """
    import gc

    gc.disable()


def _statut(value: str) -> Statut:
    """Parse a status loosely (``Réalisée``, ``en cours``); French error listing the choices."""
    from gusp_cli.model.models import Statut
    from gusp_cli.track.matching import match_statut

    return Statut(match_statut(value, "STATUT"))


def _parse_date(option: str, value: str | None, default: dt.date) -> dt.date:
    """Parse a date option; ``default`` when absent."""
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} : date invalide « {value} » (attendu AAAA-MM-JJ, une date qui "
                         "existe)") from None


def _plausible(charter: Charter, option: str, day: dt.date) -> None:
    """Refuse a date years before the charter's period (``--date 0001-01-01``), naming the period."""
    from gusp_cli.model.period import implausible

    reason = implausible(charter.charte, day)
    if reason is not None:
        raise UsageError(f"{option} : {reason}")


def _load(charter_path: Path | None) -> Charter:
    """Load the charter (its existing problems do not block an edit that adds none)."""
    from gusp_cli.cli.common import load_kept

    return load_kept(charter_path, write=True)


def _run(charter: Charter, path: Path, plan: Planner, dry_run: bool) -> None:
    """Plan (and unless ``dry_run`` write) the change, then report it."""
    from gusp_cli.track.edits import run_edit

    change = run_edit(path, plan, write=not dry_run)
    _report(charter, change, dry_run)


def _report(charter: Charter, change: Change, dry_run: bool) -> None:
    """Print what changed, the diff for ``--dry-run``, and the git command to record it."""
    from gusp_cli.model.source import display_path
    from gusp_cli.store.textfile import unified_diff

    name = _repo_relative(charter.root, change.path)
    diff = unified_diff(change.source.text, change.text, name)
    added = sum(1 for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff.splitlines() if line.startswith("-") and not line.startswith("---"))
    if dry_run:
        typer.echo(diff, nl=False)
    shown = display_path(change.path)
    verb = "serait modifié" if dry_run else "modifié"
    typer.echo(f"{shown} {verb} (+{added} −{removed} lignes) :")
    echo_change_details(change)
    if dry_run:
        typer.echo("--dry-run : rien n'a été écrit.")
        return
    typer.echo("Pour l'enregistrer dans git :")
    typer.echo(f"  {git_command(charter.root, [change.path], change.message)}")


def echo_change_details(change: Change) -> None:
    """Print what an edit changes and the warnings it leaves, indented under its file."""
    for line in change.summary:
        typer.echo(f"  {line}")
    for problem in change.warnings:
        typer.echo(f"  avertissement : {problem.message} [{problem.rule}]")


def git_command(root: Path, paths: list[Path], message: str) -> str:
    """``git add FILES && git commit -m MSG``, with ``-C ROOT`` when run from outside the repository."""
    from gusp_cli.model.source import display_path

    here = Path.cwd().resolve()
    if here == root.resolve() or root.resolve() in here.parents:
        files = " ".join(shlex.quote(display_path(path)) for path in paths)
        return f"git add {files} && git commit -m {shlex.quote(message)}"
    where = shlex.quote(str(root))
    files = " ".join(shlex.quote(_repo_relative(root, path)) for path in paths)
    return f"git -C {where} add {files} && git -C {where} commit -m {shlex.quote(message)}"


def _repo_relative(root: Path, path: Path) -> str:
    """The path relative to the charter repository (as git shows it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _charter_files(charter_path: Path | None) -> list[Path]:
    """Every YAML file of the charter repository: charte, registry, quartiers."""
    from gusp_cli.cli.common import charter_root
    from gusp_cli.model.layout import CHARTER_FILE, QUARTIERS_DIR, REGISTRY_FILE, data_dir

    base = data_dir(charter_root(charter_path, write=True).root)
    files = [base / CHARTER_FILE, base / REGISTRY_FILE, *sorted((base / QUARTIERS_DIR).glob("*.yaml"))]
    return [f for f in files if f.is_file()]


def _format_one(path: Path, check: bool) -> bool:
    """Bring one file to the house style; return True when it was (or would be) changed.

    The file is read with the reader's bounds (a regular file of at most 20 Mio) and must load
    with gusp's reader; the new text is computed first, the lock taken only to write it (a run
    killed while formatting leaves no lock), and refused if the file changed meanwhile.
    """
    from gusp_cli.store.atomic import file_lock, write_atomic
    from gusp_cli.store.roundtrip import house_style
    from gusp_cli.store.textfile import read_source

    source = read_source(path)
    data = house_style(source).encode("utf-8")
    if data == source.raw:
        return False
    if check:
        return True
    with file_lock(path):
        write_atomic(path, data, expected_digest=source.digest)
    return True
