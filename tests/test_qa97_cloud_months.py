"""QA helper 97: a file downloaded from a cloud-attachment link, when a unit links one name every month.

A unit that sends its return as a QQ 超大附件 names the file alike every month: 市残联 mailed a
link to 市残联进展填报表.xlsx on 4 July (June's return) and on 4 August (July's). The file the
office downloads into 收件箱 was matched to a mail by its name only (`collect` before this
change): two mails of that name decided nothing, so July's form downloaded on 10 August was
timed by the download (市残联 逾期 for July, though it mailed on 4 August), and with only
June's mail in the ledger, July's form took June's 4 July time. The download now goes to the
mail whose month (its subject, its words above the block, the month collect filed it under)
is the month the form itself says (_meta, 填报期), whose stated size fits, whose link had not
expired; what stays ambiguous is said on screen, never guessed.

The mails are QQ Mail's 超大附件 and 163's 超大附件 blocks (tests/test_qa87_cloud_attachments.py
names where each shape was seen); only the sender's words above the block, the link and its
expiry change between months.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, issued_path, shanghai
from test_evidence import receipts, set_email, state
from test_mail_fetch import CST
from test_qa87_cloud_attachments import QQ_LINK, cloud_mail, netease_html, qq_html, qq_text

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.cloud import cloud_files, size_fits
from toolkit.filling import Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE, JULY = Period(2022, 6), Period(2022, 7)
NAME = "市残联进展填报表.xlsx"  # the name 市残联 gives its file every month
SENDER = "市残联办公室 <cl@dg.gov.cn>"
QQ_WORDS = "请查收我镇6月份进展填报表，文件较大，用超大附件发送。"  # the fixture's words, replaced


def at(month: int, day: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(2022, month, day, hour, minute, tzinfo=CST)


def link_mail(when: dt.datetime, words: str, expires: dt.datetime, code: str, subject: str = "市残联进展填报表",
              name: str = NAME) -> bytes:
    """市残联's QQ 超大附件 mail: its own words above the block, a link of its own."""
    link = QQ_LINK.replace("7684decd", code)
    stamp = int(expires.timestamp())
    return cloud_mail(SENDER, subject, when, qq_html(name, link, stamp).replace(QQ_WORDS, words),
                      qq_text(name, link, stamp).replace(QQ_WORDS, words))


JUNE_MAIL = dict(when=at(7, 4), words="请查收我会6月份进展填报表，文件较大，用超大附件发送。", expires=at(8, 3), code="0604")
JULY_MAIL = dict(when=at(8, 4), words="请查收我会7月份进展填报表，文件较大，用超大附件发送。", expires=at(9, 3), code="0804")


def form(ws, period: Period) -> bytes:
    """市残联's filled form of ``period`` (its _meta says the period)."""
    return fill_return(issued_path(ws, "市残联", period), Filling())


def downloaded(ws, data: bytes, day: int = 10, name: str = NAME) -> None:
    """The office downloads the file on ``day`` August and saves it into 收件箱."""
    drop(ws, name, data, mtime=shanghai(dt.datetime(2022, 8, day, 11, 0)))


def the_download(ws, name: str = NAME):
    return next(r for r in receipts(ws) if r.name == name and r.kind != "eml")


def july_issued(ws, collecting_on) -> None:
    collecting_on(dt.date(2022, 7, 25))
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))


@pytest.fixture
def june_mailed(issued_ws, collecting_on):
    """市残联 linked June's return on 4 July (collected on 6 July); July's forms went out on 25 July."""
    ws = issued_ws
    set_email(ws, 市残联="cl@dg.gov.cn")
    collecting_on(dt.date(2022, 7, 6))
    drop(ws, "市残联6月.eml", link_mail(**JUNE_MAIL))
    collect(ws)
    july_issued(ws, collecting_on)
    return ws


@pytest.fixture
def both_mailed(june_mailed, collecting_on):
    """…and linked July's on 4 August under the same name (collected on 6 August)."""
    ws = june_mailed
    collecting_on(dt.date(2022, 8, 6))
    drop(ws, "市残联7月.eml", link_mail(**JULY_MAIL))
    collect(ws)
    collecting_on(dt.date(2022, 8, 10))
    return ws


# ---------------------------------------------------------------------------
# the month the form says picks the mail


def test_julys_form_takes_julys_mail_time_not_the_download(both_mailed):
    ws = both_mailed
    downloaded(ws, form(ws, JULY))
    result = collect(ws)
    rec = the_download(ws)
    assert (rec.period, rec.received_at[:16], rec.received_how) == (JULY, "2022-08-04 09:30", "邮件发送时间"), rec
    assert "超大附件链接下载" in rec.note
    assert state(ws, "市残联", "2022-07") == UnitState.ON_TIME
    assert not [m for _, m in result.disputed if "市残联" in m], result.disputed


def test_junes_form_downloaded_late_takes_junes_mail_time(both_mailed):
    ws = both_mailed
    downloaded(ws, form(ws, JUNE))
    collect(ws)
    rec = the_download(ws)
    assert (rec.period, rec.received_at[:16], rec.received_how) == (JUNE, "2022-07-04 09:30", "邮件发送时间"), rec
    assert state(ws, "市残联", "2022-06") == UnitState.ON_TIME


def test_julys_form_never_takes_junes_mail_time(june_mailed, collecting_on):
    """July's link came another way (a WeChat message): the only mail of that name is June's."""
    ws = june_mailed
    collecting_on(dt.date(2022, 8, 10))
    downloaded(ws, form(ws, JULY))
    result = collect(ws)
    rec = the_download(ws)
    assert (rec.period, rec.received_at[:16], rec.received_how) == (JULY, "2022-08-10 11:00", "文件修改时间"), rec
    assert "超大附件链接下载" not in rec.note
    assert state(ws, "市残联", "2022-07") == UnitState.LATE  # by the download, said on screen
    [line] = [m for _, m in result.disputed if NAME in m and "2022年6月" in m]
    assert "2022-07-04 09:30" in line and "2022年7月" in line and "--received" in line, line


def test_the_month_a_mail_says_is_read_from_its_words_or_subject():
    from toolkit.evidence import mail_period

    [june] = cloud_files([("plain", qq_text(NAME).replace(QQ_WORDS, JUNE_MAIL["words"]))])
    assert mail_period(["市残联进展填报表"], [june], at(7, 4)) == JUNE
    assert mail_period(["市残联7月份进展"], [june], at(8, 4)) == JULY  # the subject first
    assert mail_period(["2022年12月进展"], [], at(1, 5)) == Period(2022, 12)
    assert mail_period(["12月份进展"], [], dt.datetime(2023, 1, 5, 9, 0)) == Period(2022, 12)  # last year's
    assert mail_period(["请于8月5日前报送"], [], at(8, 4)) is None  # a date is no month
    assert mail_period(["市残联进展填报表"], [], at(8, 4)) is None


# ---------------------------------------------------------------------------
# one run holding both mails: size and expiry, else said


def _both_in_one_run(ws, collecting_on, june: dict, july: dict, words: str = "请查收进展填报表。") -> None:
    """Both mails collected on 6 August (after July's issue), saying no month."""
    set_email(ws, 市残联="cl@dg.gov.cn")
    july_issued(ws, collecting_on)
    collecting_on(dt.date(2022, 8, 6))
    drop(ws, "市残联_a.eml", link_mail(**{**JUNE_MAIL, "words": words, **june}))
    drop(ws, "市残联_b.eml", link_mail(**{**JULY_MAIL, "words": words, **july}))
    collect(ws)
    collecting_on(dt.date(2022, 8, 10))


def test_a_link_that_had_expired_when_the_file_was_saved_is_not_where_it_came_from(issued_ws, collecting_on):
    ws = issued_ws
    _both_in_one_run(ws, collecting_on, {"expires": at(7, 19)}, {})
    downloaded(ws, form(ws, JULY))
    result = collect(ws)
    rec = the_download(ws)
    assert (rec.received_at[:16], rec.received_how) == ("2022-08-04 09:30", "邮件发送时间"), rec
    assert state(ws, "市残联", "2022-07") == UnitState.ON_TIME
    # the earlier mail's link had expired: said, in case it carried the same file on time
    [line] = [m for _, m in result.disputed if NAME in m]
    assert "2022-07-04 09:30" in line and "2022-07-19 09:30" in line and "过期" in line, line


def test_two_mails_of_the_name_alike_in_all_are_said_not_guessed(issued_ws, collecting_on):
    ws = issued_ws
    _both_in_one_run(ws, collecting_on, {"expires": at(9, 3)}, {})  # both links alive on 10 August
    downloaded(ws, form(ws, JULY))
    result = collect(ws)
    rec = the_download(ws)
    assert (rec.received_at[:16], rec.received_how) == ("2022-08-10 11:00", "文件修改时间"), rec
    [line] = [m for _, m in result.disputed if NAME in m and "无法确定" in m]
    assert "2022-07-04 09:30" in line and "2022-08-04 09:30" in line and "--received" in line, line
    assert "市残联进展填报表" in line


def test_the_size_the_163_block_states_picks_the_mail(issued_ws, collecting_on):
    ws = issued_ws
    set_email(ws, 市残联="cl@dg.gov.cn")
    july_issued(ws, collecting_on)
    collecting_on(dt.date(2022, 8, 6))
    data = form(ws, JULY)
    for n, (when, size) in enumerate(((at(8, 1), len(data) + 4096), (at(8, 4), len(data)))):
        html = (netease_html(NAME, f"https://mail.163.com/large-attachment-download/index.html?p=X&file=F{n}",
                             expires_ms=int(at(9, 1).timestamp() * 1000), shown="2022年9月1日 09:30")
                .replace("6月份工作进展及佐证材料较大，以超大附件发送，请查收。", "请查收进展填报表。")
                .replace('filesize="25892710"', f'filesize="{size}"').replace("24.69M", f"{size / 1024:.2f}K"))
        drop(ws, f"市残联_{n}.eml", cloud_mail(SENDER, "市残联进展填报表", when, html))
    collect(ws)
    collecting_on(dt.date(2022, 8, 10))
    downloaded(ws, data)
    collect(ws)
    rec = the_download(ws)
    assert (rec.received_at[:16], rec.received_how) == ("2022-08-04 09:30", "邮件发送时间"), rec


def test_the_size_a_block_states_is_read_and_fitted():
    [qq] = cloud_files([("html", qq_html(NAME))])
    assert qq.size == "12.35M"
    [plain] = cloud_files([("plain", qq_text(NAME))])
    assert plain.size == "12.35M"
    [netease] = cloud_files([("html", netease_html(NAME))])
    assert netease.size == "25892710"  # the exact bytes of its filesize attribute
    assert size_fits("25892710", 25892710) and size_fits("25892710", 25892711) is False
    assert size_fits("24.69M", 25892710) and size_fits("12.35M", 12_950_000)
    assert size_fits("12.35M", 15_000) is False and size_fits("", 15_000) is None
