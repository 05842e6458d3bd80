"""Reading a returned workbook (XLSX) or CSV: its rows, and the base the workbook was exported with.

Reading is bounded like the charter's reader: a regular file of at most 20 Mio; a workbook whose
archive declares too much to unpack (a zip bomb) is refused before it is opened; reading stops at
the first row past :data:`MAX_ROWS`; whatever the file holds, the answer is a French message
(:class:`~gusp_cli.model.errors.GuspError`, exit 2).

A workbook written by ``gusp export --format xlsx`` carries its *base* in a very hidden sheet
(:mod:`gusp_cli.exchange.workbook`): what it showed at export, with a checksum. :func:`read_book`
returns it when it is intact; a CSV, an older workbook or a base edited by hand has none, and the
import then compares the rows with the charter as it is (with a warning). A base of the first
format (before the evaluation columns) is read too: it names no evaluation column, so none is read.

The evaluation columns follow each charter's grid: a workbook's base names them (dimension id and
header); a file without a base gets them from the caller (the charter's grid, ``evaluation``), and
each row holds them under ``evaluation.<dimension>``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gusp_cli.french.text import fold
from gusp_cli.model.errors import GuspError

T = TypeVar("T")
MAX_ROWS = 100_000
"""Rows read at most (a charter has a few hundred actions): reading stops at the first row past it."""
MAX_FIELD_CHARS = 100_000
"""Longest CSV cell read (a note is a few lines)."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest total a workbook may unpack to, as its archive declares it (a real one: a few Mio)."""
MAX_MEMBER_RATIO = 200
"""Largest compression ratio of a big member of a workbook (XML compresses 10 to 30 times; a zip
bomb a thousand times)."""
MAX_MEMBERS = 10_000
"""Most files inside a workbook."""
CSV_KEYS = ("responsables_noms", "quartier", "quartier_nom", "secteur", "secteur_nom", "phase", "theme",
            "date_realisation", "en_retard", "jours_de_retard", "statut", "date", "note")
"""Columns of the CSV contract (``gusp export --format csv``) that reading keeps."""


@dataclass
class Row:
    """One data row of the file: where it is and its cells by column key."""

    where: str
    """``feuille « Centre », ligne 12`` or ``ligne 12``."""
    cells: dict[str, Any]
    sheet: str | None = None
    line: int = 0
    columns: Mapping[str, str] = field(default_factory=dict)
    """Each column key's letter (``N``) in a workbook, its number in a CSV: to name a cell."""

    def cell(self, key: str) -> str:
        """Where the cell of column ``key`` is: ``feuille « Centre », cellule N12`` (a workbook) or
        ``ligne 12, colonne 14`` (a CSV)."""
        column = self.columns.get(key, "?")
        if self.sheet is not None:
            return f"feuille « {self.sheet} », cellule {column}{self.line}"
        return f"{self.where}, colonne {column}"


@dataclass(frozen=True)
class BaseRow:
    """What the workbook showed for one action when it was exported."""

    id: str
    sheet: str
    line: int
    statut: str | None
    """The status value shown (None: not reported)."""
    prints: dict[str, str]
    """The fingerprint of each read-only cell shown (:func:`gusp_cli.exchange.workbook.fingerprint`)."""
    evaluation: dict[str, Any] = field(default_factory=dict)
    """The evaluation values shown, by dimension id (empty: a base without evaluation)."""


@dataclass
class Base:
    """The base of a workbook: the export's identity and what each row showed."""

    charte: str
    partie: str | None
    date: dt.date
    revision: str | None
    evaluation: list[tuple[str, str]] = field(default_factory=list)
    """The evaluation columns exported: (dimension id, header), in order (empty: none, or a base of
    the first format)."""
    rows: dict[str, BaseRow] = field(default_factory=dict)
    signals: dict[str, BaseRow] = field(default_factory=dict)
    """The signalements of its « Signalements » sheet (``statut``: the state shown)."""


@dataclass
class Book:
    """A file read back: its rows, its base when it has an intact one, and what to warn about."""

    path: Path
    rows: list[Row]
    base: Base | None
    warnings: list[str] = field(default_factory=list)


def read_book(path: Path, evaluation: Mapping[str, str] | None = None) -> Book:
    """The rows of an ``.xlsx`` or ``.csv`` file and, for a gusp workbook, its base; ``evaluation``
    maps a header (folded) to its dimension id for a file without a base (a base names its own)."""
    raw = read_bytes(path)
    if path.suffix.lower() != ".xlsx":
        return Book(path, _read_csv(path, raw, evaluation or {}), None,
                    ["fichier CSV : pas de base d'export, les lignes sont comparées à la charte telle "
                     "qu'elle est"])
    check_archive(path, raw)
    base, warning = _unless_broken(path, lambda: _read_base(raw))
    extra = {fold(header): d for d, header in base.evaluation} if base is not None else evaluation or {}
    return Book(path, _read_xlsx(path, raw, extra), base, [warning] if warning else [])


def read_rows(path: Path) -> list[Row]:
    """The data rows of an ``.xlsx`` or ``.csv`` file; GuspError (exit 2) when it cannot be read."""
    raw = read_bytes(path)
    return _read_xlsx(path, raw) if path.suffix.lower() == ".xlsx" else _read_csv(path, raw)


def read_bytes(path: Path) -> bytes:
    """The raw bytes of an ``.xlsx`` or ``.csv`` file (see the module docstring for the bounds)."""
    from gusp_cli.store.yamlio import read_bounded

    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise GuspError(f"{path} : format non pris en charge (attendu .xlsx ou .csv)", 2)
    raw, problem = read_bounded(path)
    if raw is None:
        reason = problem.message if problem is not None else "erreur inconnue"
        raise GuspError(f"{path} : lecture impossible ({reason})", 2)
    return raw


def _header_keys(evaluation: Mapping[str, str] | None = None) -> dict[str, str]:
    """Folded header -> column key: the workbook's French headers, the CSV contract's keys, and the
    evaluation columns (folded header -> dimension id) as ``evaluation.<dimension>``."""
    from gusp_cli.exchange.signal_sheet import SIGNAL_COLUMNS
    from gusp_cli.exchange.workbook import COLUMNS, EVALUATION_KEY

    keys = {fold(c.header): c.key for c in (*SIGNAL_COLUMNS, *COLUMNS)}
    keys.update({fold(c.key): c.key for c in (*SIGNAL_COLUMNS, *COLUMNS)})
    keys.update({k: k for k in CSV_KEYS})
    keys.update({header: EVALUATION_KEY + dimension for header, dimension in (evaluation or {}).items()})
    return keys


def _too_many_rows(path: Path) -> GuspError:
    return GuspError(f"{path} : plus de {MAX_ROWS} lignes, ce n'est pas un suivi de charte", 2)


def check_archive(path: Path, raw: bytes) -> None:
    """Refuse a workbook whose archive is not a zip, or declares too much to unpack (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise GuspError(f"{path} : classeur Excel illisible (ce n'est pas une archive .xlsx) ; "
                        "enregistrez-le au format .xlsx", 2) from None
    total = sum(m.file_size for m in members)
    bomb = next((m for m in members if m.file_size > 1024 * 1024
                 and m.file_size > MAX_MEMBER_RATIO * max(m.compress_size, 1)), None)
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or bomb is not None:
        detail = (f"« {bomb.filename} » se décompresse {bomb.file_size // max(bomb.compress_size, 1)} fois"
                  if bomb is not None else f"{len(members)} fichiers, {total} octets une fois décompressé")
        raise GuspError(f"{path} : classeur refusé ({detail}) : ce n'est pas un suivi de charte", 2)


def _read_xlsx(path: Path, raw: bytes, evaluation: Mapping[str, str] | None = None) -> list[Row]:
    """Rows of every sheet whose header has an « Id » column (the summary sheet is skipped).

    openpyxl parses the sheets lazily: any failure while reading (broken XML, entities, control
    characters) is a French error; its warnings (unsupported extensions) are not shown."""
    check_archive(path, raw)
    return _unless_broken(path, lambda: _xlsx_rows(path, raw, evaluation or {}))


def _unless_broken(path: Path, read: Callable[[], T]) -> T:
    """``read()`` a workbook's content, openpyxl's warnings silenced; a broken workbook is a
    French error (exit 2), never a stack trace."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except GuspError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a broken workbook
        raise GuspError(f"{path} : classeur Excel illisible ({_what_broke(exc)}) ; ouvrez-le et "
                        "enregistrez-le de nouveau au format .xlsx", 2) from None


def _what_broke(exc: Exception) -> str:
    """The kind of failure, in French (never a stack trace)."""
    name = type(exc).__name__
    if name in ("ParseError", "ExpatError", "XMLSyntaxError") or "xml" in type(exc).__module__:
        return "contenu XML invalide"
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
        return "entités XML refusées"
    return f"contenu inattendu : {name}"


def _xlsx_rows(path: Path, raw: bytes, evaluation: Mapping[str, str]) -> list[Row]:
    """The rows of the workbook's follow-up sheets."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    keys = _header_keys(evaluation)
    rows: list[Row] = []
    found = False
    try:
        for ws in wb.worksheets:
            lines = ws.iter_rows(values_only=True)
            header = [keys.get(fold(str(h))) if h is not None else None for h in next(lines, ())]
            if "id" not in header:
                continue
            found = True
            letters = {k: get_column_letter(i + 1) for i, k in enumerate(header) if k is not None}
            for n, values in enumerate(lines, start=2):
                cells = {k: v for k, v in zip(header, values, strict=False) if k is not None}
                if any(v not in (None, "") for v in cells.values()):
                    if len(rows) >= MAX_ROWS:
                        raise _too_many_rows(path)
                    rows.append(Row(f"feuille « {ws.title} », ligne {n}", cells, ws.title, n, letters))
    finally:
        wb.close()
    if not found:
        raise GuspError(f"{path} : aucune feuille avec une colonne « Id » (ce classeur vient-il de "
                        "gusp export --format xlsx ?)", 2)
    return rows


def _read_csv(path: Path, raw: bytes, evaluation: Mapping[str, str] | None = None) -> list[Row]:
    """Rows of a CSV (``;`` or ``,``, UTF-8 with or without BOM) whose header has an ``id`` column;
    ``evaluation``: folded header -> dimension id of the evaluation columns it may have."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GuspError(f"{path} : encodage invalide ; enregistrez le CSV en UTF-8", 2) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    keys = _header_keys(evaluation or {})
    rows: list[Row] = []
    limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        header = [keys.get(fold(h)) for h in next(reader, [])]
        if "id" not in header:
            raise GuspError(f"{path} : pas de colonne « id » dans l'en-tête", 2)
        numbers = {k: str(i + 1) for i, k in enumerate(header) if k is not None}
        for n, values in enumerate(reader, start=2):
            cells = {k: _undefuse(v) for k, v in zip(header, values, strict=False) if k is not None}
            if any(v for v in cells.values()):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows(path)
                rows.append(Row(f"ligne {n}", cells, None, n, numbers))
    except csv.Error as exc:
        raise GuspError(f"{path}, ligne {reader.line_num} : CSV illisible ({_csv_reason(exc)})", 2) from None
    finally:
        csv.field_size_limit(limit)
    return rows


def _csv_reason(exc: csv.Error) -> str:
    """Python's CSV error in French."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"une cellule dépasse {MAX_FIELD_CHARS} caractères"
    if "NUL" in text:
        return "octet nul : fichier binaire ?"
    return "guillemets ou séparateurs mal formés"


def _undefuse(text: str) -> str:
    """Remove the ``'`` the CSV export puts before a cell a spreadsheet would read as a formula."""
    from gusp_cli.exchange.formats import is_formula_like

    return text[1:] if text[:1] == "'" and is_formula_like(text[1:]) else text


# --------------------------------------------------------------------------- the base


def _read_base(raw: bytes) -> tuple[Base | None, str | None]:
    """The workbook's base when it has an intact one; else None and why (a warning)."""
    from openpyxl import load_workbook

    from gusp_cli.exchange.workbook import BASE_SHEET

    wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        if BASE_SHEET not in wb.sheetnames:
            return None, ("classeur sans base d'export (antérieur à cette version de gusp, ou fait à "
                          "la main) : les lignes sont comparées à la charte telle qu'elle est")
        lines = [tuple("" if v is None else str(v) for v in row)
                 for row in wb[BASE_SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    return _parse_base(lines)


def _parse_base(lines: list[tuple[str, ...]]) -> tuple[Base | None, str | None]:
    """The base from its sheet's lines (a format of :data:`~gusp_cli.exchange.workbook.BASE_FORMATS`),
    checked against its checksum."""
    from gusp_cli.exchange.workbook import BASE_FORMATS, base_checksum

    meta: list[tuple[str, str]] = []
    for line in lines:
        if not line or not line[0]:
            break
        meta.append((line[0], line[1] if len(line) > 1 else ""))
    values = dict(meta)
    broken = ("base d'export du classeur modifiée ou illisible : les lignes sont comparées à la charte "
              "telle qu'elle est")
    fields = BASE_FORMATS.get(values.get("gusp", ""))
    start = len(meta) + 1
    if fields is None or start >= len(lines) or lines[start][0] != "\t".join(fields):
        return None, broken
    records = [line[0] for line in lines[start + 1:] if line and line[0]]
    if base_checksum(meta, records) != values.get("empreinte"):
        return None, broken
    try:
        base = Base(values.get("charte", ""), values.get("partie") or None,
                    dt.date.fromisoformat(values.get("date", "")), values.get("revision") or None,
                    [(str(d), str(h)) for d, h in json.loads(values.get("evaluation") or "[]")])
        for record in records:
            _base_row(base, record.split("\t"), len(fields))
    except (ValueError, TypeError):  # json.JSONDecodeError is a ValueError
        return None, broken
    return base, None


def _base_row(base: Base, parts: list[str], count: int) -> None:
    """One record of the base (``count`` fields: 5 in the first format, 6 with the evaluation)."""
    from gusp_cli.exchange.signal_sheet import SIGNAL_GUARDED, SIGNALS_SHEET
    from gusp_cli.exchange.workbook import GUARDED

    if len(parts) != count:
        raise ValueError("record")
    action_id, sheet, line_no, statut, prints = parts[:5]
    signal = sheet == SIGNALS_SHEET
    shown = dict(zip(SIGNAL_GUARDED if signal else GUARDED, prints.split(" "), strict=True))
    exported: dict[str, Any] = {}
    if not signal and count > 5:
        values = json.loads(parts[5])
        if not isinstance(values, list) or len(values) != len(base.evaluation):
            raise ValueError("evaluation")
        exported = {d: v for (d, _), v in zip(base.evaluation, values, strict=True)}
    (base.signals if signal else base.rows)[action_id] = BaseRow(action_id, sheet, int(line_no),
                                                                 statut or None, shown, exported)
