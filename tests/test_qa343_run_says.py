"""QA343 without a mail server: what `run` (一键月报) and `collect --merge` (2-收取并汇总) say about
a mail that carried no file and a file no unit was counted for (tests/test_qa343_mailbox_month.py
plays them through the real mailbox, slow).

* A mail from 石龙镇 with only a download link, or with nothing at all, was asked about twice by
  the double-clicks: collect's line, then the month's note in other words.
* A table of no unit from a personal address was refused ("退回 1") and `run` exited 1 naming
  nothing; `collect` asks "看不出是哪个单位报送的".
* The 下发 mail wrote 工作 after any plan name not ending in 工作 or 任务: 根据…工作安排工作安排,
  根据…工作要点工作安排, where the 通报 says 根据…工作安排, 根据…工作要点安排 (`rectification.arrangement`).
"""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage

import pytest
from conftest import drop, set_clock
from openpyxl import Workbook
from test_evidence import set_email
from test_qa210_mail import TOWN, link_mail

from toolkit.mail import render_mail_template
from toolkit.resources import resource


def _after_the_deadline(monkeypatch) -> None:
    set_clock(monkeypatch, dt.date(2022, 7, 8))


def test_a_mail_with_only_a_link_is_asked_about_once_by_collect_merge(run, issued_ws, monkeypatch):
    set_email(issued_ws, 石龙镇=TOWN)
    _after_the_deadline(monkeypatch)
    drop(issued_ws, "来信.eml", link_mail())
    result = run(["collect", "--merge"], cwd=issued_ws.root)
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if "来信.eml" in x]
    assert len(lines) == 1 and lines[0].startswith("请核实：石龙镇 在2022年6月计为未报送"), result.output
    assert "pan.baidu.com" in lines[0]


def test_a_mail_with_nothing_attached_is_asked_about_once_by_run(run, issued_ws, monkeypatch):
    set_email(issued_ws, 石龙镇=TOWN)
    _after_the_deadline(monkeypatch)
    drop(issued_ws, "来信.eml", link_mail("领导还在审核，稍后补报。", subject="石龙镇6月进展稍后补报"))
    result = run(["run"], cwd=issued_ws.root)
    assert result.exit_code == 1
    # the month's note quotes the mail's subject (QA378), collect's line its name and subject
    lines = [x for x in result.output.splitlines() if "来信.eml" in x or "“石龙镇6月进展稍后补报”" in x]
    assert len(lines) == 1 and "没有附件，不是填报表" in lines[0], result.output


def test_run_names_a_file_no_unit_was_counted_for(run, issued_ws, monkeypatch):
    _after_the_deadline(monkeypatch)
    book = Workbook()
    book.active.append(["序号", "工作任务", "进展情况"])
    book.active.append([1, "政务服务标准化", "已完成排查"])
    data = io.BytesIO()
    book.save(data)
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "小王 <xiaowang@qq.com>", "duban@example.cn", "6月进展情况"
    m["Date"] = "Mon, 04 Jul 2022 10:00:00 +0800"
    m.set_content("领导让我报一下。")
    m.add_attachment(data.getvalue(), maintype="application", subtype="octet-stream", filename="6月工作进展.xlsx")
    drop(issued_ws, "小王.eml", m.as_bytes())
    result = run(["run"], cwd=issued_ws.root)
    assert result.exit_code == 1 and "退回 1" in result.output
    assert "  请核实：6月工作进展.xlsx 看不出是哪个单位报送的" in result.output, result.output
    # collect says it the same way, once
    again = run(["collect"], cwd=issued_ws.root)
    assert "看不出是哪个单位报送的" not in again.output  # collected already: nothing new


@pytest.mark.parametrize("project, rectification, opening", [
    ("西平县2020年度法治政府建设工作安排", False, "根据西平县2020年度法治政府建设工作安排，现将"),
    ("兴义市2021年政务公开工作要点", False, "根据兴义市2021年政务公开工作要点安排，现将"),
    ("2024年政务公开重点工作", False, "根据2024年政务公开重点工作安排，现将"),
    ("东莞市2022年政务服务全域标准化专项行动", False, "根据东莞市2022年政务服务全域标准化专项行动工作安排，现将"),
    ("2024年巡察反馈问题整改", True, "根据2024年巡察反馈问题整改安排，现将"),
])
def test_the_issue_mail_opens_with_the_arrangement_the_memo_says(project, rectification, opening):
    context = {"project": project, "rectification": rectification, "due_text": "2020年8月5日",
               "period_label": "2020年7月", "unit": "西平县司法局", "task_count": 2, "plan_has_coop": False,
               "due_tasks": [], "contact": "", "organiser": "西平县人民政府办公室", "today_text": "2020年7月25日"}
    _, body = render_mail_template(resource("templates", "下发邮件.txt"), context)
    assert body.splitlines()[2].startswith(opening), body
