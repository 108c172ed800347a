"""QA188 review of QA184 (一键月报 and 2-收取并汇总 fetch the office mailbox first): 东莞's office
plays June and July 2022 through a real Dovecot (tests/mailservers.py) and the real CLI.

The office on 8 July: 东城街道's return came by hand (收件箱), 石龙镇's mail reached the mailbox
on 4 July (`test_qa184_run_fetch.office`). The double-click scripts pass the period the office
confirms (`run --period`, `collect --fetch --period`), as 一键月报.bat and 2-收取并汇总.bat do.

Tests marked xfail (strict) show what is wrong today; the others pin what was checked and is
right (receive time over fetch time, each return once, the lock, Ctrl-C, forwards, zips).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import mailservers
import pytest
import test_qa184_run_fetch as qa184
from conftest import drop, on_time, zip_bytes
from test_forwarded_mail import original
from test_mail_fetch import DUBAN, fetched_rows, inbox_files, july, mail_ws, return_mail

from toolkit.filling import Answer
from toolkit.ledger import Ledger
from toolkit.mailbox import Imap, MailboxError

mail_servers = mailservers.mail_servers  # the fixtures (ruff's F811: see mailservers.py)
office = qa184.office
duban, missing_line = qa184.duban, qa184.missing_line
# a real Dovecot, months fetched, collected and merged again: in CI, out of the quick loop
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CST = dt.timezone(dt.timedelta(hours=8))


def receipts(ws) -> list[dict]:
    with Ledger(ws.ledger_path) as ledger:
        return [dict(r) for r in ledger.conn.execute(
            "SELECT name, unit, period, outcome, received_at FROM receipts WHERE unit IS NOT NULL ORDER BY id")]


def unit_status(run, ws, unit: str, period: str = "2022-06") -> dict:
    status = duban(run, ws, "status", "--period", period, "--all", "--format", "json")
    (row,) = [u for u in json.loads(status.stdout)["units"] if u["单位"] == unit]
    return row


def office_on_july(run, ws, collecting_on) -> None:
    """June made on 8 July (one click), July's forms issued on 10 July: the office works on July."""
    collecting_on(dt.date(2022, 7, 8))
    assert duban(run, ws, "run", "--period", "2022-06").exit_code == 0
    collecting_on(dt.date(2022, 7, 10))
    assert duban(run, ws, "issue", "--period", "2022-07").exit_code == 0


# ---------------------------------------------------------------------------
# problems (xfail strict)


@pytest.mark.parametrize("click", [("run", "--period", "2022-07"), ("collect", "--fetch", "--period", "2022-07")],
                         ids=["一键月报", "2-收取并汇总"])
def test_a_june_late_return_fetched_by_the_july_double_click_is_filed_under_june(
        office, run, mail_servers, make_return, collecting_on, click):
    office_on_july(run, office, collecting_on)
    # 12 July: 石碣镇 mails its June return late, on June's form, its subject saying so
    collecting_on(dt.date(2022, 7, 12))
    mail_servers.deliver(DUBAN, return_mail("石碣镇", make_return("石碣镇"), sender="石碣镇 <sj@dg.gov.cn>",
                                            when=july(12), subject="石碣镇6月进展补报"), internaldate=july(12, 10, 0))
    # the office double-clicks 一键月报 (or 2-收取并汇总) and presses Enter: 2022-07
    result = duban(run, office, *click)
    assert "新的报送邮件 1 封" in result.stdout  # it was fetched ...
    (shijie,) = [r for r in receipts(office) if r["unit"] == "石碣镇"]
    # ... and is June's 补报 (W209), as `duban mail fetch` + `duban collect` filed it before QA184;
    # today it is recorded as July's, 退回 (E202), with a July 校验反馈 telling 石碣镇 it used the wrong form,
    # July's 通报 names 石碣镇 退回待改 and June's still names it 未报送
    assert (shijie["period"], shijie["outcome"]) == ("2022-06", "采纳"), shijie
    assert unit_status(run, office, "石碣镇", "2022-07")["报送状态"] != "退回待改"
    assert not list((office.root / "反馈" / "2022年7月").rglob("石碣镇_校验反馈.*"))


def test_a_mail_too_big_to_fetch_is_still_said_by_the_next_one_click(issued_ws, make_return, mail_servers, monkeypatch,
                                                                     collecting_on, run):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    ws = mail_ws(issued_ws, mail_servers, limits={"max_file_mb": 1})
    # 石龙镇 mailed on 4 July (on time) its return with 1.4 MB of site photos
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>", when=july(4),
                                            extra=[("现场照片.zip", os.urandom(1_400_000))]),
                         internaldate=july(4, 10, 0))
    mail_servers.deliver(DUBAN, return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=july(4)),
                         internaldate=july(4, 11, 0))
    collecting_on(dt.date(2022, 7, 8))
    first = duban(run, ws, "run", "--period", "2022-06")
    assert first.exit_code == 1
    assert any(line.startswith("  邮件过大，未下载：石龙镇 <sl@dg.gov.cn>") for line in first.stdout.splitlines())
    assert "石龙镇" in missing_line(first)  # its return is in the mailbox, the 通报 names it 未报送
    # 9 July: a colleague clicks 一键月报 again to print the 通报. `duban mail fetch` would still say
    # "另有 1 封过大的邮件此前已报告，仍未下载。"; the run says nothing, exit 0 (【成功】)
    collecting_on(dt.date(2022, 7, 9))
    again = duban(run, ws, "run", "--period", "2022-06")
    assert "石龙镇" in missing_line(again)
    assert "过大" in again.stdout, again.stdout
    assert again.exit_code == 1


def test_no_fetch_after_a_failed_fetch_says_the_mailbox_was_not_read(office, run, mail_servers, make_return):
    mail_servers.stop()  # the mail server is down on 8 July
    down = duban(run, office, "run", "--period", "2022-06")
    assert down.exit_code == 2 and "请运行 duban run --no-fetch" in down.stderr
    drop(office, "莞城街道6月进展.xlsx", make_return("莞城街道"), on_time())  # a USB stick, meanwhile
    result = duban(run, office, "run", "--period", "2022-06", "--no-fetch")
    # 石龙镇's return is in the mailbox since 4 July: the 通报 names it 未报送, and the screen ...
    assert "石龙镇" in missing_line(result)
    # ... must say that the mailbox was not looked at (it does so only when 收件箱 had nothing new)
    assert "没有收取邮箱" in result.stdout, result.stdout
    assert result.exit_code == 1


def test_run_for_june_from_august_looks_at_junes_mail(issued_ws, run, make_return, mail_servers, monkeypatch,
                                                      collecting_on):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    ws = mail_ws(issued_ws, mail_servers)
    # 石龙镇 sent June's return early, on 29 June; the office set up [mail] only in August
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>",
                                            when=dt.datetime(2022, 6, 29, 9, 0, tzinfo=CST)),
                         internaldate=dt.datetime(2022, 6, 29, 9, 5, tzinfo=CST))
    collecting_on(dt.date(2022, 7, 1))
    assert duban(run, ws, "issue", "--period", "2022-07").exit_code == 0
    collecting_on(dt.date(2022, 8, 1))
    assert duban(run, ws, "issue", "--period", "2022-08").exit_code == 0
    collecting_on(dt.date(2022, 8, 3))
    june = duban(run, ws, "run", "--period", "2022-06")
    # "收取邮箱 …（2022年7月1日 以后收到的邮件）：没有新的报送邮件" and June's 通报 names 石龙镇 未报送
    assert "2022年6月1日 以后收到的邮件" in june.stdout + june.stderr, june.output
    assert unit_status(run, ws, "石龙镇")["报送状态"] == "按时报送"


# ---------------------------------------------------------------------------
# checked and right


def test_a_return_that_reached_the_mailbox_before_midnight_of_the_due_day_is_on_time_when_fetched_days_later(
        office, run, mail_servers, make_return, collecting_on):
    # 虎门镇's mail reached the mailbox at 23:50 on 5 July (the due day), the server's clock in UTC
    late_night = dt.datetime(2022, 7, 5, 23, 50, tzinfo=CST)
    mail_servers.deliver(DUBAN, return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=late_night),
                         internaldate=late_night.astimezone(dt.timezone.utc))
    collecting_on(dt.date(2022, 7, 11))  # fetched six days later
    result = duban(run, office, "run", "--period", "2022-06")
    assert result.exit_code == 0, result.output
    humen = unit_status(run, office, "虎门镇")
    assert humen["报送状态"] == "按时报送" and humen["报送时间"].startswith("2022-07-05 23:50")


def test_the_same_return_mailed_twice_counts_once_on_time(office, run, mail_servers, make_return, collecting_on):
    data = make_return("虎门镇")
    mail_servers.deliver(DUBAN, return_mail("虎门镇", data, sender="hm@dg.gov.cn", when=july(4)),
                         internaldate=july(4, 11, 0))
    # "没收到吗？再发一次" on 7 July: the same file again
    mail_servers.deliver(DUBAN, return_mail("虎门镇", data, sender="hm@dg.gov.cn", when=july(7),
                                            subject="（重发）虎门镇2022年6月进展填报"), internaldate=july(7, 9, 0))
    result = duban(run, office, "run", "--period", "2022-06")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:4] == [
        f"  收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 3 封，已存入收件箱。",
        "  本次收到 4 个文件：采纳 3，退回 0，无法读取 0，重复 1",
        "  报送：按时报送 3，逾期报送 0，未报送 51，退回待改 0",
    ]
    assert unit_status(run, office, "虎门镇")["报送时间"].startswith("2022-07-04 11:00")
    # clicked again: nothing fetched or counted twice
    again = duban(run, office, "run", "--period", "2022-06")
    assert "以前已收取过的 3 封不再重复收取" in again.stdout and "按时报送 3，" in again.stdout


def test_a_zip_of_three_towns_forms_takes_the_mails_receive_time(office, run, mail_servers, make_return):
    towns = ("洪梅镇", "麻涌镇", "望牛墩镇")
    package = zip_bytes({f"水乡片区6月报送/2022年6月_{t}_进展填报表.xlsx": make_return(t) for t in towns}, gbk=True)
    mail_servers.deliver(DUBAN, return_mail("水乡片区", package, sender="sx@dg.gov.cn", when=july(5, 17),
                                            filename="水乡片区6月进展.zip"), internaldate=july(5, 17, 5))
    result = duban(run, office, "run", "--period", "2022-06")
    assert result.exit_code == 0, result.output
    assert "按时报送 5，" in result.stdout
    for town in towns:
        row = unit_status(run, office, town)
        assert row["报送状态"] == "按时报送" and row["报送时间"].startswith("2022-07-05 17:05"), row


def test_a_forwarded_return_keeps_the_departments_time(office, run, mail_servers, make_return):
    inner = original("2022年6月_中堂镇_进展填报表.xlsx", make_return("中堂镇"), sender="zt@dg.gov.cn")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "李科长 <li@dg.gov.cn>", DUBAN, "Fwd: 中堂镇6月进展填报表"
    outer["Date"] = "Fri, 08 Jul 2022 09:00:00 +0800"
    outer.set_content("中堂镇的报送，发错到我这里了，转给你。")
    outer.add_attachment(inner)
    mail_servers.deliver(DUBAN, outer.as_bytes().replace(b"\n", b"\r\n"), internaldate=july(8, 9, 1))
    result = duban(run, office, "run", "--period", "2022-06")
    assert "新的报送邮件 2 封" in result.stdout, result.output
    zhongtang = unit_status(run, office, "中堂镇")
    assert zhongtang["报送状态"] == "按时报送" and zhongtang["报送时间"].startswith("2022-07-04 10:00"), zhongtang


def test_a_corrected_reply_after_a_refusal_is_on_time_within_the_reply_date(office, run, mail_servers, make_return,
                                                                           collecting_on):
    # 完成进度 typed as 已完成 instead of 100: refused (退回)
    wrong = make_return("石排镇", **{"1.2": Answer(status="已完成", progress="已完成", work="已全面完成。")})
    mail_servers.deliver(DUBAN, return_mail("石排镇", wrong, sender="sp@dg.gov.cn", when=july(4, 15)),
                         internaldate=july(4, 15, 0))
    collecting_on(dt.date(2022, 7, 8))
    first = duban(run, office, "run", "--period", "2022-06")
    assert "退回待改：石排镇" in first.stdout
    # the 校验反馈 of 8 July asks for it within 3 working days: corrected on 11 July
    mail_servers.deliver(DUBAN, return_mail("石排镇", make_return("石排镇"), sender="sp@dg.gov.cn", when=july(11, 9),
                                            subject="回复：石排镇2022年6月进展填报（已修改）"), internaldate=july(11, 9, 0))
    collecting_on(dt.date(2022, 7, 12))
    second = duban(run, office, "run", "--period", "2022-06")
    assert second.exit_code == 0, second.output
    assert unit_status(run, office, "石排镇")["报送状态"] == "按时报送"


def test_ctrl_c_during_the_fetch_then_one_click_again(office, run, mail_servers, make_return, monkeypatch):
    ws = mail_ws(office, mail_servers, after_fetch="seen")
    mail_servers.deliver(DUBAN, return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=july(5)),
                         internaldate=july(5, 11, 0))
    real, calls = Imap.body, []

    def body(self, uid):  # the coordinator presses Ctrl-C while the second mail downloads
        calls.append(uid)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, uid)

    monkeypatch.setattr(Imap, "body", body)
    stopped = duban(run, ws, "run", "--period", "2022-06")
    assert stopped.exit_code == 130
    assert stopped.stderr.startswith("已取消：") and "再次运行会接着完成" in stopped.stderr
    assert not (ws.root / "通报" / "2022年6月").exists()
    monkeypatch.setattr(Imap, "body", real)
    again = duban(run, ws, "run", "--period", "2022-06")
    assert again.exit_code == 0, again.output
    assert "按时报送 3，" in again.stdout and "重复 0" in again.stdout
    assert sorted(r["state"] for r in fetched_rows(ws)) == ["fetched", "fetched"]
    assert all("\\Seen" in m["flags"] for m in mail_servers.mailbox(DUBAN))  # after_fetch = seen, both
    assert inbox_files(ws) == {}


def test_a_second_colleague_clicking_while_the_first_run_fetches_gets_exit_4(office, run, mail_servers,
                                                                             monkeypatch):
    real, second = Imap.body, []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def body(self, uid):  # while the first run downloads, the colleague double-clicks 一键月报
        if not second:
            second.append(subprocess.run([sys.executable, "-m", "toolkit", "-w", str(office.root), "run",
                                          "--period", "2022-06"], capture_output=True, text=True, env=env,
                                         timeout=120))
        return real(self, uid)

    monkeypatch.setattr(Imap, "body", body)
    first = duban(run, office, "run", "--period", "2022-06")
    assert first.exit_code == 0, first.output
    (other,) = second
    assert other.returncode == 4, other.stderr
    assert other.stdout == "" and other.stderr.startswith("错误：另一个督办程序正在处理这个工作区（进程 ")
    assert len(other.stderr.strip().splitlines()) == 1
    assert [r["state"] for r in fetched_rows(office)] == ["fetched"]


def test_collect_fetch_with_a_mail_too_big_exits_1_and_keeps_the_rest(issued_ws, make_return, mail_servers,
                                                                      monkeypatch, run):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    ws = mail_ws(issued_ws, mail_servers, limits={"max_file_mb": 1}, after_fetch="move:已收报送")
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>", when=july(4),
                                            extra=[("现场照片.zip", os.urandom(1_400_000))]), internaldate=july(4, 10, 0))
    mail_servers.deliver(DUBAN, return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=july(4)),
                         internaldate=july(4, 11, 0))
    result = duban(run, ws, "collect", "--fetch", "--period", "2022-06")
    assert result.exit_code == 1  # 2-收取并汇总 still merges (exit 0 or 1)
    lines = result.stdout.splitlines()
    assert lines[0] == (f"收取邮箱 {DUBAN}（2022年6月1日 以后收到的邮件）：新的报送邮件 1 封，已存入收件箱。"
                        "已把 1 封移到邮箱的文件夹“已收报送”。")
    assert lines[1].startswith("邮件过大，未下载：石龙镇 <sl@dg.gov.cn>")
    # the big one stays in INBOX, unread; the small one moved
    [left] = mail_servers.mailbox(DUBAN)
    assert "\\Seen" not in left["flags"] and len(mail_servers.mailbox(DUBAN, "已收报送")) == 1


def test_screens_of_a_failed_fetch_are_one_chinese_line(office, run, mail_servers, monkeypatch):
    def refuse(self, uid):
        raise MailboxError("下载邮件时与收信服务器的连接中断。请稍后重新运行（已完成的部分不会重复）。")

    monkeypatch.setattr(Imap, "body", refuse)
    for click in (("run", "--period", "2022-06"), ("collect", "--fetch", "--period", "2022-06")):
        result = duban(run, office, *click)
        assert result.exit_code == 2 and result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("错误：收取邮箱失败，")
        ascii_words = {w for w in line.replace("（", " ").replace("）", " ").replace("。", " ").split() if w.isascii() and not w.isdigit()}
        assert ascii_words <= {"duban", "run", "--no-fetch", "collect", "--fetch"}, ascii_words


def test_an_empty_month_with_only_a_mail_too_big_says_that_mail(issued_ws, make_return, mail_servers, monkeypatch,
                                                                collecting_on, run):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    ws = mail_ws(issued_ws, mail_servers, limits={"max_file_mb": 1})
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>", when=july(4),
                                            extra=[("现场照片.zip", os.urandom(1_400_000))]), internaldate=july(4, 10, 0))
    collecting_on(dt.date(2022, 7, 6))
    result = duban(run, ws, "run", "--period", "2022-06")
    # today: "提示：收件箱是空的，…没有新的报送邮件。报送截止日（7月5日）已过：核实确实无人报送后，可运行 duban merge
    # 和 duban memo，生成各单位均未报送的汇总表和通报。" and 石龙镇's mail is recorded too_big, never named again
    assert [r["state"] for r in fetched_rows(ws)] == ["too_big"]
    assert "过大" in result.output, result.output


def test_a_return_first_mailed_on_time_too_big_then_resent_slim_is_not_silently_late(
        office, make_return, mail_servers, collecting_on, run):
    ws = mail_ws(office, mail_servers, limits={"max_file_mb": 1})
    data = make_return("虎门镇")
    mail_servers.deliver(DUBAN, return_mail("虎门镇", data, sender="hm@dg.gov.cn", when=july(4),
                                            extra=[("现场照片.zip", os.urandom(1_400_000))]), internaldate=july(4, 16, 0))
    collecting_on(dt.date(2022, 7, 6))
    first = duban(run, ws, "run", "--period", "2022-06")
    assert "邮件过大，未下载：hm@dg.gov.cn" in first.stdout
    # "请对方去掉多余的附件、只发填报表后重新发送": 虎门镇 does, on 7 July, the same form
    mail_servers.deliver(DUBAN, return_mail("虎门镇", data, sender="hm@dg.gov.cn", when=july(7)),
                         internaldate=july(7, 9, 0))
    collecting_on(dt.date(2022, 7, 8))
    second = duban(run, ws, "run", "--period", "2022-06")
    humen = unit_status(run, ws, "虎门镇")
    # today: 逾期报送 (7 July), exit 0, the 通报 names 虎门镇 逾期; its return was in the mailbox on 4 July
    assert humen["报送状态"] == "按时报送" or ("请核实" in second.stdout and "虎门镇" in second.stdout
                                              and "过大" in second.stdout), (humen, second.stdout)


def test_a_june_late_return_fetched_by_run_for_june_is_junes_and_late(office, run, mail_servers, make_return,
                                                                       collecting_on):
    office_on_july(run, office, collecting_on)
    collecting_on(dt.date(2022, 7, 12))
    mail_servers.deliver(DUBAN, return_mail("石碣镇", make_return("石碣镇"), sender="石碣镇 <sj@dg.gov.cn>",
                                            when=july(12), subject="石碣镇6月进展补报"), internaldate=july(12, 10, 0))
    june = duban(run, office, "run", "--period", "2022-06")  # the office types 2022-06 at the prompt
    assert "新的报送邮件 1 封" in june.stdout and "逾期报送 1，" in june.stdout, june.output
    shijie = unit_status(run, office, "石碣镇")
    assert shijie["报送状态"] == "逾期报送" and shijie["报送时间"].startswith("2022-07-12 10:00")
