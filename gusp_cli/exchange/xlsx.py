"""Writing Excel workbooks: XlsxWriter writes (imported inside the functions), openpyxl reads back.

XlsxWriter writes a workbook in memory (``in_memory``: no temporary file per sheet, which a
500-sheet workbook pays for; repeated texts are shared once) and shares one format object per
kind of cell, so a 50,000-action workbook is written in seconds; openpyxl, which builds every
cell as an object, stays the reader (``gusp import``). Helpers here are the pieces every
workbook shares: the cell formats, typed writes that never turn a partner's text into a formula,
and plain tables (:func:`table_workbook`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gusp_cli.exchange.formats import is_formula_like

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

DATE_FORMAT = "dd/mm/yyyy"
"""Dates as the French write them."""
EURO_FORMAT = '#,##0.00 "€"'
"""Euros with two decimals; the spreadsheet's locale gives the separators (« 12 500,00 € »)."""
FONT_SIZE = 10
READ_ONLY_FILL, EDIT_FILL, HEADER_FILL, EDIT_HEADER_FILL = "#F2F2F2", "#FFF2CC", "#D9D9D9", "#FFD966"


class Styles:
    """The cell formats of one workbook, each built once and shared by every cell of its kind."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._made: dict[tuple[Any, ...], Format] = {}

    def cell(self, *, editable: bool = False, wrap: bool = False, date: bool = False, quote: bool = False,
             bold: bool = False, percent: bool = False, plain: bool = False, euro: bool = False) -> Format:
        """A body cell: grey and locked, or yellow and unlocked when ``editable`` (``plain``: white);
        ``euro``: an amount shown as French write euros (« 12 500,00 € »)."""
        key = ("cell", editable, wrap, date, quote, bold, percent, plain, euro)
        made = self._made.get(key)
        if made is None:
            properties: dict[str, Any] = {"font_size": FONT_SIZE, "valign": "top", "text_wrap": wrap,
                                          "border": 1, "border_color": "#BFBFBF", "bold": bold}
            if not plain:
                properties["bg_color"] = EDIT_FILL if editable else READ_ONLY_FILL
            if editable:
                properties["locked"] = False
            if date:
                properties["num_format"] = DATE_FORMAT
            if percent:
                properties["num_format"] = "0.0 %"
            if euro:
                properties["num_format"] = EURO_FORMAT
            if quote:
                properties["quote_prefix"] = True
            made = self._made[key] = self.workbook.add_format(properties)
        return made

    def header(self, *, editable: bool = False) -> Format:
        """A header cell: bold, wrapped, coloured by kind."""
        key = ("header", editable)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self.workbook.add_format({
                "font_size": FONT_SIZE, "bold": True, "text_wrap": True, "valign": "vcenter", "border": 1,
                "bg_color": EDIT_HEADER_FILL if editable else HEADER_FILL})
        return made

    def text(self, *, bold: bool = False, size: int = FONT_SIZE, wrap: bool = True,
             quote: bool = False) -> Format:
        """Running text (the instructions sheet); ``quote``: Excel's quote prefix (a text that reads
        like a formula stays a text when edited)."""
        key = ("text", bold, size, wrap, quote)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self.workbook.add_format({"font_size": size, "bold": bold,
                                                               "text_wrap": wrap, "valign": "top",
                                                               "quote_prefix": quote})
        return made


def put(ws: Worksheet, row: int, column: int, value: Any, styles: Styles, **kind: bool) -> None:
    """Write one typed cell (0-based ``row`` and ``column``): a text stays a text, even one a
    spreadsheet would read as a formula (``=1+1``, which also gets Excel's quote prefix)."""
    if value is None or value == "":
        ws.write_blank(row, column, None, styles.cell(**kind))
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, styles.cell(**kind))
    elif isinstance(value, int | float):
        ws.write_number(row, column, value, styles.cell(**kind))
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
        ws.write_datetime(row, column, moment, styles.cell(**{**kind, "date": True}))
    else:
        text = str(value)
        ws.write_string(row, column, text, styles.cell(quote=is_formula_like(text), **kind))


class CellWriter:
    """:func:`put` for one column kind, its formats looked up once (the hot loop of big workbooks)."""

    def __init__(self, styles: Styles, **kind: bool) -> None:
        self.plain = styles.cell(**kind)
        self.quoted = styles.cell(**{**kind, "quote": True})
        self.dated = styles.cell(**{**kind, "date": True})

    def __call__(self, ws: Worksheet, row: int, column: int, value: Any) -> None:
        """Write ``value`` as :func:`put` would."""
        if value is None or value == "":
            ws.write_blank(row, column, None, self.plain)
        elif isinstance(value, str):
            ws.write_string(row, column, value, self.quoted if is_formula_like(value) else self.plain)
        elif isinstance(value, bool):
            ws.write_boolean(row, column, value, self.plain)
        elif isinstance(value, int | float):
            ws.write_number(row, column, value, self.plain)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, column, dt.datetime.combine(value, dt.time()), self.dated)
        else:
            text = str(value)
            ws.write_string(row, column, text, self.quoted if is_formula_like(text) else self.plain)


def new_workbook(buffer: io.BytesIO, title: str, created: dt.date) -> Workbook:
    """A workbook written into ``buffer`` row by row, with its properties (no clock read)."""
    from xlsxwriter import Workbook

    workbook = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                 "strings_to_urls": False, "strings_to_numbers": False})
    workbook.set_properties({"title": title, "author": "gusp",
                             "created": dt.datetime.combine(created, dt.time())})
    return workbook


def print_landscape(ws: Worksheet, header_rows: int = 1) -> None:
    """A4 landscape, fit to the page's width, header rows repeated on every page, page numbers."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    ws.set_footer("&L&A&RPage &P / &N")


def table_workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]], Sequence[float]]],
                   percent_columns: Sequence[str], created: dt.date) -> bytes:
    """A plain workbook: per sheet (title, headers, rows, widths); ``percent_columns`` hold percents;
    ``created`` is the data's date (its property, never the clock)."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, sheets[0][0] if sheets else "gusp", created)
    styles = Styles(workbook)
    for title, headers, rows, widths in sheets:
        ws = workbook.add_worksheet(title[:31])
        for c, (header, width) in enumerate(zip(headers, widths, strict=True)):
            ws.set_column(c, c, width)
            ws.write_string(0, c, header, styles.header())
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                percent = headers[c] in percent_columns and isinstance(value, int | float)
                put(ws, r, c, value / 100 if percent else value, styles, plain=True, percent=percent)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        print_landscape(ws)
    workbook.close()
    return buffer.getvalue()
