"""Cross-record rules: each is a small function from a loaded charter to the problems it finds.

:data:`RULES` lists them all, in the order they run; :func:`run_rules` runs them. Rule ids (shown as
``[rule]`` after each message) are stable: tests and CI filters rely on them. A rule never reads
the clock: the reference date comes in as an argument (``None``: the rules on dates are skipped).

Most rules look at one quartier at a time (:data:`QUARTIER_RULES`, called with the quartier): what
they find in a quartier depends only on its file and on ``charte.yaml``, ``acteurs.yaml`` and
``signalements.yaml``, so a load can run them on the quartiers that changed and keep the rest
(:mod:`gusp_cli.store.checking`). The others look at the charter as a whole (the registry, the
meetings, the signalements, the TFPB lines, every action id): they always run, and are cheap.
:func:`charter_wide` and :func:`in_quartier` run each kind; :func:`assemble` puts their problems
in the order :func:`run_rules` gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem
from gusp_cli.model.rules.actions import (
    completion,
    echeances,
    follow_up,
    indicator_dates,
    numbering,
    objectives,
    phases,
    pilots,
)
from gusp_cli.model.rules.dates import implausible_dates, implausible_meeting_dates
from gusp_cli.model.rules.records import (
    SIGNALS_KEYS,
    insertion_comments,
    insertion_figures,
    insertion_semesters,
    meetings,
    personal_data,
    reviews,
)
from gusp_cli.model.rules.references import (
    charter_references,
    deciding_body,
    duplicate_ids,
    evaluation_grid,
    listed_quartier_ids,
    registry_ids,
    role_targets,
    sector_ids,
    sectors,
    territory_coverage,
    unidentified_parties,
    unknown_parties,
)
from gusp_cli.model.rules.signals import (
    action_origins,
    ascent,
    signal_dates,
    signal_follow_up,
    signal_ids,
    signal_privacy,
    signal_references,
)
from gusp_cli.model.rules.tfpb import tfpb_axes, tfpb_programmes

Rule = Callable[[Charter, "dt.date | None"], Iterator[Problem]]
"""A rule on the charter as a whole."""
QuartierRule = Callable[[Charter, Any, "dt.date | None"], Iterator[Problem]]
"""A rule on one quartier (the charter gives the context: registry, phases, grid, signalements)."""
Found = dict[int, list[Problem]]
"""The problems of some rules, by their index in :data:`RULES` (rules that found none are absent)."""

RULES: tuple[Rule | QuartierRule, ...] = (
    registry_ids,
    sector_ids,
    listed_quartier_ids,
    duplicate_ids,
    charter_references,
    deciding_body,
    role_targets,
    territory_coverage,
    unknown_parties,
    sectors,
    numbering,
    phases,
    objectives,
    pilots,
    echeances,
    completion,
    follow_up,
    indicator_dates,
    evaluation_grid,
    implausible_dates,
    implausible_meeting_dates,
    unidentified_parties,
    meetings,
    insertion_semesters,
    insertion_figures,
    insertion_comments,
    ascent,
    signal_ids,
    signal_references,
    action_origins,
    signal_follow_up,
    signal_dates,
    signal_privacy,
    reviews,
    tfpb_axes,
    tfpb_programmes,
)
"""Every cross-record rule, in the order they run."""

QUARTIER_RULES: frozenset[Callable[..., Iterator[Problem]]] = frozenset({
    sector_ids, role_targets, unknown_parties, sectors, numbering, phases, objectives, pilots, echeances,
    completion, follow_up, indicator_dates, evaluation_grid, implausible_dates, unidentified_parties,
    action_origins,
})
"""The rules that run on one quartier at a time (see the module's docstring)."""

_WIDE = tuple((i, rule) for i, rule in enumerate(RULES) if rule not in QUARTIER_RULES)
_PER_QUARTIER = tuple((i, rule) for i, rule in enumerate(RULES) if rule in QUARTIER_RULES)

__all__ = ["QUARTIER_RULES", "RULES", "SIGNALS_KEYS", "Found", "QuartierRule", "Rule", "assemble",
           "charter_wide", "in_quartier", "personal_data", "run_rules"]


def run_rules(charter: Charter, today: dt.date | None) -> list[Problem]:
    """Run every rule on a charter and return their problems."""
    return assemble(charter_wide(charter, today), [in_quartier(charter, q, today) for q in charter.quartiers])


def charter_wide(charter: Charter, today: dt.date | None) -> Found:
    """The problems of the rules on the charter as a whole."""
    found: Found = {}
    for index, rule in _WIDE:
        problems = list(rule(charter, today))  # type: ignore[call-arg]
        if problems:
            found[index] = problems
    return found


def in_quartier(charter: Charter, quartier: Any, today: dt.date | None) -> Found:
    """The problems of the per-quartier rules in one of the charter's quartiers."""
    found: Found = {}
    for index, rule in _PER_QUARTIER:
        problems = list(rule(charter, quartier, today))  # type: ignore[call-arg]
        if problems:
            found[index] = problems
    return found


def assemble(wide: Found, parts: Iterable[Found]) -> list[Problem]:
    """Every problem in the order of :data:`RULES`, then of the quartiers (as :func:`run_rules` gives
    them): ``wide`` from :func:`charter_wide`, ``parts`` from :func:`in_quartier`, quartier by quartier."""
    parts = [part for part in parts if part]
    problems: list[Problem] = []
    for index, _ in enumerate(RULES):
        problems += wide.get(index, ())
        for part in parts:
            problems += part.get(index, ())
    return problems
