"""QA helper 73: the date a reply to a refused return asks for, as the verdict reads it.

A correction by the date the office's own reply named is 按时报送 (`on_time.timeliness`).
That date must be the one the reply really said: the reply is written the day it is written
(a failed or stopped run's reply a later day), against the deadline of the unit's own form
(a unit renamed since under its old name)."""

from __future__ import annotations

import datetime as dt
import email.policy

import pytest
from conftest import drop
from test_evidence import LATE_NO_REASON, clean, mail, state
from test_renamed_units import NEW, OLD, collect_without_replies, rename

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.vocab import UnitState


def _mail_on(day: int, data: bytes, unit: str = "石龙镇") -> bytes:
    return mail([(f"{unit}6月进展.xlsx", data)], date=f"{day:02d} Jul 2022 10:00:00 +0800")


def _replies(ws) -> list[str]:
    out = []
    for eml in sorted((ws.root / "反馈").rglob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        out.append(message.get_body(("plain",)).get_content())
    return out


@pytest.mark.parametrize("how", ["owed", "stopped"])
def test_a_correction_by_the_date_a_reply_written_late_asked_for_is_on_time(
        issued_ws, make_return, collecting_on, monkeypatch, how):
    """Sent on the deadline (5 July), refused on 6 July, but its reply not written (the disk
    was full, or the run was stopped): the next collect, on Friday 8 July, writes it and
    asks for the correction by Wednesday 13 July. The town corrected on 12 July, as the
    reply asked, and stood 逾期报送: the verdict counted from the day of the refusal (11 July)."""
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(5, make_return("石龙镇", **LATE_NO_REASON)))
    collect_without_replies(issued_ws, monkeypatch, how)
    collecting_on(dt.date(2022, 7, 8))
    collect(issued_ws)  # the reply is written now
    [reply] = _replies(issued_ws)
    assert "于2022年7月13日前以附件文件重新报送" in reply
    collecting_on(dt.date(2022, 7, 12))
    drop(issued_ws, "重报.eml", _mail_on(12, make_return("石龙镇", clean())))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_renamed_units_reply_asks_by_its_own_forms_deadline(issued_ws, make_return, collecting_on):
    """Its form issued again under its old name with a later deadline (12 July), the unit
    renamed since (the old name an alias): a file sent 8 July and refused that day was
    answered as if the period's deadline (5 July) were its own, 'by 13 July', while the
    verdict held it to 12 July. The reply must ask by the deadline the verdict applies: of a
    file refused on Wednesday 6 July, its own 12 July, later than three working days after
    the refusal (11 July, what the period's deadline would give: `dates.resubmit_by`, QA399)."""
    from toolkit.consolidate import consolidate

    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 12), units=[OLD])
    rename(issued_ws)
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "报送.eml", _mail_on(6, make_return(OLD, **LATE_NO_REASON), OLD))
    collect(issued_ws)
    [reply] = _replies(issued_ws)
    own = consolidate(issued_ws).due_of(NEW)
    assert own == dt.date(2022, 7, 12)
    assert "于2022年7月12日前以附件文件重新报送" in reply


# ---------------------------------------------------------------------------
# 预计完成时间: nonsense is no date, a copied 完成时限 keeps its year


def test_a_thirteenth_month_is_no_date():
    """2022年13月 (or 2022.13) was read as 31 January 2023 and taken as a 预计完成时间."""
    from toolkit.dates import parse_date, parse_planned_date

    for text in ("2022年13月", "2022.13", "2022-13", "2022年0月"):
        assert parse_date(text) is None, text
        assert parse_planned_date(text, dt.date(2022, 6, 1)) is None, text


def test_an_overdue_tasks_deadline_copied_without_its_year_is_that_day():
    """A task due 5月底前 (2022), still open in June's return: its 预计完成时间 copied as 5月底
    was read as 31 May 2023, a year off, and the 汇总表 printed it so. Other yearless days
    still look ahead (7月底 in June is this July, 1月底 in December next January)."""
    from toolkit.dates import parse_planned_date

    june, december = dt.date(2022, 6, 1), dt.date(2022, 12, 1)
    assert parse_planned_date("5月底", june, dt.date(2022, 5, 31)) == dt.date(2022, 5, 31)
    assert parse_planned_date("5月底前", june, dt.date(2022, 5, 31)) == dt.date(2022, 5, 31)
    assert parse_planned_date("5月底", june, dt.date(2022, 12, 31)) == dt.date(2023, 5, 31)
    assert parse_planned_date("7月底", june, dt.date(2022, 5, 31)) == dt.date(2022, 7, 31)
    assert parse_planned_date("1月底", december, None) == dt.date(2023, 1, 31)
