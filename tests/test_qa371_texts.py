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
