"""QA392: what a coordinator and a department see in the 汇总表, the return form and the reply.

A month of a big plan (17 joint tasks, 63 units, 33-42 leads a task) printed: 总览's per-unit
chart cut at the page break, its title overprinted on the next page; 校验问题's 7 errors lost
among 161 W604; 滞后超期's 牵头单位状态 one run-on string of 42 units; the form's locked cells
hardly darker than its inputs and 填报人's input no box; the reply's 进展填报 red and yellow with
nothing saying why. Each is asserted here on the workbooks as written.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import drop, issued_path, on_time
from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.feedback import banner_text
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.returns import read_return
from toolkit.settings import Limits
from toolkit.style import load_style
from toolkit.summary_book import CHART_WIDTH_CM, ROW_CM, build_summary_workbook, write_workbook
from toolkit.summary_charts import page_rows, unit_pages
from toolkit.task_summary import lead_states_text

JUNE = Period.parse("2022-06")
EMU_PER_CM = 360000


@pytest.fixture
def june(issued_ws):
    return consolidate(issued_ws, JUNE)


def _overview(cons, units: int):
    base = cons.units[0]
    many = [dataclasses.replace(base, unit=f"第{i}村") for i in range(units)]
    return build_summary_workbook(dataclasses.replace(cons, units=many), load_style()).sheets[0]


def _unit_rows(chart_xml: str) -> tuple[int, int]:
    first, last = re.search(r"'总览'!\$A\$(\d+):\$A\$(\d+)", chart_xml).groups()
    return int(first), int(last)


@pytest.mark.parametrize("units", [10, 54, 63, 150])
def test_each_printed_page_of_the_unit_table_has_its_own_chart_that_ends_on_it(june, units):
    """One chart of 54 units was 26 cm: past the rows an Excel page holds of 总览 (about 40), and
    in LibreOffice a sliver of it on the next page, drawn over the header row repeated there."""
    ws = _overview(june, units)
    bars = [c for c in ws.charts if "各单位平均完成进度" in c.xml]
    spans = [_unit_rows(c.xml) for c in bars]
    header = spans[0][0] - 1
    # every unit in exactly one chart, top to bottom
    assert spans[0][0] == header + 1 and spans[-1][1] == header + units
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(spans))
    # as many rows a page as Excel prints of 总览 (the fewest), less the section or repeated header
    # row and one spare
    per_page = page_rows(ws.widths, 1, CHART_WIDTH_CM, 16) - 3
    assert 30 <= per_page <= 40
    assert [last - first + 1 for first, last in spans] == unit_pages(units, per_page)
    # a page break after each chart's rows but the last; the break before 四 comes first
    assert ws.breaks[1:] == [last for _, last in spans[:-1]]
    for chart, (first, _) in zip(bars, spans):
        # anchored beside its first unit (0-based row), never beside the header row repeated on each page
        assert chart.row == first - 1 > header - 1
        # and ends before the next page's rows begin: within as many rows as a page holds
        end_cm = chart.row_offset / EMU_PER_CM + chart.height / EMU_PER_CM
        assert end_cm <= per_page * ROW_CM
        # only the first is the chart; the others go on with it
        assert ("（续）" in chart.xml) == (first > header + 1)
    assert len(bars) == -(-units // per_page)


def test_pages_of_the_unit_table_are_as_even_as_can_be():
    assert unit_pages(10, 37) == [10]
    assert unit_pages(54, 37) == [27, 27]
    assert unit_pages(63, 37) == [32, 31]
    assert unit_pages(150, 37) == [30, 30, 30, 30, 30]


def test_a_long_first_level_task_wraps_in_the_overview(june, tmp_path):
    """三's column A (30 characters) cut 二、动员社会各界扩大贫困地区产品和服务消费 at its edge."""
    long_name = "二、动员社会各界扩大贫困地区产品和服务消费，拓宽贫困地区农产品销售渠道"
    levels = june.by_level1(said=True)
    cons = dataclasses.replace(june)
    cons.by_level1 = lambda said=False: [(long_name, levels[0][1]), *levels[1:]]
    path = tmp_path / "汇总表.xlsx"
    write_workbook(cons, path, load_style())
    ws = load_workbook(path)["总览"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == long_name)
    assert ws.cell(r := row, 1).alignment.wrap_text
    assert ws.row_dimensions[r].height > 16
    # the rows under it as every 总览 row
    assert ws.row_dimensions[r + 1].height == 16


def test_errors_that_sent_a_return_back_come_first_in_the_issues_sheet(june, tmp_path):
    def issue(unit, code, severity, outcome):
        return {"unit": unit, "file": f"{unit}.xlsx", "sheet": "进展填报", "cell": "H5", "code": code,
                "severity": severity, "message": "……", "outcome": outcome, "task": "1.1"}

    issues = [issue("东城街道", "W604", "警告", "采纳"), issue("南城街道", "W602", "警告", "采纳"),
              issue("万江街道", "E101", "错误", "无法读取"), issue("厚街镇", "W604", "警告", "采纳"),
              issue("虎门镇", "E603", "错误", "退回"), issue("虎门镇", "W607", "警告", "退回"),
              issue("长安镇", "E601", "错误", "退回")]
    path = tmp_path / "汇总表.xlsx"
    write_workbook(dataclasses.replace(june, issues=issues), path, load_style())
    rows = [r[:5] for r in load_workbook(path)["校验问题"].iter_rows(min_row=4, values_only=True)]
    # one row per issue still (each its cell), ordered: what sent a return back, other errors,
    # warnings, and the W604 said once per unit and overdue task last, each group in the units' order
    assert [(r[0], r[4]) for r in rows] == [("虎门镇", "E603"), ("长安镇", "E601"), ("万江街道", "E101"),
                                            ("南城街道", "W602"), ("虎门镇", "W607"), ("东城街道", "W604"),
                                            ("厚街镇", "W604")]


def test_lead_states_name_the_leads_behind_and_count_the_rest():
    said = lambda unit, word: "未报送（尚未截止）" if unit == "丁" and word == "未报送" else word  # noqa: E731
    few = {"甲": "滞后", "乙": "已完成", "丙": "序时推进"}
    assert lead_states_text(few, said) == "甲：滞后；丙：序时推进"  # as before: every lead not done
    many = {"A": "序时推进", "B": "滞后", "C": "已完成", "D": "未报送", "E": "退回待改", "F": "未启动",
            "G": "序时推进", "H": "滞后", "丁": "未报送", "I": "已完成", "J": "序时推进"}
    assert lead_states_text(many, said).split("\n") == [
        "滞后2个：B、H", "未报送1个：D", "退回待改1个：E", "未启动1个：F",
        "其余6个单位：序时推进3、已完成2、未报送（尚未截止）1"]
    # none behind: the count alone
    assert lead_states_text({f"单位{i}": "序时推进" for i in range(8)}, said) == "其余8个单位：序时推进8"


def test_the_lagging_sheet_lists_leads_so(june, tmp_path):
    path = tmp_path / "汇总表.xlsx"
    write_workbook(june, path, load_style())
    ws = load_workbook(path)["滞后超期"]
    header = [c.value for c in ws[3]]
    col = header.index("牵头单位状态")
    for row in ws.iter_rows(min_row=4, values_only=True):
        task = next(t for t in june.tasks if t.task.id == row[0])
        assert row[col] == (lead_states_text(task.lead_states, june.said) or None)


def test_form_inputs_stand_out_from_its_locked_cells(issued_ws):
    """F2F2F2 was barely darker than the white inputs, on screen and on a black and white page."""
    ws = load_workbook(issued_path(issued_ws, "市公安局"))["进展填报"]
    locked, typed = ws["E5"], ws["J5"]  # 具体工作内容, 工作进展
    assert locked.fill.fgColor.rgb.endswith("D9D9D9") and locked.protection.locked
    assert typed.fill.fgColor.rgb.endswith("FFFFFF") and not typed.protection.locked
    # 填报人, 联系电话, 审核人, 填报日期: each input a box of its own, all its merged cells edged
    for label in ("填报人", "联系电话", "审核人", "填报日期"):
        at = next(c for c in ws[3] if c.value == label)
        merged = next((m for m in ws.merged_cells.ranges if m.min_row == 3 and m.min_col == at.column + 1), None)
        first, last = (merged.min_col, merged.max_col) if merged else (at.column + 1, at.column + 1)
        for c in range(first, last + 1):
            border = ws.cell(3, c).border
            assert border.top.style and border.bottom.style, (label, c)
        assert ws.cell(3, first).border.left.style and ws.cell(3, last).border.right.style, label
        assert not ws.cell(3, first).protection.locked


def _refused_and_reply(ws):
    data = fill_return(issued_path(ws, "市公安局"),
                       Filling(answers={"2.3": Answer("已完成", 60, "已完成。")}))
    drop(ws, "市公安局.xlsx", data, on_time())
    collect(ws)
    return next((ws.root / "反馈").rglob("市公安局_校验反馈.xlsx"))


def test_the_reply_says_on_its_form_why_cells_are_red(issued_ws):
    reply = _refused_and_reply(issued_ws)
    ws = load_workbook(reply, rich_text=True)["进展填报"]
    title = str(ws["A1"].value)
    first, banner = title.split("\n")
    assert first.endswith("进展填报表（2022年6月）")
    assert banner.startswith("校验反馈：已退回。共1处错误（标红的单元格）须改正"), banner
    assert "“校验结果”" in banner and "改正后请重新报送本文件" in banner
    assert ws.row_dimensions[1].height > 36


def test_a_corrected_reply_is_read_as_the_form_and_accepted(issued_ws):
    """The reply is corrected and sent back: its banner in the title is no cell the return is read by."""
    reply = _refused_and_reply(issued_ws)
    fixed = fill_return(reply.read_bytes(), Filling(answers={"2.3": Answer("已完成", 100, "已完成。", evidence="见附件")}))
    plain = fill_return(issued_path(issued_ws, "市公安局"),
                        Filling(answers={"2.3": Answer("已完成", 100, "已完成。", evidence="见附件")}))
    a, b = read_return(fixed, "a.xlsx", Limits()), read_return(plain, "b.xlsx", Limits())
    # but 报送截止, which a reply gives as the day the correction is owed by (`feedback._owed_by`)
    assert a.labels.pop("报送截止").endswith("（改正后报送）")
    b.labels.pop("报送截止")
    assert a.labels == b.labels and a.label_cells == b.label_cells and a.header_row == b.header_row
    assert [(r.row, r.values) for r in a.rows] == [(r.row, r.values) for r in b.rows]
    drop(issued_ws, "市公安局_改.xlsx", fixed, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        latest = max(ledger.receipts(), key=lambda r: r.id)
    assert latest.outcome == "采纳" and latest.unit == "市公安局"


def test_banner_words():
    from toolkit.report import Report, make_issue

    def located(*codes):
        return [(make_issue(code, file="x.xlsx", sheet="进展填报", cell="H5", **_ARGS[code]), "H5") for code in codes]

    rep = Report("x.xlsx")
    assert banner_text(rep, located("W602")).startswith("校验反馈：已采纳。1处警告（标黄的单元格）请核实；")
    text = banner_text(rep, located("E601", "E601", "W602"))
    assert text.startswith("校验反馈：已退回。共2处错误（标红的单元格）须改正，1处警告（标黄的单元格）请核实；"), text


_ARGS = {"E601": {"task": "1.1", "value": 60}, "W602": {"task": "1.1", "status": "序时推进"}}


def test_unit_columns_fit_a_province_on_one_line(june, tmp_path):
    """单位明细's 单位 (16) broke 宁夏回族自治区人民政府 as …人民政 / 府; 报送情况's 报送文件 (34)
    doubled some rows where a name was just past it."""
    name = "宁夏回族自治区人民政府"
    unit = dataclasses.replace(june.units[0], unit=name)
    task = dataclasses.replace(june.tasks[0], leads=[name, *june.tasks[0].leads[1:]])
    path = tmp_path / "汇总表.xlsx"
    write_workbook(dataclasses.replace(june, units=[unit, *june.units[1:]], tasks=[task, *june.tasks[1:]]), path,
                   load_style())
    wb = load_workbook(path)
    for sheet in ("单位明细", "报送情况"):
        ws = wb[sheet]
        col = [c.value for c in ws[3]].index("单位") + 1
        width = ws.column_dimensions[ws.cell(3, col).column_letter].width
        assert 22 * 10 / 11 + 1 <= width <= 24, (sheet, width)


def test_chart_parts_are_well_formed(june, tmp_path):
    path = tmp_path / "汇总表.xlsx"
    base = june.units[0]
    many = [dataclasses.replace(base, unit=f"第{i}村") for i in range(63)]
    write_workbook(dataclasses.replace(june, units=many), path, load_style())
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 4
    load_workbook(io.BytesIO(path.read_bytes()))  # openpyxl still reads it


def test_a_workspace_copy_of_the_old_locked_fill_takes_the_new_one(tmp_path):
    """A workspace's 样式.toml is copied at init: its F2F2F2 was the shipped value, nobody's choice."""
    old, own = tmp_path / "old" / "样式.toml", tmp_path / "own" / "样式.toml"
    for path, fill in ((old, "F2F2F2"), (own, "EEEEEE")):
        path.parent.mkdir()
        path.write_text(f'[return]\nlocked_fill = "#{fill.lower()}"\nsize = 11\n', encoding="utf-8")
    assert load_style(old)["return"]["locked_fill"] == "D9D9D9"
    assert load_style(old)["return"]["size"] == 11  # the rest of the copy as it is
    assert load_style(own)["return"]["locked_fill"] == "#eeeeee"
