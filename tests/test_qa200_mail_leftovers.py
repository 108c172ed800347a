"""QA200: three leftovers of the mail area.

1. A mail too big to fetch whose sender and subject name no unit (张伟 mails 东莞's office from
   his own 163.com box, “6月进展填报表”, 1.8 MB of site photos) was said once by `mail fetch`
   and never again: status, merge and memo then named units 未报送 one of which may have sent it.
2. A reply to the sender of a refused return, refused by the server, told the office to check
   the 单位名录's 邮箱, which is not where that address came from.
3. A Chinese-domain address (bgs@东莞.政务) goes as IDNA on the wire; the confirmation screen
   showed bgs@xn--xhq771k.xn--zfr164b, which the office never wrote.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import test_mail_send
from conftest import PERIOD, drop, issued_path, set_clock
from test_evidence import clean, mail, state
from test_mail_fetch import mail_ws
from test_mail_send import address, give_emails, issued_with_emails
from test_qa175_replies import REFUSED
from test_qa190_double_click import CST, JULY, july_issued, too_big

from toolkit.actions.collect import collect
from toolkit.addresses import parse_address, shown_address
from toolkit.consolidate import consolidate
from toolkit.filling import fill_return
from toolkit.vocab import UnitState

servers = test_mail_send.servers  # the fixture (see mailservers.py on ruff's F811)
clock = test_mail_send.clock

ZHANG = "zhang.wei@163.com"


def _zhang(ws, when: dt.datetime = dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST)) -> None:
    too_big(ws, when, sender=ZHANG, subject="6月进展填报表")


def _notes(run, ws, period: str = "2022-06") -> tuple[int, list[str]]:
    status = run(["status", "--period", period, "--format", "json"], cwd=ws.root)
    return status.exit_code, [n for n in json.loads(status.stdout)["notes"] if ZHANG in n]


def _line(ws, period=PERIOD) -> str:
    missing = [u.unit for u in consolidate(ws, period).units if u.state == UnitState.NOT_REPORTED]
    some = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
    return (f"请核实：{period.label}有 {len(missing)} 个单位计为未报送（{some}），但邮箱中有邮件“6月进展填报表”"
            f"（{ZHANG}，1.8 MB，2022-07-04 10:00 收到），因超过大小上限（duban.toml 的 max_file_mb）没有下载；"
            "发件地址不在单位名录中，主题也没有写明单位，可能是其中某个单位的报送。请在邮箱中打开这封邮件核实："
            "如是某单位的填报表，请把它下载后放进收件箱，运行 duban collect --received 2022-07-04"
            "（按邮件收到的日期计报送时间；或双击“5-逐条核实”逐条回答），再重新汇总和生成通报。打开核实后（不是报送的无需办理，是报送的按上述办理），"
            '请运行 duban mail checked "2022-07-04 10:00"，此提示即不再出现。')


# ---------------------------------------------------------------------------
# (1) a mail too big to fetch, of no known unit


def test_a_too_big_mail_of_no_known_unit_is_said_in_status(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    code, said = _notes(run, issued_ws)
    assert code == 1 and said == [_line(issued_ws)]
    table = run(["status"], cwd=issued_ws.root)
    assert table.exit_code == 1 and _line(issued_ws) in table.output.splitlines()


def test_merge_and_memo_say_it_while_a_unit_stands_not_reported(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "石龙镇.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))]))  # 4 July
    set_clock(monkeypatch, dt.date(2022, 7, 5))
    collect(issued_ws)
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    assert "石龙镇" not in _line(issued_ws)  # its return is in: not among those it may be
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 1 and _line(issued_ws) in merged.output.splitlines()
    memo = run(["memo"], cwd=issued_ws.root)
    assert memo.exit_code == 1 and _line(issued_ws) in memo.output.splitlines()


def test_it_is_said_under_each_month_of_its_window_until_every_unit_of_it_reported(issued_ws, monkeypatch, run):
    """4 July is in June's sending weeks and July's: said under both; July's two units report and
    July says it no more, while June, whose units still owe, does."""
    _zhang(issued_ws)
    july_issued(issued_ws, monkeypatch)  # 石碣镇 and 石龙镇 only
    set_clock(monkeypatch, dt.date(2022, 8, 3))
    assert _notes(run, issued_ws, "2022-07") == (1, [_line(issued_ws, JULY)])
    for unit, box in (("石碣镇", "sj"), ("石龙镇", "sl")):
        drop(issued_ws, f"{unit}7月.eml", mail([(f"{unit}7月进展.xlsx", fill_return(
            issued_path(issued_ws, unit, JULY), clean()))], sender=f"{box}@dg.gov.cn", subject=f"{unit}7月进展",
            date="Wed, 03 Aug 2022 09:00:00 +0800"))
    collect(issued_ws, JULY)
    assert {state(issued_ws, u, "2022-07") for u in ("石碣镇", "石龙镇")} <= {UnitState.ON_TIME, UnitState.TO_FIX}
    assert _notes(run, issued_ws, "2022-07") == (0, [])
    assert _notes(run, issued_ws) == (1, [_line(issued_ws)])


def test_a_too_big_mail_after_the_window_is_not_said_under_june(issued_ws, monkeypatch, run):
    too_big(issued_ws, dt.datetime(2022, 8, 4, 10, 0, tzinfo=CST), sender=ZHANG, subject="进展填报表")
    set_clock(monkeypatch, dt.date(2022, 8, 6))
    assert _notes(run, issued_ws) == (0, [])


# ---------------------------------------------------------------------------
# (2) a refused reply to the sender of a return


def test_a_refused_reply_to_the_returns_sender_says_where_that_address_came_from(issued_ws, servers, clock, run):
    give_emails(issued_ws, {"中堂镇": address(1)})
    ws = mail_ws(issued_ws, servers)
    # 中堂镇's clerk typed .cm for .cn in his client's From: the reply goes back there, Cc the 名录
    drop(ws, "zt.eml", mail([("中堂镇6月进展.xlsx", fill_return(issued_path(ws, "中堂镇"), REFUSED))],
                            sender="zt@dg.example.cm"))
    assert collect(ws, PERIOD).returned == 1
    sent = run(["-w", str(ws.root), "mail", "send", "feedback", "--yes"])
    lines = sent.stdout.splitlines()
    assert sent.exit_code == 1
    assert lines[lines.index("以下收件人被拒收（同一封邮件的其他收件人已收到）：") + 1] == (
        "  中堂镇 zt@dg.example.cm：收件地址不存在或被拒收，该地址是报送邮件的发件人，请向该单位核实，"
        "或在草稿中改写收件人（服务器代码 550）")
    assert len(servers.mailbox(address(1))) == 1


# ---------------------------------------------------------------------------
# (3) a Chinese domain on the confirmation screen


def test_shown_address_gives_the_unicode_domain_and_leaves_the_rest():
    wire = parse_address("bgs@东莞.政务")[1]
    assert wire == "bgs@xn--xhq771k.xn--zfr164b" and shown_address(wire) == "bgs@东莞.政务"
    assert shown_address("u00@dg.example.cn") == "u00@dg.example.cn"
    assert shown_address("a@xn--zz.cn") == "a@xn--zz.cn"  # no IDNA after all: as written


def test_the_confirmation_screen_shows_a_chinese_domain_as_written(issued_ws, servers, clock, run, caplog):
    ws = issued_with_emails(issued_ws, servers, ["市公安局", "市民政局"],
                            {"市公安局": address(0), "市民政局": "市民政局办公室 <bgs@东莞.政务>"})
    asked = run(["-w", str(ws.root), "mail", "send", "issue"], input="n\n")
    issued = f"{PERIOD.label}_市民政局_进展填报表.xlsx"
    kb = round((ws.root / "下发" / PERIOD.label / issued).stat().st_size / 1024)
    assert f"  市民政局 → 市民政局办公室 <bgs@东莞.政务>；{issued}（{kb} KB）" in asked.stdout.splitlines()
    assert "xn--" not in asked.output
    # the wire keeps IDNA: the server (which has no such mailbox) refused RCPT TO bgs@xn--…
    sent = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert "  市民政局：收件人 bgs@东莞.政务 收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）" \
        in sent.stdout.splitlines()
    assert "<bgs@xn--xhq771k.xn--zfr164b>: Recipient address rejected" in caplog.text


@pytest.mark.parametrize("name", ["", "市民政局"])
def test_shown_address_in_a_display_pair(name):
    from toolkit.mail_plan import _addresses

    assert _addresses([(name, "bgs@xn--xhq771k.xn--zfr164b")]) == (f"{name} <bgs@东莞.政务>" if name else "bgs@东莞.政务")
