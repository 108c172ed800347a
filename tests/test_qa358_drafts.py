"""QA358: the 催报 and 反馈 drafts `duban mail send` holds back, as the office meets them.

A. A unit with no 邮箱 in 单位名录 whose 催报's 请于…前 date had passed was named among the drafts
   whose date passed: told to run `duban remind` again, the office did, and only then learnt the
   unit has no address. Said first as without a recipient (无邮箱), its date too.
B. A 催报 written while a unit was 未报送 ("尚未收到…请于7月5日前报送"), the unit's return refused
   since (退回待改, its reply asking a correction by a later date), was judged by that later date
   and sent beside the reply: the wrong letter. Held back as 已不适用; the 反馈 is the one to send.
C. A 反馈 held back because its correction date passed pointed to `remind --attach`, which attached
   the reply's workbook as it was (its top and its 校验结果 asking by the passed date) under a
   催报 saying 尽快. `mail send feedback --renew` writes the reply again today, and the unit is
   held to the date it is told.
D. A 催报 written before the unit's form was issued to it again (`issue --dept … --due` later, by
   mail) named the old deadline beside the new form's: held back as 已不适用 too.
E. A reply to its return's sender is Cc the unit's 单位名录 邮箱: an address refused there ("请核对单位
   名录中的邮箱"), corrected in the 名录, went to the old address again. Cc the 名录 as it is now.
"""
from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from io import BytesIO

import pytest
import test_mail_send
from conftest import drop, on_time, shanghai
from openpyxl import load_workbook
from test_mail_fetch import mail_ws, return_mail
from test_mail_send import address, give_emails, received
from test_qa266_who_is_chased import WRONG

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.mail_send import outgoing_bytes
from toolkit.period import Period
from toolkit.vocab import UnitState
from toolkit.workspace import find_workspace

SZ, GA, HM = "市政务服务数据管理局", "市公安局", "虎门镇"
servers = test_mail_send.servers  # the fixtures (see mailservers.py on ruff's F811)
clock = test_mail_send.clock
JUNE = Period.parse("2022-06")


def _dry(run, root: str, kind: str) -> list[str]:
    said = run(["-w", root, "mail", "send", kind, "--dry-run"])
    return said.output.splitlines()


def _reminded_on_the_4th(ws, collecting_on, run, emails: dict[str, str]) -> str:
    """The units given ``emails``, `duban remind` run on 4 July (【提醒】请于2022年7月5日前报送): the root."""
    give_emails(ws, emails)
    collecting_on(dt.date(2022, 7, 4))
    assert run(["-w", str(ws.root), "remind"]).exit_code == 0
    return str(ws.root)


# A ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # remind writes 54 drafts: out of the quick loop
def test_a_unit_without_an_address_is_said_so_whatever_its_drafts_date(issued_ws, collecting_on, run):
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", GA: "ga@dg.example.cn"})
    collecting_on(dt.date(2022, 7, 6))
    lines = _dry(run, root, "remind")
    no_address = next(x for x in lines if x.startswith("没有收件人"))
    assert no_address.startswith("没有收件人、不发送的 52 封：市府办、") and no_address.endswith(
        "请在任务分工表“单位名录”的邮箱列填写后再次运行 duban mail send remind。"), no_address
    assert SZ not in no_address and GA not in no_address  # theirs: only the date
    passed = next(x for x in lines if x.startswith("草稿中“请于…前报送”的日期已过"))
    assert passed == (f"草稿中“请于…前报送”的日期已过、不发送的 2 封：{SZ}（2022年7月5日前）、{GA}（2022年7月5日前）。"
                      "请先运行 duban remind 按今天重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），再发送。")
    too = next(x for x in lines if x.startswith("其中 52 封催报草稿中的日期也已过：市府办（2022年7月5日前）"))
    assert too.endswith("这几封在邮箱填好后，请先运行 duban remind 按今天重新生成催报草稿（或双击“4-发送邮件”，"
                        "选 3 催报），再发送。"), too
    # written again today: the 52 are without a recipient alone, and "草稿不必重新生成" is true again
    assert run(["-w", root, "remind"]).exit_code == 0
    lines = _dry(run, root, "remind")
    assert not any("日期" in x for x in lines), lines
    assert any(x.startswith("没有收件人、不发送的 52 封") and x.endswith("草稿不必重新生成。")
               for x in lines), lines


# B ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # remind writes 54 drafts and a collect: out of the quick loop
def test_a_reminder_written_before_the_units_return_was_refused_is_not_sent(
        issued_ws, collecting_on, make_return, run):
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    drop(issued_ws, "虎门镇.xlsx", make_return(HM, WRONG), shanghai(dt.datetime(2022, 7, 5, 9, 0)))
    collecting_on(dt.date(2022, 7, 5))
    collect(issued_ws)  # refused: its reply asks the correction by 2022年7月8日
    lines = _dry(run, root, "remind")
    assert lines[0].startswith("2022年6月 催报邮件：待发送 1 封（") and lines[1] == f"  {SZ} → sz@dg.example.cn；无附件"
    assert (f"草稿写于该单位的报送被退回（写出反馈邮件）之前、已不适用、不发送的催报 1 封：{HM}。要改正的内容和改报日期见其反馈邮件："
            "请运行 duban mail send feedback 发送（已发送的不会重发）；如还要催其改报，请先运行 duban remind "
            "重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），再发送。") in lines
    assert run(["-w", root, "mail", "send", "remind", "--dry-run"]).exit_code == 1  # held back, as a passed date
    feedback = _dry(run, root, "feedback")
    assert feedback[:2] == ["2022年6月 反馈邮件：待发送 1 封（共 " + feedback[0].split("（共 ")[1],
                            f"  {HM} → hm@dg.example.cn；{HM}_校验反馈.xlsx（" + feedback[1].split("xlsx（")[1]]
    # a 催报 written after the refusal is about it (请按校验反馈修改后于7月8日前重新报送): it goes
    assert run(["-w", root, "remind"]).exit_code == 0
    lines = _dry(run, root, "remind")
    assert "待发送 2 封" in lines[0] and not any("不适用" in x for x in lines), lines
    with Ledger(issued_ws.ledger_path) as ledger:
        [draft] = [d for d in ledger.drafts("remind", JUNE) if d.unit == HM]
    eml = message_from_bytes((issued_ws.root / draft.path).read_bytes(), policy=policy.default)
    assert "请按校验反馈修改后于2022年7月8日前重新报送" in eml.get_body().get_content()


# C ---------------------------------------------------------------------------------------------

SMTP = '[mail]\nsmtp_host = "smtp.dg.example.invalid"\nuser = "dbb@dg.example.cn"\nfrom = "dbb@dg.example.cn"\n'


def _with_smtp(ws):
    """[mail] with a sending server: `mail send` without --dry-run plans (and is cancelled before it sends)."""
    ws.config_path.write_text(ws.config_path.read_text(encoding="utf-8").replace("[mail]\n", SMTP, 1),
                              encoding="utf-8")
    return find_workspace(ws.root, explicit=True)


def _refused_on_the_6th(issued_ws, collecting_on, make_return):
    """[mail] set, 虎门镇's return refused on 6 July, its reply (asking by 2022年7月11日) not sent:
    the workspace and that reply's draft."""
    give_emails(issued_ws, {HM: "hm@dg.example.cn"})
    ws = _with_smtp(issued_ws)
    drop(ws, "虎门镇.xlsx", make_return(HM, WRONG), on_time())
    collecting_on(dt.date(2022, 7, 6))
    collect(ws)
    with Ledger(ws.ledger_path) as ledger:
        [draft] = ledger.drafts("feedback", JUNE)
    return ws, draft


def _owed_by(xlsx: bytes) -> tuple[str, str]:
    """What the reply's workbook asks the correction by: the form's top and its 校验结果's verdict."""
    wb = load_workbook(BytesIO(xlsx))
    top = next(c.value for row in wb["进展填报"].iter_rows(max_row=3) for c in row
               if isinstance(c.value, str) and "改正后报送" in c.value)
    return top, wb["校验结果"]["A2"].value


@pytest.mark.slow  # a month played from its issue to a correction: out of the quick loop
def test_a_reply_whose_date_passed_is_written_again_today_and_the_unit_held_to_it(
        issued_ws, collecting_on, make_return, run):
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)  # asks by 2022年7月11日: never sent
    root = str(ws.root)
    collecting_on(dt.date(2022, 7, 12))
    held = run(["-w", root, "mail", "send", "feedback", "--dry-run"])
    assert held.exit_code == 1
    assert held.output.splitlines()[0] == (
        f"草稿中要求重新报送的日期已过、不发送的 1 封：{HM}（2022年7月11日前）。如这些单位仍未改报，请运行 duban mail "
        "send feedback --renew，按今天重新生成反馈邮件和标出错误的表格（改报日期从今天起算，是否按时改报按新的日期判断）"
        "后发送；或用邮件客户端打开该单位的反馈邮件草稿，改写日期后发出。")
    assert old.path.split("/")[-2] == "2022-07-06"
    # the way the line gives: the reply written again, listed, and the office says no this time
    renewed = run(["-w", root, "mail", "send", "feedback", "--renew"], input="n\n")
    assert renewed.exit_code == 0, renewed.output
    lines = renewed.output.splitlines()
    assert lines[0] == f"要求重新报送的日期已过的反馈草稿，已按今天重新生成 1 封：{HM}（请于2022年7月15日前重新报送）。"
    assert lines[1].startswith("2022年6月 反馈邮件：待发送 1 封（") and lines[2].startswith(f"  {HM} → hm@dg.example.cn；")
    assert "日期已过、不发送" not in renewed.output and "已取消，没有发送任何邮件。" in renewed.output
    with Ledger(ws.ledger_path) as ledger:
        [new] = ledger.drafts("feedback", JUNE)
        [gone] = [d for d in ledger.drafts("feedback", JUNE, live_only=False) if d.id == old.id]
    assert new.path.split("/")[-2] == "2022-07-12" and gone.obsolete_at
    assert not (ws.root / old.path).exists() and not (ws.root / old.path).parent.exists()  # its dated folder too
    # the mail and its workbook alike ask by the new date, counted from today
    eml = message_from_bytes((ws.root / new.path).read_bytes(), policy=policy.default)
    assert "于2022年7月15日前以附件文件重新报送" in eml.get_body().get_content()
    [part] = list(eml.iter_attachments())
    top, verdict = _owed_by(part.get_content())
    assert top == "2022年7月15日（改正后报送）" and "于2022年7月15日前重新报送本文件" in verdict
    assert _dry(run, root, "feedback")[0].startswith("2022年6月 反馈邮件：待发送 1 封")
    # the unit corrects by the date it was told: 按时报送, not 逾期
    drop(ws, "虎门镇改.xlsx", make_return(HM), shanghai(dt.datetime(2022, 7, 14, 9, 0)))
    collecting_on(dt.date(2022, 7, 14))
    collect(ws)
    [unit] = [u for u in consolidate(ws, JUNE, tasks=False).units if u.unit == HM]
    assert unit.state == UnitState.ON_TIME


def test_renew_is_for_replies_only(issued_ws, run):
    said = run(["-w", str(issued_ws.root), "mail", "send", "remind", "--renew", "--dry-run"])
    assert said.exit_code == 2 and said.output == (
        "错误：--renew 只用于反馈邮件（duban mail send feedback --renew）。催报草稿请运行 duban remind 按今天重新生成。\n")


# D ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # remind writes 54 drafts: out of the quick loop
def test_a_reminder_written_before_the_units_form_went_out_again_is_not_sent(issued_ws, collecting_on, run):
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    assert run(["-w", root, "issue", "--dept", HM, "--due", "2022-07-20", "--emails"]).exit_code == 0
    collecting_on(dt.date(2022, 7, 5))
    lines = _dry(run, root, "remind")
    assert lines[0].startswith("2022年6月 催报邮件：待发送 1 封（") and lines[1] == f"  {SZ} → sz@dg.example.cn；无附件"
    assert (f"草稿写于该单位的填报表重新下发之前、已不适用、不发送的催报 1 封：{HM}。催报中的截止日期和附件可能已与新下发的"
            "填报表不同；如还要催报，请先运行 duban remind 重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），再发送。") in lines
    assert run(["-w", root, "remind"]).exit_code == 0  # written again: 【提醒】请于2022年7月20日前报送
    lines = _dry(run, root, "remind")
    assert f"  {HM} → hm@dg.example.cn；无附件" in lines and not any("不适用" in x for x in lines), lines
    with Ledger(issued_ws.ledger_path) as ledger:
        [draft] = [d for d in ledger.drafts("remind", JUNE) if d.unit == HM]
    assert "请于2022年7月20日前报送" in message_from_bytes((issued_ws.root / draft.path).read_bytes(),
                                                     policy=policy.default)["Subject"]


# E ---------------------------------------------------------------------------------------------

def test_a_reply_to_the_sender_is_cc_the_directorys_address_as_it_is_now(issued_ws, collecting_on, make_return, run):
    give_emails(issued_ws, {HM: "old@dg.example.cn"})
    root = str(issued_ws.root)
    when = dt.datetime(2022, 7, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    drop(issued_ws, "虎门镇.eml", return_mail(HM, make_return(HM, WRONG), sender="clerk@163.com", when=when))
    collecting_on(dt.date(2022, 7, 4))
    collect(issued_ws)
    assert _dry(run, root, "feedback")[1].startswith(f"  {HM} → clerk@163.com，old@dg.example.cn；")
    give_emails(issued_ws, {HM: "new@dg.example.cn"})  # old@ refused: the office corrects the 名录
    line = _dry(run, root, "feedback")[1]
    assert line.startswith(f"  {HM} → clerk@163.com，new@dg.example.cn；") and line.endswith("（按单位名录现在的邮箱）")


def test_the_reply_goes_to_its_sender_cc_the_directory():
    eml = b"To: clerk@163.com\nCc: old@dg.example.cn\nSubject: x\nX-Unsent: 1\n\nbody\n"
    out = outgoing_bytes(eml, from_header="dbb@dg.example.cn", message_id="<1@dg>", date="d",
                         to="clerk@163.com", cc="new@dg.example.cn")
    msg = message_from_bytes(out, policy=policy.default)
    assert msg.get_all("To") == ["clerk@163.com"] and msg.get_all("Cc") == ["new@dg.example.cn"]
    assert "old@" not in out.decode()


@pytest.mark.slow  # a collect and a renewal: out of the quick loop
def test_a_reply_the_office_edited_is_not_written_over(issued_ws, collecting_on, make_return, run):
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    draft = ws.root / old.path
    draft.write_bytes(draft.read_bytes().replace(b"Subject:", b"X-Note: 1\nSubject:", 1))  # opened and saved
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", str(ws.root), "mail", "send", "feedback", "--renew"], input="n\n")
    assert said.exit_code == 1, said.output
    # not told to run --renew, just run: why it was not written again
    assert said.output.splitlines() == [
        f"以下反馈草稿没有重新生成，仍不发送：{HM}：草稿已改动过，没有重新生成：请用邮件客户端打开该草稿，改写日期后发出。"]
    with Ledger(ws.ledger_path) as ledger:
        assert [d.id for d in ledger.drafts("feedback", JUNE)] == [old.id]


@pytest.mark.slow  # a collect and a renewal: out of the quick loop
def test_a_reply_that_went_out_is_not_written_again(issued_ws, collecting_on, make_return, run):
    """Told 7月11日, the unit is held to it: a reply written again would move its verdict after the fact."""
    from toolkit.ledger.mail_records import MailRecords

    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        records.begin_sending(message_id=old.message_id, draft_id=old.id, kind="feedback", period=str(JUNE), unit=HM,
                              recipients=["hm@dg.example.cn"], started_at="2022-07-06T18:05:00+08:00")
        records.mark_sent(old.message_id, "2022-07-06T18:05:01+08:00")
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", str(ws.root), "mail", "send", "feedback", "--renew"], input="n\n")
    assert said.exit_code == 0 and said.output.splitlines() == [
        f"已发送过的 1 封不再发送：{HM}。", "2022年6月 的反馈邮件都已发送过，没有要发送的。"], said.output
    with Ledger(ws.ledger_path) as ledger:
        assert [d.id for d in ledger.drafts("feedback", JUNE)] == [old.id]


@pytest.mark.slow  # remind writes 54 drafts: out of the quick loop
def test_a_reminder_to_a_unit_that_owes_nothing_now_is_not_sent(issued_ws, collecting_on, run):
    """虎门镇 made 本期免报 after the 催报 was written (as `issue --dept 虎门镇` leaves the ledger when its
    last return had every task 已完成 and its form had not gone by mail): "尚未收到" is for nobody."""
    root = _reminded_on_the_4th(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    master = issued_ws.load_master()
    with Ledger(issued_ws.ledger_path) as ledger:
        ledger.record_issued(JUNE, HM, master.fingerprint, [t.id for t, _ in master.tasks_of(HM)], exempt=True)
    lines = _dry(run, root, "remind")
    assert lines[1] == f"  {SZ} → sz@dg.example.cn；无附件" and not any(x.startswith(f"  {HM}") for x in lines)
    assert f"单位现已报送（或本期免报）、无需催报、不发送的催报 1 封：{HM}。运行 duban remind 会撤回这些草稿。" in lines


@pytest.mark.slow  # mail servers, a collect and a send: out of the quick loop
def test_the_reply_written_again_reaches_the_unit_asking_by_the_new_date(
        issued_ws, servers, clock, collecting_on, make_return, run):
    give_emails(issued_ws, {HM: address(4)})
    ws = mail_ws(issued_ws, servers)
    drop(ws, "虎门镇.xlsx", make_return(HM, WRONG), on_time())
    collecting_on(dt.date(2022, 7, 6))
    collect(ws)
    collecting_on(dt.date(2022, 7, 12))
    assert run(["-w", str(ws.root), "mail", "send", "feedback", "--yes"]).exit_code == 1  # held back: sends none
    assert received(servers, address(4)) == []
    sent = run(["-w", str(ws.root), "mail", "send", "feedback", "--renew", "--yes"])
    assert sent.exit_code == 0 and "已发送2022年6月反馈邮件 1 封。" in sent.output, sent.output
    [msg] = received(servers, address(4))
    assert "于2022年7月15日前以附件文件重新报送" in msg.get_body().get_content()
    [part] = list(msg.iter_attachments())
    assert _owed_by(part.get_content())[0] == "2022年7月15日（改正后报送）"
