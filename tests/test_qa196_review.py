"""QA196 review of f178df5: the double-click's June 补报 and mails too big to fetch.

东莞's office, June and July 2022 (as tests/test_qa190_double_click.py): 石碣镇 owes June,
石龙镇's mail was too big. Each xfail is a problem found; the plain tests are what was checked right.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail, state
from test_qa190_double_click import CST, JULY, july_issued, june_late, too_big
from test_renamed_units import rename

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow


def notes(run, ws, period="2022-06"):
    status = run(["status", "--period", period, "--format", "json"], cwd=ws.root)
    return status.exit_code, json.loads(status.stdout)["notes"]


# ---------------------------------------------------------------------------
# (1) the double-click files a June 补报 under June


def test_a_june_return_mailed_before_junes_deadline_and_fetched_by_julys_run_is_on_time(
        issued_ws, make_return, monkeypatch):
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    drop(issued_ws, "石碣镇.eml", mail([("2022年6月_石碣镇_进展填报表.xlsx", make_return("石碣镇", clean()))],
                                     sender="sj@dg.gov.cn", subject="石碣镇6月进展",
                                     date="Mon, 04 Jul 2022 10:00:00 +0800"))
    collect(issued_ws, JULY, file_owed=True)
    assert state(issued_ws, "石碣镇") == UnitState.ON_TIME
    assert state(issued_ws, "石碣镇", "2022-07") == UnitState.NOT_REPORTED


def test_a_june_correction_of_a_unit_that_reported_june_replaces_nothing(issued_ws, make_return, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    drop(issued_ws, "石碣镇6.eml", mail([("石碣镇6月.xlsx", make_return("石碣镇", clean()))], sender="sj@dg.gov.cn"))
    collect(issued_ws)
    before = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "石碣镇").received_at
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    june_late(issued_ws, make_return)
    result = collect(issued_ws, JULY, file_owed=True)
    assert not result.superseded and not result.elsewhere
    after = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "石碣镇")
    assert (after.state, after.received_at) == (UnitState.ON_TIME, before)


def test_two_june_returns_of_a_unit_in_one_run_are_both_junes(issued_ws, make_return, monkeypatch):
    """The 补报 and its corrected resend fetched together: neither is July's 退回待改."""
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    june_late(issued_ws, make_return)
    drop(issued_ws, "石碣镇补报2.eml", mail([("石碣镇6月更正.xlsx", make_return("石碣镇", clean()))],
                                         sender="sj@dg.gov.cn", subject="石碣镇6月进展补报（更正）",
                                         date="Tue, 12 Jul 2022 11:00:00 +0800"))
    collect(issued_ws, JULY, file_owed=True)
    assert state(issued_ws, "石碣镇") == UnitState.LATE
    assert state(issued_ws, "石碣镇", "2022-07") == UnitState.NOT_REPORTED


def test_a_june_correction_of_a_renamed_unit_that_reported_june_stays_refused(issued_ws, make_return, monkeypatch):
    """石碣镇 reported June, then is renamed 石碣镇人民政府: its June resend is a 重报, not a 补报."""
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    drop(issued_ws, "石碣镇6.eml", mail([("石碣镇6月.xlsx", make_return("石碣镇", clean()))], sender="sj@dg.gov.cn"))
    collect(issued_ws)
    july_issued(issued_ws, monkeypatch)
    rename(issued_ws, "石碣镇", "石碣镇人民政府")
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    june_late(issued_ws, make_return)
    result = collect(issued_ws, JULY, file_owed=True)
    assert not result.superseded and not result.elsewhere


# ---------------------------------------------------------------------------
# (2) a mail too big to fetch


def test_a_slim_resend_before_the_deadline_clears_the_line_and_is_on_time(issued_ws, make_return, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    drop(issued_ws, "石龙镇重发.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))],
                                       date="Tue, 05 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    collect(issued_ws)
    _code, said = notes(run, issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME
    assert not [n for n in said if "石龙镇" in n]


def test_the_line_is_one_chinese_line_with_time_and_size(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 2, 0, tzinfo=dt.timezone.utc))  # 10:00 in 东莞
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = notes(run, issued_ws)
    (line,) = [n for n in said if "石龙镇" in n]
    assert code == 1 and "\n" not in line and "1.8 MB" in line and "2022-07-04 10:00 收到" in line


def test_a_too_big_mail_whose_subject_names_the_sending_month_is_said_under_june(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), subject="石龙镇7月报送材料（含现场照片）")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "石龙镇" in n and "未报送" in n]


def test_a_too_big_mail_whose_subject_names_the_wrong_month_is_said_under_june(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), subject="石龙镇5月进展填报")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "石龙镇" in n]


def test_a_too_big_mail_of_no_known_unit_is_said_while_units_are_not_reported(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), sender="zhang.wei@163.com",
            subject="6月进展填报表")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "zhang.wei@163.com" in n]


def test_a_too_big_mail_of_a_unit_renamed_after_june_is_said_under_june(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    july_issued(issued_ws, monkeypatch)
    rename(issued_ws, "石龙镇", "石龙镇人民政府")
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    units = {u.unit: u.state for u in consolidate(issued_ws, PERIOD).units}
    assert UnitState.NOT_REPORTED in (units.get("石龙镇"), units.get("石龙镇人民政府"))
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "石龙镇" in n and "未报送" in n]


def test_a_refused_file_sent_earlier_the_same_day_leaves_the_line(issued_ws, make_return, monkeypatch, run):
    """`answered` compares text: a file of 08:00 is not an answer to the mail of 10:00."""
    drop(issued_ws, "石龙镇说明.eml", mail([("说明.docx", b"PK\x03\x04 not a return")],
                                       date="Mon, 04 Jul 2022 08:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    collect(issued_ws)
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    if state(issued_ws, "石龙镇") != UnitState.NOT_REPORTED:
        pytest.skip("the refused file made 石龙镇 退回待改")
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "石龙镇" in n]
