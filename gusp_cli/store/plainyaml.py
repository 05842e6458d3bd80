"""Reading a clean YAML file fast: plain values straight from the C composer, positions kept compact.

The reference reader (:func:`gusp_cli.store.yamlio.parse_text`) resolves every node's tag in
Python, builds each value with all its checks and keeps the node tree (a node, its tag and its two
marks for each scalar) for the positions of problems. At national scale (a million nodes in 500
files) that was 56 % of a cold ``gusp validate``, and the trees most of its 630 Mio.

:func:`parse_values` reads the files that can only be clean the quick way:

* the C composer gets a resolver that only says *plain* or *not plain* (one shared tag object:
  no tag built per node, no regular expression run);
* a plain scalar's value depends on its text alone: the reference rules give it once and it is
  kept (short texts: keys, ids, statuses, dates repeat thousands of times); a text whose first
  character starts none of YAML 1.2's implicit types is a text, as the reference resolver says;
* where each node starts is kept in two flat arrays (:class:`Positions`, ≈ 12 bytes a node), and
  the node tree is dropped as soon as the values are built.

Whatever is not plainly clean goes to the reference reader, which reports it: a tab, an anchor,
an alias or a tag sign where a node can start, a control character, a syntax error, a root that
is not a table or a list, and, met while building, a duplicate or non-text key, a merge key, an
explicit tag, a nesting past :data:`~gusp_cli.store.yamlio.MAX_DEPTH`, an escaped control
character. The values of a file read here are those of the reference reader
(``tests/store/test_plainyaml.py`` compares both on the pinned charter and the yaml-test-suite).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path
from typing import Any
from unicodedata import is_normalized as _is_normalized

from gusp_cli.model.errors import YamlPath
from gusp_cli.model.source import SourcePos
from gusp_cli.store.yamlio import (
    _CONTROL_IN_TEXT,
    MAX_DEPTH,
    Parsed,
    _Builder,
    _guard,
    _loader_class,
    _nfc,
    _starts_a_node,
    decode,
    parse_text,
    position_of,
    read_text,
)

_MEMO_TEXT = 40
"""Longest plain text whose value is kept."""
_MEMO_ENTRIES = 200_000
"""At most this many plain texts kept, for values and for keys each (a bounded memory)."""
_VALUES: dict[str, Any] = {}
"""Value of a plain scalar by its text (clean ones only)."""
_KEYS: dict[str, str | int] = {}
"""Value of a plain mapping key by its text (valid keys only)."""
_MISSING = object()


class _Bail(Exception):
    """The file is not plainly clean: the reference reader reads it and reports its problems."""


class _Every:
    """Contains every character (a resolver for any first character: no text is sure)."""

    def __contains__(self, char: object) -> bool:
        return True


class Positions:
    """Where each node of a file starts, without its node tree (about 12 bytes a node).

    Nodes are numbered in document order: a table, then each of its keys followed by its value;
    a list, then each item. ``starts[i]`` is the offset in the text (in characters) where node
    ``i`` starts; ``info[i]`` is, for a table or a list, the number after its last descendant, for
    a key, its text, and None for any other scalar. ``lines`` holds the offset of each line.
    """

    __slots__ = ("info", "lines", "starts")

    def __init__(self, text: str) -> None:
        self.starts = array("i")
        self.info: list[Any] = []
        self.lines = array("i", accumulate(map(_PLUS_ONE, map(len, text.split("\n"))), initial=0))

    def locate(self, path: Path, yaml_path: YamlPath, key: bool = False) -> SourcePos:
        """The position of the node at ``yaml_path`` (or of its deepest existing ancestor), like
        :func:`~gusp_cli.store.yamlio.position_of` on the node tree; ``key``: of its mapping key."""
        node, key_node = 0, -1
        for step in yaml_path:
            child, child_key = self._child(node, step)
            if child < 0:
                break
            node, key_node = child, child_key
        offset = self.starts[key_node if key and key_node >= 0 else node]
        line = bisect_right(self.lines, offset) - 1
        return SourcePos(path, line + 1, offset - self.lines[line] + 1)

    def _child(self, node: int, step: str | int) -> tuple[int, int]:
        """(value node, key node) one step below ``node``; (-1, -1) when there is none."""
        info = self.info
        end = info[node]
        if type(end) is not int:
            return -1, -1
        at = node + 1
        if at < end and type(info[at]) is str:  # a table: key, value, key, value...
            wanted = str(step)
            while at < end:
                if info[at] == wanted:
                    return at + 1, at
                at = self._after(at + 1)
        elif isinstance(step, int) and step >= 0:  # a list
            for _ in range(step):
                if at >= end:
                    return -1, -1
                at = self._after(at)
            if at < end:
                return at, -1
        return -1, -1

    def _after(self, node: int) -> int:
        """The number of the node after ``node`` and its descendants."""
        end = self.info[node]
        return end if type(end) is int else node + 1


_PLUS_ONE = (1).__add__


def read_values(raw: bytes, path: Path) -> Parsed:
    """Decode and parse the bytes read from ``path`` (see :func:`parse_values`)."""
    text, problems = decode(raw, path)
    if text is None:
        return Parsed(path, problems=problems)
    return _parse(text, path)  # decoded: no control character left in it


def locator(parsed: Parsed) -> Any:
    """What locates the nodes of a parsed file (its node tree, or its :class:`Positions`); a file
    whose values were known before (the cache) is read again, from its bytes when it has them."""
    if parsed.root is None and parsed.cached:
        text, _ = read_text(parsed.path) if parsed.raw is None else decode(parsed.raw, parsed.path)
        if text is not None:
            parsed.root = parse_values(text, parsed.path).root
    return parsed.root


def locate(root: Any, path: Path, yaml_path: YamlPath, *, key: bool = False) -> SourcePos:
    """The position of the node at ``yaml_path`` from what :func:`locator` gives."""
    if isinstance(root, Positions):
        return root.locate(path, yaml_path, key)
    return position_of(root, path, yaml_path, key=key)


def parse_values(text: str, path: Path) -> Parsed:
    """Parse YAML text into plain values like :func:`~gusp_cli.store.yamlio.parse_text`, with
    :class:`Positions` as ``root`` instead of a node tree when the file is plainly clean."""
    if _CONTROL_IN_TEXT.search(text):
        return parse_text(text, path)
    return _parse(text, path)


def _parse(text: str, path: Path) -> Parsed:
    """:func:`parse_values` of a text without control characters (:func:`~gusp_cli.store.yamlio.
    decode` refuses them), so that only an escape in a double-quoted text can make one."""
    if "\t" in text or any(_starts_a_node(text, c) for c in "*&!"):
        return parse_text(text, path)
    guard = _guard(text, path)
    if guard is not None:
        return Parsed(path, problems=[guard])
    try:
        root = _fast_loader()(text).get_single_node()
    except Exception:  # ruamel raises several YAMLError kinds: the reference reader words them
        return parse_text(text, path)
    builder = _Values(path, text)
    try:
        data = builder.build(root)
    except _Bail:
        return parse_text(text, path)
    return Parsed(path, data=data, root=builder.positions)


def _fast_loader() -> type:
    """Return (once) the C parser with the plain-or-not resolver."""
    global _FAST
    if _FAST is None:
        from ruamel.yaml.main import CParser  # type: ignore[attr-defined]
        from ruamel.yaml.nodes import MappingNode, ScalarNode
        from ruamel.yaml.tag import Tag

        global _PLAIN, _QUOTED, _MAP, _SEQ, _SCALAR_NODE, _REFERENCE, _FIRST
        _PLAIN, _QUOTED = Tag(suffix="gusp:plain"), Tag(suffix="gusp:quoted")
        _MAP, _SEQ = Tag(suffix="tag:yaml.org,2002:map"), Tag(suffix="tag:yaml.org,2002:seq")
        _SCALAR_NODE = ScalarNode
        _REFERENCE = _loader_class()("")
        table = _REFERENCE.versioned_resolver
        _FIRST = _Every() if table.get(None) else frozenset(k for k in table if k)

        class _FastLoader(CParser):  # type: ignore[misc]
            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                """A shared tag per kind: plain scalar, other scalar, table, list (an explicit tag
                reaches the node as it is written, and is refused)."""
                if kind is ScalarNode:
                    return _PLAIN if implicit[0] else _QUOTED
                return _MAP if kind is MappingNode else _SEQ

            def descend_resolver(self, parent: Any, index: Any) -> None:
                """No path-dependent tags."""

            def ascend_resolver(self) -> None:
                """No path-dependent tags."""

        _FAST = _FastLoader
    return _FAST


_FAST: type | None = None
_PLAIN: Any = None
_QUOTED: Any = None
_MAP: Any = None
_SEQ: Any = None
_SCALAR_NODE: Any = None
_REFERENCE: Any = None
"""A reference loader (YAML 1.2 resolver), for the tag of a plain text that may not be a text."""
_FIRST: frozenset[str] | _Every = frozenset()
"""First characters of YAML 1.2's implicit types (digits, ``-``, ``t``, ``~``...): a plain text
starting otherwise is a text."""


class _Values:
    """Builds the plain values of a node tree composed by :func:`_fast_loader`, and its positions;
    raises :class:`_Bail` at the first thing that the reference reader would report."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.positions = Positions(text)
        self.escapes = "\\" in text
        """Whether a double-quoted text may hold an escaped control character (``\\e``): without
        a backslash in the file, none can (its own text has none, see :func:`parse_values`)."""

    def build(self, root: Any) -> Any:
        """The value of the root, a table or a list (a scalar root goes to the reference reader)."""
        if type(root) is _SCALAR_NODE or root is None:
            raise _Bail
        return self._collection(root, 0)

    def _collection(self, node: Any, depth: int) -> Any:
        """A table or a list at ``depth``, with every descendant. The scalars (nine nodes in ten)
        are built here without a call: a known plain text, or a text in NFC (the common case)."""
        if depth >= MAX_DEPTH:
            raise _Bail
        start, info = self.positions.starts.append, self.positions.info
        note = info.append
        here = len(info)
        start(node.start_mark.index)
        note(None)
        scalar, plain, quoted, missing = _SCALAR_NODE, _PLAIN, _QUOTED, _MISSING
        values, keys, escapes, normal = _VALUES.get, _KEYS.get, self.escapes, _is_normalized
        if node.ctag is _MAP:
            result: Any = {}
            for key_node, value_node in node.value:
                key = keys(key_node.value) if type(key_node) is scalar and key_node.ctag is plain else None
                if key is None:
                    key = self._key(key_node)
                if key in result:
                    raise _Bail
                start(key_node.start_mark.index)
                note(key if type(key) is str else key_node.value)  # as written: 12, not 012
                if type(value_node) is scalar:
                    start(value_node.start_mark.index)
                    note(None)
                    text, tag = value_node.value, value_node.ctag
                    if tag is plain:
                        value = values(text, missing)
                    elif tag is quoted and (text.isascii() or normal("NFC", text)) and not (
                            escapes and value_node.style == '"'):
                        value = text
                    else:
                        value = missing
                    result[key] = self._scalar(value_node) if value is missing else value
                else:
                    result[key] = self._collection(value_node, depth + 1)
        elif node.ctag is _SEQ:
            result = []
            for item in node.value:
                if type(item) is scalar:  # as a table's value above, inline: a call per scalar
                    start(item.start_mark.index)  # would cost as much as all the rest
                    note(None)
                    text, tag = item.value, item.ctag
                    if tag is plain:
                        value = values(text, missing)
                    elif tag is quoted and (text.isascii() or normal("NFC", text)) and not (
                            escapes and item.style == '"'):
                        value = text
                    else:
                        value = missing
                    result.append(self._scalar(item) if value is missing else value)
                else:
                    result.append(self._collection(item, depth + 1))
        else:
            raise _Bail  # an explicit tag on a table or a list
        info[here] = len(info)
        return result

    def _scalar(self, node: Any) -> Any:
        """The value of a scalar not decided in :meth:`_collection`: a quoted text to normalise or
        to check, or a plain scalar not known yet (a text, or what the reference rules give a
        plain scalar that may be a number, a date, a boolean...)."""
        text, tag = node.value, node.ctag
        if tag is _QUOTED:
            if self.escapes and node.style == '"' and _CONTROL_IN_TEXT.search(text):
                raise _Bail
            return text if text.isascii() else _nfc(text)
        if tag is not _PLAIN:
            raise _Bail
        if text and text[0] not in _FIRST:
            value: Any = text if text.isascii() else _nfc(text)
        else:
            value = self._reference(node, text)[1]
        if len(text) <= _MEMO_TEXT and len(_VALUES) < _MEMO_ENTRIES:
            _VALUES[text] = value
        return value

    def _key(self, node: Any) -> str | int:
        """The value of a mapping key not known yet: a text or a whole number, else :class:`_Bail`."""
        if type(node) is not _SCALAR_NODE or node.ctag not in (_PLAIN, _QUOTED):
            raise _Bail
        text = node.value
        if node.ctag is _QUOTED:
            return self._scalar(node)  # type: ignore[no-any-return]  # a text
        if text and text[0] not in _FIRST:
            key: Any = text if text.isascii() else _nfc(text)
        else:
            resolved, key = self._reference(node, text)
            if resolved.endswith(":merge") or type(key) not in (str, int):  # ``<<``, a bool, a date...
                raise _Bail
        if len(text) <= _MEMO_TEXT and len(_KEYS) < _MEMO_ENTRIES:
            _KEYS[text] = key
        return key  # type: ignore[no-any-return]

    def _reference(self, node: Any, text: str) -> tuple[str, Any]:
        """The tag and value the reference reader gives a plain scalar of this text."""
        tag = _REFERENCE.resolve(_SCALAR_NODE, text, (True, False))
        resolved = str(getattr(tag, "trval", tag))
        probe = _Builder(self.path, anchors=False)
        value = probe.value(node, resolved, text)
        if probe.problems:
            raise _Bail
        return resolved, value
