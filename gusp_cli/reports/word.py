"""The review as a Word document (``.docx``), built with python-docx from the review's own HTML.

One structure for every format: the HTML the templates write (chapters, headings, tables, lists) is
read back with the standard library's parser and laid out as Word paragraphs and tables, so a
chapter added to the templates is in the Word document too. What Word and LibreOffice need to edit
and print it: real headings (``Titre 1``… in a French Word: the navigation pane and the table of
contents follow them), table header rows that repeat on each page, a table of contents field
(filled with the chapter titles until the word processor refreshes it with page numbers) and
page numbers in the footer. Charts are left out: their figures are in the table that follows each.

Every text comes from the autoescaped HTML and goes into Word runs as plain text: nothing in a
charter's YAML becomes a field, a link or a style.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
"""HTML heading -> Word heading level (0 is the document title)."""
SKIPPED = frozenset({"head", "style", "script", "svg", "title"})
VOID = frozenset({"br", "meta", "link", "img", "hr", "rect", "line"})


@dataclass
class Node:
    """An element of the review's HTML: tag, attributes, children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> list[Node]:
        """Direct children with this tag."""
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]

    def text(self) -> str:
        """All the text inside, spaces collapsed."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag not in SKIPPED:
                parts.append(child.text())
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    """HTML text -> :class:`Node` tree (the review's HTML is well formed: it is ours)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    """The tree of an HTML document."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def html_to_docx(html: str, *, title: str, footer: str) -> bytes:
    """A Word document of the review's HTML: ``title`` in its properties, ``footer`` with the page
    numbers at the foot of every page."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(1.6), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(9.5)
    _page_footer(section, footer)
    writer = _Writer(document)
    writer.blocks(parse_html(html))
    _update_fields_on_open(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    """Walks the HTML tree and writes Word blocks."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.first_section = True

    def blocks(self, node: Node) -> None:
        """Write the block children of ``node``."""
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self.document.add_paragraph(" ".join(child.split()))
                continue
            self.block(child)

    def block(self, node: Node) -> None:
        """Write one block element."""
        tag = node.tag
        if tag in SKIPPED or node.attrs.get("aria-hidden") == "true":  # a figure told again beside it
            return
        if tag == "nav":
            self.contents(node)
        elif tag in HEADINGS:
            self.heading(node)
        elif tag == "p":
            self.paragraph(node, style="Quote" if "vide-donnees" in node.classes else None)
        elif tag in ("ul", "ol"):
            self.listing(node, ordered=tag == "ol")
        elif tag == "table":
            self.table(node)
        elif tag == "dl":
            self.definitions(node)
        elif tag == "section" and ({"quartier", "annexe"} & node.classes):
            self.page_break()
            self.blocks(node)
        elif tag == "header":
            self.blocks(node)
            self.page_break()
        elif tag == "div" and "annexes" in node.classes:
            self.page_break()
            self.blocks(node)
        else:
            self.blocks(node)

    def heading(self, node: Node) -> None:
        """A heading: Word's own heading styles (the navigation pane and the contents follow them)."""
        level = HEADINGS[node.tag]
        paragraph = self.document.add_heading(level=level)
        self.inline(paragraph, node)

    def paragraph(self, node: Node, style: str | None = None) -> None:
        """A paragraph with its inline formatting."""
        paragraph = self.document.add_paragraph(style=style)
        self.inline(paragraph, node)

    def inline(self, paragraph: Any, node: Node, *, bold: bool = False, italic: bool = False,
               code: bool = False, small: bool = False) -> None:
        """Write the inline content of ``node`` as runs of ``paragraph``."""
        from docx.shared import Pt, RGBColor

        for child in node.children:
            if isinstance(child, str):
                text = " ".join(child.split())
                if not text:
                    if child and paragraph.runs:
                        paragraph.add_run(" ")
                    continue
                lead = " " if child[:1].isspace() and paragraph.runs else ""
                trail = " " if child[-1:].isspace() else ""
                run = paragraph.add_run(lead + text + trail)
                run.bold, run.italic = bold or None, italic or None
                if code:
                    run.font.name = "DejaVu Sans Mono"
                if small:
                    run.font.size = Pt(8)
                    run.font.color.rgb = RGBColor(0x4A, 0x4A, 0x4A)
                continue
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("ul", "ol"):
                for item in child.find("li"):
                    paragraph.add_run().add_break()
                    paragraph.add_run("• ")
                    self.inline(paragraph, item, bold=bold, italic=italic, code=code, small=small)
            elif child.tag not in SKIPPED:
                self.inline(paragraph, child, bold=bold or child.tag in ("strong", "b"),
                            italic=italic or child.tag in ("em", "i"), code=code or child.tag == "code",
                            small=small or "note" in child.classes)

    def listing(self, node: Node, *, ordered: bool) -> None:
        """A bulleted or numbered list."""
        for item in node.find("li"):
            paragraph = self.document.add_paragraph(style="List Number" if ordered else "List Bullet")
            self.inline(paragraph, item)

    def definitions(self, node: Node) -> None:
        """A definition list: each term in bold, followed by its description."""
        paragraph = None
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "dt":
                paragraph = self.document.add_paragraph()
                self.inline(paragraph, child, bold=True)
            elif child.tag == "dd":
                if paragraph is None or child.find("ul"):
                    paragraph = self.document.add_paragraph()
                else:
                    paragraph.add_run(" ")
                self.inline(paragraph, child)

    def table(self, node: Node) -> None:
        """A table: its caption above, header rows repeated on each page, body and foot."""
        from docx.shared import Pt

        for caption in node.find("caption"):
            paragraph = self.document.add_paragraph()
            self.inline(paragraph, caption, bold=True)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = Pt(2)
        groups = [(g.tag, row) for g in node.children if isinstance(g, Node)
                  and g.tag in ("thead", "tbody", "tfoot") for row in g.find("tr")]
        groups += [("tbody", row) for row in node.find("tr")]
        if not groups:
            return
        width = max(sum(int(c.attrs.get("colspan", "1") or 1) for c in row.children
                        if isinstance(c, Node) and c.tag in ("td", "th")) for _, row in groups)
        table = self.document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        table.autofit = False
        for kind, row in groups:
            cells = table.add_row().cells
            header = kind == "thead"
            if header:
                _repeat_header(table.rows[-1])
            for index, cell in enumerate(c for c in row.children if isinstance(c, Node)
                                         and c.tag in ("td", "th")):
                if index >= width:
                    break
                target = cells[index].paragraphs[0]
                self.inline(target, cell, bold=header or kind == "tfoot")
                for run in target.runs:
                    run.font.size = Pt(8)
        _column_widths(table, groups, width)
        self.document.add_paragraph()

    def contents(self, node: Node) -> None:
        """The table of contents: a Word TOC field (headings 1 and 2), holding the chapter titles
        until Word or LibreOffice refreshes it with the page numbers."""
        titles = [item.text() for item in _descendants(node, "li")]
        self.document.add_heading("Sommaire", level=1)
        paragraph = self.document.add_paragraph()
        _field(paragraph, r'TOC \o "1-2" \h \z \u', titles)
        self.page_break()

    def page_break(self) -> None:
        """Start a new page."""
        from docx.enum.text import WD_BREAK

        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


TEXT_WIDTH_CM = 17.4
"""The A4 page's width between the margins."""


def _column_widths(table: Any, rows: list[tuple[str, Node]], width: int) -> None:
    """Each column at least as wide as its longest word (8 pt text), the rest shared in proportion to
    its longest text (bounded), so that labels get room and figures do not: Word would otherwise
    give every column the same width."""
    from docx.shared import Cm

    longest, word = [4] * width, [2] * width
    for _, row in rows:
        cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
        for index, cell in enumerate(cells[:width]):
            text = cell.text()
            longest[index] = max(longest[index], min(len(text), 60))
            word[index] = max(word[index], *(min(len(w), 16) for w in text.split() or [""]))
    floor = [0.18 * w + 0.35 for w in word]
    spare = max(0.0, TEXT_WIDTH_CM - sum(floor))
    total = sum(longest)
    for index, column in enumerate(table.columns):
        share = Cm(floor[index] + spare * longest[index] / total)
        column.width = share
        for cell in column.cells:
            cell.width = share


def _descendants(node: Node, tag: str) -> list[Node]:
    """Every element with ``tag`` below ``node``, in document order."""
    found = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                found.append(child)
            found += _descendants(child, tag)
    return found


def _repeat_header(row: Any) -> None:
    """Mark a table row as a header row, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    properties.append(keep)


def _field(paragraph: Any, instruction: str, shown: list[str] | str) -> None:
    """A Word field (``PAGE``, ``TOC``...) showing ``shown`` until it is refreshed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    lines = [shown] if isinstance(shown, str) else shown
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    paragraph.add_run()._r.append(char("end"))


def _page_footer(section: Any, text: str) -> None:
    """« text — page 3 / 41 » at the foot of every page (PAGE and NUMPAGES fields)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(f"{text} — page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _update_fields_on_open(document: Any) -> None:
    """Ask Word to refresh the fields (the table of contents' page numbers) when it opens the file."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
