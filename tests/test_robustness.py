"""Hostile inputs (issue 9, reading side): each gets its exact French message at file:line:col,
an exit code, no traceback, and every file left as it was.

The charter used here is written inline (not copied from ``tests/cases/base``) so that the
expected positions only depend on this file.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.store import yamlio
from gusp_cli.store.loader import load
from gusp_cli.store.yamlio import MAX_DEPTH, MAX_EVENTS, MAX_FILE_BYTES, parse_text

AS_OF = "2026-11-25"
Q = "charter-data/quartiers/centre.yaml"
CHARTE = """\
titre: Charte de test
porteur: agglo
quartiers: [centre]
periode:
  debut: 2020
  fin: 2030
"""
ACTEURS = """\
roles:
  - id: ville
    nom: Ville
acteurs:
  - id: agglo
    nom: Agglomération
    type: epci
  - id: ville_centre
    nom: Ville de Liévin
    type: commune
"""
QUARTIER = """\
id: centre
nom: Cité du Stade
commune: Liévin
roles:
  ville: ville_centre
tableaux:
  - titre: Propreté
    phase: actuelle
    actions:
      - id: CEN-001
        numero: 1
        libelle: Tour de quartier
        responsables: [ville]
        echeance: "2025"
      - id: CEN-002
        numero: 2
        libelle: Ramassage des dépôts
        responsables: [agglo]
        echeance: T2 2026
        evaluation:
          cout: 1200
          deployee: true
"""
FILES = {"charter-data/charte.yaml": CHARTE, "charter-data/acteurs.yaml": ACTEURS, Q: QUARTIER}
NOT_LOADED = "0 quartier, 0 action, 1 erreur, 0 avertissement\n"
"""Summary when the quartier file itself could not be read or validated."""
LOADED = "1 quartier, 2 actions, 1 erreur, 0 avertissement\n"
"""Summary when the quartier loaded and a cross-record rule failed."""
VALID = "1 quartier, 2 actions, 0 erreur, 0 avertissement\n"
PRUNED = LOADED
"""Summary when one action failed validation: it is left out, the rest of its quartier is loaded
and both actions are counted (issue 14: one typo no longer hides a quartier)."""

Files = Mapping[str, str | bytes]
Runner = Callable[..., tuple[int, str, str]]


def q(old: str, new: str, text: str = QUARTIER) -> str:
    """The quartier text with one exact, unique substring replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def write_repo(root: Path, files: Files) -> Path:
    """Write ``FILES`` overridden by ``files`` below ``root``."""
    for rel, content in {**FILES, **files}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry below ``root``: kind, size, mtime, and the bytes of small regular files."""
    state: dict[str, Any] = {}
    for folder, dirs, names in os.walk(root, followlinks=False):
        for name in dirs + names:
            path = Path(folder) / name
            info = path.lstat()
            entry: Any = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
            if stat.S_ISLNK(info.st_mode):
                entry += (os.readlink(path),)
            elif stat.S_ISREG(info.st_mode) and info.st_size < 1_000_000:
                entry += (path.read_bytes(),)
            state[str(path.relative_to(root))] = entry
    return state


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gusp: Runner) -> Callable[..., tuple[int, str, str]]:
    """Write a repository, run gusp in it (default: validate), check nothing was written."""
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    counter = iter(range(1000))

    def _run(files: Files | None = None, *args: str, prepare: Callable[[Path], None] | None = None
             ) -> tuple[int, str, str]:
        repo = write_repo(tmp_path / f"depot{next(counter)}", files or {})
        if prepare is not None:
            prepare(repo)
        monkeypatch.chdir(repo)
        before = snapshot(repo)
        code, out, err = gusp(*(args or ("validate",)))
        assert snapshot(repo) == before, "gusp a modifié le dépôt en lisant"
        assert "Traceback" not in out + err and "erreur interne" not in err
        assert code in (0, 1, 2)
        return code, out, err

    return _run


def expect(pos: str, message: str, rule: str, summary: str = NOT_LOADED, file: str = Q) -> str:
    """The exact ``gusp validate`` output for one error."""
    return f"{file}:{pos}: erreur: {message} [{rule}]\n{summary}"


def test_the_inline_charter_is_valid(run: Runner) -> None:
    assert run() == (0, VALID, "")


# --------------------------------------------------------------------------- YAML syntax

TAB = "syntaxe YAML : tabulation interdite : indentez avec des espaces"
SYNTAX = [
    pytest.param(q("        responsables: [ville]", "\tresponsables: [ville]"),
                 expect("13:1", TAB, "yaml_syntaxe"), id="tabulation"),
    pytest.param(q("        numero: 2\n", "       numero: 2\n"),
                 expect("16:8", "syntaxe YAML : indentation incorrecte : élément de liste « - » attendu",
                        "yaml_syntaxe"), id="indentation-liste"),
    pytest.param(q("commune: Liévin\n", "  commune: Liévin\n"),
                 expect("3:10", "syntaxe YAML : « : » inattendu (indentation incorrecte ou guillemets "
                        "manquants)", "yaml_syntaxe"), id="indentation-cle"),
    pytest.param(q("libelle: Tour de quartier", 'libelle: "Tour de quartier'),
                 expect("14:20", "syntaxe YAML : clé attendue (indentation incorrecte, ou guillemet non "
                        "fermé plus haut ?)", "yaml_syntaxe"), id="guillemet-double-non-ferme"),
    pytest.param(q("libelle: Tour de quartier", "libelle: 'Tour de quartier"),
                 expect("23:1", "syntaxe YAML : fin de fichier inattendue (guillemet non fermé ?)",
                        "yaml_syntaxe"), id="guillemet-simple-non-ferme"),
    pytest.param(q("responsables: [ville]", "responsables: [ville"),
                 expect("14:17", "syntaxe YAML : liste entre crochets non fermée (« ] » manquant)",
                        "yaml_syntaxe"), id="crochet-non-ferme"),
    pytest.param(q("responsables: [ville]", "responsables: {ville: x"),
                 expect("14:17", "syntaxe YAML : table entre accolades non fermée (« } » manquant)",
                        "yaml_syntaxe"), id="accolade-non-fermee"),
    pytest.param("- id: centre\n- nom: Cité du Stade\n",
                 expect("1:1", "le document doit être une table (clé: valeur), pas une liste", "schema"),
                 id="document-liste"),
    pytest.param("centre\n",
                 expect("1:1", "le document doit être une table (clé: valeur), pas une valeur simple",
                        "schema"), id="document-texte"),
    pytest.param(QUARTIER + "---\nid: autre\n",
                 expect("23:1", "syntaxe YAML : plusieurs documents YAML (« --- ») dans un seul fichier",
                        "yaml_syntaxe"), id="plusieurs-documents"),
    pytest.param("", expect("1:1", "fichier vide : un document YAML est attendu", "fichier_vide"),
                 id="fichier-vide"),
    pytest.param("# rien ici\n# toujours rien\n",
                 expect("1:1", "fichier vide : un document YAML est attendu", "fichier_vide"),
                 id="commentaires-seuls"),
    pytest.param("---\n", expect("1:1", "fichier vide : un document YAML est attendu", "fichier_vide"),
                 id="document-vide"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                 expect("3:1", "octet nul (0x00) : fichier binaire, ou texte en UTF-16 ? un fichier texte "
                        "UTF-8 est attendu", "fichier_binaire"), id="binaire-png"),
    pytest.param(bytes(range(256)) * 4,
                 expect("1:1", "octet nul (0x00) : fichier binaire, ou texte en UTF-16 ? un fichier texte "
                        "UTF-8 est attendu", "fichier_binaire"), id="binaire-tous-octets"),
    pytest.param("%YAML 1.3\n---\nid: centre\n",
                 expect("1:1", "syntaxe YAML : version YAML non prise en charge", "yaml_syntaxe"),
                 id="version-yaml"),
]


@pytest.mark.parametrize(("content", "expected"), SYNTAX)
def test_yaml_syntax(run: Runner, content: str | bytes, expected: str) -> None:
    assert run({Q: content}) == (1, expected, "")


# --------------------------------------------------------------------------- encodings and platforms

BINARY = "octet nul (0x00) : fichier binaire, ou texte en UTF-16 ? un fichier texte UTF-8 est attendu"
LATIN1 = ("encodage invalide : octet 0x{:02X} non UTF-8 (fichier en Latin-1 ou Windows-1252 ?) ; "
          "enregistrez le fichier en UTF-8")
ENCODINGS = [
    pytest.param(QUARTIER.encode("latin-1"), expect("2:9", LATIN1.format(0xE9), "encodage"), id="latin-1"),
    pytest.param("id: centre\nnom: Constat d’huissier\n".encode("cp1252"),
                 expect("2:15", LATIN1.format(0x92), "encodage"), id="windows-1252"),
    pytest.param(QUARTIER.encode("utf-16"),
                 expect("1:1", "fichier encodé en UTF-16 ; enregistrez-le en UTF-8", "encodage"),
                 id="utf-16-bom"),
    pytest.param(QUARTIER.encode("utf-16-le"), expect("1:2", BINARY, "fichier_binaire"),
                 id="utf-16-sans-bom"),
    pytest.param(QUARTIER.encode("utf-32"),
                 expect("1:1", "fichier encodé en UTF-32 ; enregistrez-le en UTF-8", "encodage"),
                 id="utf-32"),
    pytest.param(b"\xef\xbb\xbf" + q("id: centre", "id: 12").encode(),
                 expect("1:5", "« id » doit être un texte (reçu le nombre 12 ; écrivez-le entre guillemets "
                        "si c'est un texte)", "schema"), id="bom-utf8-position"),
    pytest.param(q("responsables: [agglo]", "responsables: [aglo]").replace("\n", "\r\n"),
                 expect("18:24", "acteur « aglo » inconnu — vouliez-vous dire « agglo » ?", "acteur_inconnu",
                        LOADED), id="crlf-position"),
    pytest.param(q("responsables: [agglo]", "responsables: [aglo]").replace("\n", "\r"),
                 expect("18:24", "acteur « aglo » inconnu — vouliez-vous dire « agglo » ?", "acteur_inconnu",
                        LOADED), id="cr-seul-position"),
    pytest.param(q("libelle: Tour de quartier", "libelle: Cafe\u0301: x"),
                 expect("12:23", "syntaxe YAML : « : » inattendu (indentation incorrecte ou guillemets "
                        "manquants)", "yaml_syntaxe"), id="nfd-colonne-en-caracteres-du-fichier"),
]


@pytest.mark.parametrize(("content", "expected"), ENCODINGS)
def test_encodings_and_line_endings(run: Runner, content: str | bytes, expected: str) -> None:
    assert run({Q: content}) == (1, expected, "")


@pytest.mark.parametrize("content", [
    pytest.param(b"\xef\xbb\xbf" + QUARTIER.encode(), id="bom-utf8"),
    pytest.param(QUARTIER.replace("\n", "\r\n"), id="crlf"),
    pytest.param(QUARTIER.replace("\n", "\r"), id="cr-seul"),
    pytest.param(unicodedata.normalize("NFD", QUARTIER), id="nfd"),
])
def test_platform_variants_are_accepted(run: Runner, content: str | bytes) -> None:
    assert run({Q: content}) == (0, VALID, "")


def test_nfd_text_is_read_as_nfc_and_matches_what_users_type(run: Runner, tmp_path: Path) -> None:
    nfd = {name: unicodedata.normalize("NFD", text) for name, text in FILES.items()}
    charter = load(write_repo(tmp_path / "nfd", nfd))
    assert charter.ok
    quartier = charter.quartiers[0]
    names = (quartier.nom, quartier.commune, quartier.tableaux[0].titre)
    assert names == ("Cité du Stade", "Liévin", "Propreté")
    assert charter.actors["agglo"].nom == "Agglomération"
    for typed in (unicodedata.normalize("NFD", "liévin"), "liévin", "LIEVIN"):
        code, out, _ = run(nfd, "actions", "--quartier", typed, "--search",
                           unicodedata.normalize("NFD", "dépôts"), "--format", "json")
        rows = json.loads(out)["actions"]
        assert code == 0 and [r["id"] for r in rows] == ["CEN-002"]
        assert rows[0]["libelle"] == "Ramassage des dépôts" and rows[0]["quartier_nom"] == "Cité du Stade"


def test_nfd_and_nfc_keys_are_the_same_key(run: Runner) -> None:
    content = q("  ville: ville_centre\n", "  ville: ville_centre\n  caf\u00e9: x\n  cafe\u0301: y\n")
    assert run({Q: content}) == (1, expect("7:3", "clé « café » en double dans la même table",
                                           "cle_dupliquee"), "")


SEPARATOR = ("séparateur de ligne Unicode U+{:04X} interdit (invisible, il décale les numéros de ligne) ; "
             "remplacez-le par un vrai retour à la ligne ou une espace")
CONTROL = [
    pytest.param("\x07", expect("12:25", "caractère de contrôle U+0007 interdit dans un fichier YAML",
                                "caractere_controle"), id="cloche"),
    pytest.param("\x1b", expect("12:25", "caractère de contrôle U+001B interdit dans un fichier YAML",
                                "caractere_controle"), id="echap"),
    pytest.param("\x92", expect("12:25", "caractère de contrôle U+0092 interdit dans un fichier YAML (texte "
                                "mal converti depuis Windows-1252 ?)", "caractere_controle"), id="c1"),
    pytest.param("\x85", expect("12:25", SEPARATOR.format(0x85), "caractere_controle"), id="nel"),
    pytest.param("\u2028", expect("12:25", SEPARATOR.format(0x2028), "caractere_controle"), id="u2028"),
    pytest.param("\uffff", expect("12:25", "caractère non valide U+FFFF interdit dans un fichier YAML",
                                  "caractere_controle"), id="non-caractere"),
]


@pytest.mark.parametrize(("char", "expected"), CONTROL)
def test_control_characters_in_the_file(run: Runner, char: str, expected: str) -> None:
    assert run({Q: q("Tour de quartier", f"Tour de{char} quartier")}) == (1, expected, "")


@pytest.mark.parametrize(("escape", "code"), [("\\e[2J", 0x1B), ("\\0", 0x00), ("\\a", 0x07), ("\\r", 0x0D),
                                              ("\\N", 0x85)])
def test_control_characters_written_as_escapes(run: Runner, escape: str, code: int) -> None:
    content = q("libelle: Tour de quartier", f'libelle: "Tour {escape} de quartier"')
    message = (f"caractère de contrôle U+{code:04X} interdit dans un texte (séquence d'échappement entre "
               "guillemets ?)")
    assert run({Q: content}) == (1, expect("12:18", message, "caractere_controle"), "")


def test_tab_and_newline_escapes_are_text(tmp_path: Path) -> None:
    content = q("libelle: Tour de quartier", 'libelle: "Tour\\tde\\nquartier \\L fin"')
    charter = load(write_repo(tmp_path, {Q: content}))
    assert charter.ok
    assert charter.entries[0].action.libelle == "Tour\tde\nquartier \u2028 fin"


# --------------------------------------------------------------------------- types and values

L12 = "libelle: Tour de quartier"
DATE_LINE = "        echeance: T2 2026\n"
NUMBER_AS_TEXT = ("« {} » doit être un texte (reçu le nombre {} ; écrivez-le entre guillemets si c'est "
                  "un texte)")
VALUES = [
    pytest.param(q("responsables: [ville]", "responsables: ville"),
                 expect("13:23", "« responsables » doit être une liste (reçu 'ville')", "schema", PRUNED),
                 id="mauvais-type"),
    pytest.param(q(L12, "libele: Tour de quartier"),
                 expect("12:9", "clé inconnue « libele » — vouliez-vous dire « libelle » ?",
                        "schema", PRUNED),
                 id="cle-inconnue-suggestion"),
    pytest.param(q(DATE_LINE, DATE_LINE + "        date_realisation: 2025-02-30\n"),
                 expect("20:27", "date invalide « 2025-02-30 » pour « date_realisation » (attendu une date "
                        "réelle AAAA-MM-JJ)", "schema", PRUNED), id="date-invalide"),
    pytest.param(q(DATE_LINE, DATE_LINE + "        suivi:\n          - date: 2025-02-30\n"),
                 expect("21:19", "date invalide « 2025-02-30 » pour « date » (attendu une date réelle "
                        "AAAA-MM-JJ)", "schema", PRUNED), id="date-de-suivi-invalide"),
    pytest.param("date: 2025-01-01\n" + QUARTIER, expect("1:1", "clé inconnue « date »", "schema"),
                 id="cle-inconnue-nommee-date"),
    pytest.param(q('echeance: "2025"', "echeance: 30/02/2025"),
                 expect("14:19", "échéance « 30/02/2025 » : cette date n'existe pas", "echeance_invalide",
                        LOADED), id="echeance-date-impossible"),
    pytest.param(q('echeance: "2025"', "echeance: 2025/2023"),
                 expect("14:19", "échéance « 2025/2023 » : la seconde année précède la première",
                        "echeance_invalide", LOADED), id="echeance-annees-inversees"),
    pytest.param(q('echeance: "2025"', "echeance: 9999"),
                 expect("14:19", "échéance « 9999 » : l'année 9999 est hors de la plage 1990–2100",
                        "echeance_invalide", LOADED), id="echeance-hors-plage"),
    pytest.param(q("cout: 1200", "cout: -1200"),
                 expect("21:17", "« cout » doit être supérieur ou égal à 0 (reçu -1200)", "schema", PRUNED),
                 id="cout-negatif"),
    pytest.param(q("        numero: 2\n", "        numero: 2\n        numero: 3\n"),
                 expect("17:9", "clé « numero » en double dans la même table", "cle_dupliquee"),
                 id="cle-en-double"),
    pytest.param(q("id: CEN-002", "id: CEN-001"),
                 expect("15:13", "identifiant « CEN-001 » déjà utilisé (quartier centre, tableau "
                        "« Propreté »)", "id_duplique", LOADED), id="id-en-double"),
    pytest.param(q("id: CEN-001", "id: 1234"), expect("10:13", NUMBER_AS_TEXT.format("id", 1234),
                                                      "schema", PRUNED),
                 id="id-ecrit-en-nombre"),
    pytest.param(q("id: CEN-001", "id: 01234"),
                 expect("10:13", "identifiant d'action « 01234 » invalide (forme attendue : deux à cinq "
                        "majuscules, un tiret et au moins trois chiffres, ex. ABC-042)", "schema", PRUNED),
                 id="id-zero-initial"),
    pytest.param(q(L12, "libelle: 2025"), expect("12:18", NUMBER_AS_TEXT.format("libelle", 2025),
                                                 "schema", PRUNED),
                 id="libelle-ecrit-en-nombre"),
    pytest.param(q(L12, "libelle: true"),
                 expect("12:18", "« libelle » doit être un texte (reçu le booléen true ; écrivez-le entre "
                        "guillemets si c'est un texte)", "schema", PRUNED), id="libelle-booleen"),
    pytest.param(q(L12, "libelle: ~"),
                 expect("12:18", "« libelle » doit être un texte (reçu rien)",
                        "schema", PRUNED), id="libelle-nul"),
    pytest.param(q("  ville: ville_centre\n", "  ville: ville_centre\n  12: x\n"),
                 expect("6:3", "clé « 12 » invalide dans « roles » (minuscules sans accents, chiffres et _ ; "
                        "ex. bailleur_sud)", "schema"), id="cle-nombre"),
    pytest.param(q("  ville: ville_centre\n", "  ville: ville_centre\n  ~: x\n"),
                 expect("6:3", "clé invalide « ~ »", "cle_invalide"), id="cle-nulle"),
    pytest.param(q("deployee: true", "deployee: !!bool peut-etre"),
                 expect("22:21", "valeur « peut-etre » incompatible avec l'étiquette YAML « !!bool »",
                        "etiquette_yaml"), id="etiquette-bool-explicite"),
]


@pytest.mark.parametrize(("content", "expected"), VALUES)
def test_types_and_values(run: Runner, content: str, expected: str) -> None:
    assert run({Q: content}) == (1, expected, "")


# What the reader makes of YAML 1.1 traps and odd numbers. gusp reads YAML 1.2, and turns a scalar
# into a number only when it is written the plain way; anything else stays the text as written.
READER_TABLE = [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("true", True), ("True", True), ("FALSE", False),
    ("12", 12), ("-3", -3), ("01234", "01234"), ("0o17", "0o17"), ("0x1F", "0x1F"), ("1_000", "1_000"),
    ("+12", "+12"), ("1.5", 1.5), ("1e3", 1000.0), (".5", ".5"), ("1.", "1."),
    (".inf", ".inf"), ("-.inf", "-.inf"), (".nan", ".nan"), ("1e999", "1e999"), ("9" * 30, "9" * 30),
    ("~", None), ("null", None), ("", None),
    ("2025-06-30", "2025-06-30"), ("2025-06-30 12:00:00", "2025-06-30 12:00:00"), ("1:20", "1:20"),
    ("=", "="), ("<<", "<<"), ("'2025'", "2025"),
]


@pytest.mark.parametrize(("written", "read"), READER_TABLE, ids=[w or "vide" for w, _ in READER_TABLE])
def test_reader_table_for_yaml11_traps(written: str, read: object) -> None:
    parsed = parse_text(f"k: {written}\n", Path("f.yaml"))
    assert parsed.problems == []
    assert parsed.data == {"k": read} and type(parsed.data["k"]) is type(read)


TRAPS = [
    pytest.param("deployee: true", "deployee: no",
                 expect("22:21", "valeur invalide pour « deployee » : attendu true ou false (reçu 'no')",
                        "schema", PRUNED), id="no"),
    pytest.param("deployee: true", "deployee: yes",
                 expect("22:21", "valeur invalide pour « deployee » : attendu true ou false (reçu 'yes')",
                        "schema", PRUNED), id="yes"),
    pytest.param("deployee: true", "deployee: on",
                 expect("22:21", "valeur invalide pour « deployee » : attendu true ou false (reçu 'on')",
                        "schema", PRUNED), id="on"),
    pytest.param("numero: 1\n", "numero: 01\n",
                 expect("11:17", "« numero » doit être un nombre entier (reçu '01')",
                        "schema", PRUNED), id="01"),
    pytest.param("numero: 1\n", "numero: true\n",
                 expect("11:17", "« numero » doit être un nombre entier (reçu true)", "schema", PRUNED),
                 id="true-en-nombre"),
    pytest.param("numero: 1\n", 'numero: "1"\n',
                 expect("11:17", "« numero » doit être un nombre entier (reçu '1')", "schema", PRUNED),
                 id="nombre-entre-guillemets"),
    pytest.param("cout: 1200", "cout: 1_000",
                 expect("21:17", "« cout » doit être un nombre (reçu '1_000')",
                        "schema", PRUNED), id="1_000"),
    pytest.param("cout: 1200", "cout: 0x1F",
                 expect("21:17", "« cout » doit être un nombre (reçu '0x1F')", "schema", PRUNED), id="0x1F"),
    pytest.param("cout: 1200", "cout: .inf",
                 expect("21:17", "« cout » doit être un nombre (reçu '.inf')", "schema", PRUNED), id="inf"),
    pytest.param("cout: 1200", "cout: .nan",
                 expect("21:17", "« cout » doit être un nombre (reçu '.nan')", "schema", PRUNED), id="nan"),
    pytest.param(DATE_LINE, DATE_LINE + "        date_realisation: 2025-06-30 12:00:00\n",
                 expect("20:27", "date invalide « 2025-06-30 12:00:00 » pour « date_realisation » "
                        "(attendu une date réelle AAAA-MM-JJ)", "schema", PRUNED), id="date-et-heure"),
    pytest.param(DATE_LINE, DATE_LINE + "        date_realisation: 0\n",
                 expect("20:27", "date invalide « 0 » pour « date_realisation » (attendu une date réelle "
                        "AAAA-MM-JJ)", "schema", PRUNED), id="date-en-nombre"),
]


@pytest.mark.parametrize(("old", "new", "expected"), TRAPS)
def test_yaml11_traps_in_typed_fields(run: Runner, old: str, new: str, expected: str) -> None:
    assert run({Q: q(old, new)}) == (1, expected, "")


@pytest.mark.parametrize(("old", "new", "field", "value"), [
    ('echeance: "2025"', "echeance: 2025", "echeance", "2025"),
    (L12, "libelle: 01234", "libelle", "01234"),
    (L12, "libelle: 1:20", "libelle", "1:20"),
    (L12, "libelle: =", "libelle", "="),
    (L12, "libelle: '2025'", "libelle", "2025"),
])
def test_values_kept_as_written(tmp_path: Path, old: str, new: str, field: str, value: str) -> None:
    charter = load(write_repo(tmp_path, {Q: q(old, new)}))
    assert charter.ok
    assert getattr(charter.entries[0].action, field) == value


def test_explicit_true_and_plain_numbers_are_accepted(tmp_path: Path) -> None:
    content = q("cout: 1200", "cout: 1e3").replace("deployee: true", "deployee: True")
    charter = load(write_repo(tmp_path, {Q: content}))
    evaluation = charter.entries[1].action.evaluation
    assert charter.ok and evaluation is not None
    assert (evaluation.cout, evaluation.deployee) == (1000.0, True)


# --------------------------------------------------------------------------- resource attacks

def _laughs(levels: int = 10) -> str:
    lines = ["id: centre", "nom: x", "commune: y", "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast_at_the_aliases(run: Runner) -> None:
    parsed = parse_text(_laughs(), Path(Q))
    assert parsed.data is not None and parsed.data["lol9"] == [None] * 9  # never expanded
    alias = "alias YAML « *{} » non accepté (ancres & et alias * refusés) : recopiez la valeur [alias_yaml]"
    code, out, _ = run({Q: _laughs()})
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"{Q}:5:12: erreur: " + alias.format("a0")
    assert lines[9] == f"{Q}:6:12: erreur: " + alias.format("a1")
    assert lines[10] == (f"{Q}:6:17: erreur: 71 autres alias YAML non acceptés dans ce fichier "
                         "(le premier ici) [alias_yaml]")
    assert lines[11] == "0 quartier, 0 action, 11 erreurs, 0 avertissement"


def test_scalar_alias_and_merge_key_are_refused(run: Runner) -> None:
    content = q(L12, "libelle: &t Tour de quartier").replace("libelle: Ramassage des dépôts", "libelle: *t")
    assert run({Q: content}) == (1, expect("17:18", "alias YAML « *t » non accepté (ancres & et alias * "
                                           "refusés) : recopiez la valeur", "alias_yaml"), "")
    merge = q("        evaluation:\n", "        evaluation:\n          <<: {cout: 3}\n")
    assert run({Q: merge}) == (1, expect("21:11", "clé de fusion YAML « << » non acceptée", "alias_yaml"), "")


DEEP = f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"


@pytest.mark.parametrize(("content", "pos"), [
    pytest.param("id: centre\nx: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", None,
                 id="64-niveaux"),
    pytest.param("id: centre\nx: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "2:67", id="65-niveaux"),
    pytest.param("id: centre\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", "2:67", id="10000-crochets"),
    pytest.param("id: centre\nx: " + "[" * 100_000 + "\n", "2:67", id="100000-crochets-ouverts"),
    pytest.param("id: centre\nx: " + "{a: " * 5_000 + "}" * 5_000 + "\n", "2:256", id="accolades"),
    pytest.param("- " * 50_000 + "x\n", "1:129", id="tirets-compacts"),
    pytest.param("".join("  " * i + "k:\n" for i in range(2_000)), "65:129", id="indentation"),
])
def test_deep_nesting_is_bounded(run: Runner, content: str, pos: str | None) -> None:
    # Without the guard, 100,000 "[" or 50,000 "- " overflow the C composer's stack (a crash,
    # not an exception): this test process would die.
    parsed = parse_text(content, Path(Q))
    code, out, _ = run({Q: content})
    if pos is None:
        assert parsed.problems == [] and "imbrication" not in out
    else:
        assert (code, out) == (1, expect(pos, DEEP, "imbrication"))


def test_file_above_the_size_limit_is_refused_without_reading(run: Runner) -> None:
    def sparse(repo: Path) -> None:
        with (repo / Q).open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)

    message = f"fichier trop volumineux ({MAX_FILE_BYTES + 1} octets ; limite {MAX_FILE_BYTES} octets)"
    assert run(prepare=sparse) == (1, expect("1:1", message, "fichier_trop_grand"), "")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="/proc absent (Linux seulement)")
def test_size_limit_holds_when_the_size_announced_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc files announce 0 bytes: the limit is enforced on what is read, not on stat().
    # (Read directly: the loader refuses a symbolic link out of the repository before reading it.)
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", 200)
    path = Path("/proc/self/status")
    text, problems = yamlio.read_text(path)
    assert text is None
    assert [(p.rule, p.message) for p in problems] == [
        ("fichier_trop_grand", "fichier trop volumineux (201 octets ; limite 200 octets)")]


def test_too_many_events_is_refused_fast(run: Runner) -> None:
    content = "id: centre\nx: [" + "a, " * 600_000 + "]\n"
    code, out, _ = run({Q: content})
    message = f"fichier trop complexe : 600011 événements YAML (limite {MAX_EVENTS}) ; découpez-le"
    assert (code, out) == (1, expect("1:1", message, "fichier_trop_complexe"))


def test_huge_single_line_is_read(tmp_path: Path) -> None:
    label = "é" * 5_000_000
    charter = load(write_repo(tmp_path, {Q: q(L12, f"libelle: {label}")}))
    assert charter.ok and charter.entries[0].action.libelle == label


def test_huge_key_is_a_syntax_error(run: Runner) -> None:
    content = "id: centre\n" + "k" * 2000 + ": 1\n"
    message = "syntaxe YAML : « : » attendu après la clé (guillemet non fermé ?)"
    assert run({Q: content}) == (1, expect("2:2001", message, "yaml_syntaxe"), "")


REFUSED = "étiquette YAML « {} » refusée (seuls textes, nombres, booléens, listes et tables sont acceptés)"
APPLY = '!!python/object/apply:os.system ["echo pwned"]'
CORE_TAG = ("étiquette YAML « {} » refusée (écrivez la valeur sans étiquette ; entre guillemets pour un "
            "texte)")
TAGS = [
    pytest.param(Q, q("responsables: [ville]", f"responsables: {APPLY}"),
                 expect("13:23", REFUSED.format("!!python/object/apply:os.system"), "etiquette_yaml"),
                 id="quartier-apply"),
    pytest.param("charter-data/charte.yaml",
                 CHARTE.replace("titre: Charte de test", f"titre: {APPLY}"),
                 expect("1:8", REFUSED.format("!!python/object/apply:os.system"), "etiquette_yaml",
                        "0 quartier, 0 action, 1 erreur, 0 avertissement\n", "charter-data/charte.yaml"),
                 id="charte-apply"),
    pytest.param("charter-data/acteurs.yaml",
                 ACTEURS.replace("    nom: Agglomération", '    nom: !!python/object/new:os.system ["id"]'),
                 expect("6:10", REFUSED.format("!!python/object/new:os.system"), "etiquette_yaml", LOADED,
                        "charter-data/acteurs.yaml"), id="acteurs-new"),
    pytest.param(Q, q(L12, "libelle: !!python/name:os.system"),
                 expect("12:18", REFUSED.format("!!python/name:os.system"), "etiquette_yaml"),
                 id="python-name"),
    pytest.param(Q, q(L12, "libelle: !!binary aGVsbG8="),
                 expect("12:18", REFUSED.format("!!binary"), "etiquette_yaml"), id="binary"),
    pytest.param(Q, q("        evaluation:\n", "        evaluation: !!set\n"),
                 expect("20:21", REFUSED.format("!!set"), "etiquette_yaml"), id="set"),
    pytest.param(Q, q("responsables: [ville]", "responsables: !!omap [a: 1]"),
                 expect("13:23", REFUSED.format("!!omap"), "etiquette_yaml"), id="omap"),
    pytest.param(Q, q(L12, "libelle: !custom Tour"),
                 expect("12:18", REFUSED.format("!custom"), "etiquette_yaml"), id="etiquette-locale"),
    pytest.param(Q, "%TAG !e! tag:example.com,2000:\n---\nid: !e!foo centre\n",
                 expect("3:5", REFUSED.format("tag:example.com,2000:foo"), "etiquette_yaml"),
                 id="directive-tag"),
    # Issue 14: the core tags too (the README says tags are refused; the editor kept or lost them).
    pytest.param(Q, q(L12, "libelle: !!str Tour de quartier"),
                 expect("12:18", CORE_TAG.format("!!str"), "etiquette_yaml"), id="str"),
    pytest.param(Q, q("numero: 1\n", "numero: !!int 1\n"),
                 expect("11:17", CORE_TAG.format("!!int"), "etiquette_yaml"), id="int"),
    pytest.param(Q, q("        evaluation:\n", "        evaluation: !!map\n"),
                 expect("20:21", CORE_TAG.format("!!map"), "etiquette_yaml"), id="map"),
    pytest.param(Q, q(L12, "libelle: ! Tour de quartier"),
                 expect("12:18", CORE_TAG.format("!"), "etiquette_yaml"), id="non-specifique"),
    pytest.param(Q, q(L12, "libelle: !<tag:yaml.org,2002:str> Tour de quartier"),
                 expect("12:18", CORE_TAG.format("!!str"), "etiquette_yaml"), id="verbatim"),
    pytest.param(Q, q(L12, "libelle: &a Tour de quartier"),
                 expect("12:18", "ancre YAML « &a » non acceptée (ancres & et alias * refusés) : "
                        "supprimez-la", "alias_yaml"), id="ancre-seule"),
    pytest.param(Q, q("        evaluation:\n", "        evaluation: &e\n"),
                 expect("20:21", "ancre YAML « &e » non acceptée (ancres & et alias * refusés) : "
                        "supprimez-la", "alias_yaml"), id="ancre-table"),
]


@pytest.mark.parametrize(("file", "content", "expected"), TAGS)
def test_tags_are_refused_and_nothing_runs(run: Runner, monkeypatch: pytest.MonkeyPatch, file: str,
                                           content: str, expected: str) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    assert run({file: content}) == (1, expected, "")
    assert calls == []


# --------------------------------------------------------------------------- file system

ILLISIBLE = "{}: erreur: {} [fichier_illisible]\n"


def test_unreadable_file_simulated(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("centre.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    expected = ILLISIBLE.format(Q, "lecture refusée (droits insuffisants)") + NOT_LOADED
    assert run() == (1, expected, "")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root (CI) lit tout : chmod 000 ne se teste que sans root")
def test_unreadable_file_for_real(run: Runner) -> None:
    def lock(repo: Path) -> None:
        (repo / Q).chmod(0)

    expected = ILLISIBLE.format(Q, "lecture refusée (droits insuffisants)") + NOT_LOADED
    assert run(prepare=lock) == (1, expected, "")


def test_charter_option_on_a_file(run: Runner) -> None:
    def note(repo: Path) -> None:
        (repo / "notes.txt").write_text("x", encoding="utf-8")

    code, out, err = run(None, "validate", "--charter", "notes.txt", prepare=note)
    assert (code, out, err) == (2, "", "gusp : erreur : --charter : « notes.txt » est un fichier, pas un "
                                       "dépôt de charte\n")


def test_charter_data_that_is_a_file(run: Runner, tmp_path: Path) -> None:
    def replace(repo: Path) -> None:
        (repo / "autre").mkdir()
        (repo / "autre" / "charter-data").write_text("x", encoding="utf-8")

    code, out, err = run(None, "validate", "--charter", "autre", prepare=replace)
    data = Path.cwd() / "autre" / "charter-data"
    assert (code, out) == (2, "")
    assert err == (f"gusp : erreur : --charter : « autre » a un charter-data qui n'est pas un dossier "
                   f"({data})\n")


def test_charter_option_on_a_missing_path(run: Runner) -> None:
    assert run(None, "validate", "--charter", "absent") == (2, "", "gusp : erreur : --charter : « absent » "
                                                                  "n'existe pas\n")


needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="liens symboliques : POSIX")


@needs_symlinks
def test_symlink_loop_as_quartier_file(run: Runner) -> None:
    def loop(repo: Path) -> None:
        (repo / Q).unlink()
        (repo / Q).symlink_to("centre.yaml")

    assert run(prepare=loop) == (1, ILLISIBLE.format(Q, "boucle de liens symboliques") + NOT_LOADED, "")


@needs_symlinks
def test_symlink_loop_as_registry(run: Runner) -> None:
    def loop(repo: Path) -> None:
        (repo / "charter-data/acteurs.yaml").unlink()
        (repo / "charter-data/acteurs.yaml").symlink_to("acteurs.yaml")

    expected = ILLISIBLE.format("charter-data/acteurs.yaml", "boucle de liens symboliques") + LOADED
    assert run(prepare=loop) == (1, expected, "")


@needs_symlinks
def test_symlink_loop_as_charter_file(run: Runner) -> None:
    def loop(repo: Path) -> None:
        (repo / "charter-data/charte.yaml").unlink()
        (repo / "charter-data/charte.yaml").symlink_to("charte.yaml")

    code, out, err = run(None, "validate", "--charter", ".", prepare=loop)
    charte = Path.cwd() / "charter-data" / "charte.yaml"
    assert (code, out) == (2, "")
    assert err == (f"gusp : erreur : --charter : « . » a un charter-data/charte.yaml illisible : dossier, "
                   f"lien symbolique cassé ou en boucle ({charte})\n")


def test_quartier_file_that_is_a_directory(run: Runner) -> None:
    def folder(repo: Path) -> None:
        (repo / Q).unlink()
        (repo / Q).mkdir()

    expected = ILLISIBLE.format(Q, "c'est un dossier, pas un fichier") + NOT_LOADED
    assert run(prepare=folder) == (1, expected, "")


NOT_REGULAR = "ce n'est pas un fichier ordinaire (périphérique, tube ou socket) : refusé"


def _in_thread(action: Callable[[], tuple[int, str, str]]) -> tuple[int, str, str]:
    """Run ``action`` and fail (instead of hanging) if it blocks for 10 s."""
    result: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: result.append(action()), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "gusp bloqué sur un fichier spécial"
    return result[0]


@needs_symlinks
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="/dev/zero absent")
def test_symlink_to_an_endless_device(run: Runner) -> None:
    def link(repo: Path) -> None:
        (repo / "charter-data/acteurs.yaml").unlink()
        (repo / "charter-data/acteurs.yaml").symlink_to("/dev/zero")

    # Refused before any read: a link out of the repository (rule lien_exterieur), without blocking.
    code, out, err = _in_thread(lambda: run(prepare=link))
    assert (code, err) == (1, "")
    assert out.startswith("charter-data/acteurs.yaml: erreur: lien symbolique vers /dev/zero, hors du "
                          "dépôt de charte : refusé (copiez le fichier dans le dépôt) [lien_exterieur]\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés : POSIX")
def test_named_pipe_does_not_block(run: Runner) -> None:
    def pipe(repo: Path) -> None:
        (repo / Q).unlink()
        os.mkfifo(repo / Q)

    assert _in_thread(lambda: run(prepare=pipe)) == (1, ILLISIBLE.format(Q, NOT_REGULAR) + NOT_LOADED, "")


# --------------------------------------------------------------------------- JSON output

HOSTILE_YAML = (r'"Guillemets \" et \\ barre\ttab « » 🚧 \u202Egauche\u200F \L fin </script> {{x}} [/b] '
                r':warning:"')
HOSTILE = 'Guillemets " et \\ barre\ttab « » 🚧 \u202egauche\u200f \u2028 fin </script> {{x}} [/b] :warning:'


@pytest.mark.parametrize("args", [
    ("actions", "--format", "json"),
    ("export", "--format", "json"),
    ("show", "CEN-001", "--format", "json"),
    ("overdue", "--as-of", AS_OF, "--format", "json"),
], ids=lambda a: a[0])
def test_json_output_with_hostile_labels(run: Runner, args: tuple[str, ...]) -> None:
    content = q(L12, f"libelle: {HOSTILE_YAML}").replace("nom: Cité du Stade", f"nom: {HOSTILE_YAML}")
    code, out, err = run({Q: content}, *args)
    data = json.loads(out)
    first = data["actions"][0] if "actions" in data else data
    assert (code, err) == (0, "")
    assert first["libelle"] == HOSTILE


def test_validate_json_with_hostile_values_in_messages(run: Runner) -> None:
    content = q(DATE_LINE, DATE_LINE + f"        statut: {HOSTILE_YAML}\n")
    code, out, _ = run({Q: content}, "validate", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["valide"] is False
    assert report["problemes"][0]["message"] == (
        f"valeur « {HOSTILE} » invalide pour « statut » (valeurs possibles : a_faire, en_cours, realisee, "
        "abandonnee, reportee)")
    assert (report["problemes"][0]["ligne"], report["problemes"][0]["colonne"]) == (20, 17)


def test_table_output_prints_markup_and_emoji_codes_as_written(run: Runner) -> None:
    content = q(L12, 'libelle: "[/b] [bold]gras :warning:"')
    code, out, _ = run({Q: content}, "actions")
    assert code == 0 and "[/b] [bold]gras :warning:" in out


# =========================================================================== issue 14: hardening
# Each section is one family of the red-team pass: the listed case, then variants of it.

# --------------------------------------------------------------------------- writes to named paths

AS_OF_CALL = "2026-11-25"
WITHOUT_AS_OF = frozenset({"status", "amend", "add", "import", "validate", "fmt", "init", "schema"})
"""The commands that judge against today and take no ``--as-of`` (the edits date with ``--date``)."""
ROOT_CASES = Path(__file__).resolve().parent / "cases"
OUTPUT_COMMANDS = [
    pytest.param(("export", "--format", "json"), id="export-json"),
    pytest.param(("export", "--format", "csv"), id="export-csv"),
    pytest.param(("export", "--format", "xlsx"), id="export-xlsx"),
    pytest.param(("export", "--format", "ics"), id="export-ics"),
    pytest.param(("review", "--format", "md"), id="review-md"),
    pytest.param(("review", "--format", "html"), id="review-html"),
    pytest.param(("calendar", "--format", "ics"), id="calendar-ics"),
    pytest.param(("agenda", "copil"), id="agenda"),
    pytest.param(("insertion", "--format", "md"), id="insertion-md"),
    pytest.param(("insertion", "--format", "xlsx"), id="insertion-xlsx"),
    pytest.param(("tfpb", "--format", "xlsx"), id="tfpb-xlsx"),
    pytest.param(("tfpb", "--format", "md"), id="tfpb-md"),
    pytest.param(("evaluation", "--format", "csv"), id="evaluation-csv"),
]


@pytest.fixture
def call_repo(embedded_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the pinned CALL charter, as the working directory."""
    monkeypatch.chdir(embedded_copy)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return embedded_copy


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_into_charter_data_is_refused_unless_forced(call_repo: Path, gusp: Runner,
                                                           command: tuple[str, ...]) -> None:
    target = call_repo / "charter-data/quartiers/avion.yaml"
    before = target.read_bytes()
    code, out, err = gusp(*command, "--as-of", AS_OF_CALL, "-o", "charter-data/quartiers/avion.yaml")
    assert (code, out) == (2, "")
    assert err == ("gusp : erreur : écriture refusée : charter-data/quartiers/avion.yaml est dans les "
                   f"données de la charte ({call_repo / 'charter-data'}) ; choisissez un autre fichier (ou "
                   "ajoutez --force si c'est voulu)\n")
    assert target.read_bytes() == before


def test_output_into_charter_data_with_force_is_written(call_repo: Path, gusp: Runner) -> None:
    code, _, _ = gusp("export", "--as-of", AS_OF_CALL, "-o", "charter-data/export.json", "--force")
    assert code == 0 and json.loads((call_repo / "charter-data/export.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("relative", [".git/config", ".git/hooks/pre-commit"])
def test_output_into_the_git_folder_is_refused(call_repo: Path, gusp: Runner, relative: str) -> None:
    (call_repo / ".git/hooks").mkdir(parents=True)
    code, _, err = gusp("export", "--as-of", AS_OF_CALL, "-o", relative)
    assert code == 2 and "dans le dossier git" in err
    assert not (call_repo / relative).exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés : POSIX")
@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_to_a_named_pipe_is_streamed_and_the_pipe_stays(call_repo: Path, gusp: Runner,
                                                               command: tuple[str, ...]) -> None:
    fifo = call_repo / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = gusp(*command, "--as-of", AS_OF_CALL, "-o", "tube")
    reader.join(10)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and received and len(received[0]) > 100


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod : root seulement")
@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_to_a_character_device_leaves_the_device(call_repo: Path, gusp: Runner,
                                                        command: tuple[str, ...]) -> None:
    null = call_repo / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own: never the real one
    link = call_repo / "sortie"
    link.symlink_to(null)
    for target in ("null", "sortie"):
        code, _, err = gusp(*command, "--as-of", AS_OF_CALL, "-o", target)
        assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.path.islink(link)


@pytest.mark.parametrize("target", ["dossier", "charter-data"])
def test_output_to_a_directory_is_refused(call_repo: Path, gusp: Runner, target: str) -> None:
    (call_repo / "dossier").mkdir()
    code, _, err = gusp("export", "--as-of", AS_OF_CALL, "-o", target)
    assert code == 2 and ("est un dossier, pas un fichier" in err or "données de la charte" in err)


def test_schema_and_init_refuse_the_charter_data(call_repo: Path, gusp: Runner) -> None:
    code, _, err = gusp("schema", "-o", "charter-data/schemas")
    assert code == 2 and "données de la charte" in err
    assert not (call_repo / "charter-data/schemas").exists()
    code, _, err = gusp("init", "charter-data/nouvelle")
    assert code == 2 and "création refusée" in err
    assert not (call_repo / "charter-data/nouvelle").exists()


def _console(*args: str, cwd: Path, shell_tail: str = "", env: dict[str, str] | None = None,
             ) -> subprocess.CompletedProcess[bytes]:
    """Run the ``gusp`` console script (:func:`gusp_cli.cli.entry.main`) through a shell."""
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "gusp_cli", *args])
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command} {shell_tail}"], cwd=cwd,
                          capture_output=True, env={**os.environ, **(env or {})}, check=False)


def test_output_to_dev_stdout_is_the_standard_output(call_repo: Path) -> None:
    done = _console("export", "--as-of", AS_OF_CALL, "-o", "/dev/stdout", cwd=call_repo, shell_tail="| cat")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["actions"]) == 175
    done = _console("export", "--format", "csv", "--as-of", AS_OF_CALL, "-o", "/dev/stdout",
                    cwd=call_repo, shell_tail="> sortie.csv")
    assert done.returncode == 0 and (call_repo / "sortie.csv").read_bytes().count(b"\r\n") == 176


# --------------------------------------------------------------------------- output streams


def test_a_closed_stdout_is_a_french_error(call_repo: Path) -> None:
    done = _console("overdue", "--as-of", AS_OF_CALL, cwd=call_repo, shell_tail=">&-")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode() == ("gusp : erreur : écriture de la sortie impossible : la sortie est "
                                    "fermée (>&-)\n")


@pytest.mark.parametrize(("args", "tail", "code"), [
    pytest.param(("export", "-o", "x.json"), ">&-", 0, id="export-o-sans-stdout"),
    pytest.param(("--help",), ">&-", 2, id="aide-sans-stdout"),
    pytest.param(("overdue", "-q", "nulle-part"), "2>&-", 2, id="erreur-sans-stderr"),
    pytest.param(("overdue",), "<&-", 0, id="sans-stdin"),
    pytest.param(("validate",), ">&- 2>&-", 2, id="aucun-flux"),
])
def test_closed_standard_streams_variants(call_repo: Path, args: tuple[str, ...], tail: str,
                                          code: int) -> None:
    done = _console(*args, "--as-of", AS_OF_CALL, cwd=call_repo, shell_tail=tail)
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr and b"erreur interne" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full absent")
@pytest.mark.parametrize("args", [
    ("overdue",), ("overdue", "-q", "avion", "--format", "json"), ("--version",), ("show", "LEN-004"),
    ("export", "--format", "csv"), ("--help",), ("overdue", "--help"),
], ids=lambda a: " ".join(a))
def test_a_full_disk_on_stdout_says_disque_plein(call_repo: Path, args: tuple[str, ...]) -> None:
    for _ in range(2):  # a help is answered from the cache the second time
        done = _console(*args, *(("--as-of", AS_OF_CALL) if "-" not in args[0] else ()), cwd=call_repo,
                        shell_tail="> /dev/full")
        assert done.returncode == 2
        assert done.stderr.decode() == "gusp : erreur : écriture de la sortie impossible : disque plein\n"


@pytest.mark.parametrize("args", [
    ("actions",), ("actions", "--format", "json"), ("export", "--format", "csv"), ("validate",),
    ("review",), ("--help",), ("show", "LEN-004"),
], ids=lambda a: " ".join(a))
def test_a_closed_pipe_ends_quietly_with_success(call_repo: Path, args: tuple[str, ...]) -> None:
    extra = ("--as-of", AS_OF_CALL) if args[0] != "--help" and args[0] not in WITHOUT_AS_OF else ()
    for _ in range(2):
        done = _console(*args, *extra, cwd=call_repo, shell_tail="| head -c 10 >/dev/null")
        assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_an_output_encoding_without_french_letters_degrades(call_repo: Path, encoding: str) -> None:
    for args in (("overdue", "-q", "avion"), ("show", "LEN-004"), ("overdue", "-q", "lievn")):
        done = _console(*args, "--as-of", AS_OF_CALL, cwd=call_repo, env={"PYTHONIOENCODING": encoding})
        assert done.returncode in (0, 2) and b"Traceback" not in done.stderr
        assert b"erreur interne" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    done = _console("overdue", "-q", "avion", "--as-of", AS_OF_CALL, cwd=call_repo,
                    env={"PYTHONIOENCODING": encoding})
    assert b"renseigner au 25 novembre 2026" in done.stdout


@pytest.mark.parametrize("args", [("overdue",), ("validate",), ("fmt", "--check"), ("init", "nouvelle")])
def test_a_deleted_working_directory_is_a_french_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    gone = tmp_path / "parti"
    gone.mkdir()
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "gusp_cli", *args])
    done = subprocess.run(["bash", "-c", f"cd {shlex.quote(str(gone))} && rmdir {shlex.quote(str(gone))} "
                           f"&& {command}"], capture_output=True, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith("gusp : erreur : le dossier courant n'existe plus")


def test_sigterm_during_an_edit_leaves_no_lock(call_repo: Path, gusp: Runner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from gusp_cli.track import edits

    target = call_repo / "charter-data/quartiers/avion.yaml"
    before = target.read_bytes()
    real = edits.plan_status

    def killed(*args: Any, **kwargs: Any) -> Any:
        assert (call_repo / "charter-data/quartiers/avion.yaml.lock").exists()
        os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(edits, "plan_status", killed)
    code, _, err = gusp("status", "AVI-005", "en_cours")
    assert (code, err) == (143, "gusp : erreur : interrompu (SIGTERM)\n")
    assert not (call_repo / "charter-data/quartiers/avion.yaml.lock").exists()
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- terminal escapes

ESCAPES = ("\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;http://evil.example\x1b\\lien\x1b]8;;\x1b\\",
           "\x1b]0;titre\x07", "\x1b[2J", "\u202egauche", "\x9b2J", "\r\x1b[1A")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_history(tmp_path: Path) -> Path:
    """The base charter in git, with a commit whose author and subject hold terminal escapes."""
    from tests.scripted_git import QUARTIER, build_history, edit, git_env

    root = tmp_path / "depot"
    build_history(root)
    edit(root, QUARTIER, '        echeance: "2026"\n', '        echeance: "2027"\n')
    env = {**git_env(6), "GIT_AUTHOR_NAME": "Pirate " + ESCAPES[0] + ESCAPES[4]}
    subprocess.run(["git", "-C", str(root), "commit", "-qam", "Sujet " + "".join(ESCAPES)], env=env,
                   check=True, capture_output=True)
    return root


@pytest.mark.parametrize("args", [("log", "CEN-001"), ("show", "CEN-001", "--as-of", AS_OF_CALL),
                                  ("diff", "HEAD~1", "--format", "text")], ids=lambda a: a[0])
def test_git_metadata_never_reaches_the_terminal_raw(hostile_history: Path, gusp: Runner,
                                                      args: tuple[str, ...]) -> None:
    code, out, err = gusp(*args, "--charter", str(hostile_history))
    assert code == 0, err
    assert UNSAFE.search(out + err) is None
    if args[0] != "diff":
        assert "␛]52;c;ZXZpbA==␇" in out and "<U+202E>" in out


@pytest.mark.parametrize("value", ESCAPES)
def test_arguments_echoed_in_errors_are_made_visible(call_repo: Path, gusp: Runner, value: str) -> None:
    for args in (("overdue", "-q", value), ("show", value), ("log", value), ("fmt", value),
                 ("overdue", "--as-of", value), ("import", value + ".csv")):
        code, out, err = gusp(*args)
        assert code in (1, 2) and UNSAFE.search(out + err) is None, args


def _on_terminal(args: tuple[str, ...], cwd: Path) -> bytes:
    """What a user sees: the console script with stdout on a pseudo-terminal."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "gusp_cli", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "200"})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    child.wait()
    return b"".join(chunks)


def test_a_terminal_gets_labels_with_bidi_overrides_made_visible(call_repo: Path) -> None:
    path = call_repo / "charter-data/quartiers/avion.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "libelle: \"Gestion des dépôts sauvages et de la propreté : Equipes",
        "libelle: \"\u202eGestion des dépôts sauvages et de la propreté : Equipes"), encoding="utf-8")
    for args in (("overdue", "-q", "avion"), ("show", "AVI-005"), ("actions", "-S", "fouad")):
        seen = _on_terminal((*args, "--as-of", AS_OF_CALL), call_repo).decode()
        assert "<U+202E>Gestion des dépôts" in seen and "\u202e" not in seen
        assert "\x1b[" in seen or args[0] == "show"  # rich still colours the table


# --------------------------------------------------------------------------- Markdown for PR comments

HOSTILE_MD = ("[clic](javascript:alert(1)) ![x](http://evil.example/p.png) @everyone @org/team #1 **gras** "
              "<img src=x> ~~barre~~ $x$ www.evil.example a@b.fr !2 ~label %3 GH-4 `code` _it_")
"""What the red-team pass put in labels and motifs, and variants (GitLab references, autolinks)."""
MD_ACTIVE = ("@everyone", "@org", "#1", "!2", "~label", "%3", "GH-4", "www.evil", "http://evil", "a@b",
             "javascript:")


def _rendered(markdown: str) -> tuple[list[Any], str]:
    """The tokens of ``markdown`` rendered as GFM, and its text (invisible joiners removed)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")

    def walk(tokens: list[Any]) -> Any:
        for token in tokens:
            yield token
            yield from walk(token.children or [])

    tokens = list(walk(parser.parse(markdown)))
    return tokens, "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _assert_inert(markdown: str) -> None:
    tokens, text = _rendered(markdown)
    ours = {"<br>", "<sub>", "</sub>"}  # gusp's own line breaks and footer
    marker = "<!-- gusp diff -->\n"  # gusp's own mark of its pull-request comment
    assert not [t for t in tokens if t.type in ("link_open", "image", "s_open")
                or (t.type == "html_block" and t.content != marker)
                or (t.type == "html_inline" and t.content not in ours)]
    inside_strong, depth = [], 0
    for token in tokens:
        depth += {"strong_open": 1, "strong_close": -1, "em_open": 1, "em_close": -1}.get(token.type, 0)
        if depth and token.type == "text":
            inside_strong.append(token.content)
    assert not any(word in "".join(inside_strong) for word in ("gras", "barre", "it"))
    assert not any(word in text for word in MD_ACTIVE), [w for w in MD_ACTIVE if w in text]
    assert "[clic](javascript\u200d:alert(1))" in text.replace("\\", "")  # it reads as written


@pytest.fixture
def hostile_md_repo(tmp_path: Path) -> Path:
    """The governance charter in git; then a commit putting the hostile text in a label, a motif, a
    decision and a party's name."""
    from tests.scripted_git import commit_all, edit, git

    root = tmp_path / "depot"
    shutil.copytree(ROOT_CASES / "base", root)
    shutil.copytree(ROOT_CASES / "gouvernance" / "charter-data", root / "charter-data", dirs_exist_ok=True)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    commit_all(root, "init", 1)
    quartier = Path("charter-data/quartiers/centre.yaml")
    yaml_text = HOSTILE_MD.replace("\\", "\\\\").replace('"', '\\"')
    edit(root, quartier, 'libelle: "Tour de quartier mensuel"', f'libelle: "{yaml_text}"')
    edit(root, quartier, '        echeance: "2021"\n', '        echeance: "2026"\n        suivi:\n'
         f'          - date: 2025-03-01\n            champ: echeance\n            ancienne_valeur: "2021"\n'
         f'            motif: "{yaml_text}"\n')
    edit(root, Path("charter-data/reunions.yaml"), '"Relancer le tour de quartier mensuel avec le bailleur"',
         f'"{yaml_text}"')
    commit_all(root, "hostile", 2)
    return root


@pytest.mark.parametrize("args", [
    ("diff", "HEAD~1", "--format", "md"),
    ("review", "--format", "md", "--as-of", AS_OF_CALL, "--year", "2025"),
    ("agenda", "technique", "--as-of", AS_OF_CALL),
    ("actions", "--format", "md", "--as-of", AS_OF_CALL),
    ("upcoming", "--format", "md", "--as-of", AS_OF_CALL, "--within", "400"),
    ("who", "--format", "md", "--as-of", AS_OF_CALL, "--acteur", "ville"),
], ids=lambda a: a[0])
def test_markdown_from_user_text_is_inert(hostile_md_repo: Path, gusp: Runner, args: tuple[str, ...]) -> None:
    code, out, err = gusp(*args, "--charter", str(hostile_md_repo))
    assert code == 0, err
    assert "[clic]" in out.replace("\\", "")  # the label is there
    _assert_inert(out)


# --------------------------------------------------------------------------- spreadsheet formulas

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", " =1+1", "\uff1d1+1", "\n=1+1", "\uff0b1",
            '=HYPERLINK("http://evil.example","x")']
"""Labels the reader accepts that a spreadsheet would evaluate (a carriage return is refused by the
reader; :func:`tests.exchange.test_formats` covers it)."""


@pytest.mark.parametrize("label", FORMULAS)
def test_csv_and_xlsx_cells_never_start_a_formula(call_repo: Path, gusp: Runner, label: str) -> None:
    import csv as csv_module
    import io as io_module

    from openpyxl import load_workbook

    path = call_repo / "charter-data/quartiers/avion.yaml"
    escaped = label.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    escaped = escaped.replace("\n", "\\n")
    text = path.read_text(encoding="utf-8")
    old = ('"Gestion des dépôts sauvages et de la propreté : Equipes dédiées de l’association El Fouad, '
           'dans le cadre de la TFPB"')
    path.write_text(text.replace(old, f'"{escaped}"'), encoding="utf-8")
    code, out, err = gusp("export", "--format", "csv", "--as-of", AS_OF_CALL, "-q", "avion")
    assert code == 0, err
    rows = {r["id"]: r for r in csv_module.DictReader(io_module.StringIO(out.lstrip("\ufeff"), newline=""),
                                                     delimiter=";")}
    assert rows["AVI-005"]["libelle"] == "'" + label
    code, _, err = gusp("export", "--format", "xlsx", "--as-of", AS_OF_CALL, "-o", "suivi.xlsx")
    assert code == 0, err
    sheet = load_workbook(call_repo / "suivi.xlsx")["Avion"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == label)
    assert cell.data_type == "s" and cell.quotePrefix
    code, out, _ = gusp("import", "suivi.xlsx", "--dry-run")
    assert code == 0 and "colonne en lecture seule" not in out  # read back as written


# --------------------------------------------------------------------------- commands suggested to paste


@pytest.mark.parametrize("name", ["weird$(touch PWN5)", "avec espace", "l'apostrophe", "`id`", "-tiret",
                                  "a;b", "x\ny"])
def test_init_quotes_the_folder_in_the_suggested_commands(tmp_path: Path, gusp: Runner,
                                                          monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = gusp("init", "--", name)
    assert code == 0, err
    typed = f"./{name}" if name.startswith("-") else name
    assert f"\n  cd {shlex.quote(typed)}\n" in out
    assert not (tmp_path / "PWN5").exists()


# --------------------------------------------------------------------------- bounds on work


def _big_label(repo: Path, size: int) -> Path:
    """Give AVI-005 a label of ``size`` characters; return its file."""
    path = repo / "charter-data/quartiers/avion.yaml"
    text = path.read_text(encoding="utf-8")
    old = ('"Gestion des dépôts sauvages et de la propreté : Equipes dédiées de l’association El Fouad, '
           'dans le cadre de la TFPB"')
    path.write_text(text.replace(old, '"' + "mot " * (size // 4) + '"', 1), encoding="utf-8")
    return path


def test_fmt_applies_the_readers_size_limit(call_repo: Path, gusp: Runner) -> None:
    path = call_repo / "charter-data/quartiers/avion.yaml"
    with path.open("ab") as handle:
        handle.write(b"# " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")
    before = path.stat().st_size
    code, _, err = gusp("fmt")
    assert code == 1 and f"fichier trop volumineux ({before} octets ; limite {MAX_FILE_BYTES} octets)" in err
    assert not (call_repo / "charter-data/quartiers/avion.yaml.lock").exists()
    code, _, err = gusp("status", "AVI-006", "en_cours")
    assert code == 1 and "fichier trop volumineux" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés : POSIX")
def test_fmt_on_a_named_pipe_or_a_device_does_not_block(call_repo: Path, gusp: Runner) -> None:
    os.mkfifo(call_repo / "tube.yaml")
    for target in ("tube.yaml", "/dev/zero"):
        code, _, err = _in_thread(lambda target=target: gusp("fmt", target))  # type: ignore[misc]
        assert code == 1 and "ce n'est pas un fichier ordinaire" in err


def test_a_killed_fmt_leaves_no_lock(call_repo: Path) -> None:
    import signal

    path = _big_label(call_repo, 12_000_000)  # seconds of formatting (ruamel is pure Python)
    child = subprocess.Popen([sys.executable, "-m", "gusp_cli", "fmt"], cwd=call_repo,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert not (path.parent / "avion.yaml.lock").exists()


def test_sigterm_during_fmt_leaves_no_lock_and_the_file(call_repo: Path, gusp: Runner,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from gusp_cli.store import roundtrip

    path = call_repo / "charter-data/quartiers/lens.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # something to reformat
    before = path.read_bytes()
    real = roundtrip.house_style

    def killed(source: Any) -> str:
        os.kill(os.getpid(), signal.SIGTERM)
        return real(source)

    monkeypatch.setattr(roundtrip, "house_style", killed)
    code, _, err = gusp("fmt")
    assert code == 143 and err.endswith("gusp : erreur : interrompu (SIGTERM)\n")
    assert path.read_bytes() == before and not list(path.parent.glob("*.lock"))


def test_concurrent_edits_of_one_file_wait_for_each_other(call_repo: Path) -> None:
    ids = [f"AVI-{n:03d}" for n in range(5, 13)]
    children = [subprocess.Popen([sys.executable, "-m", "gusp_cli", "status", action, "en_cours"],
                                 cwd=call_repo, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, env={**os.environ, "GUSP_LOCK_TIMEOUT": "60"})
                for action in ids]
    results = [(child.wait(), child.stderr.read() if child.stderr else b"") for child in children]
    assert results == [(0, b"")] * len(ids)
    charter = load(call_repo)
    assert all(charter.by_id[action].action.statut is not None for action in ids)
    assert not list((call_repo / "charter-data/quartiers").glob("*.lock"))


# --------------------------------------------------------------------------- one problem, one message

AVION = "charter-data/quartiers/avion.yaml"
TYPO = "charter-data/quartiers/avion.yaml:339:17: erreur: valeur « en cours » invalide pour « statut » — " \
       "vouliez-vous dire « en_cours » ? (valeurs possibles : a_faire, en_cours, realisee, abandonnee, " \
       "reportee) [schema]"


def _insert_after(repo: Path, relative: str, anchor: str, line: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, anchor
    path.write_text(text.replace(anchor, anchor + line), encoding="utf-8")


AVI_005_END = '        responsables: [bailleur, el_fouad]\n        echeance: "2018"\n'


def test_a_typo_in_one_action_does_not_hide_its_quartier(call_repo: Path, gusp: Runner) -> None:
    clean = gusp("validate")[1].splitlines()
    _insert_after(call_repo, AVION, AVI_005_END, "        statut: en cours\n")
    code, out, _ = gusp("validate")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == TYPO
    assert lines[1:-1] == clean[:-1]  # the same warnings: nothing else is reported
    assert lines[-1] == "3 quartiers, 175 actions, 1 erreur, 5 avertissements"
    code, out, _ = gusp("validate", "--format", "json")
    report = json.loads(out)
    assert (report["quartiers"], report["actions"], report["erreurs"]) == (3, 175, 1)


def test_two_bad_actions_and_a_real_numbering_error_after_them(call_repo: Path, gusp: Runner) -> None:
    _insert_after(call_repo, AVION, AVI_005_END, "        statut: en cours\n")
    _insert_after(call_repo, AVION, '      - id: AVI-019\n        numero: 1\n', "        couleur: verte\n")
    path = call_repo / AVION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - id: AVI-037\n        numero: 2\n",
                                 "      - id: AVI-037\n        numero: 7\n"), encoding="utf-8")
    code, out, _ = gusp("validate")
    errors = [line for line in out.splitlines() if ": erreur: " in line]
    assert code == 1 and len(errors) == 3
    assert errors[0] == TYPO
    assert "clé inconnue « couleur »" in errors[1] and "[schema]" in errors[1]
    assert "action n° 7 à la position 2" in errors[2] and "[numerotation]" in errors[2]
    assert out.splitlines()[-1] == "3 quartiers, 175 actions, 3 erreurs, 5 avertissements"


@pytest.fixture
def gov_repo(gov: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(gov)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return gov


def test_an_invalid_action_named_by_a_meeting_is_not_also_unknown(gov_repo: Path, gusp: Runner) -> None:
    _insert_after(gov_repo, "charter-data/quartiers/centre.yaml", 'libelle: "Tour de quartier mensuel"\n',
                  "        statut: fait\n")
    code, out, _ = gusp("validate")
    errors = [line for line in out.splitlines() if ": erreur: " in line]
    assert code == 1 and len(errors) == 1 and "valeur « fait » invalide pour « statut »" in errors[0]


def test_a_quartier_file_that_does_not_load_causes_no_unknown_quartier(gov_repo: Path, gusp: Runner) -> None:
    path = gov_repo / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("commune: Centre", "commune: [Centre]", 1),
                    encoding="utf-8")
    code, out, _ = gusp("validate")
    errors = [line for line in out.splitlines() if ": erreur: " in line]
    assert code == 1 and len(errors) == 1 and "« commune » doit être un texte" in errors[0], out
    assert "inconnu" not in out


def test_an_edit_names_the_invalid_action_or_the_file_that_does_not_load(call_repo: Path,
                                                                         gusp: Runner) -> None:
    _insert_after(call_repo, AVION, AVI_005_END, "        statut: en cours\n")
    code, _, err = gusp("status", "AVI-005", "en_cours")
    assert code == 1 and err == ("gusp : erreur : action « AVI-005 » invalide dans la charte ; corrigez-la "
                                 f"(gusp validate) puis relancez :\n  {TYPO}\n")
    code, out, err = gusp("status", "AVI-006", "en_cours", "-n")
    assert code == 0, err  # the rest of the file stays editable
    code, out, _ = gusp("add", "-q", "avion", "-t", "1", "-l", "Nouvelle", "-r", "ville", "-n")
    assert code == 0 and "AVI-038" in out


@pytest.mark.parametrize(("change", "where"), [
    pytest.param(("        echeance: \"2018\"\n", "        echeance: \"2018\"\n        echeance: \"2019\"\n"),
                 ":339:9: erreur: clé « echeance » en double dans la même table [cle_dupliquee]",
                 id="cle-double"),
    pytest.param(("        responsables: [bailleur, el_fouad]\n", "        responsables: !!seq [bailleur]\n"),
                 ":337:23: erreur: étiquette YAML « !!seq » refusée", id="etiquette"),
    pytest.param(("        responsables: [bailleur, el_fouad]\n",
                  "        responsables: [bailleur, el_fouad\n"),
                 "erreur: syntaxe YAML", id="syntaxe"),
])
def test_an_edit_on_a_file_that_does_not_load_names_it(call_repo: Path, gusp: Runner,
                                                       change: tuple[str, str], where: str) -> None:
    path = call_repo / AVION
    text = path.read_text(encoding="utf-8")
    i = text.index(AVI_005_END)
    path.write_text(text[:i] + text[i:].replace(change[0], change[1], 1), encoding="utf-8")
    for args in (("status", "AVI-005", "en_cours"), ("amend", "AVI-006", "-e", "2030", "-m", "x"),
                 ("add", "-q", "avion", "-t", "1", "-l", "x", "-r", "ville")):
        code, _, err = gusp(*args)
        assert code == 1, args
        assert "introuvable : le fichier de ce quartier ne se charge pas" in err
        assert f"  {AVION} ne se charge pas :" in err and where in err, err
        assert "vouliez-vous dire" not in err


@pytest.mark.parametrize(("old", "new", "message"), [
    ('libelle: "Tour de quartier mensuel"', 'libelle:\t"Tour de quartier mensuel"',
     "19:17: erreur: syntaxe YAML : tabulation interdite hors des guillemets"),
    ('        echeance: "2021"\n', '        echeance:\t"2021"\n', "21:18: erreur: syntaxe YAML : tabulation"),
    ('        echeance: "2021"\n', '        echeance: "2021"\t\n',
     "21:25: erreur: syntaxe YAML : tabulation"),
    ('libelle: "Tour de quartier mensuel"', 'libelle: !!str "Tour de quartier mensuel"', "« !!str » refusée"),
    ('libelle: "Tour de quartier mensuel"', 'libelle: &a "Tour de quartier mensuel"', "ancre YAML « &a »"),
    ('        echeance: "2021"\n', '        echeance: "2021"\n        <<: {cout: 1}\n', "clé de fusion YAML"),
    ('        echeance: "2021"\n', '        echeance: "2021"\n        date_realisation: 2025-02-30\n',
     "date invalide « 2025-02-30 »"),
    ('        echeance: "2021"\n', '        echeance: "2021"\n        x: ' + "[" * 100 + "]" * 100 + "\n",
     "imbrication trop profonde (plus de 64 niveaux)"),
    ('        numero: 1\n', '        numero: 1\n        numero: 2\n', "clé « numero » en double"),
])
def test_the_reader_and_the_editor_agree(base_charter: Path, gusp: Runner, monkeypatch: pytest.MonkeyPatch,
                                         old: str, new: str, message: str) -> None:
    """What validate refuses, fmt and the edits refuse with the same position; nothing is written."""
    monkeypatch.chdir(base_charter)
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    before = path.read_bytes()
    code, out, _ = gusp("validate")
    assert code == 1 and message in out
    for args in (("fmt",), ("fmt", "--check"), ("status", "CEN-002", "abandonnee")):
        code, out, err = gusp(*args)
        assert code == 1 and "déjà conforme(s)" not in err.splitlines()[-1].split(",")[-1], args
        assert message in err or message.split(": erreur: ")[-1] in err, (args, err)
        assert "found" not in err and "out of range" not in err
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- never « erreur interne »


@pytest.mark.parametrize(("args", "message"), [
    (("upcoming", "--within", "99999999999"),
     "valeur invalide pour --within / -w : 99999999999 est trop grand (au plus 36500)"),
    (("upcoming", "--within", "-5"), "valeur invalide pour --within / -w : -5 est trop petit (au moins 0)"),
    (("upcoming", "--within", "abc"),
     "valeur invalide pour --within / -w : « abc » n'est pas un nombre entier"),
    (("upcoming", "--within", "1e9"), "« 1e9 » n'est pas un nombre entier"),
    (("upcoming", "--within", "9" * 40), "est hors limites (au plus 36500)"),
    (("review", "--year", "abc"), "valeur invalide pour --year / -y : « abc » n'est pas un nombre entier"),
    (("review", "--year", "20 25"), "« 20 25 » n'est pas un nombre entier"),
    (("review", "--year", "99999"), "--year : année « 99999 » hors de la plage 1990–2100"),
    (("overdue", "--format", "csv", "--separateur", ""), "--separateur : «  » refusé"),
    (("overdue", "--format", "csv", "--separateur", ";;"), "--separateur : « ;; » refusé"),
    (("overdue", "--format", "csv", "--separateur", "ab"), "--separateur : « ab » refusé"),
    (("overdue", "--format", "csv", "--separateur", '"'), "--separateur : « \" » refusé"),
    (("overdue", "--format", "csv", "--separateur", "\n"), "--separateur : « \\n » refusé"),
    (("insertion", "--format", "csv", "--separateur", "xy"), "--separateur : « xy » refusé"),
    (("tfpb", "--format", "csv", "--separateur", "xy"), "--separateur : « xy » refusé"),
    (("tfpb", "--annee", "deux"), "valeur invalide pour --annee / -a : « deux » n'est pas un nombre entier"),
    (("tfpb", "--bailleur", "inconnu"), "--bailleur : « inconnu » inconnu ; choix possibles : "
                                        "maisons_et_cites, pas_de_calais_habitat, sia_habitat"),
    (("evaluation", "--format", "xlsx"), "--format"),
    (("overdue", "extra"), "argument en trop : extra"),
    (("overdue", "un", "deux"), "arguments en trop : un deux"),
    (("status", "AVI-005", "en_cours", "--date", "0001-01-01"),
     "--date : date 0001-01-01 invraisemblable : antérieure au 1er janvier 2014, 5 ans avant la période de "
     "la charte (2019–2030)"),
    (("amend", "AVI-005", "-e", "2030", "-m", "x", "--date", "1899-12-25"), "--date : date 1899-12-25 "
                                                                            "invraisemblable"),
    (("overdue", "--as-of", "1970-01-01"), "--as-of : date 1970-01-01 invraisemblable"),
    (("status", "AVI-005", "en_cours", "--date", "99999-01-01"), "--date : date invalide « 99999-01-01 »"),
])
def test_bad_input_is_a_french_usage_error(call_repo: Path, gusp: Runner, args: tuple[str, ...],
                                           message: str) -> None:
    before = (call_repo / AVION).read_bytes()
    extra = () if "--as-of" in args or args[0] in WITHOUT_AS_OF else ("--as-of", AS_OF_CALL)
    code, out, err = gusp(*args, *extra)
    assert (code, out) == (2, "")
    assert err.startswith("gusp : erreur : ") and message in err, err
    assert "Input should" not in err and "erreur interne" not in err
    assert (call_repo / AVION).read_bytes() == before


def test_a_tab_separator_can_be_asked_for(call_repo: Path, gusp: Runner) -> None:
    for typed in ("\t", "\\t", "tab"):
        code, out, _ = gusp("overdue", "--format", "csv", "--separateur", typed, "--as-of", AS_OF_CALL)
        assert code == 0 and out.lstrip("\ufeff").startswith("id\tquartier\t")


@pytest.mark.parametrize("raw", [b"caf\xe9", b"\xff", b"\xc3", "é".encode() + b"\xe9"])
def test_an_argument_that_is_not_utf8_is_named(call_repo: Path, raw: bytes) -> None:
    done = subprocess.run([sys.executable.encode(), b"-m", b"gusp_cli", b"status", b"AVI-005", b"en_cours",
                           b"--note", raw, b"--as-of", AS_OF_CALL.encode()], cwd=call_repo,
                          capture_output=True, check=False)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("gusp : erreur : argument « ")
    assert f"octet 0x{raw[-1]:02X} non UTF-8" in done.stderr.decode()
    assert b"chappement" not in done.stderr


def test_an_excel_date_cell_of_minus_5_is_refused(call_repo: Path, gusp: Runner) -> None:
    from openpyxl import load_workbook

    assert gusp("export", "--format", "xlsx", "--as-of", AS_OF_CALL, "-o", "suivi.xlsx")[0] == 0
    book = load_workbook(call_repo / "suivi.xlsx")
    sheet = book["Avion"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "AVI-005")
    row[headers.index("Statut")].value = "en cours"
    row[headers.index("Date")].value = -5  # the cell keeps its date format: 25 December 1899
    book.save(call_repo / "suivi.xlsx")
    code, out, _ = gusp("import", "suivi.xlsx")
    assert code == 1
    prefix = "    AVI-005  feuille « Avion », ligne "
    [refused] = [line for line in out.splitlines() if line.startswith(prefix)]
    assert refused.endswith(" : date 1899-12-25 invraisemblable : antérieure au 1er janvier 2014, 5 ans "
                            "avant la période de la charte (2019–2030) ; vérifiez l'année")
