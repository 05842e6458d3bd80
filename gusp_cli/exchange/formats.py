"""Machine and paste-ready renderings of records: JSON, CSV (French Excel) and Markdown (GFM)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from gusp_cli.french.markup import FORMULA_STARTS, cell_inert, is_formula_like, md_inert

__all__ = ["FORMULA_STARTS", "cell_inert", "csv_separator", "is_formula_like", "md_inert", "to_csv",
           "to_json", "to_markdown"]


def to_json(data: Any) -> str:
    """Stable, valid JSON (UTF-8 text, keys in contract order, 2-space indent)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    """Render a value for CSV/Markdown: lists joined, booleans in French, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def csv_separator(value: str) -> str:
    """The separator ``--separateur`` designates: one character (``\\t``, ``tab`` or ``tabulation``
    for a tab), neither a quote, a line break, a letter nor a digit; UsageError otherwise."""
    from gusp_cli.model.errors import UsageError

    text = {"\\t": "\t", "tab": "\t", "tabulation": "\t"}.get(value.lower(), value)
    if len(text) != 1 or text in "\"\r\n" or text.isalnum():
        shown = value.encode("unicode_escape").decode("ascii")
        raise UsageError(f"--separateur : « {shown} » refusé : un seul caractère, ni guillemet, ni lettre, "
                         "ni chiffre (« ; » pour Excel en français, « , » sinon, \\t pour une tabulation)")
    return text


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], separator: str = ";",
           bom: bool = True) -> str:
    """CSV with a header; UTF-8 BOM and ``;`` by default so French Excel opens it correctly.

    ``separator`` is checked by :func:`csv_separator`. A cell a spreadsheet would read as a
    formula (:func:`is_formula_like`) is prefixed with ``'``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_separator(separator), lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_inert(_cell(row.get(c))) for c in columns])
    return ("\ufeff" if bom else "") + buffer.getvalue()




def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str]) -> str:
    """A GFM table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(md_inert(_cell(row.get(c))) for c in columns) + " |")
    return "\n".join(lines)
