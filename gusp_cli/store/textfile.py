"""A text file as read for editing: its bytes, its LF text, its BOM and its line endings.

Editing works on LF text; :func:`encode_like` turns the new text back into bytes written the way
the original was: the BOM if it had one, each unchanged line with its own line ending (CRLF, LF or
CR), new lines with the file's dominant one, and no final newline if it had none.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gusp_cli.model.errors import GuspError
from gusp_cli.store.atomic import digest

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass(frozen=True)
class Source:
    """A file as read: its bytes, its text (LF, no BOM) and how it was written."""

    path: Path
    raw: bytes
    text: str
    bom: bool
    newline: str
    lines: tuple[tuple[str, str], ...]
    """Each line of the original as (content, ending); the ending may be CRLF, LF, CR or empty."""
    exists: bool = True
    """False for a file that does not exist yet (an optional file an edit creates)."""

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes read; empty for a file that does not exist (it must still not exist
        when it is written: :func:`gusp_cli.store.atomic.write_atomic`)."""
        return digest(self.raw) if self.exists else ""


def read_source(path: Path) -> Source:
    """Read a charter file for editing, with the reader's bounds: a regular file of at most
    :data:`~gusp_cli.store.yamlio.MAX_FILE_BYTES` (a device, a pipe or a huge file is refused before
    it is read); a bad encoding is a French error with its position."""
    from gusp_cli.store.yamlio import read_bounded

    raw, problem = read_bounded(path)
    if raw is None:
        raise GuspError(problem.format() if problem is not None else f"{path} : lecture impossible", 1)
    return decode_source(path, raw)


def read_or_new(path: Path) -> Source:
    """Read ``path`` for editing as :func:`read_source` does, or, when nothing is there, an empty
    source that an edit creates."""
    import os

    if not os.path.lexists(path):
        return Source(path, b"", "", False, "\n", (), exists=False)
    return read_source(path)


def decode_source(path: Path, raw: bytes) -> Source:
    """Decode bytes read from ``path`` (UTF-8, optional BOM) into a :class:`Source`."""
    from gusp_cli.store.yamlio import decode

    text, problems = decode(raw, path)
    if text is None:
        raise GuspError("\n".join(p.format() for p in problems), 1)
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw.decode("utf-8-sig")
    lines = tuple(_split_ending(m.group()) for m in _LINE.finditer(body))
    endings = Counter(end for _, end in lines if end)
    newline = endings.most_common(1)[0][0] if endings else "\n"
    return Source(path, raw, text, bom, newline, lines)


def _split_ending(line: str) -> tuple[str, str]:
    """Split a line into its content and its line ending."""
    for ending in ("\r\n", "\n", "\r"):
        if line.endswith(ending):
            return line[: -len(ending)], ending
    return line, ""


def encode_like(source: Source, text: str) -> bytes:
    """Encode LF ``text`` the way ``source`` was written: BOM, and each unchanged line's own ending.

    Lines equal to original ones keep their original ending; new lines take the file's dominant
    one. A final line without newline stays so.
    """
    new = _lines_of(text)
    old = source.lines
    start = _common_prefix([c for c, _ in old], [c for c, _ in new])
    head = list(old[:start])
    rest_old, rest_new = old[start:], new[start:]
    end = _common_suffix([c for c, _ in rest_old], [c for c, _ in rest_new])
    middle_old = rest_old[: len(rest_old) - end]
    middle_new = rest_new[: len(rest_new) - end]
    tail = list(rest_old[len(rest_old) - end:])
    middle: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, [c for c, _ in middle_old], [c for c, _ in middle_new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            middle.extend(middle_old[i1:i2])
        else:
            middle.extend((content, source.newline if ending else "")
                          for content, ending in middle_new[j1:j2])
    pieces = head + middle + tail
    if tail and new and not new[-1][1]:
        pieces[-1] = (pieces[-1][0], "")
    out = "".join(content + (ending or (source.newline if i < len(pieces) - 1 else ""))
                  for i, (content, ending) in enumerate(pieces))
    return (b"\xef\xbb\xbf" if source.bom else b"") + out.encode("utf-8")


def _lines_of(text: str) -> list[tuple[str, str]]:
    """Split LF text into (content, ending) pairs."""
    return [_split_ending(m.group()) for m in _LINE.finditer(text)]


def _common_prefix(a: list[str], b: list[str]) -> int:
    """Number of leading items equal in both lists."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: list[str], b: list[str]) -> int:
    """Number of trailing items equal in both lists."""
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def unified_diff(old: str, new: str, name: str) -> str:
    """A ``git diff``-like unified diff of two LF texts."""
    lines = difflib.unified_diff([c + e for c, e in _lines_of(old)], [c + e for c, e in _lines_of(new)],
                                 f"a/{name}", f"b/{name}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n\\ Pas de fin de ligne\n" for line in lines)
