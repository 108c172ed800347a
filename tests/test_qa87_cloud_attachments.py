"""Returns sent as cloud attachments: QQ 超大附件, 网易 云附件/超大附件, a Coremail 政务邮箱's 网盘.

A department's file too large for a mail (or sent so by habit) goes as a link: the mail body
holds a block "从QQ邮箱发来的超大附件" with the file's name, size, the link and when it
expires. duban read only attached files: such a mail was "没有附件", its unit stood 未报送 in
the 通报 and the screen said only "如正文中有填报表的下载链接…", with no file, no link, no
expiry; and once the office downloaded the file, it counted from the download (逾期).

The fixtures reproduce what each service writes:

* QQ Mail: the html block of QQ Mail's own compose script (``QQMailBigAttach``,
  ``class="bigatt_bt"`` titled 文件大小/到期时间, ``qqmailbgattach`` span with ``expiretime``
  in seconds, "查看下载信息"), as published in a copy of that script on GitHub; its plain-text
  part as a QQ mail quoted in a public GitHub issue reads it ("name (128.03M, 2020年11月27日
  21:59 到期)进入下载页面：http://mail.qq.com/cgi-bin/ftnExs_download?..."); the newer host
  wx.mail.qq.com/ftn/download.
* 网易 163: the ``divNeteaseBigAttach`` block of a 163 mail as quoted on the usrp-users
  mailing list (2022): "从网易163邮箱发来的超大附件", links to
  mail.163.com/large-attachment-download, ``filename``, ``filesize``, ``expiretime`` in
  milliseconds, "(3.61M, 2022年11月25日 13:35 到期)", a preview on fs.163.com.
* Coremail: the same block (Coremail is the system 163 and most 政务邮箱 run on) with a
  Coremail 网盘 share link, ``/coremail/common/nfFile.jsp?share_link=…&uid=…``, the shape
  university and government Coremail systems give in public READMEs.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import json
from email.message import EmailMessage

import mailservers
import pytest
from conftest import PERIOD, drop, late
from test_evidence import set_email
from test_mail_fetch import CST, DONE, DUBAN, july, mail_ws

from toolkit.cloud import cloud_files, service_of
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.mail import parse_mail

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)

QQ_LINK = ("https://wx.mail.qq.com/ftn/download?func=3&k=5b6c3430b7a3f59c8f6e1f2a1b0a3e62d6a0c1b2"
           "&key=5b6c3430b7a3f59c8f6e1f2a1b0a3e62&code=7684decd")
QQ_NAME = "东坑镇2022年6月进展填报表.xlsx"
QQ_EXPIRES = 1658194200  # 2022-07-19 09:30 in China


def qq_html(name: str = QQ_NAME, link: str = QQ_LINK, expires: int = QQ_EXPIRES) -> str:
    """QQ Mail's 超大附件 block, as its compose script writes it (see the module doc)."""
    when = dt.datetime.fromtimestamp(expires, CST)
    shown = f"{when:%Y}年{when:%m}月{when:%d}日 {when:%H:%M}"
    return (
        '<div>请查收我镇6月份进展填报表，文件较大，用超大附件发送。</div>'
        '<div id=QQMailBigAttach style="padding: 2px; margin-bottom: 15px;background-color:#E0ECF9;">'
        '<hr style="display:none;" /><div style="text-align:left;padding: 6px 0pt 10px 6px;">'
        '<b style="font-size: 14px;"><img border="0" align="absmiddle" style="margin-right:4px;" '
        'src="http://res.mail.qq.com/zh_CN/htmledition/images/icon_att.gif"/>从QQ邮箱发来的超大附件</b></div>'
        '<div style="padding: 0pt 8px 6px 12px;background:#fff;"><div style="clear:both;" >'
        '<div style="padding:10px 0;font-size:12px;">'
        f'<div title="{name}&#10;&#13;文件大小：12.35M&#10;&#13;到期时间：{shown}" class="bigatt_bt">'
        f'<div style="float:left;margin:2px 8px 0 0;"><a target="_blank" href="{link.replace("&", "&amp;")}">'
        '<img border="0" src="http://res.mail.qq.com/zh_CN/htmledition/images/fj/fu_exl.gif"/></a></div>'
        f'<div class="name_big" ><span class=\'qqmailbgattach\' expiretime="{expires}" '
        f'downloadlink="{link.replace("&", "&amp;")}"><a style="color:#000;text-decoration:none;" '
        f'target="_blank" href="{link.replace("&", "&amp;")}">{name}</a>'
        f'<span style="color:#A0A0A0;"> (12.35M, {shown} 到期)</span></span>'
        f'<div class="down_big"><a target="_blank" href="{link.replace("&", "&amp;")}">查看下载信息</a>'
        f'<span style="display:none;">：{link.replace("&", "&amp;")}</span></div></div></div></div>'
        '</div></div></div>')


def qq_text(name: str = QQ_NAME, link: str = QQ_LINK, expires: int = QQ_EXPIRES) -> str:
    when = dt.datetime.fromtimestamp(expires, CST)
    return (f"请查收我镇6月份进展填报表，文件较大，用超大附件发送。\n\n\n从QQ邮箱发来的超大附件\n\n"
            f"{name} (12.35M, {when:%Y}年{when:%m}月{when:%d}日 {when:%H:%M} 到期)进入下载页面：{link}\n")


NETEASE_LINK = ("https://mail.163.com/large-attachment-download/index.html?p=X-NETEASE-HUGE-ATTACHMENT"
                "&file=Sy2W9lTU-w7vguqZrlWFpokrrFG4wg5EhEj3dMzeTYbDfSr3lygA3p9yWJTf8RpsEiHvF7oIAGV5j9A5bObShQ"
                "&title=%E5%AF%AE%E6%AD%A5%E9%95%87")
NETEASE_NAME = "寮步镇6月工作进展（含佐证材料）.zip"


def netease_html(name: str = NETEASE_NAME, link: str = NETEASE_LINK, heading: str = "网易163邮箱",
                 expires_ms: int = 1659506700000, shown: str = "2022年8月3日 14:05") -> str:
    """The 163 block (divNeteaseBigAttach), as a 163 mail quoted on a public list shows it."""
    href = link.replace("&", "&amp;")
    preview = href.replace("mail.163.com/large-attachment-download/index.html", "fs.163.com/fs/preview/")
    return (
        '<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial">'
        '<p>6月份工作进展及佐证材料较大，以超大附件发送，请查收。</p></div>'
        '<div id="divNeteaseBigAttach" style="clear:both;margin-top:10px;margin-bottom:15px;'
        'background:#DEE8F2;padding:4px;font-family:verdana,Arial,Helvetica,sans-serif">'
        f'<div style="font-size:14px;padding:4px 8px 8px 8px;line-height:16px"><b>从{heading}发来的超大附件</b></div>'
        '<div style="background:#fff;padding:4px"><div style="clear:both;height:36px;padding:6px 4px">'
        f'<div style="float:left;width:36px"><a href="{href}"><img '
        'src="https://mimg.127.net/xm/all/fj/ico-bfile-28.gif" border="0"></a></div><div>'
        f'<div style="padding:0px;font-size:12px;line-height:14px"><a href="{href}" download="{href}" '
        f'preview="{preview}" fileid="undefined" filename="{name}" filesize="25892710" '
        f'expiretime="{expires_ms}" target="_blank" style="color:#000;text-decoration:none">{name}</a>'
        f'<span style="color:#bbb"> (24.69M, {shown} 到期)</span></div>'
        f'<div style="padding:4px 0px;font-size:12px;line-height:14px"><a href="{preview}">在线预览</a> | '
        f'<a href="{href}">下载</a></div></div></div></div></div>')


def cloud_mail(sender: str, subject: str, when: dt.datetime, html: str, text: str = "") -> bytes:
    """A department's mail whose file is a link: multipart/alternative, no attachment."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, DUBAN, subject
    m["Date"] = email.utils.format_datetime(when)
    m["Message-ID"] = email.utils.make_msgid(domain="qq.com")
    m.set_content(text or "请查收。")
    m.add_alternative(html, subtype="html")
    return m.as_bytes(policy=email.policy.SMTP)


def states(run, ws, period: str = "2022-06") -> dict:
    out = run(["-w", str(ws.root), "status", "--period", period, "--format", "json"])
    return json.loads(out.stdout)


def said(output: str, word: str) -> list[str]:
    return [x.strip() for x in output.splitlines() if word in x]


# ---------------------------------------------------------------------------
# reading the block


def test_the_qq_block_gives_the_file_its_link_and_expiry():
    [f] = parse_mail(cloud_mail("dk@dg.gov.cn", "东坑镇6月进展", july(4), qq_html(), qq_text())).cloud
    assert (f.name, f.link, f.service) == (QQ_NAME, QQ_LINK, "QQ邮箱超大附件")
    assert f.expires == dt.datetime(2022, 7, 19, 1, 30, tzinfo=dt.timezone.utc)
    # the plain part alone, as a text-only client keeps it (the old ftnExs_download host)
    old = "http://mail.qq.com/cgi-bin/ftnExs_download?t=exs_ftn_download&k=7d363834fce09c93f6&code=7684decd"
    [f] = cloud_files([("plain", qq_text(link=old))])
    assert (f.name, f.link, f.expires) == (QQ_NAME, old, dt.datetime(2022, 7, 19, 9, 30))


def test_the_163_block_gives_the_file_not_its_preview_nor_the_icons():
    found = parse_mail(cloud_mail("lb@163.com", "寮步镇6月份工作进展", july(4), netease_html())).cloud
    assert [(f.name, f.link, f.service) for f in found] == [(NETEASE_NAME, NETEASE_LINK, "网易163邮箱超大附件")]
    assert found[0].expires == dt.datetime(2022, 8, 3, 6, 5, tzinfo=dt.timezone.utc)
    assert service_of("http://fs.163.com/fs/preview/?file=abc") == ""
    assert service_of("https://1drv.ms/x/s!AkY0") == "OneDrive 共享文件"


def test_a_coremail_share_link_under_its_own_heading():
    link = ("https://mail.dg.gov.cn/coremail/common/nfFile.jsp?share_link=5418DA3CCDBA48F8A81AE154DA02C3D5"
            "&uid=sjj%40dg.gov.cn")
    html = netease_html("市数据局6月进展填报表.xlsx", link, heading="东莞市政务邮箱", expires_ms=0,
                        shown="2022年7月20日 18:00")
    [f] = cloud_files([("html", html)])
    assert (f.name, f.link, f.service) == ("市数据局6月进展填报表.xlsx", link, "东莞市政务邮箱超大附件")
    assert f.expires == dt.datetime(2022, 7, 20, 18, 0)  # as the block writes it: no expiretime


def test_an_ordinary_link_in_a_mail_is_no_cloud_attachment():
    text = "请查看市政府网站通知：https://www.dg.gov.cn/zwgk/tzgg/content/post_3829811.html ，另附网盘地址见附件。"
    assert cloud_files([("plain", text)]) == []


# ---------------------------------------------------------------------------
# through collect


def test_a_qq_cloud_mail_is_recorded_named_with_its_link_and_expiry_and_flagged_until_downloaded(
        issued_ws, make_return, run, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 6))
    set_email(ws, 东坑镇="dk@dg.gov.cn")
    drop(ws, "东坑镇6月进展.eml", cloud_mail("东坑镇党政办 <dk@dg.gov.cn>", "东坑镇2022年6月工作进展报送", july(4),
                                         qq_html(), qq_text()))
    collected = run(["-w", str(ws.root), "collect"])
    assert collected.exit_code == 1, collected.output
    [line] = said(collected.output, "超大附件")
    assert line.startswith("请核实：") and "东坑镇的邮件“东坑镇2022年6月工作进展报送”" in line, line
    assert f"“{QQ_NAME}”（2022-07-19 09:30 到期） {QQ_LINK}" in line and "QQ邮箱超大附件" in line
    assert "暂计为未报送" in line and "duban collect" in line and "没有附件，不是填报表" not in line
    with Ledger(ws.ledger_path) as ledger:
        [rec] = ledger.receipts(top_level=True)
        assert (rec.unit, rec.outcome, rec.period) == ("东坑镇", "已拆包", PERIOD)
        [w211] = ledger.issues_of(rec.id)
    assert w211.code == "W211" and w211.severity == "警告" and QQ_LINK in w211.message
    assert w211.message.startswith(f"“{QQ_NAME}”没有随邮件附上") and "2022-07-19 09:30 到期" in w211.message
    # the 校验问题 sheet lists it under the unit; status and merge say it while it is 未报送
    cons = consolidate(ws, PERIOD)
    assert [(i["unit"], i["code"]) for i in cons.issues if i["code"] == "W211"] == [("东坑镇", "W211")]
    assert list(cons.behind_links) == ["东坑镇"]
    status = run(["-w", str(ws.root), "status", "--period", "2022-06"])
    assert status.exit_code == 1
    [note] = said(status.output, "超大附件")
    assert note.startswith("请核实：东坑镇 在2022年6月计为未报送") and "W211" in note, note
    data = states(run, ws)
    assert {u["单位"]: u["报送状态"] for u in data["units"]}["东坑镇"] == "未报送"
    assert list(data["behind_links"]) == ["东坑镇"]
    # json carries the same 请核实 line, and exits 1 as the table does; so does a csv written to a file
    assert data["notes"] == [note] and data["told"] == []
    as_json = run(["-w", str(ws.root), "status", "--period", "2022-06", "--format", "json"])
    assert as_json.exit_code == 1
    as_csv = run(["-w", str(ws.root), "status", "--period", "2022-06", "-o", str(ws.root / "报送情况.csv")])
    assert as_csv.exit_code == 1 and said(as_csv.output, "超大附件") == [note]
    merged = run(["-w", str(ws.root), "merge", "--period", "2022-06"])
    assert said(merged.output, "超大附件") == [note]

    # the office downloads it on 8 July (after the 5 July deadline) and drops it in 收件箱:
    # it counts from the mail's time, as it would have attached to the mail
    drop(ws, QQ_NAME.replace(".xlsx", " (1).xlsx"), make_return("东坑镇", **{"1_2": DONE}), mtime=late())
    again = run(["-w", str(ws.root), "collect"])
    assert again.exit_code == 0, again.output
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.outcome == "采纳")
    assert (rec.unit, rec.received_at[:16], rec.received_how) == ("东坑镇", "2022-07-04 09:30", "邮件发送时间")
    assert "超大附件链接下载" in rec.note
    data = states(run, ws)
    assert {u["单位"]: u["报送状态"] for u in data["units"]}["东坑镇"] == "按时报送"
    assert data["behind_links"] == {} and data["notes"] == []
    assert said(run(["-w", str(ws.root), "status", "--period", "2022-06"]).output, "超大附件") == []


def test_a_163_cloud_mail_from_a_personal_mailbox_goes_to_the_unit_its_subject_names(issued_ws, run, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 6))
    drop(ws, "寮步镇.eml", cloud_mail("寮步镇办公室 <liaobu_dzb@163.com>", "寮步镇6月份工作进展", july(5, 16),
                                   netease_html()))
    collected = run(["-w", str(ws.root), "collect"])
    assert collected.exit_code == 1
    [line] = said(collected.output, "超大附件")
    assert line.startswith("请核实：") and "寮步镇的邮件" in line and "网易163邮箱超大附件" in line
    assert f"“{NETEASE_NAME}”（2022-08-03 14:05 到期） {NETEASE_LINK}" in line, line


def test_a_cloud_mail_of_no_known_unit_is_said_too(issued_ws, run, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 6))
    html = qq_html("6月材料.zip", expires=1656547200)  # 2022-06-30 08:00: expired before it was collected
    drop(ws, "材料.eml", cloud_mail("小李 <123456789@qq.com>", "材料", july(4), html, qq_text("6月材料.zip",
                                                                                       expires=1656547200)))
    collected = run(["-w", str(ws.root), "collect"])
    assert collected.exit_code == 1
    [line] = said(collected.output, "超大附件")
    assert "一封未能识别单位的邮件“材料”" in line and "请核实是哪个单位报送的" in line, line
    assert "“6月材料.zip”（已于 2022-06-30 08:00 过期）" in line and "以附件重新报送" in line


def test_a_return_attached_beside_an_ordinary_link_is_collected_as_before(issued_ws, make_return, run):
    from test_evidence import mail

    ws = issued_ws
    drop(ws, "石龙镇.eml", mail([("石龙镇_进展填报表.xlsx", make_return("石龙镇", **{"1_2": DONE}))],
                              sender="sl@example.cn", subject="石龙镇6月进展"))
    collected = run(["-w", str(ws.root), "collect"])
    assert collected.exit_code == 0, collected.output
    assert said(collected.output, "超大附件") == []


# ---------------------------------------------------------------------------
# through the office mailbox (tests/mailservers.py)


@pytest.fixture
def password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])


def test_a_cloud_mail_fetched_from_the_mailbox_is_flagged_with_its_link(issued_ws, mail_servers, password, run,
                                                                       collecting_on):
    s = mail_servers
    collecting_on(dt.date(2022, 7, 6))
    set_email(issued_ws, 东坑镇="dk@dg.gov.cn")
    ws = mail_ws(issued_ws, s)
    s.deliver(DUBAN, cloud_mail("dk@dg.gov.cn", "东坑镇6月进展", july(4), qq_html(), qq_text()),
              internaldate=july(4, 9, 31))
    fetched = run(["-w", str(ws.root), "mail", "fetch"])
    assert "存入收件箱 1 封：" in fetched.output, fetched.output
    collected = run(["-w", str(ws.root), "collect"])
    assert collected.exit_code == 1
    [line] = said(collected.output, "超大附件")
    assert "东坑镇的邮件“东坑镇6月进展”" in line and QQ_LINK in line and "2022-07-19 09:30 到期" in line, line
