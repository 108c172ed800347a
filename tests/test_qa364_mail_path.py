"""QA364: the faults reviews found in the mail path, left open.

1. `remind --attach`, past a refused unit's correction date, swapped the dates it found in the reply's
   workbook for 尽快 (`reply_renew.said_today`): one the office had edited in WPS or Excel was left, so
   the unit read 7月20日 at the top and 尽快 below. All or none, and only in the workbook the reply
   carries: one edited since is attached as the office left it, and the office is told.
2. `mail send feedback` named the other month's replies "尚未发送" with the command that sends them,
   counting replies that command would not send (a draft deleted, a date passed: --renew) and missing
   one refused for an address (still to send). Counted as that command sorts them; the --renew ones,
   those without a 邮箱 and the others held back are named apart.
3. `remind`'s line about replies never sent matched units by the name the reply was recorded under:
   a unit renamed in 单位名录 since was not named.
4. A form issued again without --emails (mailed by hand) did not make the 催报 written before it the
   wrong letter, as one issued again by mail does (`drafts.Superseded`).
"""
from __future__ import annotations

import datetime as dt
import zipfile
from email import message_from_bytes, policy
from io import BytesIO

import pytest
from conftest import drop, on_time
from openpyxl import load_workbook
from test_mail_send import give_emails
from test_qa358_drafts import GA, HM, JUNE, SZ, _dry, _owed_by, _refused_on_the_6th
from test_renamed_units import rename

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import MailRecords
from toolkit.reply_renew import said_today

ASKED = dt.date(2022, 7, 11)  # the date `_refused_on_the_6th`'s reply asks the correction by


def _marked(ws, draft) -> bytes:
    """The reply's workbook beside its draft, as collect wrote it."""
    return (ws.root / draft.path).with_suffix(".xlsx").read_bytes()


def _resaved(xlsx: bytes, edit=None) -> bytes:
    """``xlsx`` opened in openpyxl, ``edit(wb)`` done, saved again: as an editor leaves it."""
    wb = load_workbook(BytesIO(xlsx))
    if edit is not None:
        edit(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _top_moved(wb) -> None:
    """The office gives the unit till 20 July, at the form's top only."""
    cell = next(c for row in wb["进展填报"].iter_rows(max_row=3) for c in row
                if isinstance(c.value, str) and "改正后报送" in c.value)
    cell.value = "2022年7月20日（改正后报送）"


def _guide_moved(wb) -> None:
    row = next(r for r in wb["填报说明"].iter_rows() if r[0].value == "报送截止")
    row[1].value = row[1].value.replace("2022年7月11日", "2022年7月20日")


def _texts(xlsx: bytes) -> str:
    """Every cell text of the workbook, joined: what the unit reads."""
    wb = load_workbook(BytesIO(xlsx))
    return "\n".join(str(c.value) for s in wb.worksheets for row in s.iter_rows() for c in row if c.value)


# 1 ---------------------------------------------------------------------------------------------

def test_a_reply_workbook_is_said_as_of_today_all_or_none(issued_ws, collecting_on, make_return):
    ws, reply = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    own = _marked(ws, reply)
    said = said_today(own, ASKED)
    assert _owed_by(said)[0] == "尽快（改正后报送）" and "2022年7月11日" not in _texts(said)
    # saved again unchanged, every text still as duban wrote it: all of them say 尽快
    assert "2022年7月11日" not in _texts(said_today(_resaved(own), ASKED))
    # one text edited: none is swapped, whichever it is (the top said 7月20日 above 尽快 before)
    for edit in (_top_moved, _guide_moved):
        assert said_today(_resaved(own, edit), ASKED) is None, edit.__name__


def test_a_text_split_in_runs_is_no_text_as_duban_wrote_it():
    """A cell saved as rich text (<r><t>…</t></r>), its date in a run of its own: not found as written,
    so nothing is swapped, not the verdict beside it either."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/sharedStrings.xml", "<sst><si><r><t>2022年7月11日</t></r><r><t>（改正后报送）</t></r></si>"
                                           "<si><t>有错误，未采纳。请修改标红的单元格后，于2022年7月11日前重新报送本文件。</t></si></sst>")
    assert said_today(out.getvalue(), ASKED) is None


@pytest.mark.libreoffice
def test_a_reply_workbook_saved_again_by_libreoffice(issued_ws, collecting_on, make_return, lo, tmp_path):
    ws, reply = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(_resaved(_marked(ws, reply), _top_moved))
    back = lo(edited, "xlsx:Calc MS Excel 2007 XML", tmp_path / "back").read_bytes()
    assert "2022年7月20日（改正后报送）" in _texts(back)
    assert said_today(back, ASKED) is None
    untouched = tmp_path / "untouched.xlsx"
    untouched.write_bytes(_marked(ws, reply))
    back = lo(untouched, "xlsx:Calc MS Excel 2007 XML", tmp_path / "again").read_bytes()
    said = said_today(back, ASKED)  # every text still as duban wrote it: all of them say 尽快
    assert said is not None and "2022年7月11日" not in _texts(said)


def _attached(ws, unit: str) -> bytes:
    with Ledger(ws.ledger_path) as ledger:
        [draft] = [d for d in ledger.drafts("remind", JUNE) if d.unit == unit]
    eml = message_from_bytes((ws.root / draft.path).read_bytes(), policy=policy.default)
    [part] = list(eml.iter_attachments())
    return eml.get_body().get_content(), part.get_content()


@pytest.mark.slow  # a collect and remind's 54 drafts: out of the quick loop
def test_a_workbook_edited_since_its_reply_is_attached_as_left_and_said(issued_ws, collecting_on, make_return, run):
    ws, reply = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    marked = (ws.root / reply.path).with_suffix(".xlsx")
    marked.write_bytes(_resaved(marked.read_bytes(), _top_moved))
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", str(ws.root), "remind", "--attach"])
    assert said.exit_code == 0, said.output
    body, xlsx = _attached(ws, HM)
    assert "请按校验反馈修改后尽快重新报送" in body
    assert xlsx == marked.read_bytes()  # the office's words, every one of them
    assert (f"以下单位的标出错误的表格在反馈邮件写好后改动过（如用 WPS 或 Excel 打开保存过），催报按改动后的原样附上，"
            f"其中的改报日期没有改为“尽快”：{HM}。请打开这些单位的催报草稿，核对附件中的日期与催报所说的是否一致后再发送。"
            ) in said.output.splitlines(), said.output
    # on time still, nothing is said of it: the workbook asks by its date, as the 催报 does
    collecting_on(dt.date(2022, 7, 8))
    said = run(["-w", str(ws.root), "remind", "--attach"])
    assert "改动过" not in said.output and _attached(ws, HM)[1] == marked.read_bytes()


# 2 ---------------------------------------------------------------------------------------------

SF, SJ = "市府办", "石碣镇"
WRONG = Filling(default=Answer(status="滞后", problems=""))  # every task 滞后 with no 存在问题: refused (E603)


def _refused(ws, make_return, units: list[str], day: dt.date, collecting_on) -> None:
    for unit in units:
        drop(ws, f"{unit}.xlsx", make_return(unit, WRONG), on_time())
    collecting_on(day)
    collect(ws)


def test_the_other_months_replies_are_named_as_mail_send_would_sort_them(issued_ws, collecting_on, make_return,
                                                                         run):
    """June's replies on 12 July, seen from `mail send feedback --period 2022-05`: 虎门镇's to send; 市公安局's
    refused by the server, to send again; 市政务服务数据管理局's deleted; 石碣镇's, written on 4 July, past its
    date (--renew); 市府办's without a 邮箱. Said before: "4 封尚未发送", and the command sent one."""
    give_emails(issued_ws, {HM: "hm@dg.example.cn", GA: "ga@dg.example.cn", SZ: "sz@dg.example.cn",
                            SJ: "sj@dg.example.cn"})
    root = str(issued_ws.root)
    _refused(issued_ws, make_return, [SJ], dt.date(2022, 7, 4), collecting_on)
    _refused(issued_ws, make_return, [HM, GA, SZ, SF], dt.date(2022, 7, 12), collecting_on)
    with Ledger(issued_ws.ledger_path) as ledger:
        drafts = {d.unit: d for d in ledger.drafts("feedback", JUNE)}
        records = MailRecords(ledger.conn)
        records.begin_sending(message_id=drafts[GA].message_id, draft_id=drafts[GA].id, kind="feedback",
                              period=str(JUNE), unit=GA, recipients=["ga@dg.example.cn"],
                              started_at="2022-07-12T18:05:00+08:00")
        records.mark_sent(drafts[GA].message_id, "2022-07-12T18:05:01+08:00", refused={"ga@dg.example.cn": "450"})
    (issued_ws.root / drafts[SZ].path).unlink()
    june = _dry(run, root, "feedback")
    assert june[0].startswith("2022年6月 反馈邮件：待发送 2 封") and {x.split(" → ")[0].strip() for x in june[1:3]} == {HM, GA}
    other = run(["-w", root, "mail", "send", "feedback", "--period", "2022-05", "--dry-run"]).output.splitlines()
    click = "（双击“4-发送邮件”选 2 反馈时输入 2022-06"
    assert [x for x in other if x.startswith("另有")] == [
        f"另有2022年6月的反馈邮件 2 封尚未发送：请运行 duban mail send feedback --period 2022-06{click}）。",
        f"另有2022年6月要求重新报送的日期已过、不会发送的反馈邮件 1 封：{SJ}。如这些单位仍未改报，请运行 duban mail send "
        f"feedback --period 2022-06 --renew，按今天重新生成反馈邮件后发送{click}，再按提示重新生成）。",
        f"另有2022年6月的反馈邮件 1 封尚未发送、单位名录中没有可用的邮箱：{SF}。请在任务分工表“单位名录”的邮箱列填写或改正后"
        f"运行 duban mail send feedback --period 2022-06{click}）。",
        f"另有2022年6月暂不能发送的反馈邮件 1 封：{SZ}。原因请运行 duban mail send feedback --period 2022-06 --dry-run 查看。"]


def test_a_month_whose_replies_all_went_is_not_named(issued_ws, collecting_on, make_return, run):
    give_emails(issued_ws, {HM: "hm@dg.example.cn"})
    _refused(issued_ws, make_return, [HM], dt.date(2022, 7, 6), collecting_on)
    with Ledger(issued_ws.ledger_path) as ledger:
        [d] = ledger.drafts("feedback", JUNE)
        records = MailRecords(ledger.conn)
        records.begin_sending(message_id=d.message_id, draft_id=d.id, kind="feedback", period=str(JUNE), unit=HM,
                              recipients=["hm@dg.example.cn"], started_at="2022-07-06T18:05:00+08:00")
        records.mark_sent(d.message_id, "2022-07-06T18:05:01+08:00")
    collecting_on(dt.date(2022, 7, 12))  # its date passed too: it went, nothing to write again
    other = run(["-w", str(issued_ws.root), "mail", "send", "feedback", "--period", "2022-05", "--dry-run"]).output
    assert "另有" not in other, other


# 3 ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # a collect and remind's 54 drafts: out of the quick loop
def test_a_unit_renamed_since_its_reply_is_named_among_the_replies_never_sent(
        issued_ws, collecting_on, make_return, run):
    ws, _ = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    new = "东莞市虎门镇"
    rename(ws, old=HM, new=new)
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", str(ws.root), "remind"])
    assert said.exit_code == 0, said.output
    assert f"反馈邮件还没有发出、其中的改报日期已过的退回待改单位 1 个：{new}（2022年7月11日前）。" in said.output, said.output


# 4 ---------------------------------------------------------------------------------------------

@pytest.mark.slow  # the month issued twice and reminded twice: out of the quick loop
def test_a_form_issued_again_without_emails_makes_the_reminder_before_it_the_wrong_letter(
        issued_ws, collecting_on, run):
    root = str(issued_ws.root)
    give_emails(issued_ws, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    # June's forms as the office issued them on 1 July (the fixture's issue is dated by the machine's clock)
    collecting_on(dt.date(2022, 7, 1))
    issue_returns(issued_ws, "2022-06")
    collecting_on(dt.date(2022, 7, 4))
    assert run(["-w", root, "remind"]).exit_code == 0
    collecting_on(dt.date(2022, 7, 5))
    assert run(["-w", root, "issue", "--dept", HM, "--due", "2022-07-20"]).exit_code == 0  # mailed by hand
    lines = _dry(run, root, "remind")
    assert lines[1] == f"  {SZ} → sz@dg.example.cn；无附件", lines
    assert (f"草稿写于该单位的填报表重新下发之前、已不适用、不发送的催报 1 封：{HM}。催报中的截止日期和附件可能已与新下发的"
            "填报表不同；如还要催报，请先运行 duban remind 重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），再发送。") in lines
    # a task's text corrected, every form issued again (1-下发填报表 pressed once more), from a master
    # whose fingerprint is another: every 催报 waits for `duban remind`
    wb = load_workbook(issued_ws.master_path)
    wb["任务清单"]["B2"] = "改过的一级任务"
    wb.save(issued_ws.master_path)
    assert run(["-w", root, "issue"]).exit_code == 0
    lines = _dry(run, root, "remind")
    held = next(x for x in lines if x.startswith("草稿写于该单位的填报表重新下发之前"))
    assert "不发送的催报 54 封" in held and held.endswith("请先运行 duban remind 重新生成催报草稿（或双击“4-发送邮件”，"
                                                      "选 3 催报），再发送。"), held
    assert run(["-w", root, "mail", "send", "remind", "--dry-run"]).exit_code == 1
    assert run(["-w", root, "remind"]).exit_code == 0  # written again: about the forms as they are
    lines = _dry(run, root, "remind")
    assert f"  {HM} → hm@dg.example.cn；无附件" in lines and not any("不适用" in x for x in lines), lines
