"""Writing several files all or nothing (gusp_cli.store.transaction), and finishing or undoing a write
whose process was killed (gusp_cli.store.recovery), on a copy of the pinned CALL charter.

Faults are injected by replacing the ``os`` functions the modules call (``os.open``, ``os.write``,
``os.fsync``, ``os.link``, ``os.replace``, ``os.unlink``...), at the one call a step makes; the
kill -9 cases run a real child process that dies at a rename.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.model.layout import JOURNAL_FILE
from gusp_cli.store import journal as jn
from gusp_cli.store.atomic import digest, file_lock, lock_path
from gusp_cli.store.transaction import Replacement, recover, write_all
from tests.conftest import CALL, ROOT

LABEL = "import du suivi"
NOTHING_CHANGED = "aucun fichier n'a été modifié"
Gusp = Callable[..., tuple[int, str, str]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the CALL charter: charte, acteurs, three quartiers."""
    root = tmp_path / "charte"
    shutil.copytree(CALL, root)
    return root


def quartiers(root: Path) -> list[Path]:
    return sorted((root / "charter-data" / "quartiers").glob("*.yaml"))


def shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def new_content(path: Path) -> bytes:
    """A follow-up entry appended, as an import would write it."""
    return path.read_bytes() + b"# suivi importe le 2026-11-25\n"


def replacements(root: Path) -> list[Replacement]:
    return [Replacement(f, new_content(f), digest(f.read_bytes())) for f in quartiers(root)]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the repository (names and bytes): temporary files, backups, locks and the
    journal show up as new names."""
    return {shown(root, p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def expected_after(root: Path, plan: list[Replacement]) -> dict[str, bytes]:
    after = snapshot(root)
    after.update({shown(root, r.path): r.data for r in plan})
    return after


class Faults:
    """Make the ``os`` calls of one step fail, and only those.

    ``fail("write", ends(".gusp-nouveau"), nth=2)`` makes the second ``os.write`` into a temporary
    file fail; descriptors are traced back to the path ``os.open`` opened.
    """

    FD_FUNCTIONS = frozenset({"write", "fsync", "fchmod"})

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.opened: dict[int, str] = {}
        self.real_open = os.open

        def tracing_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
            if self._failing("open", (os.fspath(path),)):
                raise self._error("open")
            fd = self.real_open(path, flags, mode, **kw)
            self.opened[fd] = os.fspath(path)
            return fd

        self.rules: dict[str, tuple[Callable[[tuple[str, ...]], bool], int | None, int]] = {}
        self.seen: dict[str, int] = {}
        monkeypatch.setattr(os, "open", tracing_open)

    def fail(self, name: str, when: Callable[[tuple[str, ...]], bool], *, nth: int | None = 1,
             code: int = errno.ENOSPC) -> None:
        """Fail the ``nth`` call of ``os.name`` whose paths match ``when`` (every one: ``nth=None``)."""
        self.rules[name] = (when, nth, code)
        if name == "open":
            return
        real = getattr(os, name)

        def failing(*args: Any, **kwargs: Any) -> Any:
            if self._failing(name, self._paths(name, args)):
                raise self._error(name)
            return real(*args, **kwargs)

        self.monkeypatch.setattr(os, name, failing)

    def _paths(self, name: str, args: tuple[Any, ...]) -> tuple[str, ...]:
        if name in self.FD_FUNCTIONS:
            return (self.opened.get(args[0], ""),)
        return tuple(os.fspath(a) for a in args if isinstance(a, str | Path))

    def _failing(self, name: str, paths: tuple[str, ...]) -> bool:
        if name not in self.rules:
            return False
        when, nth, _ = self.rules[name]
        if not when(paths):
            return False
        self.seen[name] = self.seen.get(name, 0) + 1
        return nth is None or self.seen[name] == nth

    def _error(self, name: str) -> OSError:
        code = self.rules[name][2]
        return OSError(code, os.strerror(code))


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    yield Faults(monkeypatch)
    monkeypatch.undo()


def ends(suffix: str, position: int = 0) -> Callable[[tuple[str, ...]], bool]:
    """The call's ``position``-th path ends with ``suffix`` (-1: its last)."""
    return lambda paths: len(paths) > 0 and paths[position].endswith(suffix)


def is_folder(paths: tuple[str, ...]) -> bool:
    return bool(paths) and os.path.isdir(paths[0])


# --------------------------------------------------------------------------- the plain case


def test_every_file_is_written_and_nothing_is_left(repo: Path) -> None:
    files = quartiers(repo)
    files[0].chmod(0o640)
    plan = replacements(repo)
    expected = expected_after(repo, plan)
    write_all(plan, journal_dir=repo, label=LABEL)
    assert snapshot(repo) == expected
    assert files[0].stat().st_mode & 0o777 == 0o640
    assert recover(repo) is None


def test_a_new_file_is_created_with_the_others(repo: Path) -> None:
    new = repo / "charter-data" / "quartiers" / "centre.yaml"
    plan = [*replacements(repo), Replacement(new, b"id: centre\n", None)]
    expected = expected_after(repo, plan)
    write_all(plan, journal_dir=repo, label=LABEL)
    assert snapshot(repo) == expected


def test_nothing_to_write_touches_nothing(repo: Path) -> None:
    before = snapshot(repo)
    write_all([], journal_dir=repo, label=LABEL)
    assert snapshot(repo) == before


# --------------------------------------------------------------------------- faults at each step

BEFORE_LAST_RENAME = {
    # step: (os function, which call, errno, words the message must hold)
    "verrou du journal": ("open", ends(".gusp-ecriture.json.lock"), 1, errno.EACCES, "verrou"),
    "verrou d'un fichier": ("open", ends(".yaml.lock"), 2, errno.EACCES, "lens.yaml.lock : droits"),
    "journal : création": ("open", ends(".gusp-ecriture.json.tmp"), 1, errno.ENOSPC, "journal"),
    "journal : écriture": ("write", ends(".gusp-ecriture.json.tmp"), 1, errno.ENOSPC, "disque plein"),
    "journal : fsync": ("fsync", ends(".gusp-ecriture.json.tmp"), 1, errno.EIO, "entrée/sortie"),
    "journal : lien": ("link", ends(".gusp-ecriture.json.tmp"), 1, errno.EIO, "journal"),
    "temporaire : création": ("open", ends(".gusp-nouveau"), 2, errno.ENOSPC, "lens.yaml"),
    "temporaire : écriture": ("write", ends(".gusp-nouveau"), 3, errno.ENOSPC, "lievin.yaml"),
    "temporaire : droits": ("fchmod", ends(".gusp-nouveau"), 1, errno.EPERM, "avion.yaml"),
    "temporaire : fsync": ("fsync", ends(".gusp-nouveau"), 2, errno.EIO, "lens.yaml"),
    "sauvegarde : lien": ("link", ends(".gusp-avant", -1), 2, errno.EIO, "sauvegarde de charter-data"),
    "renommage 1": ("replace", ends(".gusp-nouveau"), 1, errno.EIO, "remplacement de charter-data"),
    "renommage 2": ("replace", ends(".gusp-nouveau"), 2, errno.ENOSPC, "déjà remplacé, a été rétabli"),
    "renommage 3": ("replace", ends(".gusp-nouveau"), 3, errno.EIO, "déjà remplacés, ont été rétablis"),
}


@pytest.mark.parametrize("step", BEFORE_LAST_RENAME)
def test_a_failure_before_the_last_rename_changes_no_file(repo: Path, faults: Faults, step: str) -> None:
    name, when, nth, code, words = BEFORE_LAST_RENAME[step]
    before = snapshot(repo)
    faults.fail(name, when, nth=nth, code=code)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert snapshot(repo) == before, "every file byte for byte, and no temp, backup, lock or journal"
    message = info.value.message
    assert info.value.exit_code == 1
    assert message.startswith(f"{LABEL} : ") and NOTHING_CHANGED in message
    assert words in message
    assert recover(repo) is None


def test_the_second_rename_failing_names_the_file_already_restored(repo: Path, faults: Faults) -> None:
    faults.fail("replace", ends(".gusp-nouveau"), nth=2, code=errno.ENOSPC)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    assert info.value.message == (
        f"{LABEL} : remplacement de charter-data/quartiers/lens.yaml impossible (disque plein) ; "
        f"charter-data/quartiers/avion.yaml, déjà remplacé, a été rétabli ; {NOTHING_CHANGED}")


def test_a_new_file_already_created_is_removed_and_said_so(repo: Path, faults: Faults) -> None:
    before = snapshot(repo)
    avion, lens, _ = replacements(repo)
    centre = repo / "charter-data" / "quartiers" / "centre.yaml"
    plan = [Replacement(centre, b"id: centre\n", None), avion, lens]
    faults.fail("replace", ends(".gusp-nouveau"), nth=3, code=errno.EIO)
    with pytest.raises(GuspError) as info:
        write_all(plan, journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert snapshot(repo) == before
    assert info.value.message == (
        f"{LABEL} : remplacement de charter-data/quartiers/lens.yaml impossible (erreur d'entrée/sortie) ; "
        "charter-data/quartiers/avion.yaml, déjà remplacé, a été rétabli ; "
        f"charter-data/quartiers/centre.yaml, déjà créé, a été retiré ; {NOTHING_CHANGED}")


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_an_interruption_at_a_rename_is_undone_and_goes_on(repo: Path, faults: Faults,
                                                           interruption: type[BaseException]) -> None:
    before = snapshot(repo)
    real = os.replace
    calls: list[str] = []

    def interrupted(src: Any, dst: Any) -> None:
        calls.append(os.fspath(dst))
        if len(calls) == 2 and str(src).endswith(".gusp-nouveau"):
            raise interruption()
        real(src, dst)

    faults.monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(interruption):
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert snapshot(repo) == before


def test_folder_fsync_failures_after_the_renames_are_not_failures(repo: Path, faults: Faults) -> None:
    plan = replacements(repo)
    expected = expected_after(repo, plan)
    faults.fail("fsync", is_folder, nth=None, code=errno.EINVAL)
    write_all(plan, journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert faults.seen["fsync"] >= 3, "the folders were synced (and refused)"
    assert snapshot(repo) == expected


@pytest.mark.parametrize("leftover", [".gusp-avant", JOURNAL_FILE])
def test_a_failed_clean_up_leaves_every_file_written_and_recover_finishes_it(
        repo: Path, faults: Faults, leftover: str) -> None:
    plan = replacements(repo)
    expected = expected_after(repo, plan)
    faults.fail("unlink", ends(leftover), nth=1, code=errno.EACCES)
    write_all(plan, journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert {k: v for k, v in snapshot(repo).items() if k in expected} == expected
    assert (repo / JOURNAL_FILE).exists()
    notice = recover(repo)
    assert notice == (f"une écriture interrompue ({LABEL}, 3 fichiers) était allée à son terme : ses "
                      "copies de sauvegarde et son journal ont été retirés")
    assert snapshot(repo) == expected


def test_without_hard_links_the_backups_are_copies(repo: Path, faults: Faults) -> None:
    before = snapshot(repo)
    faults.fail("link", ends(".gusp-avant", -1), nth=None, code=errno.EPERM)
    faults.fail("replace", ends(".gusp-nouveau"), nth=3, code=errno.EIO)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert faults.seen["link"] == 3, "each backup was refused as a hard link, then copied"
    assert snapshot(repo) == before
    assert "déjà remplacés, ont été rétablis" in info.value.message


def test_an_undo_that_fails_names_the_file_and_keeps_the_journal_for_recover(
        repo: Path, faults: Faults) -> None:
    before = snapshot(repo)
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        name = os.fspath(src)
        if name.endswith(".gusp-nouveau") and os.fspath(dst).endswith("lievin.yaml"):
            raise OSError(errno.EIO, "Input/output error")
        if name.endswith(".gusp-avant") and os.fspath(dst) == str(lens):
            raise OSError(errno.EACCES, "Permission denied")
        real(src, dst)

    faults.monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert info.value.message == (
        f"{LABEL} : remplacement de charter-data/quartiers/lievin.yaml impossible (erreur d'entrée/sortie) ; "
        "charter-data/quartiers/avion.yaml, déjà remplacé, a été rétabli ; l'annulation a échoué pour "
        "charter-data/quartiers/lens.yaml (droits insuffisants) : il garde son nouveau contenu. Le journal "
        ".gusp-ecriture.json est gardé : la prochaine commande gusp lancée dans ce dépôt (gusp validate) le "
        "rétablira ; les autres fichiers sont intacts.")
    assert lens.read_bytes() != before["charter-data/quartiers/lens.yaml"]
    assert lock_path(lens).exists(), "the locks stay until the undo is finished"
    assert recover(repo) == (f"une écriture interrompue ({LABEL}, 3 fichiers) a été annulée : "
                             "charter-data/quartiers/lens.yaml rétabli ; les 2 autres n'avaient pas été "
                             "modifiés")
    assert snapshot(repo) == before


# --------------------------------------------------------------------------- the checks


def refused(repo: Path, plan: list[Replacement]) -> str:
    """Run a write that must be refused; check that nothing changed; return the message."""
    before = snapshot(repo)
    with pytest.raises(GuspError) as info:
        write_all(plan, journal_dir=repo, label=LABEL)
    assert snapshot(repo) == before
    assert info.value.exit_code == 1
    return info.value.message


def test_a_read_only_target_changes_nothing_and_is_named(repo: Path) -> None:
    lievin = repo / "charter-data" / "quartiers" / "lievin.yaml"
    lievin.chmod(0o444)
    message = refused(repo, replacements(repo))
    assert message == (f"{LABEL} : {NOTHING_CHANGED}, car charter-data/quartiers/lievin.yaml est en lecture "
                       f"seule (rendez-le modifiable : chmod u+w {lievin})")


def test_every_problem_is_listed_at_once(repo: Path) -> None:
    avion, _, lievin = quartiers(repo)
    plan = replacements(repo)
    lievin.chmod(0o444)
    avion.write_bytes(avion.read_bytes() + b"# sauve par un editeur\n")
    message = refused(repo, plan)
    assert message == (
        f"{LABEL} : {NOTHING_CHANGED}, car :\n"
        "  - charter-data/quartiers/avion.yaml a été modifié sur le disque depuis sa lecture (par un "
        "éditeur ?) : relancez la commande\n"
        "  - charter-data/quartiers/lievin.yaml est en lecture seule (rendez-le modifiable : chmod u+w "
        f"{lievin})")


def test_a_file_changed_between_the_checks_and_the_renames_is_refused(repo: Path, faults: Faults) -> None:
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    saved = lens.read_bytes() + b"# sauve par un editeur pendant l'import\n"
    real = os.link

    def link_then_editor_saves(src: Any, dst: Any, **kw: Any) -> None:
        real(src, dst, **kw)
        if os.fspath(dst).endswith(f"lievin.yaml.{os.getpid()}.gusp-avant"):
            lens.write_bytes(saved)  # in place, as an editor does

    plan = replacements(repo)
    before = snapshot(repo)
    faults.monkeypatch.setattr(os, "link", link_then_editor_saves)
    with pytest.raises(GuspError) as info:
        write_all(plan, journal_dir=repo, label=LABEL)
    faults.monkeypatch.undo()
    assert snapshot(repo) == {**before, "charter-data/quartiers/lens.yaml": saved}
    assert info.value.message == (
        f"{LABEL} : un fichier a changé pendant l'écriture : charter-data/quartiers/lens.yaml a été modifié "
        f"sur le disque depuis sa lecture (par un éditeur ?) : relancez la commande ; {NOTHING_CHANGED}")


def test_a_new_file_that_exists_already_is_refused(repo: Path) -> None:
    avion, lens, lievin = replacements(repo)
    plan = [avion, Replacement(lens.path, b"id: lens\n", None), lievin]
    assert refused(repo, plan).endswith("car charter-data/quartiers/lens.yaml existe déjà (il n'existait pas "
                                        "quand la commande a lu la charte)")


def test_a_new_file_in_a_missing_folder_is_refused_before_any_lock(repo: Path) -> None:
    plan = [*replacements(repo), Replacement(repo / "charter-data" / "secteurs" / "nord.yaml", b"", None)]
    assert refused(repo, plan).endswith("car le dossier de charter-data/secteurs/nord.yaml n'existe pas")


def test_a_read_only_folder_is_refused(repo: Path) -> None:
    folder = repo / "charter-data" / "quartiers"
    folder.chmod(0o555)
    try:
        message = refused(repo, replacements(repo))
    finally:
        folder.chmod(0o755)
    assert message.startswith(f"{LABEL} : {NOTHING_CHANGED}, car :\n  - le dossier de "
                              "charter-data/quartiers/avion.yaml")
    assert "n'est pas modifiable : lecture seule ou droits insuffisants" in message


def test_a_target_that_is_a_directory_is_refused(repo: Path) -> None:
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    plan = replacements(repo)
    lens.unlink()
    lens.mkdir()
    assert refused(repo, plan).endswith(
        "car charter-data/quartiers/lens.yaml est un dossier, pas un fichier ordinaire")


def test_a_target_that_is_a_named_pipe_is_refused_without_blocking(repo: Path) -> None:
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    plan = replacements(repo)
    lens.unlink()
    os.mkfifo(lens)
    assert refused(repo, plan).endswith(
        "car charter-data/quartiers/lens.yaml est un tube nommé, pas un fichier ordinaire")


def test_a_symlink_to_a_regular_file_has_its_target_replaced_never_the_link(repo: Path) -> None:
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    shared = repo / "partage" / "lens.yaml"
    shared.parent.mkdir()
    lens.rename(shared)
    lens.symlink_to(Path("../../partage/lens.yaml"))
    plan = replacements(repo)
    data = {shown(repo, r.path): r.data for r in plan}
    write_all(plan, journal_dir=repo, label=LABEL)
    assert lens.is_symlink() and os.readlink(lens) == "../../partage/lens.yaml"
    assert shared.read_bytes() == data["charter-data/quartiers/lens.yaml"]
    leftovers = [p.name for p in (*lens.parent.iterdir(), *shared.parent.iterdir())
                 if p.name.endswith((".lock", ".gusp-nouveau", ".gusp-avant"))]
    assert leftovers == [] and not (repo / JOURNAL_FILE).exists()


def test_two_names_of_one_file_are_refused(repo: Path) -> None:
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    alias = repo / "charter-data" / "quartiers" / "lens-bis.yaml"
    plan = [*replacements(repo), Replacement(alias, b"", digest(lens.read_bytes()))]
    alias.symlink_to("lens.yaml")
    assert refused(repo, plan).endswith(
        "car charter-data/quartiers/lens.yaml et charter-data/quartiers/lens-bis.yaml sont le même fichier")


def test_a_file_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.yaml"
    outside.write_bytes(b"id: x\n")
    message = refused(repo, [Replacement(outside, b"", digest(b"id: x\n"))])
    assert message.endswith(f"car {outside} est hors du dépôt {repo}")


def test_a_file_stat_error_is_a_french_reason(repo: Path, faults: Faults) -> None:
    faults.fail("stat", ends("lens.yaml"), nth=None, code=errno.EIO)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    assert info.value.message.endswith(
        "car charter-data/quartiers/lens.yaml est inaccessible : erreur d'entrée/sortie")


def test_a_held_lock_is_waited_for_then_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUSP_LOCK_TIMEOUT", "0.2")
    lens = repo / "charter-data" / "quartiers" / "lens.yaml"
    plan = replacements(repo)
    before = snapshot(repo)
    with file_lock(lens), pytest.raises(GuspError) as info:
        write_all(plan, journal_dir=repo, label=LABEL)
    assert snapshot(repo) == before, "the locks taken before the held one are released"
    assert info.value.message.startswith(f"{LABEL} : {NOTHING_CHANGED}, car {lock_path(lens)} existe : "
                                         "une autre modification de lens.yaml est en cours")


def test_two_writes_in_opposite_orders_never_deadlock(repo: Path) -> None:
    forward = replacements(repo)
    backward = [Replacement(r.path, r.data + b"# autre\n", r.expected_digest) for r in reversed(forward)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(plan: list[Replacement]) -> None:
        barrier.wait()
        try:
            write_all(plan, journal_dir=repo, label=LABEL)
            outcomes.append("écrit")
        except GuspError as exc:
            outcomes.append("refusé" if "modifié sur le disque" in exc.message else exc.message)

    threads = [threading.Thread(target=run, args=(plan,)) for plan in (forward, backward)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refusé", "écrit"], "one writes, the other sees the files changed"
    contents = {f.read_bytes().endswith(b"# autre\n") for f in quartiers(repo)}
    assert len(contents) == 1, "never a mix of the two writes"


# --------------------------------------------------------------------------- kill -9

CHILD = """
import os, sys
from pathlib import Path
from gusp_cli.store import transaction
from gusp_cli.store.atomic import digest

k, when, root = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
real, calls = os.replace, []

def dying(src, dst):
    calls.append(dst)
    if len(calls) == k and when == "avant":
        os._exit(137)
    real(src, dst)
    if len(calls) == k and when == "apres":
        os._exit(137)

transaction.os.replace = dying
files = sorted((root / "charter-data" / "quartiers").glob("*.yaml"))
plan = [transaction.Replacement(f, f.read_bytes() + b"# suivi importe le 2026-11-25\\n",
                                digest(f.read_bytes())) for f in files]
transaction.write_all(plan, journal_dir=root, label="import du suivi")
"""


def killed_at(repo: Path, k: int, when: str) -> None:
    """Run a write of the three quartiers in a child process that dies (kill -9) at its k-th rename."""
    result = subprocess.run([sys.executable, "-c", CHILD, str(k), when, str(repo)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 137, result.stderr


KILLS = [(1, "avant"), (2, "avant"), (3, "avant"), (1, "apres"), (2, "apres"), (3, "apres")]


@pytest.mark.parametrize(("k", "when"), KILLS)
def test_kill_9_at_each_rename_then_recover(repo: Path, k: int, when: str) -> None:
    before = snapshot(repo)
    after = {shown(repo, f): new_content(f) for f in quartiers(repo)}
    killed_at(repo, k, when)
    written = k - 1 if when == "avant" else k
    states = [quartier.read_bytes() == after[shown(repo, quartier)] for quartier in quartiers(repo)]
    assert states == [True] * written + [False] * (3 - written)
    assert (repo / JOURNAL_FILE).exists()
    notice = recover(repo)
    if written == 3:
        assert notice is not None and "était allée à son terme" in notice
        assert snapshot(repo) == {**before, **after}
        return
    said = {0: "aucun fichier n'avait encore été modifié",
            1: "charter-data/quartiers/avion.yaml rétabli ; les 2 autres n'avaient pas été modifiés",
            2: ("charter-data/quartiers/avion.yaml rétabli, charter-data/quartiers/lens.yaml rétabli ; "
                "l'autre fichier n'avait pas été modifié")}
    assert notice == f"une écriture interrompue ({LABEL}, 3 fichiers) a été annulée : {said[written]}"
    assert snapshot(repo) == before
    assert recover(repo) is None, "recover is idempotent"
    assert snapshot(repo) == before


@pytest.mark.parametrize(("k", "when"), KILLS[1:3])
def test_kill_9_then_any_gusp_command_restores_the_files(repo: Path, gusp: Gusp, k: int, when: str) -> None:
    before = snapshot(repo)
    killed_at(repo, k, when)
    code, out, err = gusp("actions", "--quartier", "lens", "--charter", str(repo))
    assert code == 0 and out
    assert err.startswith(f"gusp : une écriture interrompue ({LABEL}, 3 fichiers) a été annulée : "
                          "charter-data/quartiers/avion.yaml rétabli")
    assert snapshot(repo) == before
    assert gusp("actions", "--charter", str(repo))[2] == "", "said once"


def test_kill_9_then_gusp_log_restores_the_files_too(repo: Path, gusp: Gusp) -> None:
    before = snapshot(repo)
    killed_at(repo, 2, "avant")
    _, _, err = gusp("log", "AVI-001", "--charter", str(repo))
    assert "a été annulée" in err
    assert snapshot(repo) == before


def test_a_file_edited_after_the_kill_is_never_overwritten(repo: Path) -> None:
    before = snapshot(repo)
    killed_at(repo, 3, "avant")
    avion = repo / "charter-data" / "quartiers" / "avion.yaml"
    lock_path(avion).unlink()  # the user followed the stale lock's advice, then edited the file
    avion.write_bytes(b"# a la main\n")
    notice = recover(repo)
    assert notice is not None and notice.startswith(
        f"une écriture interrompue ({LABEL}, 3 fichiers) a été annulée : charter-data/quartiers/lens.yaml "
        "rétabli ; l'autre fichier n'avait pas été modifié ; charter-data/quartiers/avion.yaml a changé "
        "depuis l'écriture interrompue : laissé tel quel, sa version d'avant est gardée dans .avion.yaml.")
    assert avion.read_bytes() == b"# a la main\n"
    kept = [p for p in avion.parent.iterdir() if p.name.endswith(".gusp-avant")]
    assert len(kept) == 1 and kept[0].read_bytes() == before["charter-data/quartiers/avion.yaml"]
    assert not (repo / JOURNAL_FILE).exists()


# --------------------------------------------------------------------------- journals left alone


def rewrite_journal(repo: Path, **changes: Any) -> None:
    path = repo / JOURNAL_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    document.update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")


def hand_over(repo: Path, pid: int) -> None:
    """Make the interrupted write look like the process ``pid``'s: its journal and its locks."""
    rewrite_journal(repo, processus=pid)
    for lock in (repo / JOURNAL_FILE, *quartiers(repo)):
        lock_path(lock).write_text(f"{pid}\n{socket.gethostname()}\n", encoding="utf-8")


def test_a_journal_whose_writer_runs_is_left_alone(repo: Path) -> None:
    killed_at(repo, 2, "avant")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        hand_over(repo, sleeper.pid)
        mixed = snapshot(repo)
        notice = recover(repo)
        assert notice == (f"une écriture est en cours dans ce dépôt ({LABEL}, processus {sleeper.pid}) : "
                          "la charte lue peut mêler des fichiers d'avant et d'après ; relancez la commande "
                          "quand elle sera finie")
        assert snapshot(repo) == mixed
    finally:
        sleeper.kill()
        sleeper.wait()
    assert recover(repo) is not None and not (repo / JOURNAL_FILE).exists()


def test_a_journal_written_on_another_machine_is_left_alone(repo: Path) -> None:
    killed_at(repo, 2, "avant")
    rewrite_journal(repo, machine="poste-de-la-mairie")
    mixed = snapshot(repo)
    pid = json.loads((repo / JOURNAL_FILE).read_text())["processus"]
    assert recover(repo) == (f"une écriture ({LABEL}, processus {pid}) "
                             "commencée sur la machine poste-de-la-mairie n'est pas terminée : son journal "
                             ".gusp-ecriture.json est laissé tel quel ; lancez une commande gusp sur "
                             "poste-de-la-mairie pour la terminer ou l'annuler")
    assert snapshot(repo) == mixed


def test_a_write_refuses_to_start_over_an_unfinished_one(repo: Path) -> None:
    killed_at(repo, 2, "avant")
    rewrite_journal(repo, machine="poste-de-la-mairie")
    for lock in (repo / "charter-data" / "quartiers").glob("*.lock"):
        lock.unlink()
    lock_path(repo / JOURNAL_FILE).unlink()
    mixed = snapshot(repo)
    with pytest.raises(GuspError) as info:
        write_all(replacements(repo), journal_dir=repo, label=LABEL)
    assert snapshot(repo) == mixed
    assert info.value.message == (f"{LABEL} : {NOTHING_CHANGED}, car une écriture précédente n'est pas "
                                  "terminée (.gusp-ecriture.json) : relancez la commande, gusp la terminera "
                                  "d'abord")


CORRUPT = {
    "tronqué": b'{"version": 1, "processus": 12',
    "binaire": b"\xff\xfe\x00\x01",
    "liste": b"[]",
    "version inconnue": None,
    "cible hors du dépôt": {"cible": "../../etc/passwd"},
    "cible dans .git": {"cible": ".git/config"},
    "temporaire étranger": {"temporaire": "config"},
    "empreinte invalide": {"empreinte_apres": "zz"},
}


@pytest.mark.parametrize("damage", CORRUPT)
def test_a_corrupt_journal_is_a_french_error_and_nothing_is_touched(repo: Path, gusp: Gusp,
                                                                    damage: str) -> None:
    killed_at(repo, 2, "avant")
    path = repo / JOURNAL_FILE
    value = CORRUPT[damage]
    if isinstance(value, bytes):
        path.write_bytes(value)
    elif value is None:
        rewrite_journal(repo, version=7)
    else:
        document = json.loads(path.read_text(encoding="utf-8"))
        document["fichiers"][0].update(value)
        path.write_text(json.dumps(document), encoding="utf-8")
    mixed = snapshot(repo)
    with pytest.raises(GuspError) as info:
        recover(repo)
    assert info.value.exit_code == 1
    assert info.value.message.startswith(".gusp-ecriture.json : journal d'écriture inutilisable (")
    assert snapshot(repo) == mixed
    code, out, err = gusp("validate", "--charter", str(repo))
    assert code == 1 and out == ""
    assert err.startswith("gusp : erreur : .gusp-ecriture.json : journal d'écriture inutilisable")
    assert "Traceback" not in err
    assert snapshot(repo) == mixed


# --------------------------------------------------------------------------- cost on reads


def test_without_a_journal_recover_is_one_stat(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = os.stat

    def counting(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        calls.append(os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    assert recover(repo) is None
    assert calls == [str(repo / JOURNAL_FILE)]


def test_the_recovery_module_imports_nothing_heavy() -> None:
    code = ("import sys; import gusp_cli.store.recovery; "
            "print(sorted(m for m in ('gusp_cli.store.atomic', 'gusp_cli.store.journal', 'hashlib', "
            "'socket', 'tempfile') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_journal_names_who_writes_what(repo: Path, faults: Faults) -> None:
    seen: list[jn.Journal] = []
    real = os.replace

    def look(src: Any, dst: Any) -> None:
        if not seen:
            seen.append(jn.read(repo / JOURNAL_FILE, repo))
        real(src, dst)

    faults.monkeypatch.setattr(os, "replace", look)
    plan = replacements(repo)
    write_all(plan, journal_dir=repo, label=LABEL)
    record = seen[0]
    assert (record.pid, record.host, record.label) == (os.getpid(), socket.gethostname(), LABEL)
    assert [e.target for e in record.entries] == [shown(repo, r.path) for r in plan]
    assert [(e.before, e.after) for e in record.entries] == [
        (r.expected_digest, digest(r.data)) for r in plan]
    assert record.locks == tuple(f"{shown(repo, r.path)}.lock" for r in plan)
