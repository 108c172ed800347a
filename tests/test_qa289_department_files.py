"""Returns as departments really save them (QA289): ids Excel made numbers, percentages typed
the way people type them, forms re-saved by other programs.

A task id typed (or pasted) into a cell not formatted as text becomes a number: "1.10" is kept
as 1.1 and shown as 1.1, exactly like task 1.1. The row was read as a second 1.1: E403 told
the department to merge the two rows into one (losing 1.10's report) and E404 asked for 1.10.
Now the row's locked texts say which task it is; where they cannot, E403 says not to merge.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from conftest import edit

from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling, fill_return
from toolkit.master.model import Assignment, Master, Task
from toolkit.period import Period
from toolkit.returns import build_return
from toolkit.style import load_style
from toolkit.units import Directory, Unit, guess_kind
from toolkit.vocab import Role

PERIOD = Period(2022, 6)
UNIT, OTHER = "市教育局", "市卫健局"


def _master(ids_of: dict[str, list[str]]) -> Master:
    tasks, assignments = [], []
    for unit, ids in ids_of.items():
        for tid in ids:
            tasks.append(Task(tid, "一级任务", "二级任务", f"工作任务{tid}", f"具体工作内容{tid}", "2022年12月底前",
                              deadline=dt.date(2022, 12, 31)))
            assignments.append(Assignment(tid, unit, Role.LEAD))
    return Master("测试方案", tasks, assignments, Directory([Unit(u, guess_kind(u)) for u in ids_of]))


def _form(ws, master: Master, unit: str = UNIT) -> bytes:
    """``unit``'s form, each task filled with a progress of its own (1.10: 100 - 10 = 90 …)."""
    wb = build_return(master, unit, PERIOD, dt.date(2022, 7, 5), "测试方案", load_style(ws.template("样式.toml")))
    out = io.BytesIO()
    wb.save(out)
    answers = {t.id: Answer(status="序时推进", progress=_progress(t.id), work=f"任务{t.id}的进展")
               for t, _ in master.tasks_of(unit)}
    return fill_return(out.getvalue(), Filling(answers=answers))


def _progress(tid: str) -> int:
    return 99 - int(tid.rsplit(".", 1)[1])


def _as_numbers(wb, meta: bool = True) -> None:
    """Every task id retyped as a number, as Excel keeps "1.10" typed into a General cell."""
    sheet = wb["进展填报"]
    for r in range(5, sheet.max_row + 1):
        if isinstance(sheet.cell(r, 1).value, str):
            sheet.cell(r, 1).value = float(sheet.cell(r, 1).value)
    if not meta:
        del wb["_meta"]


def _check(ws, master: Master, data: bytes):
    return check_return(data, f"{UNIT}.xlsx", CheckContext(master, ws.limits, period=PERIOD))


@pytest.mark.parametrize("meta", [True, False])
def test_task_1_10_typed_as_a_number_is_read_by_its_row_not_as_a_second_1_1(ws, meta):
    master = _master({UNIT: [f"1.{i}" for i in range(1, 13)]})
    report = _check(ws, master, edit(_form(ws, master), lambda wb: _as_numbers(wb, meta)))
    assert [i.code for i in report.issues if i.is_error] == []
    assert {r.task: r.progress for r in report.rows} == {f"1.{i}": _progress(f"1.{i}") for i in range(1, 13)}


def test_1_10_as_a_number_on_a_form_without_1_1_is_1_10(ws):
    """1.1 is another unit's: the number 1.1 on 教育局's form can only be its own 1.10."""
    master = _master({OTHER: ["1.1"], UNIT: ["1.10", "1.11"]})
    report = _check(ws, master, edit(_form(ws, master), _as_numbers))
    assert [i.code for i in report.issues if i.is_error] == []
    assert {r.task: r.progress for r in report.rows} == {"1.10": 89, "1.11": 88}


def test_a_number_its_row_cannot_tell_stays_as_typed(ws):
    """1.1 and 1.10 both the unit's, and the row's task texts gone: which one the number is
    cannot be told, and the return is not taken on a guess."""
    master = _master({UNIT: ["1.1", "1.10"]})

    def numbers_without_texts(wb):
        _as_numbers(wb)
        sheet = wb["进展填报"]
        for r in (5, 6):
            for c in range(2, 6):
                sheet.cell(r, c).value = None

    report = _check(ws, master, edit(_form(ws, master), numbers_without_texts))
    [twice] = [i for i in report.issues if i.code == "E403"]
    # not E403's usual "请合并为一行": that would lose 1.10's report
    assert twice.message == ("任务 1.1 重复填报（另见第 5 行）。任务编号被存成了数字，1.1、1.10 都显示为 1.1：请勿合并，"
                             "请把任务编号列设为文本格式，按下发的填报表重新填写各行的任务编号。")
    assert [r.task for r in report.rows] == ["1.1"]


def test_the_reply_form_keeps_1_10s_report_in_1_10s_row(ws):
    """A return sent back for another reason: the form in the reply is refilled with what the
    department typed; 1.10's report went nowhere (its number's row, 1.1, was taken)."""
    from openpyxl import load_workbook

    from toolkit.feedback import build_feedback

    master = _master({UNIT: [f"1.{i}" for i in range(1, 12)]})

    def numbers_and_no_work(wb):
        _as_numbers(wb)
        wb["进展填报"]["J6"].value = None  # task 1.2's 工作进展: E506

    data = edit(_form(ws, master), numbers_and_no_work)
    report = _check(ws, master, data)
    assert [i.code for i in report.issues if i.is_error] == ["E506"]
    wb, _ = build_feedback(master, report, data, f"{UNIT}.xlsx", project="测试方案", due=dt.date(2022, 7, 5),
                           style=load_style(ws.template("样式.toml")), limits=ws.limits)
    out = io.BytesIO()
    wb.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["进展填报"]
    progress = {sheet.cell(r, 1).value: sheet.cell(r, 9).value for r in range(5, 16)}
    assert progress == {f"1.{i}": _progress(f"1.{i}") for i in range(1, 12)}


def test_a_department_checking_its_own_form_has_1_10_read_as_1_10(ws):
    """`duban check` outside a workspace builds the plan from the form's _meta and rows."""
    from toolkit.checks import master_from_return
    from toolkit.settings import DEFAULT_LIMITS

    master = _master({UNIT: [f"1.{i}" for i in range(1, 12)]})
    data = edit(_form(ws, master), _as_numbers)
    own = master_from_return(data, f"{UNIT}.xlsx", DEFAULT_LIMITS)
    assert own.task("1.10").content == "具体工作内容1.10"
    report = check_return(data, f"{UNIT}.xlsx", CheckContext(own, DEFAULT_LIMITS))
    assert [i.code for i in report.issues if i.is_error] == []
    assert {r.task: r.progress for r in report.rows} == {f"1.{i}": _progress(f"1.{i}") for i in range(1, 12)}



# ---------------------------------------------------------------------------
# E504 offers the number for a progress with the status or a stop typed beside it


@pytest.mark.parametrize(("typed", "meant"), [("100%（已完成）", 100), ("60%(序时推进)", 60), ("80%。", 80),
                                              ("８０％（正在推进）。", 80)])
def test_a_progress_with_its_status_beside_it_is_refused_with_its_number(issued_ws, make_return, typed, meant):
    data = make_return("石龙镇", Filling(answers={"4.3": Answer(status="序时推进", progress=typed, work="已完成方案起草。")}))
    report = check_return(data, "石龙镇.xlsx", CheckContext(issued_ws.load_master(), issued_ws.limits, period=PERIOD))
    (e504,) = [i for i in report.issues if i.code == "E504"]
    assert e504.message == f"任务 4.3 的完成进度“{typed}”不是 0—100 的整数。如指 {meant}%，请只填数字 {meant}。"
    assert not report.valid


def test_a_duration_typed_into_a_cell_is_quoted_as_the_cell_shows_it(issued_ws, make_return):
    """A cell formatted [h]:mm:ss (LibreOffice's and calamine's own date_1904 sample holds
    one) comes as a duration: its E504 quoted Python's English "1 day, 3:00:00"."""
    def duration(wb):
        cell = wb["进展填报"]["I6"]  # task 4.3's 完成进度
        cell.value, cell.number_format = dt.timedelta(days=1, hours=3), "[h]:mm:ss"

    data = edit(make_return("石龙镇", Filling(answers={"4.3": Answer(status="序时推进", progress=50,
                                                                    work="已完成方案起草。")})), duration)
    report = check_return(data, "石龙镇.xlsx", CheckContext(issued_ws.load_master(), issued_ws.limits, period=PERIOD))
    (e504,) = [i for i in report.issues if i.code == "E504"]
    assert e504.message == "任务 4.3 的完成进度“27:00:00”不是 0—100 的整数。请填写数字，如 80 表示 80%。"


# ---------------------------------------------------------------------------
# The 1904 date system: Mac Excel's and Numbers' default, kept by LibreOffice


def test_a_libreoffice_workbook_in_the_1904_date_system_reads_its_days():
    """tests/corpus/foreign/libreoffice-7.3_date1904.xlsx (calamine's tests/date_1904.xlsx):
    date1904="true" as LibreOffice spells it; read on the 1900 system, 2021-01-01 would be
    2016-12-31."""
    from conftest import ROOT

    from toolkit.returns import _sheet_rows
    from toolkit.settings import DEFAULT_LIMITS
    from toolkit.spreadsheet import open_spreadsheet

    data = (ROOT / "tests/corpus/foreign/libreoffice-7.3_date1904.xlsx").read_bytes()
    wb, kind = open_spreadsheet(data, "date1904.xlsx", DEFAULT_LIMITS)
    rows, _ = _sheet_rows(wb, "Sheet1", 10)
    assert kind == "xlsx"
    assert [r[0] for r in rows[:2]] == [dt.date(2021, 1, 1), dt.date(2021, 1, 2)]


def test_a_return_saved_in_the_1904_date_system_keeps_its_planned_dates(issued_ws, make_return):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def mac(wb):
        wb.epoch = CALENDAR_MAC_1904
        wb["进展填报"]["M5"].value = dt.date(2022, 8, 15)  # task 1.2's 预计完成时间

    data = edit(make_return("石龙镇", Filling(answers={"1.2": Answer(status="序时推进", progress=50,
                                                                    work="已完成方案起草。")})), mac)
    assert b'date1904="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    report = check_return(data, "石龙镇.xlsx", CheckContext(issued_ws.load_master(), issued_ws.limits, period=PERIOD))
    assert next(r.eta for r in report.rows if r.task == "1.2") == dt.date(2022, 8, 15)


@pytest.mark.parametrize("target", ["xls:MS Excel 97", "ods:calc8"])
def test_1_10_as_a_number_in_a_form_saved_as_xls_or_ods_is_1_10(ws, lo, tmp_path, target):
    """LibreOffice as the department's program: the numbers stay numbers in .xls and .ods."""
    master = _master({UNIT: [f"1.{i}" for i in range(1, 12)]})
    src = tmp_path / f"{UNIT}.xlsx"
    src.write_bytes(edit(_form(ws, master), _as_numbers))
    saved = lo(src, target, tmp_path / "lo")
    report = check_return(saved.read_bytes(), saved.name, CheckContext(master, ws.limits, period=PERIOD))
    assert [i.code for i in report.issues if i.is_error] == []
    assert {r.task: r.progress for r in report.rows} == {f"1.{i}": _progress(f"1.{i}") for i in range(1, 12)}
