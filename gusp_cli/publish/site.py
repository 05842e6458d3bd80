"""The whole published site as files in memory: pages, stylesheet, Atom feed, data package, marker.

:func:`build_site` takes the charter as it stood on the day (``Charter.on``) and a ``render``
function (template name, context -> text: the command passes the one sandboxed Jinja environment
of ``reports.templating``). It returns every file by its path in the folder; the command writes
them all or none. The output depends only on the charter's files, its git history up to the day
and the options: no clock, sorted where order is not the charter's own, so the same day and
revision give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gusp_cli.model.charter import Charter
from gusp_cli.publish import paths
from gusp_cli.publish.bodies import governance
from gusp_cli.publish.feed import Feed, authority, read_feed, to_atom
from gusp_cli.publish.home import home
from gusp_cli.publish.opendata import Paquet, package
from gusp_cli.publish.pages import Licence, SiteInfo, action_page, quartier_page, site_info
from gusp_cli.publish.reading import reading

Render = Callable[[str, Mapping[str, Any]], str]
"""Renders a template by name with a context."""

LICENCES = {
    "etalab-2.0": Licence("etalab-2.0", "Licence Ouverte / Open Licence version 2.0",
                          "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    "ODbL-1.0": Licence("ODbL-1.0", "Open Database License (ODbL) version 1.0",
                        "https://opendatacommons.org/licenses/odbl/1-0/"),
    "CC-BY-4.0": Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
                         "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": Licence("CC0-1.0", "Creative Commons Zero 1.0 Universal",
                       "https://creativecommons.org/publicdomain/zero/1.0/"),
}
"""The licences a charter's data may be published under (the first two are those the French
administration's open data uses, décret n° 2017-638)."""
DEFAULT_LICENCE = "etalab-2.0"


@dataclass
class Site:
    """The files of the site, and what they hold."""

    files: dict[str, bytes] = field(default_factory=dict)
    """Path in the folder (``actions/CEN-042/index.html``) -> content."""
    pages: int = 0
    quartiers: int = 0
    actions: int = 0
    changes: int = 0
    """Entries of the Atom feed."""
    feed_reason: str | None = None
    """Why the feed is empty, when git cannot tell."""


@dataclass(frozen=True)
class DataPage:
    """The open-data page: the package's resources and how to reuse them."""

    paquet: Paquet
    producteur: str


class _Pages:
    """Renders pages into a :class:`Site`, each with the context every template gets."""

    def __init__(self, render: Render, info: SiteInfo, site: Site) -> None:
        self.render, self.info, self.site = render, info, site

    def add(self, path: str, template: str, page: Any) -> None:
        context = {"s": self.info, "racine": paths.root_of(path), "chemin": path, "p": page}
        self.site.files[path] = self.render(template, context).encode("utf-8")
        self.site.pages += 1


def build_site(charter: Charter, day: dt.date, render: Render, *, licence: Licence | None = None,
               base_url: str | None = None, feed: Feed | None = None) -> Site:
    """Every file of the site of ``charter`` seen on ``day`` (module docstring); ``feed`` defaults
    to the charter's git history (:func:`~gusp_cli.publish.feed.read_feed`)."""
    licence = licence or LICENCES[DEFAULT_LICENCE]
    feed = feed if feed is not None else read_feed(charter, day)
    info = site_info(charter, day, licence, flux=feed.raison is None)
    site = Site(quartiers=len(charter.quartiers), actions=len(charter.entries), changes=len(feed.entries),
                feed_reason=feed.raison)
    pages = _Pages(render, info, site)
    pages.add(paths.HOME, "site/accueil.html.j2", home(charter, day, feed))
    for quartier in charter.quartiers:
        pages.add(paths.quartier_path(quartier.id), "site/quartier.html.j2",
                  quartier_page(charter, quartier, day))
    for entry in charter.entries:
        pages.add(paths.action_path(entry.id), "site/action.html.j2", action_page(charter, entry, day))
    pages.add(paths.GOVERNANCE, "site/gouvernance.html.j2", governance(charter, day))
    pages.add(paths.READING, "site/lire.html.j2", reading(charter))
    paquet = package(charter, day, licence, info.porteur, base_url)
    site.files.update({f"{paths.DATA_DIR}/{name}": data for name, data in paquet.files.items()})
    pages.add(paths.DATA_PAGE, "site/donnees.html.j2", DataPage(paquet, info.porteur))
    site.files[paths.STYLE] = render("site/style.css.j2", {}).encode("utf-8")
    site.files[paths.FEED] = to_atom(feed, title=info.titre, author=info.porteur, day=day,
                                     tag=authority(charter), base_url=base_url)
    return site
