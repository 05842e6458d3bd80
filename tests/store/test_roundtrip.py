"""Round-trip editing: only the edited action's lines change; bytes, endings, BOM and comments kept.

The property tests run random ``status`` and ``amend`` edits (and ``add``) on the minimal charter
and on a copy of the embedded CALL charter, and check with an oracle independent of the code under
test (a plain text scan for the ``- id:`` line and the indentation that ends the item) that the
file differs only within the edited action's lines, that every other file is byte-identical,
and that the result validates.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gusp_cli.model.errors import GuspError
from gusp_cli.model.models import Statut
from gusp_cli.store.loader import load
from gusp_cli.store.roundtrip import HOUSE, Indent, Session, detect_indent, house_style, line_range, node_tree
from gusp_cli.store.textfile import decode_source
from gusp_cli.store.yamlio import parse_text
from gusp_cli.track.edits import ACTION_ORDER, _append_suivi, _set, plan_amend, plan_status, run_edit
from tests.conftest import CALL, CASES

BASE = CASES / "base"
AS_OF = dt.date(2026, 11, 25)


def _source(text: str, name: str = "x.yaml") -> Any:
    return decode_source(Path(name), text.encode("utf-8"))


def _progress(node: Any) -> None:
    _set(node, "statut", "en_cours", ACTION_ORDER)
    _append_suivi(node, {"date": dt.date(2025, 1, 1), "statut": "en_cours"})


# --------------------------------------------------------------------------- ranges, indentation


def test_line_range_excludes_the_comments_that_introduce_the_next_item() -> None:
    text = (BASE / "charter-data" / "quartiers" / "centre.yaml").read_text(encoding="utf-8")
    text = text.replace("      - id: CEN-002", "\n      # la suivante\n      - id: CEN-002")
    root = node_tree(text, Path("c.yaml"))
    start, end = line_range(root, text, ("tableaux", 0, "actions", 0))
    lines = text.split("\n")
    assert lines[start].strip() == "- id: CEN-001"
    assert lines[end - 1].strip() == 'echeance: "2021"'
    assert lines[end] == "" and lines[end + 1].strip() == "# la suivante"


def test_detect_indent() -> None:
    house = "a:\n  b: 1\nl:\n  - x: 1\n    y: 2\n"
    wide = "a:\n    b: 1\nl:\n    -   x: 1\n        y: 2\n"
    flat = "a:\n  b: 1\nl:\n- x: 1\n  y: 2\n"
    assert detect_indent(node_tree(house, Path("h"))) == HOUSE
    assert detect_indent(node_tree(wide, Path("w"))) == Indent(4, 8, 4)
    assert detect_indent(node_tree(flat, Path("f"))) == Indent(2, 2, 0)


# --------------------------------------------------------------------------- sessions

TABLE = """\
# en-tête
tableaux:
  - titre: T
    actions:
      - id: A-001
        numero: 1
        libelle: "un"  # fin de ligne
        responsables: [ville]

      # commentaire sur A-002
      - id: A-002
        numero: 2
        libelle: 'deux'
        responsables: [ville]
        suivi:
          - date: 2024-01-01
            note: |
              bloc
              texte

  # --- tableau suivant
  - titre: U
    actions: []
"""


def test_keys_appended_before_the_blank_line_and_comment_that_follow() -> None:
    rendered = Session(_source(TABLE)).edit(("tableaux", 0, "actions", 0), _progress)
    assert rendered.method == "dump"
    assert rendered.text == TABLE.replace(
        "        responsables: [ville]\n\n      # commentaire",
        "        responsables: [ville]\n        statut: en_cours\n        suivi:\n"
        "          - date: 2025-01-01\n            statut: en_cours\n\n      # commentaire")


def test_after_a_block_scalar_the_blank_line_stays_after_the_action() -> None:
    rendered = Session(_source(TABLE)).edit(("tableaux", 0, "actions", 1), _progress)
    assert rendered.text == TABLE.replace(
        "        libelle: 'deux'\n        responsables: [ville]\n        suivi:",
        "        libelle: 'deux'\n        responsables: [ville]\n        statut: en_cours\n        suivi:"
    ).replace("              texte\n\n  # ---",
              "              texte\n          - date: 2025-01-01\n            statut: en_cours\n\n  # ---")


def test_odd_formatting_elsewhere_falls_back_to_splicing() -> None:
    odd = TABLE.replace("  - titre: U", "  - titre:     U").replace("# en-tête", "# en-tête   ")
    source = _source(odd)
    rendered = Session(source).edit(("tableaux", 0, "actions", 0), _progress)
    assert rendered.method == "splice"
    old, new = odd.split("\n"), rendered.text.split("\n")
    start, end = rendered.start, rendered.end
    assert new[:start] == old[:start] and new[len(new) - (len(old) - end):] == old[end:]
    assert "  - titre:     U" in new and "# en-tête   " in new
    expected = Session(_source(TABLE)).edit(("tableaux", 0, "actions", 0), _progress)
    assert parse_text(rendered.text, Path("x")).data == parse_text(expected.text, Path("x")).data


def test_splice_keeps_a_four_space_file_in_its_own_style() -> None:
    text = ("tableaux:\n    -   titre: T\n        actions:\n        -   id: A-001\n            numero: 1\n"
            "            libelle: x\n            responsables: [ville]\n        -   id: A-002\n"
            "            numero: 2\n            libelle: y\n            responsables: [ville]\nzz:   odd\n")
    rendered = Session(_source(text)).edit(("tableaux", 0, "actions", 0), _progress)
    assert rendered.method == "splice"
    assert ("            responsables: [ville]\n            statut: en_cours\n            suivi:\n"
            in rendered.text)
    assert rendered.text.endswith("        -   id: A-002\n            numero: 2\n            libelle: y\n"
                                  "            responsables: [ville]\nzz:   odd\n")


def test_empty_flow_sequence_becomes_a_block() -> None:
    text = TABLE.replace("        libelle: \"un\"  # fin de ligne\n        responsables: [ville]\n",
                         "        libelle: \"un\"  # fin de ligne\n        responsables: [ville]\n"
                         "        suivi: []\n")
    rendered = Session(_source(text)).edit(("tableaux", 0, "actions", 0), _progress)
    assert ("        suivi:\n          - date: 2025-01-01\n            statut: en_cours\n\n"
            "      # commentaire" in rendered.text)


def test_append_goes_before_the_trailing_comment() -> None:
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap([("id", "A-003"), ("numero", 3), ("libelle", "trois"), ("responsables", ["ville"])])
    text = TABLE.replace("  # --- tableau suivant\n  - titre: U\n    actions: []\n", "  # fin\n")
    rendered = Session(_source(text)).append(("tableaux", 0, "actions"), item)
    assert rendered.start == rendered.end
    assert rendered.text.endswith("              texte\n      - id: A-003\n        numero: 3\n"
                                  "        libelle: trois\n        responsables:\n          - ville\n"
                                  "\n  # fin\n")


def test_a_broken_result_is_never_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    import gusp_cli.store.roundtrip as editing

    monkeypatch.setattr(editing.Session, "_loads_to", lambda self, text, expected: False)
    with pytest.raises(GuspError) as info:
        Session(_source(TABLE)).edit(("tableaux", 0, "actions", 0), _progress)
    assert "rien n'a été écrit" in info.value.message


def _round_trip_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the slow round-trip loader is asked to check."""
    import gusp_cli.store.roundtrip as editing

    checked: list[str] = []
    real = editing.new_yaml

    def new_yaml(*args: Any) -> Any:
        yaml = real(*args)
        load = yaml.load

        def counted(text: str) -> Any:
            checked.append(text)
            return load(text)

        yaml.load = counted
        return yaml

    monkeypatch.setattr(editing, "new_yaml", new_yaml)
    return checked


def test_gusp_reader_checks_the_result_without_the_round_trip_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = _round_trip_checks(monkeypatch)
    session = Session(_source(TABLE))
    assert session.tree is not None  # the session's own round-trip load, on first use
    checked.clear()
    rendered = session.edit(("tableaux", 0, "actions", 0), _progress)
    assert checked == [] and parse_text(rendered.text, Path("x.yaml")).data["tableaux"][0]["actions"][0][
        "statut"] == "en_cours"


def test_a_value_gusp_reads_otherwise_is_checked_by_the_round_trip_loader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = _round_trip_checks(monkeypatch)
    # a number as key: gusp's reader keeps 2024, the round-trip comparison makes it "2024"
    text = TABLE.replace("# en-tête\n", "# en-tête\nannees: {2024: bilan}\n")
    session = Session(_source(text))
    assert session.tree is not None
    checked.clear()
    rendered = session.edit(("tableaux", 0, "actions", 1), _progress)
    assert len(checked) == 1 and "annees: {2024: bilan}" in rendered.text


# --------------------------------------------------------------------------- an action loaded alone


def _status_entry(node: Any) -> None:
    _set(node, "statut", "en_cours", ACTION_ORDER)
    _append_suivi(node, {"date": dt.date(2026, 11, 25), "statut": "en_cours", "note": "point « x »"})


@pytest.mark.parametrize("name", ["avion", "lens", "lievin"])
def test_an_action_loaded_alone_is_edited_as_in_the_whole_tree(name: str) -> None:
    source = _source((CALL / "charter-data" / "quartiers" / f"{name}.yaml").read_text(encoding="utf-8"),
                     f"{name}.yaml")
    paths = [("tableaux", t, "actions", a) for t, table in enumerate(Session(source).data["tableaux"])
             for a in range(len(table.get("actions") or []))]
    alone = 0
    for path in paths:
        session = Session(source)
        node = session.item(path)
        alone += session._tree is None  # only its own lines were loaded
        assert node["id"] == session.data["tableaux"][path[1]]["actions"][path[3]]["id"]
        assert session.edit(path, _status_entry).text == Session(source).edit(path, _status_entry).text
    assert alone >= len(paths) * 9 // 10


def test_an_action_that_does_not_round_trip_alone_is_taken_from_the_whole_tree() -> None:
    odd = TABLE.replace("        libelle: 'deux'\n", "# au bord\n        libelle: 'deux'\n")
    path = ("tableaux", 0, "actions", 1)
    session = Session(_source(odd))
    session.item(path)
    assert session._tree is not None  # a comment left of the action: the whole tree decides
    assert session.edit(path, _status_entry).text == Session(_source(odd)).edit(path, _status_entry).text
    assert "# au bord\n" in session.edit(path, _status_entry).text


def test_a_date_the_whole_tree_refuses_elsewhere_refuses_the_edit() -> None:
    text = TABLE.replace("          - date: 2024-01-01\n", "          - date: 2024-02-30\n")
    session = Session(_source(text))
    with pytest.raises(GuspError, match="date invalide « 2024-02-30 »"):
        session.item(("tableaux", 0, "actions", 0))  # not the action that holds it


def test_an_action_loaded_alone_keeps_every_other_line() -> None:
    text = ("# en-tête\ntableaux:\n  - titre: T\n    actions:\n      - id: A-001\n        numero: 1\n"
            "        libelle: un\n        responsables: [ville]\n\n      # la suivante\n      - id: A-002\n"
            "        numero: 2\n        libelle:    deux\n        responsables: [ville]\nzz:   odd\n")
    path = ("tableaux", 0, "actions", 0)
    session = Session(_source(text))
    session.item(path)
    rendered = session.edit(path, _status_entry)
    old, new = text.split("\n"), rendered.text.split("\n")
    assert session._tree is None and rendered.method == "splice"
    assert new[:rendered.start] == old[:rendered.start]
    assert new[len(new) - (len(old) - rendered.end):] == old[rendered.end:]


# --------------------------------------------------------------------------- house style


def _all_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "charter-data").rglob("*.yaml"))


@pytest.mark.parametrize("root", [BASE, CALL], ids=["base", "embedded"])
def test_house_style_is_a_no_op_on_the_charters(root: Path) -> None:
    for path in _all_files(root):
        source = decode_source(path, path.read_bytes())
        assert house_style(source) == source.text, path


def test_house_style_normalises_without_changing_data() -> None:
    messy = ("\ufeff# tête  \r\nid: centre\r\nnom:    \"Centre\"   \r\nsecteurs:\r\n- id: gare\r\n"
             "  nom: Gare\r\ncontexte: |\r\n  ligne avec espaces   \r\n  suite\r\nalias:   [a,b]")
    source = decode_source(Path("m.yaml"), messy.encode("utf-8"))
    out = house_style(source)
    assert out == ('# tête\nid: centre\nnom: "Centre"\nsecteurs:\n  - id: gare\n    nom: Gare\n'
                   "contexte: |\n  ligne avec espaces   \n  suite\nalias: [a, b]\n")
    assert parse_text(out, Path("m")).data == parse_text(source.text, Path("m")).data
    again = decode_source(Path("m.yaml"), out.encode())
    assert house_style(again) == out


# --------------------------------------------------------------------------- properties


def _action_range(lines: list[str], action_id: str) -> tuple[int, int]:
    """Oracle: the lines of ``- id: ACTION`` up to the next line indented at most as its dash."""
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {action_id}\s*", line))
    dash = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        line = lines[end]
        body = line.strip()
        if body and not body.startswith("#") and len(line) - len(line.lstrip()) <= dash:
            break
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].strip().startswith("#")):
        end -= 1
    return start, end


def _raw_lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _assert_only_within(before: bytes, after: bytes, action_id: str) -> None:
    text_lines = before.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    start, end = _action_range(text_lines, action_id)
    old, new = _raw_lines(before), _raw_lines(after)
    after_count = len(old) - end
    assert new[:start] == old[:start], f"{action_id}: lines before the action changed"
    assert new[len(new) - after_count:] == old[end:], f"{action_id}: lines after the action changed"


def _nfc(text: str) -> str:
    """The loader NFC-normalises texts (``e`` + U+0301 is ``é``)."""
    return unicodedata.normalize("NFC", text)


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in _all_files(root)}


NASTY = ["null", "yes", "no", "~", "2024-01-01", "12:30", "0o17", "1e3", "- x", "a: b", "# c", "x # y",
         "'", '"', "\\", "  espace devant", "espace après  ", "@x", "`x", "|", ">", "*x", "&x", "!x", "%x",
         "{x}", "[x]", "?", "ligne\nsuivante", "œuvre « citée » – l’été", "\ufeffbom", "tab\tulation"]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")),
            min_size=1, max_size=40).filter(lambda s: s.strip() != ""),
)
ECHEANCES = st.sampled_from(["2026", "Été 2025", "2025/2026", "T2 2026", "S1 2026", "juin 2026",
                             "2026-06-30", "30/06/2026", "Automne 2026"])
EDIT = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(list(Statut)), st.none() | TEXT),
    st.tuples(st.just("amend"), st.none() | ECHEANCES, st.none() | TEXT, TEXT),
)


def _apply(root: Path, action_id: str, edit: tuple[Any, ...], day: dt.date) -> None:
    charter = load(root, today=AS_OF)
    entry = charter.by_id[action_id]
    if edit[0] == "status":
        _, statut, note = edit
        if entry.action.statut is statut and not note:
            note = "point d'étape"
        echeance = motif = None
        if statut is Statut.reportee:  # a postponement carries its new échéance, after the last entry
            echeance = "2099" if entry.action.echeance != "2099" else "2098"
            motif = note or "report"
            day = max([day, *(s.date for s in entry.action.suivi)])

        def plan(source: Any) -> Any:
            return plan_status(charter, source, action_id, statut, date=day, note=note, echeance=echeance,
                               motif=motif, today=AS_OF)
    else:
        _, echeance, libelle, motif = edit
        moves = echeance is not None and echeance != entry.action.echeance
        renames = libelle is not None and _nfc(libelle) != entry.action.libelle  # the reader reads NFC
        if not (moves or renames):
            echeance = "2099" if entry.action.echeance != "2099" else "2098"

        def plan(source: Any) -> Any:
            return plan_amend(charter, source, action_id, motif=motif, date=day, echeance=echeance,
                              libelle=libelle, today=AS_OF)
    run_edit(entry.file, plan, write=True)


def _check_edits(template: Path, action_ids: list[str], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "depot"
        shutil.copytree(template / "charter-data", root / "charter-data")
        crlf = data.draw(st.booleans(), label="CRLF + BOM")
        if crlf:
            for path in _all_files(root):
                path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
        day = dt.date(2025, 1, 1)
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            action_id = data.draw(st.sampled_from(action_ids), label="action")
            edit = data.draw(EDIT, label="edit")
            day = data.draw(st.dates(day, AS_OF), label="date")
            before = _snapshot(root)
            path = load(root, today=AS_OF).by_id[action_id].file
            _apply(root, action_id, edit, day)
            after = _snapshot(root)
            _assert_only_within(before[path], after[path], action_id)
            assert {p: b for p, b in after.items() if p != path} == {p: b for p, b in before.items()
                                                                    if p != path}
            if crlf:
                assert after[path].startswith(b"\xef\xbb\xbf")
                assert after[path].count(b"\n") == after[path].count(b"\r\n")
            reloaded = load(root, today=AS_OF)
            assert reloaded.ok, [p.format() for p in reloaded.errors]
            action = reloaded.by_id[action_id].action
            if edit[0] == "status":
                assert action.statut is edit[1]
                assert action.suivi[-1].statut is edit[1] and action.suivi[-1].date == day
            else:
                assert action.suivi[-1].motif == _nfc(edit[3]) and action.suivi[-1].date == day
                if edit[2] is not None:
                    assert action.libelle == _nfc(edit[2])


BASE_IDS = ["CEN-001", "CEN-002", "CEN-003", "CEN-004"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_on_the_base_charter_touch_only_the_action(data: st.DataObject) -> None:
    _check_edits(BASE, BASE_IDS, data)


def _embedded_ids() -> list[str]:
    charter = load(CALL, today=AS_OF)
    return [e.id for e in charter.entries] if charter.ok else []


EMBEDDED_IDS = _embedded_ids()


@pytest.mark.skipif(not EMBEDDED_IDS, reason="la charte embarquée ne valide pas (encore)")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_on_the_embedded_charter_touch_only_the_action(data: st.DataObject) -> None:
    _check_edits(CALL, EMBEDDED_IDS, data)


@settings(max_examples=25, deadline=None)
@given(ids=st.lists(st.sampled_from(BASE_IDS), min_size=1, max_size=4, unique=True))
def test_status_edits_only_add_lines_inside_a_house_style_action(ids: list[str]) -> None:
    """Within the action too, no line is rewritten: a status on an action without one only adds."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "depot"
        shutil.copytree(BASE / "charter-data", root / "charter-data")
        for action_id in ids:
            charter = load(root, today=AS_OF)
            entry = charter.by_id[action_id]
            before = entry.file.read_text(encoding="utf-8").split("\n")
            target = Statut.a_faire if entry.action.statut is not Statut.a_faire else Statut.en_cours

            def plan(source: Any, charter: Any = charter, action_id: str = action_id,
                     target: Statut = target) -> Any:
                return plan_status(charter, source, action_id, target, date=AS_OF, today=AS_OF)

            run_edit(entry.file, plan, write=True)
            after = entry.file.read_text(encoding="utf-8").split("\n")
            removed = [line for line in before if line not in after]
            assert all(re.match(r"\s*(statut|date_realisation):", line) for line in removed), removed


def _check_add(template: Path, data: st.DataObject) -> None:
    from gusp_cli.track.edits import next_action_id, plan_add

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "depot"
        shutil.copytree(template / "charter-data", root / "charter-data")
        charter = load(root, today=AS_OF)
        quartier = data.draw(st.sampled_from(charter.quartiers), label="quartier")
        index = data.draw(st.sampled_from([i for i, t in enumerate(quartier.tableaux) if t.actions]),
                          label="tableau")
        table = quartier.tableaux[index]
        libelle = data.draw(TEXT, label="libelle")
        echeance = data.draw(st.none() | ECHEANCES, label="echeance")
        path = charter.files[quartier.id]
        before = _snapshot(root)
        new_id = next_action_id(charter, quartier)

        def plan(source: Any) -> Any:
            return plan_add(charter, source, quartier, index, action_id=new_id, libelle=libelle,
                            responsables=["ville"], echeance=echeance, date=AS_OF, today=AS_OF)

        run_edit(path, plan, write=True)
        after = _snapshot(root)
        old, new = _raw_lines(before[path]), _raw_lines(after[path])
        text_lines = before[path].decode("utf-8").split("\n")
        _, insert_at = _action_range(text_lines, table.actions[-1].id)
        added = len(new) - len(old)
        assert added >= 4
        assert new[:insert_at] == old[:insert_at] and new[insert_at + added:] == old[insert_at:]
        assert new[insert_at].strip() == f"- id: {new_id}".encode()
        assert {p: b for p, b in after.items() if p != path} == {p: b for p, b in before.items() if p != path}
        reloaded = load(root, today=AS_OF)
        assert reloaded.ok, [p.format() for p in reloaded.errors]
        entry = reloaded.by_id[new_id]
        assert entry.tableau.titre == table.titre and entry.action.numero == len(table.actions) + 1
        assert entry.action.libelle == _nfc(libelle)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_additions_only_insert_the_new_action(data: st.DataObject) -> None:
    _check_add(BASE, data)


@pytest.mark.skipif(not EMBEDDED_IDS, reason="la charte embarquée ne valide pas (encore)")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_additions_on_the_embedded_charter(data: st.DataObject) -> None:
    _check_add(CALL, data)
