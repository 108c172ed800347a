"""QA round 71: what departments do to a return that an office would still take, and a
reply whose cells are those of the workbook it sends back."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
from conftest import PERIOD, drop, edit, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.dates import parse_planned_date
from toolkit.filling import Answer, Filling

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")


def clean_filling() -> Filling:
    """Answers that raise no issue for 石龙镇 (its only task due by June is 1.2)."""
    return Filling(answers={"1.2": DONE})


def check(ws, data: bytes, name: str = "石龙镇.xlsx"):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=PERIOD))


def test_a_serial_number_column_in_front_is_not_taken_for_the_task_ids(issued_ws, make_return):
    # Government tables start with 序号: a unit puts one in front of 任务编号 and numbers its
    # rows 1, 2, 3 … Taken for the task ids, every row was E401 and every task E404.
    def number_the_rows(wb):
        ws = wb["进展填报"]
        ws.protection.sheet = False
        ws.insert_cols(1)
        ws["A4"] = "序号"
        for n, r in enumerate(range(5, ws.max_row + 1), start=1):
            ws.cell(r, 1).value = n

    reference = check(issued_ws, make_return("石龙镇", clean_filling()))
    report = check(issued_ws, edit(make_return("石龙镇", clean_filling()), number_the_rows))
    assert report.outcome == "采纳" and {i.code for i in report.issues} == {"W302"}
    assert [r.to_dict() | {"progress_cell": ""} for r in report.rows] == \
        [r.to_dict() | {"progress_cell": ""} for r in reference.rows]
    # one W302 for the inserted column, not one per shifted column (see test_qa74_columns)
    [moved] = report.issues
    assert moved.cell == "A4" and "“序号”列" in moved.message


@pytest.mark.parametrize("typed, expected", [
    ("2022年底前", dt.date(2022, 12, 31)), ("2022年7月底", dt.date(2022, 7, 31)),
    ("2022年12月31日前", dt.date(2022, 12, 31)), ("2022年三季度", dt.date(2022, 9, 30)),
    ("2022.9.30.", dt.date(2022, 9, 30)), ("7月底", dt.date(2022, 7, 31)), ("9月30日", dt.date(2022, 9, 30)),
])
def test_a_planned_date_written_as_a_deadline_is_read(issued_ws, make_return, typed, expected):
    # 完成时限 says 2022年底前 and the unit copies it into 预计完成时间: 2022年9月 was read,
    # 2022年7月底 was "not a date" (E505) and the return sent back.
    report = check(issued_ws, make_return("石龙镇", clean_filling(), **{"4_3": Answer(eta=typed)}))
    assert report.issues == []
    assert next(r for r in report.rows if r.task == "4.3").eta == expected


def test_a_day_without_its_year_is_the_next_such_day():
    assert parse_planned_date("1月底", dt.date(2022, 12, 1)) == dt.date(2023, 1, 31)
    assert parse_planned_date("12月底", dt.date(2022, 12, 1)) == dt.date(2022, 12, 31)
    assert parse_planned_date("7月底") is None  # no period to take a year from
    for junk in ("底", "30", "44834", "下个月", "长期"):
        assert parse_planned_date(junk, dt.date(2022, 6, 1)) is None, junk


def test_a_planned_date_where_none_is_owed_is_read_as_blank(issued_ws, make_return):
    report = check(issued_ws, make_return("石龙镇", clean_filling(), **{
        "1_2": Answer(status="已完成", progress=100, work="已完成。", evidence="东政数〔2022〕8号", eta="已完成"),
        "7_2": Answer(eta="长期坚持"),   # 7.2 is 长期开展
        "4_3": Answer(eta="／"), "5_1": Answer(eta="无")}))
    assert report.issues == []
    assert all(r.eta is None for r in report.rows if r.task in ("1.2", "7.2", "4.3", "5.1"))


def test_ongoing_words_for_a_task_with_a_deadline_are_still_asked_for_a_date(issued_ws, make_return):
    report = check(issued_ws, make_return("石龙镇", clean_filling(), **{"4_3": Answer(eta="长期")}))
    assert [(i.code, i.task) for i in report.issues] == [("E505", "4.3")]


def test_the_reply_names_the_cells_of_the_workbook_it_sends_back(issued_ws, make_return):
    # The unit inserted a blank row under its first task and a 序号 column: the mail named the
    # cells of its own file, the attached workbook (to fix and send back) marks others.
    def rearranged(wb):
        ws = wb["进展填报"]
        ws.protection.sheet = False
        ws.insert_rows(6)
        ws.insert_cols(1)
        ws["A4"] = "序号"

    data = edit(make_return("石龙镇", clean_filling(), **{"4_3": Answer(status="滞后", problems="")}), rearranged)
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    collect(issued_ws)
    (eml,) = (issued_ws.root / "反馈").rglob("石龙镇_校验反馈.eml")
    body = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default).get_body(("plain",)).get_content()
    book = load_workbook(eml.with_suffix(".xlsx"))
    marked = [r for r in book["校验结果"].iter_rows(min_row=4, values_only=True) if r[2] == "E603"]
    assert [r[3] for r in marked] == ["K6"]  # 存在问题 of 4.3, the second task, as issued
    assert book["进展填报"]["A6"].value == "4.3" and book["进展填报"]["K6"].comment is not None
    assert "1. K6：任务 4.3 状态为“滞后”" in body
    assert "L8" not in body  # where it was in the unit's own file
    assert "B4：" not in body  # 任务编号 is back in column A of the attachment


def test_a_status_typed_as_in_progress_of_the_dropdown_word_is_read():
    """序时推进中 (the dropdown's word with 中) was E502 and sent the return back (QA helper)."""
    from toolkit.typed_values import parse_status
    from toolkit.vocab import Status

    assert parse_status("序时推进中")[0] == Status.ON_TRACK


def test_outlooks_winmail_dat_is_refused_with_how_to_send_it_again(issued_ws):
    """Outlook's rich-text mail packs the attachments into winmail.dat (TNEF): the unit is
    退回待改 as before, and its reply now says why and how to send the form so it can be read
    (it said only 不支持的文件格式“.dat”, and the department could not tell what it did wrong)."""
    from test_evidence import mail, receipts, set_email, state

    from toolkit.ledger import Ledger
    from toolkit.vocab import UnitState

    set_email(issued_ws, 石龙镇="sl@example.cn")
    tnef = b"\x78\x9f\x3e\x22" + b"\x00" * 64
    drop(issued_ws, "报送.eml", mail([("winmail.dat", tnef)], sender="sl@example.cn"))
    collect(issued_ws)
    [attachment] = [r for r in receipts(issued_ws) if r.name == "winmail.dat"]
    with Ledger(issued_ws.ledger_path) as ledger:
        [issue] = ledger.issues_of(attachment.id)
    assert issue.code == "E103" and "Outlook" in issue.message and "HTML 或纯文本" in issue.message
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX
