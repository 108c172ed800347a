"""QA210: the mail fixes of the QA209 review, without the mail servers.

* 寮步镇 forwards on 7 July (after the 5 July due date) the mail its village, 下岭贝村委会
  <xlbcwh@163.com>, sent *the town* (To: lb@dg.gov.cn, its 单位名录 address) on 3 July. The office
  got the return on 7 July. QA212: the forward's time counts only when the forwarded message
  provably went to a unit (every address it went to is one 单位名录 gives a unit, none of
  duban.toml [mail]); when it cannot be told (to a personal mailbox, to the forwarder not in
  单位名录) its own Date counts and collect names the forward's when that would make it 逾期.
* 东坑镇 (WPS Mail) sends a 金山文档 and a 百度网盘 link with its 提取码: both are named, the line
  says ``collect --received`` with the mail's date (the links name no file to match back), and
  status asks again while 东坑镇 stands 未报送; so it does for a mail with no attachment at all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from email.message import EmailMessage

import pytest
from conftest import drop
from test_evidence import set_email

from toolkit.actions.collect import collect
from toolkit.cloud import cloud_files, service_of
from toolkit.ledger import Ledger
from toolkit.mail import addressed_to_office, parse_mail
from toolkit.vocab import TimeSource, UnitState
from toolkit.workspace import find_workspace

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
OFFICE = "dbb@dg.gov.cn"
TOWN = "lb@dg.gov.cn"  # 石龙镇 plays 寮步镇 in the fixture's plan
VILLAGE = "下岭贝村委会 <xlbcwh@163.com>"
SENT = "Sun, 03 Jul 2022 16:00:00 +0800"
FORWARDED = "Thu, 07 Jul 2022 09:00:00 +0800"
CST = dt.timezone(dt.timedelta(hours=8))
NAME = "2022年6月_石龙镇_进展填报表.xlsx"


def with_office(ws, address: str = OFFICE):
    """[mail] set up as the office's: its drafts are sent from ``address``."""
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(re.sub(r'(?m)^sender = ""', f'sender = "{address}"', text, count=1), encoding="utf-8")
    return find_workspace(ws.root, explicit=True)


def village_mail(data: bytes, to: str = TOWN, sender: str = VILLAGE) -> EmailMessage:
    inner = EmailMessage()
    inner["From"], inner["To"] = sender, to
    inner["Subject"], inner["Date"] = "石龙镇6月进展填报表（村里代填）", SENT
    inner.set_content("镇里的表格已代为填好。")
    inner.add_attachment(data, *XLSX, filename=NAME)
    return inner


def forward(inner: EmailMessage, how: str = "message", to: str = OFFICE) -> bytes:
    """石龙镇's Foxmail forwards ``inner`` to the office (as message/rfc822, or as an .eml file)."""
    m = EmailMessage()
    m["From"], m["To"] = f"石龙镇办公室 <{TOWN}>", to
    m["Cc"] = TOWN  # the town keeps itself in copy: not an address the village mail shares with the office
    m["Subject"], m["Date"] = "转发: 石龙镇6月进展填报表（村里代填）", FORWARDED
    m.set_content("转发村里的邮件，附件为我镇6月进展。")
    if how == "message":
        m.add_attachment(inner)
    else:
        m.add_attachment(inner.as_bytes(), "application", "octet-stream", filename="村里的邮件.eml")
    return m.as_bytes()


def receipt(ws, name: str = NAME):
    with Ledger(ws.ledger_path) as ledger:
        [r] = [r for r in ledger.receipts() if r.name == name]
    return r


def state(run, ws, unit: str) -> dict:
    out = run(["status", "--format", "json"], cwd=ws.root)
    return {u["单位"]: u for u in json.loads(out.stdout)["units"]}[unit] | {"_notes": json.loads(out.stdout)["notes"],
                                                                          "_exit": out.exit_code}


# ---------------------------------------------------------------------------
# whom a forwarded message was sent to


MAYOR = "zhangzz@163.com"  # the 镇长's own mailbox: neither the office nor the town that forwards
UNITS = frozenset({TOWN, "sl@dg.gov.cn"})  # 单位名录's addresses


@pytest.mark.parametrize("to, around, office, sent", [
    ((OFFICE,), (OFFICE,), frozenset({OFFICE}), True),
    (("xlbcwh@163.com", OFFICE), (OFFICE,), frozenset({OFFICE}), True),  # the village wrote the office too
    ((TOWN,), (OFFICE,), frozenset({OFFICE}), False),                   # to a unit (单位名录): provably elsewhere
    ((TOWN, "sl@dg.gov.cn"), (OFFICE,), frozenset({OFFICE}), False),   # to two units
    ((TOWN,), (OFFICE,), frozenset(), False),                           # no [mail]: to a unit all the same
    ((TOWN, MAYOR), (OFFICE,), frozenset({OFFICE}), None),              # a unit and a personal mailbox
    ((MAYOR,), (OFFICE,), frozenset({OFFICE}), None),                   # a personal mailbox: the clerk's?
    (("alias@dg.gov.cn",), ("alias@dg.gov.cn",), frozenset({OFFICE}), None),  # where the forward went
    ((), (OFFICE,), frozenset({OFFICE}), None),                         # Bcc: to no one shown
    ((OFFICE,), (OFFICE,), frozenset(), True),                          # no [mail]: where the forward went
    ((MAYOR,), (OFFICE,), frozenset(), None),                           # no [mail]: not known
])
def test_whom_a_forwarded_message_was_sent_to(to, around, office, sent):
    assert addressed_to_office(to, around, office, UNITS) is sent


def test_a_village_mail_to_the_town_takes_the_forwards_date_and_sender():
    mail = parse_mail(forward(village_mail(b"PK")), office=frozenset({OFFICE}), units=UNITS)
    [att] = mail.attachments
    assert mail.to == (OFFICE,)  # the town's own address in Cc is not whom it sent to
    assert (att.date, att.sender, att.unsure, att.elsewhere) == (None, "", False, True)  # the mail's, as unpack gives
    assert att.via.startswith("转发的邮件“石龙镇6月进展填报表（村里代填）”（发件人 下岭贝村委会 <xlbcwh@163.com>）")


def test_a_village_mail_to_a_personal_mailbox_keeps_its_date_unsure():
    mail = parse_mail(forward(village_mail(b"PK", to=MAYOR)), office=frozenset({OFFICE}), units=UNITS)
    [att] = mail.attachments
    assert (att.date, att.unsure) == (dt.datetime(2022, 7, 3, 16, 0, tzinfo=CST), True)
    assert "xlbcwh@163.com" in att.sender


# ---------------------------------------------------------------------------
# collect and status


@pytest.mark.parametrize("how", ["message", "eml"])
def test_the_village_mail_to_the_town_forwarded_late_is_late_and_nothing_is_asked(run, issued_ws, make_return, how):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN)
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇")), how))
    result = collect(ws)
    r = receipt(ws)
    assert (r.received_at, r.received_how, r.unit) == ("2022-07-07 09:00:00", TimeSource.MAIL, "石龙镇")
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.LATE
    # sent to the town's 单位名录 address: it went to the town, the forward brought it, firmly
    assert not [m for _, m in result.disputed if "石龙镇" in m]


@pytest.mark.parametrize("how", ["message", "eml"])
def test_a_village_mail_to_a_personal_mailbox_forwarded_late_is_on_time_and_asked(run, issued_ws, make_return, how):
    ws = with_office(issued_ws)
    set_email(ws, 石龙镇=TOWN)
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇"), to=MAYOR), how))
    result = collect(ws)
    r = receipt(ws)
    assert (r.received_at, r.received_how, r.unit) == ("2022-07-03 16:00:00", TimeSource.FORWARDED, "石龙镇")
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME
    [said] = [m for _, m in result.disputed if "石龙镇" in m]
    assert "2022-07-07 09:00" in said and "2022-07-03 16:00" in said and "--dept 石龙镇 --on 2022-07-07" in said


@pytest.mark.parametrize("how", ["message", "eml"])
def test_the_units_own_mail_to_the_office_forwarded_late_keeps_its_time(run, issued_ws, make_return, how):
    ws = with_office(issued_ws)
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇"), to=OFFICE, sender=TOWN), how))
    collect(ws)
    assert receipt(ws).received_at == "2022-07-03 16:00:00"
    assert state(run, ws, "石龙镇")["报送状态"] == UnitState.ON_TIME


@pytest.mark.parametrize("how", ["message", "eml"])
def test_without_mail_settings_a_mail_to_the_forwarder_not_in_the_directory_keeps_its_date(
        run, issued_ws, make_return, how):
    drop(issued_ws, "来信.eml", forward(village_mail(make_return("石龙镇")), how))  # lb@ is no unit's here
    result = collect(issued_ws)
    assert receipt(issued_ws).received_at == "2022-07-03 16:00:00"
    assert state(run, issued_ws, "石龙镇")["报送状态"] == UnitState.ON_TIME
    [said] = [m for _, m in result.disputed if "石龙镇" in m]
    assert "2022-07-07 09:00" in said and "2022-07-03 16:00" in said and "不能确认它是发给督办部门的" in said


# ---------------------------------------------------------------------------
# links and mails with no file


WPS_BODY = ("您好，我镇6月进展填报表已上传：\n金山文档 https://www.kdocs.cn/l/cqXk3mZ2aBcD\n"
            "备用：百度网盘 链接: https://pan.baidu.com/s/1AbCdEfG 提取码: 8k3q")


@pytest.mark.parametrize("link, service, code", [
    ("https://www.kdocs.cn/l/cqXk3mZ2aBcD", "金山文档", ""),
    ("https://pan.baidu.com/s/1AbCdEfG?pwd=8k3q", "百度网盘", "8k3q"),
    ("https://www.aliyundrive.com/s/tJ4Gq2m8XyZ 提取码: 0rx7", "阿里云盘", "0rx7"),
    ("https://www.alipan.com/s/tJ4Gq2m8XyZ", "阿里云盘", ""),
    ("https://share.weiyun.com/Xb3kLm9Q", "腾讯微云", ""),
    ("https://cloud.189.cn/t/ZnQfYbqUJ3ae（访问码：k2m9）", "天翼云盘", "k2m9"),
    ("https://www.123pan.com/s/Ab1cVv-dE2fG", "123云盘", ""),
    ("https://wwi.lanzoui.com/iAbc123xyz\n密码:3fgh", "蓝奏云", "3fgh"),
    ("https://www.jianguoyun.com/p/DAbCdEfGh1234", "坚果云", ""),
    ("https://docs.qq.com/sheet/DAbCdEfGhIjKlMn", "腾讯文档", ""),
])
def test_the_cloud_drives_offices_use_are_known(link, service, code):
    [f] = cloud_files([("plain", f"请下载：{link}")])
    assert (f.service, f.code) == (service, code)


def test_a_homepage_link_in_a_signature_is_no_file():
    assert service_of("https://www.wps.cn/") == "" and service_of("https://pan.baidu.com/") == ""


def link_mail(body: str = WPS_BODY, subject: str = "石龙镇6月进展填报表") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"石龙镇办公室 <{TOWN}>", OFFICE, subject
    m["Date"] = "Mon, 04 Jul 2022 17:00:00 +0800"
    m.set_content(body)
    return m.as_bytes()


def test_the_link_question_names_the_links_and_the_code_and_the_date(run, issued_ws):
    set_email(issued_ws, 石龙镇=TOWN)
    drop(issued_ws, "来信.eml", link_mail())
    [said] = [m for _, m in collect(issued_ws).disputed if "石龙镇" in m]
    assert "https://www.kdocs.cn/l/cqXk3mZ2aBcD" in said and "https://pan.baidu.com/s/1AbCdEfG（提取码 8k3q）" in said
    assert "duban collect --received 2022-07-04" in said
    s = state(run, issued_ws, "石龙镇")
    assert s["报送状态"] == UnitState.NOT_REPORTED and s["_exit"] == 1
    [note] = [n for n in s["_notes"] if "石龙镇" in n]
    assert "请核实" in note and "8k3q" in note and "duban collect --received 2022-07-04" in note


def test_a_mail_with_no_attachment_is_asked_about_until_the_unit_reports(run, issued_ws, make_return):
    set_email(issued_ws, 石龙镇=TOWN)
    drop(issued_ws, "来信.eml", link_mail("表格见正文，请查收。"))
    [said] = [m for _, m in collect(issued_ws).disputed if "石龙镇" in m]
    assert "没有附件" in said and "duban collect --received 2022-07-04" in said
    s = state(run, issued_ws, "石龙镇")
    assert s["报送状态"] == UnitState.NOT_REPORTED and s["_exit"] == 1
    [note] = [n for n in s["_notes"] if "石龙镇" in n]
    assert note.startswith("请核实：石龙镇") and "没有附件" in note and "--received 2022-07-04" in note
    # the unit's return is in: nothing to ask
    drop(issued_ws, NAME, make_return("石龙镇"))
    collect(issued_ws, received=dt.date(2022, 7, 4))
    s = state(run, issued_ws, "石龙镇")
    assert s["报送状态"] == UnitState.ON_TIME and not [n for n in s["_notes"] if "石龙镇" in n]
