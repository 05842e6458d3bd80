"""A cache keyed by each file's content, like beancount's: warm runs skip parsing and validation.

Three kinds of entries, stored with :mod:`marshal`, all salted with the tool's version, the cache
format and a fingerprint of the package's code (an edited checkout never reads stale entries):

- *parsed*: the BLAKE2 hash of a file's bytes -> the plain values the reader built from it (dicts,
  lists, strings, numbers, booleans, None: dates are kept as text);
- *validated*: a model name and that hash -> the validated model, encoded by :mod:`gusp_cli.frozen`
  (a warm query then needs neither the YAML parser nor pydantic);
- *verdict*: every file of a repository with its hash -> the problems found by the cross-record
  rules, with their positions, and the earliest reference date they hold for
  (:mod:`gusp_cli.verdict`).

Only files read and validated without any problem are stored, so every error is still found by
the real parser and validator, with its position.

The cache lives outside the charter repository (``$XDG_CACHE_HOME/gusp``, else ``~/.cache/gusp``).
It is safe against concurrent runs (entries are written to a temporary file then renamed) and
against corrupt entries (an unreadable entry is deleted and the file parsed again). Any failure
of the cache itself is silent: the cache can only make gusp faster, never wrong or broken.
It is off unless :func:`activate` is called (the CLI does, unless ``--no-cache``).
"""

from __future__ import annotations

import itertools
import marshal
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from gusp_cli import __version__

try:  # the BLAKE2 module alone: ``hashlib`` also loads OpenSSL (≈ 2 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b

CACHE_FORMAT = 3
"""Bump when the reader changes what it builds from the same bytes."""


def code_fingerprint() -> str:
    """Size and modification time of every module of the package (an edited checkout is new code).

    An installed release never changes; an editable checkout does, without a version bump: its
    cached validated values and verdicts must not outlive a change of the models or the rules.
    """
    package = Path(__file__).parent
    parts = []
    with suppress(OSError), os.scandir(package) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                parts.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(parts)


_SALT = (f"gusp {__version__} format {CACHE_FORMAT} marshal {marshal.version} py{sys.version_info[:2]} "
         f"{code_fingerprint()}")


class ParseCache:
    """Content-addressed storage of parsed YAML values."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def key(raw: bytes) -> str:
        """The cache key of a file's bytes (salted: a new gusp version never reads old entries)."""
        digest = blake2b(_SALT.encode(), digest_size=20)
        digest.update(raw)
        return digest.hexdigest()

    @staticmethod
    def derived(*parts: str) -> str:
        """The key of a value derived from files (validated models, a verdict): ``parts`` name it."""
        digest = blake2b(_SALT.encode(), digest_size=20)
        digest.update("\0".join(parts).encode())
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], f"{key}.marshal")

    def get(self, key: str) -> Any:
        """The values stored under ``key``, or None (absent or corrupt entries)."""
        return self.get_with_time(key)[0]

    def get_with_time(self, key: str) -> tuple[Any, int | None]:
        """The values stored under ``key`` and the time they were written (ns), or (None, None)."""
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                written = os.fstat(handle.fileno()).st_mtime_ns
                blob = handle.read()
        except OSError:
            return None, None
        try:
            return marshal.loads(blob), written
        except (EOFError, ValueError, TypeError):
            with suppress(OSError):
                os.unlink(path)
            return None, None

    def put(self, key: str, data: Any) -> None:
        """Store ``data`` under ``key`` atomically; give up silently on any error."""
        path = self._path(key)
        temp = f"{path}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp"  # unique to this process and write
        try:
            blob = marshal.dumps(data)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(temp, path)
            finally:
                with suppress(OSError):
                    os.unlink(temp)
        except (OSError, ValueError):
            return


_TEMP_NUMBERS = itertools.count()


def default_directory(env: dict[str, str] | os._Environ[str]) -> Path:
    """``$XDG_CACHE_HOME/gusp``, else ``~/.cache/gusp``."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gusp"


_ACTIVE: ParseCache | None = None


def activate(cache: ParseCache | None) -> None:
    """Use ``cache`` for the following reads (None turns caching off)."""
    global _ACTIVE
    _ACTIVE = cache


def active() -> ParseCache | None:
    """The cache in use, if any."""
    return _ACTIVE
