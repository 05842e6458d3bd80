"""Validated models from the cache: the same values as pydantic's, read-only, without pydantic."""

from __future__ import annotations

import datetime as dt
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from gusp_cli.model.models import Action, Quartier
from gusp_cli.model.vocabulary import Statut
from gusp_cli.store import cache
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.frozen import Record, decode, describe, encode, pack_layouts, unpack_layouts
from gusp_cli.store.loader import load
from tests.conftest import CALL

AS_OF = dt.date(2026, 11, 25)



def _twice(root: Path, store: ParseCache) -> tuple:  # type: ignore[type-arg]
    """A load that fills the cache, then one that reads every model from it."""
    cache.activate(None)
    reference = load(root, today=AS_OF)
    cache.activate(store)
    load(root, today=AS_OF)
    return reference, load(root, today=AS_OF)


@pytest.mark.parametrize("fixture", ["embedded_copy", "base_charter", "gov"])
def test_a_charter_from_the_cache_equals_the_charter_validated_by_pydantic(
        fixture: str, store: ParseCache, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(fixture)
    reference, cached = _twice(root, store)
    assert all(isinstance(q, Record) for q in cached.quartiers) and isinstance(cached.charte, Record)
    assert cached.charte == reference.charte and cached.registre == reference.registre
    assert cached.quartiers == reference.quartiers and cached.reunions == reference.reunions
    assert [e.id for e in cached.entries] == [e.id for e in reference.entries]
    assert [e.index for e in cached.entries] == [e.index for e in reference.entries]
    for got, want in zip(cached.entries, reference.entries, strict=True):
        assert got.action == want.action and got.tableau == want.tableau
        assert (got.file, got.yaml_path, got.due) == (want.file, want.yaml_path, want.due)
    assert [p.format() for p in cached.problems] == [p.format() for p in reference.problems]


def test_record_values_have_the_models_types(store: ParseCache, base_charter: Path) -> None:
    reference, cached = _twice(base_charter, store)
    action = next(e.action for e in cached.entries if e.action.suivi)
    assert isinstance(action, Record) and type(action).__name__ == "Action"
    assert isinstance(action.suivi[0].date, dt.date)
    statuses = [e.action.statut for e in cached.entries if e.action.statut is not None]
    assert statuses and all(type(s) is Statut for s in statuses)
    assert action.model_dump(mode="json") == next(
        e.action for e in reference.entries if e.id == action.id).model_dump(mode="json")


def test_records_are_read_only(store: ParseCache, base_charter: Path) -> None:
    _, cached = _twice(base_charter, store)
    action = cached.entries[0].action
    with pytest.raises(AttributeError):
        action.statut = Statut.realisee  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(action)


def test_a_quartier_rebuilds_its_actions_only_when_asked(tmp_path: Path, store: ParseCache,
                                                         embedded_copy: Path) -> None:
    load(embedded_copy, today=AS_OF)
    charter = load(embedded_copy, today=AS_OF)
    avion = charter.entries_of("avion")
    lens = charter.quartier("lens")
    assert avion and avion[0].index == charter.counts["lens"] + charter.counts["lievin"]
    assert lens is not None and "tableaux" not in vars(lens)  # never rebuilt
    assert len(charter.entries) == 175 and "tableaux" in vars(lens)


def test_encode_decode_round_trip_without_the_cache() -> None:
    quartier = load(CALL).quartier("avion")
    assert isinstance(quartier, Quartier)
    layouts = describe(Quartier, frozenset({"tableaux"}))
    rebuilt = decode(encode(quartier, layouts), "Quartier", layouts)
    assert rebuilt == quartier and quartier == rebuilt
    assert rebuilt.model_dump(mode="json") == quartier.model_dump(mode="json")
    assert list(type(rebuilt).model_fields) == list(Quartier.model_fields)
    assert list(type(rebuilt.tableaux[0].actions[0]).model_fields) == list(Action.model_fields)


def test_a_rebuilt_action_holds_its_values_without_a_dict_of_its_own(store: ParseCache,
                                                                      base_charter: Path) -> None:
    _, cached = _twice(base_charter, store)
    action = next(e.action for e in cached.entries if e.action.suivi)
    assert not hasattr(action, "__dict__")  # every value rebuilt at once: no per-record memo
    assert action.suivi is action.suivi and isinstance(action.suivi[0].date, dt.date)
    empty = next(e.action for e in cached.entries if not e.action.suivi)
    assert empty.suivi == [] and empty.date_realisation is None


READ_ONLY_MODULES = (
    "gusp_cli.track.queries", "gusp_cli.track.responsibilities", "gusp_cli.track.fiche",
    "gusp_cli.governance.veille", "gusp_cli.governance.agenda", "gusp_cli.governance.signal_records",
    "gusp_cli.governance.calendar", "gusp_cli.governance.insertion", "gusp_cli.reports.review",
    "gusp_cli.exchange.workbook",
)
"""Modules of the commands that only read: importing them after a warm load imports no pydantic
(a model named in an annotation is imported for the type checker only)."""


def test_a_warm_load_does_not_import_pydantic(tmp_path: Path, embedded_copy: Path) -> None:
    script = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from gusp_cli.store import cache\n"
        "from gusp_cli.store.loader import load\n"
        f"cache.activate(cache.ParseCache(Path({str(tmp_path / 'c')!r})))\n"
        f"charter = load(Path({str(embedded_copy)!r}), today=dt.date(2026, 11, 25))\n"
        "assert charter.ok and len(charter.entries) == 175\n"
        f"import {', '.join(READ_ONLY_MODULES)}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "'pydantic'" in first.stdout  # the first load validates with pydantic
    assert second.stdout.strip() == "[]"


def test_an_entry_of_another_shape_is_validated_again(store: ParseCache, base_charter: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store import validation

    load(base_charter, today=AS_OF)
    path = base_charter / "charter-data/quartiers/centre.yaml"
    key = store.derived("valide", "Quartier", store.key(path.read_bytes()))
    store.put(key, ("not", "a", "layout", "at all"))
    validated: list[str] = []
    keeping = validation.validate_keeping
    monkeypatch.setattr(validation, "validate_keeping",
                        lambda model, *args: validated.append(model.__name__) or keeping(model, *args))
    charter = load(base_charter, today=AS_OF)
    assert charter.ok and validated == ["Quartier"]
    packed, encoded, dues, ids = store.get(key)  # stored again, in its shape
    layouts = unpack_layouts(packed)
    assert charter.quartiers[0] == decode(encoded, "Quartier", layouts) and len(dues) == len(charter.entries)
    assert ids == [e.id for e in charter.entries]


def test_a_cold_load_goes_on_with_the_records_it_stored(store: ParseCache, embedded_copy: Path) -> None:
    cold = load(embedded_copy, today=AS_OF)
    assert all(isinstance(q, Record) for q in cold.quartiers) and isinstance(cold.charte, Record)
    cache.activate(None)
    plain = load(embedded_copy, today=AS_OF)
    assert not isinstance(plain.quartiers[0], Record)  # without the cache: the pydantic models
    assert cold.quartiers == plain.quartiers and cold.charte == plain.charte
    assert [e.id for e in cold.entries] == [e.id for e in plain.entries]
    assert [p.format() for p in cold.problems] == [p.format() for p in plain.problems]


def test_due_dates_come_from_the_cache_without_parsing_echeances(
        store: ParseCache, embedded_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.model import charter as charter_module

    reference = [(e.id, e.due) for e in load(embedded_copy, today=AS_OF).entries]
    monkeypatch.setattr(charter_module, "_DUE_DATES", {})

    def parse(text: str) -> None:
        raise AssertionError(f"échéance parsed again: {text}")

    monkeypatch.setattr(charter_module, "parse_echeance", parse)
    cached = load(embedded_copy, today=AS_OF)
    assert [(e.id, e.due) for e in cached.entries] == reference
    assert any(due is not None for _, due in reference) and any(due is None for _, due in reference)


def test_a_replayed_action_takes_the_due_date_of_its_former_echeance_from_the_cache(
        store: ParseCache, base_charter: Path) -> None:
    from gusp_cli.store.loader import load as load_repo

    path = base_charter / "charter-data" / "quartiers" / "centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '        echeance: "2030"\n', '        echeance: "2032"\n        suivi:\n'
        '          - date: 2026-03-12\n            motif: COPIL\n            champ: echeance\n'
        '            ancienne_valeur: "2030"\n'),
        encoding="utf-8")
    load_repo(base_charter, today=AS_OF)
    warm = load_repo(base_charter, today=AS_OF)  # validated models and due dates from the cache
    from gusp_cli.store.frozen import Record

    assert isinstance(warm.quartier("centre"), Record) and warm.by_id["CEN-004"].due == dt.date(2032, 12, 31)
    before = warm.on(dt.date(2026, 3, 11)).by_id["CEN-004"]
    assert (before.action.echeance, before.due) == ("2030", dt.date(2030, 12, 31))


def test_layouts_are_packed_once_and_unpacked_once_per_blob() -> None:
    from gusp_cli.model.models import Quartier

    layouts = describe(Quartier, frozenset({"tableaux"}))
    packed = pack_layouts(layouts)
    assert pack_layouts(layouts) is packed  # the same blob for every entry of a cold load
    unpacked = unpack_layouts(bytes(packed))  # as read from another entry: equal bytes, another object
    assert unpacked == layouts and unpack_layouts(bytes(packed)) is unpacked
    with pytest.raises(TypeError):
        unpack_layouts(marshal.dumps(["pas", "un", "dict"]))


def test_an_entry_whose_layouts_do_not_unpack_is_validated_again(store: ParseCache, base_charter: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store import validation

    load(base_charter, today=AS_OF)
    path = base_charter / "charter-data/quartiers/centre.yaml"
    key = store.derived("valide", "Quartier", store.key(path.read_bytes()))
    _, encoded, dues, ids = store.get(key)
    store.put(key, (b"\xffpas du marshal", encoded, dues, ids))
    validated: list[str] = []
    keeping = validation.validate_keeping
    monkeypatch.setattr(validation, "validate_keeping",
                        lambda model, *args: validated.append(model.__name__) or keeping(model, *args))
    assert load(base_charter, today=AS_OF).ok and validated == ["Quartier"]
