"""``gusp import``: a workbook or CSV read back; round trip, applied changes, refused rows."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.exchange.importing import Row, parse_date, parse_status, plan_import
from gusp_cli.model.models import Statut
from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"


@pytest.fixture
def call(tmp_path: Path) -> Path:
    """A copy of the embedded charter (it is edited)."""
    target = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", target / "charter-data")
    return target


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "charter-data").rglob("*.yaml"))}


def _export(gusp: Run, root: Path, target: Path) -> Path:
    code, _, err = gusp("export", "--format", "xlsx", "-C", str(root), "--as-of", AS_OF, "-o", str(target))
    assert code == 0, err
    return target


def _cell(ws: object, action_id: str, header: str) -> object:
    """The cell of ``header`` in the row of ``action_id``."""
    headers = [c.value for c in ws[1]]  # type: ignore[index]
    for row in ws.iter_rows(min_row=2):  # type: ignore[attr-defined]
        if row[0].value == action_id:
            return row[headers.index(header)]
    raise KeyError(action_id)


def test_workbook_round_trip_changes_nothing(call: Path, gusp: Run, tmp_path: Path) -> None:
    before = _snapshot(call)
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, err
    assert out.splitlines()[0] == ("suivi.xlsx : 175 lignes lues au 25 novembre 2026 — 0 modification à "
                                   "appliquer, 175 sans changement, 0 ligne refusée")
    assert _snapshot(call) == before


def test_a_status_change_made_in_the_workbook_is_applied(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    wb = load_workbook(book)
    ws = wb["Avion"]
    _cell(ws, "AVI-003", "Statut").value = "en cours"  # type: ignore[attr-defined]
    _cell(ws, "AVI-003", "Date").value = dt.date(2026, 11, 20)  # type: ignore[attr-defined]
    _cell(ws, "AVI-003", "Note").value = "Devis signé ; travaux en janvier"  # type: ignore[attr-defined]
    _cell(ws, "AVI-010", "Statut").value = "réalisée"  # type: ignore[attr-defined]
    wb.save(book)
    before = _snapshot(call)

    code, out, err = gusp("import", str(book), "-C", str(call), "--dry-run")
    assert code == 0, err
    assert "  AVI-003  statut : non renseigné → en cours ; note : « Devis signé ; travaux en janvier » " \
           "(au 20 novembre 2026)" in out
    assert "  AVI-010  statut : non renseigné → réalisée (au 25 novembre 2026)" in out
    assert out.rstrip().endswith("--dry-run : rien n'a été écrit.")
    assert _snapshot(call) == before

    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, err
    # run from outside the charter repository: the git command names it, as for gusp status
    assert (f"git -C {call} add charter-data/quartiers/avion.yaml && "
            f"git -C {call} commit -m 'gusp: import du suivi (2 actions)'") in out
    after = _snapshot(call)
    changed = [k for k in after if after[k] != before[k]]
    assert changed == ["charter-data/quartiers/avion.yaml"]
    old = before[changed[0]].decode().splitlines()
    new = after[changed[0]].decode().splitlines()
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
    assert removed == []  # only lines added, inside the two actions
    charter = load(call, today=dt.date(2026, 11, 25))
    assert charter.ok
    first, second = charter.by_id["AVI-003"].action, charter.by_id["AVI-010"].action
    assert first.statut is Statut.en_cours and first.suivi[-1].date == dt.date(2026, 11, 20)
    assert first.suivi[-1].note == "Devis signé ; travaux en janvier"
    assert second.statut is Statut.realisee and second.date_realisation == dt.date(2026, 11, 25)

    # The same workbook imported again changes nothing.
    code, out, _ = gusp("import", str(book), "-C", str(call))
    assert code == 0 and "0 modification à appliquer" in out
    assert _snapshot(call) == after
    # A fresh export of the edited charter round-trips too.
    again = _export(gusp, call, tmp_path / "suivi2.xlsx")
    code, out, _ = gusp("import", str(again), "-C", str(call))
    assert code == 0 and "0 modification à appliquer, 175 sans changement" in out


def test_refused_rows_are_reported_and_not_applied(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    wb = load_workbook(book)
    ws = wb["Lens"]
    _cell(ws, "LEN-001", "Action").value = "Libellé réécrit par le partenaire"  # type: ignore[attr-defined]
    _cell(ws, "LEN-001", "Statut").value = "en cours"  # type: ignore[attr-defined]
    _cell(ws, "LEN-002", "Statut").value = "presque fini"  # type: ignore[attr-defined]
    _cell(ws, "LEN-003", "Statut").value = "en cours"  # type: ignore[attr-defined]
    _cell(ws, "LEN-003", "Date").value = dt.date(2027, 1, 5)  # type: ignore[attr-defined]
    _cell(ws, "LEN-004", "Note").value = "Relance faite"  # type: ignore[attr-defined]
    _cell(ws, "LEN-005", "Échéance").value = "2027"  # type: ignore[attr-defined]
    _cell(ws, "LEN-006", "Statut").value = "à faire"  # type: ignore[attr-defined]
    _cell(ws, "LEN-007", "Statut").value = "reportée"  # type: ignore[attr-defined]
    ws.append(["LEN-999", "Lens"])
    wb.save(book)
    before = _snapshot(call)
    code, out, _ = gusp("import", str(book), "-C", str(call))
    assert code == 1
    refused = {line.split()[0]: line for line in out.splitlines()
               if line.startswith("  ") and "feuille" in line}
    assert set(refused) == {"LEN-001", "LEN-002", "LEN-003", "LEN-004", "LEN-005", "LEN-007", "LEN-999"}
    assert "colonne en lecture seule modifiée : Action (« Tour de quartier" in refused["LEN-001"]
    assert "statut « presque fini » inconnu" in refused["LEN-002"]
    assert "date 2027-01-05 dans le futur (aujourd'hui : 2026-11-25)" in refused["LEN-003"]
    assert "note sans statut" in refused["LEN-004"]
    assert "Échéance (« 2021 » → « 2027 »)" in refused["LEN-005"]
    assert "identifiant inconnu dans la charte" in refused["LEN-999"]
    assert "« reportée » demande la nouvelle échéance : gusp status LEN-007 reportee" in refused["LEN-007"]
    # The one valid row is applied.
    assert "  LEN-006  statut : non renseigné → à faire (au 25 novembre 2026)" in out
    after = _snapshot(call)
    assert [k for k in after if after[k] != before[k]] == ["charter-data/quartiers/lens.yaml"]
    charter = load(call)
    assert charter.by_id["LEN-006"].action.statut is Statut.a_faire
    assert all(charter.by_id[i].action.statut is None for i in ("LEN-001", "LEN-002", "LEN-003", "LEN-004"))
    assert charter.by_id["LEN-005"].action.echeance == "2021"


def test_csv_round_trip_and_status_change(call: Path, gusp: Run, tmp_path: Path) -> None:
    code, out, _ = gusp("export", "--format", "csv", "-C", str(call), "--as-of", AS_OF)
    assert code == 0
    path = tmp_path / "suivi.csv"
    path.write_text(out, encoding="utf-8")
    before = _snapshot(call)
    code, out, _ = gusp("import", str(path), "-C", str(call))
    assert code == 0 and "0 modification à appliquer, 175 sans changement" in out
    assert _snapshot(call) == before
    lines = path.read_bytes().decode("utf-8").lstrip("\ufeff").split("\r\n")
    header = lines[0].split(";")
    status = header.index("statut")
    lines[0] += ";date;note"
    row = next(i for i, line in enumerate(lines) if line.startswith("LIE-002;"))
    cells = lines[row].split(";")
    cells[status] = "abandonnee"
    lines[row] = ";".join(cells) + ";02/11/2026;Décision du comité technique"
    lines = [line + (";;" if i and line and i != row else "") for i, line in enumerate(lines)]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    code, out, err = gusp("import", str(path), "-C", str(call))
    assert code == 0, out + err
    assert ("  LIE-002  statut : non renseigné → abandonnée ; note : « Décision du comité technique » "
            "(au 2 novembre 2026)") in out
    action = load(call).by_id["LIE-002"].action
    assert action.statut is Statut.abandonnee and action.suivi[-1].date == dt.date(2026, 11, 2)


def test_plan_import_rules(call: Path) -> None:
    charter = load(call)
    done = charter.by_id["LEN-001"]
    done.action.statut = Statut.en_cours
    rows = [Row("l2", {"id": "len-001", "statut": ""}),  # erasing a status
            Row("l3", {"id": "LEN-002", "statut": "a_faire", "note": "ok"}),
            Row("l4", {"id": "LEN-002", "statut": "en cours"}),  # same action twice
            Row("l5", {"id": "LEN-003", "date": "31/02/2026", "statut": "en cours"}),
            Row("l6", {"id": "LEN-004", "date": "2026-03-01"}),  # a date alone
            Row("l7", {"id": "LEN-005", "numero": 5.0, "responsables_noms": "Maisons et Cités"})]
    plan = plan_import(charter, rows, dt.date(2026, 11, 25))
    reasons = {r.where: r.reason for r in plan.refused}
    assert reasons["l2"].startswith("statut effacé (« en cours » → vide)")
    assert reasons["l4"] == "action déjà lue (l3)"
    assert reasons["l5"].startswith("date « 31/02/2026 » invalide")
    assert reasons["l6"] == "date sans changement de statut ni note : ignorée"
    assert [(u.entry.id, u.statut, u.note) for u in plan.updates] == [("LEN-002", Statut.a_faire, "ok")]
    assert plan.unchanged == 1 and plan.rows == 6


def test_cell_parsers() -> None:
    assert parse_status("Réalisée") == (Statut.realisee, True)
    assert parse_status("en_cours") == (Statut.en_cours, True)
    assert parse_status("A FAIRE") == (Statut.a_faire, True)
    assert parse_status(None) == (None, True) and parse_status("non renseigné") == (None, True)
    assert parse_status("fini") == (None, False)
    assert parse_date(dt.datetime(2026, 3, 1, 0, 0)) == dt.date(2026, 3, 1)
    assert parse_date("01/03/2026") == parse_date("2026-03-01") == dt.date(2026, 3, 1)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("mars 2026")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("suivi.txt", b"x", "format non pris en charge (attendu .xlsx ou .csv)"),
    ("suivi.xlsx", b"pas un zip", "classeur Excel illisible"),
    ("suivi.csv", b"ref;etat\r\nLEN-001;fait\r\n", "pas de colonne « id » dans l'en-tête"),
    ("suivi.csv", b"id;statut\r\nLEN-001;r\xe9alis\xe9e\r\n", "encodage invalide"),
    ("absent.csv", None, "lecture impossible"),
])
def test_unreadable_files_exit_2(call: Path, gusp: Run, tmp_path: Path, name: str, content: bytes | None,
                                 message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = _snapshot(call)
    code, out, err = gusp("import", str(path), "-C", str(call))
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert _snapshot(call) == before


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


def _with_doctype(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return doctype + body.replace(b"<t>Id</t>", b"<t>" + entity + b"</t>", 1)
    return change


@pytest.mark.parametrize(("name", "change"), [
    ("ctrl", lambda data: data.replace(b"<t>Id</t>", b"<t>I\x01d</t>", 1)),
    ("xmlbomb", _with_doctype(LAUGHS, b"&lol9;")),
    ("xxe", _with_doctype(XXE, b"&e;")),
    ("xml-tronque", lambda data: data[: len(data) // 2]),
])
def test_a_broken_or_hostile_workbook_is_a_french_error(call: Path, gusp: Run, tmp_path: Path, name: str,
                                                         change: Callable[[bytes], bytes]) -> None:
    book = _rewritten(_export(gusp, call, tmp_path / "suivi.xlsx"), tmp_path / f"{name}.xlsx",
                      "xl/worksheets/sheet2.xml", change)
    before = _snapshot(call)
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert (code, out) == (2, "")
    assert err.startswith(f"gusp : erreur : {book} : classeur Excel illisible (")
    assert "erreur interne" not in err and "passwd" not in err
    assert _snapshot(call) == before


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

    from gusp_cli.exchange import importing
    from gusp_cli.model.errors import GuspError

    book = tmp_path / "membres.xlsx"
    with zipfile.ZipFile(book, "w") as out:
        for number in range(30):
            out.writestr(f"x{number}.xml", b"<x/>")
    monkeypatch.setattr(importing, "MAX_MEMBERS", 20)
    with pytest.raises(GuspError, match=r"classeur refusé \(30 fichiers, 120 octets une fois décompressé\)"):
        importing.read_rows(book)


@pytest.mark.parametrize("content", [b"", b"pas un classeur", b"PK\x03\x04tronque"],
                         ids=["vide", "texte", "tronque"])
def test_a_file_that_is_not_a_workbook(tmp_path: Path, content: bytes) -> None:
    from gusp_cli.exchange.importing import read_rows
    from gusp_cli.model.errors import GuspError

    path = tmp_path / "suivi.xlsx"
    path.write_bytes(content)
    with pytest.raises(GuspError, match=r"classeur Excel illisible \(ce n'est pas une archive \.xlsx\)"):
        read_rows(path)


def test_openpyxl_warnings_never_reach_the_user(call: Path, gusp: Run, tmp_path: Path) -> None:
    import warnings

    from gusp_cli.exchange.importing import read_rows

    book = _rewritten(_export(gusp, call, tmp_path / "suivi.xlsx"), tmp_path / "sans-styles.xlsx",
                      "xl/styles.xml", lambda data: b"<styleSheet xmlns='http://schemas.openxmlformats.org/"
                      b"spreadsheetml/2006/main'/>")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert len(read_rows(book)) == 175
    assert [str(w.message) for w in seen] == []


def test_reading_stops_at_the_first_row_past_the_bound(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.exchange import importing
    from gusp_cli.model.errors import GuspError

    monkeypatch.setattr(importing, "MAX_ROWS", 10)
    path = tmp_path / "suivi.csv"
    path.write_text("id;statut\n" + "LEN-001;en_cours\n" * 11 + "LEN-001;" + "x" * 200_000 + "\n",
                    encoding="utf-8")
    with pytest.raises(GuspError, match="plus de 10 lignes, ce n'est pas un suivi de charte"):
        importing.read_rows(path)  # never reaches the oversized cell of row 13


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
    before = _snapshot(call)
    code, out, _ = gusp("import", str(path), "-C", str(call))
    assert code == 1 and f"note : caractère de contrôle U+{ord(char):04X} interdit" in out
    assert _snapshot(call) == before


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
