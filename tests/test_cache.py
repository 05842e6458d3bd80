"""The parse cache: content-addressed, safe against corrupt entries, never changes a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from gusp_cli import cache
from gusp_cli.cache import ParseCache
from gusp_cli.loader import load
from gusp_cli.yamlio import parse_file


def test_second_read_comes_from_the_cache_with_the_same_values(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    first, second = parse_file(path), parse_file(path)
    assert not first.cached and second.cached
    assert second.data == first.data and second.root is None


def test_a_changed_file_is_parsed_again(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    parse_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Tour de quartier", "Tour du quartier"),
                    encoding="utf-8")
    again = parse_file(path)
    assert not again.cached and "Tour du quartier mensuel" in str(again.data)


def test_corrupt_entry_is_dropped_and_the_file_parsed(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    parse_file(path)
    entry = Path(store._path(store.key(path.read_bytes())))
    entry.write_bytes(b"\x00garbage")
    again = parse_file(path)
    assert not again.cached and again.ok  # the garbage was dropped, the file parsed for real
    assert parse_file(path).cached  # and the entry written again


def test_files_with_problems_are_never_cached(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    assert not parse_file(path).ok
    assert not parse_file(path).cached


def test_positions_are_found_for_a_cached_file(store: ParseCache, base_charter: Path) -> None:
    load(base_charter)  # fills the cache
    charter = load(base_charter)
    warning = next(p for p in charter.problems if p.rule == "echeance_absente")
    assert warning.pos is not None and (warning.pos.line, warning.pos.col) == (38, 9)


def test_no_cache_option_reads_the_files(base_charter: Path, gusp, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    code, _, _ = gusp("--no-cache", "validate", "-C", str(base_charter))
    assert code == 0 and not (tmp_path / "xdg" / "gusp").exists()
    code, _, _ = gusp("validate", "-C", str(base_charter))
    assert code == 0 and any((tmp_path / "xdg" / "gusp").rglob("*.marshal"))
    cache.activate(None)
