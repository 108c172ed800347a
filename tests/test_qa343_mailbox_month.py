"""QA343: 西平县's July 2020 played through the office mailbox as departments really answer.

The forms go out by `duban mail send issue`; each department's copy lands in its own mailbox
(tests/mailservers.py), and the departments answer: 县司法局 replies to the 下发 mail (回复：,
quoted text below), 县政府办公室 replies "Re:" with the blank form still attached beside its
filled one, 县发改委's colleague forwards from her QQ mailbox, 出山镇 zips its form with GBK
names, 县自然资源局 adds a scanned PDF, 县公安局 first writes 稍后补报 with nothing attached and
sends the form after the deadline, 县市场监管局's Outlook sends the same mail twice and a
corrected version after the deadline, 县人社局's name is RFC 2231 in GBK (Outlook, Foxmail) and
权寨镇's an RFC 2047 word in the parameter (Coremail), 人和乡's clock is a day fast and
县信访局's a day slow, 县财政局's mail reaches the mailbox while `duban run` is between its fetch
and its collect, and 柏城街道's clerk mails a table of her own from QQ. The office runs
`duban run` (一键月报) on 2, 3, 6 and 7 August.

Every state is as the mails say, each mail and attachment is in 收件登记. What the departments
and the office were told wrongly or not at all:

* every department's 下发 mail began 根据西平县2020年度法治政府建设工作安排工作安排 (the 通报 has
  said 根据…工作安排 once since QA135; the mail template kept its own rule);
* `run` said 县公安局's mail without a file twice, in two wordings (collect's line, then the
  month's note), and counted it as two 请核实;
* `run` never named the file whose unit nobody could tell (柏城街道's clerk's own table from
  QQ): it said "退回 1" and exited 1 with nothing to look at, while the 通报 named 柏城街道
  未报送. `duban collect` asks about it (QA162); the double-click 一键月报 did not.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.policy
import email.utils
import io
import json
import re
import shutil
import urllib.parse
import zipfile
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from click.testing import CliRunner
from conftest import set_clock, zip_bytes
from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from test_mail_fetch import DUBAN
from test_qa135_xiping_month import EMAIL
from test_qa155_county_mail_months import county_servers, init_county

import toolkit.actions.run as run_action
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

pytestmark = pytest.mark.slow

CST = dt.timezone(dt.timedelta(hours=8))
JUL = "2020年7月"
ZFB, SFJ, FGW, CZJ = "西平县人民政府办公室", "西平县司法局", "西平县发展和改革委员会", "西平县财政局"
SCJ, ZRZY, RSJ, GAJ, XFJ = ("西平县市场监督管理局", "西平县自然资源局", "西平县人力资源和社会保障局", "西平县公安局",
                            "西平县信访局")
QQ, CLERK = "小李 <xiaoli@qq.com>", "小王 <xiaowang@qq.com>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(when: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when).replace(tzinfo=CST)


def _message(sender: str, subject: str, date: str, body: str = "请查收。",
             answering: email.message.EmailMessage | None = None) -> MIMEMultipart:
    """A department's mail; ``answering``: the office's mail it replies to or forwards, quoted below."""
    msg = MIMEMultipart()
    msg["From"], msg["To"] = sender, DUBAN
    msg["Subject"] = str(email.header.Header(subject, "utf-8"))
    msg["Date"] = email.utils.format_datetime(_at(date))
    msg["Message-ID"] = email.utils.make_msgid(domain="client.example")
    if answering is not None:
        msg["In-Reply-To"] = msg["References"] = answering["Message-ID"]
        quoted = "\n".join("> " + x for x in answering.get_body(("plain",)).get_content().splitlines())
        body += (f"\n\n------------------ 原始邮件 ------------------\n发件人: {answering['From']}\n"
                 f"主题: {answering['Subject']}\n\n{quoted}\n")
    msg.attach(MIMEText(body, "plain", "utf-8"))
    return msg


def _attach(msg: MIMEMultipart, name: str, data: bytes, how: str = "utf-8") -> MIMEMultipart:
    part = MIMEApplication(data, "octet-stream")
    if how == "utf-8":
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
    elif how == "rfc2231-gbk":  # Outlook, Foxmail
        encoded = urllib.parse.quote(name.encode("gbk"))
        del part["Content-Type"]
        part["Content-Type"] = f"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name*=gbk''{encoded}"
        part["Content-Disposition"] = f"attachment; filename*=gbk''{encoded}"
    else:  # Coremail: an RFC 2047 word inside the quoted parameter
        word = email.header.Header(name, "gbk").encode()
        del part["Content-Type"]
        part["Content-Type"] = f'application/octet-stream; name="{word}"'
        part["Content-Disposition"] = f'attachment; filename="{word}"'
    msg.attach(part)
    return msg


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    base = tmp_path_factory.mktemp("qa343")
    servers, mp = county_servers(base, "duban-pw-343")
    root, runner, said = base / "ws", CliRunner(), {}

    def run(day: dt.date, *args: str):
        set_clock(mp, day)
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        said[f"{day.isoformat()} {' '.join(args)}"] = result
        return result

    def form(unit: str):
        (found,) = (root / "下发" / JUL).glob(f"*_{unit}_进展填报表.xlsx")
        return found

    def filled(unit: str, **answer) -> bytes:
        default = Answer(**({"status": "序时推进", "progress": 40, "work": "按计划推进。"} | answer))
        return fill_return(form(unit), Filling(default=default))

    def issued_mail(unit: str) -> email.message.EmailMessage:
        return email.message_from_bytes(servers.mailbox(EMAIL[unit])[0]["raw"], policy=email.policy.default)

    def deliver(msg: MIMEMultipart, when: str) -> None:
        servers.deliver(DUBAN, msg.as_bytes(), internaldate=_at(when))

    def sent(unit: str, subject: str, date: str, name: str = "", data: bytes = b"", **how) -> MIMEMultipart:
        msg = _message(EMAIL[unit], subject, date)
        return _attach(msg, name or form(unit).name, data or filled(unit), **how)

    d = dt.date
    try:
        init_county(mp, runner, base, root, servers)
        run(d(2020, 7, 25), "issue", "--period", "2020-07", "--emails")
        run(d(2020, 7, 25), "mail", "send", "issue", "-y")
        said["issue mail"] = issued_mail(SFJ).get_body(("plain",)).get_content()
        # 1-2 August: a reply, a reply keeping the blank form, a colleague's forward from QQ
        orig = issued_mail(SFJ)
        deliver(_attach(_message(EMAIL[SFJ], "回复：" + orig["Subject"], "2020-08-01 10:00", "附件是我局7月进展。", orig),
                        form(SFJ).name, filled(SFJ)), "2020-08-01 10:00")
        orig = issued_mail(ZFB)
        msg = _message(EMAIL[ZFB], "Re: " + orig["Subject"], "2020-08-01 11:00", "已填好。", orig)
        _attach(msg, form(ZFB).name, form(ZFB).read_bytes())
        deliver(_attach(msg, "填好的_" + form(ZFB).name, filled(ZFB)), "2020-08-01 11:00")
        orig = issued_mail(FGW)
        deliver(_attach(_message(QQ, "转发：" + orig["Subject"], "2020-08-02 09:00", "帮科长转一下。", orig),
                        form(FGW).name, filled(FGW)), "2020-08-02 09:00")
        run(d(2020, 8, 2), "run")
        # 3 August: a GBK zip, a form beside a scan, nothing attached (稍后补报), Outlook sending twice
        deliver(sent("出山镇", "出山镇7月进展", "2020-08-03 09:30", "出山镇7月进展.zip", zip_bytes(
            {f"出山镇7月报送/{form('出山镇').name}": filled("出山镇")}, gbk=True)), "2020-08-03 09:30")
        deliver(_attach(sent(ZRZY, "回复：自然资源局7月进展及佐证", "2020-08-03 10:00"), "佐证材料扫描件.pdf", PDF),
                "2020-08-03 10:00")
        deliver(_message(EMAIL[GAJ], "公安局7月进展稍后补报", "2020-08-03 11:00", "领导还在审核，稍后补报。"),
                "2020-08-03 11:00")
        twice = filled(SCJ)
        for when in ("2020-08-03 15:00", "2020-08-03 15:05"):
            deliver(sent(SCJ, "市场监管局7月进展", when, data=twice), when)
        run(d(2020, 8, 3), "run")
        # 4-6 August: names as Outlook and Coremail write them, clocks a day off, the clerk's own table
        deliver(sent(RSJ, "人社局7月进展", "2020-08-04 09:00", "人社局7月进展填报表.xlsx", how="rfc2231-gbk"),
                "2020-08-04 09:00")
        deliver(sent("权寨镇", "权寨镇7月进展", "2020-08-04 09:10", "权寨镇7月进展填报表.xlsx", how="rfc2047"),
                "2020-08-04 09:10")
        deliver(sent("人和乡", "人和乡7月进展", "2020-08-06 16:00"), "2020-08-05 16:00")  # Date a day fast
        deliver(sent(XFJ, "信访局7月进展", "2020-08-05 20:00"), "2020-08-06 20:00")  # a day slow
        book = Workbook()
        book.active.append(["序号", "工作任务", "进展情况"])
        book.active.append([1, "根治拖欠农民工工资", "已完成排查"])
        own = io.BytesIO()
        book.save(own)
        deliver(_attach(_message(CLERK, "2020年7月进展情况", "2020-08-06 10:00", "领导让我报一下。"),
                        "7月工作进展.xlsx", own.getvalue()), "2020-08-06 10:00")
        collect = run_action.collect

        def mail_meanwhile(*args, **kwargs):  # 县财政局's mail lands between run's fetch and its collect
            deliver(sent(CZJ, "财政局7月进展", "2020-08-06 21:00"), "2020-08-06 21:00")
            return collect(*args, **kwargs)

        mp.setattr(run_action, "collect", mail_meanwhile)
        run(d(2020, 8, 6), "run")
        mp.setattr(run_action, "collect", collect)
        # 7 August: 县公安局's form (late), 县市场监管局's correction (after the deadline)
        deliver(sent(GAJ, "公安局7月进展（补报）", "2020-08-07 09:00"), "2020-08-07 09:00")
        deliver(sent(SCJ, "市场监管局7月进展（修改版）", "2020-08-07 10:00", "修改版_" + form(SCJ).name,
                     filled(SCJ, work="按计划推进（修改）。")), "2020-08-07 10:00")
        run(d(2020, 8, 7), "run")
        run(d(2020, 8, 7), "status", "--format", "json")
        run(d(2020, 8, 7), "mail", "send", "feedback", "-y")
        yield said, root
    finally:
        mp.undo()
        servers.stop()
        shutil.rmtree(root, ignore_errors=True)


def _sheet(root, name: str) -> list[list]:
    book = CalamineWorkbook.from_path(str(root / "汇总" / JUL / f"{JUL}_进展汇总表.xlsx"))
    rows = book.get_sheet_by_name(name).to_python()
    return [r for r in rows[3:] if any(str(c).strip() for c in r)]


def test_every_unit_stands_as_its_mail_says_everywhere(month):
    said, root = month
    js = json.loads(said["2020-08-07 status --format json"].output)
    states = {u["单位"]: u["报送状态"] for u in js["units"]}
    assert states == {
        ZFB: "按时报送", SFJ: "按时报送", FGW: "按时报送", CZJ: "逾期报送", SCJ: "按时报送", ZRZY: "按时报送",
        RSJ: "按时报送", GAJ: "逾期报送", XFJ: "逾期报送", "出山镇": "按时报送", "权寨镇": "按时报送",
        "人和乡": "按时报送", "柏城街道": "未报送"}
    times = {u["单位"]: u["报送时间"] for u in js["units"]}
    # the mailbox's receive time, whatever the sender's clock wrote
    assert (times["人和乡"], times[XFJ], times[SCJ]) == ("2020-08-05 16:00", "2020-08-06 20:00", "2020-08-03 15:00")
    assert {r[0]: r[3] for r in _sheet(root, "报送情况")} == states
    (docx,) = (root / "通报" / JUL).glob("*.docx")
    text = re.sub(r"<[^>]+>", "", zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8"))
    assert f"（一）逾期报送的单位（3个）：{CZJ}、{GAJ}、{XFJ}。" in text
    assert "（二）未报送的单位（1个）：柏城街道。" in text
    # 县信访局's own clock said 5 August: asked, not named late unasked
    assert [n for n in js["notes"] if XFJ in n and "邮件自身的发送时间是 2020-08-05 20:00" in n]
    assert said["2020-08-07 mail send feedback -y"].output.startswith(f"{JUL} 没有反馈邮件草稿。")


def test_every_mail_and_attachment_is_in_the_register(month):
    _, root = month
    register = _sheet(root, "收件登记")
    names = [r[1] for r in register]
    assert sum(n.endswith(".eml") for n in names) == 16  # every mail fetched, the 稍后补报 one too
    for name in ("人社局7月进展填报表.xlsx", "权寨镇7月进展填报表.xlsx", "佐证材料扫描件.pdf", "出山镇7月进展.zip",
                 "7月工作进展.xlsx", "修改版_2020年7月_西平县市场监督管理局_进展填报表.xlsx"):
        assert name in names
    assert [r[7] for r in register if r[1] == "2020年7月_西平县市场监督管理局_进展填报表.xlsx"] == ["已被替代", "重复"]
    assert [r[7] for r in register if r[1] == "2020年7月_西平县财政局_进展填报表.xlsx"] == ["采纳"]


def test_run_says_a_mail_without_a_file_once(month):
    said, _ = month
    out = said["2020-08-03 run"].output
    lines = [x for x in out.splitlines() if "公安局7月进展稍后补报" in x]
    assert len(lines) == 1 and lines[0].startswith(f"  请核实：{GAJ} 在{JUL}计为未报送"), out
    # 尚未截止, and this one: neither a question 5-逐条核实 asks (QA349)
    assert "通报已生成，但还有 2 项“请核实”（见上）：正式发出前请先逐项核实、处理，再重新生成通报。" in out.splitlines()


def test_run_names_the_file_whose_unit_nobody_can_tell(month):
    said, _ = month
    out = said["2020-08-06 run"].output
    assert "退回 1" in out and "未报送：西平县财政局、西平县公安局、柏城街道" in out
    asked = [x for x in out.splitlines() if "7月工作进展.xlsx" in x]
    assert any(x.startswith("  请核实：7月工作进展.xlsx 看不出是哪个单位报送的") for x in asked), out
    # the scan beside 县自然资源局's form, and the blank form beside 县政府办公室's, ask nothing
    for run in ("2020-08-02 run", "2020-08-03 run"):
        assert "请直接报送" not in said[run].output and "未填写" not in said[run].output


def test_the_issue_mail_says_the_arrangement_once(month):
    said, _ = month
    body = said["issue mail"]
    assert body.splitlines()[2].startswith("根据西平县2020年度法治政府建设工作安排，现将贵单位2020年7月进展填报表"), body
    assert "安排工作安排" not in body
