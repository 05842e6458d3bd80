"""The HTML review printed to PDF by a real headless Chromium (Debian's ``chromium``).

Checks what a COPIL member holding the printout sees: A4 pages in the expected number, each
quartier starting on a new page, table headers repeated on the following pages, and the text
(quartier names, overdue counts) really in the PDF. Read back with poppler-utils (``pdfinfo``,
``pdftotext``).

Without Chromium or poppler-utils the test is skipped with the reason, except when ``CI`` is set:
there a missing tool fails the run (``.ci/run`` installs both).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]
AS_OF = dt.date(2026, 11, 25)
EXPECTED_PAGES = 27
"""Pages of the embedded charter's 2026 review as Chromium 156 prints it on A4 (measured)."""
TOLERANCE = 4
"""Fonts and Chromium versions move a few rows across page ends; more means the layout broke."""
A4_POINTS = (595, 842)


def _tool(*names: str) -> str:
    """The first of ``names`` on PATH; skip (or fail under CI) when none is installed."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = (f"{' / '.join(names)} introuvable : installez-le (Debian : apt-get install chromium "
              "poppler-utils) pour imprimer la revue en PDF")
    if os.environ.get("CI"):
        pytest.fail(f"CI : {reason}")
    pytest.skip(reason)


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    """Print ``html`` to ``pdf`` with headless Chromium (no network, no header/footer)."""
    chromium = _tool("chromium", "chromium-browser")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", html.as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("chromium n'a pas imprimé la revue en 180 s")
    assert pdf.is_file() and pdf.stat().st_size > 0, (
        f"chromium a échoué ({done.returncode}) :\n{done.stderr[-2000:]}")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, reading order)."""
    pdftotext = _tool("pdftotext")
    out = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields."""
    pdfinfo = _tool("pdfinfo")
    out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def test_review_prints_to_pdf(gusp: Run, embedded_copy: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store.loader import load
    from gusp_cli.track.queries import overdue

    _tool("chromium", "chromium-browser")
    _tool("pdftotext")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    html, pdf = tmp_path / "revue-2026.html", tmp_path / "revue-2026.pdf"
    code, _, err = gusp("review", "--as-of", AS_OF.isoformat(), "--year", "2026", "-o", str(html),
                        "--charter", str(embedded_copy))
    assert code == 0, err
    print_to_pdf(html, pdf, tmp_path / "profil-chromium")

    info = pdf_info(pdf)
    size = re.match(r"([\d.]+) x ([\d.]+) pts", info["Page size"])
    assert size and (round(float(size[1])), round(float(size[2]))) == A4_POINTS
    pages = pdf_pages(pdf)
    assert len(pages) == int(info["Pages"])
    assert abs(len(pages) - EXPECTED_PAGES) <= TOLERANCE, f"{len(pages)} pages"

    charter = load(embedded_copy)
    late = overdue(charter.entries, AS_OF)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    assert re.search(rf"\b{len(late)} en retard au 25 novembre 2026", text)
    starts = [re.sub(r"\s+", " ", page).strip() for page in pages]
    for quartier in charter.quartiers:
        assert quartier.nom in text
        count = sum(1 for e in late if e.quartier.id == quartier.id)
        assert f"Actions en retard au 25 novembre 2026 ({count})" in text
        # Page break before each quartier: its heading opens a page.
        assert any(re.match(rf"\d+\. {re.escape(quartier.nom)} ", s) for s in starts), quartier.nom
    # The cover stands alone; long tables repeat their header row on the next page.
    assert starts[0].startswith("COMMUNAUTÉ D’AGGLOMÉRATION DE LENS-LIÉVIN Revue annuelle de gestion 2026")
    assert sum(1 for s in starts if s.startswith("Id Action")) >= 5
    assert "Page 2 / " in text and f"Page {len(pages)} / {len(pages)}" in text
