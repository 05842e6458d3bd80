"""Reading a returned workbook or CSV: bounds, hostile files, and the base a workbook carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.exchange.reading import read_book
from gusp_cli.exchange.workbook import fingerprint
from gusp_cli.store.loader import load
from tests.conftest import CALL
from tests.exchange.conftest import snapshot

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"


def _export(gusp: Run, root: Path, target: Path) -> Path:
    code, _, err = gusp("export", "--format", "xlsx", "-C", str(root), "--as-of", AS_OF, "-o", str(target))
    assert code == 0, err
    return target


# --------------------------------------------------------------------------- the base


def test_a_workbook_carries_its_base(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = read_book(_export(gusp, call, tmp_path / "suivi.xlsx"))
    assert book.warnings == [] and book.base is not None
    assert (book.base.charte, book.base.partie, book.base.date) == ("call-2019", None, dt.date(2026, 11, 25))
    assert len(book.base.rows) == len(book.rows) == 175
    first = book.base.rows["LEN-001"]
    assert (first.sheet, first.line, first.statut) == ("Lens", 2, None)
    assert first.prints["echeance"] == fingerprint("2019") and first.prints["numero"] == fingerprint(1)
    label = load(CALL).by_id["LEN-001"].action.libelle
    assert first.prints["libelle"] == fingerprint(label) and len(first.prints["libelle"]) == 12


def test_a_base_edited_by_hand_is_not_trusted(call: Path, gusp: Run, tmp_path: Path) -> None:
    path = _export(gusp, call, tmp_path / "suivi.xlsx")
    wb = load_workbook(path)
    base = wb["gusp_base"]
    cell = next(r[0] for r in base.iter_rows() if str(r[0].value).startswith("LEN-001\t"))
    cell.value = cell.value.replace("\t\t", "\trealisee\t")  # the status the workbook « showed »
    wb.save(path)
    book = read_book(path)
    assert book.base is None
    assert book.warnings == ["base d'export du classeur modifiée ou illisible : les lignes sont comparées "
                             "à la charte telle qu'elle est"]


def test_the_base_names_the_evaluation_columns_and_a_broken_one_is_not_trusted(call: Path, gusp: Run,
                                                                                tmp_path: Path) -> None:
    from gusp_cli.exchange.workbook import base_checksum

    path = _export(gusp, call, tmp_path / "suivi.xlsx")
    book = read_book(path)
    assert book.base is not None and [d for d, _ in book.base.evaluation][1] == "cout"
    assert book.base.rows["LEN-001"].evaluation == dict.fromkeys(d for d, _ in book.base.evaluation)
    assert book.rows[0].cells["evaluation.cout"] is None and book.rows[0].columns["evaluation.cout"] == "M"
    wb = load_workbook(path)
    base = wb["gusp_base"]
    lines = [tuple("" if v is None else str(v) for v in row) for row in base.iter_rows(values_only=True)]
    meta = [(k, v) for k, v in lines[:7]]
    cell = next(r[0] for r in base.iter_rows() if str(r[0].value).startswith("LEN-001\t"))
    cell.value = cell.value.rsplit("\t", 1)[0] + "\t[null]"  # one value for four columns
    records = [str(r[0].value) for r in base.iter_rows(min_row=10) if r[0].value]
    next(r[1] for r in base.iter_rows() if r[0].value == "empreinte").value = base_checksum(meta, records)
    wb.save(path)
    broken = read_book(path)
    assert broken.base is None and broken.warnings[0].startswith("base d'export du classeur modifiée")


def test_a_csv_has_no_base(tmp_path: Path) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text("id;statut\nLEN-001;en_cours\n", encoding="utf-8")
    book = read_book(path)
    assert book.base is None and book.rows[0].cells == {"id": "LEN-001", "statut": "en_cours"}
    assert book.warnings[0].startswith("fichier CSV : pas de base d'export")


# --------------------------------------------------------------------------- hostile files (issue 14)


def _rewritten(book: Path, target: Path, member: str, change: Callable[[bytes], bytes],
               extra: dict[str, bytes] | None = None) -> Path:
    """A copy of ``book`` with one member changed (and ``extra`` members added)."""
    import zipfile

    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info.filename, change(data) if info.filename == member else data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _in_header(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    """Replace the first header text « Id » (the shared strings hold every text of the workbook)."""
    def change(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)
    return change


def _with_doctype(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return doctype + _in_header(b"<t>Id</t>", b"<t>" + entity + b"</t>")(body)
    return change


@pytest.mark.parametrize(("name", "change"), [
    ("ctrl", _in_header(b"<t>Id</t>", b"<t>I\x01d</t>")),
    ("xmlbomb", _with_doctype(LAUGHS, b"&lol9;")),
    ("xxe", _with_doctype(XXE, b"&e;")),
    ("xml-tronque", lambda data: data[: len(data) // 2]),
])
def test_a_broken_or_hostile_workbook_is_a_french_error(call: Path, gusp: Run, tmp_path: Path, name: str,
                                                         change: Callable[[bytes], bytes]) -> None:
    book = _rewritten(_export(gusp, call, tmp_path / "suivi.xlsx"), tmp_path / f"{name}.xlsx",
                      "xl/sharedStrings.xml", change)
    before = snapshot(call)
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert (code, out) == (2, "")
    assert err.startswith(f"gusp : erreur : {book} : classeur Excel illisible (")
    assert "erreur interne" not in err and "passwd" not in err
    assert snapshot(call) == before


def test_a_zip_bomb_is_refused_before_it_is_opened(call: Path, gusp: Run, tmp_path: Path) -> None:
    import zipfile

    book = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        out.writestr("[Content_Types].xml", b"<Types/>")
        with out.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(b"\0" * 1024 * 1024)
    assert book.stat().st_size < 200_000
    code, _, err = gusp("import", str(book), "-C", str(call))
    assert code == 2
    assert err.startswith(f"gusp : erreur : {book} : classeur refusé (« xl/worksheets/sheet1.xml » se "
                          "décompresse ")


def test_too_many_members_or_too_much_declared_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from gusp_cli.exchange import reading
    from gusp_cli.model.errors import GuspError

    book = tmp_path / "membres.xlsx"
    with zipfile.ZipFile(book, "w") as out:
        for number in range(30):
            out.writestr(f"x{number}.xml", b"<x/>")
    monkeypatch.setattr(reading, "MAX_MEMBERS", 20)
    with pytest.raises(GuspError, match=r"classeur refusé \(30 fichiers, 120 octets une fois décompressé\)"):
        reading.read_rows(book)


@pytest.mark.parametrize("content", [b"", b"pas un classeur", b"PK\x03\x04tronque"],
                         ids=["vide", "texte", "tronque"])
def test_a_file_that_is_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    from gusp_cli.exchange.reading import read_rows
    from gusp_cli.model.errors import GuspError

    path = tmp_path / "suivi.xlsx"
    path.write_bytes(content)
    with pytest.raises(GuspError, match=r"classeur Excel illisible \(ce n'est pas une archive \.xlsx\)"):
        read_rows(path)


def test_openpyxl_warnings_never_reach_the_user(call: Path, gusp: Run, tmp_path: Path) -> None:
    import warnings

    from gusp_cli.exchange.reading import read_rows

    book = _rewritten(_export(gusp, call, tmp_path / "suivi.xlsx"), tmp_path / "sans-styles.xlsx",
                      "xl/styles.xml", lambda data: b"<styleSheet xmlns='http://schemas.openxmlformats.org/"
                      b"spreadsheetml/2006/main'/>")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert len(read_rows(book)) == 175
    assert [str(w.message) for w in seen] == []


def test_reading_stops_at_the_first_row_past_the_bound(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.exchange import reading
    from gusp_cli.model.errors import GuspError

    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    path = tmp_path / "suivi.csv"
    path.write_text("id;statut\n" + "LEN-001;en_cours\n" * 11 + "LEN-001;" + "x" * 200_000 + "\n",
                    encoding="utf-8")
    with pytest.raises(GuspError, match="plus de 10 lignes, ce n'est pas un suivi de charte"):
        reading.read_rows(path)  # never reaches the oversized cell of row 13


@pytest.mark.parametrize(("content", "message"), [
    ("id;note\nLEN-001;" + "x" * 200_000 + "\n",
     "ligne 2 : CSV illisible (une cellule dépasse 100000 caractères)"),
    ("id;note\nLEN-001;\"a\n" + "b" * 200_000, "CSV illisible (une cellule dépasse 100000 caractères)"),
])
def test_a_hostile_csv_is_a_french_error(call: Path, gusp: Run, tmp_path: Path, content: str,
                                        message: str) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = gusp("import", str(path), "-C", str(call))
    assert (code, out) == (2, "")
    assert err.startswith(f"gusp : erreur : {path}") and message in err


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x9b"])
def test_a_note_with_a_control_character_is_refused(call: Path, gusp: Run, tmp_path: Path, char: str) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text(f"id;statut;note\nLEN-001;en_cours;a{char}b\n", encoding="utf-8")
    before = snapshot(call)
    code, out, _ = gusp("import", str(path), "-C", str(call))
    assert code == 1 and f"note : caractère de contrôle U+{ord(char):04X} interdit" in out
    assert snapshot(call) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="/dev/zero absent")
def test_a_device_or_a_pipe_given_as_the_file_is_refused(call: Path, gusp: Run, tmp_path: Path) -> None:
    import os

    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "tube.xlsx"
    os.mkfifo(fifo)
    for path in (link, fifo):
        code, _, err = gusp("import", str(path), "-C", str(call))
        assert code == 2 and "ce n'est pas un fichier ordinaire" in err
