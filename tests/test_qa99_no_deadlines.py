"""A plan that gives no 完成时限 at all, as departments and the public read it (QA helper qa99).

Most published tables the toolkit imports have no deadline column (tests/corpus/masters:
苍南县 2022 民生实事, 国办 2018 126号, 潍坊 2017, every prose 分工意见). For 苍南's plan:

* each 催报 mail listed every task with "完成时限：未明确", thirteen times a noise a 县直
  department can do nothing about; the form's 填报说明 sheet told it "本期没有到期的任务" and
  that 滞后 means behind the 完成时限 it does not have;
* the 通报's section 五 said "2022年11月没有到期的任务。" every month of the plan.

And a wording on screen: a unit that had reported June (accepted) and sends June's form
again in August was called 补报, as if it had never reported June.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import os
from pathlib import Path

import pytest
from conftest import PERIOD, drop, on_time, shanghai
from docx import Document
from openpyxl import load_workbook
from test_evidence import _move_period
from test_qa86_other_plans_memo import CANGNAN, CORPUS
from test_qa351_remind_before_due import remind_template_before_qa351

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.actions.remind import write_reminders
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import GUIDE_SHEET

OCTOBER = Period(2022, 10)


@pytest.fixture(scope="module")
def cangnan(tmp_path_factory):
    """苍南's October: issued, 县教育局 and 县交通局 (one task 滞后) report, reminders written."""
    root = tmp_path_factory.mktemp("cangnan") / "苍南"
    csv = root.parent / "名录.csv"
    csv.write_text(CANGNAN, encoding="utf-8")
    ws, _ = init_workspace(root, CORPUS / "cangnan_mssx_2022.docx", period=str(OCTOBER),
                           organiser="苍南县人民政府办公室", directory_csv=csv)
    issue_returns(ws, OCTOBER)
    issued = ws.root / "下发" / OCTOBER.label
    lag = Answer("滞后", 85, "已建成四好农村路47公里。", "受台风“梅花”影响，部分路段路基水毁，需重新施工。",
                 "11月底前完成剩余8公里。", dt.date(2022, 11, 30))
    ws.inbox.mkdir(exist_ok=True)
    received = dt.date(2022, 11, 3)
    for unit, filling in {"县教育局": Filling(), "县交通局": Filling(answers={"2": lag})}.items():
        path = ws.inbox / f"{unit}.xlsx"
        path.write_bytes(fill_return(issued / f"{OCTOBER.label}_{unit}_进展填报表.xlsx", filling))
        t = dt.datetime.combine(received, dt.time(10)).timestamp()
        os.utime(path, (t, t))
    collect(ws, OCTOBER, received=received)
    reminders = write_reminders(ws, OCTOBER)
    memo = write_memo(ws, OCTOBER, issue_date=dt.date(2022, 11, 6))
    return ws, reminders, memo


def _body(path: Path) -> str:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return msg.get_body(("plain",)).get_content()


def test_a_reminder_for_a_plan_without_deadlines_says_nothing_of_them(cangnan):
    _, reminders, _ = cangnan
    bodies = {p.name: _body(p) for p in reminders.files}
    assert bodies and all("完成时限" not in b and "未明确" not in b for b in bodies.values()), bodies
    # the tasks are still listed, one a line
    culture = bodies["催报_县文广旅体局.eml"].splitlines()
    assert culture[culture.index("贵单位本期应报任务 2 项：") + 2] == "13（牵头）新增16个“文化驿站”", culture


def test_the_guide_sheet_of_a_plan_without_deadlines_names_none(cangnan):
    ws, _, _ = cangnan
    form = ws.root / "下发" / OCTOBER.label / f"{OCTOBER.label}_县水利局_进展填报表.xlsx"
    guide = load_workbook(io.BytesIO(form.read_bytes()))[GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "完成时限" not in text and "本期到期" not in text and "没有到期" not in text, text
    assert "滞后：" in text and "存在问题" in text


def test_section_five_of_a_plan_without_deadlines_says_what_is_true(cangnan):
    _, _, memo = cangnan
    paras = [p.text for p in Document(str(memo.path)).paragraphs]
    i = paras.index("五、下月到期任务")
    said = paras[i + 1]
    assert "没有到期的任务" not in said, said
    assert said == "各项任务均未明确完成时限，请各责任单位对照任务目标持续推进，按月如实报送工作进展。", said
    assert not any("确保按期完成" in p for p in paras)
    # nor does section 一 say none has passed a 完成时限 the plan never set
    others = paras[:i + 1] + paras[i + 2:]
    assert not any("完成时限" in p for p in others), [p for p in others if "完成时限" in p]
    assert "（一）加快推进滞后任务。进展滞后的任务，牵头单位要认真分析原因" in "\n".join(paras)


def test_a_workspaces_unedited_reminder_template_gives_way_to_the_new_one(cangnan):
    ws, _, _ = cangnan
    own = ws.templates_dir / "催报邮件.txt"
    kept = own.read_bytes()
    shipped = resource("templates", "催报邮件.txt")
    # before a 整改清单's said 整改任务 and 整改时限 (QA328)
    # before a unit still on time was asked by its date (QA351)
    before = remind_template_before_qa351(shipped.read_text("utf-8"))
    before = before.replace("{% if rectification %}整改{% endif %}", "").replace(
        "{% if rectification %}整改时限{% else %}完成时限{% endif %}", "完成时限")
    before = before.replace("{{ t.name }}{% if deadlines %}，完成时限：{{ t.deadline }}{% endif %}",
                            "{{ t.name }}，完成时限：{{ t.deadline }}")
    # nor did it ask a unit sent back by the date its reply named (QA266)
    before = before.replace("{% if fix_by_text %}于{{ fix_by_text }}前{% else %}尽快{% endif %}", "尽快")
    assert before != shipped.read_text("utf-8")
    try:
        own.write_text(before, encoding="utf-8")
        assert ws.template("催报邮件.txt") == shipped
    finally:
        own.write_bytes(kept)


def test_a_task_of_a_plan_without_deadlines_is_summed_up_without_one(cangnan):
    _, _, memo = cangnan
    paras = [p.text for p in Document(str(memo.path)).paragraphs]
    road = [p for p in paras if p.startswith("牵头单位：县交通局")]
    assert road and "完成时限" not in road[0], road


# ---------------------------------------------------------------- 补报 or 重报



def test_a_june_form_sent_again_after_june_was_reported_is_called_a_resubmission(run, issued_ws, make_return):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", Filling(), **{"4_3": Answer(progress=40)}), on_time())
    collect(issued_ws)
    merge(issued_ws, PERIOD)
    issued_ws = _move_period(issued_ws, "2022-08")
    drop(issued_ws, "石龙镇6月（更正）.xlsx", make_return("石龙镇", Filling(), **{"4_3": Answer(progress=70)}),
         shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    drop(issued_ws, "中堂镇6月.xlsx", make_return("中堂镇"), shanghai(dt.datetime(2022, 8, 3, 9, 0)))
    result = run(["collect", "--received", "2022-08-03"], cwd=issued_ws.root)
    out = result.stdout
    assert "补报：石龙镇" not in out, out
    assert "重报：石龙镇 重新报送了2022年6月的填报表（此前已报送并采纳），该期已汇总；" in out, out
    assert "补报：中堂镇 报送了2022年6月的填报表，该期已汇总；" in out, out
    assert result.exit_code == 1
