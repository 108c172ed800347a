"""Extreme months of the Dongguan plan read as its office reads the 通报 (QA helper qa91).

* Nothing received (54 units 未报送): 报送情况 said "尚无单位报送通过；54个单位未报送", as if some
  had sent and failed, and the next steps asked "未报送的54个单位" of a plan of 54 units.
* Only refused returns: "尚无单位报送通过" (通过 is no word of a 通报) for 报送合格.
* 200 of a 300-unit plan 未报送: 报送情况 named them in one run of seven pages, departments and
  towns alike; past 20 names the memo names them by 类别 (市直部门21个：…；镇街33个：…), as a
  province's 通报 names 省发展改革委等9个省级部门、杭州市等5个设区市.
* The 汇总表's level chart of a plan with 8 一级任务 showed every second name (7 cm tall).
"""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop, on_time

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.memo.context import UnitItem, build_context
from toolkit.summary_charts import level_bars

ISSUED = dt.date(2022, 7, 10)


def _points(ctx) -> dict[str, str]:
    return {p.title: p.text for p in ctx.reporting_points}


def test_a_month_with_nothing_received_says_no_unit_reported(issued_ws):
    ctx = build_context(consolidate(issued_ws, PERIOD), ISSUED)
    assert ctx.unit_missing == ctx.unit_total == 54
    assert ctx.reporting_text == "本期应报送单位54个，均未报送。"
    asks = next(p.text for p in ctx.requirements if p.title == "按时报送进展。")
    assert asks.startswith("请各单位尽快补报；") and "54个单位" not in asks
    # no average progress of nothing
    assert "平均进度" not in ctx.overview_text and ctx.avg_progress_text == ""
    assert ctx.recipients == "各镇街（园区），市直各有关单位："


def test_the_54_unreported_units_are_named_by_their_kind(issued_ws):
    ctx = build_context(consolidate(issued_ws, PERIOD), ISSUED)
    text = _points(ctx)["未报送的单位（54个）："]
    assert text.startswith("市直部门21个：市政务服务数据管理局、市府办、")
    assert "东莞市税务局；镇街33个：莞城街道、南城街道、" in text
    assert text.endswith("高埗镇、松山湖高新区。")
    assert ctx.missing_names.startswith("市政务服务数据管理局、")  # the template variable keeps one run


def test_a_short_list_stays_one_run():
    from toolkit.memo.sentences import grouped_names as _grouped_names

    units = [UnitItem("市民政局", "市直部门", 3, "未报送", "", 0, 0),
             UnitItem("莞城街道", "镇街", 9, "未报送", "", 0, 0)]
    assert _grouped_names(units) == "市民政局、莞城街道"


def test_a_month_whose_only_returns_were_refused(issued_ws, make_return):
    wrong = Answer("已完成", 40, "", "", "", None, "")  # 已完成 at 40%: refused
    for unit in ("东莞市税务局", "南城街道"):
        drop(issued_ws, f"{unit}.xlsx", make_return(unit, Filling(default=wrong)), on_time())
    collect(issued_ws, PERIOD, received=dt.date(2022, 7, 4))
    ctx = build_context(consolidate(issued_ws, PERIOD), ISSUED)
    assert (ctx.unit_reported, ctx.unit_returned, ctx.unit_missing) == (0, 2, 52)
    assert ctx.reporting_text == ("本期应报送单位54个，尚无单位报送合格；2个单位报送内容有误已退回修改，"
                                  "52个单位未报送。")
    asks = next(p.text for p in ctx.requirements if p.title == "按时报送进展。")
    assert asks.startswith("请未报送的52个单位尽快补报，退回修改的2个单位修改后重报；")
    assert _points(ctx)["退回修改的单位（2个）："].startswith("东莞市税务局、南城街道。")


def test_the_level_chart_names_every_first_level_task():
    from toolkit.summary_charts import level_chart_height

    bar = level_bars("总览", 1, 9, ("已完成", "序时推进", "滞后", "未启动", "未报送"), {}, "宋体", 3)
    assert bar.count('<tickLblSkip val="1"/>') == 1 and "'总览'!$A$2:$A$9" in bar
    assert level_chart_height(8) >= 8.8
    assert level_chart_height(5) == 7.0  # a city's five, as before
