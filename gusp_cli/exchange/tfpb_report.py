"""The TFPB yearly report (:class:`gusp_cli.governance.tfpb.Report`) as rows, JSON, Markdown and a
workbook a landlord can send as its annual report.

Amounts stay numbers in CSV, JSON and the workbook (euros, two decimals at most); rates are
percentages rounded to 0.1. Every text from the YAML is defused in CSV and XLSX (a label that
starts like a formula stays a text) and made inert in Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gusp_cli.french.dates import NNBSP, format_date, format_euros

if TYPE_CHECKING:
    from gusp_cli.governance.tfpb import Line, Report, Total

CSV_COLUMNS = ("bailleur", "annee", "quartier", "axe_numero", "axe", "libelle", "actions", "montant_prevu",
               "montant_valorise", "taux_execution", "quantite", "unite", "note")


def euros(value: float | None) -> str:
    """« 12 500 € », « — » when not known."""
    return "—" if value is None else format_euros(value)


def percent(value: float | None) -> str:
    """« 94,3 % », « — » when not computable."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + f"{NNBSP}%"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _axis_number(report: Report, axe: str) -> int | None:
    """The number of an axis (None when it has none or is unknown)."""
    return next((a.axe.numero for a in report.par_axe if a.axe.id == axe), None)


def rows(report: Report) -> list[dict[str, Any]]:
    """One row per line (CSV, the workbook's « Lignes » sheet)."""
    return [{"bailleur": x.bailleur_nom, "annee": x.annee, "quartier": x.quartier_nom,
             "axe_numero": _axis_number(report, x.axe), "axe": x.axe_nom, "libelle": x.libelle,
             "actions": ", ".join(x.actions), "montant_prevu": x.prevu, "montant_valorise": x.valorise,
             "taux_execution": _round(x.taux), "quantite": x.quantite, "unite": x.unite, "note": x.note}
            for x in report.lignes]


def _total(t: Total) -> dict[str, Any]:
    return {"lignes": t.lignes, "montant_prevu": t.prevu, "montant_valorise": t.valorise,
            "taux_execution": _round(t.taux), "lignes_sans_montant_valorise": t.sans_valorise}


def _line(x: Line) -> dict[str, Any]:
    return {"quartier": x.quartier, "axe": x.axe, "libelle": x.libelle, "actions": list(x.actions),
            "montant_prevu": x.prevu, "montant_valorise": x.valorise, "taux_execution": _round(x.taux),
            "quantite": x.quantite, "unite": x.unite, "note": x.note}


def document(report: Report) -> dict[str, Any]:
    """``gusp tfpb --format json``."""
    from gusp_cli.track.records import document as versioned

    return versioned(
        date_reference=report.as_of.isoformat(), annee=report.annee, fichier_present=report.fichier_present,
        programmes=[{"bailleur": p.bailleur, "nom": p.nom, "convention": p.convention, "note": p.note,
                     "lignes": [_line(x) for x in p.lignes], "total": _total(p.total)}
                    for p in report.programmes],
        par_axe=[{"axe": a.axe.id, "numero": a.axe.numero, "nom": a.axe.nom, **_total(a.total)}
                 for a in report.par_axe],
        par_quartier=[{"quartier": q.id, "nom": q.nom, **_total(q.total)} for q in report.par_quartier],
        total=_total(report.total), sans_programme=list(report.sans_programme),
        annees_enregistrees=list(report.annees))


def headline(report: Report) -> list[str]:
    """The title and what is missing, as text lines (table and Markdown)."""
    lines = [f"Programmes TFPB {report.annee} — au {format_date(report.as_of)}"]
    if not report.fichier_present:
        lines.append("Aucun programme TFPB enregistré : charter-data/tfpb.yaml absent. Créez-le, un "
                     "programme par bailleur et par année (schéma : schemas/tfpb.schema.json ; les axes "
                     "sont ceux d'axes_tfpb dans charte.yaml).")
    elif not report.programmes:
        other = ", ".join(map(str, report.annees)) or "aucune"
        lines.append(f"Aucun programme TFPB pour {report.annee} dans charter-data/tfpb.yaml (années "
                     f"enregistrées : {other}).")
    if report.sans_programme:
        lines.append(f"Sans programme {report.annee} enregistré : {', '.join(report.sans_programme)}.")
    return lines


def total_text(t: Total) -> str:
    """« prévu 91 000 €, valorisé 81 250,50 €, taux d'exécution 89,3 % (1 ligne sans montant valorisé) »."""
    from gusp_cli.french.text import plural

    text = f"prévu {euros(t.prevu)}, valorisé {euros(t.valorise)}, taux d'exécution {percent(t.taux)}"
    if t.sans_valorise:
        text += f" ({plural(t.sans_valorise, 'ligne')} sans montant valorisé)"
    return text


def markdown(report: Report) -> str:
    """The report in Markdown (user text inert)."""
    from gusp_cli.french.markup import md_inert

    head = headline(report)
    parts = [f"# {md_inert(head[0])}", "", *(md_inert(x) for x in head[1:])]
    if report.modele:
        parts += ["", "Par exemple :", "", "```yaml", *report.modele, "```"]
    for p in report.programmes:
        parts += ["", f"## {md_inert(p.nom)}", ""]
        if p.convention:
            parts += [f"Convention : {md_inert(p.convention)}", ""]
        parts += ["| Quartier | Axe | Ligne | Actions | Prévu | Valorisé | Taux |",
                  "|---|---|---|---|---:|---:|---:|"]
        parts += [f"| {md_inert(x.quartier_nom)} | {md_inert(x.axe_nom)} | {md_inert(x.libelle)} | "
                  f"{md_inert(', '.join(x.actions)) or '—'} | {euros(x.prevu)} | {euros(x.valorise)} | "
                  f"{percent(x.taux)} |" for x in p.lignes]
        parts += ["", f"Total : {total_text(p.total)}."]
    if report.programmes:
        parts += ["", "## Par axe", "", "| Axe | Prévu | Valorisé | Taux |", "|---|---:|---:|---:|"]
        parts += [f"| {md_inert(a.axe.label)} | {euros(a.total.prevu)} | {euros(a.total.valorise)} | "
                  f"{percent(a.total.taux)} |" for a in report.par_axe]
        parts += ["", "## Par quartier", "", "| Quartier | Prévu | Valorisé | Taux |", "|---|---:|---:|---:|"]
        parts += [f"| {md_inert(q.nom)} | {euros(q.total.prevu)} | {euros(q.total.valorise)} | "
                  f"{percent(q.total.taux)} |" for q in report.par_quartier]
        parts += ["", f"**Ensemble** : {total_text(report.total)}."]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- the workbook

_LINE_HEADERS = ("Bailleur", "Année", "Quartier", "N°", "Axe", "Ligne du programme", "Actions de la charte",
                 "Montant prévu", "Montant valorisé", "Taux d'exécution", "Quantité", "Unité", "Note")
_LINE_WIDTHS = (18, 7, 18, 4, 28, 36, 13, 14, 14, 11, 9, 9, 26)
_WRAPPED = ("bailleur", "quartier", "axe", "libelle", "actions", "note")


def workbook(report: Report, title: str) -> bytes:
    """The annual report: a « Synthèse » sheet (per axis, per quartier, overall) and « Lignes »."""
    import io

    from gusp_cli.exchange.xlsx import Styles, new_workbook

    buffer = io.BytesIO()
    book = new_workbook(buffer, title, report.as_of)
    styles = Styles(book)
    _summary_sheet(book, styles, report, title)
    _lines_sheet(book, styles, report)
    book.close()
    return buffer.getvalue()


def _summary_sheet(book: Any, styles: Any, report: Report, title: str) -> None:
    """Title, programmes, then the tables per axis and per quartier, and the overall total."""
    from gusp_cli.exchange.formats import is_formula_like
    from gusp_cli.exchange.xlsx import print_landscape

    ws = book.add_worksheet("Synthèse")
    for c, width in enumerate((46, 16, 16, 14, 10)):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, title, styles.text(bold=True, size=13, wrap=False, quote=is_formula_like(title)))
    notes = [*headline(report)[1:], *(f"{p.nom} — convention : {p.convention or 'non renseignée'}"
                                      for p in report.programmes),
             f"Données au {format_date(report.as_of)}, tirées de charter-data/tfpb.yaml (gusp)."]
    row = 1
    for note in notes:
        ws.write_string(row, 0, note, styles.text(wrap=False, quote=is_formula_like(note)))
        row += 1
    row += 1
    axes = [(a.axe.label, a.total) for a in report.par_axe]
    row = _totals_table(ws, styles, row, "Axe", axes, report.total) + 1
    _totals_table(ws, styles, row, "Quartier", [(q.nom, q.total) for q in report.par_quartier], report.total)
    print_landscape(ws, header_rows=0)


def _totals_table(ws: Any, styles: Any, row: int, what: str, items: list[tuple[str, Total]],
                  overall: Total) -> int:
    """A table of totals with its header and an overall row; return the next free row."""
    from gusp_cli.exchange.xlsx import put

    for c, header in enumerate((what, "Montant prévu", "Montant valorisé", "Taux d'exécution", "Lignes")):
        ws.write_string(row, c, header, styles.header())
    for i, (label, t) in enumerate([*items, ("Total", overall)]):
        row += 1
        bold = i == len(items)
        put(ws, row, 0, label, styles, plain=True, bold=bold)
        put(ws, row, 1, t.prevu, styles, plain=True, bold=bold, euro=True)
        put(ws, row, 2, t.valorise, styles, plain=True, bold=bold, euro=True)
        put(ws, row, 3, None if t.taux is None else t.taux / 100, styles, plain=True, bold=bold, percent=True)
        put(ws, row, 4, t.lignes, styles, plain=True, bold=bold)
    return row + 2


def _lines_sheet(book: Any, styles: Any, report: Report) -> None:
    """Every line, one per row, with a filter."""
    from gusp_cli.exchange.workbook import row_height
    from gusp_cli.exchange.xlsx import print_landscape, put

    ws = book.add_worksheet("Lignes")
    for c, (header, width) in enumerate(zip(_LINE_HEADERS, _LINE_WIDTHS, strict=True)):
        ws.set_column(c, c, width)
        ws.write_string(0, c, header, styles.header())
    ws.set_row(0, row_height(zip(_LINE_HEADERS, _LINE_WIDTHS, strict=True)))
    widths = dict(zip(CSV_COLUMNS, _LINE_WIDTHS, strict=True))
    for r, values in enumerate(rows(report), start=1):
        ws.set_row(r, row_height((str(values[k] or ""), widths[k]) for k in _WRAPPED))
        for c, key in enumerate(CSV_COLUMNS):
            value = values[key]
            if key == "taux_execution":
                put(ws, r, c, None if value is None else value / 100, styles, plain=True, percent=True)
            else:
                put(ws, r, c, value, styles, plain=True, wrap=key in _WRAPPED,
                    euro=key.startswith("montant_"))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(report.lignes), 1), len(CSV_COLUMNS) - 1)
    print_landscape(ws)
