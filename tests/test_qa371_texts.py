"""What the screen says to an office whose mailbox is set up (QA371's review of 长沙's months
over the real mail servers): the next step after `issue --emails` is `mail send issue` and
`collect --fetch`, not a mail client and a folder.

大竹县 2016 民生实事 (corpus: tests/corpus/masters/dazhu_mssx_2016.docx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import invoke_cli, set_clock

from toolkit.actions.init import init_workspace

DAZHU = Path(__file__).resolve().parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"
BY_HAND = "下一步：检查邮件草稿的收件人后发出；收到的回件放进“收件箱”文件夹，运行 duban collect（或双击“2-收取并汇总”）。"


@pytest.mark.slow
def test_issue_with_a_mailbox_says_to_send_and_fetch_by_duban(tmp_path, monkeypatch):
    set_clock(monkeypatch, dt.date(2026, 11, 26))
    ws, _ = init_workspace(tmp_path / "大竹", DAZHU, period="2026-11")
    out = invoke_cli(["-w", str(ws.root), "issue", "--emails"]).output
    assert out.splitlines()[-1] == BY_HAND  # no mailbox: the drafts go by the office's mail client
    toml = ws.root / "duban.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        '[mail]\n', '[mail]\nimap_host = "mail.dazhu.gov.cn"\nsmtp_host = "mail.dazhu.gov.cn"\nuser = "dbb@dazhu.gov.cn"\n'),
        encoding="utf-8")
    out = invoke_cli(["-w", str(ws.root), "issue", "--emails"]).output
    assert out.splitlines()[-1] == (
        "下一步：检查邮件草稿的收件人后运行 duban mail send issue 发出（或双击“4-发送邮件”，选 1 下发）；"
        "回件到邮箱后运行 duban collect --fetch（或双击“2-收取并汇总”）收取。")
    out = invoke_cli(["-w", str(ws.root), "issue", "--emails", "--period", "2026-10", "--dept", "县民政局"]).output
    assert out.splitlines()[-1] == (
        "下一步：检查邮件草稿的收件人后运行 duban mail send issue --period 2026-10 发出（或双击“4-发送邮件”，选 1 下发）；"
        "回件到邮箱后运行 duban collect --fetch（或双击“2-收取并汇总”）收取。")  # --period would refuse November's


def test_feedback_with_every_reply_gone_says_what_became_of_them(issued_ws, make_return, run, monkeypatch):
    # 石龙镇's refused return got a reply; its correction came in and the reply was withdrawn:
    # "2022年6月 没有反馈邮件草稿。…请先运行 duban collect" sent the office round for nothing (QA371)
    from conftest import PERIOD, drop, on_time

    from toolkit.actions.collect import collect
    from toolkit.filling import Answer, Filling

    done = Answer("已完成", 100, "已完成。", "", "", None, "验收报告")
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(answers={"1.2": done}), **{"4_3": Answer(status="")}),
         on_time())
    collect(issued_ws, PERIOD)
    drop(issued_ws, "石龙镇改.xlsx", make_return("石龙镇", Filling(answers={"1.2": done})), on_time() + 60)
    collect(issued_ws, PERIOD)
    result = run(["-w", str(issued_ws.root), "mail", "send", "feedback", "--dry-run"])
    assert result.stdout.splitlines()[0] == (
        "2022年6月没有待发送的反馈邮件草稿：已作废 1 封（石龙镇：该单位的报送已采纳）。"
        "如需新的反馈邮件，请运行 duban collect（或双击“2-收取并汇总”）。")
