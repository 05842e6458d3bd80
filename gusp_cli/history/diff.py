"""The charter through git: the semantic difference between two revisions (``gusp diff``).

Pure core. git runs as a subprocess (``git -C root ...``, never through a shell); a revision's
files are read from git objects into memory and loaded with :func:`gusp_cli.store.loader.load`, never
written to disk. Everything a command shows is computed here as plain dataclasses; rendering
lives in ``gusp_cli.cli.cmd_history``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.history.git import GitRepo, TruncatedHistory, run_git
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import GuspError, Problem
from gusp_cli.model.layout import DATA_DIR
from gusp_cli.model.models import Acteur, Action, Suivi
from gusp_cli.model.territory import TerritoryView

WORKTREE = "arbre de travail"
"""Label of the working tree side of a diff."""
MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")
"""Branches tried, in order, for the default base of ``gusp diff``."""
T = TypeVar("T")


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
    if repo.shallow:  # the first commit there is only where the clone stops
        raise TruncatedHistory("gusp diff ne trouve pas la base de comparaison (merge-base de HEAD avec "
                               "main ou master) ; indiquez-la (gusp diff REV_A)")
    roots = repo.git("rev-list", "--max-parents=0", head).decode().split()
    return Side(roots[-1], roots[-1], repo.short(roots[-1]), "premier commit, aucune branche main "
                "ni master")


def load_side(repo: GitRepo, side: Side) -> Charter | None:
    """Load the charter of one side (None when the revision holds no ``charter-data/``)."""
    from gusp_cli.store.loader import load

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
    noms: tuple[str, ...] = ()
    """The responsible parties as the partners know them (roles resolved); empty: show the ids."""
    quartier_nom: str = ""
    """The quartier's name; empty: show its id."""
    tableau_nom: str = ""
    """The table with its sector's name; empty: show :attr:`tableau` (sector id)."""

    @property
    def place(self) -> str:
        """The table as shown (sector named)."""
        return self.tableau_nom or self.tableau


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


def field_values(placed: Placed, *, names: bool = False) -> dict[str, str | None]:
    """Every compared field of an action, as text: ids (what is compared), or with ``names`` the
    quartier, table and parties as the partners know them (what is shown)."""
    action = placed.action
    values: dict[str, str | None] = {
        "quartier": (placed.quartier_nom or placed.quartier) if names else placed.quartier,
        "tableau": placed.place if names else placed.tableau,
        "numero": str(action.numero),
        "libelle": action.libelle,
        "responsables": _show(list(placed.noms) if names and placed.noms else action.responsables),
        "echeance": action.echeance,
        "statut": STATUS_LABELS.get(action.statut.value) if action.statut else None,
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
    from gusp_cli.french.text import fold

    if champ == "statut":
        return item.statut is not None and STATUS_LABELS[item.statut.value] == apres
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
    """The fields that differ between two states of an action, with their reasons.

    Ids are compared (a party renamed in the registry changes no action); names are shown.
    """
    old, new = field_values(before), field_values(after)
    shown_old, shown_new = field_values(before, names=True), field_values(after, names=True)
    added = added_entries(before.action.suivi, after.action.suivi)
    changes = []
    for champ in dict.fromkeys([*FIELD_LABELS, *old, *new]):
        if old.get(champ) != new.get(champ):
            motif, note = _reason(champ, new.get(champ), added)
            changes.append(FieldChange(champ, shown_old.get(champ), shown_new.get(champ), motif, note))
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
    auteurs: list[str] = field(default_factory=list)
    """Who made the change: the ``auteur`` of the follow-up entries added, then the authors of the
    commits that changed the action (when the comparison spans commits)."""

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


def _sector_name(quartier: Any, secteur: str | None) -> str | None:
    """The name of a quartier's sector (its id when the quartier does not list it)."""
    if secteur is None:
        return None
    return next((s.nom for s in quartier.secteurs if s.id == secteur), secteur)


def unchanged_quartiers(before: Charter | None, after: Charter | None) -> frozenset[str]:
    """Quartiers held by the same file with the same content on both sides: nothing in them
    changed, so neither they nor their actions are compared (a diff of 3 actions among 50,000
    looks at the files that differ). Content hashes exist when the cache is on; without them
    every quartier is compared."""
    if before is None or after is None:
        return frozenset()
    same = []
    for qid, path in after.files.items():
        old, new = before.sources.get(path), after.sources.get(path)
        if before.files.get(qid) == path and old and new and old[0] and old[0] == new[0]:
            same.append(qid)
    return frozenset(same)


def _placed(charter: Charter | None, skip: frozenset[str] = frozenset()) -> dict[str, Placed]:
    """Actions by id, with their place, parties and sector named as the partners know them
    (those of the quartiers in ``skip`` left out)."""
    placed: dict[str, Placed] = {}
    if charter is None:
        return placed
    for e in (e for q in charter.quartiers if q.id not in skip for e in charter.entries_of(q.id)):
        if e.id in placed:
            continue
        named = table_label(e.tableau.titre, _sector_name(e.quartier, e.tableau.secteur))
        names = tuple(charter.party_name(p, e.quartier) for p in e.action.responsables)
        placed[e.id] = Placed(e.quartier.id, table_label(e.tableau.titre, e.tableau.secteur), e.action,
                              names, e.quartier.nom, named)
    return placed


def _changed_keys(before: Any, after: Any, skip: Sequence[str]) -> list[str]:
    """Top-level keys whose values differ between two models (either may be None; the territory's
    view is compared by its file, ``territoire.yaml``)."""
    old, new = (_file_model(m).model_dump() if m is not None else {} for m in (before, after))
    keys = dict.fromkeys([*old, *new])
    return [k for k in keys if k not in skip and old.get(k) != new.get(k)]


def _file_model(model: Any) -> Any:
    """The model a file holds: the territory's view stands for ``territoire.yaml``."""
    return model.territoire if isinstance(model, TerritoryView) else model


def _table_keys(quartier: Any) -> list[str]:
    """Table labels of a quartier (None gives none)."""
    return [table_label(t.titre, t.secteur) for t in quartier.tableaux] if quartier is not None else []


def _table_names(quartiers: Sequence[Any]) -> dict[str, str]:
    """Table label (sector id) -> the label as shown (sector named), over the given quartiers."""
    return {table_label(t.titre, t.secteur): table_label(t.titre, _sector_name(q, t.secteur))
            for q in quartiers if q is not None for t in q.tableaux}


def diff_charters(before: Charter | None, after: Charter | None, base: Side, cible: Side) -> CharterDiff:
    """Compare two loaded charters (None: no charter at that revision)."""
    result = CharterDiff(base, cible)
    old_q = {q.id: q for q in before.quartiers} if before else {}
    new_q = {q.id: q for q in after.quartiers} if after else {}
    by_quartier: dict[str, QuartierDiff] = {}
    same = unchanged_quartiers(before, after)
    for qid in dict.fromkeys([*new_q, *old_q]):
        if qid in same:
            continue
        old, new = old_q.get(qid), new_q.get(qid)
        nature = "ajoute" if old is None else "supprime" if new is None else "modifie"
        current = new if new is not None else old
        assert current is not None
        qdiff = QuartierDiff(qid, current.nom, nature)
        shown = _table_names([old, new])
        qdiff.tableaux_ajoutes = [shown[k] for k in added_entries(_table_keys(old), _table_keys(new))]
        qdiff.tableaux_supprimes = [shown[k] for k in added_entries(_table_keys(new), _table_keys(old))]
        if old is not None and new is not None:
            qdiff.rubriques = _changed_keys(old, new, ("tableaux",))
        by_quartier[qid] = qdiff
    _diff_actions(_placed(before, same), _placed(after, same), by_quartier)
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
    result = diff_charters(before, after, base, cible)
    attribute(result, commit_authors(repo, base, cible, {a.id for q in result.quartiers for a in q.actions}))
    return result


MAX_ATTRIBUTED_COMMITS = 50
"""Commits whose changes are attributed action by action (beyond: the follow-up's authors only)."""


def commit_authors(repo: GitRepo, base: Side, cible: Side, ids: set[str]) -> dict[str, list[str]]:
    """Action id -> authors of the commits from ``base`` to ``cible`` that changed it, oldest first.

    Each commit (merges left out) is compared with its parent, as ``gusp diff`` compares two
    revisions; a comparison that reaches the working tree attributes the commits up to HEAD.
    Nothing when the range holds more than :data:`MAX_ATTRIBUTED_COMMITS` commits.
    """
    if not ids or base.commit is None:
        return {}
    tip = cible.commit or repo.commit_of("HEAD")
    if tip is None:
        return {}
    listed = repo.git("log", "--no-merges", "--reverse", "--format=%H%x00%P%x00%an",
                      f"{base.commit}..{tip}", "--", DATA_DIR).decode("utf-8", "replace").splitlines()
    if len(listed) > MAX_ATTRIBUTED_COMMITS:
        return {}
    authors: dict[str, list[str]] = {}
    for line in listed:
        sha, parents, author = line.split("\0")
        parent = parents.split()[0] if parents else None
        if parent is None:
            continue
        after, before = Side(sha, sha, sha[:7]), Side(parent, parent, parent[:7])
        older, newer = load_side(repo, before), load_side(repo, after)
        if older is None or newer is None or not (older.ok and newer.ok):
            continue
        step = diff_charters(older, newer, before, after)
        for changed in (a.id for q in step.quartiers for a in q.actions if a.id in ids):
            names = authors.setdefault(changed, [])
            if author not in names:
                names.append(author)
    return authors


def attribute(result: CharterDiff, commits: dict[str, list[str]]) -> None:
    """Give each changed action its authors: follow-up ``auteur`` first, then commit authors."""
    for qdiff in result.quartiers:
        for adiff in qdiff.actions:
            named = [s.auteur for s in adiff.suivis_ajoutes if s.auteur]
            if adiff.nature == "ajoutee":
                named += [s.auteur for s in adiff.placed.action.suivi if s.auteur]
            adiff.auteurs = list(dict.fromkeys([*named, *commits.get(adiff.id, [])]))


def _side(repo: GitRepo, rev: str) -> Side:
    """The side a revision typed by the user designates (in a shallow clone, an unknown revision
    may be one of the missing commits)."""
    if repo.commit_of(rev) is None and repo.commit_of("HEAD") is not None and repo.shallow:
        raise TruncatedHistory(f"la révision « {rev} » n'est pas dans les commits récupérés")
    sha = repo.resolve(rev)
    return Side(rev, sha, repo.short(sha))
