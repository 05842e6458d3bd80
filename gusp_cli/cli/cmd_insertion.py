"""``gusp insertion``: the insertion-clause indicators of a semester and cumulated, against objectives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

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
    from gusp_cli.governance.insertion import Attainment, Report

FORMATS = ("table", "md", "csv", "xlsx", "json")
CSV_COLUMNS = ("rubrique", "indicateur", "unite", "semestre", "part_semestre", "cumul", "part_cumul")


def _num(value: float | None) -> str:
    """``1 234`` or ``1 234,5`` (narrow no-break spaces); ``—`` when not reported."""
    from gusp_cli.french.dates import format_int

    if value is None:
        return "—"
    if float(value).is_integer():
        return format_int(int(value))
    whole, decimals = f"{value:.1f}".split(".")
    return f"{format_int(int(whole))},{decimals}"


def _pct(value: float | None) -> str:
    """``12,5 %``; empty when there is no share."""
    from gusp_cli.french.dates import NNBSP

    return "" if value is None else f"{value:.1f}".replace(".", ",") + f"{NNBSP}%"


def _attainment(att: Attainment) -> str:
    """``8,2 % — non atteint`` or why it cannot be computed."""
    if att.taux is None:
        if att.sans_base:
            return f"non calculable (heures des marchés non renseignées : {', '.join(att.sans_base)})"
        return "non calculable (aucune heure de marché)"
    return f"{_pct(att.taux)} — {'atteint' if att.atteint else 'non atteint'}"


def _headline(report: Report) -> list[str]:
    """Title, objectives and missing semesters, as text lines."""
    from gusp_cli.french.dates import format_date

    lines = []
    if report.semestre is None:
        where = "charter-data/insertion.yaml absent" if not report.fichier_present else "aucun semestre"
        lines.append(f"Aucune donnée d'insertion enregistrée ({where}) au {format_date(report.as_of)}.")
    else:
        span = (f"cumul {report.cumul_de.label} à {report.semestre.label}" if report.cumul_de
                else "aucun cumul")
        lines.append(f"Clauses d'insertion — semestre {report.semestre.label} ({span}) — au "
                     f"{format_date(report.as_of)}")
        if report.record is None:
            lines.append(f"Le semestre {report.semestre.label} n'est pas renseigné.")
    lines.append("")
    if not report.objectifs:
        lines.append("La charte ne fixe pas d'objectif d'insertion (charte.yaml, clé insertion).")
    for semester, cumul in report.objectifs:
        objective = semester.objective
        lines.append(f"Objectif : {objective.label}")
        if objective.texte:
            lines.append(f"  « {' '.join(objective.texte.split())} »")
        if report.semestre is not None:
            lines.append(f"  semestre {report.semestre.label} : {_attainment(semester)}")
            lines.append(f"  cumul : {_attainment(cumul)}")
    return lines


def _footer(report: Report) -> list[str]:
    """Indicators expected and missing semesters."""
    from gusp_cli.french.text import agree

    lines = [""]
    if report.semestre is None and report.indicateurs_charte:
        lines.append("Indicateurs à transmettre chaque semestre :")
        lines += [f"  {n}. {' '.join(text.split())}" for n, text in enumerate(report.indicateurs_charte, 1)]
        lines.append("")
    missing = report.manquants
    if report.attendus:
        lines.append(f"Semestres attendus de {report.attendus[0].label} à {report.attendus[-1].label} : "
                     f"{len(report.attendus)}, dont {len(missing)} {agree(len(missing), 'manquant')}"
                     + (f" : {', '.join(s.label for s in missing)}" if missing else ""))
    return lines


def _rows(report: Report) -> list[dict[str, Any]]:
    """The indicator lines as plain rows (CSV and XLSX)."""
    return [{"rubrique": line.rubrique, "indicateur": line.indicateur, "unite": line.unite,
             "semestre": line.semestre, "part_semestre": _round(line.part_semestre), "cumul": line.cumul,
             "part_cumul": _round(line.part_cumul)} for line in report.lines]


def _round(value: float | None) -> float | None:
    """A share rounded to 0.1."""
    return None if value is None else round(value, 1)


def _table(report: Report) -> None:
    """The indicators as a terminal table."""
    import sys

    from rich import box
    from rich.table import Table

    from gusp_cli.cli.render import cells, console

    if not report.lines:
        return
    label = report.semestre.label if report.semestre else "semestre"
    table = Table(box=box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2)
    for name, justify in (("Rubrique", "left"), ("Indicateur", "left"), (label, "right"), ("%", "right"),
                          ("Cumul", "right"), ("% ", "right")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    previous = None
    for line in report.lines:
        table.add_row(*cells("" if line.rubrique == previous else line.rubrique,
                            f"{line.indicateur} ({line.unite})", _num(line.semestre),
                            _pct(line.part_semestre), _num(line.cumul), _pct(line.part_cumul)))
        previous = line.rubrique
    console().print(table)


def _markdown(report: Report) -> str:
    """The report in Markdown."""
    from gusp_cli.french.markup import md_inert

    head = _headline(report)
    body = [("  - " + line.strip()) if line.startswith("  ") else (f"- {line}" if line else line)
            for line in head[1:]]
    parts = [f"# {head[0]}", *body]
    if report.lines:
        label = report.semestre.label if report.semestre else "semestre"
        parts += ["", f"| Rubrique | Indicateur | {label} | % | Cumul | % |", "|---|---|---:|---:|---:|---:|"]
        parts += [f"| {md_inert(x.rubrique)} | {md_inert(x.indicateur)} ({x.unite}) | {_num(x.semestre)} | "
                  f"{_pct(x.part_semestre)} | {_num(x.cumul)} | {_pct(x.part_cumul)} |" for x in report.lines]
    parts += [(line.strip() if line.strip()[:1].isdigit() else "- " + line.strip())
              if line.startswith("  ") else line for line in _footer(report)]
    return "\n".join(parts) + "\n"


def report_document(report: Report) -> dict[str, Any]:
    """``gusp insertion --format json``: the semester, the indicators, the objectives, the gaps."""
    from gusp_cli.track.records import document

    def measured(att: Attainment) -> dict[str, Any]:
        return {"heures_insertion": att.heures, "heures_marches": att.base, "taux": _round(att.taux),
                "atteint": att.atteint, "semestres_sans_heures_marches": list(att.sans_base)}

    return document(
        date_reference=report.as_of.isoformat(),
        semestre=report.semestre.label if report.semestre else None,
        semestre_renseigne=report.record is not None,
        cumul_de=report.cumul_de.label if report.cumul_de else None,
        fichier_present=report.fichier_present, semestres_enregistres=report.enregistres,
        indicateurs=_rows(report),
        objectifs=[{"perimetre": s.objective.perimetre, "pourcentage": s.objective.pourcentage,
                    "texte": s.objective.texte, "semestre": measured(s), "cumul": measured(c)}
                   for s, c in report.objectifs],
        semestres_attendus=[s.label for s in report.attendus],
        semestres_manquants=[s.label for s in report.manquants],
        indicateurs_charte=list(report.indicateurs_charte))


def _workbook(report: Report) -> bytes:
    """Indicators, objectives and semesters as three sheets."""
    from gusp_cli.exchange.xlsx import table_workbook

    indicators = [[r[c] for c in CSV_COLUMNS] for r in _rows(report)]
    objectives = [[a.objective.perimetre, a.objective.pourcentage, scope, a.heures, a.base,
                   _round(a.taux), {True: "atteint", False: "non atteint", None: "non calculable"}[a.atteint]]
                  for pair in report.objectifs for scope, a in zip(("semestre", "cumul"), pair, strict=True)]
    recorded = set(report.attendus) - set(report.manquants)
    semesters = [[s.label, s.start, s.end, "renseigné" if s in recorded else "manquant"]
                 for s in report.attendus]
    return table_workbook([
        ("Indicateurs", CSV_COLUMNS, indicators, (16, 44, 12, 12, 12, 12, 12)),
        ("Objectifs", ("perimetre", "objectif", "portee", "heures_insertion", "heures_marches", "taux",
                       "etat"), objectives, (14, 10, 10, 16, 16, 10, 16)),
        ("Semestres", ("semestre", "debut", "fin", "etat"), semesters, (12, 12, 12, 14)),
    ], percent_columns=("part_semestre", "part_cumul", "taux", "objectif"), created=report.as_of)


@app.command("insertion")
def insertion_command(
    semestre: Annotated[str | None, typer.Option("--semestre", "-s", help="Semestre AAAA-S1 ou "
                                                 "AAAA-S2 (défaut : le dernier renseigné).",
                                                 show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, md, csv, xlsx ou "
                                        "json.")] = "table",
    output: XlsxOutputOpt = None,
    separateur: SeparateurOpt = ";",
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Clauses d'insertion : indicateurs du semestre et cumulés, face aux objectifs.

    Les données viennent de charter-data/insertion.yaml (effectifs agrégés seulement).

    Les semestres manquants sont signalés : du premier semestre dû
    au dernier semestre achevé à la date de référence.
    """
    from gusp_cli.cli.common import write_output
    from gusp_cli.governance.insertion import build_report
    from gusp_cli.model.errors import UsageError

    check_choice("--format", format, FORMATS)
    if format == "xlsx" and output is None:
        raise UsageError("--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx")
    day = parse_as_of(as_of)
    report = build_report(load_view(charter, day), day, semestre)
    if format == "table":
        typer.echo("\n".join(_headline(report)))
        _table(report)
        typer.echo("\n".join(_footer(report)))
        return
    if format == "xlsx":
        data = _workbook(report)
    elif format == "json":
        from gusp_cli.exchange.formats import to_json

        data = (to_json(report_document(report)) + "\n").encode("utf-8")
    elif format == "md":
        data = _markdown(report).encode("utf-8")
    else:
        from gusp_cli.exchange.formats import to_csv

        data = to_csv(_rows(report), CSV_COLUMNS, separateur).encode("utf-8")
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_output(output, data, force=force)
    typer.echo(f"indicateurs d'insertion écrits dans {output}", err=True)
