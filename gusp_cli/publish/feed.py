"""The Atom feed of the charter's changes, read from git: new actions, status changes, moved deadlines.

Each commit that touched ``charter-data/`` (merges left out), dated by its committer up to the day
the site is published for, is compared with its parent by :mod:`gusp_cli.history.diff`; each
action it added, each status it changed and each échéance it moved becomes an entry that links to
the action's page. The commit that first holds the charter is one entry, « publication de la charte ». At most
:data:`MAX_COMMITS` commits, newest first. Nothing of a commit but its date and hash is published
(its author and subject name people); a status change shows the note of its follow-up entry only
when that entry is public (:mod:`gusp_cli.publish.public`).

The same revision and day give the same feed, byte for byte: dates are the commits' own, and the
feed's ``updated`` is the date of the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from gusp_cli.french.dates import format_date
from gusp_cli.model.layout import DATA_DIR
from gusp_cli.publish import paths

if TYPE_CHECKING:
    from gusp_cli.history.diff import ActionDiff
    from gusp_cli.history.git import GitRepo
    from gusp_cli.model.charter import Charter

MAX_COMMITS = 50
"""Commits the feed reads, newest first (a feed reader keeps what it has already seen)."""
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    """One change, as a feed entry."""

    id: str
    """A ``tag:`` URI, the same for the same change on every publication."""
    date: dt.date
    updated: str
    """The commit's date, RFC 3339 with its offset."""
    titre: str
    texte: str
    lien: str
    """The page it is about, relative to the site's root."""


@dataclass
class Feed:
    """The entries, newest first, or why there are none."""

    entries: list[FeedEntry] = field(default_factory=list)
    raison: str | None = None
    """Why the charter's history cannot be read (not in git, no commit, a shallow clone's limit)."""


def authority(charter: Charter) -> str:
    """The ``tag:`` URI authority naming the charter: its owner and first year (``agglo-2019.gusp``)."""
    charte = charter.charte
    assert charte is not None
    return f"{charte.porteur.replace('_', '-')}-{charte.periode.debut}.gusp,{charte.periode.debut}"


def read_feed(charter: Charter, day: dt.date, limit: int = MAX_COMMITS) -> Feed:
    """The feed of the charter's repository up to ``day`` (git, read-only; never fails the site:
    a git problem becomes :attr:`Feed.raison`)."""
    from gusp_cli.history.git import GitRepo, in_git
    from gusp_cli.model.errors import GuspError

    if not in_git(charter.root):
        return Feed(raison="la charte n’est pas dans un dépôt git")
    try:
        repo = GitRepo.open(charter.root)
        if repo.commit_of("HEAD") is None:
            return Feed(raison="le dépôt git de la charte n’a encore aucun commit")
        return Feed(_entries(repo, charter, day, limit))
    except GuspError as exc:
        return Feed(raison=exc.message.splitlines()[0])


def _entries(repo: GitRepo, charter: Charter, day: dt.date, limit: int) -> list[FeedEntry]:
    """The entries of the last ``limit`` commits dated up to ``day``, newest first."""
    from gusp_cli.history.diff import Side, diff_charters, load_side

    out = repo.git("log", "--no-merges", "--format=%H%x00%P%x00%cs%x00%cI", "HEAD", "--", DATA_DIR)
    commits = [line.split("\0") for line in out.decode("utf-8", "replace").splitlines()]
    commits = [c for c in commits if len(c) == 4 and c[2] <= day.isoformat()][:limit]
    grafted = repo.grafted()
    loaded: dict[str, Charter | None] = {}

    def side(sha: str) -> Charter | None:
        if sha not in loaded:
            found = load_side(repo, Side(sha, sha, sha[:7]))
            loaded[sha] = found if found is not None and found.ok else None
        return loaded[sha]

    tag = authority(charter)
    entries: list[FeedEntry] = []
    for sha, parents, date, stamp in commits:
        day_of = dt.date.fromisoformat(date)
        if sha in grafted:  # a shallow clone: what this commit changed is not known
            continue
        after = side(sha)
        if after is None:
            continue
        parent = parents.split()[0] if parents else None
        if parent is None or not repo.data_files(parent):
            count = len(after.entries)
            entries.append(FeedEntry(f"tag:{tag}:{sha}/charte", day_of, stamp, "Publication de la charte",
                                     f"La charte et ses {count} actions, le {format_date(day_of)}.",
                                     paths.HOME))
            continue
        before = side(parent)
        if before is None:
            continue
        diff = diff_charters(before, after, Side(parent), Side(sha, sha))
        for qdiff in diff.quartiers:
            for adiff in qdiff.actions:
                entries += _changes(adiff, qdiff.nom, f"tag:{tag}:{sha}", day_of, stamp)
    return entries


def _changes(adiff: ActionDiff, quartier: str, prefix: str, day: dt.date, stamp: str) -> list[FeedEntry]:
    """The entries of one action's diff: added, status changed, échéance moved."""
    action = adiff.placed.action
    link = paths.action_path(action.id)
    head = f"{action.id} — {action.libelle}"
    if adiff.nature == "ajoutee":
        why = next((s.motif for s in action.suivi if s.champ == "action" and s.motif), None)
        text = f"Nouvelle action du tableau « {adiff.placed.place} » ({quartier})."
        return [FeedEntry(f"{prefix}/{action.id}/ajout", day, stamp, f"Nouvelle action : {head}",
                          text + (f" Motif : {why}" if why else ""), link)]
    found = []
    for change in adiff.champs:
        if change.champ == "statut":
            note = next((s.note for s in reversed(adiff.suivis_ajoutes)
                         if s.statut is not None and s.statut == action.statut and s.note and s.public), None)
            text = f"Statut : {change.avant or 'non renseigné'} → {change.apres or 'non renseigné'}."
            found.append(FeedEntry(f"{prefix}/{action.id}/statut", day, stamp, f"Statut modifié : {head}",
                                   text + (f" {note}" if note else ""), link))
        elif change.champ == "echeance":
            text = f"Échéance : {change.avant or 'non renseignée'} → {change.apres or 'non renseignée'}."
            found.append(FeedEntry(f"{prefix}/{action.id}/echeance", day, stamp,
                                   f"Échéance modifiée : {head}",
                                   text + (f" Motif : {change.motif}" if change.motif else ""), link))
    return found


def to_atom(feed: Feed, *, title: str, author: str, day: dt.date, tag: str, base_url: str | None) -> bytes:
    """The feed as an Atom document (RFC 4287); links are relative to the site's root unless
    ``base_url`` (the site's address) is given."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    base = base_url.rstrip("/") + "/" if base_url else ""
    _text(root, "id", f"tag:{tag}:flux")
    _text(root, "title", f"{title} — modifications")
    _text(root, "subtitle", "Actions ajoutées, statuts et échéances modifiés, d’après l’historique de la "
          "charte.")
    _text(root, "updated", f"{day.isoformat()}T00:00:00Z")
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                            "href": base + paths.HOME})
    if base:
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                                "href": base + paths.FEED})
    ET.SubElement(root, f"{{{ATOM}}}generator").text = "gusp"
    for entry in feed.entries:
        node = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(node, "id", entry.id)
        _text(node, "title", entry.titre)
        _text(node, "updated", entry.updated)
        ET.SubElement(node, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                                "href": base + entry.lien})
        _text(node, "summary", entry.texte)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _text(parent: ET.Element, name: str, value: str) -> None:
    """A child element holding text (escaped by ElementTree)."""
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value
