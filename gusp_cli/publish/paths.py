"""Where each page of the published site lives: stable addresses, relative links.

A quartier is at ``quartiers/<id>/``, an action at ``actions/<ID>/`` (its stable id): a city's
website or a resident may link to them for good. Links between pages are relative and name the
``index.html`` file, so the folder reads the same served by GitLab or GitHub Pages, under a
sub-path, or opened from a disk.
"""

from __future__ import annotations

HOME = "index.html"
GOVERNANCE = "gouvernance/index.html"
READING = "lire-les-chiffres/index.html"
DATA_DIR = "donnees"
DATA_PAGE = f"{DATA_DIR}/index.html"
FEED = "flux.atom"
STYLE = "style.css"
MARKER = ".gusp-site"
"""The list of the files ``gusp publish`` wrote: the folder is a previous site it may replace."""


def quartier_path(quartier_id: str) -> str:
    """``quartiers/centre/index.html``."""
    return f"quartiers/{quartier_id}/index.html"


def action_path(action_id: str) -> str:
    """``actions/CEN-042/index.html``."""
    return f"actions/{action_id}/index.html"


def root_of(path: str) -> str:
    """The relative way back to the site's root from a page: ``""``, ``"../"``, ``"../../"``."""
    return "../" * path.count("/")
