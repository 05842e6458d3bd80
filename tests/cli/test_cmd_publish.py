"""``gusp publish``: the site of the embedded charter, reproducible, replayed, and every refusal."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CASES
from tests.scripted_git import commit_all, git

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder outside any charter: the embedded charter answers."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return tmp_path


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_embedded_charter_gives_a_page_per_quartier_and_per_action(outside: Path, gusp: Run) -> None:
    code, out, err = gusp("publish", "-o", "site")
    assert (code, out) == (0, "")
    assert err.splitlines()[-1] == (
        "Site publié dans site au 25 novembre 2026 : 182 pages (3 quartiers, 175 actions), données ouvertes "
        "dans donnees/ (7 fichiers CSV), fil Atom : 0 modification (la charte embarquée n’a pas d’historique "
        "git)")
    site = outside / "site"
    quartiers = sorted(p.parent.name for p in (site / "quartiers").glob("*/index.html"))
    assert quartiers == ["avion", "lens", "lievin"]
    actions = sorted(p.parent.name for p in (site / "actions").glob("*/index.html"))
    assert len(actions) == 175 and actions[0] == "AVI-001" and "LEN-105" in actions
    for page in ("index.html", "gouvernance/index.html", "lire-les-chiffres/index.html", "donnees/index.html",
                 "flux.atom", "style.css", "donnees/datapackage.json"):
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in home and "<script" not in home and "http" not in home.split("<body>")[0]
    assert "Situation des actions au <strong>25 novembre 2026</strong>" in home


def test_frictionless_validates_the_published_package(outside: Path, gusp: Run) -> None:
    assert gusp("publish", "-o", "site")[0] == 0
    frictionless = Path(sys.executable).parent / "frictionless"
    done = subprocess.run([str(frictionless), "validate", "site/donnees/datapackage.json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("VALID") == 7 and "INVALID" not in done.stdout


def test_the_same_day_and_revision_give_the_same_bytes(gusp: Run, tmp_path: Path, lived_call: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "un", tmp_path / "deux"
    assert gusp("publish", "-C", str(lived_call), "-o", str(first), "--as-of", "2026-03-01")[0] == 0
    monkeypatch.setenv("GUSP_TODAY", "2027-01-02")  # another day, the same --as-of
    assert gusp("publish", "-C", str(lived_call), "-o", str(second), "--as-of", "2026-03-01")[0] == 0
    assert digests(first) == digests(second)
    # Published again over itself: the previous site is replaced, with the same bytes.
    assert gusp("publish", "-C", str(lived_call), "-o", str(first), "--as-of", "2026-03-01")[0] == 0
    assert digests(first) == digests(second)


def test_as_of_publishes_the_charter_as_it_stood(gusp: Run, tmp_path: Path, lived_call: Path) -> None:
    site = tmp_path / "site"
    assert gusp("publish", "-C", str(lived_call), "-o", str(site), "--as-of", "2025-03-15")[0] == 0
    page = (site / "actions/LEN-004/index.html").read_text(encoding="utf-8")
    assert "Statut : en cours" in page and "Atelier de réemploi" not in page  # the public note of April
    assert "Données au 15 mars 2025" in page
    feed = (site / "flux.atom").read_text(encoding="utf-8")
    assert "Publication de la charte" in feed and "LEN-004" not in feed  # committed in June


def test_the_url_makes_the_feed_and_the_package_absolute(outside: Path, gusp: Run) -> None:
    assert gusp("publish", "-o", "site", "--url", "https://agglo.example.fr/charte")[0] == 0
    feed = (outside / "site/flux.atom").read_text(encoding="utf-8")
    assert ('<link rel="self" type="application/atom+xml" href="https://agglo.example.fr/charte/flux.atom" />'
            in feed)
    descriptor = (outside / "site/donnees/datapackage.json").read_text(encoding="utf-8")
    assert '"homepage": "https://agglo.example.fr/charte/"' in descriptor


@pytest.mark.parametrize(("args", "message"), [
    (["--url", "javascript:alert(1)"], "--url : adresse invalide « javascript:alert(1) »"),
    (["--licence", "gpl"], "--licence : valeur « gpl » inconnue ; choix possibles :"),
    (["--as-of", "2026-02-30"], "--as-of : date invalide « 2026-02-30 »"),
    (["-o", " "], "-o : indiquez le dossier du site (par exemple gusp publish -o site)"),
])
def test_bad_options_are_french_usage_errors(outside: Path, gusp: Run, args: list[str], message: str) -> None:
    code, _, err = gusp("publish", "-o", "site", *args)
    assert code == 2 and message in err
    assert not (outside / "site").exists()


def test_a_folder_it_did_not_write_is_refused(outside: Path, gusp: Run) -> None:
    (outside / "travail").mkdir()
    (outside / "travail" / "notes.txt").write_text("à garder")
    code, _, err = gusp("publish", "-o", "travail")
    assert code == 2
    assert "le dossier « travail » n'est pas vide et n'a pas été écrit par gusp publish" in err
    assert [p.name for p in (outside / "travail").iterdir()] == ["notes.txt"]


def test_the_charter_data_is_never_a_target(gusp: Run, base_charter: Path) -> None:
    target = base_charter / "charter-data" / "site"
    code, _, err = gusp("publish", "-C", str(base_charter), "-o", str(target))
    assert code == 2 and "dans les données de la charte" in err and "gusp publish -o site" in err
    assert not target.exists()


def test_an_invalid_charter_is_not_published(gusp: Run, base_charter: Path, tmp_path: Path) -> None:
    quartier = base_charter / "charter-data/quartiers/centre.yaml"
    quartier.write_text(quartier.read_text(encoding="utf-8").replace("responsables: [bailleur]",
                                                                     "responsables: [bailleurs]", 1))
    code, _, err = gusp("publish", "-C", str(base_charter), "-o", str(tmp_path / "site"))
    assert code == 1 and "acteur « bailleurs » inconnu" in err
    assert not (tmp_path / "site").exists()


def test_a_template_of_the_charter_stays_in_the_sandbox(gusp: Run, base_charter: Path,
                                                        tmp_path: Path) -> None:
    (base_charter / "templates" / "site").mkdir(parents=True)
    (base_charter / "templates" / "site" / "lire.html.j2").write_text("{{ ''.__class__.__mro__ }}")
    code, _, err = gusp("publish", "-C", str(base_charter), "-o", str(tmp_path / "site"))
    assert code == 2 and "lire.html.j2" in err and "bac à sable" in err
    assert not (tmp_path / "site").exists()


def test_a_charter_in_git_gets_its_feed(gusp: Run, tmp_path: Path) -> None:
    root = tmp_path / "depot"
    shutil.copytree(CASES / "base", root)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Charte", day=1)
    code, _, err = gusp("publish", "-C", str(root), "-o", str(tmp_path / "site"))
    assert code == 0 and err.endswith("fil Atom : 1 modification\n")
