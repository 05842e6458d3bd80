"""The edit commands' logic: record a status, amend an action, add an action.

Each ``plan_*`` function takes the loaded charter and the target file as read (:class:`Source`),
changes the action in the file's round-trip tree (:mod:`gusp_cli.store.roundtrip`), checks the charter as
it would be after the change, and returns a :class:`Change`: nothing is written.
:func:`run_edit` reads the file under its lock, plans, and writes atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gusp_cli.french.text import closest, fold, plural
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import GuspError, Problem, UsageError, YamlPath
from gusp_cli.model.models import Action, Quartier, Statut, Suivi, Tableau
from gusp_cli.store.atomic import file_lock, write_atomic
from gusp_cli.store.roundtrip import Rendered, Session
from gusp_cli.store.textfile import Source, encode_like, read_source

ACTION_ORDER = list(Action.model_fields)
SUIVI_ORDER = list(Suivi.model_fields)
_ID = re.compile(r"\b([A-Z]{2,5})-([0-9]{3,})\b")
LABELS = {"echeance": "échéance", "libelle": "libellé", "responsables": "responsables"}
UNSET = {"echeance": "non renseignée", "libelle": "non renseigné", "responsables": "non renseignés"}
"""How each amendable field reads when it has no value (agreed with its gender and number)."""


@dataclass
class Change:
    """A planned, validated edit of one file (not written yet)."""

    source: Source
    text: str
    """The new text, LF line endings."""
    data: bytes
    """The new bytes, with the original BOM and line endings."""
    summary: list[str]
    """What changed, in French, one line each."""
    message: str
    """Suggested commit message."""
    method: str
    """How the text was produced: ``dump`` or ``splice`` (see :mod:`gusp_cli.store.roundtrip`)."""
    warnings: list[Problem] = field(default_factory=list)
    """Warnings the change introduces (the change is allowed)."""

    @property
    def path(self) -> Path:
        """The edited file."""
        return self.source.path

    @property
    def changed(self) -> bool:
        """True when the bytes differ from the file's."""
        return self.data != self.source.raw


Planner = Callable[[Source], Change]
MultiPlanner = Callable[[dict[Path, Source]], list[Change]]
"""Plans the change of several files together, from each as read (absent ones as empty sources)."""


def run_edit(path: Path, plan: Planner, *, write: bool) -> Change:
    """Read ``path``, plan the change and, with ``write``, write it atomically under its lock.

    The lock is taken before reading, so two gusp commands cannot interleave; the file's hash is
    checked again right before the replace, so a save from an editor meanwhile is not lost.
    """
    if not write:
        return plan(read_source(path))
    with file_lock(path):
        change = plan(read_source(path))
        if change.changed:
            write_atomic(path, change.data, expected_digest=change.source.digest)
    return change


def run_edits(root: Path, paths: list[Path], plan: MultiPlanner, *, write: bool, label: str
              ) -> list[Change]:
    """:func:`run_edit` for several files that change together: each is read (a file that does not
    exist yet as an empty source, created by the write), the plan runs, and the files that change
    are written all or none (:func:`gusp_cli.store.transaction.write_all`, which takes every lock
    and refuses a file changed since it was read); ``label`` names the operation in its messages."""
    from gusp_cli.store.textfile import read_or_new

    changes = plan({p: read_or_new(p) for p in sorted(set(paths))})
    if write:
        from gusp_cli.store.transaction import Replacement, write_all

        write_all([Replacement(c.path, c.data, c.source.digest or None) for c in changes if c.changed],
                  journal_dir=root, label=label)
    return changes


# --------------------------------------------------------------------------- finding things


def find_entry(charter: Charter, action_id: str) -> Entry:
    """Return the action ``action_id`` (case-insensitive); UsageError with the closest ids."""
    wanted = action_id.strip().upper()
    entry = charter.by_id.get(wanted)
    if entry is not None:
        return entry
    from gusp_cli.track.matching import not_loaded, unloaded

    invalid = [p for d in charter.dropped if d.action_id == wanted
               for p in charter.errors if p.path == d.file and p.yaml_path[:4] == d.yaml_path]
    if invalid:  # left out of its quartier because it does not validate
        lines = "\n".join(f"  {p.format()}" for p in invalid[:5])
        raise GuspError(f"action « {action_id} » invalide dans la charte ; corrigez-la (gusp validate) puis "
                        f"relancez :\n{lines}", 1)
    broken = unloaded(charter)
    if broken:  # the action may be in a file that does not load: say which, and why
        prefix = wanted.split("-", 1)[0]
        same = [item for item in broken if item[0].upper().startswith(prefix[:3])]
        raise not_loaded(charter, f"action « {action_id} »", same or broken)
    near = closest(wanted, charter.by_id, n=3)
    hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
    note = " (la charte contient des erreurs : lancez gusp validate)" if not charter.ok else ""
    raise UsageError(f"action « {action_id} » introuvable{hint}{note}")


def find_table(quartier: Quartier, query: str) -> int:
    """Return the index of the table ``query`` designates in ``quartier``.

    Matching is loose: every word typed must appear (accent- and case-insensitive) in the table's
    title, sector, theme or phase; an exact title wins; a number is the table's rank (1 = first).
    Ambiguity or no match is a :class:`UsageError` listing the candidates.
    """
    tables = quartier.tableaux
    if not tables:
        raise UsageError(f"--tableau : le quartier « {quartier.id} » n'a aucun tableau d'actions")
    text = query.strip()
    if text.isdigit() and 1 <= int(text) <= len(tables):
        return int(text) - 1
    exact = [i for i, t in enumerate(tables) if fold(t.titre) == fold(text)]
    if len(exact) == 1:
        return exact[0]
    words = re.findall(r"[a-z0-9]+", fold(text))
    hits = [i for i, t in enumerate(tables)
            if words and all(w in _table_haystack(quartier, t) for w in words)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"--tableau : « {query} » désigne {len(hits)} tableaux ; précisez (un mot du "
                         f"secteur ou du thème, ou le numéro) :\n{_list_tables(quartier, hits)}")
    raise UsageError(f"--tableau : aucun tableau de « {quartier.id} » ne correspond à « {query} » ; "
                     f"tableaux :\n{_list_tables(quartier, range(len(tables)))}")


def _table_haystack(quartier: Quartier, table: Tableau) -> str:
    """Everything a table can be designated by, folded."""
    sector = next((s for s in quartier.secteurs if s.id == table.secteur), None)
    parts = [table.titre, table.secteur or "", sector.nom if sector else "", table.theme or "",
             (table.phase or "").replace("_", " ")]
    return fold(" ".join(parts)).replace("_", " ")


def _list_tables(quartier: Quartier, indexes: Iterable[int]) -> str:
    """One line per table: rank, title, sector, theme."""
    lines = []
    for i in indexes:
        table = quartier.tableaux[i]
        extra = [f"secteur {table.secteur}"] if table.secteur else []
        extra += [f"thème « {table.theme} »"] if table.theme else []
        suffix = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"  {i + 1}. « {table.titre} »{suffix}")
    return "\n".join(lines)


def _locate(tree: Any, action_id: str, source: Source) -> YamlPath:
    """Path of the action ``action_id`` in a quartier file's round-trip tree."""
    for t, table in enumerate(tree.get("tableaux") or []):
        for a, action in enumerate(table.get("actions") or []):
            if isinstance(action, dict) and action.get("id") == action_id:
                return ("tableaux", t, "actions", a)
    raise GuspError(f"{source.path} : action {action_id} introuvable (fichier modifié depuis la "
                    "lecture ?) ; rien n'a été écrit", 1)


# --------------------------------------------------------------------------- ids


def next_action_id(charter: Charter, quartier: Quartier, used: Iterable[str] = ()) -> str:
    """Return a new, never used action id for ``quartier``.

    The prefix is the one the quartier's actions use (``LEN``), else three letters of its id; the
    number is one above the highest ever used with that prefix: in the charter and in ``used``
    (ids found in the file's git history, so a removed id is never given again).
    """
    own = charter.ids_of(quartier.id)
    prefixes = Counter(m.group(1) for m in map(_ID.match, own) if m)
    prefix = prefixes.most_common(1)[0][0] if prefixes else _prefix_of(quartier.id)
    every = [*charter.by_id, *charter.dropped_ids, *used]
    numbers = [(m.group(2)) for m in map(_ID.fullmatch, every) if m and m.group(1) == prefix]
    width = max([3, *(len(n) for n in numbers)])
    return f"{prefix}-{max((int(n) for n in numbers), default=0) + 1:0{width}d}"


def _prefix_of(quartier_id: str) -> str:
    """Three upper-case letters from a quartier id (``centre`` -> ``CEN``)."""
    letters = re.sub(r"[^A-Z]", "", fold(quartier_id).upper())
    return (letters + "XXX")[:3]


# --------------------------------------------------------------------------- checking


def introduced_problems(charter: Charter, path: Path, text: str, today: dt.date | None
                        ) -> tuple[list[Problem], list[Problem], bool]:
    """Load the charter with ``path`` holding ``text``; return the (errors, warnings) it adds.

    The third value tells whether the charter after the change could be checked completely (a
    file that cannot be read or validated leaves the cross-record rules unchecked).
    """
    return introduced_problems_in(charter, {path: text}, today)


def introduced_problems_in(charter: Charter, texts: dict[Path, str], today: dt.date | None
                           ) -> tuple[list[Problem], list[Problem], bool]:
    """:func:`introduced_problems` for several files changed together (``texts``: path -> text)."""
    from gusp_cli.store.loader import Overrides, load

    # Only the edited files are held in memory; the others are taken from ``charter`` when unchanged.
    after = load(charter.root, today=today, texts=Overrides(texts), locate_warnings=False, base=charter)

    def key(p: Problem) -> tuple[str, str, str, str]:
        return (p.severity.value, p.rule, str(p.path), p.message)

    before = Counter(key(p) for p in charter.problems)
    added: list[Problem] = []
    for problem in after.problems:
        k = key(problem)
        if before[k] > 0:
            before[k] -= 1
        else:
            added.append(problem)
    return [p for p in added if p.is_error], [p for p in added if not p.is_error], after.complete


def checked(charter: Charter, texts: dict[Path, str], today: dt.date | None) -> list[Problem]:
    """Check the charter as it would be with ``texts``; refuse (exit 1, nothing written) when that
    adds an error or cannot be checked completely; return the warnings it adds."""
    errors, warnings, complete = introduced_problems_in(charter, texts, today)
    if errors:
        shown = "\n".join("  " + p.format() for p in errors[:10])
        more = f"\n  ... et {len(errors) - 10} autre(s)" if len(errors) > 10 else ""
        raise GuspError(f"modification refusée : elle introduirait {plural(len(errors), 'erreur')} dans la "
                        f"charte ; rien n'a été écrit (positions dans le fichier tel qu'il serait) :\n"
                        f"{shown}{more}", 1)
    if not complete:
        blocking = "\n".join("  " + p.format() for p in charter.errors[:5])
        raise GuspError("modification refusée : la charte ne peut pas être entièrement vérifiée (un "
                        "fichier est illisible ou invalide) ; rien n'a été écrit ; corrigez d'abord "
                        f"(gusp validate) :\n{blocking}", 1)
    return warnings


def _finish(charter: Charter, source: Source, rendered: Rendered, summary: list[str], message: str,
            today: dt.date | None) -> Change:
    """Validate the new text and package the change; refuse (exit 1) on introduced errors."""
    warnings = checked(charter, {source.path: rendered.text}, today)
    return Change(source, rendered.text, encode_like(source, rendered.text), summary, message,
                  rendered.method, warnings)


# --------------------------------------------------------------------------- YAML values


def _text(value: str, like: Any = None) -> Any:
    """A string in the quoting style of ``like`` (the value it replaces), double quotes otherwise."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(like, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(like, str) and type(like) is str:
        return value
    return DoubleQuotedScalarString(value)


def _set(node: Any, key: str, value: Any, order: list[str]) -> None:
    """Set ``key``; a new key goes where the model's field order puts it."""
    if key in node:
        node[key] = value
        return
    rank = order.index(key)
    position = 0
    for i, existing in enumerate(node):
        if existing in order and order.index(existing) < rank:
            position = i + 1
    node.insert(position, key, value)


def _append_suivi(action: Any, entry: dict[str, Any]) -> None:
    """Add a follow-up entry (keys in model order) to the action's ``suivi``, in date order: after
    every entry of the same day or earlier (a late report lands where it belongs)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    item = CommentedMap()
    for key in SUIVI_ORDER:
        if entry.get(key) is not None:
            item[key] = entry[key]
    suivi = action.get("suivi")
    if not isinstance(suivi, CommentedSeq) or (not suivi and suivi.fa.flow_style()):
        suivi = CommentedSeq()
        _set(action, "suivi", suivi, ACTION_ORDER)
    suivi.insert(_position(suivi, entry["date"]), item)


def _entry_date(item: Any) -> dt.date | None:
    """The date of a round-trip ``suivi`` item (None when it has none a date can be read from)."""
    value = item.get("date") if hasattr(item, "get") else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _position(suivi: Any, date: dt.date) -> int:
    """Where an entry dated ``date`` goes: after the last entry dated on or before it."""
    position = 0
    for i, item in enumerate(suivi):
        day = _entry_date(item)
        if day is not None and day <= date:
            position = i + 1
    return position


def _later_entries(action: Any, date: dt.date) -> list[Any]:
    """The follow-up entries dated after ``date``."""
    return [item for item in action.get("suivi") or [] if (_entry_date(item) or date) > date]


def _show(value: Any, unset: str = "non renseigné") -> str:
    """A value as the user reads it in a summary (``unset`` when it has none)."""
    if value is None:
        return unset
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return f"« {value} »" if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------- status


def plan_status(charter: Charter, source: Source, action_id: str, statut: Statut, *, date: dt.date,
                note: str | None = None, auteur: str | None = None, echeance: str | None = None,
                motif: str | None = None, today: dt.date | None = None, public: bool = False) -> Change:
    """Record progress: a dated ``suivi`` entry, in date order; ``statut`` follows the latest-dated
    entry that sets one (a late report never overrides newer news), and for ``realisee`` the
    completion date (removed when a completed action is reopened). ``reportee`` carries its new
    échéance: the move is recorded as an amendment (former échéance and ``motif`` kept). With
    ``public`` the note is marked ``public: true`` (the published site shows it)."""
    _check_postponement(statut, echeance, motif, action_id)
    if public and not note:
        raise UsageError("--public rend publique la note de l'entrée : ajoutez --note NOTE (sans note, "
                         "le site publié dit seulement « mise à jour le » et la date)")
    session = Session(source)
    path = _locate(session.data, action_id, source)
    action = session.item(path)
    old = action.get("statut")
    old_status = str(old) if old is not None else None
    later = _later_entries(action, date)
    newer = next((item for item in reversed(later) if item.get("statut") is not None), None)
    current = str(newer["statut"]) if newer is not None else statut.value
    if current == old_status == statut.value and not note and echeance is None:
        raise UsageError(f"{action_id} est déjà « {statut.value} » ; ajoutez --note pour consigner un "
                         "point d'avancement")
    if echeance is not None and any(item.get("champ") == "echeance" for item in later):
        raise UsageError(f"{action_id} : une entrée postérieure au {date.isoformat()} déplace déjà "
                         "l'échéance ; consignez ce report à sa date réelle, après elle")
    summary = _status_summary(action_id, action, old_status, current, statut, date, note, newer)
    entry = {"date": date, "statut": statut.value, "note": _text(note) if note else None,
             "auteur": _text(auteur) if auteur else None, "public": True if public else None}
    if echeance is not None:
        old_echeance = action.get("echeance")
        summary.insert(0, f"{action_id} : échéance {_show(_plain(old_echeance))} → {_show(echeance)} "
                       f"(motif « {motif} »)")
        entry.update({"motif": _text(motif or ""), "champ": "echeance",
                      "ancienne_valeur": _text(str(old_echeance)) if old_echeance is not None else None})

    done_on = _entry_date(newer) if newer is not None else date

    def change(node: Any) -> None:
        _apply_status(node, current, old_status, done_on or date)
        if echeance is not None:
            _set(node, "echeance", _text(echeance, node.get("echeance")), ACTION_ORDER)
        _append_suivi(node, entry)

    rendered = session.edit(path, change)
    message = (f"gusp: {action_id} statut {current}" if current != old_status or newer is None
               else f"gusp: {action_id} suivi du {date.isoformat()}")
    return _finish(charter, source, rendered, summary, message, today)


def _check_postponement(statut: Statut, echeance: str | None, motif: str | None, action_id: str) -> None:
    """``reportee`` needs its new échéance and a motif; a new échéance goes only with ``reportee``."""
    if statut is Statut.reportee and echeance is None:
        raise UsageError(f"« reportee » demande la nouvelle échéance : gusp status {action_id} reportee "
                         "--echeance 2027 --motif \"décision du comité de pilotage\" par exemple (l'ancienne "
                         "échéance reste dans le suivi)")
    if echeance is not None and statut is not Statut.reportee:
        raise UsageError(f"--echeance ne va qu'avec le statut reportee ; pour déplacer l'échéance sans "
                         f"reporter l'action : gusp amend {action_id} --echeance … --motif …")
    if echeance is not None and not (motif or "").strip():
        raise UsageError("--motif : le motif du report est obligatoire (il reste dans le suivi de l'action)")


def _status_summary(action_id: str, action: Any, old_status: str | None, current: str, statut: Statut,
                    date: dt.date, note: str | None, newer: Any) -> list[str]:
    """What a status entry changes, in words (a late report that changes nothing says so)."""
    summary = []
    if old_status != current:
        summary.append(f"{action_id} : statut {_show(old_status)} → {current}")
    if current == Statut.realisee.value and old_status != current:
        done_on = _entry_date(newer) if newer is not None else date
        summary.append(f"{action_id} : date_realisation {(done_on or date).isoformat()}")
    if old_status == Statut.realisee.value and current != old_status and "date_realisation" in action:
        summary.append(f"{action_id} : date_realisation {action['date_realisation']} retirée (action "
                       "rouverte ; la date reste dans le suivi)")
    summary.append(f"{action_id} : suivi + {date.isoformat()} {statut.value}"
                   + (f" — {note}" if note else ""))
    if newer is not None and current != statut.value:
        summary.append(f"{action_id} : entrée antérieure à celle du {_entry_date(newer)} : le statut "
                       f"reste « {current} »")
    return summary


def _apply_status(node: Any, current: str, old_status: str | None, done_on: dt.date) -> None:
    """Set ``statut`` to the current status and keep ``date_realisation`` in step with it."""
    _set(node, "statut", current, ACTION_ORDER)
    if current == Statut.realisee.value and old_status != current:
        _set(node, "date_realisation", done_on, ACTION_ORDER)
    if old_status == Statut.realisee.value and current != old_status and "date_realisation" in node:
        del node["date_realisation"]


# --------------------------------------------------------------------------- amend


def plan_amend(charter: Charter, source: Source, action_id: str, *, motif: str, date: dt.date,
               echeance: str | None = None, libelle: str | None = None,
               responsables: list[str] | None = None, auteur: str | None = None,
               today: dt.date | None = None) -> Change:
    """Change an action's échéance, libellé or responsables; each former value goes into its
    ``suivi`` with the reason (``motif``), so a moved deadline stays visible."""
    if not motif.strip():
        raise UsageError("--motif : le motif ne peut pas être vide (il reste dans le suivi de l'action)")
    session = Session(source)
    path = _locate(session.data, action_id, source)
    action = session.item(path)
    wanted: list[tuple[str, Any]] = [(k, v) for k, v in (("echeance", echeance), ("libelle", libelle),
                                                           ("responsables", responsables)) if v is not None]
    if not wanted:
        raise UsageError("rien à modifier : indiquez --echeance, --libelle ou --responsable")
    changes = [(k, action.get(k), v) for k, v in wanted if _differs(action.get(k), v)]
    if not changes:
        raise UsageError(f"rien à modifier : {action_id} a déjà ces valeurs")
    summary = [f"{action_id} : {LABELS[champ]} {_show(_plain(old), UNSET[champ])} → {_show(new)}"
               for champ, old, new in changes]
    summary.append(f"{action_id} : suivi + {date.isoformat()} motif « {motif} »")

    def change(node: Any) -> None:
        for champ, old, new in changes:
            old_text: str | None
            if champ == "responsables" and isinstance(old, list):
                old_text = ", ".join(str(v) for v in old)
                old[:] = new
            else:
                old_text = None if old is None else str(old)
                value = list(new) if champ == "responsables" else _text(new, old)
                _set(node, champ, _flow(value) if champ == "responsables" else value, ACTION_ORDER)
            _append_suivi(node, {"date": date, "motif": _text(motif), "champ": champ,
                                 "ancienne_valeur": _text(old_text) if old_text is not None else None,
                                 "auteur": _text(auteur) if auteur else None})

    rendered = session.edit(path, change)
    fields = ", ".join(f"{champ} {new}" if champ == "echeance" else champ for champ, _, new in changes)
    short = motif if len(motif) <= 60 else motif[:57] + "..."
    return _finish(charter, source, rendered, summary, f"gusp: {action_id} {fields} ({short})", today)


def _plain(value: Any) -> Any:
    """A round-trip value as plain Python (lists of strings, strings)."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return None if value is None else str(value)


def _differs(old: Any, new: Any) -> bool:
    """True when the new value is not the current one."""
    return bool(_plain(old) != (list(new) if isinstance(new, list) else new))


def _flow(items: list[str]) -> Any:
    """A flow-style sequence (``[ville, agglo]``), as the charter writes responsables."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


# --------------------------------------------------------------------------- add


def plan_add(charter: Charter, source: Source, quartier: Quartier, table_index: int, *, action_id: str,
             libelle: str, responsables: list[str], date: dt.date, echeance: str | None = None,
             motif: str | None = None, auteur: str | None = None, today: dt.date | None = None) -> Change:
    """Append a new action (next ``numero``, id ``action_id``) at the end of a table; its first
    ``suivi`` entry (``champ: action``) dates the addition, so a replay before it leaves it out."""
    rendered, summary, message = render_add(quartier, source, table_index, action_id=action_id,
                                            libelle=libelle, responsables=responsables, date=date,
                                            echeance=echeance, motif=motif, auteur=auteur)
    return _finish(charter, source, rendered, summary, message, today)


def render_add(quartier: Quartier, source: Source, table_index: int, *, action_id: str, libelle: str,
               responsables: list[str], date: dt.date, echeance: str | None = None, motif: str | None = None,
               auteur: str | None = None, signalements: list[str] | None = None
               ) -> tuple[Rendered, list[str], str]:
    """The text of :func:`plan_add`'s file, what it changes in words and the commit message, not
    checked yet; ``signalements``: the ids of the signalements the action comes from."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not libelle.strip():
        raise UsageError("--libelle : le libellé ne peut pas être vide")
    session = Session(source)
    tables = session.tree.get("tableaux") or []
    expected = quartier.tableaux[table_index].titre
    if table_index >= len(tables) or str(tables[table_index].get("titre")) != expected:
        raise GuspError(f"{source.path} : le tableau « {expected} » a changé depuis la lecture ; rien n'a "
                        "été écrit", 1)
    table = tables[table_index]
    actions = table.get("actions")
    item = CommentedMap()
    item["id"] = action_id
    item["numero"] = len(actions or []) + 1
    item["libelle"] = _text(libelle)
    item["responsables"] = _flow(responsables)
    if echeance is not None:
        item["echeance"] = _text(echeance)
    _append_suivi(item, {"date": date, "motif": _text(motif) if motif else None, "champ": "action",
                         "auteur": _text(auteur) if auteur else None})
    if signalements:
        item["signalements"] = _flow(signalements)
    seq_path: YamlPath = ("tableaux", table_index, "actions")
    if isinstance(actions, CommentedSeq) and actions and not actions.fa.flow_style():
        rendered = session.append(seq_path, item)
    else:
        def change(node: Any) -> None:
            seq = CommentedSeq([item])
            _set(node, "actions", seq, list(Tableau.model_fields))

        rendered = session.edit(seq_path[:2], change)
    summary = [f"{action_id} : ajoutée au tableau « {expected} » (quartier {quartier.id}), "
               f"n° {item['numero']}", f"{action_id} : libellé « {libelle} »",
               f"{action_id} : responsables {', '.join(responsables)}",
               f"{action_id} : échéance {_show(echeance) if echeance else 'non renseignée'}",
               f"{action_id} : suivi + {date.isoformat()} ajout" + (f" (motif « {motif} »)" if motif else "")]
    if signalements:
        summary.append(f"{action_id} : issue de {', '.join(signalements)}")
    same = [a.id for a in quartier.tableaux[table_index].actions if fold(a.libelle) == fold(libelle)]
    if same:
        summary.append(f"attention : même libellé que {', '.join(same)} dans ce tableau")
    message = f"gusp: ajout {action_id} ({quartier.id}, {expected})"
    return rendered, summary, message
