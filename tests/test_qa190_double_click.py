"""QA190: the double-click's period, mails too big to fetch, and `run`'s fetch account (QA188's findings)
without a mail server (the real Dovecot plays them in tests/test_qa188_review.py, slow).

东莞's office, June and July 2022: 石碣镇 sends June late, on June's form, after July's forms went
out; 石龙镇's mail of 4 July carried 1.8 MB of site photos beside its return and was never fetched.
"""

from __future__ import annotations

import datetime as dt
import json

from conftest import PERIOD, drop, set_clock
from test_evidence import DONE, clean, mail, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.mail import FetchResult, _not_fetched
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import TOO_BIG, MailRecords
from toolkit.period import Period
from toolkit.vocab import UnitState

JULY = Period.parse("2022-07")
CST = dt.timezone(dt.timedelta(hours=8))


def july_issued(ws, monkeypatch, units=("石碣镇", "石龙镇")) -> None:
    set_clock(monkeypatch, dt.date(2022, 7, 10))
    issue_returns(ws, JULY, units=list(units))


def june_late(ws, make_return) -> None:
    """12 July: 石碣镇's June return, on June's form, the subject saying 补报."""
    drop(ws, "石碣镇补报.eml", mail([("2022年6月_石碣镇_进展填报表.xlsx", make_return("石碣镇", clean()))],
                                  sender="sj@dg.gov.cn", subject="石碣镇6月进展补报",
                                  date="Tue, 12 Jul 2022 10:00:00 +0800"))


def test_the_double_clicks_period_files_a_june_late_return_under_june(issued_ws, make_return, monkeypatch):
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    june_late(issued_ws, make_return)
    result = collect(issued_ws, JULY, file_owed=True)  # 2-收取并汇总 (collect --fetch --period 2022-07)
    # before: refused as July's (E202), 石碣镇 July 退回待改, June 未报送
    assert state(issued_ws, "石碣镇") == UnitState.LATE
    assert state(issued_ws, "石碣镇", "2022-07") == UnitState.NOT_REPORTED
    assert result.elsewhere == [("石碣镇", PERIOD, "2022年6月_石碣镇_进展填报表.xlsx")]  # said on screen


def test_a_typed_period_still_refuses_an_earlier_months_form(issued_ws, make_return, monkeypatch):
    """`collect --period 2022-07` typed by the office: only July's, as before (E202)."""
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    june_late(issued_ws, make_return)
    collect(issued_ws, JULY)
    assert state(issued_ws, "石碣镇", "2022-07") == UnitState.TO_FIX
    assert state(issued_ws, "石碣镇") == UnitState.NOT_REPORTED


def test_last_months_form_of_a_unit_that_reported_it_stays_refused_under_the_double_click(
        issued_ws, make_return, monkeypatch):
    """QA172's reuse (June's file, July's progress typed in) is no June 重报 under the double-click either."""
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    drop(issued_ws, "石龙镇6.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))]))
    collect(issued_ws)
    july_issued(issued_ws, monkeypatch)
    set_clock(monkeypatch, dt.date(2022, 8, 2))
    july_words = Filling(answers={"1.2": DONE}, default=Answer(work="7月已完成主体施工。"))
    drop(issued_ws, "石龙镇进展.eml", mail([("石龙镇进展.xlsx", make_return("石龙镇", july_words))],
                                       date="Tue, 02 Aug 2022 10:00:00 +0800"))
    result = collect(issued_ws, JULY, file_owed=True)
    assert not result.superseded
    assert state(issued_ws, "石龙镇", "2022-07") == UnitState.TO_FIX
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def too_big(ws, when: dt.datetime, sender: str = "石龙镇 <sl@dg.gov.cn>",
            subject: str = "石龙镇2022年6月进展填报") -> None:
    """What `mail fetch` records of a mail over max_file_mb (never downloaded)."""
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn", folder="INBOX", uidvalidity=1, uid=7, message_id="<big-1@dg.gov.cn>",
            internaldate=when, size=1_887_436, sender=sender, subject=subject, state=TOO_BIG,
            fetched_at="2022-07-06T18:00:00+08:00", after_fetch="keep")


def test_a_unit_whose_mail_was_too_big_is_asked_about_in_status_until_its_return_comes(issued_ws, make_return,
                                                                                    monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    status = run(["status", "--format", "json"], cwd=issued_ws.root)
    (note,) = [n for n in json.loads(status.stdout)["notes"] if "石龙镇" in n]
    assert status.exit_code == 1 and note.startswith("请核实：石龙镇 在2022年6月计为未报送，但邮箱中有其邮件“石龙镇2022年6月进展填报”"
                                                      "（石龙镇 <sl@dg.gov.cn>，1.8 MB，2022-07-04 10:00 收到）")
    assert "duban collect --received 2022-07-04" in note
    # resent slim on 7 July, after the deadline: 逾期, and the office is asked about the first mail
    drop(issued_ws, "石龙镇重发.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))],
                                       date="Thu, 07 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.LATE
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 1
    assert ("请核实：石龙镇 在2022年6月计为逾期报送（2022-07-07 09:00 收到），但其邮件“石龙镇2022年6月进展填报”"
            "（石龙镇 <sl@dg.gov.cn>，1.8 MB，2022-07-04 10:00 收到）在报送截止（2022年7月5日）前已到达邮箱") in merged.output


def test_a_too_big_mail_after_the_deadline_or_of_another_unit_asks_nothing_of_an_on_time_unit(issued_ws, make_return,
                                                                                              monkeypatch, run):
    drop(issued_ws, "石龙镇.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))]))  # 4 July
    set_clock(monkeypatch, dt.date(2022, 7, 5))
    collect(issued_ws)
    too_big(issued_ws, dt.datetime(2022, 7, 5, 9, 0, tzinfo=CST))  # photos sent afterwards
    status = run(["status", "--format", "json"], cwd=issued_ws.root)
    assert not [n for n in json.loads(status.stdout)["notes"] if "石龙镇" in n]


def test_runs_fetch_account_names_the_mail_too_big_of_an_earlier_run():
    result = FetchResult("duban@dg.gov.cn", "INBOX", dt.date(2022, 6, 1), known=1, too_big_before=1)
    assert result.brief() == [
        "收取邮箱 duban@dg.gov.cn（2022年6月1日 以后收到的邮件）：没有新的报送邮件（以前已收取过的 1 封不再重复收取）。",
        "另有 1 封过大的邮件此前已报告，仍未下载。"]


def test_a_failed_fetch_says_run_again_once():
    line = _not_fetched("下载邮件时与收信服务器 127.0.0.1:993 的连接中断。请稍后重新运行（已完成的部分不会重复）。",
                        "没有汇总，也没有生成通报", "duban run --no-fetch")
    assert line.count("重新运行") == 1 and "。（" not in line
    assert line.endswith("请稍后重新运行（已完成的部分不会重复）。只用收件箱中已有的文件，请运行 duban run --no-fetch。")
