"""The master read from its workbook is kept in `.duban/master_cache.json` (toolkit.master.cache):
the same model every time, never a stale or damaged one, never a reason to fail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os

import openpyxl
import pytest

from toolkit.master import cache
from toolkit.master import workbook as master_workbook
from toolkit.master.model import Master
from toolkit.report import make_issue
from toolkit.units import Directory, Unit
from toolkit.vocab import Role


@pytest.fixture
def ws(ws):
    """A workspace that has run a command (its .duban/ exists: the cache lives there)."""
    ws.state_dir.mkdir(exist_ok=True)
    return ws


def _fresh_read(ws):
    master_workbook._last = None  # the in-process copy would hide the disk
    return ws.load_master()


def _same(a, b) -> None:
    assert (a.title, a.source, a.organiser) == (b.title, b.source, b.organiser)
    assert a.tasks == b.tasks and a.assignments == b.assignments and a.issues == b.issues
    assert a.directory.units == b.directory.units and a.directory.organiser == b.directory.organiser
    assert a.fingerprint == b.fingerprint
    assert [a.tasks_of(u) for u in a.directory.names] == [b.tasks_of(u) for u in b.directory.names]


def test_the_cached_master_is_the_one_read_from_the_workbook(ws, monkeypatch):
    first = _fresh_read(ws)
    path = ws.state_dir / cache.CACHE_NAME
    assert path.exists()
    reads = []
    monkeypatch.setattr(master_workbook, "_read_master_workbook", lambda p, data=None: reads.append(p))
    second = _fresh_read(ws)
    assert reads == [] and second is not first
    _same(first, second)
    assert any(t.deadline for t in second.tasks) and any(t.ongoing for t in second.tasks)


def test_every_field_survives_the_round_trip(ws):
    """Dates, roles, aliases, directory problems (M112) and the organiser included."""
    m = _fresh_read(ws)
    m.directory.add(Unit("测试单位", "市直部门", ("测试", "测单位"), "张三", "0769-1", "a@b.cn; bad"))
    m.issues.append(make_issue("M112", file="任务分工表.xlsx", sheet="单位名录", cell="F9", row=9,
                               unit="测试单位", value="bad"))
    m.organiser = "东莞市政务服务数据管理局"
    body = json.loads(json.dumps(cache._plain(m), ensure_ascii=False))
    back = cache._master(body)
    _same(m, back)
    assert isinstance(back.tasks[0].deadline, (dt.date, type(None)))
    assert {a.role for a in back.assignments} <= set(Role)
    # kept with the model (3 ms of every command to hash again), the hash of what was kept
    recomputed = cache._master(json.loads(json.dumps(cache._plain(m), ensure_ascii=False)))
    del recomputed.__dict__["fingerprint"]
    assert back.fingerprint == m.fingerprint == recomputed.fingerprint


def test_the_place_kept_is_the_one_the_master_locates(ws):
    """The plan's place is kept with the model (`plan_place` of its organiser and title: its
    patterns were 0.8 ms of every status): the master loaded has the place, and the text it was
    read in, that a master built without it locates (`Master.__post_init__`)."""
    m = _fresh_read(ws)
    assert m.directory.place == "东莞市"
    for organiser, title in ((m.organiser, m.title), ("", m.title), ("中共大竹县委督查室", ""), ("", "")):
        m.organiser, m.title = organiser, title
        back = cache._master(json.loads(json.dumps(cache._plain(m), ensure_ascii=False)))
        before = Directory(list(back.directory.units), back.directory.organiser)  # a load before it was kept
        Master(title, [], [], before, organiser=organiser)
        assert (back.directory.place, back.directory._placed_by) == (before.place, before._placed_by)
        assert (back.title, back.organiser) == (title, organiser)


def test_an_edited_workbook_is_read_again(ws):
    before = _fresh_read(ws)
    book = ws.root / "任务分工表.xlsx"
    wb = openpyxl.load_workbook(book)
    sheet = wb["责任分工"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == Role.COOP.value)
    row[2].value = Role.LEAD.value
    wb.save(book)
    after = _fresh_read(ws)
    assert after.fingerprint != before.fingerprint
    assert after.fingerprint == master_workbook._read_master_workbook(book).fingerprint


@pytest.mark.parametrize("damage", ["truncated", "edited", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rewritten(ws, damage):
    good = _fresh_read(ws)
    path = ws.state_dir / cache.CACHE_NAME
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    path.write_bytes({
        "truncated": data[: len(data) // 2],
        "edited": head + b"\n" + body.replace(b'"\xe7\x89\xb5\xe5\xa4\xb4"', b'"\xe9\x85\x8d\xe5\x90\x88"', 1),
        "garbage": os.urandom(2000),
        "empty": b"",
    }[damage])
    _same(good, _fresh_read(ws))
    assert path.read_bytes() == data


@pytest.mark.parametrize("change", ["_shape", "_reader"])
def test_a_cache_of_another_model_or_reader_is_ignored(ws, monkeypatch, change):
    """A duban whose model's fields or whose reading code (cells, deadlines, unit names,
    addresses) differ never takes a model an older duban read."""
    good = _fresh_read(ws)
    monkeypatch.setattr(cache, change, lambda: "a later duban" if change == "_shape" else b"a later reader")
    calls = []
    real = master_workbook._read_master_workbook
    monkeypatch.setattr(master_workbook, "_read_master_workbook",
                        lambda p, data=None: calls.append(p) or real(p, data))
    _same(good, _fresh_read(ws))
    assert len(calls) == 1


def test_a_read_only_workspace_reads_without_a_cache(ws):
    if os.geteuid() == 0 and not os.environ.get("DUBAN_TEST_AS_USER"):
        # root ignores permissions: make the cache file a directory instead, unwritable for anyone
        (ws.state_dir / cache.CACHE_NAME).mkdir(parents=True, exist_ok=True)
    else:
        ws.state_dir.chmod(0o555)
    try:
        m = _fresh_read(ws)
        assert m.tasks and _fresh_read(ws).fingerprint == m.fingerprint
    finally:
        ws.state_dir.chmod(0o755)


def test_a_workbook_outside_a_workspace_is_never_cached(tmp_path, ws):
    outside = tmp_path / "elsewhere" / "任务分工表.xlsx"
    outside.parent.mkdir()
    outside.write_bytes((ws.root / "任务分工表.xlsx").read_bytes())
    master_workbook._last = None
    assert master_workbook.read_master_workbook(outside).tasks
    assert [p.name for p in outside.parent.iterdir()] == ["任务分工表.xlsx"]


def test_fields_are_listed_from_the_dataclasses():
    """The key changes when a stored class gains or loses a field (no stale model)."""
    assert "deadline" in cache._shape() and "aliases" in cache._shape()
    assert cache.cache_key(b"x") != cache.cache_key(b"y")
    assert [f.name for f in dataclasses.fields(Unit)] == ["name", "kind", "aliases", "contact", "phone", "email"]
