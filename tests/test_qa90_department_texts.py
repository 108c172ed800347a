"""QA round 90: what duban sends a department of another place, read as that department would.

Two real published tables: 大竹县's 2016 民生实事 (a county plan; its office is 大竹县人民政府
办公室, the plan names only who leads) and 池州市信访局's 政务公开 task list (a bureau's plan among
its own 科室). Each office issues a month, one unit sends a return that is refused (a 滞后 row
without 存在问题, a progress typed 八成, a row deleted), one a return accepted with warnings, and
the rest nothing. What was wrong:

* duban.toml's ``contact`` says it is written "into the 填报说明 and the mails", but no mail
  named it: the issue, reminder and reply mails gave a department no one to call;
* 大竹's and 池州's mails counted "牵头 2 项，配合 0 项" for plans that name no 配合单位 at all;
* a 科室 was asked to have its form checked "经单位审核后", by the bureau, not by the 科室;
* the form's 预计完成时间 refused every date before 2020: 大竹's 2016 form refused 2016-07-15,
  the very example its own prompt gave;
* the 填报说明 said of 完成进度 "不要写“80%”以外的文字说明", which reads as "write 80%";
* the reply's 校验结果 sheet asked a refused return back without the day the mail gave, beside a
  form whose printed 报送截止 had long passed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.remind import write_reminders
from toolkit.dates import excel_serial
from toolkit.filling import Answer, Filling, fill_return
from toolkit.mail import render_mail_template
from toolkit.resources import resource
from toolkit.returns import GUIDE_SHEET, SHEET
from toolkit.workspace import SUPERSEDED_TEMPLATES

CORPUS = Path(__file__).parent / "corpus" / "masters"
DAZHU_UNITS = ("县水务局", "县住建局", "县护城河指挥部", "县文体广新局", "县代建中心", "县残联", "县民政局",
               "县政务服务中心", "县教科局", "县商务局")
CHIZHOU_SECTIONS = ("办公室", "综合科", "督查科", "接访科", "网上信访科")


def _mail(path: Path) -> tuple[str, str]:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return str(msg["subject"]), msg.get_body(("plain",)).get_content()


def _workspace(root: Path, master: str, period: str, organiser: str, units: tuple[str, ...], kind: str,
               contact: str):
    directory = root / "名录.csv"
    directory.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + "".join(
        f"{name},,{kind},,,u{i}@example.cn\n" for i, name in enumerate(units)), encoding="utf-8")
    ws, _ = init_workspace(root / "ws", CORPUS / master, period=period, organiser=organiser,
                           directory_csv=directory)
    ws.settings = dataclasses.replace(ws.settings, contact=contact, reply_to_warnings=True)
    issue_returns(ws, period, emails=True)
    return ws


def _send(ws, period_label: str, unit: str, filling: Filling) -> None:
    form = ws.root / "下发" / period_label / f"{period_label}_{unit}_进展填报表.xlsx"
    (ws.inbox / f"{unit}.xlsx").write_bytes(fill_return(form, filling))


@pytest.fixture(scope="module")
def dazhu(tmp_path_factory):
    """大竹县's county plan: 县住建局 refused, 县民政局 accepted with warnings, the rest owe."""
    ws = _workspace(tmp_path_factory.mktemp("dazhu"), "dazhu_mssx_2016.docx", "2016-06", "大竹县人民政府办公室",
                    DAZHU_UNITS, "部门", "县政府督查室 刘娟 0818-6222512")
    contact = {"填报人": "王芳", "联系电话": "0818-6221002", "审核人": "李建国", "填报日期": dt.date(2016, 7, 4)}
    _send(ws, "2016年6月", "县住建局", Filling(answers={
        "1": Answer(status="滞后", progress=30, work="东柳河城区段综合治理工程已完成设计招标。", problems=""),
        "2": Answer(status="序时推进", progress="八成", work="2座人行天桥主体结构完工。"),
    }, contact=contact, delete_tasks=("9",)))
    _send(ws, "2016年6月", "县民政局", Filling(answers={
        "5": Answer(status="已完成", progress=100, work="县社会福利中心已于5月20日动工。"),
        "5-2": Answer(status="序时推进", progress=100, work="城乡低保提标已完成测算。"),
    }, contact=contact))
    collect(ws, received=dt.date(2016, 7, 4))
    write_reminders(ws)
    return ws


@pytest.fixture(scope="module")
def chizhou(tmp_path_factory):
    """池州市信访局's plan among its own 科室: 督查科 refused, the rest owe."""
    ws = _workspace(tmp_path_factory.mktemp("chizhou"), "chizhou_zwgk_tasks.docx", "2024-06", "池州市信访局",
                    CHIZHOU_SECTIONS, "科室", "办公室 方晓 0566-2023101")
    _send(ws, "2024年6月", "督查科", Filling(answers={
        "2": Answer(status="滞后", progress=40, work="已在门户网站发布政策解读3篇。", problems=""),
    }, contact={"填报人": "许静", "联系电话": "0566-2023103", "审核人": "周主任", "填报日期": dt.date(2024, 7, 3)}))
    collect(ws, received=dt.date(2024, 7, 3))
    write_reminders(ws)
    return ws


def _drafts(ws) -> dict[str, list[Path]]:
    mails = sorted(ws.root.rglob("*.eml"))
    return {"issue": [p for p in mails if "下发" in p.parts], "reply": [p for p in mails if "反馈" in p.parts],
            "remind": [p for p in mails if "催报邮件" in p.parts]}


@pytest.mark.parametrize("place", ["dazhu", "chizhou"])
def test_every_mail_a_department_gets_names_the_offices_contact(place, request):
    ws = request.getfixturevalue(place)
    drafts = _drafts(ws)
    assert all(drafts.values()), drafts  # issue, reply and reminder drafts
    for path in (p for paths in drafts.values() for p in paths):
        _, body = _mail(path)
        assert f"联系人：{ws.contact}\n" in body, (path.name, body)
        # above the signature, as the 填报说明's 咨询 names it too
        assert body.index("联系人：") < body.index(ws.organiser), body


def test_a_plan_naming_no_配合单位_does_not_count_配合_0_项(dazhu):
    _, body = _mail(next(p for p in _drafts(dazhu)["issue"] if "县民政局" in p.name))
    assert "共 2 项任务。" in body and "配合" not in body, body
    # a plan that has cooperating units still counts both roles, 0 included
    template = resource("templates", "下发邮件.txt")
    context = {"project": "数字政府建设", "unit": "市发改局", "period_label": "2022年6月", "due_text": "2022年7月5日",
               "task_count": 3, "lead_count": 3, "coop_count": 0, "due_tasks": [], "plan_has_coop": True,
               "organiser": "东莞市政务服务数据管理局", "contact": "", "today_text": "2022年7月1日"}
    assert "共 3 项任务（牵头 3 项，配合 0 项）" in render_mail_template(template, context)[1]


def test_a_科室_has_its_form_checked_by_the_科室_and_a_department_by_itself(dazhu, chizhou):
    _, county = _mail(_drafts(dazhu)["issue"][0])
    _, section = _mail(_drafts(chizhou)["issue"][0])
    assert "经本单位审核后" in county, county
    assert "经本科室审核后" in section and "贵科室" in section, section


def test_the_forms_预计完成时间_takes_dates_of_the_plans_own_years(dazhu, chizhou):
    def bounds(ws, label: str) -> tuple[int, int]:
        form = next((ws.root / "下发" / label).glob("*.xlsx"))
        sheet = load_workbook(form)[SHEET]
        dv = next(d for d in sheet.data_validations.dataValidation if d.type == "date")
        return int(dv.formula1), int(dv.formula2)

    low, high = bounds(dazhu, "2016年6月")
    assert low <= excel_serial(dt.date(2016, 7, 15)) <= high  # the example its prompt gives
    # a plan of these years keeps 2020-01-01 .. 2035-12-31, as every form had it
    assert bounds(chizhou, "2024年6月") == (excel_serial(dt.date(2020, 1, 1)), excel_serial(dt.date(2035, 12, 31)))


def test_the_guide_says_plainly_what_完成进度_takes(dazhu):
    form = next((dazhu.root / "下发" / "2016年6月").glob("*.xlsx"))
    guide = {row[0]: row[1] for row in load_workbook(form)[GUIDE_SHEET].iter_rows(values_only=True) if row[0]}
    text = guide["完成进度(%)"]
    assert "以外的文字说明" not in text and "80" in text and "八成" in text, text


def test_the_refusals_result_sheet_asks_it_back_by_the_mails_day(dazhu, chizhou):
    for ws, unit in ((dazhu, "县住建局"), (chizhou, "督查科")):
        reply = next(p for p in _drafts(ws)["reply"] if p.name.startswith(unit))
        _, body = _mail(reply)
        day = body.split("逐项修改，于", 1)[1].split("前", 1)[0]
        verdict = load_workbook(reply.with_suffix(".xlsx"))["校验结果"]["A2"].value
        assert f"于{day}前重新报送本文件" in verdict, (verdict, body)
    # an accepted return is asked back by no day
    accepted = next(p for p in _drafts(dazhu)["reply"] if p.name.startswith("县民政局"))
    assert "已采纳" in load_workbook(accepted.with_suffix(".xlsx"))["校验结果"]["A2"].value


# the 下发邮件 every workspace got from `init` before the mails named the contact
_OLD_ISSUE_MAIL = (
    "主题：【请于{{ due_text }}前报送】{{ project }}{{ period_label }}进展填报表（{{ unit }}）\n"
    "{{ unit }}：\n\n"
    "根据{{ project }}{% if not project.endswith((\"工作\", \"任务\")) %}工作{% endif %}安排，现将贵单位"
    "{{ period_label }}进展填报表（附件）发给你们，共 {{ task_count }} 项任务（牵头 {{ lead_count }} 项，"
    "配合 {{ coop_count }} 项）{% if due_tasks %}，其中 {{ due_tasks|length }} 项（{{ due_tasks|join(\"、\") }}）"
    "完成时限在本期或之前，请重点说明完成情况{% endif %}。\n\n"
    "请于{{ due_text }}前填好附件中白色单元格，经单位审核后，以 Excel 文件（.xlsx）回复本邮件报送。"
    "填报要求见附件“填报说明”工作表。\n\n"
    "{% if organiser %}{{ organiser }}{% endif %}\n{{ today_text }}\n")


def test_a_workspaces_unedited_mail_templates_give_way_to_the_new_ones(dazhu):
    assert hashlib.sha256(_OLD_ISSUE_MAIL.encode()).hexdigest() in SUPERSEDED_TEMPLATES["下发邮件.txt"]
    own = dazhu.templates_dir / "下发邮件.txt"
    kept = own.read_bytes()
    try:
        own.write_text(_OLD_ISSUE_MAIL, encoding="utf-8")
        assert dazhu.template("下发邮件.txt") == resource("templates", "下发邮件.txt")
        own.write_text(_OLD_ISSUE_MAIL.replace("发给你们", "印发给你们"), encoding="utf-8")  # the office's own
        assert dazhu.template("下发邮件.txt") == own
    finally:
        own.write_bytes(kept)
    for name in ("催报邮件.txt", "反馈邮件.txt"):
        assert SUPERSEDED_TEMPLATES[name]
