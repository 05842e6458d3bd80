"""``gusp status``, ``add``, ``amend`` and ``fmt`` end to end, as the user runs them."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.store.loader import load

Gusp = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"


def _centre(root: Path) -> Path:
    return root / "charter-data" / "quartiers" / "centre.yaml"


def _others(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "charter-data").rglob("*.yaml") if p != _centre(root)}


@pytest.fixture
def repo(base_charter: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(base_charter)
    return base_charter


def test_status_writes_reports_and_suggests_the_commit(repo: Path, gusp: Gusp) -> None:
    others = _others(repo)
    code, out, err = gusp("status", "CEN-001", "Réalisée", "--date", "2025-06-01", "--note", "Fait")
    assert (code, err) == (0, "")
    assert out == ("charter-data/quartiers/centre.yaml modifié (+6 −0 lignes) :\n"
                   "  CEN-001 : statut non renseigné → realisee\n"
                   "  CEN-001 : date_realisation 2025-06-01\n"
                   "  CEN-001 : suivi + 2025-06-01 realisee — Fait\n"
                   "Pour l'enregistrer dans git :\n"
                   "  git add charter-data/quartiers/centre.yaml && "
                   "git commit -m 'gusp: CEN-001 statut realisee'\n")
    charter = load(repo, today=None)
    assert charter.ok
    action = charter.by_id["CEN-001"].action
    assert action.statut is not None and action.statut.value == "realisee"
    assert str(action.date_realisation) == "2025-06-01"
    assert _others(repo) == others
    assert not (repo / "charter-data" / "quartiers" / "centre.yaml.lock").exists()


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Path, gusp: Gusp) -> None:
    before = _centre(repo).read_bytes()
    code, out, _ = gusp("status", "CEN-001", "en_cours", "--dry-run")
    assert code == 0
    assert out.startswith("--- a/charter-data/quartiers/centre.yaml\n"
                          "+++ b/charter-data/quartiers/centre.yaml\n")
    assert "+        statut: en_cours\n" in out
    assert out.endswith("--dry-run : rien n'a été écrit.\n")
    assert _centre(repo).read_bytes() == before
    assert sorted(p.name for p in _centre(repo).parent.iterdir()) == ["centre.yaml"]


def test_crlf_and_bom_file_keeps_them(repo: Path, gusp: Gusp) -> None:
    path = _centre(repo)
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    code, _, err = gusp("status", "CEN-003", "en_cours")
    assert code == 0, err
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") > original.count(b"\r\n")
    added = Counter(data.splitlines(keepends=True)) - Counter(original.splitlines(keepends=True))
    assert added == Counter([b"        statut: en_cours\r\n", b"        suivi:\r\n",
                             b"          - date: 2026-11-25\r\n", b"            statut: en_cours\r\n"])
    assert not Counter(original.splitlines(keepends=True)) - Counter(data.splitlines(keepends=True))


def test_file_mode_is_kept(repo: Path, gusp: Gusp) -> None:
    _centre(repo).chmod(0o600)
    assert gusp("status", "CEN-003", "en_cours")[0] == 0
    assert _centre(repo).stat().st_mode & 0o777 == 0o600


def test_unknown_status_lists_choices_closest_first(repo: Path, gusp: Gusp) -> None:
    code, out, err = gusp("status", "CEN-001", "realise")
    assert code == 2 and out == ""
    assert err.startswith("gusp : erreur : STATUT : valeur « realise » inconnue ; "
                          "choix possibles : realisee, ")


def test_unknown_action_suggests(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("status", "CEN-01", "en_cours")
    assert code == 2
    assert "action « CEN-01 » introuvable ; vouliez-vous dire" in err


def test_bad_date_is_a_usage_error(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("status", "CEN-001", "en_cours", "--date", "2025-02-30")
    assert code == 2 and "--date : date invalide « 2025-02-30 »" in err


def test_refusal_when_the_change_would_invalidate(repo: Path, gusp: Gusp) -> None:
    before = _centre(repo).read_bytes()
    code, out, err = gusp("status", "CEN-001", "en_cours", "--date", "2027-01-01")
    assert code == 1 and out == ""
    assert "modification refusée" in err and "[date_future]" in err
    assert _centre(repo).read_bytes() == before


def test_lock_refusal(repo: Path, gusp: Gusp) -> None:
    lock = repo / "charter-data" / "quartiers" / "centre.yaml.lock"
    lock.write_text("4242\n")
    before = _centre(repo).read_bytes()
    code, _, err = gusp("status", "CEN-001", "en_cours")
    assert code == 1
    assert "centre.yaml.lock existe" in err
    assert _centre(repo).read_bytes() == before and lock.exists()


def test_amend_moves_a_deadline_visibly(repo: Path, gusp: Gusp) -> None:
    code, out, err = gusp("amend", "cen-004", "--echeance", "2032", "--motif", "COPIL du 12/03/2026",
                          "--responsable", "Bailleur du Sud", "--date", "2026-03-12")
    assert code == 0, err
    assert "  CEN-004 : échéance « 2030 » → « 2032 »\n" in out
    assert "  CEN-004 : responsables agglo → bailleur_sud\n" in out
    action = load(repo, today=None).by_id["CEN-004"].action
    assert action.echeance == "2032" and action.responsables == ["bailleur_sud"]
    assert [(s.champ, s.ancienne_valeur, s.motif) for s in action.suivi] == [
        ("echeance", "2030", "COPIL du 12/03/2026"), ("responsables", "agglo", "COPIL du 12/03/2026")]


def test_amend_unknown_party_lists_choices(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("amend", "CEN-004", "--responsable", "Mairie de Paris", "--motif", "x")
    assert code == 2 and "--responsable : « Mairie de Paris » inconnu" in err


def test_add_finds_quartier_and_table_loosely(repo: Path, gusp: Gusp) -> None:
    code, out, err = gusp("add", "--quartier", "quartier de la gare", "--tableau", "post chantier",
                          "--libelle", "Nettoyage après travaux", "--responsable", "ville",
                          "--responsable", "AGGLO", "--echeance", "2031", "--motif", "COPIL du 2 juin")
    assert code == 0, err
    assert out.splitlines()[1] == ("  CEN-005 : ajoutée au tableau « Gestion post chantier / Propreté » "
                                   "(quartier centre), n° 3")
    entry = load(repo, today=None).by_id["CEN-005"]
    assert entry.action.numero == 3 and entry.action.responsables == ["ville", "agglo"]
    assert _centre(repo).read_text(encoding="utf-8").endswith(
        '      - id: CEN-005\n        numero: 3\n        libelle: "Nettoyage après travaux"\n'
        '        responsables: [ville, agglo]\n        echeance: "2031"\n        suivi:\n'
        '          - date: 2026-11-25\n            motif: "COPIL du 2 juin"\n            champ: action\n')


def test_add_ambiguous_table_lists_candidates(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("add", "-q", "centre", "-t", "propreté", "-l", "x", "-r", "ville")
    assert code == 2
    assert "« propreté » désigne 2 tableaux" in err
    assert "  1. « Gestion actuelle / Propreté » (secteur gare, thème « Propreté »)" in err
    assert "  2. « Gestion post chantier / Propreté »" in err


def test_add_unknown_quartier(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("add", "-q", "lille", "-t", "x", "-l", "x", "-r", "ville")
    assert code == 2 and "--quartier : « lille » inconnu" in err


def test_add_needs_a_responsible_party(repo: Path, gusp: Gusp) -> None:
    code, _, err = gusp("add", "-q", "centre", "-t", "actuelle", "-l", "x")
    assert code == 2 and "--responsable" in err


def test_fmt_check_then_fix(repo: Path, gusp: Gusp) -> None:
    assert gusp("fmt", "--check")[0] == 0
    path = _centre(repo)
    tidy = path.read_bytes()
    messy = b"\xef\xbb\xbf" + tidy.replace(b"\n", b"   \r\n").replace(b"[ville, agglo]", b"[ ville,agglo ]")
    path.write_bytes(messy)
    code, out, _ = gusp("fmt", "--check")
    assert code == 1 and out == "à reformater : charter-data/quartiers/centre.yaml\n"
    assert path.read_bytes() == messy
    code, out, _ = gusp("fmt")
    assert code == 0 and out == "reformaté : charter-data/quartiers/centre.yaml\n"
    assert path.read_bytes() == tidy
    assert gusp("fmt")[1] == ""


def test_fmt_reports_a_broken_file_and_goes_on(repo: Path, gusp: Gusp) -> None:
    path = _centre(repo)
    path.write_text("id: [centre\n", encoding="utf-8")
    code, _, err = gusp("fmt")
    assert code == 1
    assert "centre.yaml:2:1" in err or "centre.yaml:1" in err
    assert "3 fichiers : 0 reformaté, 2 déjà conformes, 1 en erreur" in err
    assert path.read_text(encoding="utf-8") == "id: [centre\n"


def test_embedded_status_on_a_copy(embedded_copy: Path, gusp: Gusp) -> None:
    if not load(embedded_copy, today=None).ok:
        pytest.skip("charte embarquée invalide")
    lens = embedded_copy / "charter-data" / "quartiers" / "lens.yaml"
    before = lens.read_text(encoding="utf-8").split("\n")
    code, _, err = gusp("status", "LEN-005", "en_cours", "-C", str(embedded_copy))
    assert code == 0, err
    after = lens.read_text(encoding="utf-8").split("\n")
    start = before.index("      - id: LEN-005")
    assert before[start + 5].startswith("        frequence: bimensuelle")  # after it comes the status
    assert after[:start + 6] == before[:start + 6]
    assert after[start + 6:start + 10] == ["        statut: en_cours", "        suivi:",
                                           "          - date: 2026-11-25", "            statut: en_cours"]
    assert after[start + 10:] == before[start + 6:]


def test_help_does_not_import_the_round_trip_machinery() -> None:
    code = ("import sys; from gusp_cli.cli.app import run; run(['status', '--help']); "
            "print([m for m in sys.modules if m.startswith(('ruamel.yaml.main', 'ruamel.yaml.comments', "
            "'gusp_cli.store.roundtrip', 'gusp_cli.track.edits', 'gusp_cli.model.schema'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")


def test_commit_command_from_outside_the_repository(base_charter: Path, gusp: Gusp, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = gusp("status", "CEN-001", "en_cours", "-C", str(base_charter))
    assert code == 0, err
    assert out.splitlines()[-1] == (f"  git -C {base_charter} add charter-data/quartiers/centre.yaml && "
                                    f"git -C {base_charter} commit -m 'gusp: CEN-001 statut en_cours'")


def test_existing_errors_elsewhere_do_not_block_an_edit_that_adds_none(repo: Path, gusp: Gusp) -> None:
    charte = repo / "charter-data" / "charte.yaml"
    charte.write_text(charte.read_text(encoding="utf-8").replace("partenaires: [agglo,",
                                                                 "partenaires: [inconnu, agglo,"),
                      encoding="utf-8")
    assert gusp("validate")[0] == 1
    code, _, err = gusp("status", "CEN-001", "en_cours")
    assert code == 0, err
    code, _, err = gusp("status", "CEN-001", "realisee", "--date", "2030-01-01")
    assert code == 1 and "2 erreurs" in err and "acteur_inconnu" not in err


def test_an_unreadable_file_elsewhere_blocks_edits(repo: Path, gusp: Gusp) -> None:
    # A syntax error in acteurs.yaml leaves the cross-record rules unchecked: an edit could then
    # introduce an unknown party unseen, so it is refused and nothing is written.
    acteurs = repo / "charter-data" / "acteurs.yaml"
    acteurs.write_text(acteurs.read_text(encoding="utf-8") + "x: [\n", encoding="utf-8")
    before = _centre(repo).read_bytes()
    code, out, err = gusp("status", "CEN-001", "en_cours")
    assert code == 1 and out == ""
    assert err.startswith("gusp : erreur : modification refusée : la charte ne peut pas être "
                          "entièrement vérifiée")
    assert "charter-data/acteurs.yaml:" in err and "[yaml_syntaxe]" in err
    assert _centre(repo).read_bytes() == before


def test_reportee_without_its_new_echeance_is_refused_in_french(repo: Path, gusp: Gusp) -> None:
    before = _centre(repo).read_bytes()
    code, _, err = gusp("status", "CEN-004", "reportee")
    assert code == 2 and err.startswith("gusp : erreur : « reportee » demande la nouvelle échéance : "
                                        "gusp status CEN-004 reportee --echeance 2027 --motif")
    code, out, err = gusp("status", "CEN-004", "reportee", "--echeance", "2031", "--motif", "COPIL de mars",
                          "--date", "2026-03-12")
    assert code == 0, err
    assert "  CEN-004 : échéance « 2030 » → « 2031 » (motif « COPIL de mars »)\n" in out
    assert _centre(repo).read_bytes() != before
    action = load(repo, today=None).by_id["CEN-004"].action
    assert (action.echeance, action.statut.value if action.statut else None) == ("2031", "reportee")
    assert load(repo, today=None).on(dt.date(2026, 3, 11)).by_id["CEN-004"].action.echeance == "2030"


def test_a_late_report_on_the_command_line_says_the_status_stays(repo: Path, gusp: Gusp) -> None:
    code, out, err = gusp("status", "CEN-002", "en_cours", "--date", "2024-05-02", "--note", "CR de mai")
    assert code == 0, err
    assert "  CEN-002 : entrée antérieure à celle du 2024-07-15 : le statut reste « realisee »\n" in out


def test_edits_are_dated_today_by_default(repo: Path, gusp: Gusp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUSP_TODAY", "2026-02-03")
    assert gusp("status", "CEN-001", "en_cours")[0] == 0
    assert load(repo, today=None).by_id["CEN-001"].action.suivi[-1].date == dt.date(2026, 2, 3)
    code, _, err = gusp("status", "CEN-001", "a_faire", "--date", "2026-02-04")
    assert code == 1 and "dans le futur (aujourd'hui : 2026-02-03) [date_future]" in err
