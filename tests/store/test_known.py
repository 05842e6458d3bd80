"""What earlier loads know (gusp_cli.store.known): content-addressed, safe against corrupt entries,
and never a change of result."""

from __future__ import annotations

from pathlib import Path

import pytest

from gusp_cli.model.models import Quartier
from gusp_cli.store import cache
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.known import Known
from gusp_cli.store.loader import load
from gusp_cli.store.sources import Overrides, Sources
from gusp_cli.store.yamlio import parse_file


def _insertion(root: Path) -> Path:
    path = root / "charter-data" / "insertion.yaml"
    path.write_text("semestres:\n  - semestre: 2025-S2\n    heures_travaux: 10\n    heures_gup: 5\n"
                    "    beneficiaires: 2\n", encoding="utf-8")
    return path


def test_values_are_kept_by_content_and_given_back_equal(store: ParseCache, base_charter: Path) -> None:
    path = _insertion(base_charter)
    known = Known(store, Sources(base_charter), None)
    raw, key, problem = known.read(path)
    assert raw == path.read_bytes() and key == store.key(raw) and problem is None
    assert known.values(path, "RegistreInsertion", key) is None
    known.keep_values(path, "RegistreInsertion", key, parse_file(path).data)
    assert known.values(path, "RegistreInsertion", key) == parse_file(path).data


def test_a_kept_model_needs_no_values(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    known = Known(store, Sources(base_charter), None)
    _, key, _ = known.read(path)
    known.keep_values(path, "Quartier", key, parse_file(path).data)
    assert known.values(path, "Quartier", key) is None
    fresh = load(base_charter)
    model = Quartier.model_validate(parse_file(path).data)
    kept = known.keep_model(path, "Quartier", key, model)
    found = known.model(path, "Quartier", key)
    assert found is not None and found.model == model == fresh.quartier("centre")
    assert found.dues == [e.due.toordinal() if e.due else 0 for e in fresh.entries]
    assert kept == found  # what the load goes on with: what the next load rebuilds


def test_a_changed_file_has_another_key(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    load(base_charter)
    known = Known(store, Sources(base_charter), None)
    _, before, _ = known.read(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Tour de quartier", "Tour du quartier"),
                    encoding="utf-8")
    _, after, _ = known.read(path)
    assert before != after and known.model(path, "Quartier", after) is None
    assert "Tour du quartier mensuel" in load(base_charter).by_id["CEN-001"].action.libelle


def test_a_corrupt_entry_is_dropped_and_the_file_read_again(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    reference = load(base_charter)
    key = store.key(path.read_bytes())
    entry = Path(store._path(store.derived("valide", "Quartier", key)))
    assert entry.is_file()
    entry.write_bytes(b"\x00garbage")
    known = Known(store, Sources(base_charter), None)
    assert known.model(path, "Quartier", key) is None and not entry.exists()
    again = load(base_charter)
    assert again.quartier("centre") == reference.quartier("centre") and entry.is_file()


def test_files_with_problems_are_never_kept(store: ParseCache, base_charter: Path) -> None:
    path = base_charter / "charter-data/quartiers/centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("numero: 2", "numero: deux"), encoding="utf-8")
    assert not load(base_charter).ok
    key = store.key(path.read_bytes())
    assert store.get(key) is None and store.get(store.derived("valide", "Quartier", key)) is None


def test_files_held_in_memory_are_kept_by_content(store: ParseCache, base_charter: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # An edit checks its result in memory before writing it: the command after it finds the
    # written file's model already validated (the cache is keyed by content, not by place).
    from gusp_cli.store import loader

    path = base_charter / "charter-data/quartiers/centre.yaml"
    text = path.read_text(encoding="utf-8").replace("Tour de quartier", "Tour du quartier")
    assert load(base_charter, texts=Overrides({path: text})).ok
    key = store.key(text.encode())
    assert store.get(store.derived("valide", "Quartier", key)) is not None
    path.write_text(text, encoding="utf-8")
    parsed: list[Path] = []
    original = loader._Reading._parse_and_validate
    monkeypatch.setattr(loader._Reading, "_parse_and_validate",
                        lambda self, p, *args: parsed.append(p) or original(self, p, *args))
    after = load(base_charter)
    assert path not in parsed and after.ok
    assert after.quartier("centre") == load(base_charter, texts=Overrides({path: text})).quartier("centre")


def test_positions_are_found_for_a_known_file(store: ParseCache, base_charter: Path) -> None:
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
