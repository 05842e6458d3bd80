"""Cross-record rules: each is a small function from a loaded charter to the problems it finds.

:data:`RULES` lists them all, in the order they run; :func:`run_rules` runs them. Rule ids (shown as
``[rule]`` after each message) are stable: tests and CI filters rely on them. A rule never reads
the clock: the reference date comes in as an argument (``None``: the rules on dates are skipped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

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
from gusp_cli.model.rules.dates import implausible_dates
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
    role_targets,
    sectors,
    territory_coverage,
    unidentified_parties,
    unique_ids_in_lists,
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

RULES: tuple[Rule, ...] = (
    unique_ids_in_lists,
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

__all__ = ["RULES", "SIGNALS_KEYS", "Rule", "personal_data", "run_rules"]


def run_rules(charter: Charter, today: dt.date | None) -> list[Problem]:
    """Run every rule on a charter and return their problems."""
    return [problem for rule in RULES for problem in rule(charter, today)]
