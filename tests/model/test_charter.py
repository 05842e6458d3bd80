"""A loaded charter's index of actions by id (gusp_cli.model.charter.ActionIndex): the same entries,
in the same order, as every entry built, and finding one builds only its quartier's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from gusp_cli.model.charter import ActionIndex, Charter
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.loader import load
from tests.conftest import CASES


def _by_entries(charter: Charter) -> dict[str, tuple[str, Path, tuple[object, ...]]]:
    """Action id -> (quartier, file, place) of its first entry, from every entry built."""
    first: dict[str, tuple[str, Path, tuple[object, ...]]] = {}
    for entry in charter.entries:
        first.setdefault(entry.id, (entry.quartier.id, entry.file, entry.yaml_path))
    return first


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "call"
    shutil.copytree(CASES / "call" / "charter-data", target / "charter-data")
    return target


def test_the_index_gives_the_entries_every_entry_gives(store: ParseCache, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "charter-data/quartiers/avion.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: AVI-002\n", "id: LEN-001\n", 1),
                    encoding="utf-8")  # a duplicate: the first one (in lens.yaml) is the one found
    load(root)
    for charter in (load(root), load(root, today=dt.date(2026, 11, 25))):  # models from the cache
        index = charter.by_id
        assert isinstance(index, ActionIndex)
        expected = _by_entries(load(root))
        assert list(index) == list(expected) and len(index) == len(expected)
        assert {k: (e.quartier.id, e.file, e.yaml_path) for k, e in index.items()} == expected
        assert index["LEN-001"].file.name == "lens.yaml" and "AVI-002" not in index


def test_finding_one_action_builds_only_its_quartier(store: ParseCache, tmp_path: Path) -> None:
    root = _copy(tmp_path)
    load(root)
    charter = load(root)  # models from the cache, their action ids with them
    assert charter.by_id["AVI-001"].id == "AVI-001" and charter.by_id.get("XYZ-001") is None
    assert set(charter._entries) == {"avion"}


def test_a_charter_seen_on_a_day_indexes_the_actions_of_that_day(tmp_path: Path) -> None:
    charter = load(_copy(tmp_path)).on(dt.date(2026, 11, 25))
    assert not isinstance(charter.by_id, ActionIndex)
    assert list(charter.by_id) == list(_by_entries(charter))


def test_the_action_count_is_the_number_of_entries_without_building_them(store: ParseCache,
                                                                          tmp_path: Path) -> None:
    root = _copy(tmp_path)
    load(root)
    charter = load(root)  # models from the cache
    count = charter.action_count()
    assert charter._entries == {}  # nothing built to count them
    assert count == len(charter.entries) == 175
    seen = load(root).on(dt.date(2021, 1, 1))  # on a day: actions added later are not there yet
    assert seen.action_count() == len(seen.entries)
    twice = _copy(tmp_path / "twice")
    lievin = twice / "charter-data/quartiers/lievin.yaml"
    lievin.write_text(lievin.read_text(encoding="utf-8").replace("id: lievin\n", "id: lens\n", 1),
                      encoding="utf-8")  # two quartiers of one id: counted as their entries
    shared = load(twice)
    assert shared.action_count() == len(shared.entries)
