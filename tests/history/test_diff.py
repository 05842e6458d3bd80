"""gusp_cli.history.diff on real git repositories with a scripted history."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from gusp_cli.history.diff import FieldChange, Placed, Side, default_base, diff_revisions, load_side
from gusp_cli.history.git import GitRepo, in_git
from gusp_cli.history.log import _find_action, action_history
from gusp_cli.model.errors import GuspError
from gusp_cli.model.source import SourcePos
from tests.conftest import CALL, CASES
from tests.scripted_git import QUARTIER, REGISTRY, build_history, commit_all, edit, git


@pytest.fixture
def scripted(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "depot"
    return root, build_history(root)


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """gusp's own git calls run without the user's config, as in CI."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    yield


def test_scripted_history_is_valid_at_every_commit(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    repo = GitRepo.open(root)
    for name, short in commits.items():
        charter = load_side(repo, Side(short, repo.resolve(short), short))
        assert charter is not None and charter.ok, (name, [p.format() for p in charter.errors])


def test_loading_a_revision_equals_loading_the_disk(scripted: tuple[Path, dict[str, str]]) -> None:
    from gusp_cli.store.loader import load

    root, commits = scripted
    repo = GitRepo.open(root)
    from_git = load_side(repo, Side("HEAD", repo.resolve("HEAD"), commits["suppression"]))
    from_disk = load(root)
    assert from_git is not None
    assert from_git.charte == from_disk.charte and from_git.registre == from_disk.registre
    assert from_git.quartiers == from_disk.quartiers
    assert [e.id for e in from_git.entries] == ["CEN-001", "CEN-002", "CEN-005", "CEN-003"]


def test_diff_over_the_whole_history(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    result = diff_revisions(root, commits["initial"], "HEAD")
    assert result.counts() == {
        "actions_ajoutees": 1, "actions_supprimees": 1, "actions_modifiees": 1,
        "statuts_modifies": 0, "echeances_modifiees": 1, "suivis_ajoutes": 1,
        "acteurs_ajoutes": 1, "acteurs_supprimes": 0, "acteurs_modifies": 0,
        "quartiers_ajoutes": 0, "quartiers_supprimes": 0, "tableaux_ajoutes": 0,
        "tableaux_supprimes": 0,
    }
    [quartier] = result.quartiers
    assert (quartier.id, quartier.nature) == ("centre", "modifie")
    assert [(a.nature, a.id) for a in quartier.actions] == [
        ("ajoutee", "CEN-005"), ("modifiee", "CEN-001"), ("supprimee", "CEN-004")]
    moved = quartier.actions[1]
    assert moved.champs == [FieldChange("echeance", "2021", "2026", "Retard du chantier de la gare")]
    assert moved.champs[0].describe() == "échéance 2021 → 2026 (motif : Retard du chantier de la gare)"
    assert [a.id for a in result.acteurs_ajoutes] == ["asso_centre"]
    added = quartier.actions[0].placed
    assert (added.tableau, added.action.statut) == ("Gestion actuelle / Propreté (secteur gare)", "en_cours")
    assert result.charte == []


def test_status_change_takes_its_note_from_the_follow_up(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    result = diff_revisions(root, commits["echeance"], commits["statut"])
    [action] = result.quartiers[0].actions
    assert action.id == "CEN-005"
    assert action.champs == [FieldChange("statut", None, "en cours", None, "Premier passage fait")]
    assert action.champs[0].describe() == "statut (vide) → en cours (note : Premier passage fait)"
    assert [s.note for s in action.suivis_ajoutes] == ["Premier passage fait"]
    assert result.counts()["statuts_modifies"] == 1


def test_default_base_is_the_merge_base_with_main(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    git(root, "checkout", "-q", "-b", "proposition")
    edit(root, QUARTIER, 'libelle: "Tour de quartier mensuel"', 'libelle: "Tour de quartier bimensuel"')
    commit_all(root, "Reword CEN-001", 6)
    edit(root, QUARTIER, 'echeance: "Été 2024"', 'echeance: "Été 2025"')
    result = diff_revisions(root)
    assert result.base.label == f"{commits['suppression']} (merge-base de HEAD et main)"
    assert result.cible.label == "arbre de travail"
    changes = {a.id: [c.describe() for c in a.champs] for a in result.quartiers[0].actions}
    assert changes == {"CEN-001": ["libellé « Tour de quartier mensuel » → « Tour de quartier bimensuel »"],
                       "CEN-002": ["échéance Été 2024 → Été 2025"]}


def test_default_base_without_main_is_the_first_commit(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    git(root, "branch", "-m", "main", "travail")
    base = default_base(GitRepo.open(root))
    assert base.label == f"{commits['initial']} (premier commit, aucune branche main ni master)"


def test_no_change_gives_an_empty_diff(scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    result = diff_revisions(root, "HEAD")
    assert result.empty and result.quartiers == []


def test_unknown_revision_and_not_a_repository(scripted: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, _ = scripted
    with pytest.raises(GuspError) as unknown:
        diff_revisions(root, "nulle-part")
    assert unknown.value.exit_code == 2
    assert unknown.value.message.startswith("révision git inconnue « nulle-part »")
    with pytest.raises(GuspError) as option:
        diff_revisions(root, "--output=/tmp/x")
    assert option.value.exit_code == 2
    plain = tmp_path / "sans_git"
    shutil.copytree(CASES / "base", plain)
    with pytest.raises(GuspError) as not_repo:
        diff_revisions(plain)
    assert not_repo.value.exit_code == 2 and "n'est pas dans un dépôt git" in not_repo.value.message
    assert not in_git(plain) and in_git(root)


def test_git_missing_is_a_french_usage_error(scripted: tuple[Path, dict[str, str]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = scripted
    monkeypatch.setenv("PATH", str(root))
    with pytest.raises(GuspError) as missing:
        diff_revisions(root)
    assert missing.value.exit_code == 2 and missing.value.message.startswith("git introuvable")


def test_invalid_revision_is_reported_with_its_positions(scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    edit(root, QUARTIER, "        numero: 3\n", "        numero: 3\n        priorite: haute\n")
    broken = commit_all(root, "Broken commit", 6)
    with pytest.raises(GuspError) as invalid:
        diff_revisions(root, "HEAD~1", "HEAD")
    assert invalid.value.exit_code == 1
    lines = invalid.value.message.splitlines()
    assert lines[0] == (f"la charte est invalide à la révision HEAD ({broken}) ; "
                        "la comparaison est impossible :")
    line = 1 + (root / QUARTIER).read_text(encoding="utf-8").splitlines().index("        priorite: haute")
    assert lines[1:] == [f"HEAD:charter-data/quartiers/centre.yaml:{line}:9: erreur: clé inconnue "
                         "« priorite » — vouliez-vous dire « pilote » ? [schema]"]


def test_charter_in_a_subfolder_of_the_git_work_tree(tmp_path: Path) -> None:
    outer = tmp_path / "projet"
    sub = outer / "gusp" / "charte"
    shutil.copytree(CASES / "base", sub)
    git(outer, "init", "-q")
    first = commit_all(outer, "Initial charter", 1)
    edit(sub, QUARTIER, 'echeance: "2030"', 'echeance: "2031"')
    second = commit_all(outer, "Move CEN-004 deadline", 2)
    result = diff_revisions(sub, first, second)
    assert [(a.id, [c.describe() for c in a.champs]) for a in result.quartiers[0].actions] == [
        ("CEN-004", ["échéance 2030 → 2031"])]
    assert [c.commit.short for c in action_history(sub, "CEN-004")] == [second, first]


def test_action_history_follows_one_action(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    history = action_history(root, "CEN-005")
    assert [(c.commit.short, c.commit.subject, c.nature) for c in history] == [
        (commits["statut"], "Start CEN-005", "modification"),
        (commits["ajout"], "Add CEN-005", "creation"),
    ]
    latest = history[0]
    assert latest.commit.date == "2025-04-15T10:00:00+01:00"
    assert latest.commit.author == "Alice Martin"
    assert [c.describe() for c in latest.champs] == ["statut (vide) → en cours (note : Premier passage fait)"]
    assert str(history[1]) == (f"2025-02-15 {commits['ajout']} Alice Martin — Add CEN-005 : création "
                               "dans « Gestion actuelle / Propreté (secteur gare) » (centre)")


def test_action_history_of_a_moved_deadline_and_a_removal(scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    moved = action_history(root, "CEN-001")
    assert [(c.commit.short, c.nature) for c in moved] == [
        (commits["echeance"], "modification"), (commits["initial"], "creation")]
    assert moved[0].champs == [FieldChange("echeance", "2021", "2026", "Retard du chantier de la gare")]
    assert str(moved[0]) == (f"2025-03-15 {commits['echeance']} Alice Martin — Move CEN-001 deadline : "
                             "échéance 2021 → 2026 (motif : Retard du chantier de la gare)")
    removed = action_history(root, "CEN-004")
    assert [(c.commit.short, c.nature) for c in removed] == [
        (commits["suppression"], "suppression"), (commits["initial"], "creation")]
    assert action_history(root, "CEN-999") == []


def test_action_history_follows_an_action_across_files(scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    quartier = (root / QUARTIER).read_text(encoding="utf-8")
    table = quartier[quartier.index("  - titre: Gestion post chantier"):]
    (root / QUARTIER).write_text(quartier.replace(table, ""), encoding="utf-8")
    edit(root, Path("charter-data/charte.yaml"), "quartiers: [centre]", "quartiers: [centre, nord]")
    nord = "id: nord\nnom: Nord\ncommune: Centre\ntableaux:\n" + table
    (root / "charter-data/quartiers/nord.yaml").write_text(nord, encoding="utf-8")
    moved = commit_all(root, "Move the post-works table to nord", 6)
    history = action_history(root, "CEN-003")
    assert (history[0].commit.short, history[0].nature) == (moved, "modification")
    assert [c.describe() for c in history[0].champs] == ["quartier centre → nord"]
    assert len(history) == 2


def _charters() -> list[Path]:
    """The base case and, once it validates, the embedded charter."""
    from gusp_cli.store.loader import load

    roots = [CASES / "base"]
    embedded = CALL
    if (embedded / "charter-data" / "charte.yaml").is_file() and load(embedded).ok:
        roots.append(embedded)
    return roots


@pytest.mark.parametrize("root", _charters(), ids=lambda p: p.name)
def test_sliced_reading_matches_the_whole_file_parse(root: Path) -> None:
    from gusp_cli.history.log import _find_in_document, _slice
    from gusp_cli.store.loader import load

    charter = load(root)
    assert charter.entries
    for entry in charter.entries:
        text = entry.file.read_text(encoding="utf-8")
        sliced = _slice(text.split("\n"), entry.id)
        assert sliced is not None, entry.id
        full = _find_in_document(text, entry.id, entry.file.stem)
        assert _find_action(entry.file.read_bytes(), entry.id, entry.file.stem) == full, entry.id
        assert full is not None and not isinstance(full, str) and full.action == entry.action


def test_unusual_layouts_fall_back_to_the_whole_file() -> None:
    text = (CASES / "base" / QUARTIER).read_text(encoding="utf-8")
    flow = text.replace('      - id: CEN-004\n        numero: 2\n        libelle: "Sensibilisation au tri"\n'
                        '        responsables: [agglo]\n        echeance: "2030"\n',
                        '      - {id: CEN-004, numero: 2, libelle: "Tri", responsables: [agglo]}\n')
    found = _find_action(flow.encode(), "CEN-004", "centre")
    assert isinstance(found, Placed) and found.action.libelle == "Tri"
    assert found.tableau == "Gestion post chantier / Propreté"
    broken = text.replace('libelle: "Tour de quartier mensuel"', 'libelle: "Tour de quartier mensuel')
    intact = _find_action(broken.encode(), "CEN-004", "centre")
    assert isinstance(intact, Placed) and intact.action.libelle == "Sensibilisation au tri"
    assert _find_action(broken.encode(), "CEN-001", "centre") == "illisible"
    assert _find_action(text.encode(), "CEN-404", "centre") is None


def test_diff_of_quartiers_tables_parties_and_charter_keys() -> None:
    from gusp_cli.history.diff import diff_charters
    from gusp_cli.store.loader import load

    root = CASES / "base"
    texts = {p: p.read_bytes() for p in (root / "charter-data").rglob("*.yaml")}
    changed = dict(texts)
    charte = root / "charter-data/charte.yaml"
    changed[charte] = (texts[charte].replace(b"quartiers: [centre]", b"quartiers: [centre, nord]")
                       .replace(b"titre: Charte de test", b"titre: Charte de test 2"))
    registre = root / REGISTRY
    changed[registre] = texts[registre].replace(b"nom: Ville de Centre", b"nom: Ville-Centre")
    centre = root / QUARTIER
    context = texts[centre].replace(b"commune: Centre\n", b"commune: Centre\ncontexte: Un texte.\n")
    changed[centre] = context + (
        b"  - titre: Nouveau tableau\n    phase: chantier\n    actions:\n      - id: CEN-010\n"
        b"        numero: 1\n        libelle: Nouvelle\n        responsables: [agglo]\n"
        b"        echeance: \"2027\"\n")
    changed[root / "charter-data/quartiers/nord.yaml"] = b"id: nord\nnom: Nord\ncommune: Nord\n"
    before, after = load(root, texts=texts), load(root, texts=changed)
    assert before.ok and after.ok, [p.format() for p in after.errors]
    result = diff_charters(before, after, Side("a", "a" * 40, "aaaaaaa"), Side("arbre de travail"))
    assert [(q.id, q.nature, q.tableaux_ajoutes, q.rubriques) for q in result.quartiers] == [
        ("centre", "modifie", ["Nouveau tableau"], ["contexte"]), ("nord", "ajoute", [], [])]
    assert [(a.nature, a.id, a.placed.tableau) for a in result.quartiers[0].actions] == [
        ("ajoutee", "CEN-010", "Nouveau tableau")]
    assert [a.id for a in result.acteurs_modifies] == ["ville_centre"]
    assert result.charte == ["titre"]
    counts = result.counts()
    assert (counts["quartiers_ajoutes"], counts["tableaux_ajoutes"], counts["acteurs_modifies"]) == (1, 1, 1)
    reverse = diff_charters(after, before, Side("b", "b" * 40, "bbbbbbb"), Side("arbre de travail"))
    assert [(q.id, q.nature, q.tableaux_supprimes) for q in reverse.quartiers] == [
        ("centre", "modifie", ["Nouveau tableau"]), ("nord", "supprime", [])]
    assert [(a.nature, a.id) for a in reverse.quartiers[0].actions] == [("supprimee", "CEN-010")]


def test_each_change_names_its_author_and_the_parties_by_name(scripted: tuple[Path, dict[str, str]]) -> None:
    # A partner's note (auteur) and a second committer: both appear, follow-up first.
    root, commits = scripted
    edit(root, QUARTIER, "            note: Fait.\n", "            note: Fait.\n"
         "          - date: 2025-06-01\n            note: Passage reporté\n"
         "            auteur: Bailleur du Centre\n")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Bob Durand", "-c", "user.email=bob@example.org", "commit", "-q",
        "--author", "Bob Durand <bob@example.org>", "-m", "Note on CEN-002")
    result = diff_revisions(root, commits["initial"], "HEAD")
    authors = {a.id: a.auteurs for a in result.quartiers[0].actions}
    assert authors == {"CEN-005": ["Alice Martin"], "CEN-001": ["Alice Martin"],
                       "CEN-002": ["Bailleur du Centre", "Bob Durand"], "CEN-004": ["Alice Martin"]}
    from gusp_cli.cli.cmd_history import action_lines

    noted = next(a for a in result.quartiers[0].actions if a.id == "CEN-002")
    assert action_lines(noted) == ["suivi ajouté 2025-06-01 (note : Passage reporté)"]  # in the voice of
    added = result.quartiers[0].actions[0].placed  # the field changes: « (note : …) »
    assert (added.noms, added.place) == (("Association du Centre",),
                                         "Gestion actuelle / Propreté (secteur Secteur de la Gare)")
    # The working tree has no commit author: only the follow-up's.
    edit(root, QUARTIER, "            auteur: Bailleur du Centre\n",
         "            auteur: Bailleur du Centre\n          - date: 2025-06-02\n            note: Fait\n"
         "            auteur: Ville de Centre\n")
    working = diff_revisions(root, "HEAD")
    assert [a.auteurs for a in working.quartiers[0].actions] == [["Ville de Centre"]]


def _summary(result: object) -> list[object]:
    """What a diff says, quartier by quartier, action by action."""
    return [(q.id, q.nature, q.rubriques, q.tableaux_ajoutes, q.tableaux_supprimes,
             [(a.nature, a.id, a.champs, a.suivis_ajoutes, a.suivis_supprimes) for a in q.actions])
            for q in result.quartiers]  # type: ignore[attr-defined]


def test_with_the_cache_a_diff_parses_only_the_files_that_differ(tmp_path: Path, store: object,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from gusp_cli.store import cache, loader

    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    commit_all(root, "Charte signée", 1)
    avion = Path("charter-data/quartiers/avion.yaml")
    edit(root, avion, '      - id: AVI-005\n        numero: 1\n        libelle: "Gestion',
         '      - id: AVI-005\n        numero: 1\n        libelle: "Suivi de la gestion')
    commit_all(root, "AVI-005 : libellé précisé", 2)
    loader.load(root)  # the working tree, as the query before the diff loaded it
    parsed: list[Path] = []
    original = loader._Reading._parse_and_validate

    def counting(self: object, path: Path, *args: object) -> object:
        parsed.append(path)
        return original(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader._Reading, "_parse_and_validate", counting)
    with_cache = diff_revisions(root, "HEAD~1", "HEAD")
    assert parsed == [root / avion]  # HEAD is the working tree: only HEAD~1's avion.yaml is new
    [quartier] = with_cache.quartiers
    assert [(a.nature, a.id) for a in quartier.actions] == [("modifiee", "AVI-005")]
    cache.activate(None)
    assert _summary(with_cache) == _summary(diff_revisions(root, "HEAD~1", "HEAD"))


def test_positions_of_a_cached_revision_file_come_from_its_own_bytes(tmp_path: Path) -> None:
    from gusp_cli.store.plainyaml import locate, locator
    from gusp_cli.store.yamlio import Parsed

    path = tmp_path / "a.yaml"
    path.write_text("autre: contenu\n", encoding="utf-8")
    root = locator(Parsed(path, cached=True, raw=b"\n\ncle: valeur\n"))
    assert locate(root, path, ("cle",), key=True) == SourcePos(path, 3, 1)
