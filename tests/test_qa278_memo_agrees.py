"""The 通报 agrees with itself and with the 汇总表 (QA helper qa278).

* A task the master gives no lead (东莞 16.1) is counted 未报送 by the memo's table, as by the
  汇总表's 总览 (未报送 1) and 任务汇总 (综合状态 未报送, 未报送单位 未明确牵头单位); the overview
  paragraph called the same task only "未明确牵头单位的1项": two labels for one number.
* Every unit the memo names is addressed by its 主送: 丽水's 开发区管委会 was named 未报送
  under "各县（市、区）人民政府，市直各有关单位：", which addresses no 管委会; so were 滁州's two
  管委会 (guessed 市直部门) under "市直各有关单位：".
* `duban demo` plays June 2022: its 通报 was dated the machine's today (2026年12月6日) while
  asking for July's returns by 2022年8月5日.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from test_memo import month  # noqa: F401  (the fixture: a realistic June with 16.1 leadless)

from toolkit.actions import run as run_action
from toolkit.consolidate import UnitStatus, consolidate
from toolkit.memo.addressees import recipients
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.workspace import find_workspace


def test_the_leadless_task_is_said_unreported_as_the_table_counts_it(month):  # noqa: F811
    cons = consolidate(month)
    ctx = build_context(cons, dt.date(2022, 7, 6))
    assert ctx.level1_total.not_reported == ctx.task_not_reported
    assert ctx.task_not_reported_no_lead == 1
    assert "未明确牵头单位、未报送进展的1项（占" in ctx.overview_text
    assert "，未明确牵头单位的1项" not in ctx.overview_text


def _units(*pairs: tuple[str, str]) -> list[UnitStatus]:
    return [UnitStatus(name, kind, 1, "未报送") for name, kind in pairs]


COUNTIES = [("莲都区人民政府", "县（市、区）"), ("龙泉市人民政府", "县（市、区）"), ("青田县人民政府", "县（市、区）")]


@pytest.mark.parametrize("units, level, said", [
    # 丽水's directory: the zone's own kind
    (_units(("市发改委", "市直部门"), *COUNTIES, ("丽水经济技术开发区管理委员会", "开发区")), "市",
     "各县（市、区）人民政府、丽水经济技术开发区管理委员会，市直各有关单位："),
    # 滁州 without a directory: two 管委会 guessed 市直部门
    (_units(("市发改委", "市直部门"), ("滁州经开区管委会", "市直部门"), ("中新苏滁高新区管委会", "市直部门")), "市",
     "各开发区管委会，市直各有关单位："),
    # 上城: a district's 功能区管委会, no government below it
    (_units(("区发改局", "区直部门"), ("区电子机械功能区管委会", "区直部门")), "区",
     "区电子机械功能区管委会，区直各有关单位："),
    # 荆州 2022: the directory's kind 功能区, as the table names them (QA311)
    (_units(("市发改委", "市直部门"), ("荆州经济技术开发区管委会", "功能区"), ("纪南文旅区管委会", "功能区")), "市",
     "各功能区管委会，市直各有关单位："),
    # two kinds of zone: the general word
    (_units(("市发改委", "市直部门"), ("荆州经济技术开发区管委会", "开发区"), ("纪南文旅区管委会", "功能区")), "市",
     "各开发区管委会，市直各有关单位："),
    # a plan of 管委会 alone
    (_units(("滁州经开区管委会", "市直部门")), "市", "滁州经开区管委会："),
    # a department named after its zone is no zone's government: 市直 as before
    (_units(("市发改委", "市直部门"), ("市高新区建设指挥部办公室", "市直部门")), "市", "市直各有关单位："),
])
def test_every_named_zone_is_addressed(units, level, said):
    assert recipients(units, level) == said


def test_the_demo_memo_is_dated_in_the_demo_month(month, tmp_path):  # noqa: F811
    # `run_cycle(issue_date=…)` dates the 通报 (filled in its own process) as the caller says
    root = tmp_path / "ws"
    shutil.copytree(month.root, root)
    ws = find_workspace(root)
    result = run_action.run_cycle(ws, Period(2022, 6), issue_date=dt.date(2022, 7, 20))
    assert result.memo.context.issue_date_text == "2022年7月20日"


def test_the_demo_runs_its_cycle_on_its_own_day(monkeypatch, tmp_path):
    from toolkit.actions import demo

    seen = {}
    monkeypatch.setattr(demo, "build_demo", lambda root, progress: {})
    monkeypatch.setattr(demo, "find_workspace", lambda root, explicit: _NoLock())
    monkeypatch.setattr(demo, "run_cycle", lambda ws, period, pdf, progress, **kw: seen.update(kw, period=period))
    demo.run_demo(tmp_path / "演示")
    assert seen == {"period": Period(2022, 6), "issue_date": dt.date(2022, 7, 20)}
    # after the month's deadline and every simulated return (the last on 8 July)
    assert demo.DEMO_DAY.date() > dt.date(2022, 7, 8)


class _NoLock:
    def lock(self):
        import contextlib

        return contextlib.nullcontext()
