"""Content hashes of a repository's files, trusted while their status is unchanged (like git's index).

Hashing a national repository (500 files, 15 MB) costs more than reading its validated values
from the cache. The index keeps, per file, its size, modification and change times, inode and
content hash; a file whose status is the same is not read again.

Timestamps are coarse on some file systems: a file rewritten within the same tick, at the same size,
would look unchanged. As git does with its "racy" entries, an entry is only trusted when the file
was last modified :data:`RACY_NS` before the index itself was written (the index file's own
modification time, from the file system: no clock is read). Otherwise the file is hashed again,
and the index written again so that the entry becomes trusted later.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from gusp_cli.store.cache import ParseCache

RACY_NS = 2_000_000_000
"""Two seconds: the coarsest timestamp granularity of common file systems (FAT)."""

Status = tuple[int, int, int, int]
"""Size, modification time, change time (ns) and inode of a file."""


def status(path: str) -> Status | None:
    """The status of a regular file (following links), or None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class FileIndex:
    """The content hashes of one repository's files, by path relative to its root."""

    def __init__(self, cache: ParseCache, root: str) -> None:
        self.cache = cache
        self.key = cache.derived("index", os.path.realpath(root))
        stored, written = cache.get_with_time(self.key)
        self.entries: dict[str, tuple[Status, str]] = stored if isinstance(stored, dict) else {}
        self.written = written
        self.changed = False

    def known(self, relative: str, path: str) -> str | None:
        """The content hash of a file whose status has not changed since it was indexed, or None."""
        entry = self.entries.get(relative)
        if entry is None or self.written is None:
            return None
        try:
            (size, mtime, ctime, ino), key = entry
        except (TypeError, ValueError):
            return None
        if max(mtime, ctime) >= self.written - RACY_NS:
            return None  # modified too close to the index: could have changed within a tick
        return key if status(path) == (size, mtime, ctime, ino) else None

    def record(self, relative: str, path: str, key: str, before: Status | None) -> None:
        """Remember ``key`` for a file hashed from bytes read while its status was ``before``.

        A file that changed while it was read (status before and after differ) is not recorded.
        """
        if before is None or status(path) != before:
            return
        if self.entries.get(relative) != (before, key) or self.written is None or (
                max(before[1], before[2]) >= self.written - RACY_NS):
            self.entries[relative] = (before, key)
            self.changed = True

    def save(self) -> None:
        """Write the index if an entry was added or changed (silently: it is only a cache)."""
        if self.changed:
            self.cache.put(self.key, self.entries)
            self.changed = False


def open_index(cache: ParseCache | None, root: Any) -> FileIndex | None:
    """The index of the repository at ``root`` when the cache is on."""
    return FileIndex(cache, str(root)) if cache is not None else None
