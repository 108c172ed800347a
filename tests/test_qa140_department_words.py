"""QA round 140: the words a department gets back, read after QA139's month of the demo's
Dongguan table.

* a 工作进展 of "无", "/" or "同上" was accepted without a word, though the 填报说明 says not
  to write "无": it is now W510, a warning (a 配合单位 may truly have nothing to report),
  never on a task already 已完成 (nothing further to report; W607 asks for its 佐证材料);
* the reply accepting a return with warnings headed them "主要问题", as a refusal does;
* the 填报说明's 咨询 line read "东莞市政务服务数据管理局、督查科 陈晓明 0769-22831234";
* E504 refused "约80%" and "八成" with "请填写数字，如 80 表示 80%", not the number it read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib

import pytest
from openpyxl import load_workbook

from tests.conftest import drop, on_time
from tests.test_qa179_department_side import reply_template_before_qa179
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import GUIDE_SHEET
from toolkit.workspace import SUPERSEDED_TEMPLATES

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

# 石龙镇's form: 1.2 is due by June (answered 已完成), 4.3 is a task under way
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")


def _check(ws, **answers: Answer):
    return check_return(_return(ws, **answers), "石龙镇.xlsx",
                        CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


def _return(ws, **answers: Answer) -> bytes:
    from toolkit.filling import fill_return

    form = ws.root / "下发" / "2022年6月" / "2022年6月_石龙镇_进展填报表.xlsx"
    return fill_return(form, Filling(answers={"1.2": DONE, **answers}))


def _coded(report, code: str):
    return [i for i in report.issues if i.code == code]


# ---------------------------------------------------------------------------
# 1. a 工作进展 that says nothing


@pytest.mark.parametrize("typed", ["无", "暂无", "/", "-", "—", "——", "同上", "略", "无进展", "0", ".",
                                   "／", "－", "０", "．", "无。", " 暂 无 ", "　同上　"])
def test_a_placeholder_for_work_is_a_warning_not_a_refusal(issued_ws, typed):
    report = _check(issued_ws, **{"4.3": Answer(work=typed)})
    (w510,) = _coded(report, "W510")
    shown = typed.strip(" 　")
    assert w510.message == (f"任务 4.3 的工作进展只写了“{shown}”。"
                            "请简述本期做了什么；确无进展的，请写明原因。")
    assert (w510.severity, w510.sheet, w510.cell, w510.task) == ("警告", "进展填报", "J6", "4.3")
    assert report.valid and [i.code for i in report.issues] == ["W510"]


@pytest.mark.parametrize("typed", ["本月无新进展", "配合牵头单位推进", "无新增情况，按计划推进。", "已完成"])
def test_a_sentence_however_short_is_no_placeholder(issued_ws, typed):
    assert _check(issued_ws, **{"4.3": Answer(work=typed)}).issues == []


def test_a_task_already_done_may_say_nothing_more(issued_ws):
    report = _check(issued_ws, **{"1.2": dataclasses.replace(DONE, work="无")})
    assert report.issues == []
    # 未启动 owes its reason: the placeholder is warned of
    report = _check(issued_ws, **{"4.3": Answer(status="未启动", progress=0, work="暂无")})
    assert [i.code for i in report.issues] == ["W510"]


def test_无_two_months_running_is_asked_about_once(issued_ws):
    """May and June both "无" on 4.3: W510 asks for the month's work; 照抄上期 (W608) on the
    same cell said it again. A 下一步计划 copied beside it is still W608's."""
    may = issue_returns(issued_ws, "2022-05", units=["石龙镇"]).files[0]
    from toolkit.filling import fill_return

    drop(issued_ws, "5月石龙镇.xlsx", fill_return(may, Filling(answers={"4.3": Answer(work="无", next_plan="继续推进。")},
                                                          default=Answer(work="五月按计划推进。"))),
         dt.datetime(2022, 6, 3).timestamp())
    assert collect(issued_ws).accepted == 1
    drop(issued_ws, "石龙镇.xlsx", _return(issued_ws, **{"4.3": Answer(work="无", next_plan="持续跟进。")}), on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert _accepted_codes(issued_ws) == [("W510", "4.3")]
    drop(issued_ws, "石龙镇(1).xlsx", _return(issued_ws, **{"4.3": Answer(work="无", next_plan="继续推进。")}),
         on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert _accepted_codes(issued_ws) == [("W510", "4.3"), ("W608", "4.3")]


def _accepted_codes(ws) -> list[tuple[str, str]]:
    from toolkit.ledger import Ledger

    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return sorted((i.code, i.task) for i in ledger.issues_of(ledger.accepted(Period(2022, 6))["石龙镇"].id))


def test_the_form_asks_for_no_placeholder(issued_ws):
    guide = load_workbook(issued_ws.root / "下发" / "2022年6月" / "2022年6月_石龙镇_进展填报表.xlsx")[GUIDE_SHEET]
    lines = {r[0]: r[1] for r in guide.iter_rows(values_only=True)}
    assert lines["工作进展"] == "必填。写本期做了什么、成效如何，可列数量、文号；不要只写“无”“同上”，确无进展的请写明原因。"


# ---------------------------------------------------------------------------
# 2. the reply accepting a return with warnings


def _reply_body(ws) -> str:
    eml = next((ws.root / "反馈").rglob("石龙镇_校验反馈.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return msg.get_body(("plain",)).get_content()


def test_a_reply_accepting_with_warnings_heads_them_请注意(issued_ws):
    issued_ws.settings = dataclasses.replace(issued_ws.settings, reply_to_warnings=True)
    drop(issued_ws, "石龙镇.xlsx", _return(issued_ws, **{"4.3": Answer(work="同上")}), on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    body = _reply_body(issued_ws)
    assert "数据已采纳，但有 1 处需核实的问题" in body, body
    assert "主要问题" not in body, body
    assert ("\n请注意：\n1. J6：任务 4.3 的工作进展只写了“同上”。请简述本期做了什么；确无进展的，请写明原因。\n"
            in body), body


def test_a_refusal_still_heads_its_list_主要问题(issued_ws):
    drop(issued_ws, "石龙镇.xlsx", _return(issued_ws, **{"4.3": Answer(status="滞后", work="无")}), on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    body = _reply_body(issued_ws)
    assert "暂未采纳" in body and "\n主要问题：\n1. " in body and "请注意" not in body, body


def test_a_workspaces_unedited_reply_template_gives_way_to_the_new_one(issued_ws):
    shipped = resource("templates", "反馈邮件.txt")
    # the text of then: without QA179's words for an unreadable file either
    old = reply_template_before_qa179(shipped.read_text(encoding="utf-8")).replace("{% if errors %}主要问题{% else %}请注意{% endif %}：", "主要问题：")
    assert hashlib.sha256(old.encode()).hexdigest() in SUPERSEDED_TEMPLATES["反馈邮件.txt"]
    (issued_ws.templates_dir / "反馈邮件.txt").write_text(old, encoding="utf-8")
    assert issued_ws.template("反馈邮件.txt") == shipped


# ---------------------------------------------------------------------------
# 3. the 填报说明's 咨询 line


def _ask_line(ws) -> str:
    form = issue_returns(ws, "2022-06", units=["石龙镇"]).files[0]
    lines = {r[0]: r[1] for r in load_workbook(form)[GUIDE_SHEET].iter_rows(values_only=True)}
    return lines["咨询"]


@pytest.mark.parametrize(("contact", "line"), [
    ("督查科 陈晓明 0769-22831234", "东莞市政务服务数据管理局督查科 陈晓明 0769-22831234"),  # the demo's
    ("", "东莞市政务服务数据管理局"),
    ("陈晓明 0769-22831234", "东莞市政务服务数据管理局 陈晓明 0769-22831234"),
    # a contact naming its own body (大竹's) is not run on from the organiser's name
    ("市政府督查室 刘娟 0769-22831000", "东莞市政务服务数据管理局 市政府督查室 刘娟 0769-22831000"),
    ("东莞市政务服务数据管理局督查科 陈晓明", "东莞市政务服务数据管理局督查科 陈晓明"),
])
def test_the_form_names_whom_to_ask_as_a_person_writes_it(ws, contact, line):
    ws.settings = dataclasses.replace(ws.settings, contact=contact)
    assert _ask_line(ws) == line


# ---------------------------------------------------------------------------
# 4. E504 offers the number it read, and still refuses


@pytest.mark.parametrize(("typed", "meant"), [("约80%", 80), ("80%左右", 80), ("八成", 80), ("已完成60%", 60),
                                              ("大约 70 %", 70)])
def test_a_progress_in_words_is_refused_with_its_number(issued_ws, typed, meant):
    report = _check(issued_ws, **{"4.3": Answer(progress=typed)})
    (e504,) = _coded(report, "E504")
    assert e504.message == f"任务 4.3 的完成进度“{typed}”不是 0—100 的整数。如指 {meant}%，请只填数字 {meant}。"
    assert not report.valid


@pytest.mark.parametrize("typed", ["过半", "基本完成", "80%-90%", "150%", "约"])
def test_a_progress_with_no_plain_number_keeps_the_general_advice(issued_ws, typed):
    (e504,) = _coded(_check(issued_ws, **{"4.3": Answer(progress=typed)}), "E504")
    assert e504.message == f"任务 4.3 的完成进度“{typed}”不是 0—100 的整数。请填写数字，如 80 表示 80%。"


def test_a_dash_for_nothing_is_no_formula(issued_ws):
    # "－" typed for 无 in 存在问题 was W508 "以“－”开头……不会作为公式执行": nothing runs
    assert _check(issued_ws, **{"4.3": Answer(problems="－", next_plan="-")}).issues == []
    (w508,) = _coded(_check(issued_ws, **{"4.3": Answer(problems="-1")}), "W508")
    assert w508.cell == "K6"
