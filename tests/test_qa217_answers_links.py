"""QA217: the office's answers (which one --undo takes back, a later file under an answered name,
an address named whole) and what a mail's body is read as (a 163 signature, a link with its
提取码 right after it, an href folded over lines, a reply of thanks)."""

from __future__ import annotations

import datetime as dt
import types
from email.message import EmailMessage

import pytest
from conftest import drop, on_time, set_clock
from test_evidence import set_email
from test_qa138_unknown_sender import ZT
from test_qa200_mail_leftovers import ZHANG, _zhang
from test_qa204_answers import _wrong_name
from test_qa210_mail import OFFICE, TOWN, link_mail, state
from test_qa213_review import DASHI, SENDER, _other_contact, _status, _zt_both

from toolkit.actions.collect import collect
from toolkit.cloud import cloud_files, service_of
from toolkit.ledger import Ledger, answers, store
from toolkit.mail import parse_mail

# ---------------------------------------------------------------------------
# duban sender: the answer given last is the one --undo takes back


class _Clock(dt.datetime):
    """The ledger's wall clock, one millisecond on at each reading: answers given in one second."""

    at = dt.datetime(2022, 7, 8, 10, 0, 0)

    @classmethod
    def now(cls, tz=None):  # the ledger asks for local time only
        _Clock.at += dt.timedelta(milliseconds=1)
        return _Clock.at


@pytest.mark.slow
def test_undo_takes_back_the_answer_changed_last_within_one_second(issued_ws, make_return, collecting_on,
                                                                   monkeypatch, run):
    """中堂镇: the village copy answered --theirs, 石排镇6月.xlsx (W206) --theirs, then the first
    answer changed to --not-theirs, all in one second: --undo takes back the change, not the W206."""
    _zt_both(issued_ws, make_return, collecting_on, run)
    set_clock(monkeypatch, None)  # the ledger's own clock, one reading a millisecond on
    for module in (store, answers):
        monkeypatch.setattr(module, "dt", types.SimpleNamespace(**{**vars(dt), "datetime": _Clock}))
    assert run([*SENDER, "--dept", ZT, "--theirs"], cwd=issued_ws.root).exit_code == 0
    assert "不是石排镇的" in run([*SENDER, "--dept", ZT, "--theirs"], cwd=issued_ws.root).output
    changed = run([*SENDER, "--dept", ZT, "--not-theirs"], cwd=issued_ws.root)
    assert changed.exit_code == 0 and "不是中堂镇报送" in changed.output, changed.output
    undo = run([*SENDER, "--dept", ZT, "--undo"], cwd=issued_ws.root)
    assert undo.exit_code == 0 and "潢涌村_" in undo.output and "石排镇6月.xlsx" not in undo.output, undo.output
    told = _status(run, issued_ws)[2]
    assert [t for t in told if "“石排镇6月.xlsx”是中堂镇的报送" in t]


@pytest.mark.slow
def test_a_later_file_under_a_name_already_answered_is_asked_about(issued_ws, make_return, monkeypatch, run):
    """石碣镇's 石排镇6月.xlsx answered as its own; a corrected copy under the same name is another
    file, and the office has said nothing of it yet."""
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    assert run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root).exit_code == 0
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇", _other_contact()), on_time())
    run(["collect"], cwd=issued_ws.root)
    code, notes, told = _status(run, issued_ws)
    assert code == 1 and len([n for n in notes if n.startswith("请核实：石排镇6月.xlsx：")]) == 1, notes
    assert len([t for t in told if "“石排镇6月.xlsx”是石碣镇的报送" in t]) == 1, told
    assert run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root).exit_code == 0
    code, notes, told = _status(run, issued_ws)
    assert code == 0 and len([t for t in told if "“石排镇6月.xlsx”是石碣镇的报送" in t]) == 2


# ---------------------------------------------------------------------------
# duban mail checked: an address named whole


@pytest.mark.slow
@pytest.mark.parametrize("which, code", [("Zhang.Wei@163.com", 0), ("张伟 <zhang.wei@163.com>", 0),
                                         ("wei@163.com", 2), ("zhang.wei@163.co", 2)])
def test_mail_checked_names_a_sender_by_the_whole_address(issued_ws, monkeypatch, run, which, code):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    assert run(["mail", "checked", which], cwd=issued_ws.root).exit_code == code
    assert bool([n for n in _status(run, issued_ws)[1] if ZHANG in n]) == bool(code)


# ---------------------------------------------------------------------------
# cloud links


def test_163s_own_big_attachment_links_are_still_read():
    old = "http://fs.163.com/fs/display/?p=X-NETEASE-HUGE-ATTACHMENT.a1b2c3&file=6月进展.xlsx"
    assert service_of(old) == "网易邮箱超大附件"
    assert service_of("https://mail.163.com/large-attachment-download/index.html?p=X-NETEASE-HUGE-ATTACHMENT.x") \
        == "网易邮箱超大附件"
    assert service_of(DASHI) == "" and service_of("https://dashi.163.com/") == ""


@pytest.mark.parametrize("body, code", [
    ("百度网盘链接：https://pan.baidu.com/s/1AbCdEfG，提取码：8k3q，请查收。", "8k3q"),
    ("https://pan.baidu.com/s/1AbCdEfG；密码：8k3q", "8k3q"),
    ("链接:https://pan.baidu.com/s/1AbCdEfG?pwd=8k3q，请下载", "8k3q"),
    ("https://pan.baidu.com/s/1AbCdEfG。谢谢", ""),
])
def test_a_link_ends_where_the_chinese_begins(body, code):
    [f] = cloud_files([("plain", body)])
    assert f.link.startswith("https://pan.baidu.com/s/1AbCdEfG") and "提取码" not in f.link and f.code == code


def test_an_href_is_taken_whole_chinese_and_all():
    """An html body's href is one link between < >: a 政务邮箱's Coremail link naming the file in
    its query is not cut at the file's Chinese name."""
    link = "https://mail.dg.gov.cn/coremail/largeattach/download?name=石龙镇6月进展.xlsx&id=9f8e"
    [f] = cloud_files([("html", f'<a href="{link}">石龙镇6月进展.xlsx</a>')])
    assert f.link == link and f.service == "Coremail 网盘附件"


def test_an_href_folded_with_a_tab_or_a_bare_newline_is_whole():
    for fold in ("\n", "\r\n\t", "\t"):
        [f] = cloud_files([("html", f'<a href="https://www.kdocs.cn/l/cqXk3m{fold}Z2aBcD">金山文档</a>')])
        assert f.link == "https://www.kdocs.cn/l/cqXk3mZ2aBcD"


# ---------------------------------------------------------------------------
# a reply of thanks is no return


def _reply(text: str, html: bool = False) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"石龙镇办公室 <{TOWN}>", OFFICE, "回复：2022年6月进展填报表"
    m["Date"] = "Mon, 04 Jul 2022 17:00:00 +0800"
    m.set_content(text, subtype="html" if html else "plain")
    return m.as_bytes()


QUOTED = ("\n\n------------------ 原始邮件 ------------------\n发件人: 市督办 <dbb@dg.gov.cn>\n"
          "主题: 2022年6月进展填报表\n各单位：请于2022年7月5日前报送6月进展填报表，见附件。")


@pytest.mark.parametrize("text, html, thanks", [
    ("收到，谢谢！", False, True),
    ("已收悉。", False, True),
    ("好的，收到，谢谢！\n\n张敏\n石龙镇人民政府 0769-22830000 http://www.dg.gov.cn/" + QUOTED, False, True),
    ("<div>收到，谢谢！</div><div>张敏</div><blockquote>各单位：请于7月5日前报送，见附件。</blockquote>", True, True),
    ('<div>收到</div><div>张敏</div><div style="font-size:12px">------------------&nbsp;原始邮件&nbsp;------------------'
     "</div><div>各单位：请于7月5日前报送6月进展填报表，见附件。</div>", True, True),
    ("收到，谢谢！6月进展见附件。", False, False),
    ("收到，谢谢！\n我镇6月进展已报送。", False, False),
    ("见附件", False, False),
    ("已报送" + QUOTED, False, False),
    ("收到。\n" + "我镇将按要求认真组织填报，" * 8, False, False),
])
def test_an_acknowledgement_is_its_first_line_of_thanks_and_no_word_of_a_return(text, html, thanks):
    assert parse_mail(_reply(text, html)).acknowledgement is thanks


@pytest.mark.slow
def test_a_thanks_reply_is_passed_over_and_a_see_attachment_one_still_asked(issued_ws, run):
    set_email(issued_ws, 石龙镇=TOWN)
    drop(issued_ws, "来信.eml", _reply("收到，谢谢！\n\n张敏\n石龙镇人民政府" + QUOTED))
    collect(issued_ws)
    s = state(run, issued_ws, "石龙镇")
    assert not [n for n in s["_notes"] if n.startswith("请核实：石龙镇")]
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:  # 收件登记 says why it was passed over
        (mail,) = [r for r in ledger.receipts() if r.name == "来信.eml"]
    assert mail.note.endswith("；回复收到，没有附件")
    drop(issued_ws, "来信2.eml", link_mail("6月进展见附件，请查收。", subject="回复：2022年6月进展填报表"))
    collect(issued_ws)
    [note] = [n for n in state(run, issued_ws, "石龙镇")["_notes"] if n.startswith("请核实：石龙镇")]
    # one mail asked about, named as the office sees it in its mailbox (subject and sender: QA378); the
    # thanks reply, of the same subject and sender, still passed over
    assert "没有附件" in note and note.count("的邮件“回复：2022年6月进展填报表”（发件人 石龙镇办公室") == 1, note
