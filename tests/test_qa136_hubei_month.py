"""湖北 plays June 2018 through a real mailbox (QA136): 15 units, 12 mails, one auto-reply.

The plan is a slice of 湖北省人民政府办公厅《关于分解落实〈政府工作报告〉的通知》(鄂政办发〔2018〕4号),
《政府工作报告》重点工作责任分解, as stored at http://nybiz.cn/law/2979.html (traditional characters,
given here simplified). Verbatim: the heading 一、坚决打好三大攻坚战, items 1 and 2's task text and
their 牵头单位 / 责任单位 (item 2's 责任单位 cut after 省国资委 and 湖北银监局; the stored copy's
list goes on). Not in the source: the 完成时限 (the office's), the 单位名录 (5 of the 17 市州; addresses
invented). Played: forwards inline and as .eml, a GBK-named zip, a county's copy of its city's form,
a stamped PDF alone, a mail dated before the deadline and received after it, a correction, a 163.com
address, an out-of-office reply to the issued mail (fetch used to store it and collect asked the
coordinator to look in it for a download link).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import shutil
from email import message_from_bytes
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import mailservers
import pytest
from click.testing import CliRunner
from conftest import numbered_table, set_clock, zip_bytes

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

CST = dt.timezone(dt.timedelta(hours=8))
OFFICE = "duban@example.org"
TITLE = "湖北省2018年《政府工作报告》重点工作责任分解"
ROWS = [
    ("一、坚决打好三大攻坚战",),
    ("规范政府举债行为，严格控制增量，积极消化存量，依法处置隐性债务。", "省财政厅",
     "省发改委、省经信委、省审计厅、省国资委、省政府金融办，人行武汉分行、湖北银监局等，各市州政府", "2018年12月底前"),
    ("开展非法金融活动专项整治，多措并举化解银行不良贷款，推动地方法人金融机构稳健运营，强化对影子银行、互联网金融等薄弱环节监管。",
     "省政府金融办，人行武汉分行", "省经信委、省公安厅、省商务厅、省国资委、湖北银监局", "2018年12月底前"),
]
DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
湖北省财政厅,省财政厅,省直部门,,,czt@hubei.example.cn
湖北省发展和改革委员会,省发改委,省直部门,,,fgw@hubei.example.cn
湖北省经济和信息化委员会,省经信委,省直部门,,,jxw@hubei.example.cn
湖北省审计厅,省审计厅,省直部门,,,sjt@hubei.example.cn
湖北省人民政府国有资产监督管理委员会,省国资委,省直部门,,,gzw@hubei.example.cn
湖北省人民政府金融工作办公室,省政府金融办,省直部门,,,jrb@hubei.example.cn
湖北省公安厅,省公安厅,省直部门,,,gat@hubei.example.cn
湖北省商务厅,省商务厅,省直部门,,,swt@hubei.example.cn
中国人民银行武汉分行,人行武汉分行,中央驻鄂单位,,,rhwh@hubei.example.cn
中国银行业监督管理委员会湖北监管局,湖北银监局,中央驻鄂单位,,,yjj@hubei.example.cn
武汉市人民政府,武汉市,市州人民政府,,,wh@hubei.example.cn
黄石市人民政府,黄石市,市州人民政府,,,hs@hubei.example.cn
宜昌市人民政府,宜昌市,市州人民政府,,,yc@hubei.example.cn
襄阳市人民政府,襄阳市,市州人民政府,,,xy@hubei.example.cn
恩施土家族苗族自治州人民政府,恩施州,市州人民政府,,,es@hubei.example.cn
"""
EMAIL = {r.split(",")[0]: r.split(",")[5] for r in DIRECTORY.splitlines()[1:]}

def at(day, h=9, m=30, month=7):
    return dt.datetime(2018, month, day, h, m, tzinfo=CST)

def msg(sender, subject, when, body="请查收。", files=(), parts=(), extra_headers=None, to=OFFICE):
    m = MIMEMultipart()
    name, addr = email.utils.parseaddr(sender)
    m["From"] = email.utils.formataddr((str(Header(name, "utf-8").encode()) if name else "", addr))
    m["To"] = to
    m["Subject"] = Header(subject, "utf-8")
    m["Date"] = email.utils.format_datetime(when)
    m["Message-ID"] = email.utils.make_msgid(domain=sender.rsplit("@",1)[1].rstrip(">"))
    for k, v in (extra_headers or {}).items():
        m[k] = v
    m.attach(MIMEText(body, "plain", "utf-8"))
    for name, data in files:
        p = MIMEApplication(data, "octet-stream")
        p.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        m.attach(p)
    for p in parts:
        m.attach(p)
    return m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

@pytest.fixture(scope="module")
def hubei(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hubei")
    log = []
    mp = pytest.MonkeyPatch()
    root = tmp / "ws"
    (tmp / "名录.csv").write_text(DIRECTORY, encoding="utf-8")
    numbered_table(tmp / f"{TITLE}.xlsx", TITLE, ["序号", "重点工作", "牵头单位", "责任单位", "完成时限"], ROWS)
    runner = CliRunner()
    def run(*a):
        r = runner.invoke(cli, ["-w", str(root), *a], catch_exceptions=False)
        assert r.exit_code in (0, 1), r.output
        log.append((a[0], r.output))
        return r
    users = {OFFICE: "pw-1"}
    with mailservers.start_mail_servers(tmp / "mail", users) as s:
        mp.setenv("DUBAN_MAIL_PASSWORD", "pw-1")
        set_clock(mp, dt.date(2018, 6, 25))
        r = runner.invoke(cli, ["init", str(root), "--master", str(tmp / f"{TITLE}.xlsx"), "--period", "2018-06",
                                "--organiser", "湖北省人民政府办公厅", "--directory", str(tmp / "名录.csv")], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        cfg = root / "duban.toml"
        t = cfg.read_text(encoding="utf-8")
        block = (f'imap_host = "127.0.0.1"\nsmtp_host = "127.0.0.1"\nsecurity = "ssl"\nimap_port = {s.imaps_port}\n'
                 f'smtp_port = {s.smtps_port}\nuser = "{OFFICE}"\nfrom = "{OFFICE}"\nca_file = "{s.ca_file}"\nsend_per_minute = 600\n')
        cfg.write_text(t.replace("[mail]\n", "[mail]\n" + block, 1), encoding="utf-8")
        run("issue", "--period", "2018-06")
        def form(unit):
            (f,) = (root / "下发" / "2018年6月").glob(f"*_{unit}_进展填报表.xlsx")
            return f
        def filled(unit, work="6月：按计划推进。", progress=50, status="序时推进"):
            return fill_return(form(unit), Filling(default=Answer(status=status, progress=progress, work=work)))
        def deliver(raw, when):
            s.deliver(OFFICE, raw, internaldate=when)
        E = EMAIL
        # 1 财政厅 on time
        deliver(msg(f"省财政厅 <{E['湖北省财政厅']}>", "省财政厅6月进展", at(3), files=[(form('湖北省财政厅').name, filled('湖北省财政厅'))]), at(3))
        # 2 发改委: its 办公室 colleague forwards the clerk's mail inline (Fwd:) from his own address
        fwd_inline = msg("发改委办公室 <bgs.fgw@hubei.example.cn>", "Fwd: 发改委6月进展", at(4, 10),
                         body="---------- Forwarded message ---------\nFrom: fgw@hubei.example.cn\nSubject: 发改委6月进展\n\n请查收。",
                         files=[(form('湖北省发展和改革委员会').name, filled('湖北省发展和改革委员会'))])
        deliver(fwd_inline, at(4, 10))
        # 3 审计厅 forwarded as attachment .eml
        inner = msg(f"<{E['湖北省审计厅']}>", "审计厅6月进展", at(4, 8), files=[(form('湖北省审计厅').name, filled('湖北省审计厅'))], to="bgs.sjt@hubei.example.cn")
        part = MIMEMessage(message_from_bytes(inner))
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "审计厅6月进展.eml"))
        deliver(msg("审计厅办公室 <bgs.sjt@hubei.example.cn>", "转发: 审计厅6月进展", at(4, 15), body="转发。", parts=[part]), at(4, 15))
        # 4 国资委 GBK zip
        z = zip_bytes({f"国资委6月报送/{form('湖北省人民政府国有资产监督管理委员会').name}": filled('湖北省人民政府国有资产监督管理委员会')}, gbk=True)
        deliver(msg(f"<{E['湖北省人民政府国有资产监督管理委员会']}>", "国资委6月进展", at(4, 11), files=[("国资委6月进展.zip", z)]), at(4, 11))
        # 5 宜昌市 itself; 夷陵区 (county) with a filled copy of 宜昌's form, earlier
        deliver(msg("夷陵区政府办 <ylqzfb@yiling.example.cn>", "夷陵区6月进展", at(2, 16), files=[("夷陵区_" + form('宜昌市人民政府').name, filled('宜昌市人民政府', work="夷陵区：清理隐性债务2笔。"))]), at(2, 16))
        deliver(msg(f"<{E['宜昌市人民政府']}>", "宜昌市6月进展", at(8, 11), files=[(form('宜昌市人民政府').name, filled('宜昌市人民政府', work="宜昌市：全市隐性债务清查完毕。"))]), at(8, 11))
        # 6 经信委: stamped PDF only
        deliver(msg(f"<{E['湖北省经济和信息化委员会']}>", "经信委6月进展（盖章版）", at(4, 9), files=[("经信委6月进展盖章.pdf", b"%PDF-1.4\n% stamped scan\n")]), at(4, 9))
        # 7 黄石市: Date 7-05 23:40, internal 7-06 00:30
        deliver(msg(f"<{E['黄石市人民政府']}>", "黄石市6月进展", at(5, 23, 40), files=[(form('黄石市人民政府').name, filled('黄石市人民政府'))]), at(6, 0, 30))
        # 8 金融办: first, then correction
        deliver(msg(f"<{E['湖北省人民政府金融工作办公室']}>", "金融办6月进展", at(3, 10), files=[(form('湖北省人民政府金融工作办公室').name, filled('湖北省人民政府金融工作办公室', progress=40))]), at(3, 10))
        deliver(msg(f"<{E['湖北省人民政府金融工作办公室']}>", "金融办6月进展（更正）", at(4, 17), files=[(form('湖北省人民政府金融工作办公室').name, filled('湖北省人民政府金融工作办公室', progress=45, work="6月：更正后进展。"))]), at(4, 17))
        # 9 襄阳市 from 163.com
        deliver(msg("张科员 <xyzhang2018@163.com>", "襄阳市6月进展", at(5, 20), files=[(form('襄阳市人民政府').name, filled('襄阳市人民政府'))]), at(5, 20))
        # 10 人行武汉分行: out of office auto reply
        deliver(msg(f"<{E['中国人民银行武汉分行']}>", "自动回复: 湖北省2018年6月进展填报表", at(1, 8), body="您好，我已休假，7月10日返回。",
                    extra_headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"}), at(1, 8))
        # 11 武汉市 on time
        deliver(msg(f"<{E['武汉市人民政府']}>", "武汉市6月进展", at(4, 14), files=[(form('武汉市人民政府').name, filled('武汉市人民政府'))]), at(4, 14))
        # 12 恩施州 late both
        deliver(msg(f"<{E['恩施土家族苗族自治州人民政府']}>", "恩施州6月进展", at(9, 10), files=[(form('恩施土家族苗族自治州人民政府').name, filled('恩施土家族苗族自治州人民政府'))]), at(9, 10))
        set_clock(mp, dt.date(2018, 7, 10))
        run("mail", "fetch")
        run("collect")
        run("merge")
        run("memo", "--format", "md")
        run("remind")
        status = json.loads(run("status", "--format", "json").output)
        yield root, dict(log), status, s.mailbox(OFFICE)
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


EXPECTED = {
    "湖北省财政厅": "按时报送", "湖北省发展和改革委员会": "按时报送", "湖北省审计厅": "按时报送",
    "湖北省人民政府国有资产监督管理委员会": "按时报送", "湖北省经济和信息化委员会": "退回待改",
    "湖北省人民政府金融工作办公室": "按时报送", "湖北省公安厅": "未报送", "湖北省商务厅": "未报送",
    "中国人民银行武汉分行": "未报送", "中国银行业监督管理委员会湖北监管局": "未报送",
    "武汉市人民政府": "按时报送", "黄石市人民政府": "逾期报送", "宜昌市人民政府": "按时报送",
    "襄阳市人民政府": "按时报送", "恩施土家族苗族自治州人民政府": "逾期报送",
}


def test_every_unit_has_the_verdict_of_what_it_did(hubei):
    _root, _log, status, _box = hubei
    assert {u["单位"]: u["报送状态"] for u in status["units"]} == EXPECTED
    times = {u["单位"]: u["报送时间"] for u in status["units"]}
    assert times["湖北省人民政府金融工作办公室"] == "2018-07-03 10:30"  # the first return decides, not the correction
    assert times["黄石市人民政府"] == "2018-07-06 00:30"


def test_the_out_of_office_reply_is_left_in_the_mailbox_and_asked_about_nowhere(hubei):
    _root, log, _status, box = hubei
    assert "自动回复" not in log["mail"] and "与报送无关的邮件 1 封" in log["mail"], log["mail"]
    assert "自动回复" not in log["collect"], log["collect"]
    # the mail the clock doubts is still named, once
    said = [x for x in log["collect"].splitlines() if "请核实" in x]
    assert len(said) == 1 and "黄石市人民政府" in said[0] and "2018-07-05 23:40" in said[0]
    assert len(box) == 14  # nothing moved or deleted on the server


def test_the_memo_and_the_reminders_name_the_units_as_they_stand(hubei):
    root, log, _status, _box = hubei
    (memo,) = (root / "通报" / "2018年6月").glob("*.md")
    text = memo.read_text(encoding="utf-8")
    assert "（一）逾期报送的单位（2个）：黄石市人民政府、恩施土家族苗族自治州人民政府。" in text
    assert "（三）未报送的单位（4个）：湖北省公安厅、湖北省商务厅、中国人民银行武汉分行、中国银行业监督管理委员会湖北监管局。" in text
    assert "退回待改 湖北省经济和信息化委员会" in log["remind"] and "未报送 中国人民银行武汉分行" in log["remind"]



def test_the_city_on_time_by_its_countys_copy_alone_is_asked_about_before_the_memo(hubei):
    # 宜昌市 stays 按时 (the first accepted return, the county's copy, is 宜昌市's by its _meta),
    # but its own return came from its own address after the deadline: merge and memo ask (QA138)
    _root, log, status, _box = hubei
    yc = next(u for u in status["units"] if u["单位"] == "宜昌市人民政府")
    assert (yc["报送状态"], yc["报送时间"]) == ("按时报送", "2018-07-02 16:30")
    assert "报送时间为第一份合格报送“夷陵区_2018年6月_宜昌市人民政府_进展填报表.xlsx”的时间" in yc["报送文件"]
    for command in ("merge", "memo"):
        said = [x for x in log[command].splitlines() if x.startswith("请核实")]
        # beside it (QA234): 黄石市 逾期 on the mailbox's time alone (00:30) while its mail's own Date
        # (23:40 on the deadline day) is on time, asked until the office answers
        (mailbox,) = [x for x in said if "黄石市人民政府按邮箱收到时间（2018-07-06 00:30）计为逾期报送" in x]
        assert "但邮件自身的发送时间是 2018-07-05 23:40" in mailbox
        said.remove(mailbox)
        assert len(said) == 1, log[command]
        line = said[0]
        for text in ("宜昌市人民政府 在2018年6月计为按时报送", "“夷陵区_2018年6月_宜昌市人民政府_进展填报表.xlsx”",
                     "2018-07-02 16:30", "夷陵区政府办 <ylqzfb@yiling.example.cn>", "yc@hubei.example.cn",
                     "“2018年6月_宜昌市人民政府_进展填报表.xlsx”", "2018-07-08 11:30", "2018年7月5日",
                     "宜昌市人民政府应为逾期报送", "duban sender --period 2018-06 --dept 宜昌市人民政府 --not-theirs"):
            assert text in line, (text, line)
    # 襄阳市's clerk on 163.com sent its only return: nothing to ask
    assert "襄阳市" not in log["merge"] and "163.com" not in log["merge"]
