"""`record`: a dataclass whose methods are not compiled at import.

On Python 3.11 `dataclasses.dataclass` writes each method it adds as source text and
compiles it with ``exec`` when the class is made: about half a million instructions a
method, 5.6 M for a frozen class of eight fields, where a class written out costs nothing
beyond loading its bytecode (callgrind). `duban status` makes eighteen such classes at every
start: made records, they cost it 58.7 M instructions fewer of its 427 M (W1 workspace,
QA384; issue 19). What `record` still pays, dataclass's reading of the fields, is about
0.5 M a class.

``@record(frozen=..., order=...)`` gives a class what ``@dataclass`` with the same options
gives it, but for ``__init__``, which the class writes out itself (compiled once into its
module's bytecode like any other code): ``__eq__``, ``__hash__``, the order methods,
``__repr__`` and the frozen ``__setattr__``/``__delattr__`` are closures over the fields'
values (`operator.attrgetter`), which nothing compiles. The class stays a dataclass:
`dataclasses.fields`, `replace`, `asdict` and `is_dataclass` work on it as before.
``tests/test_record.py`` checks every record against the dataclass it stands for: its
``__init__`` has the signature dataclass would generate and sets the same fields, and
equality, hashing, order, repr and frozenness agree.
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
from collections.abc import Callable
from typing import Any

__all__ = ["FACTORY", "RECORDS", "record"]

#: every record class made, for tests/test_record.py
RECORDS: list[type] = []


class _Factory:
    """The default an ``__init__`` written out shows for a field with a ``default_factory``,
    as dataclass's own does: ``rows=<factory>``."""

    def __repr__(self) -> str:
        return "<factory>"


#: ``def __init__(self, rows: list[Row] = FACTORY)``, then ``[] if rows is FACTORY else rows``
FACTORY: Any = _Factory()


def record(*, frozen: bool = False, eq: bool = True, order: bool = False, repr: bool = True) -> Callable[[type], type]:
    """``@dataclass(frozen=frozen, eq=eq, order=order, repr=repr)`` for a class that writes
    its own ``__init__`` (see the module's doc)."""

    def make(cls: type) -> type:
        if "__init__" not in cls.__dict__:
            raise TypeError(f"{cls.__name__}: a record writes out its own __init__")
        cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        # the options as dataclass would record them: a subclass made with @dataclass reads its
        # base's (a frozen one may not inherit from one that is not)
        params = cls.__dataclass_params__
        params.init, params.repr, params.eq, params.order, params.frozen = True, repr, eq, order, frozen
        every = dataclasses.fields(cls)
        if repr:
            _add(cls, "__repr__", _repr_of(tuple(f.name for f in every if f.repr)))
        if eq:
            key = _values(tuple(f.name for f in every if f.compare))
            _add(cls, "__eq__", _comparison(cls, key, operator.eq))
            if order:
                for name, op in (("__lt__", operator.lt), ("__le__", operator.le), ("__gt__", operator.gt),
                                 ("__ge__", operator.ge)):
                    _add(cls, name, _comparison(cls, key, op))
            explicit = "__hash__" in cls.__dict__ and cls.__dict__["__hash__"] is not None
            if frozen and not explicit:  # as dataclass: eq and frozen hash the fields compared
                hashed = _values(tuple(f.name for f in every if (f.compare if f.hash is None else f.hash)))
                cls.__hash__ = lambda self: hash(hashed(self))
            elif not frozen and not explicit:  # eq without frozen: unhashable, as dataclass leaves it
                cls.__hash__ = None
        if frozen:
            _freeze(cls, tuple(f.name for f in every))
        RECORDS.append(cls)
        return cls

    return make


def _add(cls: type, name: str, fn: Callable) -> None:
    """As dataclass: a method the class defines itself is kept."""
    if name not in cls.__dict__:
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The tuple dataclass's methods compare and hash: ``(self.a, self.b, …)``."""
    if len(names) > 1:
        return operator.attrgetter(*names)  # a tuple already
    if names:
        one = operator.attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _comparison(cls: type, key: Callable[[Any], tuple], op: Callable[[Any, Any], Any]) -> Callable:
    def compare(self, other):
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    return compare


def _repr_of(names: tuple[str, ...]) -> Callable:
    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _freeze(cls: type, names: tuple[str, ...]) -> None:
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for fn in (__setattr__, __delattr__):
        if fn.__name__ in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {fn.__name__} in class {cls.__name__}")
        _add(cls, fn.__name__, fn)
