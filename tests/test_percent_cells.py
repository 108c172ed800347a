"""A 1 in 完成进度 is "100%" when the cell shows a percentage, and 1 % when it does not.

Excel, WPS and LibreOffice store "100%" typed into a cell as 1 and give the cell a percent
format; calamine reads the 1 without the format (`toolkit.cell_formats`). Before, a row not
marked 已完成 with "100%" typed went into the 汇总表 as 1 %.
"""

from __future__ import annotations

import pytest
from conftest import edit

from toolkit import cell_formats
from toolkit.cell_formats import percent_cells, shows_percent
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.period import Period

ON_TRACK = Answer(status="序时推进", progress=50, work="已完成方案起草，正在征求意见。")


def check(ws, data: bytes, name: str = "石龙镇.xlsx"):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


def typed(value, number_format: str):
    """What the office suite keeps in 石龙镇's cell I5 (task 1.2's 完成进度)."""
    def change(wb):
        cell = wb["进展填报"]["I5"]
        cell.value, cell.number_format = value, number_format
    return change


def progress_of(report, task: str = "1.2"):
    return next(r for r in report.rows if r.task == task).progress


def test_100_percent_typed_in_a_row_not_done_is_100_and_its_status_is_questioned(issued_ws, make_return):
    form = make_return("石龙镇", Filling(answers={"1.2": ON_TRACK}))
    as_typed = check(issued_ws, edit(form, typed(1, "0%")))
    one = check(issued_ws, edit(form, typed(1, "0")))
    assert progress_of(as_typed) == 100
    assert progress_of(one) == 1
    # 100 in a row marked 序时推进 is asked about (W602), as if 100 had been typed
    assert sorted(i.code for i in as_typed.issues) == sorted([i.code for i in one.issues] + ["W602"])


@pytest.mark.parametrize("number_format", ['0"%"', "0\\%", "0", "General"])
def test_a_1_shown_without_a_percentage_stays_1(issued_ws, make_return, number_format):
    form = make_return("石龙镇", Filling(answers={"1.2": ON_TRACK}))
    assert progress_of(check(issued_ws, edit(form, typed(1, number_format)))) == 1


@pytest.mark.parametrize("number_format, percent", [
    ("0%", True), ("0.00%", True), ("0%;-0%", True), ("[Red]0%", True), ('"完成"0%', True),
    ('0"%"', False), ("0\\%", False), ("0", False), ("General", False), ("", False), (None, False),
    ('[$-804]0"%"', False), ("0%_)", True), ("0_%", False), ("0*%", False),
])
def test_which_formats_show_a_percentage(number_format, percent):
    assert shows_percent(number_format) is percent


def test_a_workbook_openpyxl_cannot_read_keeps_its_values():
    assert percent_cells(b"PK\x03\x04 not really a workbook", "进展填报", [(5, 9)]) == set()


def test_a_form_without_a_1_never_opens_the_workbook_again(issued_ws, make_return, monkeypatch):
    def opened(*args):
        raise AssertionError("a second read was not needed")

    monkeypatch.setattr(cell_formats, "percent_cells", opened)
    report = check(issued_ws, make_return("石龙镇", Filling(answers={"1.2": ON_TRACK})))
    assert progress_of(report) == 50


def test_libreoffice_keeps_the_percentage_it_was_given(lo, issued_ws, make_return, tmp_path):
    """LibreOffice as the third-party writer: its own styles.xml, its own format codes."""
    def two_ones(wb):
        sheet = wb["进展填报"]
        sheet["I5"].value, sheet["I5"].number_format = 1, "0%"  # task 1.2: "100%"
        sheet["I6"].value, sheet["I6"].number_format = 1, "0"  # task 4.3: 1 %

    src = tmp_path / "石龙镇.xlsx"
    src.write_bytes(edit(make_return("石龙镇", Filling(answers={"1.2": ON_TRACK, "4.3": ON_TRACK})), two_ones))
    saved = lo(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    report = check(issued_ws, saved.read_bytes(), saved.name)
    assert (progress_of(report, "1.2"), progress_of(report, "4.3")) == (100, 1)
