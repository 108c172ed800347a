"""QA213 review of QA204 (answers to W206 and to a mail too big), QA207/b442324 (the Excel
console's result cell) and QA210 (cloud links, mails without a file).

Its strict xfails (wrong behaviour a coordinator would hit) were mended by QA217; the tests pin what is right.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from conftest import drop, ledger_at, on_time, set_clock
from conftest import status_notes as _status
from test_evidence import set_email
from test_qa138_unknown_sender import ZT, ZT_MAIL, _village_then_town
from test_qa190_double_click import CST
from test_qa200_mail_leftovers import ZHANG, _zhang
from test_qa204_answers import _second, _wrong_name
from test_qa210_mail import NAME, OFFICE, TOWN, XLSX, link_mail, state

from toolkit.actions.collect import collect
from toolkit.actions.excel_console import console_action
from toolkit.cloud import cloud_files, service_of
from toolkit.filling import Filling
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.answers import check_disputed, disputed_checks

pytestmark = pytest.mark.slow

SENDER = ["sender", "--period", "2022-06"]




# ---------------------------------------------------------------------------
# QA204: `duban sender --theirs|--undo` on a W206 file


def test_two_w206_files_of_one_unit_are_answered_one_by_one(
        issued_ws, make_return, monkeypatch, run):
    """石碣镇 sent its form twice under wrong names: 石排镇6月.xlsx and 石龙镇6月.xlsx."""
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    drop(issued_ws, "石龙镇6月.xlsx", make_return("石碣镇", _other_contact()), on_time())
    run(["collect"], cwd=issued_ws.root)
    code, notes, _ = _status(run, issued_ws)
    asked = [n for n in notes if n.startswith(("请核实：石排镇6月.xlsx：", "请核实：石龙镇6月.xlsx："))]
    assert code == 1 and len(asked) == 2, notes
    first = run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    assert first.exit_code == 0, first.output
    second = run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    assert second.exit_code == 0, second.output
    assert first.output != second.output  # two files, two answers
    code, notes, told = _status(run, issued_ws)
    assert code == 0 and not [n for n in notes if "石碣镇" in n]
    assert len([t for t in told if t.startswith("已核实：") and "是石碣镇的报送" in t]) == 2
    third = run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    assert third.exit_code == 2  # nothing left to answer


def _other_contact() -> Filling:
    """The same form filled by another clerk: other bytes, not a duplicate."""
    return Filling(contact={"填报人": "陈静", "联系电话": "0769-22830001", "审核人": "李强",
                            "填报日期": dt.date(2022, 7, 4)})


def _zt_both(ws, make_return, collecting_on, run):
    """中堂镇: a village's copy from an unknown address (QA138's question) and its own form sent
    as 石排镇6月.xlsx (W206), 石排镇 未报送."""
    set_email(ws, 中堂镇=ZT_MAIL)
    _village_then_town(ws, make_return, collecting_on)
    drop(ws, "石排镇6月.xlsx", make_return(ZT), on_time())
    run(["collect"], cwd=ws.root)


def test_a_unit_with_a_w206_file_and_an_unknown_sender_answers_both_and_undoes_both(
        issued_ws, make_return, collecting_on, run):
    _zt_both(issued_ws, make_return, collecting_on, run)
    code, notes, _ = _status(run, issued_ws)
    assert code == 1 and [n for n in notes if n.startswith("请核实：中堂镇 在2022年6月")]
    assert [n for n in notes if n.startswith("请核实：石排镇6月.xlsx：")]
    a = run([*SENDER, "--dept", ZT, "--theirs"], cwd=issued_ws.root)
    assert a.exit_code == 0 and "由其报送或委托报送" in a.output, a.output
    b = run([*SENDER, "--dept", ZT, "--theirs"], cwd=issued_ws.root)
    assert b.exit_code == 0 and "不是石排镇的" in b.output, b.output
    code, notes, told = _status(run, issued_ws)
    assert (code, [n for n in notes if ZT in n or "石排镇6月" in n]) == (0, [])
    assert len([t for t in told if t.startswith("已核实：")]) == 2
    u1 = run([*SENDER, "--dept", ZT, "--undo"], cwd=issued_ws.root)
    assert u1.exit_code == 0 and "石排镇6月.xlsx" in u1.output, u1.output  # the latest first
    u2 = run([*SENDER, "--dept", ZT, "--undo"], cwd=issued_ws.root)
    assert u2.exit_code == 0 and "潢涌村_" in u2.output, u2.output
    code, notes, told = _status(run, issued_ws)
    assert code == 1 and not [t for t in told if t.startswith("已核实：")]


def test_a_sender_answer_can_be_changed_while_a_w206_question_is_open(issued_ws, make_return, collecting_on, run):
    set_email(issued_ws, 中堂镇=ZT_MAIL)
    _village_then_town(issued_ws, make_return, collecting_on)
    assert run([*SENDER, "--dept", ZT, "--theirs"], cwd=issued_ws.root).exit_code == 0
    # a W206 file of 中堂镇 comes in after the answer
    drop(issued_ws, "石排镇6月.xlsx", make_return(ZT), on_time())
    run(["collect"], cwd=issued_ws.root)
    changed = run([*SENDER, "--dept", ZT, "--not-theirs"], cwd=issued_ws.root)
    assert changed.exit_code == 0, changed.output
    assert "不是中堂镇报送" in changed.output


def test_a_new_w206_file_after_an_answer_is_asked_about(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    assert run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root).exit_code == 0
    drop(issued_ws, "石排镇6月进展.xlsx", make_return("石碣镇", _other_contact()), on_time())
    run(["collect"], cwd=issued_ws.root)
    code, notes, told = _status(run, issued_ws)
    assert code == 1 and [n for n in notes if n.startswith("请核实：石排镇6月进展.xlsx：")]
    assert [t for t in told if "“石排镇6月.xlsx”是石碣镇的报送" in t]


def test_the_answer_is_said_in_status_merge_and_memo_with_exit_0(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    for args in (["status"], ["merge"], ["memo", "--format", "md"]):
        r = run(args, cwd=issued_ws.root)
        assert r.exit_code == 0, (args, r.output)
        said = [x for x in r.output.splitlines() if x.startswith("已核实：“石排镇6月.xlsx”是石碣镇的报送")]
        assert len(said) == 1, (args, r.output)


# ---------------------------------------------------------------------------
# QA204: `duban mail checked`


def test_a_checked_mail_leaves_a_later_mail_of_the_same_sender_asked(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    assert run(["mail", "checked", ZHANG], cwd=issued_ws.root).exit_code == 0
    _second(issued_ws, dt.datetime(2022, 7, 5, 9, 30, tzinfo=CST))
    code, notes, told = _status(run, issued_ws)
    (note,) = [n for n in notes if ZHANG in n]
    assert code == 1 and "现场照片" in note and "6月进展填报表" not in note
    assert [t for t in told if "6月进展填报表" in t]
    # the sender's address now names only the mail not yet checked
    assert run(["mail", "checked", ZHANG], cwd=issued_ws.root).exit_code == 0
    assert _status(run, issued_ws)[0] == 0


def test_an_address_matching_no_sender_checks_nothing(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    r = run(["mail", "checked", "wei@163.com"], cwd=issued_ws.root)
    assert r.exit_code == 2
    assert [n for n in _status(run, issued_ws)[1] if ZHANG in n]


def test_an_address_matching_nothing_is_a_usage_error(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    r = run(["mail", "checked", "li.na@126.com"], cwd=issued_ws.root)
    assert r.exit_code == 2 and "没有符合“li.na@126.com”的过大邮件" in r.output


# ---------------------------------------------------------------------------
# QA204: migrations 14 and 15 read by a read-only status, then written


def test_a_version_13_ledger_read_only_stays_13_then_a_write_upgrades_it(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome)"
              " VALUES (7, 'ab', '石排镇6月.xlsx', '2022-07-04 10:00:00', '2022-07-08 09:00:00', '2022-06', '石碣镇', '已接收')")
    ledger_at(path, 13, (insert, ()))
    with Ledger(path, readonly=True) as ledger:
        assert disputed_checks(ledger.conn) == {}
        assert ledger.conn.execute("SELECT count(*) FROM mail_fetched WHERE checked_at IS NULL").fetchone()
    import sqlite3
    conn = sqlite3.connect(path)
    assert schema_version(conn) == 13
    conn.close()
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST
        check_disputed(ledger.conn, 7, True)
    with Ledger(path, readonly=True) as ledger:
        assert list(disputed_checks(ledger.conn)) == [7]


# ---------------------------------------------------------------------------
# Excel console: the result cell


def test_the_console_cell_says_a_w206_file_once(issued_ws, make_return):
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇"), on_time())
    lines = console_action(issued_ws, "收取汇总", "2022-06").message.split("\n")
    assert len([x for x in lines if "石排镇6月.xlsx" in x]) == 1


# ---------------------------------------------------------------------------
# QA210: cloud links, false positives


DASHI = ("https://dashi.163.com/projects/signature-manager/detail/index.html?ftlId=1"
         "&name=%E5%BC%A0%E6%95%8F&uid=shilong_zb%40163.com&items=%5B%220769-22830000%22%5D")
SIGNATURE = ('<div>请查收。</div><div style="clear:both">张敏 0769-22830000</div>'
             '<div>石龙镇人民政府 <a href="http://www.dg.gov.cn/">www.dg.gov.cn</a></div>'
             f'<div>签名由 <a href="{DASHI}">网易邮箱大师</a> 定制</div>'
             '<div>发自 <a href="https://u.163.com/dashiqianming">网易邮箱大师</a></div>')


def test_a_units_website_and_the_163_footer_are_no_files():
    assert service_of("http://www.dg.gov.cn/") == "" and service_of("https://u.163.com/dashiqianming") == ""
    assert service_of("https://maas.mail.163.com/dashi-web-extend/html/proSignature.html?ftlId=1") == ""


def test_the_163_signature_link_is_no_file():
    assert cloud_files([("html", SIGNATURE)]) == []


def _mail_163(html: str, attach: bytes | None) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"张敏 <{TOWN}>", OFFICE, "石龙镇6月进展填报表"
    m["Date"] = "Mon, 04 Jul 2022 17:00:00 +0800"
    m.set_content("请查收。")
    m.add_alternative(html, subtype="html")
    if attach is not None:
        m.add_attachment(attach, *XLSX, filename=NAME)
    return m.as_bytes()


def test_a_163_mail_with_its_return_and_signature_is_not_said_to_link_its_file(issued_ws, make_return):
    set_email(issued_ws, 石龙镇=TOWN)
    drop(issued_ws, "来信.eml", _mail_163(SIGNATURE, make_return("石龙镇")))
    assert collect(issued_ws).accepted == 1
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        (mail,) = [r for r in ledger.receipts() if r.name == "来信.eml"]
        assert "超大附件" not in mail.note  # 收件登记
        assert not [i for i in ledger.issues_of_many([mail.id])[mail.id] if i.code == "W211"]  # 校验问题


def test_a_reply_quoting_the_issue_mail_with_a_website_is_no_link(issued_ws, run):
    set_email(issued_ws, 石龙镇=TOWN)
    body = ("收到，谢谢！\n\n张敏\n石龙镇人民政府 http://www.dg.gov.cn/\n\n"
            "------------------ 原始邮件 ------------------\n发件人: 市督办 <dbb@dg.gov.cn>\n"
            "主题: 2022年6月进展填报表\n各单位：请于2022年7月5日前报送6月进展填报表。")
    drop(issued_ws, "来信.eml", link_mail(body, subject="回复：2022年6月进展填报表"))
    collect(issued_ws)
    s = state(run, issued_ws, "石龙镇")
    assert not [n for n in s["_notes"] if "下载链接" in n and "石龙镇" in n and "只有超大附件" in n]


def test_a_received_thanks_reply_is_not_asked_about(issued_ws, run):
    set_email(issued_ws, 石龙镇=TOWN)
    drop(issued_ws, "来信.eml", link_mail("收到，谢谢！", subject="回复：2022年6月进展填报表"))
    collect(issued_ws)
    s = state(run, issued_ws, "石龙镇")
    assert not [n for n in s["_notes"] if n.startswith("请核实：石龙镇")]


# ---------------------------------------------------------------------------
# QA210: cloud links, false negatives


def test_a_share_link_in_an_html_only_body_is_found_with_its_code():
    html = ('<div>您好，6月进展见 <a href="https://www.kdocs.cn/l/cqXk3mZ2aBcD">金山文档</a></div>'
            '<div>百度网盘：<a href="https://pan.baidu.com/s/1AbCdEfG">点击下载</a> 提取码：8k3q</div>')
    assert [(f.service, f.link, f.code) for f in cloud_files([("html", html)])] == [
        ("金山文档", "https://www.kdocs.cn/l/cqXk3mZ2aBcD", ""), ("百度网盘", "https://pan.baidu.com/s/1AbCdEfG", "8k3q")]


def test_an_html_only_mail_with_a_share_link_is_asked_about_with_the_link(issued_ws, run):
    set_email(issued_ws, 石龙镇=TOWN)
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"石龙镇办公室 <{TOWN}>", OFFICE, "石龙镇6月进展填报表"
    m["Date"] = "Mon, 04 Jul 2022 17:00:00 +0800"
    m.set_content('<p>见 <a href="https://pan.quark.cn/s/3a1b2c3d4e5f">夸克网盘</a> 提取码：Xy7z</p>', subtype="html")
    drop(issued_ws, "来信.eml", m.as_bytes())
    collect(issued_ws)
    [note] = [n for n in state(run, issued_ws, "石龙镇")["_notes"] if n.startswith("请核实：石龙镇")]
    assert "https://pan.quark.cn/s/3a1b2c3d4e5f（提取码 Xy7z）" in note


@pytest.mark.parametrize("body", ["https://pan.baidu.com/s/1AbCdEfG 提取码:8k3q", "https://pan.baidu.com/s/1AbCdEfG\n密码：8k3q",
                                  "链接：https://pan.baidu.com/s/1AbCdEfG（提取码：8k3q）"])
def test_the_code_as_offices_write_it(body):
    [f] = cloud_files([("plain", body)])
    assert (f.link, f.code) == ("https://pan.baidu.com/s/1AbCdEfG", "8k3q")


@pytest.mark.parametrize("bodies", [
    [("plain", "链接：https://pan.baidu.com/s/1AbCdEfG，提取码：8k3q")],
    [("plain", "链接：https://pan.baidu.com/s/1AbCdEfG；提取码：8k3q")],
    [("plain", "链接：https://pan.baidu.com/s/1AbCdEfG提取码：8k3q")],
    [("html", "<p>链接：<span>https://pan.baidu.com/s/1AbCdEfG</span><span>提取码：8k3q</span></p>")],
])
def test_a_code_written_right_after_the_link(bodies):
    [f] = cloud_files(bodies)
    assert (f.link, f.code) == ("https://pan.baidu.com/s/1AbCdEfG", "8k3q")


def test_an_href_folded_over_lines_is_the_whole_link():
    [f] = cloud_files([("html", '<a href="https://pan.baidu.com/s/1AbCdEf\r\nGhIj">下载</a> 提取码：8k3q')])
    assert f.link == "https://pan.baidu.com/s/1AbCdEfGhIj"


def test_a_long_link_in_quoted_printable_is_whole(issued_ws):
    link = "https://pan.baidu.com/s/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnop?pwd=8k3q"
    m = EmailMessage()
    m.set_content(f"请下载：{link}", cte="quoted-printable")
    from toolkit.mail import parse_mail

    [f] = parse_mail(m.as_bytes(), 200).cloud
    assert (f.link, f.code) == (link, "8k3q")
