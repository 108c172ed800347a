"""QA272 (review): the mailbox month as an office and its departments live it, against the real
servers (tests/mailservers.py): mails reach the office's Dovecot, then `duban mail fetch` (twice,
and two at once), `collect` on 8 July 2022, `status`, `merge`, `memo`.

Found wrong (fixed): a client that splits one GBK character across two RFC 2047 words (the
standard forbids it; Foxmail and some OA systems do it, the words cut every N bytes) had the
attachment's name and the mail's subject read word by word by the stdlib (policy.default), each
cut character a U+FFFD: the 收件登记 and the 汇总表 carried “樟木�氛�6月进展填报表.xlsx”, and the 请核实
about a link-only mail from a colleague's qq.com box quoted its subject, all that names the unit,
as “麻�空�6月进展”. (IMAP's envelope, read by `imap_parse`, was right: the fetch listing was.)

Pinned right: a mail whose Date is before the due day but that reached the mailbox after it is
逾期 by the mailbox's time and asked about (请核实); a sender's clock a few days ahead or a year
behind changes nothing; a colleague's qq.com mailbox with the unit only in the subject or the
body; a second `mail fetch` at the same time stops with one Chinese line and exit 4, the first
stores every mail once.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import email.utils
import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import mailservers
import pytest
from conftest import invoke_cli, issued_path, set_clock
from test_evidence import set_email
from test_mail_fetch import CST, DUBAN, mail_ws

from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.vocab import Outcome
from toolkit.workspace import find_workspace

# a real Dovecot and a month fetched, collected, merged: in CI, out of the quick loop
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ADDR = {"南城街道": "nc@dg.gov.cn", "莞城街道": "gc@dg.gov.cn", "万江街道": "wj@dg.gov.cn", "樟木头镇": "zmt@dg.gov.cn",
        "大朗镇": "dl@dg.gov.cn", "黄江镇": "hj@dg.gov.cn", "麻涌镇": "my@dg.gov.cn"}


def july(day: int, hour: int = 9, minute: int = 0, year: int = 2022) -> dt.datetime:
    return dt.datetime(year, 7, day, hour, minute, tzinfo=CST)


def message(sender: str, subject: str, when: dt.datetime, body: str = "请查收。") -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, DUBAN, subject
    m["Date"] = email.utils.format_datetime(when)
    m["Message-ID"] = email.utils.make_msgid(domain="dg.gov.cn")
    m.set_content(body)
    return m


def wire(m: EmailMessage) -> bytes:
    return m.as_bytes(policy=email.policy.SMTP)


def cut_words(text: str, at: int) -> str:
    """``text`` in GBK as two RFC 2047 words cut after ``at`` bytes, mid-character."""
    raw = text.encode("gbk")
    assert raw[:at].decode("gbk", "replace").endswith("\ufffd")  # the cut splits a character
    return " ".join(f"=?gb2312?B?{base64.b64encode(part).decode()}?=" for part in (raw[:at], raw[at:]))


def play(tmp_path_factory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("qa272")
    init_workspace(root / "ws", period="2022-06")
    template = find_workspace(root / "ws")
    issue_returns(template, "2022-06")
    set_email(template, **ADDR)
    s = mailservers.start_mail_servers(root / "mail")
    ws = mail_ws(template, s)
    r = {u: fill_return(issued_path(ws, u), Filling(answers={"1.2": DONE})) for u in ADDR}
    deliver = []

    def attached(unit: str, subject: str, when: dt.datetime, filename: str, *, sender: str | None = None,
                 body: str = "请查收。") -> EmailMessage:
        m = message(sender or f"{unit} <{ADDR[unit]}>", subject, when, body)
        m.add_attachment(r[unit], *XLSX, filename=filename)
        return m

    # 南城街道: Date 5 July 20:30 (before the due day's end), in the mailbox on 7 July
    deliver.append((wire(attached("南城街道", "南城街道6月进展", july(5, 20, 30), "2022年6月_南城街道_进展填报表.xlsx")),
                    july(7, 9)))
    # 莞城街道: the PC's clock 5 days ahead; 万江街道: a year behind
    deliver.append((wire(attached("莞城街道", "莞城街道6月进展", july(9, 9), "2022年6月_莞城街道_进展填报表.xlsx")), july(4, 9)))
    deliver.append((wire(attached("万江街道", "万江街道6月进展", july(4, 9, year=2021),
                                  "2022年6月_万江街道_进展填报表.xlsx")), july(4, 9, 5)))
    # 樟木头镇: the attachment's name in two gb2312 words cut mid-character
    raw = wire(attached("樟木头镇", "樟木头镇6月进展", july(4, 10), "x.xlsx"))
    raw = raw.replace(b'filename="x.xlsx"', f'filename="{cut_words("樟木头镇6月进展填报表.xlsx", 5)}"'.encode())
    deliver.append((raw, july(4, 10)))
    # 大朗镇: a colleague's qq.com box, the unit only in the subject, a bare file name
    deliver.append((wire(attached("大朗镇", "大朗镇6月份进展报送", july(4, 11), "进展填报表.xlsx",
                                  sender="小王 <123456789@qq.com>")), july(4, 11)))
    # 黄江镇: another colleague's qq.com box, the unit only in the body
    deliver.append((wire(attached("黄江镇", "6月进展", july(4, 12), "新建 Microsoft Excel 工作表.xlsx",
                                  sender="李四 <987654321@qq.com>", body="这是黄江镇的6月进展，请查收。")), july(4, 12)))
    # 麻涌镇: from qq.com, only a 百度网盘 link; its subject, all that names the unit, cut mid-character
    m = message("小陈 <55555@qq.com>", "X", july(4, 16), "表格太大，放网盘了：https://pan.baidu.com/s/1XyZ 提取码: ab12")
    deliver.append((wire(m).replace(b"Subject: X", f"Subject: {cut_words('麻涌镇6月进展', 3)}".encode()), july(4, 16)))
    try:
        for raw, when in deliver:
            s.deliver(DUBAN, raw, internaldate=when)
        mp = pytest.MonkeyPatch()
        mp.setenv("DUBAN_MAIL_PASSWORD", s.users[DUBAN])
        set_clock(mp, dt.date(2022, 7, 8))
        w = ["-w", str(ws.root)]
        # two colleagues click 收取 at the same moment
        env = dict(os.environ, PYTHONPATH=str(ROOT), DUBAN_MAIL_PASSWORD=s.users[DUBAN])
        cmd = [sys.executable, "-m", "toolkit", *w, "mail", "fetch"]
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        out = SimpleNamespace(ws=ws, both=[(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs])
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        out.again = invoke_cli([*w, "mail", "fetch"])
        out.collect = invoke_cli([*w, "collect"])
        out.status = invoke_cli([*w, "status", "--period", "2022-06", "--format", "json"])
        out.merge = invoke_cli([*w, "merge"])
        out.memo = invoke_cli([*w, "memo", "--format", "md"])
        mp.undo()
        return out
    finally:
        s.stop()


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    return play(tmp_path_factory)


def verdicts(month) -> dict[str, dict]:
    return {u["单位"]: u for u in json.loads(month.status.stdout)["units"]}


def accepted(month, unit: str) -> list:
    with Ledger(month.ws.ledger_path) as ledger:
        return [r for r in ledger.receipts() if r.unit == unit and r.outcome == Outcome.ACCEPTED]


def asked(month) -> list[str]:
    return [x.strip() for x in month.collect.output.splitlines() if "请核实" in x]


# ---------------------------------------------------------------------------
# fixed


def test_a_name_cut_mid_character_across_two_words_is_read_whole(month):
    [r] = accepted(month, "樟木头镇")
    assert r.name == "樟木头镇6月进展填报表.xlsx"


def test_a_link_only_mail_whose_cut_subject_names_the_unit_is_asked_about_for_it(month):
    said = [x for x in asked(month) if "pan.baidu.com/s/1XyZ" in x]
    assert said and all("麻涌镇" in x and "\ufffd" not in x for x in said), said
    assert "“麻涌镇6月进展”（小陈 <55555@qq.com>，2022-07-04 16:00）" in said[0]


def test_nothing_said_carries_a_replacement_character(month):
    for step in ("collect", "status", "merge", "memo"):
        assert "\ufffd" not in getattr(month, step).output, step


# ---------------------------------------------------------------------------
# pinned right


def test_the_month_ran(month):
    assert month.collect.exit_code == 1, month.collect.output  # the questions below
    assert month.merge.exit_code == 1 and month.memo.exit_code == 1


def test_two_fetches_at_once_one_stops_with_one_chinese_line(month):
    codes = sorted(code for code, _, _ in month.both)
    assert codes == [0, 4], month.both
    [(_, out, err)] = [b for b in month.both if b[0] == 4]
    assert out == "" and err.startswith("错误：另一个督办程序正在处理这个工作区") and len(err.splitlines()) == 1
    [(_, out, err)] = [b for b in month.both if b[0] == 0]
    assert "存入收件箱 7 封" in out and err == ""


def test_fetching_again_stores_nothing_twice(month):
    assert month.again.exit_code == 0
    assert "以前已收取过的 7 封，不再重复收取。" in month.again.output
    assert len(list((month.ws.root / "归档").rglob("*.eml"))) == 7


def test_a_mail_dated_before_the_due_day_that_reached_the_mailbox_after_it_is_late_and_asked(month):
    nc = verdicts(month)["南城街道"]
    assert nc["报送状态"] == "逾期报送" and nc["报送时间"] == "2022-07-07 09:00"
    assert any("南城街道按邮箱收到时间（2022-07-07 09:00）计为逾期报送" in x and "2022-07-05 20:30" in x for x in asked(month))


@pytest.mark.parametrize("unit, when", [("莞城街道", "2022-07-04 09:00"), ("万江街道", "2022-07-04 09:05")])
def test_a_senders_wrong_clock_changes_nothing(month, unit, when):
    state = verdicts(month)[unit]
    assert (state["报送状态"], state["报送时间"]) == ("按时报送", when)


@pytest.mark.parametrize("unit, when", [("大朗镇", "2022-07-04 11:00"), ("黄江镇", "2022-07-04 12:00")])
def test_a_colleagues_qq_mailbox_reports_for_the_unit(month, unit, when):
    state = verdicts(month)[unit]
    assert (state["报送状态"], state["报送时间"]) == ("按时报送", when)


def test_the_link_only_unit_is_not_reported_until_the_file_is_in(month):
    assert verdicts(month)["麻涌镇"]["报送状态"] == "未报送"
