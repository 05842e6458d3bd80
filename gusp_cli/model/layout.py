"""Where each part of a charter lives in its repository: folder and file names, no I/O.

A charter repository is a folder holding ``charter-data/``; these names are part of the charter's
vocabulary, like the YAML keys: rules, git revisions and schemas all name files by them.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = "charter-data"
CHARTER_FILE = "charte.yaml"
REGISTRY_FILE = "acteurs.yaml"
QUARTIERS_DIR = "quartiers"
MEETINGS_FILE = "reunions.yaml"
"""Optional: the governance meetings held."""
INSERTION_FILE = "insertion.yaml"
"""Optional: the semester insertion-clause records."""
REVIEWS_DIR = "revues"
"""Optional: the project lead's words for each year's review (``revues/2026.yaml``)."""
TFPB_FILE = "tfpb.yaml"
"""Optional: the landlords' TFPB abatement programmes, per year."""
TERRITORY_FILE = "territoire.yaml"
"""Optional: the charter-wide (transversal) actions."""
SIGNALS_FILE = "signalements.yaml"
"""Optional: the field problems of the veille (signalements)."""
JOURNAL_FILE = ".gusp-ecriture.json"
"""At the repository root while a write of several files runs (``store/transaction``); never committed."""


def data_dir(root: Path) -> Path:
    """Return the ``charter-data`` folder of a repository root."""
    return root / DATA_DIR


def quartier_file(root: Path, quartier_id: str) -> Path:
    """Return the YAML file of a quartier."""
    return root / DATA_DIR / QUARTIERS_DIR / f"{quartier_id}.yaml"
