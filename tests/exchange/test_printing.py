"""The printed workbook, as LibreOffice prints it: each row's whole text, the header on every page.

Converted to PDF by LibreOffice headless (Debian ``libreoffice-calc-nogui``, installed by
``.ci/run``), read back with poppler's ``pdftotext``. Skipped, with the reason, where LibreOffice is
absent.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.store.loader import load
from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (soffice) ou pdftotext absent : apt-get install "
                                       "libreoffice-calc-nogui poppler-utils")


def _printed(workbook: Path, tmp_path: Path) -> list[str]:
    """The PDF LibreOffice prints from ``workbook``, as the text of each page."""
    home = tmp_path / "lo-home"
    home.mkdir()
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(workbook)], capture_output=True, text=True, timeout=180,
                          env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / (workbook.stem + ".pdf")
    assert pdf.is_file(), done.stderr
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_printed_workbook_shows_every_row_whole_and_repeats_the_header(tmp_path: Path, gusp: Run) -> None:
    workbook = tmp_path / "suivi.xlsx"
    code, _, err = gusp("export", "--format", "xlsx", "-C", str(CALL), "--as-of", "2026-11-25",
                        "-o", str(workbook))
    assert code == 0, err
    pages = _printed(workbook, tmp_path)
    assert pages[0].startswith("Suivi des actions — ")  # the instructions first
    sheets = pages[1:]
    assert sheets and all("Id Tableau N° Action Responsables Échéance Retard Dernier suivi Statut Date Note"
                          in " ".join(page.split()) for page in sheets)
    flat = _joined(" ".join(sheets))
    assert all("Note Déployée Coût" in _joined(page)  # the evaluation columns, their wrapped headers whole
               and "Clauses d’insertion respectées Amélioration de la qualité de vie validée" in _joined(page)
               for page in sheets)
    charter = load(CALL)
    cut = [e.id for e in charter.entries if _joined(e.action.libelle) not in flat]
    assert cut == []  # every label printed whole: no row too short for its wrapped text
    assert all(e.id in flat for e in charter.entries)
    print(f"classeur de la charte épinglée imprimé en {len(pages)} pages A4 paysage")


def _joined(text: str) -> str:
    """Text with its line breaks as spaces, and a word broken at its hyphen (« anti- intrusion »)
    joined again."""
    return " ".join(text.split()).replace("- ", "-")
