"""Loose matching of what users type (``centre``, ``Quartier de la Gare``, ``ddtm``) to charter ids.

Every match is case- and accent-insensitive. An exact match on an id, name, acronym or alias wins;
otherwise a unique substring match; otherwise a :class:`UsageError` listing the valid choices,
closest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gusp_cli.french.text import closest, fold
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import GuspError, Problem, UsageError
from gusp_cli.model.vocabulary import Statut

PHASE_ALIASES = {
    "actuelle": ("gestion actuelle", "actuel"), "chantier": ("phase chantier", "en chantier"),
    "post_chantier": ("post chantier", "post-chantier", "apres chantier"),
}
"""Other words for the default phases."""


def _pick(option: str, value: str, names: dict[str, set[str]]) -> str:
    """Return the id whose names match ``value``; ``names`` maps each id to its folded names."""
    wanted = fold(value)
    exact = [key for key, aliases in names.items() if wanted in aliases]
    if len(exact) == 1:
        return exact[0]
    partial = [key for key, aliases in names.items() if any(wanted and wanted in a for a in aliases)]
    if len(partial) == 1:
        return partial[0]
    choices = list(names)
    if len(partial) > 1 or len(exact) > 1:
        found = exact or partial
        raise UsageError(f"{option} : « {value} » est ambigu ; précisez parmi : {', '.join(found)}")
    near = closest(value, [a for aliases in names.values() for a in aliases], n=5)
    near_ids = [k for a in near for k, aliases in names.items() if a in aliases]
    ordered = list(dict.fromkeys(near_ids + choices))
    raise UsageError(f"{option} : « {value} » inconnu ; choix possibles : {', '.join(ordered)}")


def _folded(*texts: str | None, extra: Iterable[str] = ()) -> set[str]:
    """Fold every non-empty text."""
    return {fold(t) for t in (*texts, *extra) if t}


def match_quartier(charter: Charter, value: str) -> str:
    """Return the id of the quartier ``value`` designates (id, name, commune or alias).

    A quartier listed in ``charte.yaml`` whose file does not load is named with its file and the
    problems that stop it (exit 1), never called unknown.
    """
    names = {q.id: _folded(q.id, q.nom, q.titre, q.commune, extra=q.alias) for q in charter.quartiers}
    try:
        return _pick("--quartier", value, names)
    except UsageError:
        broken = [item for item in unloaded(charter) if fold(item[0]) == fold(value)]
        if broken:
            raise not_loaded(charter, f"quartier « {value} »", broken) from None
        raise


def unloaded(charter: Charter) -> list[tuple[str, Path, list[Problem]]]:
    """The quartiers ``charte.yaml`` lists whose file did not load: id, file and its errors."""
    from gusp_cli.model.layout import quartier_file

    listed = charter.charte.quartiers if charter.charte is not None else []
    found = []
    for quartier_id in listed:
        if quartier_id in charter.files:
            continue
        path = quartier_file(charter.root, quartier_id)
        problems = [p for p in charter.errors if p.path == path]
        found.append((quartier_id, path, problems))
    return found


def not_loaded(charter: Charter, what: str, broken: list[tuple[str, Path, list[Problem]]]) -> GuspError:
    """« X ne se charge pas » naming each file that does not load and why (exit 1)."""
    from gusp_cli.model.source import display_path

    lines = []
    for _, path, problems in broken:
        lines.append(f"  {display_path(path)} ne se charge pas :")
        lines += [f"    {p.format()}" for p in problems[:5]] or ["    (fichier illisible)"]
    files = "le fichier de ce quartier ne se charge pas" if len(broken) == 1 else (
        f"{len(broken)} fichiers de quartier ne se chargent pas")
    return GuspError(f"{what} introuvable : {files} ; corrigez-le (gusp validate) puis relancez :\n"
                     + "\n".join(lines), 1)


def match_phase(charter: Charter, value: str) -> str:
    """Return the id of the charter's phase ``value`` designates (``post-chantier``, ``Gestion
    actuelle``...)."""
    if not charter.phases:
        raise UsageError("--phase : cette charte ne déclare pas de phases (clé phases de charte.yaml)")
    names = {pid: _folded(pid, pid.replace("_", " "), name, extra=PHASE_ALIASES.get(pid, ()))
             for pid, name in charter.phases}
    return _pick("--phase", value, names)


def match_secteur(charter: Charter, value: str, quartier_ids: Iterable[str]) -> set[tuple[str, str]]:
    """Return the (quartier id, sector id) pairs that ``value`` designates."""
    names: dict[str, set[str]] = {}
    keys: dict[str, tuple[str, str]] = {}
    for quartier in charter.quartiers:
        if quartier.id not in quartier_ids:
            continue
        for sector in quartier.secteurs:
            key = f"{quartier.id}/{sector.id}"
            names[key] = _folded(sector.id, sector.nom, sector.titre)
            keys[key] = (quartier.id, sector.id)
    wanted = fold(value)
    hits = {k for k, aliases in names.items() if wanted in aliases}
    hits = hits or {k for k, aliases in names.items() if any(wanted in a for a in aliases)}
    if hits:
        return {keys[k] for k in hits}
    return {keys[_pick("--secteur", value, names)]}


NO_STATUS = "non_renseigne"
"""What users type for actions whose status is not reported."""


def statut_value(text: str, *, allow_unreported: bool = False) -> str | None:
    """The status value a text designates (``en_cours``, « En cours », « réalisée »), or None."""
    folded = fold(text).replace("-", "_").replace(" ", "_")
    choices = [s.value for s in Statut] + ([NO_STATUS] if allow_unreported else [])
    return folded if folded in choices else None


def match_statut(value: str, option: str, *, allow_unreported: bool = False) -> str:
    """Like :func:`statut_value`, but an unknown status is a French usage error (closest first)."""
    found = statut_value(value, allow_unreported=allow_unreported)
    if found is not None:
        return found
    choices = [s.value for s in Statut] + ([NO_STATUS] if allow_unreported else [])
    ordered = list(dict.fromkeys(closest(value, choices) + choices))
    raise UsageError(f"{option} : valeur « {value} » inconnue ; choix possibles : {', '.join(ordered)}")


def match_party(charter: Charter, value: str, option: str = "--responsable") -> str:
    """Return the actor or role id ``value`` designates (id, name, acronym or alias).

    ``option`` names the option in the error message.
    """
    names = {a.id: _folded(a.id, a.nom, a.sigle, extra=a.alias) for a in charter.actors.values()}
    for role in charter.roles.values():
        names.setdefault(role.id, set()).update(_folded(role.id, role.nom))
    return _pick(option, value, names)


def match_landlord(charter: Charter, value: str, option: str = "--bailleur") -> str:
    """Return the id of the actor of type ``bailleur`` that ``value`` designates (id, name, acronym
    or alias); the error lists the landlords only."""
    names = {a.id: _folded(a.id, a.nom, a.sigle, extra=a.alias) for a in charter.actors.values()
             if a.type == "bailleur"}
    if not names:
        raise UsageError(f"{option} : aucun acteur de type bailleur dans acteurs.yaml")
    return _pick(option, value, names)


def match_theme(charter: Charter, value: str, quartier_ids: Iterable[str]) -> set[str]:
    """Return the folded themes containing ``value`` (error listing the themes when none does)."""
    wanted = fold(value)
    themes = {fold(t.theme) for q in charter.quartiers if q.id in quartier_ids
              for t in q.tableaux if t.theme}
    hits = {t for t in themes if wanted in t}
    if not hits:
        all_themes = sorted({t.theme for q in charter.quartiers for t in q.tableaux if t.theme})
        near = closest(value, all_themes, n=5)
        ordered = list(dict.fromkeys(near + all_themes))
        raise UsageError(f"--theme : aucun thème ne contient « {value} » ; thèmes : {' ; '.join(ordered)}")
    return hits
