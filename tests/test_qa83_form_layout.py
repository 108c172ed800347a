"""QA round 83: forms and 汇总表 of tables that fill only some of 一级任务, 二级任务 and 工作任务.

Only a table with none of the three (大竹's) had those columns hidden on its forms (QA 76). Most
county tables give 工作任务 alone (崇川's), 国办's 一级任务 and 工作任务, 潍坊's 一级任务 and
二级任务: their forms printed one or two empty columns, and their 汇总表 empty 一级任务/二级任务
columns on 任务汇总 and 单位明细. One rule now hides exactly the empty ones and lays rows 2-3
out in the columns left to see; forms issued before are read as they were.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.checks import CheckContext, check_return
from toolkit.feedback import build_feedback
from toolkit.filling import Answer, Filling, fill_return
from toolkit.form_layout import LAYOUT_WIDTHS, HeaderLayout, label_value_cells, lay_out, unused_columns
from toolkit.master.importer import import_master
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import HEADERS, SHEET, build_return, header_layout
from toolkit.settings import Limits
from toolkit.style import load_style

CORPUS = Path(__file__).parent / "corpus" / "masters"
CHONGCHUAN = CORPUS / "chongchuan_mssx_2023.docx"      # 工作任务 only
GUOBAN = CORPUS / "guoban_2018_126_tuiguang.docx"      # 一级任务 and 工作任务
WEIFANG = CORPUS / "weifang_zwgk_2017.docx"            # 一级任务 and 二级任务
DAZHU = CORPUS / "dazhu_mssx_2016.docx"                # none of the three
JUNE = Period(2023, 6)
CONTACT = {"填报人": "陆晓燕", "联系电话": "0513-85051234", "审核人": "顾建华", "填报日期": dt.date(2023, 7, 3)}
DONE = Answer(status="已完成", progress=100, work="已完成背街后巷交通组织优化。", evidence="崇城管〔2023〕12号")


@pytest.fixture(scope="module")
def masters():
    return {p.stem: import_master(p) for p in (CHONGCHUAN, GUOBAN, WEIFANG, DAZHU)}


def _form(master, unit: str, **kwargs) -> bytes:
    wb = build_return(master, unit, JUNE, dt.date(2023, 7, 5), "2023年区政府重点民生实事项目",
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2023, 7, 1), **kwargs)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(master, data: bytes, name: str = "城管局.xlsx"):
    return check_return(data, name, CheckContext(master, Limits(), period=JUNE))


def _hidden(sheet) -> list[str]:
    return [c.value for c in sheet[4] if sheet.column_dimensions[c.column_letter].hidden]


def test_the_layout_with_nothing_hidden_is_the_contracts():
    layout = lay_out()
    assert layout.info == {"填报单位": ("A2", "B2", "D2"), "填报期": ("E2", "F2", "G2"), "报送截止": ("H2", "I2", "J2")}
    assert layout.contact == {"填报人": ("A3", "B3", "D3"), "联系电话": ("E3", "F3", "G3"),
                              "审核人": ("H3", "I3", "J3"), "填报日期": ("K3", "L3", "L3")}
    assert layout.legends == (("K2", "N2"),) and lay_out(two_legends=True).legends == (("K2", "L2"), ("M2", "N2"))
    # laid out by the shipped widths, so the contract's cells hold for the office's own widths too
    shipped = load_style(resource("templates", "样式.toml"))["return"]["widths"]
    assert tuple(shipped[h] for h in HEADERS) == LAYOUT_WIDTHS


def test_which_title_columns_a_table_leaves_empty(masters):
    assert unused_columns(masters["chongchuan_mssx_2023"]) == ("level1", "level2", "deadline")
    assert unused_columns(masters["guoban_2018_126_tuiguang"]) == ("level2", "deadline")
    assert unused_columns(masters["weifang_zwgk_2017"]) == ("name", "deadline")
    assert unused_columns(masters["dazhu_mssx_2016"]) == ("level1", "level2", "name")
    assert unused_columns(import_master(Path(__file__).parent.parent / "workbooks" / "任务分工表.docx")) == ()


@pytest.mark.parametrize("stem, unit, hidden, cells", [
    # 崇川: 一级任务, 二级任务 and 完成时限 hidden; 填报单位's value takes D:E, the rest move on;
    # no due legend: the table gives no 完成时限
    ("chongchuan_mssx_2023", "城管局", ["一级任务", "二级任务", "完成时限"],
     {"A2": "填报单位", "D2": "城管局", "G2": "填报期", "H2": "2023年6月", "J2": "报送截止", "K2": "2023年7月5日",
      "L2": None, "A3": "填报人", "G3": "联系电话", "J3": "审核人", "L3": "填报日期"}),
    # 国办: 二级任务 hidden inside the value B2:D2, 完成时限 inside 填报期's G2:H2
    ("guoban_2018_126_tuiguang", "国务院国资委", ["二级任务", "完成时限"],
     {"A2": "填报单位", "B2": "国务院国资委", "E2": "填报期", "I2": "报送截止", "A3": "填报人", "E3": "联系电话",
      "I3": "审核人", "K3": "填报日期"}),
    # 潍坊: 工作任务 and 完成时限 hidden; 一级任务 and 二级任务 (23 wide) are too narrow for a unit's name
    ("weifang_zwgk_2017", "市发改委", ["工作任务", "完成时限"],
     {"A2": "填报单位", "B2": "市发改委", "G2": "填报期", "J2": "报送截止", "A3": "填报人", "G3": "联系电话"}),
    # 大竹: all three titles hidden, 填报单位 three hidden columns left of its value; its 完成时限 shown
    ("dazhu_mssx_2016", "县住建局", ["一级任务", "二级任务", "工作任务"],
     {"A2": "填报单位", "E2": "县住建局", "F2": "填报期", "I2": "报送截止", "A3": "填报人", "K3": "填报日期",
      "K2": "橙色底纹：完成时限在本期或之前的任务，请重点填报"}),
])
def test_a_form_hides_exactly_the_empty_title_columns(masters, stem, unit, hidden, cells):
    master = masters[stem]
    data = _form(master, unit)
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert _hidden(sheet) == hidden
    assert tuple(c.value for c in sheet[4]) == HEADERS  # hidden, not removed: the contract's header row
    assert {ref: sheet[ref].value for ref in cells} == cells
    # no label, value or legend left in a hidden column, nor the due legend squeezed (row 2 stays low)
    letters = {c.column_letter for c in sheet[4] if c.value in hidden}
    assert not any(sheet[f"{x}{r}"].value for x in letters for r in (2, 3))
    assert sheet.row_dimensions[2].height == 22
    # filled the way a department does: each contact value in the first cell to see right of its label
    filled = fill_return(data, Filling(default=DONE, contact=CONTACT))
    report = _check(master, filled, f"{unit}.xlsx")
    assert report.outcome == "采纳" and report.unit == unit and report.issues == [], report.issues
    assert report.contact == {"填报人": "陆晓燕", "联系电话": "0513-85051234", "审核人": "顾建华",
                              "填报日期": "2023-07-03"}, report.contact


def test_a_prefilled_form_gives_its_legends_the_height_they_need(masters):
    from toolkit.returns import Prefill

    master = masters["dazhu_mssx_2016"]
    sheet = load_workbook(io.BytesIO(_form(master, "县住建局", prefill={"1": Prefill(work="上月进展。")})))[SHEET]
    assert sheet["K2"].value.startswith("橙色底纹") and sheet["M2"].value.startswith("黄色底纹")
    assert {"K2:L2", "M2:N2"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert 22 < sheet.row_dimensions[2].height <= 34  # two lines in K:L, not five


def test_the_legends_say_only_what_the_form_shows(masters):
    """Row 2's due legend named orange rows a form did not have: 崇川's table gives no 完成时限,
    so its forms have no due legend, and a prefilled one gives the prefill legend the row's
    free columns; 大竹's July form, with nothing due by then, says so."""
    from toolkit.returns import Prefill

    sheet = load_workbook(io.BytesIO(_form(masters["chongchuan_mssx_2023"], "城管局",
                                           prefill={"24": Prefill(work="上月进展。")})))[SHEET]
    assert sheet["L2"].value == "黄色底纹：照录上月报送，请逐项更新" and "L2:N2" in {str(r) for r in sheet.merged_cells.ranges}
    assert not any("橙色" in str(c.value or "") for row in sheet.iter_rows(min_row=1, max_row=3) for c in row)
    plain = load_workbook(io.BytesIO(_form(masters["chongchuan_mssx_2023"], "城管局")))[SHEET]
    assert not any(plain[f"{x}2"].value for x in "LMN")
    dazhu = masters["dazhu_mssx_2016"]  # every dated task 12月底前
    wb = build_return(dazhu, "县住建局", Period(2016, 6), dt.date(2016, 7, 5), "2016年民生实事",
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2016, 7, 1))
    assert wb[SHEET]["K2"].value == "本期没有到期的任务" and wb[SHEET]["K2"].fill.fgColor.rgb in (None, "00000000")


def test_the_reply_to_a_form_puts_each_contact_value_where_it_is_seen(masters):
    master = masters["chongchuan_mssx_2023"]
    data = fill_return(_form(master, "城管局"), Filling(default=Answer(status="完成了吗"), contact=CONTACT))
    report = _check(master, data)
    wb, located = build_feedback(master, report, data, "城管局.xlsx", project="2023年区政府重点民生实事项目",
                                 due=dt.date(2023, 7, 5), style=load_style(resource("templates", "样式.toml")),
                                 limits=Limits())
    sheet = wb[SHEET]
    assert [sheet[c].value for c in ("D3", "H3", "K3")] == ["陆晓燕", "0513-85051234", "顾建华"]
    assert {k: c.coordinate for k, c in label_value_cells(sheet, CONTACT).items()} == \
        {"填报人": "D3", "联系电话": "H3", "审核人": "K3", "填报日期": "M3"}
    assert located and all(ref for _, ref in located)


# ---------------------------------------------------------------------------- forms issued before

#: 大竹's forms as QA 76 issued them: B:D hidden, 填报单位 in E2 and its value in F2:H2.
QA76_NARROW = HeaderLayout(
    (2, 3, 4),
    {"填报单位": ("E2", "F2", "H2"), "填报期": ("I2", "J2", "J2"), "报送截止": ("K2", "L2", "L2")},
    {"填报人": ("E3", "F3", "H3"), "联系电话": ("I3", "J3", "J3"), "审核人": ("K3", "L3", "L3"),
     "填报日期": ("M3", "N3", "N3")},
    (("M2", "N2"),))


@pytest.mark.parametrize("stem, unit, old", [
    ("chongchuan_mssx_2023", "城管局", lay_out()),              # every form before QA 76: nothing hidden
    ("guoban_2018_126_tuiguang", "国务院国资委", lay_out()),
    ("dazhu_mssx_2016", "县住建局", QA76_NARROW),
])
def test_a_form_issued_before_is_read_as_it_was(masters, monkeypatch, stem, unit, old):
    from toolkit import returns

    master = masters[stem]
    with monkeypatch.context() as m:
        m.setattr(returns, "header_layout", lambda master, two_legends=False: old)
        data = _form(master, unit)
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert sheet[old.info["填报单位"][1]].value == unit
    report = _check(master, fill_return(data, Filling(default=DONE, contact=CONTACT)), f"{unit}.xlsx")
    assert report.outcome == "采纳" and report.unit == unit and report.issues == [], report.issues
    assert report.contact["填报人"] == "陆晓燕" and report.contact["审核人"] == "顾建华"


# ---------------------------------------------------------------------------- 汇总表


def _headers(book: Path) -> dict[str, list]:
    wb = load_workbook(book, read_only=True)
    return {name: [c for c in next(wb[name].iter_rows(min_row=3, max_row=3, values_only=True)) if c]
            for name in ("任务汇总", "单位明细")}


@pytest.mark.parametrize("source, period, unit, kept, dropped", [
    (CHONGCHUAN, "2023-06", "城管局", [], ["一级任务", "二级任务"]),
    (GUOBAN, "2018-06", "国务院国资委", ["一级任务"], ["二级任务"]),
])
def test_the_summary_book_leaves_out_title_columns_empty_for_the_whole_table(tmp_path, source, period, unit,
                                                                               kept, dropped):
    ws, _ = init_workspace(tmp_path / "ws", source, period=period)
    p = Period(int(period[:4]), int(period[5:]))
    issue_returns(ws, p)
    (form,) = (ws.root / "下发" / p.label).glob(f"*_{unit}_*.xlsx")
    ws.inbox.mkdir(exist_ok=True)
    (ws.inbox / form.name).write_bytes(fill_return(form, Filling(default=DONE)))
    collect(ws, p, received=p.end + dt.timedelta(days=3))
    merge(ws, p)
    (book,) = (ws.root / "汇总" / p.label).glob("*_进展汇总表.xlsx")
    headers = _headers(book)
    for sheet in ("任务汇总", "单位明细"):
        assert headers[sheet][:len(kept) + 2] == ["任务编号", *kept, "工作任务"], headers[sheet]
        assert not set(dropped) & set(headers[sheet]), headers[sheet]


def test_an_empty_contact_is_reported_at_the_cell_the_department_sees(masters, seed_docx):
    """崇川's forms hide B:C; 填报人 stands in A3 and its value in D3. Left empty, W509 named B3,
    a hidden cell, in 校验问题 and on screen (review); it names D3, as the reply marks it."""
    master = masters["chongchuan_mssx_2023"]
    unit = master.units_with_tasks()[0]
    data = fill_return(_form(master, unit), Filling(default=DONE, contact={}))
    (w509,) = [i for i in _check(master, data).issues if i.code == "W509"]
    assert w509.cell == header_layout(master).contact["填报人"][1] == "D3"
    # the Dongguan form, nothing hidden: the cell right of the label, as before
    plain = import_master(seed_docx)
    assert not unused_columns(plain)
    unit = plain.units_with_tasks()[0]
    data = fill_return(_form(plain, unit), Filling(default=DONE, contact={}))
    (w509,) = [i for i in _check(plain, data).issues if i.code == "W509"]
    assert w509.cell == "B3"
