"""A correction after a refusal, judged by when it came against when the refusal was collected (QA268).

README (报送时间和逾期): a file refused though sent on time may be corrected by the date its
reply named and be 按时报送, but only a correction sent after the office collected the refused
file answers the reply; one sent before is the unit's own fix, judged by the deadline. These
tests hold that comparison to the office's clock: the reply written days after the collect,
a unit's clock a few minutes behind, a machine left in another zone than the workspace's,
a file in the office's hands by the collect, and the weak times the office is asked about.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, shanghai, status_notes
from test_evidence import LATE_NO_REASON, clean, mail
from test_renamed_units import collect_without_replies
from test_review_qa226 import _refused_saved_late, _unit

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays collects of a month: run in CI, out of the quick loop

FAR_EAST, FAR_WEST = "Etc/GMT-14", "Etc/GMT+12"


def _mail_on(day: int, data: bytes, at: str = "10:00") -> bytes:
    return mail([("石龙镇6月进展.xlsx", data)], date=f"{day:02d} Jul 2022 {at}:00 +0800")


def _shilong(ws) -> tuple[str, str]:
    unit = next(u for u in consolidate(ws, PERIOD).units if u.unit == "石龙镇")
    return unit.state, unit.received_at[:16] if unit.received_at else ""


def _refused_on_4_july_collected_on_6_july(ws, make_return, collecting_on) -> None:
    """Sent on 4 July (deadline 5 July), refused and answered on 6 July at 18:00: by 11 July."""
    collecting_on(dt.date(2022, 7, 6))
    drop(ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect(ws)


@pytest.mark.parametrize("how", ["owed", "stopped"])
def test_a_correction_between_the_collect_and_a_reply_written_later_answers_it(
        issued_ws, make_return, collecting_on, monkeypatch, how):
    """Refused on 6 July, its reply written only on 8 July (asking by 13 July); the town,
    knowing, corrected on 7 July: after the office had the file, within the date: 按时."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    collect_without_replies(issued_ws, monkeypatch, how)
    collecting_on(dt.date(2022, 7, 8))
    collect(issued_ws)  # the reply is written now
    assert list((issued_ws.root / "反馈").rglob("*.eml"))
    drop(issued_ws, "重报.eml", _mail_on(7, make_return("石龙镇", clean()), at="20:00"))
    collecting_on(dt.date(2022, 7, 9))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.ON_TIME, "2022-07-07 20:00")


@pytest.mark.parametrize("zone, at, state", [
    # collected at 18:00 and answered at once; the town corrected at 18:05 by the office's clock,
    # its own five minutes behind: the mail says 17:59. It answered the reply: 按时, not 逾期 in
    # the 通报 for five minutes of someone's clock
    (None, "17:59", UnitState.ON_TIME),
    # sent four hours before the office collected the refused file: no reply could have asked
    # it; after the deadline, 逾期
    (None, "14:00", UnitState.LATE),
    # the machine in another zone than the workspace's (Asia/Shanghai): the collect is read on
    # the workspace's clock, not the machine's (5 July 22:00 there; 7 July 00:00 there)
    (FAR_WEST, "12:00", UnitState.LATE),
    (FAR_EAST, "20:00", UnitState.ON_TIME),
])
def test_a_correction_on_the_collects_day_answers_the_reply_by_the_offices_clock(
        issued_ws, make_return, collecting_on, machine_tz, zone, at, state):
    """The refused file collected at 18:00 Beijing time on 6 July; the correction dated that day."""
    if zone:
        machine_tz(zone)
    _refused_on_4_july_collected_on_6_july(issued_ws, make_return, collecting_on)
    drop(issued_ws, "重报.eml", _mail_on(6, make_return("石龙镇", clean()), at=at))
    collecting_on(dt.date(2022, 7, 7))
    collect(issued_ws)
    assert _shilong(issued_ws) == (state, f"2022-07-06 {at}")


def test_a_correction_collected_in_the_refusals_run_never_answers_its_reply(
        issued_ws, make_return, collecting_on):
    """Both mails collected together at 18:00 on 9 July, the correction's Date 18:30 (the
    town's clock ahead): it was in the office's hands when the refused file was collected, so
    it answered no reply. 逾期, as with a Date of 8 July (QA264)."""
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    drop(issued_ws, "重报.eml", _mail_on(9, make_return("石龙镇", clean()), at="18:30"))
    collecting_on(dt.date(2022, 7, 9))
    collect(issued_ws)
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-09 18:30")


def test_a_day_stated_for_a_correction_collected_with_the_refusal_answers_no_reply(
        issued_ws, make_return, collecting_on):
    """The refused mail of 4 July and the correction saved into 收件箱 by hand, collected
    together on 9 July with --received 2022-07-09: the stated day is the collect's, but the
    file was there when the refusal was collected. 逾期."""
    drop(issued_ws, "报送.eml", _mail_on(4, make_return("石龙镇", **LATE_NO_REASON)))
    drop(issued_ws, "石龙镇6月进展（改）.xlsx", make_return("石龙镇", clean()),
         shanghai(dt.datetime(2022, 7, 9, 9, 0)))
    collecting_on(dt.date(2022, 7, 9))
    collect(issued_ws, received=dt.date(2022, 7, 9))
    assert _shilong(issued_ws) == (UnitState.LATE, "2022-07-09 00:00")


def test_a_day_stated_for_a_correction_collected_later_the_collects_day_answers(
        issued_ws, make_return, collecting_on):
    """The correction saved by hand and collected on 7 July, stated as received on 6 July, the
    day of the refusal's collect: it may have come after 18:00; the benefit is the unit's."""
    _refused_on_4_july_collected_on_6_july(issued_ws, make_return, collecting_on)
    drop(issued_ws, "石龙镇6月进展（改）.xlsx", make_return("石龙镇", clean()),
         shanghai(dt.datetime(2022, 7, 7, 9, 0)))
    collecting_on(dt.date(2022, 7, 7))
    collect(issued_ws, received=dt.date(2022, 7, 6))
    assert _shilong(issued_ws) == (UnitState.ON_TIME, "2022-07-06 00:00")


def test_a_weakly_timed_refusal_is_not_asked_about_when_the_correction_came_before_its_collect(
        issued_ws, make_return, monkeypatch, run):
    """A damaged file saved into 收件箱 on 6 July at 09:00 (its time a file's, weak) and collected
    at 18:00; the correction mailed at 12:00 that day, before. Whatever day the office stated
    for the refused file, the correction answered no reply: 逾期 stands, and the office is not
    asked about the refused file (an answer could change nothing; QA231's question)."""
    _refused_saved_late(issued_ws, make_return, monkeypatch, run, "Wed, 06 Jul 2022 12:00:00 +0800",
                        dt.date(2022, 7, 7))
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-06 12:00")
    assert not [n for n in status_notes(run, issued_ws)[1] if "石龙镇" in n]
