"""`duban remind` before a unit's deadline, read as a new coordinator (QA349, 大竹县) met it (QA351).

On 7 December, December's forms out with a deadline of 5 January, 4-发送邮件 → 3 (Enter: the
current month) ran `duban remind` for 2026-12 and wrote every unit "【催报】请尽快报送…请于收到
本邮件后尽快…", a month before anyone was late; `mail send remind` sends those drafts as written.
A unit still on time (its deadline, or the date its reply asked a correction by, not passed:
`Consolidation.awaited`, what status calls 未报送（尚未截止）) is now asked by that date
(``ask_by_text``): 【提醒】请于…前报送. Past it, 尽快, as before. An office's own copy of the
template, written before, renders as it did; an unedited copy of the earlier one gives way.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
from email import policy

from conftest import PERIOD, drop, on_time
from test_qa266_who_is_chased import WRONG

from toolkit.actions.collect import collect
from toolkit.actions.remind import write_reminders
from toolkit.resources import resource
from toolkit.workspace import SUPERSEDED_TEMPLATES

UNIT = "市政务服务数据管理局"
PLAN = "东莞市2022年政务服务全域标准化专项行动"


def remind_template_before_qa351(text: str) -> str:
    """The 催报 template as shipped before it asked a unit still on time by its date (QA328's and
    QA99's tests take their own earlier texts from this one)."""
    return (text.replace('【{% if ask_by_text and state != "退回待改" %}提醒{% else %}催报{% endif %}】'
                         "请{% if ask_by_text %}于{{ ask_by_text }}前{% else %}尽快{% endif %}报送", "【催报】请尽快报送")
            .replace("{% elif ask_by_text %}贵单位{{ period_label }}进展填报表的报送截止时间为{{ due_text }}，"
                     "截至{{ today_text }}尚未收到。{% else %}", "{% else %}")
            .replace("请{% if ask_by_text %}于{{ ask_by_text }}前{% else %}于收到本邮件后尽快{% endif %}以 Excel",
                     "请于收到本邮件后尽快以 Excel"))


def _mail(result, unit: str) -> tuple[str, str]:
    path = next(p for p, (u, _) in zip(result.files, result.units) if u == unit)
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return str(msg["Subject"]), msg.get_body(("plain",)).get_content()


def test_a_unit_not_yet_due_is_asked_by_its_deadline_not_told_to_hurry(issued_ws, collecting_on, run):
    """1 July, June's deadline the 5th: no unit is late; remind wrote each "请尽快"."""
    collecting_on(dt.date(2022, 7, 1))
    subject, body = _mail(write_reminders(issued_ws, PERIOD), UNIT)
    assert subject == f"【提醒】请于2022年7月5日前报送{PLAN}6月进展填报表（{UNIT}）"
    lines = body.splitlines()
    assert lines[2] == "贵单位2022年6月进展填报表的报送截止时间为2022年7月5日，截至2022年7月1日尚未收到。"
    assert "请于2022年7月5日前以 Excel 文件（.xlsx）回复报送。" in lines
    assert "尽快" not in body and "催报" not in subject
    # the screen names each as status does: its deadline has not passed
    said = run(["remind"], cwd=issued_ws.root)
    assert said.exit_code == 0, said.output
    assert f"  未报送（尚未截止） {UNIT}" in said.output.splitlines()


def test_on_the_deadline_day_still_by_the_date_after_it_hurry(issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 5))  # the day itself: a return today is on time
    assert _mail(write_reminders(issued_ws, PERIOD), UNIT)[0].startswith("【提醒】请于2022年7月5日前报送")
    collecting_on(dt.date(2022, 7, 6))
    subject, body = _mail(write_reminders(issued_ws, PERIOD), UNIT)
    assert subject == f"【催报】请尽快报送{PLAN}6月进展填报表（{UNIT}）"
    assert body.splitlines()[2] == "截至2022年7月6日，尚未收到贵单位2022年6月进展填报表（报送截止：2022年7月5日）。"
    assert "请于收到本邮件后尽快以 Excel 文件（.xlsx）回复报送。" in body


def test_a_unit_sent_back_that_may_still_correct_on_time_is_not_told_to_hurry_either(issued_ws, make_return,
                                                                                   collecting_on):
    """虎门镇, refused on the 5th and asked back by the 8th: its body said 于7月8日前, its subject
    and closing line 尽快."""
    drop(issued_ws, "虎门镇.xlsx", make_return("虎门镇", WRONG), on_time())
    collecting_on(dt.date(2022, 7, 5))
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 6))
    subject, body = _mail(write_reminders(issued_ws, PERIOD), "虎门镇")
    assert subject == f"【催报】请于2022年7月8日前报送{PLAN}6月进展填报表（虎门镇）"
    assert "请按校验反馈修改后于2022年7月8日前重新报送。" in body and "尽快" not in body
    collecting_on(dt.date(2022, 7, 9))
    subject, body = _mail(write_reminders(issued_ws, PERIOD), "虎门镇")
    assert subject.startswith("【催报】请尽快报送") and "请按校验反馈修改后尽快重新报送。" in body


def test_an_offices_own_template_of_before_still_works_and_an_unedited_one_gives_way(issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 1))
    own = issued_ws.templates_dir / "催报邮件.txt"
    before = remind_template_before_qa351(resource("templates", "催报邮件.txt").read_text(encoding="utf-8"))
    assert "ask_by_text" not in before
    assert hashlib.sha256(before.encode()).hexdigest() in SUPERSEDED_TEMPLATES["催报邮件.txt"]
    own.write_text(before, encoding="utf-8")  # as shipped before, never edited: today's template
    assert issued_ws.template("催报邮件.txt") == resource("templates", "催报邮件.txt")
    assert _mail(write_reminders(issued_ws, PERIOD), UNIT)[0].startswith("【提醒】")
    # edited by the office: its words, as it wrote them, rendered without a fault
    own.write_text(before.replace("【催报】", "【县政府督查室催报】"), encoding="utf-8")
    subject, body = _mail(write_reminders(issued_ws, PERIOD), UNIT)
    assert subject == f"【县政府督查室催报】请尽快报送{PLAN}6月进展填报表（{UNIT}）"
    assert "请于收到本邮件后尽快以 Excel 文件（.xlsx）回复报送。" in body
