"""The charter through git: semantic diff between two revisions, history of one action.

Pure core. git runs as a subprocess (``git -C root ...``, never through a shell); a revision's
files are read from git objects into memory and loaded with :func:`gusp_cli.loader.load`, never
written to disk. Everything a command shows is computed here as plain dataclasses; rendering
lives in ``gusp_cli.cli.cmd_history``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from gusp_cli.charter import Charter
from gusp_cli.errors import GuspError, Problem, UsageError
from gusp_cli.models import Acteur, Action, Suivi
from gusp_cli.repository import DATA_DIR, QUARTIERS_DIR

WORKTREE = "arbre de travail"
"""Label of the working tree side of a diff."""
MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")
"""Branches tried, in order, for the default base of ``gusp diff``."""
_NULL_SHA = frozenset({"0" * 40, "0" * 64})
T = TypeVar("T")

# ----------------------------------------------------------------------------- git access


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


# ----------------------------------------------------------------------------- revisions


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a commit, or the working tree (``commit`` None)."""

    revision: str
    """What designates it: the revision the user typed, a branch, or :data:`WORKTREE`."""
    commit: str | None = None
    short: str | None = None
    note: str | None = None
    """How it was chosen, for a default base (``merge-base de HEAD et main``)."""

    @property
    def label(self) -> str:
        """``HEAD~1 (1a2b3c4)``, ``1a2b3c4 (merge-base de HEAD et main)`` or ``arbre de travail``."""
        if self.commit is None:
            return WORKTREE
        if self.note:
            return f"{self.short} ({self.note})"
        return self.revision if self.revision == self.short else f"{self.revision} ({self.short})"


def default_base(repo: GitRepo) -> Side:
    """The merge-base of HEAD with ``main`` (else ``master``...), else the first commit."""
    head = repo.resolve("HEAD")
    for branch in MAIN_BRANCHES:
        ref = ("refs/remotes/" if branch.startswith("origin/") else "refs/heads/") + branch
        tip = repo.commit_of(ref)
        if tip is None:
            continue
        done = run_git(repo.root, ["merge-base", head, tip])
        if done.returncode == 0:
            sha = done.stdout.decode().strip()
            return Side(sha, sha, repo.short(sha), f"merge-base de HEAD et {branch}")
    roots = repo.git("rev-list", "--max-parents=0", head).decode().split()
    return Side(roots[-1], roots[-1], repo.short(roots[-1]), "premier commit, aucune branche main "
                "ni master")


def load_side(repo: GitRepo, side: Side) -> Charter | None:
    """Load the charter of one side (None when the revision holds no ``charter-data/``)."""
    from gusp_cli.loader import load

    if side.commit is None:
        return load(repo.root)
    files = repo.data_files(side.commit)
    if not files:
        return None
    contents = repo.blobs(list(files.values()))
    texts = {repo.root / path: contents[sha] for path, sha in files.items() if sha in contents}
    return load(repo.root, texts=texts)


def located(problem: Problem, repo: GitRepo, side: Side) -> str:
    """A problem as ``REV:path:line:col: erreur: message [règle]`` (``git show`` accepts ``REV:path``)."""
    if side.commit is None or problem.path is None:
        return problem.format()
    try:
        relative = problem.path.relative_to(repo.root).as_posix()
    except ValueError:
        return problem.format()
    where = f"{side.revision if side.note is None else side.short}:{repo.prefix}{relative}"
    if problem.pos is not None:
        where += f":{problem.pos.line}:{problem.pos.col}"
    return f"{where}: {problem.severity.value}: {problem.message} [{problem.rule}]"


def require_valid(charter: Charter | None, repo: GitRepo, side: Side) -> Charter | None:
    """Stop with exit 1 and the positioned errors when the charter of ``side`` is invalid."""
    if charter is None or charter.ok:
        return charter
    errors = charter.errors
    lines = [located(p, repo, side) for p in errors[:10]]
    if len(errors) > 10:
        lines.append(f"... et {len(errors) - 10} autre(s)")
    raise GuspError(f"la charte est invalide à la révision {side.label} ; la comparaison est "
                    "impossible :\n" + "\n".join(lines), 1)


# ----------------------------------------------------------------------------- field changes

FIELD_LABELS = {
    "quartier": "quartier",
    "tableau": "tableau",
    "numero": "numéro",
    "libelle": "libellé",
    "responsables": "responsables",
    "echeance": "échéance",
    "statut": "statut",
    "date_realisation": "date de réalisation",
    "etiquettes": "étiquettes",
    "evaluation.deployee": "évaluation : déployée",
    "evaluation.cout": "évaluation : coût",
    "evaluation.clauses_insertion_respectees": "évaluation : clauses d'insertion respectées",
    "evaluation.qualite_de_vie_amelioree": "évaluation : qualité de vie améliorée",
    "evaluation.commentaire": "évaluation : commentaire",
}
"""Compared fields of an action, in display order, with their French labels."""
_QUOTED = frozenset({"tableau", "libelle", "evaluation.commentaire"})
STATUS_FR = {"a_faire": "à faire", "en_cours": "en cours", "realisee": "réalisée",
             "abandonnee": "abandonnée", "reportee": "reportée"}
"""French labels of the statuses."""


@dataclass(frozen=True)
class FieldChange:
    """One field of an action that changed, with the reason recorded in its follow-up."""

    champ: str
    """The field (YAML key; ``evaluation.cout`` for a nested one; ``tableau``, ``quartier``)."""
    avant: str | None
    apres: str | None
    motif: str | None = None
    """The ``motif`` of the newest follow-up entry added for this field."""
    note: str | None = None
    """For a status: the note of the follow-up entry that set it."""

    @property
    def libelle(self) -> str:
        """French name of the field."""
        return FIELD_LABELS.get(self.champ, self.champ)

    def value(self, text: str | None) -> str:
        """A value as displayed: quoted for free text, ``(vide)`` when absent."""
        if text is None:
            return "(vide)"
        return f"« {text} »" if self.champ in _QUOTED else text

    def describe(self) -> str:
        """``échéance 2024 → 2026 (motif : report du chantier)``."""
        text = f"{self.libelle} {self.value(self.avant)} → {self.value(self.apres)}"
        if self.motif:
            text += f" (motif : {self.motif})"
        elif self.note:
            text += f" (note : {self.note})"
        return text


@dataclass(frozen=True)
class Placed:
    """An action with the place it holds: quartier and table."""

    quartier: str
    tableau: str
    action: Action


def _show(value: Any) -> str | None:
    """Render a field value as text (lists joined, booleans in French, integral floats bare)."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def field_values(placed: Placed) -> dict[str, str | None]:
    """Every compared field of an action, as display text."""
    action = placed.action
    values: dict[str, str | None] = {
        "quartier": placed.quartier,
        "tableau": placed.tableau,
        "numero": str(action.numero),
        "libelle": action.libelle,
        "responsables": _show(action.responsables),
        "echeance": action.echeance,
        "statut": STATUS_FR.get(action.statut.value) if action.statut else None,
        "date_realisation": _show(action.date_realisation),
        "etiquettes": _show(action.etiquettes),
    }
    evaluation = action.evaluation.model_dump() if action.evaluation else {}
    for name in ("deployee", "cout", "clauses_insertion_respectees", "qualite_de_vie_amelioree",
                 "commentaire"):
        values[f"evaluation.{name}"] = _show(evaluation.get(name))
    for name in type(action).model_fields:  # fields added to the model later: compared as text
        if name not in values and name not in ("id", "suivi", "evaluation"):
            values[name] = _show(getattr(action, name))
    return values


def added_entries(before: Sequence[T], after: Sequence[T]) -> list[T]:
    """Items of ``after`` that ``before`` does not hold, each matched once (follow-up entries...)."""
    remaining = list(before)
    added = []
    for item in after:
        if item in remaining:
            remaining.remove(item)
        else:
            added.append(item)
    return added


def _concerns(item: Suivi, champ: str, apres: str | None) -> bool:
    """True when a follow-up entry records a change of ``champ`` (to ``apres``, for a status)."""
    from gusp_cli.text import fold

    if champ == "statut":
        return item.statut is not None and STATUS_FR[item.statut.value] == apres
    return item.champ is not None and fold(item.champ) in (fold(champ), fold(FIELD_LABELS.get(champ, "")))


def _reason(champ: str, apres: str | None, added: Sequence[Suivi]) -> tuple[str | None, str | None]:
    """The motif (and for a status, the note) explaining a change: newest entry added for it."""
    for item in reversed(added):
        if _concerns(item, champ, apres):
            return item.motif, item.note if champ == "statut" else None
    return None, None


def explains(item: Suivi, change: FieldChange) -> bool:
    """True when a follow-up entry is the one whose reason ``change`` already shows."""
    note = item.note if change.champ == "statut" else None
    return (_concerns(item, change.champ, change.apres) and (item.motif, note) == (change.motif, change.note)
            and bool(change.motif or change.note))


def field_changes(before: Placed, after: Placed) -> list[FieldChange]:
    """The fields that differ between two states of an action, with their reasons."""
    old, new = field_values(before), field_values(after)
    added = added_entries(before.action.suivi, after.action.suivi)
    changes = []
    for champ in dict.fromkeys([*FIELD_LABELS, *old, *new]):
        if old.get(champ) != new.get(champ):
            motif, note = _reason(champ, new.get(champ), added)
            changes.append(FieldChange(champ, old.get(champ), new.get(champ), motif, note))
    return changes


# ----------------------------------------------------------------------------- charter diff


@dataclass
class ActionDiff:
    """An action added, removed or changed between two revisions."""

    nature: str
    """``ajoutee``, ``supprimee`` or ``modifiee``."""
    placed: Placed
    """The action as it is after (as it was, for a removed one)."""
    champs: list[FieldChange] = field(default_factory=list)
    suivis_ajoutes: list[Suivi] = field(default_factory=list)
    suivis_supprimes: list[Suivi] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The action's id."""
        return self.placed.action.id


@dataclass
class QuartierDiff:
    """What changed in one quartier."""

    id: str
    nom: str
    nature: str
    """``ajoute``, ``supprime`` or ``modifie``."""
    tableaux_ajoutes: list[str] = field(default_factory=list)
    tableaux_supprimes: list[str] = field(default_factory=list)
    actions: list[ActionDiff] = field(default_factory=list)
    rubriques: list[str] = field(default_factory=list)
    """Other keys of the quartier file that changed (``contexte``, ``diagnostic``...)."""

    def of(self, nature: str) -> list[ActionDiff]:
        """The actions of one nature."""
        return [a for a in self.actions if a.nature == nature]


@dataclass
class CharterDiff:
    """The semantic difference between two revisions of a charter."""

    base: Side
    cible: Side
    quartiers: list[QuartierDiff] = field(default_factory=list)
    acteurs_ajoutes: list[Acteur] = field(default_factory=list)
    acteurs_supprimes: list[Acteur] = field(default_factory=list)
    acteurs_modifies: list[Acteur] = field(default_factory=list)
    charte: list[str] = field(default_factory=list)
    """Keys of ``charte.yaml`` that changed (other than the quartier list)."""
    notes: list[str] = field(default_factory=list)
    """Remarks on the comparison (a side without any charter)."""

    def counts(self) -> dict[str, int]:
        """The counts of the summary line, with stable keys."""
        actions = [a for q in self.quartiers for a in q.actions]
        champs = [c for a in actions for c in a.champs]
        return {
            "actions_ajoutees": sum(a.nature == "ajoutee" for a in actions),
            "actions_supprimees": sum(a.nature == "supprimee" for a in actions),
            "actions_modifiees": sum(a.nature == "modifiee" for a in actions),
            "statuts_modifies": sum(c.champ == "statut" for c in champs),
            "echeances_modifiees": sum(c.champ == "echeance" for c in champs),
            "suivis_ajoutes": sum(len(a.suivis_ajoutes) for a in actions),
            "acteurs_ajoutes": len(self.acteurs_ajoutes),
            "acteurs_supprimes": len(self.acteurs_supprimes),
            "acteurs_modifies": len(self.acteurs_modifies),
            "quartiers_ajoutes": sum(q.nature == "ajoute" for q in self.quartiers),
            "quartiers_supprimes": sum(q.nature == "supprime" for q in self.quartiers),
            "tableaux_ajoutes": sum(len(q.tableaux_ajoutes) for q in self.quartiers),
            "tableaux_supprimes": sum(len(q.tableaux_supprimes) for q in self.quartiers),
        }

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.quartiers or self.acteurs_ajoutes or self.acteurs_supprimes
                    or self.acteurs_modifies or self.charte)


def table_label(titre: str, secteur: str | None) -> str:
    """A table as shown: its title, and its sector when it has one (titles repeat across sectors)."""
    return f"{titre} (secteur {secteur})" if secteur else titre


def _placed(charter: Charter | None) -> dict[str, Placed]:
    """Actions by id, with their place."""
    placed: dict[str, Placed] = {}
    for e in charter.entries if charter is not None else []:
        placed.setdefault(e.id, Placed(e.quartier.id, table_label(e.tableau.titre, e.tableau.secteur),
                                       e.action))
    return placed


def _changed_keys(before: Any, after: Any, skip: Sequence[str]) -> list[str]:
    """Top-level keys whose values differ between two models (either may be None)."""
    old = before.model_dump() if before is not None else {}
    new = after.model_dump() if after is not None else {}
    keys = dict.fromkeys([*old, *new])
    return [k for k in keys if k not in skip and old.get(k) != new.get(k)]


def _table_keys(quartier: Any) -> list[str]:
    """Table labels of a quartier (None gives none)."""
    return [table_label(t.titre, t.secteur) for t in quartier.tableaux] if quartier is not None else []


def diff_charters(before: Charter | None, after: Charter | None, base: Side, cible: Side) -> CharterDiff:
    """Compare two loaded charters (None: no charter at that revision)."""
    result = CharterDiff(base, cible)
    old_q = {q.id: q for q in before.quartiers} if before else {}
    new_q = {q.id: q for q in after.quartiers} if after else {}
    by_quartier: dict[str, QuartierDiff] = {}
    for qid in dict.fromkeys([*new_q, *old_q]):
        old, new = old_q.get(qid), new_q.get(qid)
        nature = "ajoute" if old is None else "supprime" if new is None else "modifie"
        current = new if new is not None else old
        assert current is not None
        qdiff = QuartierDiff(qid, current.nom, nature)
        qdiff.tableaux_ajoutes = added_entries(_table_keys(old), _table_keys(new))
        qdiff.tableaux_supprimes = added_entries(_table_keys(new), _table_keys(old))
        if old is not None and new is not None:
            qdiff.rubriques = _changed_keys(old, new, ("tableaux",))
        by_quartier[qid] = qdiff
    _diff_actions(_placed(before), _placed(after), by_quartier)
    result.quartiers = [q for q in by_quartier.values()
                        if q.nature != "modifie" or q.actions or q.rubriques
                        or q.tableaux_ajoutes or q.tableaux_supprimes]
    _diff_registry(before, after, result)
    if before is not None and after is not None:
        result.charte = _changed_keys(before.charte, after.charte, ("quartiers",))
    for charter, side in ((before, base), (after, cible)):
        if charter is None:
            result.notes.append(f"pas de charte ({DATA_DIR}/) à la révision {side.label}")
    return result


def _diff_actions(old: dict[str, Placed], new: dict[str, Placed],
                  by_quartier: dict[str, QuartierDiff]) -> None:
    """Add each added, removed or changed action to its quartier's diff."""
    for aid, placed in new.items():
        if aid not in old:
            by_quartier[placed.quartier].actions.append(ActionDiff("ajoutee", placed))
            continue
        champs = field_changes(old[aid], placed)
        added = added_entries(old[aid].action.suivi, placed.action.suivi)
        removed = added_entries(placed.action.suivi, old[aid].action.suivi)
        if champs or added or removed:
            by_quartier[placed.quartier].actions.append(ActionDiff("modifiee", placed, champs,
                                                                   added, removed))
    for aid, placed in old.items():
        if aid not in new:
            by_quartier[placed.quartier].actions.append(ActionDiff("supprimee", placed))
    for qdiff in by_quartier.values():
        qdiff.actions.sort(key=lambda a: ("ajoutee", "modifiee", "supprimee").index(a.nature))


def _diff_registry(before: Charter | None, after: Charter | None, result: CharterDiff) -> None:
    """Parties added, removed or changed in ``acteurs.yaml``."""
    old = {a.id: a for a in (before.registre.acteurs if before and before.registre else [])}
    new = {a.id: a for a in (after.registre.acteurs if after and after.registre else [])}
    result.acteurs_ajoutes = [a for i, a in new.items() if i not in old]
    result.acteurs_supprimes = [a for i, a in old.items() if i not in new]
    result.acteurs_modifies = [a for i, a in new.items() if i in old and old[i] != a]


def diff_revisions(root: Path, rev_a: str | None = None, rev_b: str | None = None) -> CharterDiff:
    """The semantic diff of the charter at ``root`` between two revisions.

    ``rev_a`` defaults to the merge-base of HEAD with the main branch; ``rev_b`` to the working
    tree. Raises :class:`GuspError`: exit 2 for git problems, exit 1 when a side is invalid.
    """
    repo = GitRepo.open(root)
    base = default_base(repo) if rev_a is None else _side(repo, rev_a)
    cible = Side(WORKTREE) if rev_b is None else _side(repo, rev_b)
    before = require_valid(load_side(repo, base), repo, base)
    after = require_valid(load_side(repo, cible), repo, cible)
    return diff_charters(before, after, base, cible)


def _side(repo: GitRepo, rev: str) -> Side:
    """The side a revision typed by the user designates."""
    sha = repo.resolve(rev)
    return Side(rev, sha, repo.short(sha))


# ----------------------------------------------------------------------------- action history


@dataclass(frozen=True)
class Commit:
    """A commit as ``gusp log`` shows it."""

    sha: str
    short: str
    date: str
    """Author date, ISO 8601 with its offset."""
    author: str
    email: str
    subject: str


@dataclass
class Change:
    """What one commit did to one action."""

    commit: Commit
    nature: str
    """``creation``, ``modification``, ``suppression`` or ``illisible`` (file unreadable there)."""
    placed: Placed | None
    """The action after the commit (before it, for a removal; None when unreadable)."""
    champs: list[FieldChange] = field(default_factory=list)
    suivis_ajoutes: list[Suivi] = field(default_factory=list)

    def summary(self) -> str:
        """What changed, in one French phrase."""
        if self.nature == "creation" and self.placed is not None:
            return f"création dans « {self.placed.tableau} » ({self.placed.quartier})"
        if self.nature == "suppression":
            return "suppression"
        if self.nature == "illisible":
            return "fichier invalide avant ou après ce commit : changement non détaillé"
        from gusp_cli.text import plural

        parts = [c.describe() for c in self.champs]
        others = [s for s in self.suivis_ajoutes if not any(explains(s, c) for c in self.champs)]
        if others:
            parts.append(plural(len(others), "entrée de suivi ajoutée", "entrées de suivi ajoutées"))
        return " ; ".join(parts) or "suivi modifié"

    def __str__(self) -> str:
        """``2025-03-10 1a2b3c4 Alice — Move deadline : échéance 2024 → 2026 (motif : ...)``."""
        return (f"{self.commit.date[:10]} {self.commit.short} {self.commit.author} — "
                f"{self.commit.subject} : {self.summary()}")


_UNREADABLE = "illisible"
_CHUNK = 200
"""Commits whose file versions ``gusp log`` reads at once."""
_TOP_ID = re.compile(r"^id:[ \t]*[\"']?([a-z][a-z0-9_]*)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _find_action(content: bytes, action_id: str, quartier: str) -> Placed | str | None:
    """The action with this id in a quartier file's content; ``illisible`` when it cannot tell.

    Fast path: cut the action's block and its table's own keys out of the text (block style, as
    the house style writes) and parse only those few lines. Anything unusual falls back to
    parsing the whole file.
    """
    from gusp_cli.yamlio import decode

    if action_id.encode() not in content:
        return None
    text, _ = decode(content, Path(quartier))
    if text is None:
        return _UNREADABLE
    found = _TOP_ID.search(text)
    name = found.group(1) if found else quartier
    sliced = _slice(text.split("\n"), action_id)
    if sliced is not None:
        placed = _from_slices(name, *sliced)
        if placed is not None:
            return placed
    return _find_in_document(text, action_id, quartier)


def _find_in_document(text: str, action_id: str, quartier: str) -> Placed | str | None:
    """Parse the whole quartier file and look for the action (the slow, general path)."""
    from gusp_cli.yamlio import parse_text

    data = parse_text(text, Path(quartier)).data
    if not isinstance(data, dict):
        return _UNREADABLE
    name = data.get("id") if isinstance(data.get("id"), str) else quartier
    tableaux = data.get("tableaux")
    for tableau in tableaux if isinstance(tableaux, list) else []:
        actions = tableau.get("actions") if isinstance(tableau, dict) else None
        for raw in actions if isinstance(actions, list) else []:
            if isinstance(raw, dict) and raw.get("id") == action_id:
                return _placed_from(str(name), tableau, raw) or _UNREADABLE
    return None


def _placed_from(quartier: str, tableau: dict[str, Any], raw: Any) -> Placed | None:
    """Validate an action's plain data; None when it is invalid."""
    from gusp_cli.validation import validate

    action, _problems = validate(Action, raw, Path(quartier))
    if action is None:
        return None
    secteur = tableau.get("secteur")
    return Placed(quartier, table_label(str(tableau.get("titre")), secteur if isinstance(secteur, str)
                                        else None), action)


def _indent(line: str) -> int | None:
    """Indentation of a line with content (None for blank and comment-only lines)."""
    stripped = line.lstrip(" ")
    return None if not stripped or stripped.startswith("#") else len(line) - len(stripped)


def _item_end(lines: list[str], start: int, indent: int) -> int:
    """Index of the first line after ``start`` whose content is at most ``indent`` deep."""
    end = start + 1
    while end < len(lines) and ((i := _indent(lines[end])) is None or i > indent):
        end += 1
    return end


def _dash_above(lines: list[str], index: int, column: int) -> int | None:
    """The line at or above ``index`` holding the ``- `` of the sequence item at ``column``."""
    for j in range(index, -1, -1):
        depth = _indent(lines[j])
        if depth is None or depth > column:
            continue
        return j if depth == column and lines[j][column:column + 2] == "- " else None
    return None


def _slice(lines: list[str], action_id: str) -> tuple[str, str] | None:
    """The action's block and its table without ``actions``, as YAML texts (None: not simple)."""
    pattern = re.compile(rf"^( *)(- +)?id: *[\"']?{re.escape(action_id)}[\"']? *(#.*)?$")
    hits = [(i, m) for i, line in enumerate(lines) if (m := pattern.match(line))]
    if len(hits) != 1:
        return None
    index, match = hits[0]
    column = len(match.group(1)) if match.group(2) else len(match.group(1)) - 2
    start = _dash_above(lines, index, column)
    if start is None or column < 2:
        return None
    block = lines[start:_item_end(lines, start, column)]
    above = next((j for j in range(start - 1, -1, -1) if (_indent(lines[j]) or 0) < column
                  and _indent(lines[j]) is not None), None)
    if above is None or lines[above].strip() != "actions:" or _indent(lines[above]) != column - 2:
        return None
    table_start = _dash_above(lines, above, column - 4)
    if table_start is None:
        return None
    actions_end = _item_end(lines, above, column - 2)
    table = lines[table_start:above] + lines[actions_end:_item_end(lines, table_start, column - 4)]
    block_text, table_text = _dedent(block, column), _dedent(table, column - 4)
    return (block_text, table_text) if block_text and table_text else None


def _dedent(lines: list[str], column: int) -> str | None:
    """A sequence item's lines as a stand-alone mapping: the dash blanked, ``column + 2`` removed.

    None when a line is less indented than the item's keys (a layout the slicing does not trust).
    """
    first = lines[0][:column] + "  " + lines[0][column + 2:]
    out = []
    for line in [first, *lines[1:]]:
        depth = _indent(line)
        if depth is not None and depth < column + 2:
            return None
        out.append(line[column + 2:] if depth is not None else line.strip())
    return "\n".join(out) + "\n"


@lru_cache(maxsize=4096)
def _parse_fragment(text: str) -> Any:
    """Plain data of a small YAML fragment (None when it has any problem)."""
    from gusp_cli.yamlio import parse_text

    parsed = parse_text(text, Path("fragment.yaml"))
    return parsed.data if parsed.ok and isinstance(parsed.data, dict) else None


def _from_slices(quartier: str, block: str, table: str) -> Placed | None:
    """The action from its sliced texts (None when they do not parse cleanly)."""
    raw, tableau = _parse_fragment(block), _parse_fragment(table)
    if raw is None or tableau is None:
        return None
    return _placed_from(quartier, tableau, raw)


@dataclass
class _Touch:
    """A quartier file a commit changed: blob before and after (None when absent)."""

    stem: str
    old: str | None
    new: str | None


def _log_commits(repo: GitRepo) -> list[tuple[Commit, list[_Touch]]]:
    """Commits (newest first, merges left out) that changed quartier files, with the files."""
    fmt = "%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s"
    out = repo.git("log", "--no-merges", "--no-renames", "--raw", "-z", "--no-abbrev",
                   f"--format={fmt}", "--", f"{DATA_DIR}/{QUARTIERS_DIR}")
    width = len(repo.short("HEAD")) if out else 7  # --no-abbrev (full blob names) also widens %h
    result = []
    for chunk in out.split(b"\x1e")[1:]:
        header, _, raw = chunk.partition(b"\0")
        sha, date, author, email, subject = header.decode("utf-8", "replace").split("\x1f")[:5]
        commit = Commit(sha, sha[:width], date, author, email, subject)
        tokens = raw.lstrip(b"\n").split(b"\0")
        touches = []
        for meta, path in zip(tokens[::2], tokens[1::2], strict=False):
            parts = meta.decode().lstrip(":").split()
            name = path.decode("utf-8", "surrogateescape")
            if len(parts) >= 4 and name.endswith(".yaml"):
                old, new = (None if s in _NULL_SHA else s for s in parts[2:4])
                touches.append(_Touch(Path(name).stem, old, new))
        result.append((commit, touches))
    return result


def action_history(root: Path, action_id: str) -> list[Change]:
    """The commits that changed the action ``action_id``, newest first.

    Walks ``git log`` of ``charter-data/quartiers`` (merge commits left out) and compares the
    action in each commit with the same commit's parent, following it across files by id. Each
    file version is parsed once. Raises :class:`GuspError` (exit 2) when git is missing or
    ``root`` is not in a git work tree.
    """
    repo = GitRepo.open(root)
    commits = _log_commits(repo)
    found: dict[str, Placed | str | None] = {}
    for start in range(0, len(commits), _CHUNK):  # bounded memory on long histories
        stems = {sha: t.stem for _, touches in commits[start:start + _CHUNK] for t in touches
                 for sha in (t.old, t.new) if sha and sha not in found}
        contents = repo.blobs(sorted(stems), keep=False)
        for sha, stem in stems.items():
            found[sha] = _find_action(contents[sha], action_id, stem) if sha in contents else None
    changes = []
    for commit, touches in commits:
        before = next((s for t in touches if t.old and (s := found[t.old]) is not None), None)
        after = next((s for t in touches if t.new and (s := found[t.new]) is not None), None)
        change = _change(commit, before, after)
        if change is not None:
            changes.append(change)
    return changes


def _change(commit: Commit, before: Placed | str | None, after: Placed | str | None) -> Change | None:
    """What a commit did to the action, from its states before and after (None: nothing)."""
    if before is None and after is None:
        return None
    if isinstance(before, str) or isinstance(after, str):
        if before == after:
            return None
        placed = after if isinstance(after, Placed) else None
        return Change(commit, _UNREADABLE, placed)
    if before is None:
        assert after is not None
        return Change(commit, "creation", after)
    if after is None:
        return Change(commit, "suppression", before)
    champs = field_changes(before, after)
    added = added_entries(before.action.suivi, after.action.suivi)
    if not champs and not added and before.action == after.action:
        return None
    return Change(commit, "modification", after, champs, added)


def in_git(root: Path) -> bool:
    """True when ``root`` lies in a git work tree and git is installed."""
    try:
        GitRepo.open(root)
    except GuspError:
        return False
    return True
