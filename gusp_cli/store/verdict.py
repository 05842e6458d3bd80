"""The cross-record rules' verdict on a repository, cached by the content of every file.

Running every rule over 50,000 actions takes longer than a whole warm query; their result depends
only on the files' contents and on the reference date. The verdict is stored under the listing of
every file with its content hash (:meth:`gusp_cli.store.cache.ParseCache.derived`), with the problems'
positions already resolved, part by part: the charter-wide rules' problems, then each quartier's,
each with its own bound (:class:`gusp_cli.store.checking.Checks`, which also reuses the parts of
the unchanged quartiers when the files match no verdict).

The reference date: the rules are run once against :class:`Horizon`, a date later than any other
that records every comparison made with it. The verdict then holds for every reference date from
:attr:`Horizon.bound` on (a date that makes each comparison come out the same way); a rule that
uses the date any other way (prints it, subtracts it) makes the verdict uncacheable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gusp_cli.model.errors import Problem, Severity
from gusp_cli.model.source import SourcePos

_DAY = dt.timedelta(days=1)


class Horizon(dt.date):
    """A reference date after every other, which records how the rules compared dates with it.

    ``x > as_of`` is False for every date ``x``; it stays False for a real ``as_of`` from ``x`` on:
    :attr:`bound` becomes at least ``x``. Python calls these reflected methods first because this
    class derives from :class:`datetime.date`.
    """

    bound: dt.date
    """The earliest reference date for which every comparison made so far comes out the same."""
    exact: bool
    """False once the date was used otherwise than compared (printed, subtracted...)."""

    def __new__(cls) -> Horizon:
        """The horizon, 31 December 9999, with no comparison recorded."""
        self = super().__new__(cls, 9999, 12, 31)
        self.bound, self.exact = dt.date.min, True
        return self

    def _at_least(self, other: object, day: dt.date) -> None:
        if not isinstance(other, dt.date):
            self.exact = False
        elif day > self.bound:
            self.bound = day

    def __lt__(self, other: object) -> bool:  # as_of < x (x > as_of): False for as_of >= x
        self._at_least(other, other)  # type: ignore[arg-type]
        return False

    def __le__(self, other: object) -> bool:  # as_of <= x: False for as_of > x
        self._at_least(other, _next(other))
        return False

    def __gt__(self, other: object) -> bool:  # as_of > x: True for as_of > x
        self._at_least(other, _next(other))
        return True

    def __ge__(self, other: object) -> bool:  # as_of >= x: True for as_of >= x
        self._at_least(other, other)  # type: ignore[arg-type]
        return True

    def __eq__(self, other: object) -> bool:  # False for as_of > x
        self._at_least(other, _next(other))
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)


def _next(other: object) -> dt.date:
    """The day after ``other`` (a date), else the minimum."""
    if isinstance(other, dt.date) and other < dt.date.max:
        return other + _DAY
    return dt.date.min


def _opaque(name: str) -> Callable[..., Any]:
    """A method of :class:`datetime.date` that marks the horizon as not cacheable when used."""
    base = getattr(dt.date, name)

    def method(self: Horizon, *args: Any, **kwargs: Any) -> Any:
        self.exact = False
        return base(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in ("__str__", "__repr__", "__format__", "__add__", "__radd__", "__sub__", "__rsub__",
              "__reduce__", "isoformat", "strftime", "ctime", "timetuple", "toordinal", "weekday",
              "isoweekday", "isocalendar", "replace", "__hash__"):
    setattr(Horizon, _name, _opaque(_name))


def _attribute(name: str) -> property:
    """A date attribute (``year``...) that marks the horizon as not cacheable when read."""
    getter = getattr(dt.date, name).__get__

    def read(self: Horizon) -> Any:
        self.exact = False
        return getter(self)

    return property(read)


for _name in ("year", "month", "day"):
    setattr(Horizon, _name, _attribute(_name))


def encode(problems: list[Problem], root: Path) -> list[tuple[Any, ...]]:
    """Problems as plain tuples (paths relative to ``root``), for the cache."""
    relative: dict[Path | None, str | None] = {}  # thousands of problems, a few files
    return [(p.severity.value, p.rule, p.message,
             relative[p.path] if p.path in relative else relative.setdefault(p.path, _relative(p.path, root)),
             p.yaml_path, (p.pos.line, p.pos.col) if p.pos is not None else None, p.key)
            for p in problems]


def decode(stored: list[tuple[Any, ...]], root: Path, paths: dict[str, Path] | None = None) -> list[Problem]:
    """The problems stored by :func:`encode`, for the repository at ``root`` (``paths``: the
    ``Path`` of each relative path decoded so far, shared by several calls)."""
    problems = []
    paths = {} if paths is None else paths  # a few files, thousands of problems: one Path object each
    severities = _SEVERITIES
    for severity, rule, message, relative, yaml_path, pos, key in stored:
        path = None
        if relative is not None:
            path = paths.get(relative) or paths.setdefault(relative, root / relative)
        where = SourcePos(path, *pos) if pos is not None and path is not None else None
        problems.append(Problem(severities[severity], rule, message, path, tuple(yaml_path), where, key))
    return problems


_SEVERITIES = {s.value: s for s in Severity}


def encode_found(found: dict[int, list[Problem]], root: Path) -> list[tuple[int, list[tuple[Any, ...]]]]:
    """Some rules' problems by rule index (:data:`gusp_cli.model.rules.Found`), for the cache."""
    return [(index, encode(problems, root)) for index, problems in sorted(found.items())]


def decode_found(stored: list[tuple[int, list[tuple[Any, ...]]]], root: Path,
                 paths: dict[str, Path] | None = None) -> dict[int, list[Problem]]:
    """The problems stored by :func:`encode_found`."""
    return {int(index): decode(encoded, root, paths) for index, encoded in stored}


def _relative(path: Path | None, root: Path) -> str | None:
    """``path`` relative to ``root`` (problems outside the repository are not cacheable)."""
    if path is None:
        return None
    return str(path.relative_to(root))
