"""A cache keyed by each file's content, like beancount's: warm runs skip parsing and validation.

Three kinds of entries, stored with :mod:`marshal`, all salted with the tool's version, the cache
format and a fingerprint of the package's code (an edited checkout never reads stale entries):

- *parsed*: the BLAKE2 hash of a file's bytes -> the plain values the reader built from it (dicts,
  lists, strings, numbers, booleans, None: dates are kept as text);
- *validated*: a model name and that hash -> the validated model, encoded by :mod:`gusp_cli.store.frozen`
  (a warm query then needs neither the YAML parser nor pydantic);
- *verdict*: every file of a repository with its hash -> the problems found by the cross-record
  rules, with their positions, and the earliest reference date they hold for
  (:mod:`gusp_cli.store.verdict`).

Only files read and validated without any problem are stored, so every error is still found by
the real parser and validator, with its position.

The cache lives outside the charter repository (``$XDG_CACHE_HOME/gusp``, else ``~/.cache/gusp``).
It is safe against concurrent runs (entries are written to a temporary file then renamed) and
against corrupt entries: every entry starts with the CRC-32 and the length of its payload, and an
entry that does not match them (a flipped bit, an edited or truncated file) is deleted and the file
parsed again, as on a miss. A garbled entry must never change an answer. Any failure
of the cache itself is silent: the cache can only make gusp faster, never wrong or broken.
It is off unless :func:`activate` is called (the CLI does, unless ``--no-cache``).
"""

from __future__ import annotations

import itertools
import marshal
import os
import sys
import zlib

from gusp_cli import __version__

TYPE_CHECKING = False  # not ``typing``: the help cache imports this module (≈ 7 ms saved)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

try:  # the BLAKE2 module alone: ``hashlib`` also loads OpenSSL (≈ 2 ms of every start)
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b as blake2b

CACHE_FORMAT = 5
"""Bump when the reader changes what it builds from the same bytes, or entries are stored differently."""


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The ``gusp_cli`` package folder (this module lives in ``gusp_cli/store/``)."""


def package_files() -> tuple[tuple[str, int, int], ...]:
    """Relative path, modification time (ns) and size of every ``.py`` file of the package.

    An installed release never changes; an editable checkout does, without a version bump: cached
    values, verdicts and helps must not outlive a change of the code (the help cache adds the
    renderers, :func:`gusp_cli.cli.entry.code_fingerprint`). Raises OSError on an unreadable folder.
    """
    found: list[tuple[str, int, int]] = []
    folders = [_PACKAGE]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in ("__pycache__", "_embedded") and not entry.name.startswith("."):
                        folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    found.append((entry.path[len(_PACKAGE):], info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def _salted() -> Any:
    """A BLAKE2 state fed with the salt: gusp's version, the cache format and the code (once a run)."""
    global _SALTED
    if _SALTED is None:
        try:
            code: object = package_files()
        except OSError:
            code = "?"
        salt = (f"gusp {__version__} format {CACHE_FORMAT} marshal {marshal.version} "
                f"py{sys.version_info[:2]} {code}")
        _SALTED = blake2b(salt.encode(), digest_size=20)
    return _SALTED


_SALTED: Any = None


def write_atomically(path: str, blob: bytes) -> None:
    """Write ``blob`` to ``path`` through a temporary file and a rename; silent on any error.

    For caches only: a concurrent reader sees the old entry or the new one, never half of it.
    """
    temp = f"{path}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp"  # unique to this process and write
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(temp, path)
        finally:
            try:  # noqa: SIM105 - contextlib costs 2 ms to import on the help path
                os.unlink(temp)
            except OSError:
                pass
    except OSError:
        return


_TEMP_NUMBERS = itertools.count()


class ParseCache:
    """Content-addressed storage of parsed YAML values."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = directory

    @staticmethod
    def key(raw: bytes) -> str:
        """The cache key of a file's bytes (salted: a new gusp version never reads old entries)."""
        digest = _salted().copy()
        digest.update(raw)
        return str(digest.hexdigest())

    @staticmethod
    def derived(*parts: str) -> str:
        """The key of a value derived from files (validated models, a verdict): ``parts`` name it."""
        digest = _salted().copy()
        digest.update("\0".join(parts).encode())
        return str(digest.hexdigest())

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], f"{key}.marshal")

    def get(self, key: str) -> Any:
        """The values stored under ``key``, or None (absent or corrupt entries)."""
        return self.get_with_time(key)[0]

    def get_with_time(self, key: str) -> tuple[Any, int | None]:
        """The values stored under ``key`` and the time they were written (ns), or (None, None).

        An entry whose checksum does not match its payload (a flipped bit, a truncated or edited
        file) is deleted and reported absent: the caller reads the file again, like a miss.
        """
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                written = os.fstat(handle.fileno()).st_mtime_ns
                blob = handle.read()
        except OSError:
            return None, None
        payload = _unsealed_view(blob)
        if payload is not None:
            try:
                return marshal.loads(payload), written
            except (EOFError, ValueError, TypeError):
                pass
        try:  # noqa: SIM105
            os.unlink(path)
        except OSError:
            pass
        return None, None

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not read: it may still turn out corrupt)."""
        return os.path.exists(self._path(key))

    def put(self, key: str, data: Any) -> None:
        """Store ``data`` under ``key`` atomically, with its checksum; give up silently on any error."""
        try:
            blob = marshal.dumps(data)
        except ValueError:  # a value marshal cannot store: not cached
            return
        write_atomically(self._path(key), sealed(blob))


CHECKSUM_BYTES = 12
"""Length of the header that starts every entry (of the parse cache and the help cache): the CRC-32
of its payload and the payload's length (4 + 8 bytes, little-endian). The checksum is against
accidents (a flipped bit, a truncated or edited file), not an attacker, who could write the
cache anyway: CRC-32, as zip and PNG use, checks 10 MB in 2.7 ms where BLAKE2 took 14.8 ms (the
warm ``gusp overdue`` of 50,000 actions reads that much, measured)."""


def sealed(payload: bytes) -> bytes:
    """``payload`` preceded by its checksum and length (:func:`unsealed` gives it back)."""
    return zlib.crc32(payload).to_bytes(4, "little") + len(payload).to_bytes(8, "little") + payload


def unsealed(blob: bytes) -> bytes | None:
    """The payload of a :func:`sealed` blob, or None when its checksum or length does not match."""
    payload = _unsealed_view(blob)
    return None if payload is None else payload.tobytes()


def _unsealed_view(blob: bytes) -> memoryview | None:
    """:func:`unsealed` without copying the payload."""
    payload = memoryview(blob)[CHECKSUM_BYTES:]
    if (len(blob) < CHECKSUM_BYTES or int.from_bytes(blob[4:CHECKSUM_BYTES], "little") != len(payload)
            or zlib.crc32(payload) != int.from_bytes(blob[:4], "little")):
        return None
    return payload


def default_directory(env: Mapping[str, str]) -> str:
    """``$XDG_CACHE_HOME/gusp``, else ``~/.cache/gusp``."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gusp")


_ACTIVE: ParseCache | None = None


def activate(cache: ParseCache | None) -> None:
    """Use ``cache`` for the following reads (None turns caching off)."""
    global _ACTIVE
    _ACTIVE = cache


def active() -> ParseCache | None:
    """The cache in use, if any."""
    return _ACTIVE
