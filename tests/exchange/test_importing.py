"""``gusp import``: the partners' workbooks read back three-way; rows refused with what to do; the
campaign scenario of issue 15; all files written or none."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gusp_cli.model.models import Statut
from gusp_cli.store.loader import load
from tests.exchange.conftest import snapshot

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"


def _export(gusp: Run, root: Path, target: Path, *extra: str) -> Path:
    code, _, err = gusp("export", "--format", "xlsx", "-C", str(root), "--as-of", AS_OF, "-o", str(target),
                        *extra)
    assert code == 0, err
    return target


def _cell(ws: object, action_id: str, header: str) -> object:
    """The cell of ``header`` in the row of ``action_id``."""
    headers = [c.value for c in ws[1]]  # type: ignore[index]
    for row in ws.iter_rows(min_row=2):  # type: ignore[attr-defined]
        if row[0].value == action_id:
            return row[headers.index(header)]
    raise KeyError(action_id)


def _fill(path: Path, sheet: str, values: dict[tuple[str, str], object], delete: str | None = None) -> None:
    """Write cells of a workbook as a partner would (then save it), deleting one action's row."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for (action_id, header), value in values.items():
        _cell(ws, action_id, header).value = value  # type: ignore[attr-defined]
    if delete is not None:
        row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == delete)
        ws.delete_rows(row)
    wb.save(path)


def _lines(out: str, prefix: str) -> dict[str, str]:
    """The report's lines about each action id, from the lines that start with ``prefix``."""
    return {line.split()[0]: line for line in out.splitlines() if line.startswith(prefix) and line.split()}


def test_workbook_round_trip_changes_nothing(call: Path, gusp: Run, tmp_path: Path) -> None:
    before = snapshot(call)
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, err
    assert out.splitlines()[0] == ("suivi.xlsx — toute la charte, exporté le 25 novembre 2026 : 175 lignes, "
                                   "non rempli (0 sur 175) — 0 modification à appliquer, 0 conflit, 0 à voir")
    assert snapshot(call) == before


def test_a_status_change_made_in_the_workbook_is_applied(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    _fill(book, "Avion", {("AVI-003", "Statut"): "en cours", ("AVI-003", "Date"): dt.date(2026, 11, 20),
                          ("AVI-003", "Note"): "Devis signé ; travaux en janvier",
                          ("AVI-010", "Statut"): "réalisée"})
    before = snapshot(call)

    code, out, err = gusp("import", str(book), "-C", str(call), "--dry-run")
    assert code == 0, err
    assert "  AVI-003  statut : non renseigné → en cours ; note : « Devis signé ; travaux en janvier » " \
           "(au 20 novembre 2026)" in out
    assert "  AVI-010  statut : non renseigné → réalisée (au 25 novembre 2026)" in out
    assert out.rstrip().endswith("--dry-run : rien n'a été écrit.")
    assert snapshot(call) == before

    code, out, err = gusp("import", str(book), "-C", str(call))
    assert code == 0, err
    assert (f"git -C {call} add charter-data/quartiers/avion.yaml && "
            f"git -C {call} commit -m 'gusp: import du suivi (2 actions)'") in out
    after = snapshot(call)
    changed = [k for k in after if after[k] != before[k]]
    assert changed == ["charter-data/quartiers/avion.yaml"]
    old, new = before[changed[0]].decode().splitlines(), after[changed[0]].decode().splitlines()
    removed = [line for line in difflib.ndiff(old, new) if line.startswith("- ")]
    assert removed == []  # only lines added, inside the two actions
    charter = load(call, today=dt.date(2026, 11, 25))
    first, second = charter.by_id["AVI-003"].action, charter.by_id["AVI-010"].action
    assert first.statut is Statut.en_cours and first.suivi[-1].date == dt.date(2026, 11, 20)
    assert first.suivi[-1].note == "Devis signé ; travaux en janvier"
    assert second.statut is Statut.realisee and second.date_realisation == dt.date(2026, 11, 25)

    code, out, _ = gusp("import", str(book), "-C", str(call))  # the same workbook again: nothing
    assert code == 0 and "0 modification à appliquer" in out
    assert snapshot(call) == after


def test_rows_that_cannot_be_applied_say_what_to_do(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    _fill(book, "Lens", {("LEN-001", "Action"): "Libellé réécrit par le partenaire",
                         ("LEN-001", "Statut"): "en cours", ("LEN-002", "Statut"): "en cour",
                         ("LEN-003", "Statut"): "en cours", ("LEN-003", "Date"): dt.date(2027, 1, 5),
                         ("LEN-004", "Note"): "Relance faite", ("LEN-005", "Échéance"): "2027",
                         ("LEN-006", "Statut"): "à faire", ("LEN-007", "Statut"): "reportée",
                         ("LEN-008", "Date"): "1/10/26", ("LEN-009", "Id"): "LEN-9"},
          delete="LEN-010")
    wb = load_workbook(book)
    wb["Lens"].append(["", "Gestion actuelle", None, "Nettoyage des abords de l'école"])
    wb.save(book)
    before = snapshot(call)
    code, out, _ = gusp("import", str(book), "-C", str(call))
    assert code == 1
    seen = _lines(out, "    ")
    assert "Action (« Tour de quartier avec la ville" in seen["LEN-001"]
    assert "gusp amend LEN-001 --libelle" in seen["LEN-001"]
    assert "statut « en cour » inconnu — vouliez-vous dire « en cours » ?" in seen["LEN-002"]
    assert "date 2027-01-05 dans le futur (aujourd'hui : 2026-11-25)" in seen["LEN-003"]
    assert "note sans statut" in seen["LEN-004"]
    assert "Échéance (« 2021 » → « 2027 » : gusp amend LEN-005 --echeance" in seen["LEN-005"]
    assert "« reportée » demande la nouvelle échéance" in seen["LEN-007"]
    assert "année sur deux chiffres — vouliez-vous dire « 01/10/2026 » ?" in seen["LEN-008"]
    assert "identifiant « LEN-9 » inconnu dans la charte — vouliez-vous dire LEN-009 ?" in seen["LEN-9"]
    assert "ligne supprimée du classeur : rien n'est changé pour LEN-010" in seen["LEN-010"]
    assert "ligne sans identifiant : une action nouvelle ne s'ajoute pas par import ; pour ajouter " \
           "« Nettoyage des abords de l'école » : gusp add" in seen["—"]
    # The valid rows are applied: LEN-001's status (its label is not), LEN-006.
    assert "  LEN-006  statut : non renseigné → à faire (au 25 novembre 2026)" in out
    charter = load(call)
    assert charter.by_id["LEN-006"].action.statut is Statut.a_faire
    assert charter.by_id["LEN-001"].action.statut is Statut.en_cours
    assert charter.by_id["LEN-001"].action.libelle.startswith("Tour de quartier avec la ville")
    assert all(charter.by_id[i].action.statut is None for i in ("LEN-002", "LEN-003", "LEN-004", "LEN-007"))
    assert charter.by_id["LEN-005"].action.echeance == "2021"
    after = snapshot(call)
    assert [k for k in after if after[k] != before[k]] == ["charter-data/quartiers/lens.yaml"]


def test_a_csv_is_compared_with_the_charter_and_says_so(call: Path, gusp: Run, tmp_path: Path) -> None:
    code, out, _ = gusp("export", "--format", "csv", "-C", str(call), "--as-of", AS_OF)
    path = tmp_path / "suivi.csv"
    lines = out.lstrip("\ufeff").split("\r\n")
    status = lines[0].split(";").index("statut")
    lines[0] += ";date;note"
    row = next(i for i, line in enumerate(lines) if line.startswith("LIE-002;"))
    cells = lines[row].split(";")
    cells[status] = "abandonnee"
    lines[row] = ";".join(cells) + ";02/11/2026;Décision du comité technique"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    code, out, err = gusp("import", str(path), "-C", str(call), "--auteur", "ville de liévin")
    assert code == 0, out + err
    assert "  attention : fichier CSV : pas de base d'export" in out
    assert ("  LIE-002  statut : non renseigné → abandonnée ; note : « Décision du comité technique » "
            "(au 2 novembre 2026)") in out
    action = load(call).by_id["LIE-002"].action
    assert action.statut is Statut.abandonnee and action.suivi[-1].date == dt.date(2026, 11, 2)
    assert action.suivi[-1].auteur == "ville_de_lievin"


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
    before = snapshot(call)
    code, out, err = gusp("import", str(path), "-C", str(call))
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert snapshot(call) == before


def test_bad_options_are_french_usage_errors(call: Path, gusp: Run, tmp_path: Path) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    code, _, err = gusp("import", str(book), "-C", str(call), "--garder", "les deux")
    assert code == 2 and "--garder : « les deux » ; choix possibles : partenaire, charte" in err
    code, _, err = gusp("import", str(book), "-C", str(call), "--auteur", "bailleur inconnu")
    assert code == 2 and "bailleur inconnu" in err
    empty = tmp_path / "vide"
    empty.mkdir()
    code, _, err = gusp("import", str(empty), "-C", str(call))
    assert code == 2 and "aucun classeur .xlsx ni fichier .csv dans ce dossier" in err


# --------------------------------------------------------------------------- the campaign (issue 15)


def _campaign(gusp: Run, root: Path, folder: Path) -> None:
    code, _, err = gusp("export", "--format", "xlsx", "--par-partie", "-C", str(root),
                        "--as-of", "2026-09-01", "-o", str(folder))
    assert code == 0, err


def test_the_campaign_scenario(call: Path, gusp: Run, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.french.dates import format_euros

    folder = tmp_path / "campagne"
    _campaign(gusp, call, folder)  # 1. one workbook per party, on 1 September
    assert (folder / "pas_de_calais_habitat.xlsx").is_file()
    # 2. Newer work recorded in the charter since, on one of Pas-de-Calais habitat's actions: a status
    #    and an evaluation cell.
    monkeypatch.setenv("GUSP_TODAY", "2026-10-02")
    code, _, err = gusp("status", "AVI-005", "en_cours", "-C", str(call),
                        "--note", "Deux passages par semaine", "--auteur", "ville_d_avion")
    assert code == 0, err
    assert gusp("evaluation", "set", "AVI-005", "--qualite-de-vie", "oui", "-C", str(call))[0] == 0
    monkeypatch.setenv("GUSP_TODAY", AS_OF)
    # 3. The partner fills its workbook: a status and a note on AVI-010 with its cost (typed as text)
    #    and its quality of life; a status and the quality of life on AVI-005 (both changed in the
    #    charter meanwhile: two conflicts), and it deletes AVI-034's row.
    book = folder / "pas_de_calais_habitat.xlsx"
    quality = "Amélioration de la qualité de vie validée"
    _fill(book, "Avion", {("AVI-010", "Statut"): "en cours", ("AVI-010", "Note"): "Devis signé",
                          ("AVI-010", "Coût"): "12 500 €", ("AVI-010", quality): "oui",
                          ("AVI-005", "Statut"): "réalisée", ("AVI-005", quality): "non"}, delete="AVI-034")
    before = snapshot(call)
    code, out, _ = gusp("import", str(book), "-C", str(call))  # 4. import
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("pas_de_calais_habitat.xlsx — Pas-de-Calais Habitat, exporté le 1er septembre "
                            "2026")
    assert first.endswith("1 modification à appliquer, 1 conflit, 1 évaluation à appliquer, 1 conflit "
                          "d'évaluation, 1 à voir")
    assert "  AVI-010  statut : non renseigné → en cours ; note : « Devis signé » (au 25 novembre 2026)" \
        in out
    assert (f"  AVI-010  évaluation : Coût non renseigné → {format_euros(12500)} ; {quality} non renseigné "
            "→ oui" in out.splitlines())
    conflicts = [line for line in out.splitlines() if line.startswith("    AVI-005")]
    assert ("exporté « non renseigné », classeur « réalisée », charte « en cours » (suivi du 2 octobre 2026, "
            "Ville d’Avion) — non appliqué") in conflicts[0]
    assert conflicts[1].startswith("    AVI-005  feuille « Avion », cellule ")
    assert conflicts[1].endswith(f": {quality} : exporté « non renseigné », classeur « non », charte "
                                 "« oui » — non appliqué ; --garder partenaire ou charte")
    assert "ligne supprimée du classeur : rien n'est changé pour AVI-034" in _lines(out, "    ")["AVI-034"]
    charter = load(call)
    assert charter.by_id["AVI-005"].action.statut is Statut.en_cours  # the newer status is kept
    assert charter.by_id["AVI-005"].action.evaluation.qualite_de_vie_amelioree is True  # and the evaluation
    partner = charter.by_id["AVI-010"].action
    assert partner.statut is Statut.en_cours and partner.suivi[-1].auteur == "pas_de_calais_habitat"
    assert (partner.evaluation.cout, partner.evaluation.qualite_de_vie_amelioree) == (12500, True)
    assert partner.evaluation.deployee is None  # left blank: not reported
    assert charter.by_id["AVI-034"].action.suivi == []
    after = snapshot(call)
    changed = [k for k, v in after.items() if v != before[k]]
    assert changed == ["charter-data/quartiers/avion.yaml"]
    old, new = before[changed[0]].decode().splitlines(), after[changed[0]].decode().splitlines()
    assert [line for line in difflib.ndiff(old, new) if line.startswith("- ")] == []  # only lines added
    # --garder partenaire settles both conflicts; the applied cells are not applied twice.
    code, out, err = gusp("import", str(book), "-C", str(call), "--garder", "partenaire")
    assert "  AVI-005  statut : en cours → réalisée (au 25 novembre 2026) (conflit réglé : partenaire)" in out
    assert f"  AVI-005  évaluation : {quality} oui → non (conflit réglé : partenaire)" in out.splitlines()
    assert "AVI-010  statut" not in out and "AVI-010  évaluation" not in out
    assert code == 1  # the deleted row is still reported
    charter = load(call)
    assert charter.by_id["AVI-005"].action.statut is Statut.realisee
    assert charter.by_id["AVI-005"].action.suivi[-1].auteur == "pas_de_calais_habitat"
    assert charter.by_id["AVI-005"].action.evaluation.qualite_de_vie_amelioree is False
    assert charter.by_id["AVI-010"].action.evaluation.cout == 12500


def test_a_stale_workbook_never_erases_newer_work(call: Path, gusp: Run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    for action_id in ("LEN-001", "LEN-002", "AVI-005", "LIE-003", "LIE-010"):
        assert gusp("status", action_id, "en_cours", "-C", str(call), "--note", "plus récent")[0] == 0
    before = snapshot(call)
    code, out, _ = gusp("import", str(book), "-C", str(call))
    assert code == 0 and "0 modification à appliquer" in out and "effacé" not in out
    assert snapshot(call) == before


def test_a_folder_of_returned_workbooks_says_who_has_not_answered(call: Path, gusp: Run,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, call, folder)
    _fill(folder / "ville_d_avion.xlsx", "Avion", {("AVI-009", "Statut"): "en cours"})
    returned = tmp_path / "retours"
    returned.mkdir()
    for name in ("ville_d_avion.xlsx", "el_fouad.xlsx"):
        shutil.copy(folder / name, returned / name)
    (returned / "~$ville_d_avion.xlsx").write_bytes(b"lock file of Excel")
    before = snapshot(call)
    code, out, _ = gusp("import", str(returned), "-C", str(call), "--dry-run")
    assert code == 0
    assert "Campagne : 2 fichiers lus" in out
    summary = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and ".xlsx" in line
               and "—" not in line}
    assert "rempli en partie" in summary["ville_d_avion.xlsx"] and "non rempli" in summary["el_fouad.xlsx"]
    missing = next(line for line in out.splitlines() if line.startswith("  Sans classeur renvoyé"))
    assert "Ville de Lens (ville_de_lens.xlsx)" in missing and "Ville d’Avion" not in missing
    assert snapshot(call) == before


def test_two_workbooks_giving_one_action_two_statuses_is_a_conflict(call: Path, gusp: Run,
                                                                     tmp_path: Path) -> None:
    folder = tmp_path / "campagne"
    _campaign(gusp, call, folder)
    _fill(folder / "ville_d_avion.xlsx", "Avion", {("AVI-014", "Statut"): "en cours"})
    _fill(folder / "el_fouad.xlsx", "Avion", {("AVI-014", "Statut"): "réalisée"})
    code, out, _ = gusp("import", str(folder / "ville_d_avion.xlsx"), str(folder / "el_fouad.xlsx"),
                        "-C", str(call))
    assert code == 1
    assert "statut donné par ville_d_avion.xlsx" in _lines(out, "    ")["AVI-014"]
    assert load(call).by_id["AVI-014"].action.statut is Statut.en_cours


def test_one_read_only_file_means_no_file_changes(call: Path, gusp: Run, tmp_path: Path) -> None:
    _all_or_nothing(call, gusp, tmp_path, lambda path: path.chmod(stat.S_IRUSR | stat.S_IRGRP))


def test_one_file_changed_meanwhile_means_no_file_changes(call: Path, gusp: Run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A save by an editor between the plan and the write (root can write a read-only file, not this)."""
    from gusp_cli.store import transaction

    lievin = call / "charter-data/quartiers/lievin.yaml"
    real = transaction.write_all

    def saved_meanwhile(*args: object, **kwargs: object) -> None:
        lievin.write_bytes(lievin.read_bytes() + "# sauvegarde d'un éditeur\n".encode())
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction, "write_all", saved_meanwhile)
    _all_or_nothing(call, gusp, tmp_path, lambda path: None, edited=lievin)


def _all_or_nothing(call: Path, gusp: Run, tmp_path: Path, spoil: Callable[[Path], None],
                    edited: Path | None = None) -> None:
    book = _export(gusp, call, tmp_path / "suivi.xlsx")
    _fill(book, "Avion", {("AVI-003", "Statut"): "en cours"})
    wb = load_workbook(book)
    _cell(wb["Lens"], "LEN-003", "Statut").value = "en cours"  # type: ignore[attr-defined]
    _cell(wb["Liévin"], "LIE-003", "Statut").value = "en cours"  # type: ignore[attr-defined]
    wb.save(book)
    lievin = call / "charter-data/quartiers/lievin.yaml"
    spoil(lievin)
    before = snapshot(call)
    code, _, err = gusp("import", str(book), "-C", str(call))
    lievin.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == 1
    assert "lievin.yaml" in err and "aucun fichier n'a été" in err
    after = snapshot(call)
    assert {k: v for k, v in after.items() if edited is None or not str(edited).endswith(k)} == \
        {k: v for k, v in before.items() if edited is None or not str(edited).endswith(k)}
    assert not [p for p in (call / "charter-data").rglob("*") if p.name.endswith((".tmp", ".lock"))]
