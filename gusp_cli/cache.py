"""A parse cache keyed by each file's content, like beancount's: warm runs skip YAML parsing.

An entry maps the BLAKE2 hash of a file's bytes (salted with the tool's version and the cache
format) to the plain values the reader built from it, stored with :mod:`marshal` (the reader only
produces dicts, lists, strings, numbers, booleans and None: dates are kept as text). Only files
read without any problem are stored, so every error is still found by the real parser, with its
position.

The cache lives outside the charter repository (``$XDG_CACHE_HOME/gusp``, else ``~/.cache/gusp``).
It is safe against concurrent runs (entries are written to a temporary file then renamed) and
against corrupt entries (an unreadable entry is deleted and the file parsed again). Any failure
of the cache itself is silent: the cache can only make gusp faster, never wrong or broken.
It is off unless :func:`activate` is called (the CLI does, unless ``--no-cache``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from gusp_cli import __version__

CACHE_FORMAT = 1
"""Bump when the reader changes what it builds from the same bytes."""
_SALT = f"gusp {__version__} format {CACHE_FORMAT} marshal {marshal.version} py{sys.version_info[:2]}"


class ParseCache:
    """Content-addressed storage of parsed YAML values."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def key(raw: bytes) -> str:
        """The cache key of a file's bytes (salted: a new gusp version never reads old entries)."""
        digest = hashlib.blake2b(_SALT.encode(), digest_size=20)
        digest.update(raw)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.marshal"

    def get(self, key: str) -> Any:
        """The values stored under ``key``, or None (absent or corrupt entries)."""
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            return marshal.loads(blob)
        except (EOFError, ValueError, TypeError):
            with suppress(OSError):
                path.unlink()
            return None

    def put(self, key: str, data: Any) -> None:
        """Store ``data`` under ``key`` atomically; give up silently on any error."""
        path = self._path(key)
        try:
            blob = marshal.dumps(data)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(temp, path)
            finally:
                with suppress(OSError):
                    os.unlink(temp)
        except (OSError, ValueError):
            return


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
