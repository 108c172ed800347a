"""A file refused though sent on time, and a correction sent before the office collected it (QA264).

README: a correction by the date the reply to the refused file named (the deadline while it
is ahead, else `resubmit_working_days` working days from the day the office collected it) is
按时报送. 石龙镇 mails a bad file on 4 July (deadline 5 July) and, noticing, the corrected one on
8 July; the office collects both on 9 July. No reply was written, nor could the 8 July file
answer one: it is the town's own fix, after the deadline, and 逾期报送. A reviewer found the
verdict turned on how the office ran collect: one run taking both said 逾期, two runs one after
the other the same day 按时. Now only a correction sent after the refusal was collected answers
its reply, whatever the runs: 逾期 both ways; a correction sent after the collect, by the date
its reply (or, with none written, the collect's day) names, is 按时.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop
from test_evidence import LATE_NO_REASON, clean, mail, receipts

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays collects of a month: run in CI, out of the quick loop


def _mail_on(day: int, data: bytes, hour: int = 10, name: str = "石龙镇6月进展.xlsx") -> bytes:
    return mail([(name, data)], date=f"{day:02d} Jul 2022 {hour:02d}:00:00 +0800")


def _shilong(ws) -> tuple[str, str]:
    """石龙镇's 报送状态 and the day that decided it, as 报送情况 and `status` print them."""
    unit = next(u for u in consolidate(ws, PERIOD).units if u.unit == "石龙镇")
    return unit.state, unit.received_at[:10] if unit.received_at else ""


def _outcomes(ws) -> list[tuple[str, str]]:
    return [(r.outcome, r.received_at[:10]) for r in receipts(ws) if r.parent_id]


STILL_WRONG = {"1_2": Answer(status="滞后", progress=40, work="仍在推进", problems="")}  # E603 again


def test_refused_on_time_and_its_correction_in_one_run_is_late(run, issued_ws, make_return, collecting_on):
    """The reviewer's month: two mails, 4 and 8 July, collected together on 9 July; the status
    line and the 汇总表's 报送情况 say 逾期报送: the fix came after the deadline, unasked."""
    from openpyxl import load_workbook

    from toolkit.actions.merge import merge

    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    drop(issued_ws, "重报.eml", _mail_on(8, make_return("石龙镇", clean())))
    collecting_on(dt.date(2022, 7, 9))
    collect(issued_ws)
    assert not list((issued_ws.root / "反馈").rglob("*.eml"))  # one run taking both: no reply
    assert _outcomes(issued_ws) == [("退回", "2022-07-04"), ("采纳", "2022-07-08")]
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-08")
    first = run(["status"], cwd=issued_ws.root).stdout.splitlines()[0]
    assert "按时报送 0，逾期报送 1，" in first, first
    sheet = load_workbook(merge(issued_ws, PERIOD).path)["报送情况"]
    row = next(r for r in sheet.iter_rows(values_only=True) if "石龙镇" in r)
    assert "逾期报送" in row and "按时报送" not in row, row


def test_the_verdict_is_the_same_collected_in_two_runs_on_the_same_day(issued_ws, make_return, collecting_on):
    """The same two mails, collected one after the other on 9 July: 逾期 as in one run."""
    collecting_on(dt.date(2022, 7, 9))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(issued_ws)
    drop(issued_ws, "重报.eml", _mail_on(8, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-08")


def test_two_files_of_one_zip_in_one_mail_by_the_deadline_are_on_time(issued_ws, make_return, collecting_on):
    """Both in one mail of 4 July (the wrong one and the right one): the right one came on time."""
    drop(issued_ws, "报送.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", **LATE_NO_REASON)),
                                      ("石龙镇6月进展（改）.xlsx", make_return("石龙镇", clean()))],
                                     date="04 Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, 9))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.ON_TIME, "2022-07-04")


@pytest.mark.parametrize("refused, fixed, collected", [
    (5, 8, 12),  # refused on the deadline: a reply on the 12th would ask by the 15th, but the
                 # 8 July file answered no reply
    (6, 7, 9),   # refused, but sent after the deadline: the unit was late already
])
def test_a_correction_collected_with_the_refusal_is_late(issued_ws, make_return, collecting_on,
                                                          refused, fixed, collected):
    """Both collected in one run, whatever its day: 逾期 on the correction's day."""
    drop(issued_ws, "报送.eml", _mail_on(refused, make_return("石龙镇", **LATE_NO_REASON)))
    drop(issued_ws, "重报.eml", _mail_on(fixed, make_return("石龙镇", clean())))
    collecting_on(dt.date(2022, 7, collected))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.LATE, f"2022-07-{fixed:02d}")


def test_a_refusal_collected_without_a_reply_asks_from_its_collect(issued_ws, make_return, collecting_on):
    """Refused on 4 July, collected on 6 July with no reply written (``--no-feedback``): the
    date is still the one a reply that day would have named, 11 July; 8 July meets it, 12 July
    does not."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(issued_ws, feedback=False)
    assert not list((issued_ws.root / "反馈").rglob("*.eml"))
    collecting_on(dt.date(2022, 7, 12))
    drop(issued_ws, "重报.eml", _mail_on(8, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.ON_TIME, "2022-07-08")


def test_a_correction_after_the_date_the_reply_named_stays_late(issued_ws, make_return, collecting_on):
    """Refused on 4 July, collected and answered on 6 July (by 11 July), corrected on 12 July."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(issued_ws)
    assert list((issued_ws.root / "反馈").rglob("*.eml"))
    collecting_on(dt.date(2022, 7, 12))
    drop(issued_ws, "重报.eml", _mail_on(12, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-12")


def test_a_correction_refused_again_then_a_third_file_in_one_run(issued_ws, make_return, collecting_on):
    """Refused on 4 July, sent again wrong on 8 July, right on 11 July, all collected on 12 July:
    no reply went out before the 11 July file, which came after the deadline: 逾期."""
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    drop(issued_ws, "再报.eml", _mail_on(8, make_return("石龙镇", **STILL_WRONG)))
    drop(issued_ws, "重报.eml", _mail_on(11, make_return("石龙镇", clean())))
    collecting_on(dt.date(2022, 7, 12))
    collect(issued_ws)
    assert [o for o, _ in _outcomes(issued_ws)] == ["退回", "退回", "采纳"]
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-11")


def test_a_second_refusal_in_the_run_of_the_third_file_keeps_the_first_replys_date(
        issued_ws, make_return, collecting_on):
    """Refused on 4 July, answered on 6 July (by 11 July); sent wrong again on 8 July and right on
    13 July, both collected on 13 July: the 13 July file answered no reply to the second refusal,
    and came after the first reply's date: 逾期, as two runs that day would say."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 13))
    drop(issued_ws, "再报.eml", _mail_on(8, make_return("石龙镇", **STILL_WRONG)))
    drop(issued_ws, "重报.eml", _mail_on(13, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-13")


def test_a_correction_sent_after_the_refusal_was_collected_answers_its_reply(issued_ws, make_return, collecting_on):
    """Refused on 4 July, collected (and answered, by 11 July) on 6 July at 18:00; corrected the
    same evening at 20:00: 按时, as the reply asked. At 10:00 that day, before the collect, it
    would have answered nothing (the test above of 8 July's file)."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(issued_ws)
    drop(issued_ws, "重报.eml", _mail_on(6, make_return("石龙镇", clean()), hour=20))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.ON_TIME, "2022-07-06")
