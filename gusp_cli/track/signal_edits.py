"""The edit plans of ``gusp signals``: record a signalement, follow it up, close it, turn it into an
action.

Like the plans of :mod:`gusp_cli.track.edits`, each takes the loaded charter and the file as read
(:class:`Source`), changes only the lines of the signalement concerned (round trip), checks the
charter as it would be and returns the :class:`~gusp_cli.track.edits.Change`: nothing is written.
``signalements.yaml`` is created, with its modeline, by the first signalement recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import GuspError, UsageError, YamlPath
from gusp_cli.model.layout import SIGNALS_FILE, data_dir
from gusp_cli.model.models import Signalement, SuiviSignalement
from gusp_cli.model.signals import STATE_LABELS, state_of
from gusp_cli.model.vocabulary import EtatSignalement, SourceSignalement
from gusp_cli.store.roundtrip import Rendered, Session, node_at
from gusp_cli.store.textfile import Source, encode_like
from gusp_cli.track.edits import Change, _entry_date, _flow, _position, _set, _text, checked

SIGNAL_ORDER = list(Signalement.model_fields)
ENTRY_ORDER = list(SuiviSignalement.model_fields)
HEADER = """\
# La veille de terrain : les dysfonctionnements repérés sur les quartiers, un par entrée, enregistrés
# avec gusp signals add (suivi : gusp signals update, close, to-action). Jamais de nom d'habitant,
# de téléphone ni de courriel : des lieux et des problèmes seulement.
"""
"""The comment that opens a ``signalements.yaml`` gusp creates (after the modeline)."""


def signals_file(charter: Charter) -> Path:
    """The repository's ``signalements.yaml`` (it may not exist yet)."""
    return data_dir(charter.root) / SIGNALS_FILE


@dataclass(frozen=True)
class NewSignal:
    """What ``gusp signals add`` records, resolved to ids."""

    id: str
    date: dt.date
    quartier: str
    lieu: str
    theme: str
    description: str
    source: SourceSignalement
    secteur: str | None = None
    responsable: str | None = None
    actions: tuple[str, ...] = ()
    auteur: str | None = None


def plan_signal_add(charter: Charter, source: Source, new: NewSignal, *, today: dt.date | None) -> Change:
    """Append a new signalement (state ``ouvert``) at the end of the file, or create the file."""
    from ruamel.yaml.comments import CommentedMap

    for name in ("lieu", "theme", "description"):
        if not getattr(new, name).strip():
            what = "la description" if name == "description" else "--" + name
            raise UsageError(f"{what} ne peut pas être vide")
    item = CommentedMap()
    item["id"] = new.id
    item["date"] = new.date
    item["quartier"] = new.quartier
    if new.secteur is not None:
        item["secteur"] = new.secteur
    item["lieu"] = _text(new.lieu)
    item["theme"] = _text(new.theme)
    item["description"] = _text(new.description)
    item["source"] = new.source.value
    if new.responsable is not None:
        item["responsable"] = new.responsable
    item["etat"] = EtatSignalement.ouvert.value
    if new.actions:
        item["actions"] = _flow(list(new.actions))
    if new.auteur:
        from ruamel.yaml.comments import CommentedSeq

        item["suivi"] = CommentedSeq([_entry({"date": new.date, "note": _text("signalement enregistré"),
                                              "auteur": _text(new.auteur)})])
    rendered = _append(charter, source, item)
    where = f", secteur {new.secteur}" if new.secteur else ""
    summary = [f"{new.id} : nouveau signalement ({new.quartier}{where}), vu le {new.date.isoformat()}",
               f"{new.id} : lieu « {new.lieu} », thème « {new.theme} », source {new.source.value}",
               f"{new.id} : « {new.description} »",
               f"{new.id} : responsable {new.responsable or 'non désigné'}, état ouvert"]
    if new.actions:
        summary.append(f"{new.id} : rattaché à {', '.join(new.actions)}")
    message = f"gusp: signalement {new.id} ({new.quartier})"
    return _finished(charter, source, rendered, summary, message, today)


def _append(charter: Charter, source: Source, item: Any) -> Rendered:
    """The file's text with ``item`` appended to ``signalements`` (a new file when there is none)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not source.exists or not _has_content(source.text):
        from gusp_cli.model.schema import SCHEMAS_DIR, modeline
        from gusp_cli.store.roundtrip import dump_text, new_yaml

        head = source.text if source.exists and source.text.strip() else (
            modeline(source.path, charter.root / SCHEMAS_DIR) + "\n#\n" + HEADER)
        body = dump_text(new_yaml(), CommentedMap([("signalements", CommentedSeq([item]))]))
        text = head.rstrip("\n") + "\n" + body
        return Rendered(text, 0, 0, "dump")
    session = Session(source)
    if not isinstance(session.tree, dict):
        raise GuspError(f"{source.path} : le document doit être une table (signalements: …) ; rien n'a été "
                        "écrit", 1)
    current = session.tree.get("signalements")
    if isinstance(current, CommentedSeq) and current and not current.fa.flow_style():
        return session.append(("signalements",), item)
    items = CommentedSeq([*(current or []), item]) if isinstance(current, list) else CommentedSeq([item])
    return session.put("signalements", items)


def _has_content(text: str) -> bool:
    """True when a YAML text holds something else than comments and blank lines."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.split("\n"))


# --------------------------------------------------------------------------- follow-up


def plan_signal_update(charter: Charter, source: Source, signal_id: str, *, date: dt.date,
                       etat: EtatSignalement | None = None, vers: str | None = None, note: str | None = None,
                       action: str | None = None, auteur: str | None = None,
                       today: dt.date | None = None) -> Change:
    """Record a dated follow-up entry (a new state, where it was relayed, a note, an action dealing
    with it) in date order; ``etat`` follows the latest-dated entry that sets one (a late report
    never overrides newer news); ``action`` is added to the signalement's ``actions``."""
    _check_entry(signal_id, etat, vers, note, action)
    session = Session(source)
    path = _locate(session.tree, signal_id, source)
    node = node_at(session.tree, path)
    seen = _entry_date(node)
    if seen is not None and date < seen:
        raise UsageError(f"--date : {date.isoformat()} est antérieure au constat de {signal_id} "
                         f"({seen.isoformat()})")
    old = EtatSignalement(str(node.get("etat", "ouvert")))
    entries = _plain_entries(node)
    entry = {"date": date, "etat": etat.value if etat else None, "vers": _text(vers) if vers else None,
             "note": _text(note) if note else None, "action": action,
             "auteur": _text(auteur) if auteur else None}
    after = state_of([*entries, SuiviSignalement(date=date, etat=etat)])
    if etat is not None and etat is old is after and not note and not action:
        raise UsageError(f"{signal_id} est déjà « {etat.value} » ; ajoutez --note pour consigner un point de "
                         "suivi")

    def change(item: Any) -> None:
        _set(item, "etat", after.value, SIGNAL_ORDER)
        if action is not None:
            linked = item.get("actions")
            if linked is None or not len(linked):
                _set(item, "actions", _flow([action]), SIGNAL_ORDER)
            elif action not in linked:
                linked.append(action)
        _add_entry(item, entry)

    rendered = session.edit(path, change)
    summary = _update_summary(signal_id, old, after, etat, date, vers, note, action)
    verb = f"état {after.value}" if after is not old else f"suivi du {date.isoformat()}"
    return _finished(charter, source, rendered, summary, f"gusp: {signal_id} {verb}", today)


def _check_entry(signal_id: str, etat: EtatSignalement | None, vers: str | None, note: str | None,
                 action: str | None) -> None:
    """An entry says something; ``transmis`` names where, and only it does."""
    if etat is None and not (note or "").strip() and action is None:
        raise UsageError(f"rien à consigner pour {signal_id} : indiquez --etat, --note ou --action")
    if etat is EtatSignalement.transmis and not (vers or "").strip():
        raise UsageError("« transmis » demande le dispositif qui le reçoit : --vers CLSPD (ou le service "
                         "concerné)")
    if vers is not None and etat is not EtatSignalement.transmis:
        raise UsageError("--vers ne va qu'avec --etat transmis")


def _update_summary(signal_id: str, old: EtatSignalement, after: EtatSignalement,
                    etat: EtatSignalement | None,
                    date: dt.date, vers: str | None, note: str | None, action: str | None) -> list[str]:
    """What a follow-up entry changes, in words (a late report that changes nothing says so)."""
    summary = []
    if after is not old:
        summary.append(f"{signal_id} : état {old.value} → {after.value}")
    what = [etat.value] if etat else []
    what += [f"vers « {vers} »"] if vers else []
    what += [f"action {action}"] if action else []
    summary.append(f"{signal_id} : suivi + {date.isoformat()}" + (f" {', '.join(what)}" if what else "")
                   + (f" — {note}" if note else ""))
    if etat is not None and after is not etat:
        summary.append(f"{signal_id} : une entrée postérieure au {date.isoformat()} pose déjà un état : il "
                       f"reste « {STATE_LABELS[after]} »")
    return summary


# --------------------------------------------------------------------------- to an action


@dataclass(frozen=True)
class ActionFromSignal:
    """The action ``gusp signals to-action`` creates, resolved."""

    entry_table: int
    action_id: str
    libelle: str
    responsables: list[str]
    echeance: str | None = None
    motif: str | None = None
    auteur: str | None = None


def plan_to_action(charter: Charter, sources: dict[Path, Source], signal: Any, new: ActionFromSignal, *,
                   date: dt.date, today: dt.date | None) -> list[Change]:
    """Create the action in its quartier's table (as ``gusp add`` does, naming the signalement) and
    link the signalement to it (``action``, and a dated entry): both files or neither."""
    from gusp_cli.track.edits import render_add

    if signal.action is not None:
        raise UsageError(f"{signal.id} a déjà donné lieu à l'action {signal.action} "
                         f"(gusp show {signal.action})")
    if date < signal.date:
        raise UsageError(f"--date : {date.isoformat()} est antérieure au constat de {signal.id} "
                         f"({signal.date.isoformat()})")
    quartier = charter.quartier(signal.quartier)
    if quartier is None:
        raise UsageError(f"{signal.id} : quartier « {signal.quartier} » introuvable")
    quartier_source = sources[charter.files[quartier.id]]
    motif = new.motif or f"créée à partir du signalement {signal.id}"
    added, summary, _ = render_add(quartier, quartier_source, new.entry_table, action_id=new.action_id,
                                   libelle=new.libelle, responsables=new.responsables, date=date,
                                   echeance=new.echeance, motif=motif, auteur=new.auteur,
                                   signalements=[signal.id])
    signal_source = sources[signals_file(charter)]
    session = Session(signal_source)
    path = _locate(session.tree, signal.id, signal_source)

    def change(item: Any) -> None:
        _set(item, "action", new.action_id, SIGNAL_ORDER)
        _add_entry(item, {"date": date, "note": _text(f"action {new.action_id} créée"),
                          "action": new.action_id,
                          "auteur": _text(new.auteur) if new.auteur else None})

    linked = session.edit(path, change)
    told = [f"{signal.id} : action {new.action_id}",
            f"{signal.id} : suivi + {date.isoformat()} action {new.action_id} créée"]
    texts = {quartier_source.path: added.text, signal_source.path: linked.text}
    warnings = checked(charter, texts, today)
    message = f"gusp: {new.action_id} créée à partir de {signal.id}"
    return [Change(quartier_source, added.text, encode_like(quartier_source, added.text), summary, message,
                   added.method, warnings),
            Change(signal_source, linked.text, encode_like(signal_source, linked.text), told, message,
                   linked.method, [])]


def action_of(charter: Charter, signal: Any) -> Entry | None:
    """The action created from a signalement, when it is in the charter."""
    return charter.by_id.get(signal.action) if signal.action is not None else None


# --------------------------------------------------------------------------- helpers


def _finished(charter: Charter, source: Source, rendered: Rendered, summary: list[str], message: str,
              today: dt.date | None) -> Change:
    """Check the charter with the new text (refused when it adds an error) and package the change."""
    warnings = checked(charter, {source.path: rendered.text}, today)
    return Change(source, rendered.text, encode_like(source, rendered.text), summary, message,
                  rendered.method,
                  warnings)


def _locate(tree: Any, signal_id: str, source: Source) -> YamlPath:
    """Path of the signalement ``signal_id`` in the file's round-trip tree."""
    items = tree.get("signalements") if isinstance(tree, dict) else None
    for i, item in enumerate(items or []):
        if isinstance(item, dict) and item.get("id") == signal_id:
            return ("signalements", i)
    raise GuspError(f"{source.path} : signalement {signal_id} introuvable (fichier modifié depuis la "
                    "lecture ?) ; "
                    "rien n'a été écrit", 1)


def _entry(values: dict[str, Any]) -> Any:
    """A follow-up entry, keys in model order, empty ones left out."""
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap()
    for key in ENTRY_ORDER:
        if values.get(key) is not None:
            item[key] = values[key]
    return item


def _add_entry(signal: Any, values: dict[str, Any]) -> None:
    """Add a follow-up entry to the signalement's ``suivi``, after every entry of its day or earlier."""
    from ruamel.yaml.comments import CommentedSeq

    suivi = signal.get("suivi")
    if not isinstance(suivi, CommentedSeq) or (not suivi and suivi.fa.flow_style()):
        suivi = CommentedSeq()
        _set(signal, "suivi", suivi, SIGNAL_ORDER)
    suivi.insert(_position(suivi, values["date"]), _entry(values))


def _plain_entries(node: Any) -> list[SuiviSignalement]:
    """The round-trip follow-up entries as models (only their date and state matter here)."""
    out = []
    for item in node.get("suivi") or []:
        day = _entry_date(item)
        state = item.get("etat") if hasattr(item, "get") else None
        if day is not None:
            out.append(SuiviSignalement(date=day, etat=EtatSignalement(str(state)) if state in set(
                EtatSignalement) else None))
    return out
