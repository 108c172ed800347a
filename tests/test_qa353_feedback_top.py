"""QA353 D: the 校验反馈 form of a refused return printed the period's 报送截止 at its top (7月5日),
while its 校验结果 sheet and the mail asked for the correction by a later date (7月13日): a
department reading the top saw a deadline long past. The top now gives the date the correction is
owed by; its 填报说明 names both."""

from __future__ import annotations

import datetime as dt

from conftest import drop, late, on_time, set_clock, shanghai
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.filling import Answer


def _form(ws, unit: str):
    (path,) = (ws.root / "反馈" / "2022年6月").glob(f"*/{unit}_校验反馈.xlsx")
    return load_workbook(path)


def _refused(issued_ws, make_return, when: float) -> None:
    data = make_return("石龙镇", **{"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")})  # E603
    drop(issued_ws, "石龙镇.xlsx", data, when)
    collect(issued_ws)


def test_a_form_sent_back_after_the_deadline_gives_the_date_it_is_owed_by_at_its_top(
        issued_ws, make_return, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 8))  # a Friday, past June's 5 July: 3 working days on
    _refused(issued_ws, make_return, late())
    wb = _form(issued_ws, "石龙镇")
    sheet = wb["进展填报"]
    assert sheet["H2"].value == "报送截止" and sheet["I2"].value == "2022年7月13日（改正后报送）"
    assert "于2022年7月13日前重新报送" in wb["校验结果"]["A2"].value
    guide = {r[0]: r[1] for r in wb["填报说明"].iter_rows(values_only=True)}
    assert guide["报送截止"] == ("本期报送已退回，请于2022年7月13日前将改正后的本表以 Excel 文件（.xlsx）"
                             "通过电子邮件重新报送（本期原报送截止日为2022年7月5日）。")
    # the form corrected and sent back is read as June's, by its _meta, not its top: accepted, on time
    assert "2022-07-05" in [c.value for c in wb["_meta"]["B"]]
    row = next(c.row for c in sheet["A"] if c.value == "1.2")
    problems = next(c.column for c in sheet[4] if c.value == "存在问题")
    sheet.cell(row, problems).value = "人员不足，正在协调。"
    corrected = issued_ws.root / "收件箱" / "石龙镇（改）.xlsx"
    wb.save(corrected)
    result = collect(issued_ws)
    assert (result.accepted, result.returned) == (1, 0)


def test_a_form_sent_back_well_before_the_deadline_keeps_it(issued_ws, make_return, monkeypatch):
    # Wednesday 29 June: three working days on (30 June, 1 and 4 July) are before the deadline,
    # by which the correction is owed
    set_clock(monkeypatch, dt.date(2022, 6, 29))
    _refused(issued_ws, make_return, shanghai(dt.datetime(2022, 6, 29, 10, 0)))
    sheet = _form(issued_ws, "石龙镇")["进展填报"]
    assert sheet["I2"].value == "2022年7月5日"


def test_a_form_sent_back_the_day_before_the_deadline_gives_the_working_days(issued_ws, make_return, monkeypatch):
    # Monday 4 July, due the 5th: owed by Thursday the 7th, three working days on, not by the next day (QA398)
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    _refused(issued_ws, make_return, on_time())
    wb = _form(issued_ws, "石龙镇")
    assert wb["进展填报"]["I2"].value == "2022年7月7日（改正后报送）"
    assert "于2022年7月7日前重新报送" in wb["校验结果"]["A2"].value
