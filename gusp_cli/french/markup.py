"""User text made inert where people read it: Markdown (issue and pull-request comments) and terminals.

Text from a charter, from git (commit subjects, author names), from a partner's workbook or from
the command line can hold anything. Two functions make it inert:

- :func:`md_inert` for Markdown that CI posts as a comment: Markdown's active characters are
  escaped, ``@mentions`` and references (``#12``, ``!3``, GitLab's ``~label``, ``%jalon``...) get
  a zero-width joiner after their sign, so they neither ping nor link, URLs and e-mail addresses
  are broken the same way (no autolink), and nothing can become a link or an image;
- :func:`terminal_text` for what is printed to a terminal: every control character (C0 but tab
  and line feed, DEL, C1), the bidirectional overrides and isolates (U+202A-U+202E,
  U+2066-U+2069, U+200E/U+200F, U+061C) and the line separators U+2028/U+2029 are made visible,
  so an escape sequence (``ESC ] 52`` writing the clipboard, ``ESC [ 2J`` clearing the screen) or a
  reordered line cannot act;
- :func:`cell_inert` for a spreadsheet cell (CSV, open data): a text a spreadsheet would evaluate
  as a formula gets a ``'`` before it, as Excel itself writes text.
"""

from __future__ import annotations

import re

ZWJ = "\u200d"
"""Zero-width joiner: put after ``@`` or ``#`` it stops a mention or a reference, and stays invisible."""

_MD_ESCAPED = re.compile(r"([\\`*\[\]|~$]|(?<![^\W_])_|_(?![^\W_]))")
"""What Markdown gives a meaning to anywhere in a line: escapes, code, emphasis, links and images
(``[``), table cells, strikethrough, maths (an ``_`` between two letters, ``asso_centre``, is no emphasis)."""
_MD_LINE_START = re.compile(r"^(?:([#+\-=])|(\d+)([.)]))")
"""What starts a block when it starts a line: heading, list, setext underline, ordered list (a quote's
``>`` is an entity already)."""
_MD_SIGNS = re.compile(r"([@#]|(?<!\w)[!~%$&^])(?=[\w\"'\-./:{])|\b([Gg][Hh])-(?=\d)")
"""A mention or reference sign followed by what a forge reads after it: GitHub ``@user``, ``#12``
(``org/depot#12`` too), ``GH-12``; GitLab, at the start of a word, ``!12``, ``~label``,
``%milestone``, ``$snippet``, ``&epic``."""
_AUTOLINK = re.compile(r"(?i)\b(www|https?|ftp|mailto|javascript|data|file|vbscript)(?=[.:])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
"""An ``&`` that would start an HTML entity (``&lt;``, ``&#64;``); ``M&C`` stays as written."""
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                              "\u2066-\u2069]")


def md_inert(text: str) -> str:
    """A user text as inert Markdown for one line or one table cell (module docstring).

    Line breaks become ``<br>``, angle brackets (and an ``&`` that would start one) become entities
    (no HTML, no ``<url>``),
    what Markdown reads as emphasis, code, link, image, table cell or block start is
    backslash-escaped, and mentions, references and autolinks (``www.``, ``https:``, e-mail
    addresses) are broken by a zero-width joiner. Once rendered, the text reads as written.
    """
    text = terminal_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    text = _MD_SIGNS.sub(lambda m: m.group(1) + ZWJ if m.group(1) else m.group(2) + "-" + ZWJ, text)
    text = _AUTOLINK.sub(lambda m: m.group(1) + ZWJ, text)
    text = _MD_ESCAPED.sub(r"\\\1", text)
    text = "\n".join(_MD_LINE_START.sub(_escape_block_start, line.lstrip()) for line in text.split("\n"))
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br>")


def md_code(text: str, *, cell: bool = False) -> str:
    """A user text as a Markdown code span: shown as written (a URL stays copyable), never a link,
    a mention or a reference. Backticks inside get a longer fence; line breaks become spaces; in a
    table ``cell``, pipes are escaped (GFM ends a cell at a pipe even inside a code span)."""
    import itertools

    flat = " ".join(terminal_text(text).split())
    if cell:
        flat = flat.replace("|", "\\|")
    longest = max((len(list(run)) for char, run in itertools.groupby(flat) if char == "`"), default=0)
    fence = "`" * (longest + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def _escape_block_start(match: re.Match[str]) -> str:
    """``# titre`` → ``\\# titre``, ``1. liste`` → ``1\\. liste``."""
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def terminal_text(text: str) -> str:
    """``text`` with every character that could act on a terminal made visible (module docstring).

    C0 controls become their control pictures (ESC → ␛, CR → ␍), DEL ␡; C1 controls, bidirectional
    controls and line separators become ``<U+202E>``. Tab and line feed are kept.
    """
    if _TERMINAL_UNSAFE.search(text) is None:
        return text
    return _TERMINAL_UNSAFE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    """The visible form of one unsafe character."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
"""What makes a spreadsheet read a cell as a formula when it starts it (OWASP's list: ``= + - @``,
tab, carriage return, and line feed), with their full-width forms, which some Excel locales convert."""


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could evaluate ``text``: it starts with a formula sign, possibly after
    spaces (``\\t=1+1``, `` =HYPERLINK(...)``, ``＝1+1``)."""
    stripped = text.lstrip(" ")
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def cell_inert(text: str) -> str:
    """Neutralise spreadsheet formulas in a cell: a ``'`` before it, as Excel itself writes text."""
    return "'" + text if is_formula_like(text) else text
