"""QA helper 110: review of QA104-QA109.

1. `issued_month.check_as_printed` checked every return of a past month a second time, on one
   core, after the pool had checked them all: June's returns collected in July after July's
   forms went out (the usual last days of a month) are a past month's. Nothing of June's forms
   differs from today's sheet there, so the second check can change nothing; a run of 5,000
   returns paid it all the same. Only a return with a row whose task its month printed
   otherwise is checked again; W203 on a form of the month's own master is dropped.
2. `collect._owed_before`: a refused file of no month that 石龙镇 mailed on 4 August, after
   its June 补报 of 20 July and owing July, went to June, beside the accepted June return, so
   July said 未报送 though the town had sent something for it. A companion of an accepted
   return is of that return's month only when the unit owes no later month.
3. A form without _meta mailed from 东城街道's mailbox under the subject 东坑镇6月进展（东城街道代报）
   went to 东城街道 (the check weighed the mailbox, seeing only the file name's brackets), and
   东坑镇 stood 未报送. The check is given no sender the subject names as a messenger.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import drop, issued_path, on_time
from test_evidence import clean, mail, set_email, state
from test_qa81_attribution import PDF, _form, _named_template, _receipt, named_ws  # noqa: F401 (fixtures)
from test_qa104_senders_and_late_words import DC, DC_MAIL, DK, DK_MAIL, _rec
from test_qa109_attribution import SL, august_out, named  # noqa: F401 (fixtures)

import toolkit.checks as checks
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import UnitState

JUNE, JULY = Period(2022, 6), Period(2022, 7)


def _counting(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = checks.check_return

    def counted(data, name, *rest):
        seen.append(name)
        return real(data, name, *rest)

    # check_as_printed takes the checker when it runs: only its checks are counted
    monkeypatch.setattr(checks, "check_return", counted)
    return seen


def test_junes_returns_after_julys_issue_are_checked_once(issued_ws, collecting_on, monkeypatch):
    collecting_on(dt.date(2022, 7, 1))
    issue_returns(issued_ws, "2022-07")
    units = ["市政务服务数据管理局", "市司法局", "石龙镇"]
    for unit in units:
        drop(issued_ws, f"2022年6月_{unit}.xlsx", fill_return(issued_path(issued_ws, unit, JUNE), Filling()), on_time())
    again = _counting(monkeypatch)
    collecting_on(dt.date(2022, 7, 4))
    result = collect(issued_ws)
    assert result.accepted == len(units)
    assert again == []  # June's forms print what today's sheet says: nothing to check again
    for top in result.items:
        assert "W203" not in {i.code for i in top.report.issues}


# ---------------------------------------------------------------------------
# 2. a refused file after a 补报 of an older month than the one the unit owes


@pytest.mark.parametrize("runs", [1, 2])
def test_a_stamped_pdf_after_a_june_bubao_while_july_is_owed_is_julys(august_out, runs):  # noqa: F811
    """石龙镇 sent June's form on 20 July (a 补报, July's forms out since 8 July) and nothing
    for July; on 4 August, before August's forms, a PDF of no month in a mail of its own.
    June's forms went out on 28 June (the fixture issued them at the machine's clock)."""
    with sqlite3.connect(august_out.ledger_path) as conn:
        conn.execute("UPDATE issued SET issued_at='2022-06-28 10:00:00' WHERE period='2022-06'")
    conn.close()
    june = fill_return(issued_path(august_out, SL, JUNE), clean())
    drop(august_out, "六月.eml", mail([("2022年6月_石龙镇_进展填报表.xlsx", june)],
                                     date="Wed, 20 Jul 2022 09:00:00 +0800"))
    if runs == 2:
        collect(august_out)
    name = "石龙镇进展情况（盖章版）.pdf"
    drop(august_out, "盖章版.eml", mail([(name, PDF)], date="Thu, 04 Aug 2022 10:00:00 +0800"))
    collect(august_out)
    assert (_receipt(august_out, name).unit, _receipt(august_out, name).period) == (SL, JULY)
    assert state(august_out, SL, "2022-07") == UnitState.TO_FIX  # it sent something: not 未报送
    assert state(august_out, SL, "2022-06") in (UnitState.ON_TIME, UnitState.LATE)


# ---------------------------------------------------------------------------
# 3. the subject's 代报 bracket, for a form without _meta


def test_a_form_without_meta_whose_subject_names_the_messenger_is_dongkengs(issued_ws):
    """东城街道's mailbox, subject 东坑镇6月进展（东城街道代报）, the form named for no unit."""
    set_email(issued_ws, **{DC: DC_MAIL, DK: DK_MAIL})
    name = "6月进展填报表.xlsx"
    drop(issued_ws, "报送.eml", mail([(name, _form(issued_ws, DK))], sender=DC_MAIL, subject="东坑镇6月进展（东城街道代报）"))
    result = collect(issued_ws)
    assert _rec(issued_ws, name).unit == DK, result.disputed
    assert state(issued_ws, DK) == UnitState.ON_TIME
    assert state(issued_ws, DC) == UnitState.NOT_REPORTED
