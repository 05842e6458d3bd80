"""The ``gusp`` console script: a repeated help request is answered from a cache, without typer.

Rendering ``gusp --help`` imports typer, rich and every command module (about 150 ms), yet the
text only depends on the code, the arguments and the terminal. So a help request (``gusp``,
``gusp --help``, ``gusp -h``, ``gusp COMMAND --help``) is looked up in
``$XDG_CACHE_HOME/gusp/help`` first; on a hit the stored bytes are written to stdout as they are and
the stored exit code returned, having imported nothing but this module. On a miss the application
runs as usual, its output going to the terminal as usual, while a copy of the bytes is kept and
stored for the next time.

The key covers everything that changes the rendering: the arguments, gusp's version, the Python
build, the code (size and modification time of every ``.py`` file of the package, since an editable
install changes without a version bump, and of typer's and rich's ``__init__.py``), whether each
standard stream is a terminal, the terminal size as rich and click probe it, stdout's encoding, and
the environment variables typer, rich, click and gettext read (:data:`RENDERING_ENV`). The full key
text is stored in the entry and compared on reading, so even a hash collision cannot print a wrong
help.

Only a clean run is stored: exit code 0, nothing written on stderr, every write to stdout complete.
Every entry carries a checksum of its bytes. Any failure of the cache is silent (an unreadable,
corrupt or unwritable entry just means a normal run, which stores it again). ``--no-cache`` or
``GUSP_NO_CACHE=1`` bypass it, as for the parse cache.

This module imports only the standard library at top level; keep it that way.
"""

from __future__ import annotations

import io
import os
import sys

from gusp_cli import __version__
from gusp_cli.store.cache import blake2b, default_directory, package_files, sealed, unsealed, write_atomically

TYPE_CHECKING = False  # not ``typing`` (≈ 7 ms): a cached help must print in a few milliseconds
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, BinaryIO, TextIO

    from _typeshed import ReadableBuffer

HELP_FLAGS = ("--help", "-h")
"""The help options of every gusp command (``context_settings`` of the application)."""

ENTRY_FORMAT = b"gusp-help-cache 2"
"""First line of an entry; change it when the entry layout or the key changes."""

RENDERING_ENV = (
    # rich (rich/console.py): width, height, colours, terminal detection, jupyter.
    "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE",
    "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES", "DATABRICKS_RUNTIME_VERSION",
    # rich (rich/_unicode_data): the Unicode version used for cell widths.
    "UNICODE_VERSION",
    # typer (typer/core.py, typer/rich_utils.py).
    "TYPER_USE_RICH", "TERMINAL_WIDTH", "_TYPER_FORCE_DISABLE_TERMINAL", "GITHUB_ACTIONS", "PY_COLORS",
    # gettext (typer's built-in strings go through gettext.gettext).
    "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
)
"""Environment variables read by typer, rich, click or gettext that may change a help's bytes.

(stdout's encoding, which ``LC_CTYPE``, ``PYTHONIOENCODING`` or ``PYTHONUTF8`` set, is in the key
itself. An option declared with ``envvar=`` would not need its variable here: the help shows the
variable's name, never its value.)
"""

MAX_ENTRIES = 256
"""Entries kept (about 10 kB each); the oldest go first (keys of older code, of other terminals)."""

BYPASS_ENV = ("_GUSP_COMPLETE",)
"""Environment variables that turn a run into something else (shell completion): never cached."""

_RENDERERS = ("typer", "rich")

PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
"""Set to ``__all__`` by :func:`main` unless the user set it: gusp uses no pydantic plugin, and
looking for them scans the metadata of every installed distribution when the first model is built
(10 to 15 ms of a cold command in a virtual environment of 100 distributions)."""

PLUGINS_OFF = ("__all__", "1", "true")
"""The values of :data:`PYDANTIC_PLUGINS` with which pydantic loads no plugin at all."""

PLUGIN_LOADER = "pydantic.plugin._loader"
"""pydantic's module that finds the plugins: importing it imports ``importlib.metadata`` (and
``email``, ``zipfile``...), even when the plugins are off."""


def main() -> None:
    """Entry point of the ``gusp`` console script (a closed standard stream gets ``/dev/null`` first:
    :func:`gusp_cli.cli.streams.reserve_descriptors`)."""
    from gusp_cli.cli.streams import reserve_descriptors

    reserve_descriptors()
    os.environ.setdefault(PYDANTIC_PLUGINS, "__all__")
    skip_plugin_loader(os.environ)
    try:
        code = run(sys.argv[1:])
    except KeyboardInterrupt:  # ^C while gusp starts, before its errors are mapped: no traceback
        code = 130
    exit_now(code)


def skip_plugin_loader(environ: Mapping[str, str]) -> bool:
    """When pydantic's plugins are off, give pydantic its plugin loader's answer (no plugin) without
    importing the loader, which imports ``importlib.metadata`` only to look for plugins it will not
    load (7 to 8 ms of a cold command, 30 alternated pairs). True when the answer was given.

    pydantic asks ``get_plugins()`` of that module each time it builds a validator; with the
    plugins off, its own function returns an empty tuple, as this one does. Nothing is done when
    the user turned some plugin on, or when the loader was imported already.
    """
    if environ.get(PYDANTIC_PLUGINS) not in PLUGINS_OFF or PLUGIN_LOADER in sys.modules:
        return False
    module = type(sys)  # types.ModuleType, without importing types on the help path
    loader = module(PLUGIN_LOADER, "No pydantic plugin: gusp runs with the plugins off.")
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[PLUGIN_LOADER] = loader
    return True


def _no_plugins() -> tuple[()]:
    """The plugins pydantic loads when they are off: none."""
    return ()


def exit_now(code: int) -> None:
    """End the process without freeing its objects one by one: the system takes the memory back.

    A query on 50,000 actions holds about a million objects; freeing them, then tearing the
    interpreter down, took 50 ms of a 370 ms run. The exit handlers still run and the standard
    streams are flushed (a closed pipe, ``gusp overdue | head``, is not an error).
    """
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 - contextlib is not imported on the help path
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def run(args: list[str]) -> int:
    """Run gusp with ``args`` and return the exit code, answering a help request from the cache."""
    material = key_material(args, os.environ)
    if material is None:
        from gusp_cli.cli.app import run as run_app

        return run_app(args)
    path = entry_path(material, os.environ)
    hit = read_entry(path, material)
    if hit is not None:
        return _replay(*hit)
    return _run_and_store(args, path, material)


def is_help_request(args: list[str]) -> bool:
    """True for no argument at all (the application shows its help) or command words then ``--help``."""
    for arg in args:
        if arg in HELP_FLAGS:
            return True
        if arg.startswith("-"):
            return False
    return not args


def cache_enabled(args: list[str], environ: Mapping[str, str]) -> bool:
    """False under ``--no-cache`` or ``GUSP_NO_CACHE`` (as for the parse cache), or shell completion."""
    if "--no-cache" in args or environ.get("GUSP_NO_CACHE", "") not in ("", "0"):
        return False
    return not any(name in environ for name in BYPASS_ENV)


def cache_directory(environ: Mapping[str, str]) -> str:
    """``$XDG_CACHE_HOME/gusp/help``, else ``~/.cache/gusp/help`` (beside the parse cache)."""
    return os.path.join(default_directory(environ), "help")


def code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """Relative path, modification time (ns) and size of every ``.py`` file that renders the help.

    All of gusp's package (help texts may quote constants from any module), then typer's and
    rich's ``__init__.py`` as found on ``sys.path`` (a reinstall rewrites them).
    """
    found = list(package_files())
    for name in _RENDERERS:
        for folder in sys.path:
            try:
                info = os.stat(os.path.join(folder or os.curdir, name, "__init__.py"))
            except (OSError, ValueError):
                continue
            found.append((os.path.join(folder, name), info.st_mtime_ns, info.st_size))
            break
        else:
            found.append((name, -1, -1))
    return tuple(found)


def _terminal_sizes() -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The size rich uses (first of stdin, stdout, stderr that is a terminal) and stdout's (click's)."""
    sizes: list[tuple[int, int] | None] = []
    for fd in (0, 1, 2):
        try:
            size = os.get_terminal_size(fd)
        except (OSError, ValueError):
            sizes.append(None)
        else:
            sizes.append((size.columns, size.lines))
    return next((size for size in sizes if size is not None), None), sizes[1]


def key_material(args: list[str], environ: Mapping[str, str]) -> bytes | None:
    """The full key of a help request's output, or None when the request must not use the cache.

    Not a help request, cache disabled, standard streams that are not plain text files (then the
    output could not be replayed byte for byte) or an unreadable package folder: None.
    """
    if not is_help_request(args) or not cache_enabled(args, environ):
        return None
    if not (_plain_stream(sys.stdout) and _plain_stream(sys.stderr)):
        return None
    try:
        fingerprint = code_fingerprint()
    except OSError:
        return None
    parts = (
        __version__,
        sys.version,
        sys.prefix,
        tuple(args),
        tuple(os.isatty(fd) for fd in (0, 1, 2)),
        _terminal_sizes(),
        sys.stdout.encoding,
        sys.stdout.errors,
        tuple((name, environ.get(name)) for name in RENDERING_ENV),
        fingerprint,
    )
    return ascii(parts).encode("ascii")


def entry_path(material: bytes, environ: Mapping[str, str]) -> str:
    """Where the help of ``material`` is stored: a hash of the key in :func:`cache_directory`."""
    return os.path.join(cache_directory(environ), blake2b(material, digest_size=20).hexdigest())


def encode_entry(material: bytes, code: int, output: bytes) -> bytes:
    """An entry: its checksum, then the format line, the full key, ``<exit code> <length>``, then
    the output bytes (a garbled entry is ignored, never printed)."""
    return sealed(b"%s\n%s\n%d %d\n%s" % (ENTRY_FORMAT, material, code, len(output), output))


def read_entry(path: str, material: bytes) -> tuple[bytes, int] | None:
    """The (output, exit code) stored at ``path`` for ``material``; None if absent, foreign or corrupt."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    body = unsealed(blob)
    if body is None:
        return None
    head, _, rest = body.partition(b"\n")
    key, _, rest = rest.partition(b"\n")
    sizes, _, output = rest.partition(b"\n")
    if head != ENTRY_FORMAT or key != material:
        return None
    try:
        code, length = (int(field) for field in sizes.split(b" "))
    except ValueError:
        return None
    if length != len(output):
        return None
    return output, code


def prune(folder: str, keep: int) -> None:
    """Remove the least recently written files of ``folder`` beyond ``keep``; silent on any error."""
    try:
        with os.scandir(folder) as entries:
            dated = sorted((entry.stat().st_mtime_ns, entry.path) for entry in entries)
    except OSError:
        return
    for _, path in dated[:max(len(dated) - keep, 0)]:
        try:
            os.unlink(path)
        except OSError:
            continue


def _plain_stream(stream: TextIO | None) -> bool:
    """A real text file over a binary buffer with a file descriptor (not a test capture, not closed)."""
    if not isinstance(stream, io.TextIOWrapper) or stream.closed:
        return False
    try:
        stream.buffer.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _replay(output: bytes, code: int) -> int:
    """Write a stored help to stdout; a closed pipe (``gusp --help | head``) is not an error, a full
    disk is « disque plein » (exit 2), as in :func:`gusp_cli.cli.app.run`."""
    from gusp_cli.cli.streams import output_failure

    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        reason = output_failure(exc)
        if reason is None:
            raise
        sys.stderr.write(f"gusp : erreur : écriture de la sortie impossible : {reason}\n")
        return 2
    return code


def _silence_stdout() -> None:
    """Point stdout at the null device so that the flush at exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


class _Tee(io.BufferedIOBase):
    """A binary stream writing through to a text stream's buffer and keeping a copy of the bytes.

    :attr:`text` is a text stream with the same encoding, errors and buffering as the original: put
    in place of ``sys.stdout``, the application sees the same terminal (``isatty``, ``fileno``) and
    writes the same bytes, text or binary, while they are recorded.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._target: BinaryIO | None = stream.buffer
        self._name = stream.name
        self.copy = bytearray()
        self.failed = False
        self.text = io.TextIOWrapper(self, encoding=stream.encoding, errors=stream.errors,
                                     line_buffering=bool(stream.line_buffering), write_through=True)

    @property
    def name(self) -> Any:
        """The target stream's name (``<stdout>``)."""
        return self._name

    def writable(self) -> bool:
        """Always writable."""
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        """Write ``data`` through, then record it (a failed or partial write marks the copy unusable)."""
        if self._target is None:
            raise ValueError("write to a released recording stream")
        try:
            written = self._target.write(data)
        except BaseException:
            self.failed = True
            raise
        view = memoryview(data)
        if written != view.nbytes:
            self.failed = True
        self.copy += view
        return view.nbytes

    def flush(self) -> None:
        """Flush the target stream (nothing once released)."""
        if self._target is None:
            return
        try:
            self._target.flush()
        except BaseException:
            self.failed = True
            raise

    def isatty(self) -> bool:
        """Whether the target stream is a terminal."""
        return self._target is not None and self._target.isatty()

    def fileno(self) -> int:
        """The target stream's file descriptor."""
        if self._target is None:
            raise io.UnsupportedOperation("fileno")
        return self._target.fileno()

    def release(self) -> None:
        """Flush the text stream, then let go of the target (a late write fails, a flush does nothing)."""
        try:
            self.text.flush()
        except (OSError, ValueError):
            self.failed = True
        self._target = None


def _run_and_store(args: list[str], path: str, material: bytes) -> int:
    """Run gusp while recording stdout and stderr; store stdout when the run was clean."""
    from gusp_cli.cli.app import run as run_app

    sys.stdout.flush()
    sys.stderr.flush()
    saved = sys.stdout, sys.stderr
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    sys.stdout, sys.stderr = out.text, err.text
    try:
        code = run_app(args)
    finally:
        sys.stdout, sys.stderr = saved
        out.release()
        err.release()
    if code == 0 and not (out.failed or err.failed or err.copy):
        write_atomically(path, encode_entry(material, code, bytes(out.copy)))
        prune(os.path.dirname(path), MAX_ENTRIES)
    return code
