"""Every `record` behaves as the dataclass it stands for (`toolkit.record`).

A record writes out its ``__init__`` and gets its other methods without compiled source;
each is checked here against ``@dataclass`` with the same options made from its own fields:
the ``__init__`` signature and what it sets, equality, hashing, order, repr and frozenness.
A field added to a record and not to its ``__init__`` fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import itertools
import operator
from pathlib import Path

import pytest
from conftest import ROOT

from toolkit.record import FACTORY, RECORDS, record


def _modules_with_records() -> list[str]:
    found = []
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        if "@record(" in path.read_text(encoding="utf-8") and path.name != "record.py":
            found.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def _records() -> list[type]:
    for name in _modules_with_records():
        importlib.import_module(name)
    return list(RECORDS)


def _reference(cls: type) -> type:
    """``@dataclass`` with the record's options, made from its fields (and its __post_init__)."""
    params = cls.__dataclass_params__
    ns: dict = {"__annotations__": {}, "__qualname__": cls.__qualname__, "__module__": cls.__module__}
    for f in dataclasses.fields(cls):
        ns["__annotations__"][f.name] = f.type
        ns[f.name] = dataclasses.field(default=f.default, default_factory=f.default_factory, init=f.init,
                                       repr=f.repr, hash=f.hash, compare=f.compare, metadata=f.metadata)
    if "__post_init__" in cls.__dict__:
        ns["__post_init__"] = cls.__dict__["__post_init__"]
    return dataclasses.dataclass(repr=params.repr, eq=params.eq, order=params.order, frozen=params.frozen)(
        type(cls.__name__, (), ns))


def _bare(cls: type, values: dict) -> object:
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def test_the_records_are_found() -> None:
    names = {c.__qualname__ for c in _records()}
    assert {"Period", "Issue", "Task", "Assignment", "Unit", "Limits"} <= names


@pytest.mark.parametrize("cls", _records(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_a_record_is_the_dataclass_it_stands_for(cls: type, monkeypatch) -> None:
    ref = _reference(cls)
    ours, theirs = inspect.signature(cls.__init__).parameters, inspect.signature(ref.__init__).parameters
    assert [(p.name, p.kind, repr(p.default)) for p in ours.values()] == \
        [(p.name, p.kind, repr(p.default)) for p in theirs.values()]

    # __init__ sets each field to its argument, or to its default (a fresh one from a factory)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    calls: list[object] = []
    if hasattr(cls, "__post_init__"):
        monkeypatch.setattr(cls, "__post_init__", lambda self: calls.append(self))
    given = {f.name: object() for f in fields}
    made = cls(*given.values())
    assert vars(made) == given
    required = [v for f, v in zip(fields, given.values(), strict=True)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    one, two = cls(*required), cls(*required)
    for f in fields[len(required):]:
        if f.default_factory is not dataclasses.MISSING:
            got, fresh = getattr(one, f.name), f.default_factory()
            assert type(got) is type(fresh) and got is not getattr(two, f.name)
            if not dataclasses.is_dataclass(fresh) or fresh.__dataclass_params__.eq:
                assert got == fresh
        else:
            got = getattr(one, f.name)
            assert type(got) is type(f.default) and got == f.default
    assert calls == ([made, one, two] if hasattr(cls, "__post_init__") else [])

    # eq, hash, order and repr on instances of every pair of values
    names = [f.name for f in dataclasses.fields(cls)]
    variants = [dict(zip(names, range(len(names)), strict=True))]
    for name in names:
        variants.append({**variants[0], name: -1})
    pairs = [((_bare(cls, a), _bare(cls, b)), (_bare(ref, a), _bare(ref, b))) for a, b in itertools.product(variants, repeat=2)]
    ops = [operator.eq, operator.ne]
    if cls.__dataclass_params__.order:
        ops += [operator.lt, operator.le, operator.gt, operator.ge]
    for (a, b), (ra, rb) in pairs:
        for op in ops:
            assert op(a, b) == op(ra, rb), (op, vars(a), vars(b))
        assert (cls.__hash__ is None) == (ref.__hash__ is None)
        if cls.__hash__ is not None and cls.__dataclass_params__.eq:
            assert hash(a) == hash(ra)
        if cls.__dataclass_params__.repr:
            assert repr(a) == repr(ra)
    a, ra = pairs[0][0][0], pairs[0][1][0]
    assert (a == 0) is (ra == 0) is False
    for target, name in ((a, names[0]), (ra, names[0]), (a, "other"), (ra, "other")):
        if cls.__dataclass_params__.frozen:
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(target, name, 5)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(target, name)
        else:
            setattr(target, name, 5)
    assert dataclasses.replace(a) == a if cls.__dataclass_params__.eq and not calls else True


def test_a_record_without_its_own_init_is_refused() -> None:
    with pytest.raises(TypeError, match="writes out its own __init__"):
        record()(type("Nothing", (), {"__annotations__": {"x": "int"}}))
    assert repr(FACTORY) == "<factory>"


def test_no_record_takes_a_dataclass_decorator_too() -> None:
    """A record with ``@dataclass`` above it would compile the methods `record` exists to spare."""
    for name in _modules_with_records():
        path = ROOT / Path(*name.split(".")).with_suffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                shown = [ast.unparse(d) for d in node.decorator_list]
                assert not (any(d.startswith("record(") for d in shown) and len(shown) > 1), (name, node.name)
