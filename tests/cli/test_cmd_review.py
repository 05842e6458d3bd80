"""``gusp review`` end to end (in-process): golden files, output rules, escaping, overrides, errors."""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT

Run = Callable[..., tuple[int, str, str]]
GOLDEN = ROOT / "tests" / "golden"
ARGS = ("review", "--as-of", "2026-11-25", "--year", "2026")
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No charter from the environment; temporary charters are outside any git work tree."""
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    target = tmp_path / "depot"
    shutil.copytree(CASES / "base", target)
    return target


def check_golden(name: str, text: str, update: bool) -> None:
    """Compare with tests/golden/<name> exactly; rewrite it with ``pytest --update-cases``."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                 str(path), "obtenu"))[:60])
        pytest.fail(f"{name} differs from the golden file (refresh: pytest --update-cases):\n{diff}")


# ----------------------------------------------------------------------------- golden files


def test_golden_markdown(gusp: Run, embedded_copy: Path, update_cases: bool) -> None:
    code, out, err = gusp(*ARGS, "--charter", str(embedded_copy))
    assert (code, err) == (0, "")
    check_golden("review-2026.md", out, update_cases)


def test_golden_html(gusp: Run, embedded_copy: Path, tmp_path: Path, update_cases: bool) -> None:
    target = tmp_path / "revue.html"
    code, out, err = gusp(*ARGS, "--format", "html", "-o", str(target), "--charter", str(embedded_copy))
    assert (code, out) == (0, "")
    assert err.startswith(f"Revue 2026 écrite dans {target} (HTML, ")
    check_golden("review-2026.html", target.read_text(encoding="utf-8"), update_cases)


# ----------------------------------------------------------------------------- the embedded charter


def test_markdown_content_on_the_embedded_charter(gusp: Run, embedded_copy: Path) -> None:
    import datetime as dt

    from gusp_cli.store.loader import load
    from gusp_cli.track.queries import overdue

    charter = load(embedded_copy)
    late = overdue(charter.entries, dt.date(2026, 11, 25))
    code, out, _ = gusp(*ARGS, "--charter", str(embedded_copy))
    assert code == 0
    assert f"**{len(late)} en retard** au 25 novembre 2026" in out
    for quartier in charter.quartiers:
        group = [e for e in late if e.quartier.id == quartier.id]
        assert f"## {charter.quartiers.index(quartier) + 4}. {quartier.nom}\n" in out
        assert f"### Actions en retard au 25 novembre 2026 ({len(group)})" in out
    assert f"- Situation au{NBSP}: 25 novembre 2026" in out
    assert f"| Non renseigné | {len(charter.entries)} | 100{NNBSP}% |" in out
    assert "Historique git indisponible" in out
    assert "Aucun semestre d’insertion n’est enregistré jusqu’en 2026" in out
    assert "**Semestres dus non transmis" in out and "2019-S1, 2019-S2" in out
    # Figures we format take a narrow no-break space (the charter's own text is quoted as written).
    assert not re.search(r"\| \d+ %", out) and re.search(f"\\| \\d+{NNBSP}% \\|", out)


def test_markdown_tables_are_well_formed_gfm(gusp: Run, embedded_copy: Path) -> None:
    _, out, _ = gusp(*ARGS, "--charter", str(embedded_copy))
    tables = 0
    for block in re.split(r"\n\s*\n", out):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if len(lines) < 2 or not re.fullmatch(r"\|(:?-+:?\|)+", lines[1]):
            continue
        tables += 1
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, f"ragged table:\n{block[:400]}"
    assert tables >= 20


def test_quartier_filter(gusp: Run, embedded_copy: Path) -> None:
    code, out, _ = gusp(*ARGS, "--quartier", "république", "--charter", str(embedded_copy))
    assert code == 0
    assert f"- Périmètre{NBSP}: Avion – République\n" in out
    assert "## 3. Avion – République" in out and "Lens – Cité du 12/14" not in out


# ----------------------------------------------------------------------------- output rules


def test_html_refused_on_a_terminal(gusp: Run, base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = gusp(*ARGS, "-f", "html", "--charter", str(base))
    assert (code, out) == (2, "")
    assert "la revue HTML ne s'affiche pas dans un terminal : indiquez un fichier avec -o" in err
    assert "Traceback" not in err


def test_html_to_stdout_when_piped(gusp: Run, base: Path) -> None:
    code, out, _ = gusp(*ARGS, "-f", "html", "--charter", str(base))
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_what_the_words_file_could_add_is_said_with_the_file_written(gusp: Run, base: Path,
                                                                      tmp_path: Path) -> None:
    code, _, err = gusp(*ARGS, "-o", str(tmp_path / "revue.md"), "--charter", str(base))
    assert code == 0 and err.splitlines()[1] == (
        "charter-data/revues/2026.yaml pourrait y ajouter : la date, l’heure et le lieu de la séance qui "
        "examine la revue (seance) ; les faits marquants de l’année (faits_marquants) ; les perspectives "
        "(perspectives) ; des paragraphes libres par quartier (quartiers)")


def test_an_explicit_format_writes_any_file_name(gusp: Run, base: Path, tmp_path: Path) -> None:
    code, _, _ = gusp(*ARGS, "-f", "md", "-o", str(tmp_path / "revue.txt"), "--charter", str(base))
    assert code == 0 and (tmp_path / "revue.txt").read_text(encoding="utf-8").startswith("# Revue annuelle")


def test_format_follows_the_output_suffix(gusp: Run, base: Path, tmp_path: Path) -> None:
    code, _, _ = gusp(*ARGS, "-o", str(tmp_path / "revue.html"), "--charter", str(base))
    assert code == 0 and (tmp_path / "revue.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, _, _ = gusp(*ARGS, "-o", str(tmp_path / "revue.md"), "--charter", str(base))
    assert code == 0 and (tmp_path / "revue.md").read_text(encoding="utf-8").startswith("# Revue annuelle")


@pytest.mark.parametrize(("args", "message"), [
    (("-f", "odt"), "--format : valeur « odt » inconnue ; choix possibles : "),
    (("-o", "revue.odt"), "-o : extension « .odt » inconnue pour une revue ; extensions possibles : .md, "),
    (("-f", "md", "-o", "revue.pdf"), "--format md et -o revue.pdf se contredisent"),
    (("-f", "docx", "-o", "revue.html"), "--format docx et -o revue.html se contredisent"),
    (("--year", "1990"), "--year : l'année 1990 est hors de la période de la charte (2020–2030)"),
    (("--year", "2027"), "--year : l'année 2027 n'a pas commencé à la date de référence 2026-11-25"),
    (("--year", "1700"), "--year : année « 1700 » hors de la plage 1990–2100"),
    (("-q", "arras"), "--quartier : « arras » inconnu"),
    (("--templates", "absent"), "--templates : « absent » n'existe pas"),
    (("--as-of", "2026-02-30"), "--as-of : date invalide « 2026-02-30 »"),
])
def test_usage_errors(gusp: Run, base: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = gusp(*ARGS, *args, "--charter", str(base))
    assert (code, out) == (2, "")
    assert err.startswith("gusp : erreur : ") and message in err


def test_unwritable_output(gusp: Run, base: Path, tmp_path: Path) -> None:
    code, _, err = gusp(*ARGS, "-o", str(tmp_path / "absent" / "revue.md"), "--charter", str(base))
    assert code == 2 and "écriture impossible de" in err


# ----------------------------------------------------------------------------- escaping


@pytest.fixture
def hostile(base: Path) -> Path:
    """A charter whose strings try to inject markup, script and links."""
    quartier = base / "charter-data" / "quartiers" / "centre.yaml"
    text = quartier.read_text(encoding="utf-8")
    text = text.replace('libelle: "Tour de quartier mensuel"',
                        'libelle: "<script>alert(1)</script> | colonne\\nligne"')
    text = text.replace("nom: Centre – Quartier de la Gare", 'nom: "Centre <img src=x onerror=alert(2)>"')
    quartier.write_text(text, encoding="utf-8")
    charte = base / "charter-data" / "charte.yaml"
    charte.write_text(charte.read_text(encoding="utf-8").replace(
        "titre: Charte de test", 'titre: "javascript:alert(3)"'), encoding="utf-8")
    (base / "charter-data" / "reunions.yaml").write_text(
        "reunions:\n  - date: 2026-03-15\n    instance: copil\n    objet: \"</td><script>x</script>\"\n"
        "    compte_rendu: \" JavaScript:alert(4)\"\n", encoding="utf-8")
    return base


def test_html_escapes_everything_from_yaml(gusp: Run, hostile: Path) -> None:
    code, out, err = gusp(*ARGS, "-f", "html", "--charter", str(hostile))
    assert code == 0, err
    assert "<script" not in out and "<img" not in out
    assert not re.search(r"(href|src)=\"\s*javascript", out, re.IGNORECASE)
    assert "javascript:alert(3)</title>" in out  # shown as text, never as a link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "Centre &lt;img src=x onerror=alert(2)&gt;" in out
    assert "&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;" in out
    assert '<a href="#">compte rendu</a>' in out


def test_markdown_escapes_labels(gusp: Run, hostile: Path) -> None:
    code, out, _ = gusp(*ARGS, "--charter", str(hostile))
    assert code == 0
    assert "<script" not in out and "<img" not in out
    assert "| &lt;script&gt;alert(1)&lt;/script&gt; \\| colonne<br>ligne |" in out
    assert "| `JavaScript:alert(4)` |" in out and "](" not in out  # shown as code, never a link


def test_custom_template_link_goes_through_safe_url(gusp: Run, hostile: Path, tmp_path: Path) -> None:
    custom = tmp_path / "gabarits"
    custom.mkdir()
    (custom / "review.html.j2").write_text('<a href="{{ r.titre | safe_url }}">{{ r.titre }}</a>\n',
                                           encoding="utf-8")
    code, out, _ = gusp(*ARGS, "-f", "html", "--templates", str(custom), "--charter", str(hostile))
    assert (code, out) == (0, '<a href="#">javascript:alert(3)</a>\n')


# ----------------------------------------------------------------------------- templates


def test_charter_templates_override_the_cover_only(gusp: Run, base: Path, tmp_path: Path) -> None:
    partials = base / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "couverture.html.j2").write_text(
        '<header class="couverture"><p>Logo du partenaire</p><h1>Revue {{ r.annee }}</h1></header>\n',
        encoding="utf-8")
    code, out, _ = gusp(*ARGS, "-f", "html", "--charter", str(base))
    assert code == 0
    assert "<p>Logo du partenaire</p><h1>Revue 2026</h1>" in out and 'id="decisions"' in out
    other = tmp_path / "autres" / "partials"
    other.mkdir(parents=True)
    (other / "couverture.html.j2").write_text("<h1>Autre couverture</h1>\n", encoding="utf-8")
    code, out, _ = gusp(*ARGS, "-f", "html", "--templates", str(other.parent), "--charter", str(base))
    assert code == 0 and "<h1>Autre couverture</h1>" in out and "Logo du partenaire" not in out


def test_broken_template_changes_nothing_on_disk(gusp: Run, base: Path, tmp_path: Path) -> None:
    (base / "templates").mkdir()
    (base / "templates" / "review.md.j2").write_text("# Revue\n{{ r.annee }}\n{{ r.pas_de_champ }}\n",
                                                     encoding="utf-8")
    target = tmp_path / "revue.md"
    target.write_text("version précédente", encoding="utf-8")
    code, out, err = gusp(*ARGS, "-o", str(target), "--charter", str(base))
    assert (code, out) == (2, "")
    assert f"{(base / 'templates' / 'review.md.j2').resolve()}:3: variable indéfinie" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "version précédente"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".revue")) == []


# ----------------------------------------------------------------------------- HTML quality


class _Audit(HTMLParser):
    """Collect what the accessibility and self-containment checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.svg_children: list[list[str]] = []
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self._in_svg = True
            self.svg_children.append([])
        elif self._in_svg:
            self.svg_children[-1].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False


def test_html_is_self_contained_and_accessible(gusp: Run, embedded_copy: Path) -> None:
    code, out, _ = gusp(*ARGS, "-f", "html", "--charter", str(embedded_copy))
    assert code == 0
    audit = _Audit()
    audit.feed(out)
    names = [t for t, _ in audit.tags]
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    assert "@import" not in out and "url(" not in out
    assert set(re.findall(r"https?://[^\s\"'<>]+", out)) <= {"http://www.w3.org/2000/svg"}
    assert dict(audit.tags[0][1]) == {"lang": "fr"}
    assert audit.headings[0] == 1 and audit.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(audit.headings, audit.headings[1:], strict=False))
    ths = [attrs for tag, attrs in audit.tags if tag == "th"]
    assert ths and all(attrs.get("scope") in ("col", "row") for attrs in ths)
    svgs = [attrs for tag, attrs in audit.tags if tag == "svg"]
    assert len(svgs) == 3 * 4  # status, phase, overdue by party: whole charter and each quartier
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert all(children[:2] == ["title", "desc"] for children in audit.svg_children)
    assert out.count('class="quartier"') == 3
    assert "thead { display: table-header-group; }" in out
    assert "@page" in out and "size: A4" in out


# ----------------------------------------------------------------------------- a hostile template (issue 14)


@pytest.mark.parametrize(("source", "message"), [
    ("{{ (('a' * 10**4) ~ '') * 10**5 }}", "répétition de 10000 × 100000"),
    ("{% for i in range(10**9) %}x{% endfor %}", "argument 1000000000 trop grand"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "récursion trop profonde"),
    ("{{ r.annee / 0 }}", "erreur de gabarit (ZeroDivisionError"),
])
def test_a_template_from_the_repository_cannot_exhaust_gusp(gusp: Run, base: Path, source: str,
                                                            message: str) -> None:
    (base / "templates").mkdir()
    path = base / "templates" / "review.md.j2"
    path.write_text(source, encoding="utf-8")
    code, out, err = gusp(*ARGS, "--charter", str(base))
    assert (code, out) == (2, "")
    assert err.startswith(f"gusp : erreur : {path}:1: ") and message in err


def test_a_template_that_computes_too_long_is_stopped(gusp: Run, base: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.cli import cmd_review

    monkeypatch.setattr(cmd_review, "RENDER_SECONDS", 0.5)
    (base / "templates").mkdir()
    path = base / "templates" / "review.md.j2"
    path.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                    encoding="utf-8")
    code, _, err = gusp(*ARGS, "--charter", str(base))
    assert code == 2
    assert err.startswith(f"gusp : erreur : {path}:1: gabarit arrêté par le bac à sable : plus de 0.5 s de "
                          "calcul")
