"""The standard streams as a run of gusp finds them: closed, full, a closed pipe, a poor encoding,
a terminal that must not receive escape sequences.

:func:`prepare` puts them in shape before a command runs; ``cli.app.run`` maps what still fails
when writing (:func:`output_failure`) to an exit code. The rules:

- a standard descriptor closed at start (``gusp overdue >&-``) gets ``/dev/null`` in its place, so
  no file opened later becomes stdout by accident; writing to a closed stdout is then a French
  usage error (exit 2), never a traceback;
- a full disk (``> /dev/full``) is « disque plein » (exit 2), a closed pipe (``| head -1``) ends
  quietly with exit 0 (GitLab runs scripts with ``set -eo pipefail``);
- an output encoding that cannot write French (``PYTHONIOENCODING=ascii``) replaces what it cannot
  encode instead of failing;
- what goes to a terminal, and everything written on stderr, passes through
  :func:`gusp_cli.french.markup.terminal_text`: a commit subject or an argument holding ``ESC ] 52``
  cannot write the clipboard, ``ESC [ 2J`` cannot clear the screen.

Only the standard library is imported here (the console script uses it before anything else).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

_UNICODE = ("utf-8", "utf-16", "utf-32", "utf-8-sig")
STREAM_ERRNOS = {
    errno.ENOSPC: "disque plein", errno.EDQUOT: "quota disque dépassé", errno.EFBIG: "fichier trop grand",
    errno.EIO: "erreur d'entrée/sortie", errno.EBADF: "la sortie est fermée (>&-)",
    errno.ENXIO: "périphérique absent", errno.ECONNRESET: "connexion fermée",
}
"""Errors of a write to an output stream, in French (a closed pipe, EPIPE, is not an error)."""


class _Closed(io.RawIOBase):
    """The standard output closed at start: every write fails with EBADF."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any, /) -> int:
        raise OSError(errno.EBADF, "sortie standard fermée")


def reserve_descriptors() -> None:
    """Give a closed stdin, stdout or stderr ``/dev/null``, and Python streams that say so.

    Without this, the first file gusp opens (a lock, a temporary file) would get descriptor 1 or 2.
    A closed stdout becomes a stream whose writes fail (EBADF: « sortie standard fermée »); a
    closed stderr silently discards the messages (the exit code still tells).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_Closed()), encoding="utf-8", write_through=True)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives with the process


def replace_unencodable(stream: Any) -> None:
    """Let a stream whose encoding cannot write every character replace them (``?``) instead of failing."""
    try:
        name = codecs.lookup(stream.encoding).name
    except (AttributeError, LookupError, TypeError):
        return
    if name not in _UNICODE and getattr(stream, "errors", "strict") == "strict":
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="replace")


class TerminalText(io.TextIOBase):
    """A text stream that makes every control character visible before writing to ``target``.

    It passes everything else through (``isatty``, ``fileno``, ``encoding``) so that click, typer
    and rich see the same terminal; :func:`unguarded` gives ``target`` back (rich writes its own
    colour codes, the cells it prints being made visible beforehand by ``cli.render``).
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    def write(self, text: str, /) -> int:
        """Write ``text``, control characters made visible (bytes are refused, as by any text stream)."""
        if not isinstance(text, str):
            raise TypeError("write() argument must be str")
        from gusp_cli.french.markup import terminal_text

        self.target.write(terminal_text(text))
        return len(text)

    def flush(self) -> None:
        """Flush the target."""
        self.target.flush()

    def isatty(self) -> bool:
        """Whether the target is a terminal."""
        return self.target.isatty()

    def fileno(self) -> int:
        """The target's descriptor."""
        return self.target.fileno()

    def writable(self) -> bool:
        """Always."""
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The target's encoding."""
        return str(getattr(self.target, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The target's error handler."""
        return getattr(self.target, "errors", "strict")

    @property
    def buffer(self) -> Any:
        """The target's binary buffer (bytes written there are not checked: gusp writes none)."""
        return self.target.buffer


def prepare(*, help_request: bool = False) -> tuple[Any, Any]:
    """Put stdout and stderr in shape for a run; return the originals (for :func:`restore`).

    A help request keeps stdout as it is: the help is gusp's own text, and rich colours it.
    """
    saved = sys.stdout, sys.stderr
    for stream in saved:
        replace_unencodable(stream)
    if not help_request and _is_terminal(sys.stdout):
        sys.stdout = TerminalText(sys.stdout)
    sys.stderr = TerminalText(sys.stderr)
    return saved


def restore(saved: tuple[Any, Any]) -> None:
    """Put back the streams :func:`prepare` replaced (a caller running gusp in-process)."""
    sys.stdout, sys.stderr = saved


def unguarded(stream: Any) -> Any:
    """The stream below a :class:`TerminalText` (for rich, which writes colour codes itself)."""
    return stream.target if isinstance(stream, TerminalText) else stream


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def output_failure(exc: BaseException) -> str | None:
    """The French reason of a failed write to an output stream, or None when ``exc`` is no such failure."""
    if isinstance(exc, OSError) and exc.errno in STREAM_ERRNOS and exc.filename is None:
        return STREAM_ERRNOS[exc.errno]
    return None


def is_closed_pipe(exc: BaseException | None) -> bool:
    """True for a write to a closed pipe (``gusp actions | head -1``), or typer's exit because of one."""
    if isinstance(exc, SystemExit):
        exc = exc.__context__
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def silence_stdout() -> None:
    """Point stdout at the null device and drop what it still holds (after a closed pipe)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
        os.close(null)
    except (OSError, ValueError):
        pass
