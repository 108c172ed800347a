"""QA215 (review of what users see): June 2022 of the 东莞 demo, its 汇总表 and 通报 rendered by
LibreOffice and looked at, and the screens of status, merge and memo read. Each strict xfail is a
finding (what the coordinator would see, and what it should be); see the QA215 report."""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
from conftest import drop, on_time, set_clock, shanghai
from test_evidence import clean

from toolkit.actions.collect import collect
from toolkit.actions.merge import merge


def _merged(ws, make_return, monkeypatch):
    drop(ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    collect(ws)
    return openpyxl.load_workbook(merge(ws).path)


def test_no_header_of_the_summary_book_is_english(issued_ws, make_return, monkeypatch):
    book = _merged(issued_ws, make_return, monkeypatch)
    english = {(s.title, c.value) for s in book.worksheets for row in s.iter_rows(max_row=3) for c in row
               if isinstance(c.value, str) and re.fullmatch(r"[A-Za-z0-9_]+", c.value)}
    assert not english


def test_overview_names_tasks_and_units_not_reported_apart(issued_ws, make_return, monkeypatch):
    """Kept by decision (QA215 asked for 未报送 in both): 一、任务进展's 未报送 counts tasks, 二、报送情况's
    尚未报送 units; the charts and every reader of 总览 find a row by its label."""
    sheet = _merged(issued_ws, make_return, monkeypatch)["总览"]
    labels = [r[0] for r in sheet.iter_rows(values_only=True) if r[0] in ("未报送", "尚未报送")]
    assert labels == ["未报送", "尚未报送"]  # 一、任务进展 and 二、报送情况


def test_a_task_with_no_lead_says_so_in_the_task_sheet(issued_ws, make_return, monkeypatch):
    sheet = _merged(issued_ws, make_return, monkeypatch)["任务汇总"]
    header = [c.value for c in sheet[3]]
    (row,) = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "16.1"]
    assert row[header.index("综合状态")] == "未报送"
    assert "未明确牵头单位" in (row[header.index("未报送单位")] or "")


def test_status_asks_about_a_late_verdict_on_a_modification_time(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    assert run(["collect"], cwd=issued_ws.root).exit_code == 1
    status = run(["status", "--format", "json"], cwd=issued_ws.root)
    assert [n for n in json.loads(status.stdout)["notes"] if "石龙镇按文件修改时间" in n]
