"""Reading YAML safely and fast, keeping the node tree for source positions.

The one place that touches ruamel.yaml for reading. Files are read with a size bound (regular
files only), decoded as UTF-8, then parsed with the libyaml C parser (``ruamel.yaml.clib``) into
a node tree, then turned into plain Python values by a small constructor of our own that:

* never builds arbitrary objects: any explicit tag is refused, the core ones (``!!str``) too;
* refuses anchors and aliases (a charter never needs them; this also defeats "billion laughs");
* refuses a tab outside quotes, block scalars, flow collections and comments (``libelle:<TAB>"…"``):
  libyaml accepts it, ruamel's round-trip scanner (the editor) does not, and what the reader
  accepts, the editor must be able to edit;
* refuses duplicate keys and merge keys (``<<``);
* keeps dates as text, so that pydantic reports ``2025-02-30`` with its position;
* turns a scalar into a number only when it is written the plain way (``12``, ``-3``, ``1.5``):
  ``01234``, ``1_000``, ``0x1F``, ``.inf`` stay text, as written (YAML 1.1 ``yes``/``no``/``on``
  are text too; only ``true``/``false`` are booleans);
* NFC-normalises every text, so ``é`` typed as ``e`` + U+0301 equals ``é``;
* bounds nesting depth and the number of YAML events, before the C composer can recurse.

Problems come back as values with their position; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import errno
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gusp_cli.model.errors import Problem, YamlPath, error, os_reason
from gusp_cli.model.source import SourcePos

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest charter file accepted (20 Mio): a 50,000-action national repository stays far below."""
MAX_DEPTH = 64
"""Deepest nesting of lists and tables accepted; a charter needs about ten levels."""
MAX_EVENTS = 500_000
"""Most YAML parser events (scalars, starts and ends of lists and tables) accepted in one file:
about 17,000 actions; the largest real quartier file has about 3,000. It bounds the parsing time
of a hostile file below the size limit (about 3 s at worst instead of 40 s)."""
MAX_ALIAS_REPORTS = 10
"""Aliases reported one by one in a file; the rest are counted in one more problem."""

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DEEP_GATE = 1024
"""Composing is safe below this depth even on a 1 Mio thread stack (the C composer recurses: it
crashed between 2,000 and 4,000 levels there, between 25,000 and 30,000 on an 8 Mio stack); when a
cheap upper bound of the depth exceeds it, the depth is checked on the event stream first."""
_DEEP_START = re.compile(r"[ \t?:-]{" + str(_DEEP_GATE // 4) + "}")
_DEEP_LINE = re.compile(r"\n[ \t?:-]{" + str(_DEEP_GATE // 4) + "}")
"""A line indented by :data:`_DEEP_GATE` / 4 characters: the first line (``_DEEP_START.match``), or
any other (searched from its ``\\n``: five times faster than ``^`` with ``re.MULTILINE``)."""


@dataclass
class Parsed:
    """The result of reading one YAML file."""

    path: Path
    data: Any = None
    root: Any = None
    """What locates the nodes: the node tree, or the compact
    :class:`~gusp_cli.store.plainyaml.Positions` of a file read by the fast reader."""
    problems: list[Problem] = field(default_factory=list)
    cached: bool = False
    """The values were known before (the cache): ``root`` is built on demand
    (:func:`~gusp_cli.store.plainyaml.locator`)."""
    raw: bytes | None = None
    """For a cached file read from memory (a git revision): its bytes, to build ``root`` from
    them rather than from the working tree's file."""

    @property
    def ok(self) -> bool:
        """True when the file was read without error."""
        return not any(p.is_error for p in self.problems)


def _loader_class() -> type:
    """Return (once) a class combining the C parser with the YAML 1.2 resolver."""
    global _LOADER
    if _LOADER is None:
        from ruamel.yaml.main import CParser  # type: ignore[attr-defined]
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.resolver import VersionedResolver

        if CParser is None:  # pragma: no cover - guarded by a test and the dependency pin
            raise RuntimeError("ruamel.yaml.clib (parseur C) est absent")

        class _Loader(CParser, VersionedResolver):  # type: ignore[misc]
            processing_version = (1, 2)
            """Always YAML 1.2 (ruamel's lookup of it cost a third of the parsing time)."""

            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                VersionedResolver.__init__(self, version=None, loadumper=self)

            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                """The tag of a node; a plain scalar's depends only on its text: kept for short texts
                (keys, ids, statuses, dates repeat thousands of times in a national repository)."""
                if kind is ScalarNode and implicit[0]:
                    tag = _PLAIN_TAGS.get(value)
                    if tag is None:
                        tag = VersionedResolver.resolve(self, kind, value, implicit)
                        if len(value) <= _PLAIN_TAG_TEXT and len(_PLAIN_TAGS) < _PLAIN_TAG_ENTRIES:
                            _PLAIN_TAGS[value] = tag
                    return tag
                return VersionedResolver.resolve(self, kind, value, implicit)

        _LOADER = _Loader
    return _LOADER


_LOADER: type | None = None
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"
_NODE_START = frozenset(":,[{?-\n")
"""What comes right before a node (spaces aside): an anchor ``&``, an alias ``*`` or a tag ``!`` can
only start one."""


def _starts_a_node(text: str, char: str) -> bool:
    """True when ``char`` appears where a node can start (module docstring): ``*nom`` after ``: ``,
    but not ``10 * 2``, ``M&C`` or « Attention ! » in a label. ``str.find`` does the scanning."""
    index = text.find(char)
    while index >= 0:
        before = index - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before < 0 or text[before] in _NODE_START:
            return True
        index = text.find(char, index + 1)
    return False
_PLAIN_TAGS: dict[str, Any] = {}
"""Tag of a plain scalar by its text (see ``_Loader.resolve``)."""
_PLAIN_TAG_TEXT = 40
"""Longest text whose tag is kept."""
_PLAIN_TAG_ENTRIES = 200_000
"""At most this many texts kept (a bounded memory)."""


# --------------------------------------------------------------------------- bytes and text


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text (BOM allowed); return the text or positioned problems."""
    raw, problem = read_bounded(path)
    if raw is None:
        return None, [problem] if problem is not None else []
    return decode(raw, path)


def read_bounded(path: Path) -> tuple[bytes | None, Problem | None]:
    """Read a regular file of at most :data:`MAX_FILE_BYTES`; devices and pipes are refused.

    The file is opened without blocking (a named pipe would wait forever) and checked on the open
    descriptor, so a symbolic link to ``/dev/zero`` or a file growing meanwhile stays bounded.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, error("fichier_illisible", _os_message(exc, path), path)
    try:
        info = os.fstat(fd)
        refusal = _refuse_kind(info.st_mode, info.st_size, path)
        if refusal is not None:
            return None, refusal
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, error("fichier_illisible", _os_message(exc, path), path)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        return None, _too_big(len(raw), path)
    return raw, None


def _refuse_kind(mode: int, size: int, path: Path) -> Problem | None:
    """A problem for a directory, a device, a pipe or a file above the size limit."""
    if stat.S_ISDIR(mode):
        return error("fichier_illisible", "c'est un dossier, pas un fichier", path)
    if not stat.S_ISREG(mode):
        return error("fichier_illisible", "ce n'est pas un fichier ordinaire (périphérique, tube ou "
                     "socket) : refusé", path)
    return _too_big(size, path) if size > MAX_FILE_BYTES else None


def _too_big(size: int, path: Path) -> Problem:
    return error("fichier_trop_grand", f"fichier trop volumineux ({size} octets ; limite "
                 f"{MAX_FILE_BYTES} octets)", path, pos=SourcePos(path, 1, 1))


def _os_message(exc: OSError, path: Path | None = None) -> str:
    """Translate a file-system error met while reading into French."""
    if exc.errno == errno.EACCES and path is not None and path.is_dir():
        return "c'est un dossier, pas un fichier"  # Windows refuses to open a folder with EACCES
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "lecture refusée (droits insuffisants)"
    if exc.errno == errno.ENOENT:
        return "fichier introuvable"
    return os_reason(exc)


_UTF16_32 = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
             (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 bytes (BOM allowed), naming the line and column of the first bad byte.

    UTF-16/32 files, NUL bytes (binary files), invalid UTF-8 and the characters YAML forbids or
    that would shift positions (control characters, U+0085, U+2028, U+2029) are refused.
    Line endings are normalised to ``\\n``.
    """
    for bom, name in _UTF16_32:
        if raw.startswith(bom):
            return None, [error("encodage", f"fichier encodé en {name} ; enregistrez-le en UTF-8",
                                path, pos=SourcePos(path, 1, 1))]
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    nul = body.find(b"\x00")
    if nul >= 0:
        msg = "octet nul (0x00) : fichier binaire, ou texte en UTF-16 ? un fichier texte UTF-8 est attendu"
        return None, [error("fichier_binaire", msg, path, pos=_byte_pos(body, nul, path))]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = body[exc.start]
        hint = " (fichier en Latin-1 ou Windows-1252 ?)" if byte >= 0x80 else ""
        msg = (f"encodage invalide : octet 0x{byte:02X} non UTF-8{hint} ; "
               "enregistrez le fichier en UTF-8")
        return None, [error("encodage", msg, path, pos=_byte_pos(body, exc.start, path))]
    bad = _FORBIDDEN.search(text)
    if bad:
        return None, [error("caractere_controle", _forbidden_message(bad.group()), path,
                            pos=_text_pos(text, bad.start(), path))]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _forbidden_message(char: str) -> str:
    """Name a character refused in a YAML file."""
    code = f"U+{ord(char):04X}"
    if char in "\x85\u2028\u2029":
        return (f"séparateur de ligne Unicode {code} interdit (invisible, il décale les numéros de "
                "ligne) ; remplacez-le par un vrai retour à la ligne ou une espace")
    if char in "\ufffe\uffff":
        return f"caractère non valide {code} interdit dans un fichier YAML"
    hint = " (texte mal converti depuis Windows-1252 ?)" if 0x80 <= ord(char) <= 0x9F else ""
    return f"caractère de contrôle {code} interdit dans un fichier YAML{hint}"


def _byte_pos(body: bytes, index: int, path: Path) -> SourcePos:
    """Line and column (in characters) of a byte offset, counting CRLF, CR and LF as line ends."""
    prefix = body[:index]
    line = prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1
    start = max(prefix.rfind(b"\n"), prefix.rfind(b"\r")) + 1
    return SourcePos(path, line, len(prefix[start:].decode("utf-8", errors="replace")) + 1)


def _text_pos(text: str, index: int, path: Path) -> SourcePos:
    """Line and column of a character offset, counting CRLF, CR and LF as line ends."""
    prefix = text[:index]
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
    start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return SourcePos(path, line, index - start + 1)


# --------------------------------------------------------------------------- parsing


def parse_file(path: Path) -> Parsed:
    """Read and parse one YAML file into plain Python values."""
    raw, problem = read_bounded(path)
    if raw is None:
        return Parsed(path, problems=[problem] if problem is not None else [])
    return parse_bytes(raw, path)


def parse_bytes(raw: bytes, path: Path) -> Parsed:
    """Decode and parse the bytes read from ``path``."""
    text, problems = decode(raw, path)
    if text is None:
        return Parsed(path, problems=problems)
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> Parsed:
    """Parse YAML text into plain Python values, collecting positioned problems."""
    result = Parsed(path)
    guard = _guard(text, path)
    if guard is not None:
        result.problems.append(guard)
        return result
    try:
        root = _loader_class()(text).get_single_node()
    except Exception as exc:  # ruamel raises several YAMLError kinds
        result.problems.append(syntax_problem(exc, path, text))
        return result
    if root is None or _is_empty_document(root):
        result.problems.append(error("fichier_vide", "fichier vide : un document YAML est attendu",
                                     path, pos=SourcePos(path, 1, 1)))
        return result
    result.root = root
    builder = _Builder(path, anchors=_starts_a_node(text, "*"))  # only an alias shares a node
    result.data = builder.build(root, 0)
    result.problems.extend(builder.problems)
    if builder.shared:
        result.problems.extend(_alias_problems(text, path, builder.shared))
    elif _starts_a_node(text, "&") or _starts_a_node(text, "!"):  # a tag before an anchor: seen with it
        result.problems.extend(_marked_problems(text, path, result.problems))
    if "\t" in text:
        tab = _stray_tab(text, root, path)
        if tab is not None:
            result.problems.append(tab)
    return result


_ACCEPTED_TAGS = frozenset({"!", *(_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                                      "timestamp", "value", "merge"))})
"""Explicit tags the builder would accept from the resolved node alone: refused from the events."""


def _marked_problems(text: str, path: Path, found: list[Problem]) -> list[Problem]:
    """Lone anchors (``&nom`` that no alias uses) and explicit core tags (``!!str``), from the event
    stream (nodes do not remember them); at most :data:`MAX_ALIAS_REPORTS` of each."""
    problems: list[Problem] = []
    tagged = {(p.pos.line, p.pos.col) for p in found if p.rule == "etiquette_yaml" and p.pos is not None}
    anchors = tags = 0
    parser = _loader_class()(text)
    try:
        while True:
            event = parser.get_event()
            if event is None or type(event).__name__ == "StreamEndEvent":
                break
            anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
            pos = _mark_pos(event.start_mark, path)
            if anchor is not None and anchors < MAX_ALIAS_REPORTS:
                anchors += 1
                problems.append(error("alias_yaml", f"ancre YAML « &{anchor} » non acceptée (ancres & et "
                                      "alias * refusés) : supprimez-la", path, pos=pos))
            if tag in _ACCEPTED_TAGS and (pos.line, pos.col) not in tagged and tags < MAX_ALIAS_REPORTS:
                tags += 1
                problems.append(error("etiquette_yaml", f"étiquette YAML « {_short_tag(tag)} » refusée "
                                      "(écrivez la valeur sans étiquette ; entre guillemets pour un "
                                      "texte)", path, pos=pos))
    except Exception:  # a syntax error was reported by composing already
        pass
    return problems


def _stray_tab(text: str, root: Any, path: Path) -> Problem | None:
    """The first tab outside quotes, block scalars, flow collections and comments (module docstring)."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def offset(mark: Any) -> int:
        return int(starts[min(mark.line, len(starts) - 1)] + mark.column)

    spans: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = type(node).__name__
        if kind == "ScalarNode":
            if node.style in ('"', "'", "|", ">"):
                spans.append((offset(node.start_mark), offset(node.end_mark)))
        elif getattr(node, "flow_style", False):
            spans.append((offset(node.start_mark), offset(node.end_mark)))
        elif kind == "MappingNode":
            stack.extend(part for pair in node.value for part in pair)
        else:
            stack.extend(node.value)
    spans.sort()
    index = text.find("\t")
    while index >= 0:
        if not _within(spans, index) and not _in_comment(text, index, spans):
            return error("yaml_syntaxe", "syntaxe YAML : tabulation interdite hors des guillemets : "
                         "remplacez-la par une espace", path, pos=_text_pos(text, index, path))
        index = text.find("\t", index + 1)
    return None


def _within(spans: list[tuple[int, int]], index: int) -> bool:
    """True when ``index`` falls in one of the sorted ``spans``."""
    import bisect

    at = bisect.bisect_right(spans, (index, len(spans) and 1 << 62)) - 1
    return at >= 0 and spans[at][0] <= index < spans[at][1]


def _in_comment(text: str, index: int, spans: list[tuple[int, int]]) -> bool:
    """True when a ``#`` that starts a comment (at the line start or after a space, outside any
    span) comes before ``index`` on its line."""
    start = text.rfind("\n", 0, index) + 1
    for position in range(start, index):
        if text[position] == "#" and (position == start or text[position - 1] in " \t") \
                and not _within(spans, position):
            return True
    return False


def _guard(text: str, path: Path) -> Problem | None:
    """Refuse, before composing, a file nested too deep or with too many events.

    The C composer recurses once per level (a stack overflow, not an exception, past some
    thousands) and a dense file takes seconds per 100,000 events: both are checked on the event
    stream, only when a cheap bound says they are possible.
    """
    if _may_be_deep(text):
        deep = _scan_events(text, path)[1]
        if deep is not None:
            return deep
    if len(text) > MAX_EVENTS // 2:
        try:
            count = _loader_class()(text).raw_parse()
        except Exception as exc:
            return syntax_problem(exc, path, text)
        if count > MAX_EVENTS:
            return error("fichier_trop_complexe", f"fichier trop complexe : {count} événements YAML "
                         f"(limite {MAX_EVENTS}) ; découpez-le", path, pos=SourcePos(path, 1, 1))
    return None


def _may_be_deep(text: str) -> bool:
    """True unless the nesting depth is surely below :data:`_DEEP_GATE`.

    Each level of a flow collection needs a ``[`` or ``{``; a block collection starts further
    right than its parent's (or at the same column for a list under a key), so a line indented by
    ``n`` characters (spaces, ``-``, ``?``, ``:``) is needed for ``2n`` block levels.
    """
    return (text.count("[") + text.count("{") > _DEEP_GATE // 2 or _DEEP_START.match(text) is not None
            or _DEEP_LINE.search(text) is not None)


def _scan_events(text: str, path: Path) -> tuple[list[Any], Problem | None]:
    """Walk the event stream: the alias events, and a problem at the first list or table nested
    deeper than :data:`MAX_DEPTH` (the walk stops there). A syntax error ends the walk quietly:
    composing reports it."""
    parser = _loader_class()(text)
    aliases: list[Any] = []
    depth = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    return aliases, _depth_problem(event.start_mark, path)
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            elif kind == "AliasEvent":
                aliases.append(event)
            elif event is None or kind == "StreamEndEvent":
                return aliases, None
    except Exception:
        return aliases, None


def _depth_problem(mark: Any, path: Path) -> Problem:
    """The problem for a list or table nested deeper than :data:`MAX_DEPTH`."""
    return error("imbrication", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", path,
                 pos=_mark_pos(mark, path))


def _alias_problems(text: str, path: Path, shared: list[Any]) -> list[Problem]:
    """One problem per alias, at the alias (``*nom``); past :data:`MAX_ALIAS_REPORTS`, one more
    problem counts the rest."""
    found = [(e.anchor, e.start_mark) for e in _scan_events(text, path)[0]]
    found = found or [("?", node.start_mark) for node in shared]  # a shared node comes from an alias
    problems = [error("alias_yaml", f"alias YAML « *{anchor} » non accepté (ancres & et alias * "
                      "refusés) : recopiez la valeur", path, pos=_mark_pos(mark, path))
                for anchor, mark in found[:MAX_ALIAS_REPORTS]]
    rest = found[MAX_ALIAS_REPORTS:]
    if rest:
        problems.append(error("alias_yaml", f"{len(rest)} autres alias YAML non acceptés dans ce "
                              "fichier (le premier ici)", path, pos=_mark_pos(rest[0][1], path)))
    return problems


def _mark_pos(mark: Any, path: Path) -> SourcePos:
    """The 1-based position of a 0-based libyaml mark."""
    return SourcePos(path, mark.line + 1, mark.column + 1)


def _is_empty_document(root: Any) -> bool:
    """True for a document with no content (``---`` alone)."""
    return (type(root).__name__ == "ScalarNode" and root.tag == _TAG + "null" and root.value == ""
            and not root.style)


_TAB_FR = "tabulation interdite : indentez avec des espaces"
_COLON_FR = "« : » inattendu (indentation incorrecte ou guillemets manquants)"
_SYNTAX_FR = {
    "found character that cannot start any token": "caractère inattendu (une tabulation ?)",
    "found character '\\t' that cannot start any token": _TAB_FR,
    "did not find expected ',' or ']'": "liste entre crochets non fermée (« ] » manquant)",
    "did not find expected ',' or '}'": "table entre accolades non fermée (« } » manquant)",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "mapping values are not allowed here": _COLON_FR,
    "mapping values are not allowed in this context": _COLON_FR,
    "did not find expected key": "clé attendue (indentation incorrecte, ou guillemet non fermé plus haut ?)",
    "did not find expected '-' indicator": "indentation incorrecte : élément de liste « - » attendu",
    "could not find expected ':'": "« : » attendu après la clé (guillemet non fermé ?)",
    "found undefined alias": "alias YAML non défini",
    "found unknown escape character": "séquence d'échappement inconnue dans une chaîne entre guillemets",
    "found invalid Unicode character escape code": "séquence d'échappement Unicode invalide dans une "
                                                   "chaîne entre guillemets",
    "did not find expected node content": "valeur attendue",
    "found a tab character that violates indentation": _TAB_FR,
    "found a tab character where an indentation space is expected": _TAB_FR,
    "block sequence entries are not allowed in this context": "élément « - » mal placé (indentation ?)",
    "found unexpected ':'": "« : » inattendu",
    "expected a single document in the stream": "plusieurs documents YAML (« --- ») dans un seul fichier",
    "found incompatible YAML document": "version YAML non prise en charge",
    "did not find expected comment or line break": "fin de ligne attendue",
    "found duplicate anchor": "ancre YAML en double",
    "second occurrence": "ancre YAML en double",
    "could not find expected ':' ": "« : » attendu",
    "did not find expected <document start>": "contenu inattendu : un document YAML commence par « --- »",
    "found unexpected document indicator": "marqueur de document (« --- » ou « ... ») inattendu ici",
    "found unknown directive name": "directive YAML inconnue (« % » en début de ligne ?)",
    "could not find expected directive name": "nom de directive attendu après « % »",
    "found duplicate %YAML directive": "directive %YAML en double",
    "found duplicate %TAG directive": "directive %TAG en double",
    "found extremely long version number": "numéro de version YAML trop long",
    "did not find expected version number": "numéro de version attendu après %YAML",
    "did not find expected digit or '.' character": "numéro de version de %YAML invalide",
    "found unexpected non-alphabetical character": "caractère inattendu dans une directive",
    "did not find expected alphabetic or numeric character": "nom d'ancre, d'alias ou d'étiquette invalide "
                                                             "(lettres, chiffres, - et _)",
    "found an indentation indicator equal to 0": "indicateur d'indentation 0 interdit après | ou >",
    "did not find expected whitespace or line break": "espace ou fin de ligne attendue",
    "did not find expected whitespace": "espace attendue",
    "did not find expected hexdecimal number": "séquence d'échappement hexadécimale invalide dans une "
                                               "chaîne entre guillemets",
    "did not find expected tag URI": "étiquette YAML invalide",
    "did not find URI escaped octet": "séquence %XX invalide dans une étiquette YAML",
    "did not find expected '!'": "« ! » attendu dans une étiquette YAML",
    "did not find the expected '>'": "« > » attendu dans une étiquette YAML",
    "found undefined tag handle": "préfixe d'étiquette YAML non déclaré",
    "mapping keys are not allowed in this context": "clé « ? » non permise ici",
}


def syntax_problem(exc: Exception, path: Path, text: str) -> Problem:
    """Turn a ruamel parser/scanner/composer exception into a positioned French problem (libyaml's
    and ruamel's own messages: the round-trip editor reports through it too)."""
    if hasattr(exc, "position") and hasattr(exc, "character"):  # ReaderError: an offset, no mark
        message = f"caractère non autorisé U+{int(getattr(exc, 'character', 0) or 0):04X}"
        return error("yaml_syntaxe", f"syntaxe YAML : {message}", path,
                     pos=_text_pos(text, int(getattr(exc, "position", 0) or 0), path))
    problem = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc).strip()
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "expected a single document" in str(exc):
        problem = "expected a single document in the stream"
    tab = mark is not None and _char_at(text, mark.line, mark.column) == "\t"
    pos = SourcePos(path, mark.line + 1, mark.column + 1) if mark is not None else SourcePos(path, 1, 1)
    return error("yaml_syntaxe", f"syntaxe YAML : {_syntax_message(problem, tab)}", path, pos=pos)


def _syntax_message(problem: str, tab: bool) -> str:
    """The French text for libyaml's English ``problem``; ``tab`` when a tab is at its position."""
    if tab or re.search(r"\btabs?\b", problem.lower()):
        return _TAB_FR
    message = _SYNTAX_FR.get(problem)
    if message is not None:
        return message
    if any(word in problem.lower() for word in ("depth", "recursion", "nest")):
        return "imbrication trop profonde"
    return f"syntaxe YAML invalide ({problem})"


def _char_at(text: str, line: int, column: int) -> str:
    """Return the character at a 0-based line and column ('' when out of range)."""
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


# --------------------------------------------------------------------------- plain values


def _nfc(text: str) -> str:
    """NFC-normalise a text (``e`` + U+0301 becomes ``é``); cheap when already normalised."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class _Builder:
    """Turns a node tree into plain values, refusing what a charter never needs."""

    def __init__(self, path: Path, anchors: bool = True) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.shared: list[Any] = []
        """Nodes met a second time: the targets of aliases (reported at the aliases)."""
        self._seen: set[int] | None = set() if anchors else None
        """Nodes met so far (None: the text defines no anchor, so no node can be met twice)."""

    def _fail(self, node: Any, rule: str, message: str) -> None:
        self.problems.append(error(rule, message, self.path, pos=_mark_pos(node.start_mark, self.path)))

    def build(self, node: Any, depth: int) -> Any:
        """Construct the value of ``node``, at ``depth`` lists or tables below the root."""
        if self._seen is not None:
            if id(node) in self._seen:
                self.shared.append(node)
                return None
            self._seen.add(id(node))
        kind = type(node).__name__
        if kind == "ScalarNode":
            return self._scalar(node)
        if depth >= MAX_DEPTH:
            self.problems.append(_depth_problem(node.start_mark, self.path))
            return None
        if kind == "MappingNode":
            return self._mapping(node, depth)
        if node.ctag.trval != _SEQ:
            self._refuse_tag(node)
            return None
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: Any, depth: int) -> dict[Any, Any] | None:
        if node.ctag.trval != _MAP:
            self._refuse_tag(node)
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in result:
                self._fail(key_node, "cle_dupliquee", f"clé « {key} » en double dans la même table")
                continue
            result[key] = self.build(value_node, depth + 1)
        return result

    def _key(self, node: Any) -> str | int | None:
        """The value of a mapping key, or None (and a problem) when it is not a text or a number."""
        if node.ctag.trval == _MERGE:
            self._fail(node, "alias_yaml", "clé de fusion YAML « << » non acceptée")
            return None
        if type(node).__name__ != "ScalarNode":
            self._fail(node, "cle_invalide", "une clé doit être un texte simple")
            return None
        if self._seen is not None:
            if id(node) in self._seen:
                self.shared.append(node)
                return None
            self._seen.add(id(node))
        key = self._scalar(node)
        if not isinstance(key, str | int) or isinstance(key, bool):
            self._fail(node, "cle_invalide", f"clé invalide « {node.value} »")
            return None
        return key

    def _scalar(self, node: Any) -> Any:
        return self.value(node, node.ctag.trval, node.value)  # ``trval``: ``node.tag`` without 2 calls

    def value(self, node: Any, tag: str, value: str) -> Any:
        """The value of scalar ``node`` whose tag is ``tag`` and text ``value``."""
        if tag in (_TAG + "str", _TAG + "timestamp", _TAG + "value", _TAG + "merge"):
            return self._text(node, value)  # ``=`` and ``<<`` as values are plain texts
        if tag == _TAG + "null" and value in ("", "~", "null", "Null", "NULL"):
            return None
        if tag == _TAG + "bool" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag == _TAG + "int":
            return int(value) if _INT.fullmatch(value) else self._text(node, value)
        if tag == _TAG + "float":
            number = _to_float(value)
            return number if number is not None else self._text(node, value)
        if tag in (_TAG + "bool", _TAG + "null"):  # an explicit ``!!bool maybe``
            shown = _CONTROL_IN_TEXT.sub("?", value[:60])
            self._fail(node, "etiquette_yaml", f"valeur « {shown} » incompatible avec l'étiquette "
                       f"YAML « {_short_tag(tag)} »")
            return None
        self._refuse_tag(node)
        return None

    def _text(self, node: Any, value: str) -> str:
        """A text value, NFC-normalised; control characters (written as escapes such as ``\\e``
        in a quoted text) are refused: they would reach terminals and files as they are."""
        bad = _CONTROL_IN_TEXT.search(value)
        if bad:
            self._fail(node, "caractere_controle", f"caractère de contrôle U+{ord(bad.group()):04X} "
                       "interdit dans un texte (séquence d'échappement entre guillemets ?)")
            value = _CONTROL_IN_TEXT.sub("\ufffd", value)
        return _nfc(value)

    def _refuse_tag(self, node: Any) -> None:
        self._fail(node, "etiquette_yaml", f"étiquette YAML « {_short_tag(node.tag)} » "
                   "refusée (seuls textes, nombres, booléens, listes et tables sont acceptés)")


def _short_tag(tag: str) -> str:
    """Render ``tag:yaml.org,2002:python/object`` as ``!!python/object``."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _to_float(text: str) -> float | None:
    """A finite number written the plain way (``1.5``, ``-2``, ``1e3``); None for anything else."""
    if len(text) <= 40 and _FLOAT.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
    return None


# --------------------------------------------------------------------------- positions


def position_of(root: Any, path: Path, yaml_path: YamlPath, *, key: bool = False) -> SourcePos:
    """Return the position of the node at ``yaml_path``, or of its deepest existing ancestor.

    With ``key`` the position of the mapping key is returned instead of its value's.
    """
    node, key_node = root, None
    for step in yaml_path:
        child, child_key = _child(node, step)
        if child is None:
            break
        node, key_node = child, child_key
    target = key_node if key and key_node is not None else node
    if target is None:
        return SourcePos(path, 1, 1)
    mark = target.start_mark
    return SourcePos(path, mark.line + 1, mark.column + 1)


def _child(node: Any, step: str | int) -> tuple[Any, Any]:
    """Return (value node, key node) for one step of a path, or (None, None)."""
    kind = type(node).__name__
    if kind == "MappingNode":
        for key_node, value_node in node.value:
            if type(key_node).__name__ == "ScalarNode" and _nfc(key_node.value) == str(step):
                return value_node, key_node
    elif kind == "SequenceNode" and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], None
    return None, None
