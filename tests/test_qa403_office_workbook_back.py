"""QA403 (QA402's finding 3): the office's own reply workbook sent back unchanged is no return.

A town's return was refused (sent 5 July, collected the 6th: the reply asked the correction by the
11th). On the 8th its "Re: 【请修改后重新报送】" ("收到，我们正在修改") carried the office's
万江街道_校验反馈.xlsx back byte for byte: collect refused it again (E501 per task), wrote a new reply,
and that reply's later date made the correction of the 12th 按时 ("退回后于退回意见要求的…前改报").
Now any workbook the office wrote and sent (a form of 下发/, a reply's workbook, a 催报's attachment)
coming back byte for byte is the office's copy (`office_copies.SENT`): 重复, no reply, no new
refusal, no date moved, and said on collect's screen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop
from test_evidence import clean, mail, receipts, reply_path, state

from toolkit.actions.collect import collect
from toolkit.filling import Answer
from toolkit.mail import parse_mail
from toolkit.vocab import UnitState

UNIT = "石龙镇"
WRONG = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}  # E603


def _refused(ws, make_return, collecting_on) -> None:
    """``UNIT``'s wrong return sent 5 July, collected the 6th: its reply asks by the 11th."""
    drop(ws, "a.eml", mail([(f"{UNIT}.xlsx", make_return(UNIT, **WRONG))], date="Tue, 05 Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, 6))
    collect(ws)
    assert state(ws, UNIT) == UnitState.TO_FIX


def _sent_back(ws, collecting_on, name: str, data: bytes, day: int):
    drop(ws, f"re{day}.eml", mail([(name, data)], subject="Re: 【请修改后重新报送】石龙镇",
                                  date=f"Fri, {day:02d} Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, day))
    return collect(ws)


@pytest.mark.slow  # collects three times
def test_the_reply_workbook_sent_back_unchanged_moves_no_correction_date(issued_ws, make_return, collecting_on):
    _refused(issued_ws, make_return, collecting_on)
    first = reply_path(issued_ws, UNIT)
    workbook = first.with_suffix(".xlsx")
    result = _sent_back(issued_ws, collecting_on, workbook.name, workbook.read_bytes(), 8)
    assert result.returned == 0 and not result.feedback
    assert reply_path(issued_ws, UNIT) == first  # no new reply
    copy = next(r for r in receipts(issued_ws) if r.name == workbook.name)
    assert copy.outcome == "重复" and copy.unit == UNIT and "校验反馈表" in copy.note
    [line] = [text for name, text in result.disputed if name == workbook.name]
    assert "督办部门发给该单位的校验反馈表" in line and "改报日期不变" in line
    assert state(issued_ws, UNIT) == UnitState.TO_FIX
    # the correction of the 12th: late against the only reply's date (the 11th)
    drop(issued_ws, "c.eml", mail([(f"{UNIT}改.xlsx", make_return(UNIT, clean()))],
                                  date="Tue, 12 Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, 12))
    collect(issued_ws)
    assert state(issued_ws, UNIT) == UnitState.LATE


@pytest.mark.slow  # collects twice and writes reminders
def test_a_reminders_attachment_sent_back_unchanged_is_no_return(issued_ws, make_return, collecting_on):
    from toolkit.actions.remind import write_reminders

    _refused(issued_ws, make_return, collecting_on)
    collecting_on(dt.date(2022, 7, 13))  # past the reply's date: the workbook attached says 尽快
    reminders = write_reminders(issued_ws, attach=True)
    eml = next(p for p in reminders.files if UNIT in p.name)
    [att] = [a for a in parse_mail(eml.read_bytes()).attachments if a.name.endswith("_校验反馈.xlsx")]
    assert att.data != reply_path(issued_ws, UNIT).with_suffix(".xlsx").read_bytes()  # said as of today
    result = _sent_back(issued_ws, collecting_on, att.name, att.data, 15)
    assert result.returned == 0 and not result.feedback
    copy = next(r for r in receipts(issued_ws) if r.name == att.name)
    assert copy.outcome == "重复" and "催报邮件" in copy.note
    assert state(issued_ws, UNIT) == UnitState.TO_FIX


def test_a_filled_return_is_no_copy_of_any_sent_file(issued_ws, make_return, collecting_on):
    """A unit's own file, however near the office's in size, is checked as ever."""
    drop(issued_ws, "a.eml", mail([(f"{UNIT}.xlsx", make_return(UNIT, clean()))]))
    result = collect(issued_ws)
    assert result.accepted == 1 and not [r for r in receipts(issued_ws) if r.outcome == "重复"]
