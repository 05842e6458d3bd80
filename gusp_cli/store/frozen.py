"""Validated values without pydantic: stored as tuples in the cache, rebuilt as light records.

A charter file that validated cleanly is cached once per content (:mod:`gusp_cli.store.cache`) in its
*encoded* form: each model instance becomes a tuple of its field values in field order, a date
its ISO text, an enum member its value. :func:`decode` rebuilds read-only records whose attributes
are exactly the model's fields (the YAML keys), with the same dates and enum members: the query
path reads them like the pydantic models, without importing pydantic (≈ 60 ms of every start).

The layout of each model (its fields and how to rebuild each value) is derived from the pydantic
models when encoding and stored with the value, so decoding needs nothing else. Fields named in
``lazy`` (a quartier's ``tableaux``) are stored as nested marshal bytes and rebuilt on first
access: a query on one quartier of a national repository never rebuilds the 499 others' actions.
The layouts travel as one marshal blob (:func:`pack_layouts`), read once per process whatever the
number of entries that carry it (:func:`unpack_layouts`): unmarshalling them with each of 500
quartiers was three quarters of reading their entries.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable
from enum import StrEnum
from operator import attrgetter, itemgetter, methodcaller
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from gusp_cli.model.vocabulary import ENUMS

if TYPE_CHECKING:
    from pydantic import BaseModel

T = TypeVar("T")

Spec = Any
"""How a field's value is rebuilt: None (as stored), ``"date"``, ``("enum", name)``,
``("model", name)``, ``("list", spec)``, ``("dict", spec)`` or ``("lazy", spec)``."""
Layouts = dict[str, tuple[tuple[str, Spec], ...]]
"""Model name -> its fields in order, each with its spec."""


class memoized(Generic[T]):
    """Like :func:`functools.cached_property`, without its lock (Python 3.11 takes one per read)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> memoized[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> T | memoized[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value  # later reads find it first: no more call
        return value


class Record(tuple):  # type: ignore[type-arg]
    """A read-only model value: a tuple whose attributes are the model's fields."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    model_fields: ClassVar[dict[str, None]] = {}
    """The field names, in order (like pydantic's ``model_fields``, without the field infos)."""

    def __eq__(self, other: object) -> bool:
        """Equal to a record or a pydantic model of the same model with the same values."""
        if type(other).__name__ != type(self).__name__:
            return False
        if isinstance(other, Record):
            return tuple.__eq__(self, other)
        dump = getattr(other, "model_dump", None)
        return dump is not None and bool(self.model_dump() == dump())

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # like a pydantic model: mutable lists inside

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as a dict, like pydantic's (``mode="json"``: dates and enums as text)."""
        result = {}
        for name in self._fields:
            value = _dump(getattr(self, name), mode, exclude_none)
            if value is not None or not exclude_none:
                result[name] = value
        return result

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"


def _dump(value: Any, mode: str, exclude_none: bool) -> Any:
    """One value of :meth:`Record.model_dump`."""
    if isinstance(value, Record):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(v, mode, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, mode, exclude_none) for k, v in value.items()}
    if mode == "json" and isinstance(value, dt.date):
        return value.isoformat()
    if mode == "json" and isinstance(value, StrEnum):
        return value.value
    return value


# --------------------------------------------------------------------------- layouts (pydantic side)


def describe(model: type[BaseModel], lazy: frozenset[str] = frozenset()) -> Layouts:
    """The layouts of ``model`` and of every model it contains (needs pydantic: encoding side).

    Derived once per model (a cold load of 500 quartiers asked 500 times): do not modify them.
    """
    layouts = _LAYOUTS.get((model, lazy))
    if layouts is None:
        layouts = {}
        _describe(model, layouts, lazy)
        _LAYOUTS[(model, lazy)] = layouts
    return layouts


_LAYOUTS: dict[tuple[type, frozenset[str]], Layouts] = {}


def _describe(model: type[BaseModel], layouts: Layouts, lazy: frozenset[str]) -> None:
    """Add ``model``'s layout (then its sub-models') to ``layouts``."""
    if model.__name__ in layouts:
        return
    fields = []
    layouts[model.__name__] = ()  # a placeholder against recursion
    for name, info in model.model_fields.items():
        spec = _spec(info.annotation, layouts)
        fields.append((name, ("lazy", spec) if name in lazy else spec))
    layouts[model.__name__] = tuple(fields)


def _spec(annotation: Any, layouts: Layouts) -> Spec:
    """How a value of this type annotation is rebuilt (None: stored as it is)."""
    import types
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _spec(args[0], layouts)
    if origin in (typing.Union, types.UnionType):
        specs = {_spec(a, layouts) for a in args if a is not type(None)}
        if len(specs) != 1:
            raise TypeError(f"union non prise en charge : {annotation!r}")
        return specs.pop()
    if origin in (list, dict):
        inner = _spec(args[-1], layouts)
        return None if inner is None else ("list" if origin is list else "dict", inner)
    if annotation is dt.date:
        return "date"
    name = getattr(annotation, "__name__", "")
    if ENUMS.get(name) is annotation:
        return ("enum", name)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _describe(annotation, layouts, frozenset())
        return ("model", annotation.__name__)
    if annotation in (str, int, float, bool, Any):
        return None
    raise TypeError(f"type non pris en charge : {annotation!r}")


def encode(instance: BaseModel, layouts: Layouts) -> tuple[Any, ...]:
    """``instance`` as nested tuples and plain values (marshal-able), following ``layouts``."""
    found = _ENCODERS.get(id(layouts))
    if found is None or found[0] is not layouts:
        found = (layouts, _encoders(layouts))
        _ENCODERS[id(layouts)] = found
    return found[1][type(instance).__name__](instance)  # type: ignore[no-any-return]


_ENCODERS: dict[int, tuple[Layouts, dict[str, Callable[[Any], Any]]]] = {}
"""The encoders of each model of a layouts dict (kept with it: an id can be reused)."""


def _encoders(layouts: Layouts) -> dict[str, Callable[[Any], Any]]:
    """One encoder per model of ``layouts``: a tuple of its fields read at once (``attrgetter``),
    then only the fields that need it converted (a call per value was a third of a cold load)."""
    encoders: dict[str, Callable[[Any], Any]] = {}
    for name, fields in layouts.items():
        encoders[name] = _model_encoder(fields, layouts, encoders)
    return encoders


def _model_encoder(fields: tuple[tuple[str, Spec], ...], layouts: Layouts,
                   encoders: dict[str, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """The encoder of a model with these fields."""
    names = [name for name, _ in fields]
    read = attrgetter(*names) if len(names) > 1 else (lambda v: (getattr(v, names[0]),) if names else ())
    converts = [(i, convert) for i, (_, spec) in enumerate(fields)
                if (convert := _value_encoder(spec, encoders)) is not None]
    if not converts:
        return read

    def encode_model(value: Any) -> tuple[Any, ...]:
        out = list(read(value))
        for i, convert in converts:
            if out[i] is not None:
                out[i] = convert(out[i])
        return tuple(out)

    return encode_model


def _value_encoder(spec: Spec, encoders: dict[str, Callable[[Any], Any]]) -> Callable[[Any], Any] | None:
    """A function encoding a (non-None) value of ``spec``; None: stored as it is."""
    if spec is None:
        return None
    if spec == "date":
        return _isoformat
    kind, inner = spec
    if kind == "enum":
        return _enum_value
    if kind == "model":
        return lambda value: encoders[inner](value)  # found when called: models may nest
    convert = _value_encoder(inner, encoders)
    if kind == "lazy":
        return marshal.dumps if convert is None else (lambda value: marshal.dumps(convert(value)))
    assert convert is not None
    if kind == "list":
        return lambda values: [None if v is None else convert(v) for v in values]
    return lambda values: {k: None if v is None else convert(v) for k, v in values.items()}


_isoformat = methodcaller("isoformat")
_enum_value = attrgetter("value")


def pack_layouts(layouts: Layouts) -> bytes:
    """``layouts`` as the blob an entry stores (the same bytes for the same layouts)."""
    found = _PACKED.get(id(layouts))
    if found is None or found[0] is not layouts:
        found = (layouts, marshal.dumps(layouts))
        _PACKED[id(layouts)] = found
    return found[1]


_PACKED: dict[int, tuple[Layouts, bytes]] = {}
"""The blob of each layouts dict :func:`describe` gave (kept with it: an id can be reused)."""


def unpack_layouts(blob: bytes) -> Layouts:
    """The layouts a :func:`pack_layouts` blob holds, unmarshalled once per process and distinct
    blob (do not modify them). Raises TypeError, ValueError or EOFError for another blob."""
    layouts = _UNPACKED.get(blob)
    if layouts is None:
        layouts = marshal.loads(blob)
        if not isinstance(layouts, dict):
            raise TypeError("layouts")
        _UNPACKED[blob] = layouts
    return layouts


_UNPACKED: dict[bytes, Layouts] = {}


# --------------------------------------------------------------------------- records (query side)


_CLASSES: dict[tuple[str, tuple[tuple[str, Spec], ...]], type[Record]] = {}
_REBUILDERS: dict[tuple[str, tuple[tuple[str, Spec], ...]], Callable[[Any], Record]] = {}


def decode(encoded: tuple[Any, ...], name: str, layouts: Layouts) -> Record:
    """Rebuild the record of model ``name`` from its encoded tuple."""
    return rebuilder(name, layouts)(encoded)


def record_class(name: str, layouts: Layouts) -> type[Record]:
    """The record class of model ``name`` (built once per layout)."""
    key = (name, layouts[name])
    cls = _CLASSES.get(key)
    if cls is None:
        cls = _build_class(name, layouts)
        _CLASSES[key] = cls
    return cls


def rebuilder(name: str, layouts: Layouts) -> Callable[[Any], Record]:
    """The function rebuilding a record of model ``name`` from its stored tuple (built once per layout).

    Every value is rebuilt at once (dates, enum members, sub-records), except the ``lazy`` fields:
    a field is then read like a tuple item, without a call per read (a query read each action's
    status five times; a rebuilt sub-record kept in a per-instance dict cost a dict per action).
    """
    key = (name, layouts[name])
    found = _REBUILDERS.get(key)
    if found is None:
        _REBUILDERS[key] = lambda stored: _REBUILDERS[key](stored)  # nested models: found when called
        found = _REBUILDERS[key] = _make_rebuilder(name, layouts)
    return found


def _make_rebuilder(name: str, layouts: Layouts) -> Callable[[Any], Record]:
    """Body of :func:`rebuilder`: one expression per model, compiled once (as ``namedtuple`` and
    ``dataclasses`` compile their methods), that builds the record's tuple in one go; a loop over
    the fields to convert cost twice as much per action."""
    cls = record_class(name, layouts)
    specs = layouts[name]
    converts = {index: convert for index, (_, spec) in enumerate(specs)
                if not _is_lazy(spec) and (convert := _converter(spec, layouts)) is not None}
    if not converts:
        return cls
    items = [f"c{i}(s[{i}]) if s[{i}] else s[{i}]" if i in converts else f"s[{i}]" for i in range(len(specs))]
    namespace: dict[str, Any] = {f"c{i}": convert for i, convert in converts.items()}
    namespace["cls"] = cls
    # None, or an empty list or dict, is kept as stored; the code holds only indices, no data
    exec(f"def rebuild(s):\n    return cls(({', '.join(items)},))", namespace)
    rebuild: Callable[[Any], Record] = namespace["rebuild"]
    return rebuild


def _is_lazy(spec: Spec) -> bool:
    return isinstance(spec, tuple) and spec[0] == "lazy"


def _build_class(name: str, layouts: Layouts) -> type[Record]:
    """A :class:`Record` subclass with one attribute per field, read as a tuple item.

    A ``lazy`` field is rebuilt on first access and kept (the class then has a ``__dict__``,
    created only on first use).
    """
    fields = tuple(field for field, _ in layouts[name])
    namespace: dict[str, Any] = {"_fields": fields, "model_fields": dict.fromkeys(fields)}
    memo = False
    for index, (field, spec) in enumerate(layouts[name]):
        if _is_lazy(spec):
            convert = _converter(spec, layouts)
            assert convert is not None
            namespace[field] = memoized(_getter(index, convert))
            memo = True
        else:
            namespace[field] = property(itemgetter(index))
    if not memo:
        namespace["__slots__"] = ()
    return type(name, (Record,), namespace)


def _getter(index: int, convert: Callable[[Any], Any]) -> Callable[[Record], Any]:
    """Read field ``index`` and rebuild it (None stays None)."""
    def get(self: Record) -> Any:
        value = self[index]
        return None if value is None else convert(value)

    get.__name__ = f"field_{index}"
    return get


def _converter(spec: Spec, layouts: Layouts) -> Callable[[Any], Any] | None:
    """A function rebuilding a stored value of ``spec`` (None: stored as it is)."""
    if spec is None:
        return None
    if spec == "date":
        return dt.date.fromisoformat
    kind, inner = spec
    if kind == "enum":
        return ENUMS[inner]._value2member_map_.__getitem__
    if kind == "model":
        return rebuilder(inner, layouts)
    convert = _converter(inner, layouts)
    if kind == "lazy":
        return (lambda blob: marshal.loads(blob)) if convert is None else (
            lambda blob: convert(marshal.loads(blob)))
    assert convert is not None
    if kind == "list":
        return lambda values: [None if v is None else convert(v) for v in values]
    return lambda values: {k: None if v is None else convert(v) for k, v in values.items()}
