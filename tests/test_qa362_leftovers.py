"""QA362: what QA358 left of a 反馈 past the date it asks the correction by.

A. `duban remind --attach` attached a refused unit's reply workbook as it was: its top ("2022年7月11日
   （改正后报送）"), its 填报说明 and its 校验结果 asked the correction by a date gone by, under a 催报
   saying 尽快. Attached, it says 尽快 too; the unit's verdict keeps its date. A reply never sent
   whose date passed is named on screen: its unit is chased 尽快 while judged by a date it was never
   told, and `mail send feedback --renew` gives it one of today.
B. `mail send feedback --dry-run --renew` wrote nothing and gave the advice to run --renew, not saying
   it was a dry run: it says so, and what a real run would write (the date it would ask by).
C. `--renewable`: whether --renew would write any reply again (exit 1), for 4-发送邮件 to offer it.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from email import message_from_bytes, policy
from io import BytesIO

import pytest
from openpyxl import load_workbook
from test_qa358_drafts import HM, JUNE, _owed_by, _refused_on_the_6th

from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import MailRecords
from toolkit.reply_renew import said_today


def _attached(ws, unit: str) -> bytes:
    with Ledger(ws.ledger_path) as ledger:
        [draft] = [d for d in ledger.drafts("remind", JUNE) if d.unit == unit]
    eml = message_from_bytes((ws.root / draft.path).read_bytes(), policy=policy.default)
    [part] = list(eml.iter_attachments())
    return eml, part.get_content()


def _guide(xlsx: bytes) -> str:
    wb = load_workbook(BytesIO(xlsx))
    return next(r[1].value for r in wb["填报说明"].iter_rows() if r[0].value == "报送截止")


@pytest.mark.slow  # a collect and remind's 54 drafts: out of the quick loop
def test_the_attached_reply_workbook_asks_as_the_reminder_does(issued_ws, collecting_on, make_return, run):
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)  # asks by 2022年7月11日, never sent
    root = str(ws.root)
    collecting_on(dt.date(2022, 7, 8))  # still on time: the workbook as the reply wrote it
    assert run(["-w", root, "remind", "--attach"]).exit_code == 0
    eml, xlsx = _attached(ws, HM)
    assert "请按校验反馈修改后于2022年7月11日前重新报送" in eml.get_body().get_content()
    assert xlsx == (ws.root / old.path).with_suffix(".xlsx").read_bytes()
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", root, "remind", "--attach"])
    assert said.exit_code == 0, said.output
    eml, xlsx = _attached(ws, HM)
    assert "请按校验反馈修改后尽快重新报送" in eml.get_body().get_content()
    top, verdict = _owed_by(xlsx)
    assert top == "尽快（改正后报送）" and "标红的单元格后，尽快重新报送本文件。" in verdict
    assert _guide(xlsx).startswith("本期报送已退回，请尽快将改正后的本表") and "7月11日" not in _guide(xlsx)
    assert (f"反馈邮件还没有发出、其中的改报日期已过的退回待改单位 1 个：{HM}（2022年7月11日前）。催报请其尽快改报"
            "（附上的标出错误的表格也写明尽快），是否按时改报仍按反馈邮件中的日期判断。如要按今天重新给出改报日期，"
            "请先运行 duban mail send feedback --renew（或双击“4-发送邮件”，选 2 反馈），再运行 duban remind --attach "
            "重新生成催报。") in said.output.splitlines()
    # nothing moved behind the office's back: the reply and the unit's date are as they were
    with Ledger(ws.ledger_path) as ledger:
        assert [d.id for d in ledger.drafts("feedback", JUNE)] == [old.id]
    assert consolidate(ws, JUNE, tasks=False).awaited_by(HM) == dt.date(2022, 7, 11)
    # the way the line gives: the reply written again, the 催报 after it asks by its date
    assert run(["-w", root, "mail", "send", "feedback", "--renew"], input="n\n").exit_code == 0
    said = run(["-w", root, "remind", "--attach"])
    assert "反馈邮件还没有发出" not in said.output
    eml, xlsx = _attached(ws, HM)
    assert "请按校验反馈修改后于2022年7月15日前重新报送" in eml.get_body().get_content()
    assert _owed_by(xlsx)[0] == "2022年7月15日（改正后报送）"


def _went(ws, draft) -> None:
    """The reply ``draft`` sent on 6 July, as `mail send` records it."""
    sending = {"message_id": draft.message_id, "draft_id": draft.id, "kind": "feedback", "period": str(JUNE),
               "unit": HM, "recipients": ["hm@dg.example.cn"], "started_at": "2022-07-06T18:05:00+08:00"}
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).begin_sending(**sending)
        MailRecords(ledger.conn).mark_sent(draft.message_id, "2022-07-06T18:05:01+08:00")


@pytest.mark.slow  # remind writes 54 drafts: out of the quick loop
def test_a_reply_that_went_out_is_attached_asking_soon_and_named_nowhere(issued_ws, collecting_on, make_return, run):
    """Told 7月11日 by a reply that went, the unit is chased 尽快: nothing to write again, nothing said."""
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    _went(ws, old)
    collecting_on(dt.date(2022, 7, 12))
    said = run(["-w", str(ws.root), "remind", "--attach"])
    assert said.exit_code == 0 and "反馈邮件还没有发出" not in said.output, said.output
    top, verdict = _owed_by(_attached(ws, HM)[1])
    assert top == "尽快（改正后报送）" and "尽快重新报送本文件" in verdict


def test_a_workbook_edited_since_is_attached_as_the_office_left_it():
    assert said_today(b"not a zip", dt.date(2022, 7, 11)) is None

    def workbook(top: str) -> bytes:
        out = BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("xl/worksheets/sheet1.xml", f'<worksheet><c t="inlineStr"><is><t>{top}（改正后报送）</t></is></c>'
                                                   '<c t="inlineStr"><is><t xml:space="preserve">&#20110;2022年7月11日前重新'
                                                   '报送 &amp; x</t></is></c></worksheet>')
        return out.getvalue()

    # a date other than the one passed (the office typed its own): not said as duban wrote it
    assert said_today(workbook("2022年7月11日"), dt.date(2022, 7, 10)) is None
    # its top alone: none of it is swapped, or the unit reads 7月12日 above 尽快 (QA364: all or none)
    assert said_today(workbook("2022年7月12日"), dt.date(2022, 7, 11)) is None
    with zipfile.ZipFile(BytesIO(said_today(workbook("2022年7月11日"), dt.date(2022, 7, 11)))) as z:
        assert z.read("xl/worksheets/sheet1.xml").decode() == (
            '<worksheet><c t="inlineStr"><is><t>尽快（改正后报送）</t></is></c>'
            '<c t="inlineStr"><is><t xml:space="preserve">尽快重新报送 &amp; x</t></is></c></worksheet>')


# B, C ------------------------------------------------------------------------------------------

def test_a_dry_run_of_renew_says_it_wrote_nothing_and_what_it_would(issued_ws, collecting_on, make_return, run):
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    root = str(ws.root)
    collecting_on(dt.date(2022, 7, 12))
    dry = run(["-w", root, "mail", "send", "feedback", "--dry-run", "--renew"])
    assert dry.exit_code == 1
    assert dry.output.splitlines() == [
        f"演练：要求重新报送的日期已过的反馈草稿 1 封，没有重新生成：{HM}（原为2022年7月11日前，重新生成后为2022年7月15日前）。"
        "不加 --dry-run 运行 duban mail send feedback --renew 时，按今天重新生成反馈邮件和标出错误的表格（改报日期从今天"
        "起算，是否按时改报按新的日期判断）后发送。"]
    with Ledger(ws.ledger_path) as ledger:
        assert [d.id for d in ledger.drafts("feedback", JUNE)] == [old.id]
    assert (ws.root / old.path).exists()
    # the double-click's question: would --renew write any? (exit 1: yes)
    asked = run(["-w", root, "mail", "send", "feedback", "--renewable"])
    assert asked.exit_code == 1 and asked.output.startswith(f"要求重新报送的日期已过的反馈草稿 1 封，没有重新生成：{HM}"), \
        asked.output
    assert "运行 duban mail send feedback --renew 时" in asked.output and "演练" not in asked.output
    assert run(["-w", root, "mail", "send", "feedback", "--renew"], input="n\n").exit_code == 0
    asked = run(["-w", root, "mail", "send", "feedback", "--renewable"])
    assert asked.exit_code == 0 and asked.output == ""
    assert run(["-w", root, "mail", "send", "remind", "--renewable"]).exit_code == 2  # replies only


def test_a_dry_run_of_renew_keeps_saying_why_an_edited_reply_stays(issued_ws, collecting_on, make_return, run):
    ws, old = _refused_on_the_6th(issued_ws, collecting_on, make_return)
    draft = ws.root / old.path
    draft.write_bytes(draft.read_bytes().replace(b"Subject:", b"X-Note: 1\nSubject:", 1))
    collecting_on(dt.date(2022, 7, 12))
    dry = run(["-w", str(ws.root), "mail", "send", "feedback", "--dry-run", "--renew"])
    assert dry.exit_code == 1 and dry.output.splitlines() == [
        f"以下反馈草稿没有重新生成，仍不发送：{HM}：草稿已改动过，没有重新生成：请用邮件客户端打开该草稿，改写日期后发出。"]
    assert run(["-w", str(ws.root), "mail", "send", "feedback", "--renewable"]).exit_code == 0
