"""QA328: a 整改清单's mails and replies speak as its form does (QA322). The 下发 mail said 共 2 项任务，
其中 1 项（6）完成时限在本期或之前，请重点说明完成情况 beside a form headed 整改时限; the 催报 listed
each problem's 完成时限; a reply asked whether a task past its 完成时限 (W604) was 滞后 and called a
copied 整改进展 “工作进展” (W608); the 汇总表's 总览 and `merge` said 完成时限已过、报送尚未截止 under
超期未完成（整改时限已过）. A plan's mails, replies and screens are as they were (the shipped mail
templates were changed: their old fingerprints are superseded)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from types import SimpleNamespace

import pytest
from conftest import sheet_table
from test_qa351_remind_before_due import remind_template_before_qa351

from toolkit.checks import CheckContext, check_return, history_issues
from toolkit.filling import Answer, Filling, fill_return
from toolkit.mail import render_mail_template
from toolkit.master import import_master
from toolkit.period import Period
from toolkit.rectification import words_of
from toolkit.report import Previous
from toolkit.resources import resource
from toolkit.returns import build_return
from toolkit.settings import Limits
from toolkit.style import load_style
from toolkit.vocab import OVERDUE_WAITING
from toolkit.workspace import SUPERSEDED_TEMPLATES

JUNE = Period(2024, 6)
ROWS = [["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["5", "三、落实巡察整改方面", "财务报销审核不严。", "完善财务报销审核制度。", "计划财务科", "2024年7月底前"],
        ["6", None, "政府采购程序不规范。", "开展政府采购专项检查。", "计划财务科", "2024年6月底前"]]
PLAN = [["序号", "工作任务", "具体内容", "责任单位", "完成时限"],
        ["5", "建成城市书房。", "建成10家。", "计划财务科", "2024年7月底前"],
        ["6", "建成口袋公园。", "建成5个。", "计划财务科", "2024年6月底前"]]


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("m")
    return (import_master(sheet_table(tmp / "巡察反馈问题整改清单.xlsx", ROWS, ("B2:B3",))),
            import_master(sheet_table(tmp / "t.xlsx", PLAN)))


def _issue_mail(rectification: bool | None, project: str = "县委第一巡察组反馈问题整改清单") -> str:
    context = {"project": project, "unit": "计划财务科", "period": "2024-06", "period_label": "2024年6月",
               "due_text": "2024年7月5日", "task_count": 2, "lead_count": 2, "coop_count": 0, "due_tasks": ["6"],
               "plan_has_coop": False, "organiser": "", "contact": "", "today_text": "2024年6月25日"}
    if rectification is not None:
        context["rectification"] = rectification
    return render_mail_template(resource("templates", "下发邮件.txt"), context)[1].split("\n")[2]


def test_the_issue_mail_speaks_of_problems_put_right():
    assert _issue_mail(True) == ("根据县委第一巡察组反馈问题整改清单安排，现将贵单位2024年6月进展填报表（附件）发给你们，"
                                 "共 2 项整改任务，其中 1 项（6）整改时限在本期或之前，请重点说明整改完成情况。")
    # a plan's, and a caller (an office's script) that gives no ``rectification``, as before; its
    # 根据…安排 as the 通报 says it (a …清单 is arranged by itself, `rectification.arrangement`, QA343)
    plan = ("根据县委第一巡察组反馈问题整改清单安排，现将贵单位2024年6月进展填报表（附件）发给你们，"
            "共 2 项任务，其中 1 项（6）完成时限在本期或之前，请重点说明完成情况。")
    assert _issue_mail(False) == _issue_mail(None) == plan


def _remind_mail(rectification: bool) -> list[str]:
    tasks = [{"id": "5", "role": "牵头", "name": "财务报销审核不严", "deadline": "2024年7月底前"},
             {"id": "6", "role": "牵头", "name": "政府采购程序不规范", "deadline": "2024年6月底前"}]
    _, body = render_mail_template(resource("templates", "催报邮件.txt"), {
        "project": "县委第一巡察组反馈问题整改清单", "unit": "计划财务科", "state": "未报送", "period_label": "2024年6月",
        "due_text": "2024年7月5日", "today_text": "2024年7月6日", "tasks": tasks, "deadlines": True, "fix_by_text": "",
        "ask_by_text": "",
        "organiser": "", "contact": "", "attached": False, "feedback_attached": False, "rectification": rectification})
    return body.split("\n")[4:7]


def test_the_reminder_lists_problems_by_their_rectification_deadline():
    assert _remind_mail(True) == ["贵单位本期应报整改任务 2 项：", "5（牵头）财务报销审核不严，整改时限：2024年7月底前",
                                  "6（牵头）政府采购程序不规范，整改时限：2024年6月底前"]
    assert _remind_mail(False) == ["贵单位本期应报任务 2 项：", "5（牵头）财务报销审核不严，完成时限：2024年7月底前",
                                   "6（牵头）政府采购程序不规范，完成时限：2024年6月底前"]


def test_an_office_with_the_templates_shipped_before_gets_the_new_ones():
    """The shipped 下发 and 催报 mails before QA328 (git 8962279), byte for byte: a workspace that
    never edited its copy mails the new words; its own edited copy is kept (`_superseded`)."""
    old_issue = ("主题：【请于{{ due_text }}前报送】{{ project }}{{ period_label }}进展填报表（{{ unit }}）\n{{ unit }}：\n\n"
                 "根据{{ project }}{% if not project.endswith((\"工作\", \"任务\")) %}工作{% endif %}安排，现将贵单位"
                 "{{ period_label }}进展填报表（附件）发给你们，共 {{ task_count }} 项任务{% if plan_has_coop %}（牵头 "
                 "{{ lead_count }} 项，配合 {{ coop_count }} 项）{% endif %}{% if due_tasks %}，其中 {{ due_tasks|length }} 项"
                 "（{{ due_tasks|join(\"、\") }}）完成时限在本期或之前，请重点说明完成情况{% endif %}。\n\n")
    shipped = {name: resource("templates", name).read_text(encoding="utf-8") for name in ("下发邮件.txt", "催报邮件.txt")}
    before = {"下发邮件.txt": old_issue + shipped["下发邮件.txt"].split("。\n\n", 1)[1],
              "催报邮件.txt": remind_template_before_qa351(shipped["催报邮件.txt"]).replace("{% if rectification %}整改{% endif %}", "").replace(
                  "{% if rectification %}整改时限{% else %}完成时限{% endif %}", "完成时限")}
    for name, text in before.items():
        assert text != shipped[name] and "rectification" not in text
        assert hashlib.sha256(text.encode()).hexdigest() in SUPERSEDED_TEMPLATES[name], name


def _june_form(master) -> bytes:
    wb = build_return(master, "计划财务科", JUNE, dt.date(2024, 7, 5), master.title,
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("which, said", [(0, "整改时限"), (1, "完成时限")])
def test_a_reply_asks_about_the_deadline_the_form_printed(masters, which, said):
    master = masters[which]
    data = fill_return(_june_form(master), Filling(default=Answer("序时推进", 50, "已起草制度初稿。")))
    report = check_return(data, "计划财务科.xlsx", CheckContext(master, Limits(), period=JUNE))
    assert [i.message for i in report.issues if i.code == "W604"] == [
        f"任务 6 {said}为 2024年6月30日（即本期末），状态为“序时推进”。本期汇总按期末情况判断，期末仍未完成的计为超期。"
        "请核实是否按期完成：期末前完成的，请改选“已完成”（报送时尚未完成的，可在完成后再报送）；不能按期完成的，请改选“滞后”并说明原因。"]


@pytest.mark.parametrize("which, said", [(0, "“整改进展”和“下一步计划”"), (1, "“工作进展”和“下一步计划”")])
def test_a_copied_month_is_named_by_the_forms_columns(masters, which, said):
    row = SimpleNamespace(task="5", progress=50, status="序时推进", work="已起草制度初稿。", next_plan="征求意见。",
                          row=5, progress_cell="I5")
    report = SimpleNamespace(rows=[row], file="计划财务科.xlsx", sheet="进展填报")
    before = {"5": Previous(50, "2024年5月", "序时推进", "已起草制度初稿。", "征求意见。")}
    [issue] = history_issues(report, before, masters[which])
    assert issue.message == f"任务 5 的{said}与上期（2024年5月）采纳的报送完全相同。请填写本期的新进展和计划；确无变化的，请写明原因。"
    assert history_issues(report, before)[0].message == history_issues(report, before, masters[1])[0].message


def test_the_overview_says_the_rectification_deadline_passed(masters):
    assert words_of(masters[0]).overdue_waiting == "整改时限已过、报送尚未截止"
    assert words_of(masters[1]).overdue_waiting == "完成时限已过、报送尚未截止" == OVERDUE_WAITING
    assert words_of(masters[0]).overdue == "超期未完成（整改时限已过）"


@pytest.mark.parametrize("which, said", [(0, "整改进展"), (1, "工作进展")])
def test_the_guide_says_the_period_reports_the_forms_progress(masters, which, said):
    from openpyxl import load_workbook

    from toolkit.form_guide import GUIDE_SHEET

    wb = load_workbook(io.BytesIO(_june_form(masters[which])))
    guide = {r[0]: r[1] for r in wb[GUIDE_SHEET].iter_rows(values_only=True) if r[0]}
    assert guide["填报期"] == f"2024年6月（反映截至 2024年6月30日 的{said}）"

# ---- the mails of a month played on a 整改清单 (slow: run in CI, out of the quick loop) ----

@pytest.mark.slow
def test_a_played_month_mails_in_the_lists_words(tmp_path):
    import email
    from email import policy

    from conftest import played_month, set_clock
    from openpyxl import load_workbook

    table = sheet_table(tmp_path / "县委第一巡察组反馈问题整改清单.xlsx", ROWS, ("B2:B3",))
    root = tmp_path / "ws"
    mp, _, run = played_month(root, dt.date(2024, 6, 25), "--master", str(table), "--period", "2024-06")
    try:
        wb = load_workbook(root / "任务分工表.xlsx")
        wb["单位名录"]["F2"] = "cwk@example.cn"
        wb.save(root / "任务分工表.xlsx")
        run("issue", "--period", "2024-06", "--emails")
        set_clock(mp, dt.date(2024, 7, 8))
        run("remind")
    finally:
        mp.undo()

    def body(path):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        return msg.get_body(("plain",)).get_content()

    [issued] = (root / "下发" / "2024年6月").glob("*.eml")
    # 计划财务科 alone: a 科室, so 贵科室 (`units.of_sections`)
    assert ("根据县委第一巡察组反馈问题整改清单安排，现将贵科室2024年6月进展填报表（附件）发给你们，共 2 项整改任务，"
            "其中 1 项（6）整改时限在本期或之前，请重点说明整改完成情况。") in body(issued)
    [reminder] = (root / "汇总" / "2024年6月" / "催报邮件").glob("*.eml")
    assert ("贵科室本期应报整改任务 2 项：\n5（牵头）财务报销审核不严，整改时限：2024年7月底前\n"
            "6（牵头）政府采购程序不规范，整改时限：2024年6月底前\n") in body(reminder)
