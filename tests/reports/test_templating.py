"""The Jinja environment: search path, sandbox, strictness, escaping and the French filters."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from gusp_cli.model.errors import GuspError, UsageError
from gusp_cli.reports import templating
from gusp_cli.reports.templating import (
    build_environment,
    date_fr,
    euros,
    md,
    nombre,
    oui_non,
    pourcent,
    render,
    safe_url,
    search_path,
)
from tests.conftest import ROOT

NN = "\u202f"


# ----------------------------------------------------------------------------- filters


def test_date_fr() -> None:
    assert date_fr(dt.date(2026, 11, 25)) == "25 novembre 2026"
    assert date_fr(dt.date(2026, 1, 1)) == "1er janvier 2026"
    assert date_fr(None) == ""


@pytest.mark.parametrize(("value", "expected"), [
    (12000, f"12{NN}000"), (0, "0"), (2886, f"2{NN}886"), (1234.5, f"1{NN}234,5"),
    (12.25, "12,25"), (-1500, f"-1{NN}500"), (7.0, "7"), (None, ""),
])
def test_nombre(value: float | None, expected: str) -> None:
    assert nombre(value) == expected


def test_euros_never_turns_a_missing_cost_into_zero() -> None:
    assert euros(12000) == f"12{NN}000{NN}€"
    assert euros(1250.5) == f"1{NN}250,50{NN}€"
    assert euros(0) == f"0{NN}€"
    assert euros(None) == ""


def test_pourcent() -> None:
    assert pourcent(37, 100) == f"37{NN}%"
    assert pourcent(1, 3) == f"33{NN}%"
    assert pourcent(0, 0) == "—"
    assert pourcent(10) == f"10{NN}%"
    assert pourcent(12.5) == f"12,5{NN}%"
    assert pourcent(None) == ""


def test_md_escapes_table_breakers() -> None:
    assert md("a | b") == "a \\| b"
    assert md("ligne 1\nligne 2") == "ligne 1<br>ligne 2"
    assert md("<script>") == "&lt;script&gt;"
    assert md(None) == ""


def test_oui_non_keeps_blank() -> None:
    assert (oui_non(True), oui_non(False), oui_non(None)) == ("oui", "non", "")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://exemple.fr/x", "jar:http://x!/", None,
])
def test_safe_url_refuses_dangerous_schemes(url: str | None) -> None:
    assert safe_url(url) == "#"


@pytest.mark.parametrize("url", [
    "https://exemple.fr/cr.pdf?a=1&b=2", "http://exemple.fr", "mailto:gusp@exemple.fr",
    "comptes-rendus/copil-2026.pdf", "#decisions", "/docs/cr.pdf",
])
def test_safe_url_keeps_web_links_and_relative_paths(url: str) -> None:
    assert safe_url(url) == url


# ----------------------------------------------------------------------------- environment


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_autoescape_covers_html_templates_only(tmp_path: Path) -> None:
    _write(tmp_path, "t.html.j2", "{{ v }}")
    _write(tmp_path, "t.md.j2", "{{ v }}")
    payload = "<script>alert(1)</script>"
    assert render("t.html.j2", {"v": payload}, [tmp_path]) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert render("t.md.j2", {"v": payload}, [tmp_path]) == payload


def test_strict_undefined_is_an_error_located_in_the_template(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.md.j2", "ligne 1\n{{ r.titre }}\n{{ r.inconnu }}\n")
    with pytest.raises(GuspError) as caught:
        render("t.md.j2", {"r": {"titre": "x"}}, [tmp_path])
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith(f"{path}:3: variable indéfinie dans le gabarit")


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.html.j2", "<p>\n{% if %}\n")
    with pytest.raises(GuspError) as caught:
        render("t.html.j2", {}, [tmp_path])
    assert caught.value.message.startswith(f"{path}:2: gabarit invalide")


def test_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    _write(tmp_path, "t.md.j2", "{{ r.__class__.__mro__ }}")
    with pytest.raises(GuspError) as caught:
        render("t.md.j2", {"r": "x"}, [tmp_path])
    assert "bac à sable" in caught.value.message


def test_sandbox_refuses_format_string_escape(tmp_path: Path) -> None:
    _write(tmp_path, "t.md.j2", "{{ '{0.__class__}'.format(r) }}")
    with pytest.raises(GuspError) as caught:
        render("t.md.j2", {"r": "x"}, [tmp_path])
    assert "bac à sable" in caught.value.message


def test_missing_template_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        render("absent.md.j2", {}, [tmp_path])
    assert "gabarit « absent.md.j2 » introuvable" in caught.value.message


def test_environment_is_sandboxed_and_strict(tmp_path: Path) -> None:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = build_environment([tmp_path])
    assert isinstance(env, SandboxedEnvironment)
    assert env.undefined is StrictUndefined
    assert {"date_fr", "nombre", "euros", "pourcent", "md", "safe_url"} <= set(env.filters)


# ----------------------------------------------------------------------------- search path


def test_search_path_order(tmp_path: Path) -> None:
    charter = tmp_path / "charte"
    (charter / "templates").mkdir(parents=True)
    extra = tmp_path / "autres"
    extra.mkdir()
    folders = search_path(charter, extra)
    assert folders == [extra.resolve(), (charter / "templates").resolve(),
                       templating.default_templates_dir()]
    assert search_path(tmp_path / "sans-gabarits") == [templating.default_templates_dir()]


def test_override_wins_and_the_rest_is_inherited(tmp_path: Path) -> None:
    charter = tmp_path / "charte"
    extra = tmp_path / "autres"
    _write(charter / "templates", "a.md.j2", "charte {% include 'b.md.j2' %}")
    _write(charter / "templates", "b.md.j2", "b-charte")
    _write(extra, "b.md.j2", "b-autres")
    assert render("a.md.j2", {}, search_path(charter)) == "charte b-charte"
    assert render("a.md.j2", {}, search_path(charter, extra)) == "charte b-autres"


def test_search_path_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="n'existe pas"):
        search_path(None, tmp_path / "absent")
    (tmp_path / "fichier").write_text("x")
    with pytest.raises(UsageError, match="n'est pas un dossier"):
        search_path(None, tmp_path / "fichier")


def test_default_templates_ship_with_the_wheel() -> None:
    default = templating.default_templates_dir()
    assert default == ROOT / "templates"
    for name in ("review.md.j2", "review.html.j2", "partials/couverture.html.j2"):
        assert (default / name).is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["templates"] == "gusp_cli/_embedded/templates"


def test_embedded_fallback_when_not_beside_the_package(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import gusp_cli

    fake = tmp_path / "site" / "gusp_cli" / "__init__.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("")
    monkeypatch.setattr(gusp_cli, "__file__", str(fake))
    assert templating.default_templates_dir() == fake.parent.resolve() / "_embedded" / "templates"


def test_importing_templating_does_not_import_jinja() -> None:
    import subprocess
    import sys

    code = "import sys, gusp_cli.reports.templating, gusp_cli.reports.review; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- bounds (issue 14)


@pytest.mark.parametrize(("source", "message"), [
    ("{{ (('a'*10**4) ~ '') * 10**5 }}", "répétition de 10000 × 100000 (limite 20000000)"),
    ("{% for i in range(10**9) %}x{% endfor %}", "argument 1000000000 trop grand (limite 100000)"),
    ("{% for i in range(-100000, 100000) %}x{% endfor %}", "range() de plus de 100000 éléments"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "récursion trop profonde"),
    ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ d('ab', 40) }}",
     "valeur de 33554432 caractères ou éléments (limite 20000000)"),
    ("{{ 10 ** 100000 }}", "puissance 10 ** 100000 trop grande"),
    ("{{ 'x'|center(10**9) }}", "argument 1000000000 trop grand"),
    ("{{ 'x'.ljust(10**9) }}", "argument 1000000000 trop grand"),
    ("{{ '%1000000000s' % 'x' }}", "largeur de format trop grande"),
    ("{{ '{:>1000000000}'.format(1) }}", "valeur de 1000000000 caractères"),
    ("{{ [1] * 10**8 }}", "répétition de 1 × 100000000"),
    ("{{ (['x' * 100000] * 300)|join }}", "valeur de 30000000 caractères"),
])
def test_the_sandbox_bounds_what_a_template_may_ask(tmp_path: Path, source: str, message: str) -> None:
    path = _write(tmp_path, "t.md.j2", source)
    with pytest.raises(GuspError) as caught:
        render("t.md.j2", {}, [tmp_path])
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith(f"{path}:1: gabarit arrêté par le bac à sable : ")
    assert message in caught.value.message


def test_the_output_of_a_template_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.reports import templating

    monkeypatch.setattr(templating, "MAX_OUTPUT", 1000)
    _write(tmp_path, "t.md.j2", "{% for i in range(100) %}{{ 'x' * 20 }}{% endfor %}")
    with pytest.raises(GuspError, match="plus de 1000 caractères écrits"):
        render("t.md.j2", {}, [tmp_path])


@pytest.mark.parametrize(("source", "message"), [
    ("{{ 1 / 0 }}", "erreur de gabarit (ZeroDivisionError : division by zero)"),
    ("{{ 1 + 'a' }}", "erreur de gabarit (TypeError : "),
    ("{{ {}['x'] }}", "variable indéfinie dans le gabarit"),
])
def test_a_template_that_fails_is_a_french_error(tmp_path: Path, source: str, message: str) -> None:
    path = _write(tmp_path, "t.md.j2", source)
    with pytest.raises(GuspError) as caught:
        render("t.md.j2", {}, [tmp_path])
    assert caught.value.exit_code == 2 and caught.value.message.startswith(f"{path}:1: ")
    assert message in caught.value.message


def test_ordinary_arithmetic_and_formatting_still_work(tmp_path: Path) -> None:
    _write(tmp_path, "t.md.j2", "{{ 1 + 1 }} {{ 'ab' * 3 }} {{ '%s-%02d' % ('a', 3) }} {{ 'x'|center(5) }} "
                                "{{ 2 ** 10 }} {{ [1, 2] + [3] }}")
    assert render("t.md.j2", {}, [tmp_path]) == "2 ababab a-03   x   1024 [1, 2, 3]"
