"""``gusp evaluation``: the charter's evaluation table per quartier, what is missing per party, and
``gusp evaluation set ID …`` to record one action's evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import (
    AsOfOpt,
    CharterOpt,
    ForceOpt,
    SeparateurOpt,
    check_choice,
    load_view,
    parse_as_of,
)
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.governance.evaluation_summary import EvaluationSummary, PartyToFill, Summary
    from gusp_cli.model.charter import Charter

FORMATS = ("table", "md", "csv", "json")
CSV_COLUMNS = ("quartier", "case", "libelle", "renseignees", "total", "oui", "non", "inconnu", "somme",
               "depuis_tfpb")
TO_FILL_COLUMNS = ("partie", "nom", "action", "quartier", "libelle", "cases_manquantes")
Choice = Annotated[str | None, typer.Option(show_default=False, metavar="oui|non")]


# --------------------------------------------------------------------------- reading the values


def _yes_no(option: str, value: str) -> Any:
    """``oui``/``non`` (or ``non_renseigne`` to clear the cell)."""
    from gusp_cli.french.values import yes_no
    from gusp_cli.track.evaluation_edits import CLEAR

    try:
        found = yes_no(value)
    except ValueError:
        raise UsageError(f"{option} : « {value} » ; attendu oui, non ou non_renseigne") from None
    return CLEAR if found is None else found


def _amount(option: str, value: str, *, signed: bool = False) -> Any:
    """A number in euros as the French type it (``12 500``, ``12500,50``, ``12 500 €``)."""
    from gusp_cli.french.values import amount, number
    from gusp_cli.track.evaluation_edits import CLEAR

    try:
        found = number(value) if signed else amount(value)
    except ValueError as exc:
        raise UsageError(f"{option} : {exc}") from None
    return CLEAR if found is None else found


def _declared(charter: Charter, pairs: list[str]) -> dict[str, Any]:
    """``--valeur CASE=VALEUR`` for the charter's own dimensions, typed by their kind."""
    from gusp_cli.model.evaluation import grid

    dimensions = {d.id: d for d in grid(charter)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or key not in dimensions:
            raise UsageError(f"--valeur : « {pair} » ; attendu CASE=VALEUR avec une case de la grille "
                             f"({', '.join(dimensions) or 'aucune'})")
        kind = dimensions[key].type
        if kind == "oui_non":
            out[key] = _yes_no(f"--valeur {key}", raw)
        elif kind in ("montant", "nombre"):
            out[key] = _amount(f"--valeur {key}", raw, signed=kind == "nombre")
        else:
            from gusp_cli.track.evaluation_edits import CLEAR

            out[key] = raw if raw.strip() else CLEAR
    return out


# --------------------------------------------------------------------------- the table


def _dimension_cells(summary: Summary) -> list[tuple[str, str]]:
    """(label, what it says) for each dimension of one section."""
    from gusp_cli.exchange.tfpb_report import euros

    out = []
    for d in summary.dimensions:
        kind = d.dimension.type
        text = d.text
        if kind == "oui_non":
            text += f" — oui {d.oui}, non {d.non}, inconnu {d.inconnu}"
        elif d.dimension.id == "cout":
            text += (f" — enregistré {euros(summary.cout_enregistre)}, TFPB {euros(summary.cout_tfpb)}"
                     + (f" ({d.depuis_tfpb} par la TFPB)" if d.depuis_tfpb else ""))
        elif kind == "montant":
            text += f" — total {euros(d.somme)}"
        elif kind == "nombre" and d.somme is not None:
            from gusp_cli.french.dates import format_number

            text += f" — total {format_number(d.somme)}"
        out.append((d.dimension.libelle, text))
    return out


def _section_lines(summary: Summary) -> list[str]:
    """One section of the table as text lines."""
    from gusp_cli.exchange.tfpb_report import euros
    from gusp_cli.french.text import agree, plural

    lines = [f"{summary.nom} — {plural(summary.total, 'action')}, {summary.completes} "
             f"{agree(summary.completes, 'évaluation')} {agree(summary.completes, 'complète')}"]
    lines += [f"  {label} : {text}" for label, text in _dimension_cells(summary)]
    deployed = ", ".join(summary.deployees) if summary.deployees else "aucune enregistrée"
    lines.append(f"  Actions déployées : {deployed}")
    if summary.of("cout") is None:
        lines.append(f"  Coût TFPB des actions : {euros(summary.cout_tfpb)}")
    lines.append(f"  Coût total : {euros(summary.cout_total)} (enregistré + TFPB ; jamais estimé)")
    return lines


def _text(report: EvaluationSummary, day: Any) -> str:
    """The whole table as text."""
    from gusp_cli.french.dates import format_date

    if not report.grille:
        return "La charte n'a pas de grille d'évaluation (charte.yaml, grille_evaluation vide).\n"
    lines = [f"Tableau d'évaluation de la charte — au {format_date(day)}", ""]
    for section in [*report.quartiers, report.ensemble] if len(report.quartiers) > 1 else report.quartiers:
        lines += [*_section_lines(section), ""]
    lines.append("Pour renseigner : gusp evaluation set ID --deployee oui --cout 12500 --insertion oui "
                 "--qualite-de-vie non --note …")
    return "\n".join(lines) + "\n"


def _markdown(report: EvaluationSummary, day: Any) -> str:
    """The table in Markdown (user text inert)."""
    from gusp_cli.french.markup import md_inert

    text = _text(report, day).splitlines()
    out = [f"# {md_inert(text[0])}"]
    for line in text[1:]:
        if line.startswith("  "):
            out.append(f"- {md_inert(line.strip())}")
        elif line and not line.startswith("Pour renseigner"):
            out.append(f"\n## {md_inert(line)}\n")
        elif line:
            out.append(f"\n{md_inert(line)}")
    return "\n".join(out) + "\n"


def _rows(report: EvaluationSummary) -> list[dict[str, Any]]:
    """One row per section and dimension (CSV)."""
    sections = [*report.quartiers, report.ensemble]
    return [{"quartier": s.id, "case": d.dimension.id, "libelle": d.dimension.libelle,
             "renseignees": d.renseignees, "total": d.total,
             "oui": d.oui if d.dimension.type == "oui_non" else None,
             "non": d.non if d.dimension.type == "oui_non" else None,
             "inconnu": d.inconnu if d.dimension.type == "oui_non" else None,
             "somme": d.somme, "depuis_tfpb": d.depuis_tfpb if d.dimension.id == "cout" else None}
            for s in sections for d in s.dimensions]


def _section_json(s: Summary) -> dict[str, Any]:
    return {"quartier": s.id, "nom": s.nom, "actions": s.total, "evaluations_completes": s.completes,
            "actions_deployees": list(s.deployees), "cout_enregistre": s.cout_enregistre,
            "cout_tfpb": s.cout_tfpb, "cout_total": s.cout_total,
            "cases": [{"case": d.dimension.id, "libelle": d.dimension.libelle, "type": str(d.dimension.type),
                       "renseignees": d.renseignees, "total": d.total,
                       **({"oui": d.oui, "non": d.non, "inconnu": d.inconnu}
                          if d.dimension.type == "oui_non" else {}),
                       **({"somme": d.somme} if d.dimension.type in ("montant", "nombre") else {}),
                       **({"depuis_tfpb": d.depuis_tfpb} if d.dimension.id == "cout" else {})}
                      for d in s.dimensions]}


def _document(report: EvaluationSummary, parties: list[PartyToFill], day: Any) -> dict[str, Any]:
    """``gusp evaluation --format json`` (with or without ``--a-renseigner``: one document)."""
    from gusp_cli.track.records import document

    return document(date_reference=day.isoformat(),
                    grille=[{"case": d.id, "libelle": d.libelle, "type": str(d.type)} for d in report.grille],
                    quartiers=[_section_json(s) for s in report.quartiers],
                    ensemble=_section_json(report.ensemble), a_renseigner=_to_fill_rows(parties))


# --------------------------------------------------------------------------- to fill in


def _to_fill_text(parties: list[PartyToFill], total: int) -> str:
    """Per party, the actions whose evaluation is incomplete."""
    from gusp_cli.french.text import plural

    if not parties:
        return f"Toutes les évaluations sont complètes ({plural(total, 'action')}).\n"
    lines = []
    for party in parties:
        lines.append(f"{party.nom} — {plural(len(party.actions), 'action')} à renseigner")
        lines += [f"  {m.entry.id}  {m.entry.action.libelle}  [manque : "
                  f"{', '.join(d.libelle for d in m.dimensions)}]" for m in party.actions]
        lines.append("")
    return "\n".join(lines)


def _to_fill_rows(parties: list[PartyToFill]) -> list[dict[str, Any]]:
    return [{"partie": p.partie, "nom": p.nom, "action": m.entry.id, "quartier": m.entry.quartier.id,
             "libelle": m.entry.action.libelle, "cases_manquantes": ", ".join(d.id for d in m.dimensions)}
            for p in parties for m in p.actions]


# --------------------------------------------------------------------------- the command


@app.command("evaluation")
def evaluation_command(
    sous_commande: Annotated[str | None, typer.Argument(metavar="set", help="« set » suivi de l'ID : "
                                                        "renseigner l'évaluation d'une action ; sans : le "
                                                        "tableau.", show_default=False)] = None,
    action_id: Annotated[str | None, typer.Argument(metavar="ID", help="Avec set : l'identifiant de "
                                                    "l'action (ABC-042).", show_default=False,
                                                    autocompletion=completion.action_ids)] = None,
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Un seul quartier : id, nom, "
                                                 "commune ou alias.", show_default=False,
                                                 autocompletion=completion.quartiers)] = None,
    a_renseigner: Annotated[bool, typer.Option("--a-renseigner", help="Par partie, les actions dont "
                                               "l'évaluation est incomplète.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, md, csv ou json.")] = "table",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier de sortie.",
                                               show_default=False)] = None,
    deployee: Annotated[str | None, typer.Option("--deployee", help="Avec set : l'action est déployée sur "
                                                 "le quartier (oui, non ou non_renseigne).",
                                                 metavar="oui|non",
                                                 show_default=False)] = None,
    cout: Annotated[str | None, typer.Option("--cout", help="Avec set : le coût de l'opération, en euros "
                                             "(12500 ou « 12 500,50 »).", metavar="MONTANT",
                                             show_default=False)] = None,
    insertion: Annotated[str | None, typer.Option("--insertion", help="Avec set : les clauses d'insertion "
                                                  "sont respectées (oui, non ou non_renseigne).",
                                                  metavar="oui|non", show_default=False)] = None,
    qualite: Annotated[str | None, typer.Option("--qualite-de-vie", help="Avec set : l'amélioration de la "
                                                "qualité de vie des habitants est validée (oui, non ou "
                                                "non_renseigne).", metavar="oui|non",
                                                show_default=False)] = None,
    valeur: Annotated[list[str] | None, typer.Option("--valeur", help="Avec set : une case de la grille de "
                                                     "la charte, CASE=VALEUR ; répétez l'option.",
                                                     metavar="CASE=VALEUR", show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="Avec set : commentaire de l'évaluation "
                                             "(--note \"\" l'efface).", metavar="TEXTE",
                                             show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Avec set : afficher le diff sans rien "
                                          "écrire.")] = False,
    separateur: SeparateurOpt = ";",
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Le tableau d'évaluation de la charte, par quartier ; « set ID » pour renseigner une action.

    Par case de la grille : actions renseignées sur N ; oui / non / inconnu pour les cases
    oui-non ; le coût enregistré et celui des programmes TFPB (dépenses valorisées des lignes
    liées à l'action, source nommée ; jamais estimé). --a-renseigner : par partie, les actions
    dont l'évaluation est incomplète.

    gusp evaluation set ID --deployee oui --cout 12500 --insertion oui --qualite-de-vie non
    --note … ne change que les lignes de l'évaluation de l'action, vérifie la charte et écrit
    de façon atomique (--dry-run : le diff seulement).
    """
    edits = {"--deployee": deployee, "--cout": cout, "--insertion": insertion, "--qualite-de-vie": qualite,
             "--valeur": valeur, "--note": note}
    if sous_commande is None:
        given = [k for k, v in edits.items() if v is not None] + (["--dry-run"] if dry_run else [])
        if given:
            raise UsageError(f"{', '.join(given)} : seulement avec « gusp evaluation set ID »")
        _report(quartier, a_renseigner, format, output, separateur, force, as_of, charter)
        return
    if sous_commande != "set":
        raise UsageError(f"« {sous_commande} » : sous-commande inconnue ; gusp evaluation (le tableau) ou "
                         "gusp evaluation set ID … (renseigner une action)")
    if action_id is None:
        raise UsageError("paramètre obligatoire manquant : ID (gusp evaluation set ID …)")
    others = [k for k, v in (("--quartier", quartier), ("--a-renseigner", a_renseigner or None),
                             ("--output", output), ("--as-of", as_of)) if v is not None]
    if others or format != "table":
        raise UsageError(f"{', '.join(others) or '--format'} : pas avec « set » (il enregistre, il "
                         "n'affiche pas de tableau)")
    _set(action_id, deployee, cout, insertion, qualite, valeur or [], note, dry_run, charter)


def _report(quartier: str | None, a_renseigner: bool, format: str, output: str | None, separateur: str,
            force: bool, as_of: str | None, charter: Any) -> None:
    """The table, or the actions to fill in per party."""
    from gusp_cli.governance.evaluation_summary import evaluation_summary, to_fill_by_party
    from gusp_cli.track.matching import match_quartier

    check_choice("--format", format, FORMATS)
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    place = match_quartier(loaded, quartier) if quartier is not None else None
    entries = [e for e in loaded.entries if place in (None, e.quartier.id)]
    parties = to_fill_by_party(loaded, entries, day)
    if format == "json":
        from gusp_cli.exchange.formats import to_json

        report = evaluation_summary(loaded, None if place is None else [place], day)
        data = to_json(_document(report, parties, day)) + "\n"
    elif a_renseigner:
        if format == "csv":
            from gusp_cli.exchange.formats import to_csv

            data = to_csv(_to_fill_rows(parties), TO_FILL_COLUMNS, separateur)
        else:
            data = _to_fill_text(parties, len(entries))
            if format == "md":
                from gusp_cli.french.markup import md_inert

                data = "\n".join(md_inert(x) if not x.startswith("  ") else f"- {md_inert(x.strip())}"
                                 for x in data.splitlines()) + "\n"
    else:
        report = evaluation_summary(loaded, None if place is None else [place], day)
        if format == "csv":
            from gusp_cli.exchange.formats import to_csv

            data = to_csv(_rows(report), CSV_COLUMNS, separateur)
        elif format == "md":
            data = _markdown(report, day)
        else:
            data = _text(report, day)
    _emit(data, output, force)


def _emit(data: str, output: str | None, force: bool) -> None:
    """Print, or write the file the user named."""
    if output is None:
        if data:
            from gusp_cli.french.markup import terminal_text

            typer.echo(terminal_text(data), nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, data.encode("utf-8"), force=force)
    typer.echo(f"évaluation écrite dans {output}", err=True)


def _set(action_id: str, deployee: str | None, cout: str | None, insertion: str | None, qualite: str | None,
         valeur: list[str], note: str | None, dry_run: bool, charter_path: Any) -> None:
    """Record one action's evaluation, surgically and atomically."""
    from gusp_cli.cli.cmd_edit import _load, _run
    from gusp_cli.track.edits import find_entry
    from gusp_cli.track.evaluation_edits import SET_OPTIONS, plan_evaluation

    loaded = _load(charter_path)
    values: dict[str, Any] = {}
    for key, raw, parse in (("deployee", deployee, _yes_no), ("cout", cout, _amount),
                            ("clauses_insertion_respectees", insertion, _yes_no),
                            ("qualite_de_vie_amelioree", qualite, _yes_no)):
        if raw is not None:
            values[key] = parse(SET_OPTIONS[key], raw)
    values.update(_declared(loaded, valeur))
    entry = find_entry(loaded, action_id)
    from gusp_cli.cli.common import today

    day = today()

    def plan(source: Any) -> Any:
        return plan_evaluation(loaded, source, entry.id, values, commentaire=note, today=day)

    _run(loaded, entry.file, plan, dry_run)
