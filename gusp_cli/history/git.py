"""git access for the charter history: run git, read revisions' files in memory.

git runs as a subprocess (``git -C root ...``, never through a shell), read-only; a revision's
files are read from git objects into memory, never written to disk.

A shallow clone (``git clone --depth 1``, the default of CI checkouts) has lost the commits
before its *grafted* ones: a merge-base, a creation or a removed id cannot be seen there. Whatever
would be answered wrongly from such a history raises :class:`TruncatedHistory` (exit code
:data:`EXIT_TRUNCATED`), which says how to fetch the rest.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gusp_cli.model.errors import GuspError, UsageError
from gusp_cli.model.layout import DATA_DIR

NULL_SHA = frozenset({"0" * 40, "0" * 64})

FALLBACK_IDENTITY = ("-c", "user.name=gusp", "-c", "user.email=gusp@localhost")
"""The identity that signs a first commit when git has none configured."""

_ACTION_ID = re.compile(r"\b[A-Z]{2,5}-[0-9]{3,}\b")

EXIT_TRUNCATED = 3
"""Exit code when the answer needs git history that a shallow clone does not have."""
UNSHALLOW_HELP = ("récupérez l'historique complet : git fetch --unshallow (en CI : fetch-depth: 0 pour "
                  "actions/checkout sur GitHub, variable GIT_DEPTH: 0 sur GitLab)")
"""How to get the history back, said with every :class:`TruncatedHistory`."""


class TruncatedHistory(GuspError):
    """The answer needs commits that a shallow clone does not have (exit :data:`EXIT_TRUNCATED`)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"historique git tronqué (clone superficiel, git clone --depth) : {what} ; "
                         f"{UNSHALLOW_HELP}", EXIT_TRUNCATED)


def run_git(root: Path, args: Sequence[str],
            stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git -C root *args``; a missing git is a French usage error."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise UsageError("git introuvable : installez git (https://git-scm.com) pour comparer "
                         "des révisions de la charte") from None


def _first_line(raw: bytes) -> str:
    """The first non-empty line of git's stderr, for error messages."""
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[0] if lines else "erreur inconnue"


@dataclass
class GitRepo:
    """A charter repository inside a git work tree, with per-run caches of git objects."""

    root: Path
    prefix: str = ""
    """Path of ``root`` inside the git work tree (``""`` or ``"sub/dir/"``)."""
    _blobs: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path) -> GitRepo:
        """Open the git work tree holding ``root``; a French usage error when there is none."""
        done = run_git(root, ["rev-parse", "--show-prefix"])
        if done.returncode != 0:
            raise UsageError(f"« {root} » n'est pas dans un dépôt git ({_first_line(done.stderr)}) ; "
                             "gusp diff et gusp log lisent l'historique git de la charte")
        return cls(root, done.stdout.decode().strip())

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        """Run a git command that must succeed; return its standard output."""
        done = run_git(self.root, args, stdin)
        if done.returncode != 0:
            raise GuspError(f"git {args[0]} a échoué : {_first_line(done.stderr)}", 2)
        return done.stdout

    def commit_of(self, rev: str) -> str | None:
        """The full hash of the commit ``rev`` names, or None when it names none."""
        if not rev or rev.startswith("-") or any(c.isspace() for c in rev):
            return None
        done = run_git(self.root, ["rev-parse", "--verify", "--quiet", "--end-of-options",
                                    f"{rev}^{{commit}}"])
        return done.stdout.decode().strip() if done.returncode == 0 else None

    def resolve(self, rev: str) -> str:
        """The full hash of ``rev``; a French usage error when it is unknown."""
        sha = self.commit_of(rev)
        if sha is None:
            if self.commit_of("HEAD") is None:
                raise UsageError("le dépôt git ne contient encore aucun commit")
            raise UsageError(f"révision git inconnue « {rev} » (essayez HEAD, HEAD~1, main, "
                             "un hash de commit ou une étiquette)")
        return sha

    def blobs(self, shas: Sequence[str], *, keep: bool = True) -> dict[str, bytes]:
        """The contents of blobs by hash, read with one ``git cat-file --batch``.

        With ``keep`` they stay cached for the rest of the run.
        """
        wanted = list(dict.fromkeys(s for s in shas if s not in self._blobs))
        read: dict[str, bytes] = {}
        if wanted:
            out = self.git("cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode())
            for sha, content in zip(wanted, _batch_contents(out, len(wanted)), strict=True):
                if content is not None:
                    read[sha] = content
        if keep:
            self._blobs.update(read)
        return {s: read.get(s) or self._blobs[s] for s in shas if s in read or s in self._blobs}

    def data_files(self, commit: str) -> dict[str, str]:
        """The charter-data files of a commit: path relative to ``root`` -> blob hash."""
        out = self.git("ls-tree", "-r", "-z", "--full-name", commit, "--", DATA_DIR)
        files: dict[str, str] = {}
        for record in out.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, path = record.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob" and path.startswith(self.prefix):
                files[path[len(self.prefix):]] = parts[2]
        return files

    def short(self, sha: str) -> str:
        """The abbreviated hash git would print."""
        return self.git("rev-parse", "--short", sha).decode().strip()

    @property
    def shallow(self) -> bool:
        """True in a shallow clone (its history stops at grafted commits)."""
        done = run_git(self.root, ["rev-parse", "--is-shallow-repository"])
        return done.returncode == 0 and done.stdout.strip() == b"true"

    def grafted(self) -> frozenset[str]:
        """The commits a shallow clone's history stops at (their parents are missing), else none."""
        done = run_git(self.root, ["rev-parse", "--git-path", "shallow"])
        if done.returncode != 0:
            return frozenset()
        path = Path(done.stdout.decode().strip())
        try:
            text = (path if path.is_absolute() else self.root / path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return frozenset()
        return frozenset(text.split())


def _batch_contents(out: bytes, count: int) -> Iterator[bytes | None]:
    """Split ``git cat-file --batch`` output into the objects' contents (None when missing)."""
    pos = 0
    for _ in range(count):
        end = out.index(b"\n", pos)
        parts = out[pos:end].split()
        pos = end + 1
        if len(parts) == 3 and parts[2].isdigit():
            size = int(parts[2])
            yield out[pos:pos + size]
            pos += size + 1
        else:
            yield None


def revision(root: Path) -> str | None:
    """The commit the charter's files are at (``3f2c1ab``), marked when ``charter-data/`` has
    changes not committed yet (``3f2c1ab + modifications non enregistrées``); None outside git or
    before the first commit."""
    done = run_git(root, ["rev-parse", "--short", "HEAD"])
    if done.returncode != 0:
        return None
    head = done.stdout.decode().strip()
    status = run_git(root, ["status", "--porcelain", "--", DATA_DIR])
    dirty = status.returncode == 0 and bool(status.stdout.strip())
    return f"{head} + modifications non enregistrées" if dirty else head


def in_git(root: Path) -> bool:
    """True when ``root`` lies in a git work tree and git is installed."""
    try:
        GitRepo.open(root)
    except GuspError:
        return False
    return True


def require_git() -> None:
    """Stop with a French usage error when git is not installed (before anything is written)."""
    run_git(Path("."), ["--version"])


def first_commit(target: Path, message: str) -> tuple[str, bool]:
    """``git init`` the folder, stage everything and commit; return the short hash and whether the
    fallback identity (:data:`FALLBACK_IDENTITY`) was used because none is configured."""

    def git(*args: str) -> str:
        done = run_git(target, args)
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GuspError(f"git {args[-1] if args[0] == '-c' else args[0]} a échoué : "
                            f"{lines[-1] if lines else 'erreur inconnue'} ; rien n'a été créé", 2)
        return done.stdout.decode().strip()

    git("-c", "init.defaultBranch=main", "init", "-q")
    git("add", "-A")
    fallback = any(run_git(target, ["var", name]).returncode != 0
                   for name in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"))
    identity = FALLBACK_IDENTITY if fallback else ()
    git(*identity, "commit", "-q", "--no-verify", "-m", message)
    return git("rev-parse", "--short", "HEAD"), fallback


def ids_in_history(root: Path, path: Path, pattern: re.Pattern[str] = _ACTION_ID,
                   command: str = "gusp add") -> set[str]:
    """Ids (action ids, or those ``pattern`` finds) that ever appeared in ``path`` according to git
    (empty outside a repository or for a file git never saw).

    In a shallow clone the ids of the missing commits cannot be known: :class:`TruncatedHistory`
    (``command`` names what refuses).
    """
    try:
        out = run_git(root, ["log", "--all", "--format=", "-p", "--", str(path)])
    except GuspError:  # git not installed: no history to look into
        return set()
    if out.returncode != 0:
        return set()
    if GitRepo(root).shallow:
        raise TruncatedHistory(f"{command} ne peut pas prouver qu'un identifiant n'a jamais servi (un id "
                               "supprimé ne se réutilise pas)")
    lines = out.stdout.decode("utf-8", "replace").splitlines()
    return {m.group(0) for line in lines if line[:1] in "+-" for m in pattern.finditer(line)}
