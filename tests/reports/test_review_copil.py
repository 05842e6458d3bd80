"""What the COPIL receives, in every format: on a charter with insertion semesters, a COPIL whose
decisions name actions, statuses with notes and authors, a change of responsible party and the
year's ``revues/2026.yaml``, the md, html, docx and pdf reviews all carry the insertion figures,
the decisions table with labels, the late bodies, the party change by name and the faits
marquants. The Word document is read back with python-docx, the PDF with pdftotext."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reports import copil_case
from tests.reports.test_review_pdf import contents, pdf_pages

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"
MUST_SHOW = (
    "865",  # cumulated GUP insertion hours
    "10,2",  # cumulated rate against the 10 % objective
    "Embauche directe",
    "Améliorer la propreté des espaces publics",  # LIE-010, named in the decisions, by its label
    "2 passages par semaine (El Fouad)",  # AVI-005's latest note with its author
    "Décision proposée",
    "Comité de proximité",
    "aucune réunion enregistrée depuis le 1er janvier 2019",  # a late body
    "Ville de Liévin, CALL, Pas-de-Calais Habitat",  # LIE-010's parties before, by name
    "décision du COPIL du 20 mars 2026",  # and the motif
    "Ouverture de la nouvelle maison du projet en septembre 2026.",  # faits marquants
    "Relancer les groupes de travail thématiques",  # perspectives
    "Les équipes d'El Fouad passent désormais deux fois par semaine.",  # a quartier's paragraph
    "Hôtel communautaire, salle du conseil",  # the COPIL's place, on the cover
)


@pytest.fixture(scope="module")
def copil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copil_case.build(tmp_path_factory.mktemp("copil") / "depot")


def written(gusp: Run, copil: Path, tmp_path: Path, suffix: str) -> Path:
    target = tmp_path / f"revue-2026{suffix}"
    code, out, err = gusp("review", "--as-of", AS_OF, "--year", "2026", "-o", str(target),
                          "--charter", str(copil))
    assert code == 0, err
    assert out == "" and "pourrait y ajouter" not in err  # revues/2026.yaml holds everything
    return target


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\", ""))


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_text_formats_show_it_all(gusp: Run, copil: Path, tmp_path: Path, suffix: str) -> None:
    text = flat(written(gusp, copil, tmp_path, suffix).read_text(encoding="utf-8"))
    text = text.replace("&#39;", "'")
    for expected in MUST_SHOW:
        assert expected in text, expected


def test_word_document_has_headings_repeated_headers_and_page_numbers(gusp: Run, copil: Path,
                                                                     tmp_path: Path) -> None:
    from docx import Document

    target = written(gusp, copil, tmp_path, ".docx")
    document = Document(str(target))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "3. Points soumis à la décision du comité de pilotage") in headings
    assert ("Heading 1", "8. Insertion") in headings and ("Heading 2", "Synthèse") in headings
    body = flat(" ".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for row in t.rows for c in row.cells]))
    for expected in MUST_SHOW:
        assert expected in body, expected
    decisions = next(t for t in document.tables if t.rows[0].cells[-1].text.startswith("Décision proposée"))
    assert decisions.rows[0]._tr.trPr.xpath("./w:tblHeader")  # repeated on each page
    assert all(row.cells[-1].text == "" for row in decisions.rows[1:])  # left blank for the decision
    xml = zipfile.ZipFile(target).read("word/footer1.xml").decode()
    assert "PAGE" in xml and "NUMPAGES" in xml
    assert " TOC " in zipfile.ZipFile(target).read("word/document.xml").decode()


def test_pdf_shows_it_all_with_page_numbers_in_its_contents(gusp: Run, copil: Path, tmp_path: Path) -> None:
    pdf = written(gusp, copil, tmp_path, ".pdf")
    text = flat(" ".join(pdf_pages(pdf, layout=False)))
    pages = pdf_pages(pdf)
    for expected in MUST_SHOW:
        assert expected in text, expected
    toc = contents(pages)
    decisions = toc["Points soumis à la décision du comité de pilotage"]
    assert toc["Insertion"] > toc["Avion – République"] > decisions > 2
    assert re.search(r"\d+\. Insertion", flat(pages[toc["Insertion"] - 1]))
    assert "10 décembre 2026 à 14:30" in flat(pages[0])  # the cover


def test_the_words_file_is_checked(gusp: Run, copil: Path, tmp_path: Path) -> None:
    words = copil / "charter-data" / "revues" / "2026.yaml"
    original = words.read_text(encoding="utf-8")
    try:
        words.write_text(original.replace("  avion:", "  avoin:"), encoding="utf-8")
        code, out, _ = gusp("validate", "--charter", str(copil))
        assert code == 1 and "revues/2026.yaml:13:5: erreur: quartier « avoin » inconnu" in out
        words.write_text(original.replace("faits_marquants:", "faits_marquant:"), encoding="utf-8")
        code, out, _ = gusp("validate", "--charter", str(copil))
        assert code == 1 and "revues/2026.yaml:6:1: erreur:" in out and "faits_marquant" in out
    finally:
        words.write_text(original, encoding="utf-8")
