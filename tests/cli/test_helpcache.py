"""The help cache of the ``gusp`` console script: the very bytes of a real run, without typer or rich."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gusp_cli.cli import entry
from gusp_cli.cli.entry import PLUGIN_LOADER
from gusp_cli.store import cache as cache_module

SCRIPT = "from gusp_cli.cli.entry import main; main()"
"""What the console script does (``python -c`` keeps the test independent of the installed script)."""

MODULES_SCRIPT = """
import atexit, sys
DUMP = sys.argv.pop(1)
def dump():
    with open(DUMP, "w", encoding="utf-8") as handle:
        handle.write("\\n".join(sorted(sys.modules)))
atexit.register(dump)
from gusp_cli.cli.entry import main
main()
"""

Run = tuple[int, bytes, bytes]


def _env(cache: Path, **extra: str) -> dict[str, str]:
    """The test's environment without anything that changes the rendering, plus ``extra``."""
    dropped = {*entry.RENDERING_ENV, *entry.BYPASS_ENV, "GUSP_NO_CACHE"}
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env.update(XDG_CACHE_HOME=str(cache), COLUMNS="100", TERM="xterm-256color")
    env.update(extra)
    return env


def _gusp(env: dict[str, str], *args: str) -> Run:
    """Run the console script's ``main`` in a child process, stdout and stderr to pipes."""
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, check=False)
    return done.returncode, done.stdout, done.stderr


def _gusp_on_tty(env: dict[str, str], columns: int, *args: str) -> Run:
    """Run it with stdout on a pseudo-terminal of ``columns`` columns (what a user sees)."""
    fcntl = pytest.importorskip("fcntl")
    pty = pytest.importorskip("pty")
    termios = pytest.importorskip("termios")
    import struct

    try:
        master, slave = pty.openpty()
    except OSError:
        pytest.skip("pas de pseudo-terminal disponible")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    child = subprocess.Popen([sys.executable, "-c", SCRIPT, *args], env=env, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert child.stderr is not None
    err = child.stderr.read()
    child.stderr.close()
    return child.wait(), b"".join(chunks), err


def _entries(cache: Path) -> list[Path]:
    folder = cache / "gusp" / "help"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A private, empty ``$XDG_CACHE_HOME``."""
    return tmp_path / "xdg"


@pytest.fixture
def plain_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Real files as stdout and stderr, whatever pytest's capture does."""
    with open(tmp_path / "out", "w", encoding="utf-8") as out, \
            open(tmp_path / "err", "w", encoding="utf-8") as err:
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        yield


# --------------------------------------------------------------------------- what a hit prints


@pytest.mark.parametrize("args", [(), ("--help",), ("-h",), ("overdue", "--help")],
                         ids=["sans-argument", "--help", "-h", "overdue --help"])
def test_a_hit_prints_the_bytes_of_a_real_run(cache: Path, args: tuple[str, ...]) -> None:
    reference = _gusp(_env(cache, GUSP_NO_CACHE="1"), *args)
    assert reference[0] == 0 and b"Usage" in reference[1] and reference[2] == b""
    assert _entries(cache) == []

    miss = _gusp(_env(cache), *args)
    assert miss == reference
    assert len(_entries(cache)) == 1

    hit = _gusp(_env(cache), *args)
    assert hit == reference
    assert len(_entries(cache)) == 1


def test_no_argument_prints_the_help_once(cache: Path) -> None:
    env = _env(cache, GUSP_NO_CACHE="1")
    assert _gusp(env) == _gusp(env, "--help")
    plain = _env(cache, GUSP_NO_CACHE="1", TYPER_USE_RICH="0")
    assert _gusp(plain) == _gusp(plain, "--help")


def test_a_hit_imports_neither_typer_nor_rich(cache: Path, tmp_path: Path) -> None:
    def modules(name: str) -> set[str]:
        dump = tmp_path / name
        done = subprocess.run([sys.executable, "-c", MODULES_SCRIPT, str(dump), "--help"],
                              env=_env(cache), stdin=subprocess.DEVNULL, capture_output=True, check=False)
        assert done.returncode == 0 and b"Usage" in done.stdout
        return set(dump.read_text(encoding="utf-8").split())

    assert "typer" in modules("miss")
    loaded = modules("hit")
    heavy = {m for m in loaded if m.split(".")[0] in ("typer", "rich", "click", "pydantic", "ruamel")
             and m != PLUGIN_LOADER}  # gusp's stand-in for that pydantic module (entry.skip_plugin_loader)
    # entry and streams (which reserves closed standard descriptors first) import only the standard library
    commands = {m for m in loaded if m.startswith("gusp_cli.cli.")
                and m not in ("gusp_cli.cli.entry", "gusp_cli.cli.streams")}
    assert heavy == set() and commands == set()


# --------------------------------------------------------------------------- a terminal never gets another's


def test_each_width_and_colour_setting_gets_its_own_output(cache: Path) -> None:
    settings = [{"COLUMNS": "60"}, {"COLUMNS": "120"}, {"COLUMNS": "100", "FORCE_COLOR": "1"},
                {"COLUMNS": "100", "FORCE_COLOR": "1", "NO_COLOR": "1"}]
    outputs = []
    for setting in settings:
        reference = _gusp(_env(cache, GUSP_NO_CACHE="1", **setting), "--help")
        for _ in ("miss", "hit"):
            assert _gusp(_env(cache, **setting), "--help") == reference, setting
        outputs.append(reference[1])
    assert len(set(outputs)) == len(settings)
    assert b"\x1b[" in outputs[2] and b"\x1b[" not in outputs[0]
    assert len(_entries(cache)) == len(settings)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminaux POSIX")
def test_a_terminal_gets_its_colours_and_width_from_the_cache(cache: Path) -> None:
    env = _env(cache)
    del env["COLUMNS"]
    reference = _gusp_on_tty({**env, "GUSP_NO_CACHE": "1"}, 100, "--help")
    assert reference[0] == 0 and b"\x1b[" in reference[1]
    assert _gusp_on_tty(env, 100, "--help") == reference  # miss
    assert _gusp_on_tty(env, 100, "--help") == reference  # hit

    narrow = _gusp_on_tty(env, 70, "--help")
    assert narrow[0] == 0 and narrow[1] != reference[1]
    assert narrow == _gusp_on_tty({**env, "GUSP_NO_CACHE": "1"}, 70, "--help")

    piped = _gusp(env, "--help")
    assert b"\x1b[" not in piped[1]


@pytest.mark.usefixtures("plain_streams")
def test_the_key_covers_the_terminal_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"COLUMNS": "80", "TERM": "xterm"}

    def key(env: dict[str, str] | None = None, args: tuple[str, ...] = ("--help",)) -> bytes:
        material = entry.key_material(list(args), base if env is None else env)
        assert material is not None
        return material

    reference = key()
    assert key() == reference
    for changed in ({"COLUMNS": "81"}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}, {"TERM": "dumb"},
                    {"TERMINAL_WIDTH": "90"}, {"TYPER_USE_RICH": "0"}, {"LANGUAGE": "de"}):
        assert key({**base, **changed}) != reference, changed
    assert key(args=("overdue", "--help")) != reference
    assert key({**base, "GUSP_DEBUG": "1", "HOME": "/ailleurs"}) == reference  # no effect on rendering

    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((132, 40)))
    wide = key()
    assert wide != reference
    monkeypatch.setattr(os, "isatty", lambda fd: True)
    assert key() != wide

    monkeypatch.setattr(entry, "code_fingerprint", lambda: (("cli/app.py", 1, 2),))
    assert key() != wide


def test_the_fingerprint_covers_the_whole_package() -> None:
    import gusp_cli

    assert os.path.dirname(os.path.abspath(gusp_cli.__file__)) == cache_module._PACKAGE
    paths = {path for path, _, _ in cache_module.package_files()}
    assert {"/cli/app.py", "/model/models.py", "/store/cache.py"} <= paths


def test_the_code_fingerprint_follows_every_source_file(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    package = tmp_path / "gusp_cli"
    (package / "cli").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "models.py").write_text("X = 1\n")
    (package / "cli" / "app.py").write_text("Y = 1\n")
    (package / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"ignored")
    monkeypatch.setattr(cache_module, "_PACKAGE", str(package))
    before = entry.code_fingerprint()
    assert {path for path, _, _ in before[:2]} == {"/models.py", "/cli/app.py"}
    assert entry.code_fingerprint() == before
    os.utime(package / "models.py", ns=(1, 1))
    assert entry.code_fingerprint() != before
    touched = entry.code_fingerprint()
    (package / "cli" / "new.py").write_text("")
    assert entry.code_fingerprint() != touched


# --------------------------------------------------------------------------- when the cache is not used


@pytest.mark.parametrize(("args", "expected"), [
    ((), True), (("--help",), True), (("-h",), True), (("overdue", "--help"), True),
    (("overdue", "-h", "--quartier", "x"), True), (("overdue",), False), (("--version",), False),
    (("overdue", "--quartier", "x", "--help"), False), (("--no-cache", "--help"), False),
    (("--", "--help"), False),
])
def test_which_arguments_are_a_help_request(args: tuple[str, ...], expected: bool) -> None:
    assert entry.is_help_request(list(args)) is expected


def test_no_cache_and_gusp_no_cache_bypass_it(cache: Path) -> None:
    reference = _gusp(_env(cache, GUSP_NO_CACHE="1"), "--help")
    assert _gusp(_env(cache), "--help", "--no-cache") == reference
    assert _gusp(_env(cache, GUSP_NO_CACHE="0"), "--help") == reference  # "0" means on
    [path] = _entries(cache)

    # A stored entry is printed as it is (here a fake one): the bypass really skips it.
    body = cache_module.unsealed(path.read_bytes())  # the checksum before it may hold a newline byte
    assert body is not None
    _, material, _ = body.split(b"\n", 2)
    path.write_bytes(entry.encode_entry(material, 0, b"FAUX\n"))
    assert _gusp(_env(cache), "--help") == (0, b"FAUX\n", b"")
    assert _gusp(_env(cache, GUSP_NO_CACHE="1"), "--help") == reference
    assert _gusp(_env(cache, _GUSP_COMPLETE="bash_source"), "--help")[1] != b"FAUX\n"


def test_failed_and_ordinary_runs_are_not_stored(cache: Path) -> None:
    code, out, err = _gusp(_env(cache), "frobnicate", "--help")
    assert code == 2 and b"commande inconnue" in err
    code, out, _ = _gusp(_env(cache), "--version")
    assert code == 0 and out.startswith(b"gusp ")
    assert _entries(cache) == []


def test_a_corrupt_entry_is_ignored_and_written_again(cache: Path) -> None:
    reference = _gusp(_env(cache, GUSP_NO_CACHE="1"), "overdue", "--help")
    assert _gusp(_env(cache), "overdue", "--help") == reference
    [path] = _entries(cache)
    good = path.read_bytes()
    for corrupt in (b"", b"\x00garbage", good[:-10], good.replace(b"\n0 ", b"\nx ", 1),
                    good.replace(entry.ENTRY_FORMAT, b"gusp-help-cache 0")):
        path.write_bytes(corrupt)
        assert _gusp(_env(cache), "overdue", "--help") == reference
        assert path.read_bytes() == good


def test_flipping_bytes_in_a_help_entry_never_changes_what_is_printed(cache: Path) -> None:
    """A flipped byte inside the stored output (not only in its header) is caught by the checksum."""
    import random

    reference = _gusp(_env(cache, GUSP_NO_CACHE="1"), "status", "--help")
    assert _gusp(_env(cache), "status", "--help") == reference
    [path] = _entries(cache)
    good = path.read_bytes()
    rng = random.Random(14)
    for position in sorted({rng.randrange(len(good)) for _ in range(8)} | {len(good) - 2}):
        flipped = bytearray(good)
        flipped[position] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(flipped))
        assert _gusp(_env(cache), "status", "--help") == reference, position
        assert path.read_bytes() == good


def test_an_unwritable_cache_is_silent(cache: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")
    reference = _gusp(_env(cache, GUSP_NO_CACHE="1"), "--help")
    for _ in range(2):
        assert _gusp(_env(blocker), "--help") == reference
    assert blocker.read_text() == "pas un dossier"


def test_a_stale_key_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "entry"
    path.write_bytes(entry.encode_entry(b"('cle',)", 0, b"aide\n"))
    assert entry.read_entry(str(path), b"('cle',)") == (b"aide\n", 0)
    assert entry.read_entry(str(path), b"('autre',)") is None
    assert entry.read_entry(str(tmp_path / "absent"), b"('cle',)") is None


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for number in range(5):
        (tmp_path / f"e{number}").write_bytes(b"")
        os.utime(tmp_path / f"e{number}", ns=(number, number))
    entry.prune(str(tmp_path), 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e2", "e3", "e4"]
    entry.prune(str(tmp_path / "absent"), 3)


def test_the_help_cache_sits_beside_the_parse_cache() -> None:
    from gusp_cli.store.cache import default_directory

    env = {"XDG_CACHE_HOME": "/x"}
    assert entry.cache_directory(env) == os.path.join(default_directory(env), "help") == "/x/gusp/help"
    assert entry.cache_directory({}) == os.path.join(default_directory({}), "help")
