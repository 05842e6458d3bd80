"""The review in PDF, printed by WeasyPrint (``gusp review -o revue.pdf``), read back with
poppler-utils (``pdfinfo``, ``pdftotext``) as a COPIL member holding the printout would: A4 pages,
a table of contents whose page numbers are the pages the chapters start on, each quartier on a new
page, table headers repeated, page numbers in the footer.

Without poppler-utils the test is skipped with the reason, except when ``CI`` is set: there a
missing tool fails the run (``make`` and ``.ci/run`` install it, and WeasyPrint's libraries).
"""

from __future__ import annotations

import builtins
import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]
AS_OF = dt.date(2026, 11, 25)
EXPECTED_PAGES = 37
"""Pages of the embedded charter's 2026 review as WeasyPrint 70 prints it on A4 (measured)."""
TOLERANCE = 4
"""Fonts and versions move a few rows across page ends; more means the layout broke."""
A4_POINTS = (595, 842)


def _tool(name: str) -> str:
    """The path of ``name``; skip (or fail under CI) when it is not installed."""
    found = shutil.which(name)
    if found:
        return found
    reason = f"{name} introuvable : installez poppler-utils (Debian) pour relire la revue en PDF"
    if os.environ.get("CI"):
        pytest.fail(f"CI : {reason}")
    pytest.skip(reason)


def pdf_pages(pdf: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext; ``layout``: as laid out, else in reading order)."""
    mode = ["-layout"] if layout else []
    out = subprocess.run([_tool("pdftotext"), *mode, "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields."""
    out = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def contents(pages: list[str]) -> dict[str, int]:
    """The table of contents: chapter title -> the page number it gives."""
    toc = next(p for p in pages if p.lstrip().startswith("Sommaire"))
    entries = re.findall(r"^\s*(?:\d+\.|Annexe [A-Z]\.)\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M)
    return {title: int(page) for title, page in entries}


def test_review_prints_to_pdf(gusp: Run, embedded_copy: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store.loader import load
    from gusp_cli.track.queries import overdue

    _tool("pdftotext")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    pdf = tmp_path / "revue-2026.pdf"
    code, _, err = gusp("review", "--as-of", AS_OF.isoformat(), "--year", "2026", "-o", str(pdf),
                        "--charter", str(embedded_copy))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF-")

    info = pdf_info(pdf)
    size = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert size and (round(float(size[1])), round(float(size[2]))) == A4_POINTS
    pages = pdf_pages(pdf)
    assert len(pages) == int(info["Pages"])
    assert abs(len(pages) - EXPECTED_PAGES) <= TOLERANCE, f"{len(pages)} pages"

    charter = load(embedded_copy)
    late = overdue(charter.entries, AS_OF)
    flat = [re.sub(r"\s+", " ", page).strip() for page in pages]
    text = " ".join(flat)
    assert re.search(rf"\b{len(late)} en retard au 25 novembre 2026", text)
    toc = contents(pages)
    assert len(toc) >= 10, toc
    for title, number in toc.items():  # each entry names the page its chapter starts on
        assert re.search(rf"(\d+|Annexe [A-Z])\. {re.escape(title)}", flat[number - 1]), (title, number)
    for quartier in charter.quartiers:
        count = sum(1 for e in late if e.quartier.id == quartier.id)
        assert f"Actions en retard au 25 novembre 2026 ({count})" in text
        start = flat[toc[quartier.nom] - 1]
        assert re.match(rf"\d+\. {re.escape(quartier.nom)} ", start), quartier.nom  # a new page
    assert flat[0].startswith("COMMUNAUTÉ D’AGGLOMÉRATION DE LENS-LIÉVIN Revue annuelle de gestion 2026")
    assert sum(1 for s in flat if s.startswith("Id Action")) >= 3  # headers repeated
    assert "Page 2 / " in text and f"Page {len(pages)} / {len(pages)}" in text


def test_missing_pango_names_the_debian_packages(gusp: Run, base_charter: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def without_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            print("WeasyPrint could not import some external libraries.")  # its banner, on stdout
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                          "object file: No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_pango)
    target = tmp_path / "revue.pdf"
    code, out, err = gusp("review", "-o", str(target), "--charter", str(base_charter))
    assert (code, out) == (2, "")
    assert "la revue en PDF a besoin de Pango" in err
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err and "Traceback" not in err
    assert not target.exists()
