"""Rules on the veille: the signalements of ``signalements.yaml`` and the ascent ``charte.yaml``
declares (``veille``).

A signalement names a known quartier, sector, party and actions; its id is unique; its dates are
not in the future nor before it was seen; its state is the one its follow-up gives; its free text
holds no personal data. The action created from a signalement and the signalement name each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem, YamlPath, error, warning
from gusp_cli.model.layout import CHARTER_FILE, SIGNALS_FILE, data_dir
from gusp_cli.model.vocabulary import EtatSignalement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.models import Quartier


def _file(charter: Charter) -> Path:
    return data_dir(charter.root) / SIGNALS_FILE


def ascent(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The bodies of ``veille.instances`` are bodies of the charter, each named once."""
    veille = charter.charte.veille if charter.charte else None
    if veille is None or charter.charte is None:
        return
    bodies = [i.id for i in charter.charte.instances]
    file = data_dir(charter.root) / CHARTER_FILE
    seen: set[str] = set()
    for i, body in enumerate(veille.instances):
        where = ("veille", "instances", i)
        if body not in bodies:
            yield error("instance_inconnue", f"veille : instance « {body} » "
                        f"inconnue{suggestion(body, bodies)} "
                        f"(instances de charte.yaml : {', '.join(bodies) or 'aucune'})", file, where)
        elif body in seen:
            yield error("id_duplique", f"veille : instance « {body} » nommée deux fois", file, where)
        seen.add(body)


def signal_references(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A signalement names a listed quartier, one of its sectors, a party of the registry (a role
    filled in the quartier) and actions of the charter."""
    listed = set(charter.charte.quartiers) if charter.charte else set()
    unloaded = any(q not in charter.files for q in listed)  # its own error already: no knock-on
    file = _file(charter)
    for i, signal in enumerate(charter.signals):
        where: YamlPath = ("signalements", i)
        quartier = charter.quartier(signal.quartier) if signal.quartier in listed else None
        if signal.quartier not in listed:
            yield error("quartier_inconnu", f"{signal.id} : quartier « {signal.quartier} » inconnu"
                        f"{suggestion(signal.quartier, sorted(listed))}", file, (*where, "quartier"))
        if quartier is not None:
            yield from _place(charter, signal, quartier, file, where)
        if not unloaded:
            yield from _actions(charter, signal, file, where)


def _place(charter: Charter, signal: Any, quartier: Any, file: Path, where: YamlPath) -> Iterator[Problem]:
    """The sector is one of the quartier's; the party an actor or a role filled there."""
    sectors = [s.id for s in quartier.secteurs]
    if signal.secteur is not None and signal.secteur not in sectors:
        yield error("secteur_inconnu", f"{signal.id} : secteur « {signal.secteur} » inconnu dans "
                    f"« {quartier.id} »{suggestion(signal.secteur, sectors)}", file, (*where, "secteur"))
    party = signal.responsable
    if party is None:
        return
    if party in charter.roles:
        if party not in quartier.roles:
            yield error("role_non_resolu", f"{signal.id} : rôle « {party} » non défini pour le quartier "
                        f"« {quartier.id} » (ajoutez-le sous « roles »)", file, (*where, "responsable"))
    elif party not in charter.actors:
        known = [*charter.actors, *charter.roles]
        yield error("acteur_inconnu", f"{signal.id} : partie « {party} » inconnue{suggestion(party, known)}",
                    file, (*where, "responsable"))


def _actions(charter: Charter, signal: Any, file: Path, where: YamlPath) -> Iterator[Problem]:
    """Its actions exist; the action created from it names it back."""
    left_out = charter.dropped_ids
    named = [(a, (*where, "actions", j)) for j, a in enumerate(signal.actions)]
    named += [(signal.action, (*where, "action"))] if signal.action is not None else []
    named += [(e.action, (*where, "suivi", j, "action")) for j, e in enumerate(signal.suivi)
              if e.action is not None]
    for action_id, path in named:
        if action_id not in charter.by_id and action_id not in left_out:
            yield error("action_inconnue", f"{signal.id} : action « {action_id} » inconnue"
                        f"{suggestion(action_id, charter.by_id)}", file, path)
    created = charter.by_id.get(signal.action) if signal.action is not None else None
    if created is not None and signal.id not in created.action.signalements:
        yield warning("lien_signalement", f"{signal.id} : l'action {created.id} créée à partir de lui ne le "
                      f"nomme pas (ajoutez « signalements: [{signal.id}] » à l'action)", file,
                      (*where, "action"))


def action_origins(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """An action's ``signalements`` are signalements of the file, which name it as their action."""
    entries = charter.entries_of(quartier.id)
    if not any(e.action.signalements for e in entries):
        return
    by_id = {s.id: s for s in charter.signals}
    for entry in entries:
        for j, signal_id in enumerate(entry.action.signalements):
            path = (*entry.yaml_path, "signalements", j)
            signal = by_id.get(signal_id)
            if signal is None:
                where = "signalements.yaml absent" if charter.signalements is None else "signalements.yaml"
                yield error("signalement_inconnu", f"{entry.id} : signalement « {signal_id} » inconnu"
                            f"{suggestion(signal_id, by_id)} ({where})", entry.file, path)
            elif signal.action != entry.id:
                yield warning("lien_signalement", f"{entry.id} : le signalement {signal_id} ne la nomme pas "
                              f"comme l'action créée à partir de lui (action: {entry.id})", entry.file, path)


def signal_ids(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A signalement id is unique in the file."""
    first: dict[str, int] = {}
    for i, signal in enumerate(charter.signals):
        if signal.id in first:
            yield error("id_duplique", f"identifiant « {signal.id} » déjà utilisé (signalement n° "
                        f"{first[signal.id] + 1} du fichier)", _file(charter), ("signalements", i, "id"))
        first.setdefault(signal.id, i)


def signal_follow_up(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """Dates are not in the future nor before the signalement was seen, entries in date order; the
    state is the one the follow-up gives; ``vers`` goes with ``transmis``, and ``transmis`` with it."""
    from gusp_cli.model.signals import state_of

    file = _file(charter)
    for i, signal in enumerate(charter.signals):
        where: YamlPath = ("signalements", i)
        if today and signal.date > today:
            yield error("date_future", f"{signal.id} : vu le {signal.date}, dans le futur (aujourd'hui : "
                        f"{today})", file, (*where, "date"))
        for j, (before, after) in enumerate(pairwise(signal.suivi), start=1):
            if after.date < before.date:
                yield error("suivi_desordonne", f"suivi de {signal.id} : {after.date} est antérieur à "
                            "l'entrée "
                            f"précédente ({before.date})", file, (*where, "suivi", j, "date"))
        for j, item in enumerate(signal.suivi):
            yield from _entry(signal, item, today, file, (*where, "suivi", j))
        expected = state_of(signal.suivi)
        if signal.etat is not expected:
            basis = "la dernière entrée datée du suivi qui en pose un" if signal.suivi and any(
                e.etat for e in signal.suivi) else "aucune entrée du suivi n'en pose"
            yield error("etat_incoherent", f"{signal.id} : état « {signal.etat.value} » alors que le suivi "
                        f"donne « {expected.value} » ({basis}) ; consignez le changement d'état dans "
                        "le suivi "
                        f"(gusp signals update {signal.id} --etat …)", file, (*where, "etat"))


def _entry(signal: Any, item: Any, today: dt.date | None, file: Path, at: YamlPath) -> Iterator[Problem]:
    """One follow-up entry: dated between the signalement and today; ``vers`` with ``transmis``."""
    if today and item.date > today:
        yield error("date_future", f"suivi de {signal.id} daté du {item.date}, dans le futur (aujourd'hui : "
                    f"{today})", file, (*at, "date"))
    if item.date < signal.date:
        yield error("signalement_incoherent", f"suivi de {signal.id} daté du {item.date}, avant le constat "
                    f"({signal.date})", file, (*at, "date"))
    if item.etat is EtatSignalement.transmis and not item.vers:
        yield error("signalement_incoherent", f"suivi de {signal.id} du {item.date} : « transmis » sans "
                    "le dispositif qui le reçoit (vers: CLSPD, un service…)", file, (*at, "etat"))
    if item.vers and item.etat is not EtatSignalement.transmis:
        yield error("signalement_incoherent", f"suivi de {signal.id} du {item.date} : « vers » ne va "
                    "qu'avec l'état transmis", file, (*at, "vers"))


def signal_dates(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A signalement and its follow-up are not dated years before the charter's period."""
    from gusp_cli.model.period import earliest_plausible, implausible

    earliest = earliest_plausible(charter.charte)
    if earliest is None:
        return
    file = _file(charter)
    for i, signal in enumerate(charter.signals):
        dates: list[tuple[dt.date, YamlPath]] = [(signal.date, ("signalements", i, "date"))]
        dates += [(e.date, ("signalements", i, "suivi", j, "date")) for j, e in enumerate(signal.suivi)]
        for day, path in dates:
            if day < earliest:
                yield error("date_invraisemblable", implausible(charter.charte, day) or "", file, path)


def signal_privacy(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The free text of a signalement (place, theme, description, notes, where it was relayed) holds
    no e-mail, no phone number, no « M. Dupont »: places and problems, never people."""
    from gusp_cli.model.privacy import SIGNALS_REASON, personal_data_in, refusal

    file = _file(charter)
    for i, signal in enumerate(charter.signals):
        texts: list[tuple[str, str | None, YamlPath]] = [
            (name, getattr(signal, name), ("signalements", i, name))
            for name in ("lieu", "theme", "description")]
        for j, item in enumerate(signal.suivi):
            texts += [(name, getattr(item, name), ("signalements", i, "suivi", j, name))
                      for name in ("note", "vers")]
        for name, text, path in texts:
            kinds = personal_data_in(text) if text else []
            if kinds:
                yield error("donnees_personnelles", f"{signal.id} : {refusal(kinds, name, SIGNALS_REASON)}",
                            file, path)
