"""A unit 按时报送 by the reply's date, its 报送时间 after the deadline, says why (QA346).

README (报送时间和逾期): a file sent back (退回) though sent by the deadline, corrected by the date the
reply to it asked for (the deadline while it is ahead, else `resubmit_working_days` working days
from the day the office collected it), is 按时报送. 石龙镇 mails a file on the deadline, 5 July;
the office collects it on 6 July and sends it back, asking for the correction by Monday 11 July;
the town corrects it on 8 July. 报送情况 and `duban status --all` said "按时报送 … 2022-07-08" against
the 5 July deadline, with no reason: a coordinator, or a department reading the list, took duban
for wrong (QA342). Now 报送文件 says it, as it says whose time 报送时间 is when a later file is
merged, and so do `status`'s table, csv and json; nothing changes for any other unit.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import PERIOD, drop
from test_evidence import LATE_NO_REASON, clean, mail

from toolkit.actions.collect import collect
from toolkit.actions.status import status_rows
from toolkit.consolidate import UnitStatus, consolidate
from toolkit.filling import Answer
from toolkit.vocab import UnitState

NAME = "石龙镇6月进展.xlsx"
SAID = "退回后于退回意见要求的2022年7月11日前改报，算按时报送"


def _sent(ws, collecting_on, data: bytes, day: int, collected: int | None = None, name: str = "报送.eml") -> None:
    """A mail sent on ``day`` July at 10:00, collected on ``collected`` July (the same day by default)."""
    collecting_on(dt.date(2022, 7, collected or day))
    drop(ws, name, mail([(NAME, data)], date=f"{day:02d} Jul 2022 10:00:00 +0800"))
    collect(ws)


def _shilong(ws) -> UnitStatus:
    return next(u for u in consolidate(ws, PERIOD).units if u.unit == "石龙镇")


def _graced(ws, make_return, collecting_on, corrected: int = 8) -> None:
    """Sent on 5 July, sent back when collected on 6 July (by 11 July), corrected on ``corrected``."""
    _sent(ws, collecting_on, make_return("石龙镇", **LATE_NO_REASON), 5, collected=6)
    _sent(ws, collecting_on, make_return("石龙镇", clean()), corrected, name="重报.eml")


def test_a_correction_on_time_by_the_replys_date_says_so_beside_its_file(issued_ws, make_return, collecting_on):
    _graced(issued_ws, make_return, collecting_on)
    unit = _shilong(issued_ws)
    assert (unit.state, unit.received_at) == (UnitState.ON_TIME, "2022-07-08 10:00")
    assert unit.file_text == f"{NAME}（{SAID}）"
    (row,) = [r for r in status_rows(consolidate(issued_ws, PERIOD)) if r["单位"] == "石龙镇"]
    assert (row["报送状态"], row["报送时间"], row["报送文件"]) == ("按时报送", "2022-07-08 10:00", f"{NAME}（{SAID}）")


def test_a_correction_after_the_replys_date_is_late_and_says_nothing_of_it(issued_ws, make_return, collecting_on):
    _graced(issued_ws, make_return, collecting_on, corrected=12)
    unit = _shilong(issued_ws)
    assert (unit.state, unit.file_text) == (UnitState.LATE, NAME)


def test_a_correction_by_the_deadline_itself_says_nothing(issued_ws, make_return, collecting_on):
    """Sent back on 4 July, corrected on 5 July: on time by the deadline, no reply's date needed."""
    _sent(issued_ws, collecting_on, make_return("石龙镇", **LATE_NO_REASON), 4)
    _sent(issued_ws, collecting_on, make_return("石龙镇", clean()), 5, name="重报.eml")
    unit = _shilong(issued_ws)
    assert (unit.state, unit.received_at[:10], unit.file_text) == (UnitState.ON_TIME, "2022-07-05", NAME)


def test_an_update_after_the_correction_names_both_reasons(issued_ws, make_return, collecting_on):
    """The correction of 8 July decided 按时; an update of 20 July is merged: 报送文件 says whose time
    报送时间 is, and why that time is on time."""
    _graced(issued_ws, make_return, collecting_on)
    update = Answer(status="已完成", progress=100, work="已全部完成并通过验收。", evidence="东政数〔2022〕8号")
    _sent(issued_ws, collecting_on, make_return("石龙镇", **{"1_2": update}), 20, name="更新.eml")
    unit = _shilong(issued_ws)
    assert (unit.state, unit.received_at, unit.timed_by) == (UnitState.ON_TIME, "2022-07-08 10:00", NAME)
    assert unit.file_text.endswith(f"的时间；{SAID}）"), unit.file_text


def test_the_words_alone():
    assert UnitStatus("石龙镇", "镇街", 3, "按时报送", "2022-07-01 09:00", "石龙.xlsx").file_text == "石龙.xlsx"
    graced = UnitStatus("石龙镇", "镇街", 3, "按时报送", "2022-07-08 10:00", "石龙.xlsx", graced=SAID)
    assert graced.file_text == f"石龙.xlsx（{SAID}）"
    both = UnitStatus("石龙镇", "镇街", 3, "按时报送", "2022-07-08 10:00", "石龙.xlsx", timed_by="石龙.xlsx", graced=SAID)
    assert both.file_text == f"石龙.xlsx（再次报送；报送时间为第一份合格报送的时间；{SAID}）"


@pytest.mark.slow  # a merge and three status runs of a collected month
def test_the_summary_book_and_status_say_it(run, issued_ws, make_return, collecting_on):
    from openpyxl import load_workbook

    from toolkit.actions.merge import merge

    _graced(issued_ws, make_return, collecting_on)
    sheet = load_workbook(merge(issued_ws, PERIOD).path)["报送情况"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "单位")
    row = dict(zip(header, next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "石龙镇")))
    assert (row["报送状态"], row["报送时间"], row["报送文件"]) == ("按时报送", "2022-07-08 10:00", f"{NAME}（{SAID}）")
    table = run(["status", "--all"], cwd=issued_ws.root).stdout.splitlines()
    (line,) = [s for s in table if "石龙镇" in s]
    assert line.split()[0] == "按时报送" and line.endswith(f"2022-07-08 10:00  {SAID}"), line
    # any other on-time unit's line is as it was: no words after its time
    assert not any("改报" in s for s in table if "石龙镇" not in s), table
    units = json.loads(run(["status", "--format", "json"], cwd=issued_ws.root).stdout)["units"]
    assert next(u for u in units if u["单位"] == "石龙镇")["报送文件"] == f"{NAME}（{SAID}）"
    assert f"{NAME}（{SAID}）" in run(["status", "--format", "csv"], cwd=issued_ws.root).stdout
