"""Round-trip editing of one charter file: change one node, keep every other byte.

A file is read as bytes (:class:`gusp_cli.store.textfile.Source`), loaded with ruamel.yaml's round-trip
loader (comments, key order and quoting kept, lines never re-wrapped, the file's own indentation
detected) and one node of it, an action or a table, is changed by a caller-supplied function
(:meth:`Session.edit`, :meth:`Session.append`).

Before anything, the file must load with gusp's own reader (:func:`require_readable`): the reader
and the editor agree on what a valid file is, and a file that does not load is named with the
line, column and reason of each problem (never ruamel's English).

The new text is produced two ways, and the guarantee is checked, never assumed:

1. the whole document is dumped; it is kept only if every line outside the edited node's line
   range is identical to the original (true for files in the house style); skipped for a file
   above :data:`WHOLE_DUMP_BYTES` (ruamel's emitter is pure Python: about a second per megabyte,
   and the splice below is checked the same way);
2. otherwise the edited node alone is dumped, at its original column, and spliced into the
   original text in place of its lines: the other lines are copied, so they cannot change.

Either way the new text must load back to exactly the edited data, or nothing is produced. Blank
lines and comments that follow the node (they introduce the next one) stay where they were.

An action edited through :meth:`Session.item` is loaded alone: its own lines, dedented, are
the only ones ruamel reads (its round-trip loader and emitter are pure Python: loading a whole
national quartier file, 30 kB, cost more than everything else an edit does). It is taken only when
those lines load to exactly the action gusp's reader finds there, and dump back unchanged to
exactly those lines; otherwise the whole tree is loaded as above. Its change is spliced, and the
new text checked by gusp's reader against the document with that one action changed.
:func:`gusp_cli.store.textfile.encode_like` then gives the bytes back their BOM and line endings.

``house_style`` normalises a whole file (``gusp fmt``). ruamel is imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gusp_cli.model.errors import GuspError, YamlPath
from gusp_cli.model.source import display_path
from gusp_cli.store.textfile import Source, decode_source, encode_like, read_source, unified_diff

__all__ = [
    "HOUSE",
    "Indent",
    "Rendered",
    "Session",
    "Source",
    "decode_source",
    "detect_indent",
    "encode_like",
    "house_style",
    "line_range",
    "new_yaml",
    "node_at",
    "node_tree",
    "read_source",
    "to_plain",
    "unified_diff",
]

WIDTH = 1_000_000_000
"""Line width given to the emitter: large enough that no line is ever re-wrapped."""
WHOLE_DUMP_BYTES = 1024 * 1024
"""Above this size, an edit only splices the edited node (see the module docstring)."""


@dataclass(frozen=True)
class Indent:
    """Block indentation, as ruamel's ``YAML.indent(mapping, sequence, offset)`` takes it."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


HOUSE = Indent(2, 4, 2)
"""The house style: 2-space mappings, sequences indented under their key (``  - item``)."""


# --------------------------------------------------------------------------- ruamel set-up


def new_yaml(indent: Indent = HOUSE) -> Any:
    """Return a round-trip ``YAML`` instance: quotes kept, no re-wrapping, the given indentation."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.allow_unicode = True
    yaml.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    yaml.representer.ignore_aliases = lambda data: True  # a charter never uses anchors (&id001)
    yaml.Constructor = _constructor_class()
    return yaml


def _constructor_class() -> type:
    """ruamel's round-trip constructor, with an impossible date (``2025-02-30``) reported at its node
    rather than as Python's « day is out of range for month »."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor

        class _Constructor(RoundTripConstructor):
            def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
                try:
                    return super().construct_yaml_timestamp(node, values)
                except (ValueError, OverflowError):
                    raise ConstructorError(None, None, f"date invalide « {node.value} »",
                                           node.start_mark) from None

        _Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
        _CONSTRUCTOR = _Constructor
    return _CONSTRUCTOR


_CONSTRUCTOR: type | None = None


def require_readable(text: str, path: Path) -> Any:
    """The node tree of ``text`` when gusp's reader loads it without error, else a French
    :class:`GuspError` (exit 1) listing each problem at its line and column."""
    from gusp_cli.store.yamlio import parse_text

    return readable_root(parse_text(text, path), path)


def readable_root(parsed: Any, path: Path) -> Any:
    """:func:`require_readable` for a text gusp's reader has already parsed."""
    errors = [p for p in parsed.problems if p.is_error]
    if errors or parsed.root is None:
        lines = "\n".join(f"  {p.format()}" for p in errors[:10])
        more = f"\n  ... et {len(errors) - 10} autre(s)" if len(errors) > 10 else ""
        raise GuspError(f"{display_path(path)} ne se charge pas ; rien n'a été modifié (corrigez-le, "
                        f"gusp validate) :\n{lines}{more}", 1)
    return parsed.root


def load_tree(yaml: Any, text: str, path: Path) -> Any:
    """Round-trip load ``text`` (already read by gusp's reader); what ruamel still refuses becomes a
    French, positioned :class:`GuspError` (exit 1)."""
    try:
        return yaml.load(text)
    except Exception as exc:  # ruamel raises many YAMLError kinds
        from gusp_cli.model.errors import error
        from gusp_cli.model.source import SourcePos
        from gusp_cli.store.yamlio import syntax_problem

        said, mark = str(getattr(exc, "problem", "") or ""), getattr(exc, "problem_mark", None)
        if said.startswith("date invalide") and mark is not None:  # see _constructor_class
            problem = error("schema", f"{said} (attendu une date réelle AAAA-MM-JJ)", path,
                            pos=SourcePos(path, mark.line + 1, mark.column + 1))
        else:
            problem = syntax_problem(exc, path, text)
        raise GuspError(f"{display_path(path)} ne se charge pas ; rien n'a été modifié (corrigez-le, "
                        f"gusp validate) :\n  {problem.format()}", 1) from None


def dump_text(yaml: Any, data: Any) -> str:
    """Dump a round-trip tree to text."""
    import io

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def detect_indent(root: Any) -> Indent:
    """Detect the block indentation of a node tree (most common steps); the house style by default."""
    mapping: Counter[int] = Counter()
    sequence: Counter[tuple[int, int]] = Counter()
    for key, value in _block_pairs(root):
        col = key.start_mark.column
        kind = type(value).__name__
        if kind == "MappingNode" and value.start_mark.line > key.start_mark.line:
            mapping[value.start_mark.column - col] += 1
        elif kind == "SequenceNode" and value.value:
            dash = value.start_mark.column
            item = value.value[0]
            if item.start_mark.line == value.start_mark.line:
                sequence[(item.start_mark.column - col, dash - col)] += 1
    found_map = mapping.most_common(1)[0][0] if mapping else HOUSE.mapping
    seq, offset = sequence.most_common(1)[0][0] if sequence else (HOUSE.sequence, HOUSE.offset)
    if found_map < 1 or seq < 2 or offset < 0 or seq < offset + 2:
        return HOUSE
    return Indent(found_map, seq, offset)


def _block_pairs(root: Any) -> Iterator[tuple[Any, Any]]:
    """Every (key node, value node) of the block mappings of a node tree."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        kind = type(node).__name__
        if getattr(node, "flow_style", False):
            continue
        if kind == "MappingNode":
            for key, value in node.value:
                if type(value).__name__ != "ScalarNode" and not getattr(value, "flow_style", False):
                    yield key, value
                stack.append(value)
        elif kind == "SequenceNode":
            stack.extend(node.value)


# --------------------------------------------------------------------------- plain data


def to_plain(node: Any) -> Any:
    """Turn a round-trip tree into plain values (for comparing data, not formatting)."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _normalized(value: Any) -> Any:
    """Plain values as gusp's reader gives them: texts in Unicode NFC."""
    import unicodedata

    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_normalized(k): _normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


def _at(data: Any, path: YamlPath) -> Any:
    """The plain value at ``path`` (KeyError, IndexError or TypeError when absent)."""
    for step in path:
        data = data[step]
    return data


def _replaced(data: Any, path: YamlPath, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced (the containers on the path copied)."""
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)  # type: ignore[index]
    return copy


def node_at(tree: Any, path: YamlPath) -> Any:
    """Return the round-trip node at ``path`` (KeyError/IndexError when absent)."""
    node = tree
    for step in path:
        node = node[step]
    return node


# --------------------------------------------------------------------------- line ranges


def node_tree(text: str, path: Path) -> Any:
    """Parse ``text`` into a node tree with positions (the fast C parser); GuspError when invalid."""
    return require_readable(text, path)


def line_range(root: Any, text: str, yaml_path: YamlPath) -> tuple[int, int]:
    """Return the 0-based line range ``[start, end)`` of the node at ``yaml_path`` in ``root``.

    ``root`` is the node tree of ``text`` (:func:`node_tree`). The range runs from the node's
    first line (for a sequence item, the ``- `` line) to its last line of content; the blank lines
    and comments after it, which introduce what follows, are excluded.
    """
    node = root
    for step in yaml_path:
        node = _child_node(node, step)
    start = node.start_mark.line
    last = node
    while type(last).__name__ in ("MappingNode", "SequenceNode") and last.value and not last.flow_style:
        last = last.value[-1][1] if type(last).__name__ == "MappingNode" else last.value[-1]
    mark = last.end_mark
    end_line = mark.line if mark.column > 0 else mark.line - 1
    lines = text.split("\n")
    while end_line > start and not lines[end_line].strip():
        end_line -= 1
    return start, end_line + 1


def _child_node(node: Any, step: str | int) -> Any:
    """One step down a node tree (a mapping key or a sequence index)."""
    if type(node).__name__ == "MappingNode":
        for key, value in node.value:
            if key.value == step:
                return value
        raise KeyError(step)
    return node.value[step]


# --------------------------------------------------------------------------- trailing comments


def _deepest_last(node: Any) -> tuple[Any, Any, int] | None:
    """Return (container, key, slot) holding the comment after a block node's last scalar."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if isinstance(node, CommentedMap) and len(node):
            key: Any = list(node.keys())[-1]
            slot = 2
        elif isinstance(node, CommentedSeq) and len(node):
            key, slot = len(node) - 1, 0
        else:
            return None
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
            node = value
            continue
        return node, key, slot


def detach_tail(node: Any) -> str:
    """Remove and return the blank lines and comments that follow a block node.

    ruamel stores them with the node's last scalar, after its end-of-line comment; left there, they
    would end up between the old last key and any key appended after it.
    """
    found = _deepest_last(node)
    if found is None:
        return ""
    holder, key, slot = found
    entry = holder.ca.items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None:
        return ""
    if _is_block_scalar(holder[key]):
        entry[slot] = None  # a block scalar ends its own line: the whole token follows it
        return str(token.value)
    if "\n" not in token.value:
        return ""
    cut = token.value.index("\n") + 1
    tail: str = token.value[cut:]
    token.value = token.value[:cut]
    return tail


def _is_block_scalar(value: Any) -> bool:
    """True for a literal (``|``) or folded (``>``) scalar, whose text includes its line break."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, LiteralScalarString | FoldedScalarString)


def attach_tail(node: Any, tail: str) -> None:
    """Put back ``tail`` (from :func:`detach_tail`) after the node's new last scalar."""
    if not tail:
        return
    found = _deepest_last(node)
    if found is None:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    holder, key, slot = found
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    if entry[slot] is None:
        lead = "" if _is_block_scalar(holder[key]) else "\n"
        entry[slot] = CommentToken(lead + tail, CommentMark(0), None)
    else:
        entry[slot].value += tail


# --------------------------------------------------------------------------- session


@dataclass
class Rendered:
    """The result of an edit: the new text and how it was obtained."""

    text: str
    start: int
    end: int
    """Original line range ``[start, end)`` the change lies in (``start == end``: an insertion)."""
    method: str
    """``dump`` (whole document dumped) or ``splice`` (node dumped and spliced)."""


class Session:
    """One file loaded for a round-trip edit (its round-trip tree on first use of :attr:`tree`)."""

    def __init__(self, source: Source) -> None:
        from gusp_cli.store.yamlio import parse_text

        self.source = source
        parsed = parse_text(source.text, source.path)
        self.root = readable_root(parsed, source.path)
        self.data = parsed.data
        """The document's plain values, as gusp's reader gives them."""
        self._clean = not parsed.problems
        self.indent = detect_indent(self.root)
        self.yaml = new_yaml(self.indent)
        self._tree: Any = None
        self._lines = source.text.split("\n")
        self._alone: dict[YamlPath, Any] = {}
        """The sequence items loaded alone (:meth:`item`), by path."""

    @property
    def tree(self) -> Any:
        """The whole document's round-trip tree (loaded on first use)."""
        if self._tree is None:
            self._tree = load_tree(self.yaml, self.source.text, self.source.path)
        return self._tree

    def item(self, path: YamlPath) -> Any:
        """The round-trip node of the sequence item at ``path``, to read then :meth:`edit`: loaded
        alone when its own lines round-trip alone (see the module's docstring), else from the tree."""
        if self._tree is None:
            node = self._load_alone(path)
            if node is not None:
                self._alone[path] = node
                return node
        return node_at(self.tree, path)

    def _load_alone(self, path: YamlPath) -> Any:
        """The item at ``path`` loaded from its own lines, or None when they do not round-trip alone."""
        if not path or not isinstance(path[-1], int) or not self._clean or not self._dates_construct():
            return None
        try:
            start, end = line_range(self.root, self.source.text, path)
            expected = _at(self.data, path)
        except (KeyError, IndexError, TypeError):
            return None
        lines = self._lines[start:end]
        column = _dash_column(lines[0])
        if not lines[0][column:].startswith("- ") or any(
                line.strip() and _dash_column(line) < column for line in lines[1:]):
            return None
        try:
            loaded = new_yaml(self.indent).load("\n".join(line[column:] for line in lines) + "\n")
        except Exception:  # ruamel raises many YAMLError kinds: then the whole tree decides
            return None
        if not isinstance(loaded, list) or len(loaded) != 1 or _normalized(to_plain(loaded[0])) != expected:
            return None
        if self._dump_item(path, loaded[0], lines[0]) != lines:
            return None
        return loaded[0]

    def _dates_construct(self) -> bool:
        """True when every plain date of the document is a real date: the whole tree's loader refuses
        one that is not (``2025-02-30``, see :func:`load_tree`), gusp's reader keeps it as text for
        the validation to name; an edit must refuse such a file wherever the date is."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        constructor = self.yaml.constructor
        stack = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, MappingNode):
                stack.extend(value for pair in node.value for value in pair)
            elif isinstance(node, SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    constructor.construct_yaml_timestamp(node)
                except Exception:  # the constructor's refusal, or any other: the whole tree decides
                    return False
        return True

    def edit(self, path: YamlPath, change: Callable[[Any], None]) -> Rendered:
        """Apply ``change`` to the sequence item at ``path`` and return the new text."""
        if path in self._alone:
            return self._edit_alone(path, change)
        start, end = line_range(self.root, self.source.text, path)
        node = node_at(self.tree, path)
        tail = detach_tail(node)
        change(node)
        block = self._dump_item(path, node, self._lines[start])
        spliced = self._lines[:start] + block + self._lines[end:]
        attach_tail(node, tail)
        return self._choose(start, end, spliced)

    def _edit_alone(self, path: YamlPath, change: Callable[[Any], None]) -> Rendered:
        """:meth:`edit` for an item loaded alone: its lines spliced, the document checked."""
        from gusp_cli.store.yamlio import parse_text

        node = self._alone.pop(path)
        start, end = line_range(self.root, self.source.text, path)
        change(node)
        block = self._dump_item(path, node, self._lines[start])
        text = "\n".join(self._lines[:start] + block + self._lines[end:])
        read = parse_text(text, self.source.path)
        if read.problems or read.data != _replaced(self.data, path, _normalized(to_plain(node))):
            raise GuspError(f"{self.source.path} : modification impossible sans risque de toucher au reste "
                            "du fichier (mise en forme inhabituelle ?) ; rien n'a été écrit. Lancez gusp fmt "
                            "puis relancez.", 1)
        return Rendered(text, start, end, "splice")

    def append(self, seq_path: YamlPath, item: Any) -> Rendered:
        """Append ``item`` to the non-empty block sequence at ``seq_path``; return the new text."""
        seq = node_at(self.tree, seq_path)
        last_path = (*seq_path, len(seq) - 1)
        start, end = line_range(self.root, self.source.text, last_path)
        tail = detach_tail(seq[-1])
        seq.append(item)
        block = self._dump_item((*seq_path, len(seq) - 1), item, self._lines[start])
        spliced = self._lines[:end] + block + self._lines[end:]
        attach_tail(item, tail)
        return self._choose(end, end, spliced)

    def put(self, key: str, value: Any) -> Rendered:
        """Set the top-level ``key`` to ``value`` (added at the end of the document when absent);
        only the lines of that key change. For an empty or flow value (``signalements: []``): a
        non-empty block sequence grows with :meth:`append`."""
        from ruamel.yaml.comments import CommentedMap

        start, end = self._key_lines(key)
        if key in self.tree:
            self.tree[key] = value
        else:
            self.tree.insert(len(self.tree), key, value)
        block = dump_text(self.yaml, CommentedMap([(key, value)])).split("\n")
        while block and not block[-1].strip():
            block.pop()
        return self._choose(start, end, self._lines[:start] + block + self._lines[end:])

    def _key_lines(self, key: str) -> tuple[int, int]:
        """The line range ``[start, end)`` of a top-level key and its value (an empty range after the
        last line of content when the key is absent)."""
        for key_node, _ in getattr(self.root, "value", []):
            if key_node.value == key:
                first, last = line_range(self.root, self.source.text, (key,))
                return min(first, key_node.start_mark.line), max(last, key_node.start_mark.line + 1)
        end = len(self._lines)
        while end and not self._lines[end - 1].strip():
            end -= 1
        return end, end

    def _choose(self, start: int, end: int, spliced: list[str]) -> Rendered:
        """Prefer the whole dump when it keeps every line outside ``[start, end)``; check the data."""
        expected = to_plain(self.tree)
        candidates = []
        if len(self.source.raw) <= WHOLE_DUMP_BYTES:
            dumped = dump_text(self.yaml, self.tree)
            if _only_within(self._lines, dumped.split("\n"), start, end):
                candidates.append(Rendered(dumped, start, end, "dump"))
        candidates.append(Rendered("\n".join(spliced), start, end, "splice"))
        for candidate in candidates:
            if self._loads_to(candidate.text, expected):
                return candidate
        raise GuspError(f"{self.source.path} : modification impossible sans risque de toucher au reste du "
                        "fichier (mise en forme inhabituelle ?) ; rien n'a été écrit. Lancez gusp fmt "
                        "puis relancez.", 1)

    def _loads_to(self, text: str, expected: Any) -> bool:
        """True when ``text`` loads to exactly the ``expected`` plain data.

        gusp's own reader (the C parser) answers first: it is how every command reads the file.
        When it disagrees (a value it keeps differently: a date-time, a number as key), the
        round-trip loader, ten times slower, decides as before.
        """
        from gusp_cli.store.yamlio import parse_text

        read = parse_text(text, self.source.path)
        if not read.problems and read.data == _normalized(expected):
            return True
        try:
            return bool(to_plain(new_yaml(self.indent).load(text)) == expected)
        except Exception:  # a broken splice is refused, never written
            return False

    def _dump_item(self, path: YamlPath, node: Any, original_first: str) -> list[str]:
        """Dump the sequence item ``node`` at its nesting depth; return its lines at its columns."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        wrapped: Any = node
        for step in reversed(path):
            wrapped = CommentedSeq([wrapped]) if isinstance(step, int) else CommentedMap([(step, wrapped)])
        lines = dump_text(self.yaml, wrapped).split("\n")
        skip = sum(1 for step in path if isinstance(step, str))
        lines = lines[skip:]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
            lines.pop(0)
        return _shift(lines, _dash_column(original_first) - _dash_column(lines[0] if lines else ""))


def _dash_column(line: str) -> int:
    """Column of a sequence item's ``-`` on its first line."""
    return len(line) - len(line.lstrip(" "))


def _shift(lines: list[str], delta: int) -> list[str]:
    """Indent (or dedent) every non-blank line by ``delta`` columns."""
    if delta == 0:
        return lines
    if delta > 0:
        return [" " * delta + line if line.strip() else line for line in lines]
    return [line[-delta:] if line.strip() else line for line in lines]


def _only_within(old: list[str], new: list[str], start: int, end: int) -> bool:
    """True when ``new`` equals ``old`` outside the old line range ``[start, end)``."""
    after = len(old) - end
    return (len(new) >= start + after and new[:start] == old[:start]
            and new[len(new) - after:] == old[end:])


# --------------------------------------------------------------------------- house style


def house_style(source: Source) -> str:
    """Return the file's text in the house style, with exactly the same data.

    House style: UTF-8 without BOM, LF line endings, 2-space mappings, sequences indented under
    their key (``mapping=2, sequence=4, offset=2``), no trailing spaces, one final newline.
    Comments, key order and quoting are kept. Raises :class:`GuspError` if the data would change.
    """
    from gusp_cli.store.yamlio import parse_text

    require_readable(source.text, source.path)
    yaml = new_yaml(HOUSE)
    tree = load_tree(yaml, source.text, source.path)
    before = parse_text(source.text, source.path).data
    dumped = dump_text(yaml, tree)
    keep = _multiline_scalar_lines(node_tree(dumped, source.path))
    for candidate in (_tidy(dumped, keep), _tidy(dumped, None)):
        if parse_text(candidate, source.path).data == before:
            return candidate
    raise GuspError(f"{source.path} : la mise en forme changerait les données ; fichier laissé tel quel", 1)


def _multiline_scalar_lines(root: Any) -> set[int]:
    """0-based lines inside multi-line scalars, where trailing spaces may be data."""
    lines: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        kind = type(node).__name__
        if kind == "MappingNode":
            stack.extend(v for pair in node.value for v in pair)
        elif kind == "SequenceNode":
            stack.extend(node.value)
        elif node.end_mark.line > node.start_mark.line:
            lines.update(range(node.start_mark.line, node.end_mark.line + 1))
    return lines


def _tidy(text: str, keep: set[int] | None) -> str:
    """Trailing spaces removed except on the ``keep`` lines (all kept when None); one final newline."""
    lines = text.split("\n")
    if keep is not None:
        lines = [line if i in keep else line.rstrip(" \t") for i, line in enumerate(lines)]
    return "\n".join(lines).rstrip("\n") + "\n"
