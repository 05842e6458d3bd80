"""The index of content hashes: a file is read again whenever it may have changed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from gusp_cli.store.cache import ParseCache
from gusp_cli.store.fileindex import RACY_NS, FileIndex, status
from gusp_cli.store.loader import load

LONG_AGO_NS = 1_600_000_000 * 10**9  # 2020: well before the index is written


def _indexed(store: ParseCache, root: Path, path: Path, *, later: bool = True) -> FileIndex:
    """An index that recorded ``path`` (its key is its content hash) and was saved; ``later``: as
    if saved ten seconds from now (a file's change time cannot be set back, the index's can)."""
    index = FileIndex(store, str(root))
    index.record(path.name, str(path), store.key(path.read_bytes()), status(str(path)))
    index.save()
    if later:
        _save_later(store, root)
    return FileIndex(store, str(root))


def _save_later(store: ParseCache, root: Path) -> None:
    """Date the saved index of ``root`` ten seconds from now."""
    entry = store._path(FileIndex(store, str(root)).key)
    later = os.stat(entry).st_mtime_ns + 10 * 10**9
    os.utime(entry, ns=(later, later))


def test_an_old_unchanged_file_is_known_without_reading_it(store: ParseCache, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    index = _indexed(store, tmp_path, path)
    assert index.known("a.yaml", str(path)) == store.key(b"a: 1\n")


def test_a_file_changed_within_the_racy_window_is_read_again(store: ParseCache, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")  # modified just now: as recent as the index itself
    index = _indexed(store, tmp_path, path, later=False)
    assert index.written is not None and status(str(path))[1] >= index.written - RACY_NS  # type: ignore[index]
    assert index.known("a.yaml", str(path)) is None


def test_same_size_and_time_but_new_content_is_seen(store: ParseCache, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    index = _indexed(store, tmp_path, path)
    path.write_text("a: 2\n")  # same size; the modification time is even put back
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    assert index.known("a.yaml", str(path)) is None  # the change time (and inode) moved


def test_the_loader_reads_a_file_rewritten_behind_the_index(store: ParseCache, base_charter: Path) -> None:
    day = dt.date(2026, 11, 25)
    path = base_charter / "charter-data/quartiers/centre.yaml"
    for file in (base_charter / "charter-data").rglob("*.yaml"):
        os.utime(file, ns=(LONG_AGO_NS, LONG_AGO_NS))
    load(base_charter, today=day)
    _save_later(store, base_charter)
    index = FileIndex(store, str(base_charter))
    assert index.known("charter-data/quartiers/centre.yaml", str(path))  # trusted from now on
    assert load(base_charter, today=day).ok  # served by the index and the cache
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Tour de quartier mensuel", "Tour de quartier mensuex"), encoding="utf-8")
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    charter = load(base_charter, today=day)
    assert charter.by_id["CEN-001"].action.libelle == "Tour de quartier mensuex"


def test_a_corrupt_index_is_ignored(store: ParseCache, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    index = FileIndex(store, str(tmp_path))
    store.put(index.key, {"a.yaml": "not a status"})
    assert FileIndex(store, str(tmp_path)).known("a.yaml", str(path)) is None


def test_an_indexed_file_replaced_by_a_link_out_of_the_repository_is_refused(
        store: ParseCache, base_charter: Path, tmp_path: Path) -> None:
    day = dt.date(2026, 11, 25)
    path = base_charter / "charter-data/quartiers/centre.yaml"
    outside = tmp_path / "ailleurs.yaml"
    outside.write_bytes(path.read_bytes())  # the same content, out of the repository
    load(base_charter, today=day)
    _save_later(store, base_charter)
    path.unlink()
    path.symlink_to(outside)
    assert "lien_exterieur" in {p.rule for p in load(base_charter, today=day).errors}
