"""``gusp tfpb``: the landlords' TFPB programmes of a year, planned against spent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import (
    AsOfOpt,
    CharterOpt,
    ForceOpt,
    SeparateurOpt,
    XlsxOutputOpt,
    check_choice,
    load_view,
    parse_as_of,
)

if TYPE_CHECKING:
    from gusp_cli.governance.tfpb import Report, Total

FORMATS = ("table", "md", "csv", "xlsx", "json")


def _table(report: Report) -> None:
    """Each programme's lines, then the totals per axis and per quartier, as terminal tables."""
    import sys

    from rich import box
    from rich.table import Table

    from gusp_cli.cli.render import cells, console
    from gusp_cli.exchange.tfpb_report import euros, headline, percent, total_text

    out = console()
    style = box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2
    typer.echo("\n".join(cells(*headline(report))))
    if report.modele:
        typer.echo("\n".join(["Par exemple :", *(f"    {line}" for line in cells(*report.modele))]))
    for p in report.programmes:
        typer.echo("")
        typer.echo(cells(p.nom + (f" — {p.convention}" if p.convention else ""))[0])
        table = Table(box=style)
        for name, justify in (("Quartier", "left"), ("Axe", "left"), ("Ligne", "left"), ("Actions", "left"),
                              ("Prévu", "right"), ("Valorisé", "right"), ("Taux", "right")):
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for x in p.lignes:
            quantity = f" ({_quantity(x.quantite, x.unite)})" if x.quantite is not None else ""
            table.add_row(*cells(x.quartier_nom, x.axe_nom, x.libelle + quantity, ", ".join(x.actions) or "—",
                                 euros(x.prevu), euros(x.valorise), percent(x.taux)))
        out.print(table)
        typer.echo(f"Total {cells(p.nom)[0]} : {total_text(p.total)}")
    if not report.programmes:
        return
    for title, items in (("Par axe", [(a.axe.label, a.total) for a in report.par_axe]),
                         ("Par quartier", [(q.nom, q.total) for q in report.par_quartier])):
        typer.echo("")
        _totals(out, style, title, items, report.total)


def _totals(out: object, style: object, title: str, items: list[tuple[str, Total]], overall: Total) -> None:
    """One table of totals with its overall row."""
    from rich.table import Table

    from gusp_cli.cli.render import cells
    from gusp_cli.exchange.tfpb_report import euros, percent

    table = Table(title=title, box=style, title_justify="left")  # type: ignore[arg-type]
    for name, justify in ((title.removeprefix("Par ").capitalize(), "left"), ("Prévu", "right"),
                          ("Valorisé", "right"), ("Taux", "right"), ("Lignes", "right")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for label, t in [*items, ("Ensemble", overall)]:
        table.add_row(*cells(label, euros(t.prevu), euros(t.valorise), percent(t.taux), str(t.lignes)))
    out.print(table)  # type: ignore[attr-defined]


def _quantity(value: float, unit: str | None) -> str:
    """« 2 ETP », « 96 passages »."""
    from gusp_cli.french.dates import format_number

    return f"{format_number(value)} {unit}".strip() if unit else format_number(value)


@app.command("tfpb")
def tfpb_command(
    annee: Annotated[int | None, typer.Option("--annee", "-a", help="Année des programmes (défaut : l'année "
                                              "qui précède la date de référence).", metavar="ANNÉE",
                                              show_default=False)] = None,
    bailleur: Annotated[str | None, typer.Option("--bailleur", "-b", help="Un seul bailleur : id, nom, "
                                                 "sigle ou alias.", show_default=False,
                                                 autocompletion=completion.parties)] = None,
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Un seul quartier : id, nom, "
                                                 "commune ou alias.", show_default=False,
                                                 autocompletion=completion.quartiers)] = None,
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="Sortie : table, md, csv, xlsx ou json.")] = "table",
    output: XlsxOutputOpt = None,
    separateur: SeparateurOpt = ";",
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Programmes TFPB des bailleurs : prévu et valorisé par axe et par quartier, taux d'exécution.

    Les données viennent de charter-data/tfpb.yaml (un programme par bailleur et par année) ;
    les axes sont ceux de charte.yaml (axes_tfpb), ou les huit du cadre national.
    Chaque ligne indique les actions de la charte qu'elle sert. --format xlsx écrit le bilan
    annuel qu'un bailleur peut transmettre (feuilles Synthèse et Lignes).
    """
    from gusp_cli.cli.common import write_output
    from gusp_cli.governance.tfpb import build_report
    from gusp_cli.model.errors import UsageError
    from gusp_cli.track.matching import match_landlord, match_quartier

    check_choice("--format", format, FORMATS)
    if format == "xlsx" and output is None:
        raise UsageError("--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx")
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    year = annee if annee is not None else day.year - 1
    if not 1900 <= year <= 2200:
        raise UsageError(f"--annee : année invraisemblable « {year} » (attendu AAAA, ex. {day.year - 1})")
    landlord = match_landlord(loaded, bailleur) if bailleur is not None else None
    place = match_quartier(loaded, quartier) if quartier is not None else None
    report = build_report(loaded, year, day, bailleur=landlord, quartier=place)
    if format == "table":
        _table(report)
        return
    from gusp_cli.exchange import tfpb_report

    if format == "xlsx":
        names = ", ".join(p.nom for p in report.programmes) or "bailleurs"
        data = tfpb_report.workbook(report, f"Bilan TFPB {year} — {names}")
    elif format == "json":
        from gusp_cli.exchange.formats import to_json

        data = (to_json(tfpb_report.document(report)) + "\n").encode("utf-8")
    elif format == "md":
        data = tfpb_report.markdown(report).encode("utf-8")
    else:
        from gusp_cli.exchange.formats import to_csv

        data = to_csv(tfpb_report.rows(report), tfpb_report.CSV_COLUMNS, separateur).encode("utf-8")
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_output(output, data, force=force)
    typer.echo(f"programmes TFPB {year} écrits dans {output}", err=True)
