"""The history of one action through git commits (``gusp log``, and the commits in ``gusp show``).

The action is followed across files by its id; each commit's version of a file is read from git in
memory (batched), and only the action's block is parsed when it can be cut out of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gusp_cli.history.diff import FieldChange, Placed, added_entries, explains, field_changes, table_label
from gusp_cli.history.git import NULL_SHA, GitRepo, TruncatedHistory
from gusp_cli.model.layout import DATA_DIR, QUARTIERS_DIR
from gusp_cli.model.models import Action, Suivi


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
        from gusp_cli.french.text import plural

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
    from gusp_cli.store.yamlio import decode

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
    from gusp_cli.store.yamlio import parse_text

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
    from gusp_cli.store.validation import validate

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
    from gusp_cli.store.yamlio import parse_text

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
                old, new = (None if s in NULL_SHA else s for s in parts[2:4])
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
    _check_complete(repo, action_id, changes)
    return changes


def _check_complete(repo: GitRepo, action_id: str, changes: list[Change]) -> None:
    """In a shallow clone, an action's history is known only down to a real creation: one at a
    grafted commit only means the clone starts there (:class:`TruncatedHistory` otherwise)."""
    if not repo.shallow:
        return
    oldest = changes[-1] if changes else None
    if oldest is not None and oldest.nature == "creation" and oldest.commit.sha not in repo.grafted():
        return
    raise TruncatedHistory(f"l'historique de {action_id} commence avant le premier commit récupéré")


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
