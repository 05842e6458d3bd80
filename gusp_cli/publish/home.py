"""The home page of the published site: the charter, its quartiers' progress, the latest changes.

A deliberation that approved the charter is shown by its body and date only: who took part, was
excused or voted is never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gusp_cli.french.dates import format_date
from gusp_cli.model.charter import Charter
from gusp_cli.publish import paths
from gusp_cli.publish.feed import Feed, FeedEntry
from gusp_cli.publish.pages import paragraphs
from gusp_cli.publish.progress import Barre, barre

LATEST = 10
"""Changes of the feed the home page lists."""


@dataclass(frozen=True)
class QuartierCarte:
    """A quartier on the home page: its name, its page and its progress."""

    nom: str
    commune: str | None
    lien: str
    barre: Barre
    territoire: bool


@dataclass(frozen=True)
class Accueil:
    """The home page."""

    preambule: list[str]
    partenaires: list[str]
    approbations: list[str]
    """« Conseil communautaire — Communauté d'agglomération (12 mars 2019) »."""
    barre: Barre
    quartiers: list[QuartierCarte]
    modifications: list[FeedEntry]
    flux_raison: str | None
    """Why the feed is empty, when it cannot be read."""


def approvals(charter: Charter) -> list[str]:
    """The bodies whose deliberation approved the charter, with the date (never the attendance)."""
    assert charter.charte is not None
    out = []
    for item in charter.charte.deliberations:
        actor = charter.actors.get(item.organisme)
        who = actor.nom if actor else item.organisme
        when = f" ({format_date(item.date)})" if item.date else ""
        out.append(f"{item.instance} — {who}{when}")
    return out


def home(charter: Charter, day: dt.date, feed: Feed) -> Accueil:
    """The home page's content."""
    assert charter.charte is not None
    cards = []
    for quartier in charter.quartiers:
        commune = quartier.commune if quartier.commune and quartier.commune not in quartier.nom else None
        progress = barre(charter.entries_of(quartier.id), day)
        cards.append(QuartierCarte(quartier.nom, commune, paths.quartier_path(quartier.id), progress,
                                   charter.is_territory(quartier)))
    partners = [charter.party_name(p) for p in charter.charte.partenaires]
    return Accueil(paragraphs(charter.charte.preambule), partners, approvals(charter),
                   barre(charter.entries, day), cards, feed.entries[:LATEST], feed.raison)
