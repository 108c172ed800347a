"""A cooperating unit (配合) that reports its part 滞后 on a task whose leads are on track (QA
helper qa128, found by QA122 on 广州's plan).

广州市's 2012 关于推进人才集聚工程的实施意见 (corpus) has 各区、县级市 配合 on 27 tasks. 越秀区
wrote 滞后 and why on tasks where it is 配合; a task's status is its leads' (序时推进), so the
通报's section 三 said "本期没有进展滞后的任务。" and nothing else: the reason was only in the
汇总表's 单位明细. A coordinator reading the 通报 saw no trace of a unit that told the office it
is behind. The task's status stays its leads'; section 三 names those tasks and units after its
list, with their reasons, and says of the leads that none reported 滞后.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from docx import Document

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.filling import Answer, Filling, fill_return
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import Role

GUANGZHOU = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_guangzhou_rencai_2012.docx"
DISTRICTS = ["越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "萝岗区"]
CITIES = ["增城市", "从化市"]
SEPTEMBER = Period(2012, 9)
RECEIVED = dt.date(2012, 10, 8)
YUEXIU = "越秀区人民政府"
WHY = "区人才公寓房源筹集不足，配套政策尚待市级明确。"
LAG = Answer("滞后", 30, "已完成辖区人才需求摸底。", WHY, "10月底前完成房源筹集方案。", dt.date(2012, 12, 31))
# task 2: 市发展改革委 leads, 各区、县级市 配合; task 4: 越秀区 配合 too
TASKS = ("2", "4")


def play(root: Path, answers: dict[str, dict[str, Answer]]):
    """September of 广州's plan: every unit with a form reports 序时推进 but where ``answers``
    (unit → task → answer) says otherwise; → (workspace, master, section 三 of the .docx 通报,
    the .md 通报)."""
    csv = root.parent / "名录.csv"
    csv.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n"
                   + "".join(f"{d}人民政府,{d},区,,,\n" for d in DISTRICTS)
                   + "".join(f"{c}人民政府,{c},县级市,,,\n" for c in CITIES), encoding="utf-8")
    ws, master = init_workspace(root, GUANGZHOU, period=str(SEPTEMBER), organiser="广州市人民政府办公厅",
                                directory_csv=csv)
    issue_returns(ws, SEPTEMBER)
    ws.inbox.mkdir(exist_ok=True)
    for form in sorted((ws.root / "下发" / SEPTEMBER.label).glob("*.xlsx")):
        unit = form.name.split("_")[1]
        path = ws.inbox / f"{unit}.xlsx"
        path.write_bytes(fill_return(form, Filling(answers=answers.get(unit, {}))))
        t = dt.datetime.combine(RECEIVED, dt.time(10)).timestamp()
        os.utime(path, (t, t))
    collect(ws, SEPTEMBER, received=RECEIVED)
    memo = write_memo(ws, SEPTEMBER, issue_date=dt.date(2012, 10, 10))
    paras = [p.text for p in Document(str(memo.path)).paragraphs]
    three = paras[paras.index("三、滞后及超期任务") + 1:paras.index("四、报送情况")]
    md = write_memo(ws, SEPTEMBER, fmt="md", issue_date=dt.date(2012, 10, 10)).path.read_text(encoding="utf-8")
    return ws, master, three, md


@pytest.fixture(scope="module")
def yuexiu(tmp_path_factory):
    """越秀区 reports 滞后, with its reason, on tasks 2 and 4, where it is 配合."""
    return play(tmp_path_factory.mktemp("yuexiu") / "人才集聚", {YUEXIU: dict.fromkeys(TASKS, LAG)})


def test_the_plan_has_yuexiu_cooperate_on_tasks_led_by_others(yuexiu):
    _, master, _, _ = yuexiu
    roles = {a.task: a.role for a in master.assignments if a.unit == YUEXIU}
    assert all(roles[t] == Role.COOP for t in TASKS), roles


def test_a_cooperating_units_lagging_report_is_said_with_its_reason(yuexiu):
    ws, _, three, md = yuexiu
    assert three == [
        "本期没有牵头单位报告进展滞后的任务。",
        f"另有2项任务的配合单位报告所承担工作进展滞后：任务2（{YUEXIU}）、任务4（{YUEXIU}）。",
        # two tasks: the reason says its tasks, as 越秀区 cooperates on both; the same reason on
        # both is said once (QA303: 27 tasks were 27 lines of it)
        f"{YUEXIU}（任务2、4）反映：{WHY}",
    ], three
    assert f"另有2项任务的配合单位报告所承担工作进展滞后：任务2（{YUEXIU}）、任务4（{YUEXIU}）。" in md, md
    assert f"{YUEXIU}（任务2、4）反映：{WHY}" in md
    # the tasks' status stays their leads': consolidate's verdicts are not changed
    from toolkit.consolidate import consolidate

    ctx = build_context(consolidate(ws, SEPTEMBER), dt.date(2012, 10, 10))
    assert not ctx.attention and ctx.task_lagging == 0
    assert [(t.id, t.status, t.lagging_coops) for t in ctx.coop_lagging] == [
        ("2", "序时推进", [YUEXIU]), ("4", "序时推进", [YUEXIU])]


def test_nothing_is_added_when_no_cooperating_unit_reports_lagging(tmp_path):
    _, _, three, md = play(tmp_path / "人才集聚", {})
    assert three == ["本期没有进展滞后的任务。"], three
    assert "配合单位报告" not in md


def test_a_task_already_lagging_is_not_named_again(tmp_path):
    """Task 2's lead reports 滞后 too: the task is in section 三's list, 越秀区's reason under it
    once; the sentence after the list names task 4 alone."""
    _, master, three, _ = play(tmp_path / "人才集聚", {
        YUEXIU: dict.fromkeys(TASKS, LAG),
        "市发展改革委": {"2": Answer("滞后", 20, "已起草政策文件。", "部门会签意见尚未返回。")}})
    assert {a.unit for a in master.assignments if a.task == "2" and a.role == Role.LEAD} == {"市发展改革委"}
    assert three[0] == "本期进展滞后的任务共1项，具体如下：", three
    assert three.count(f"{YUEXIU}反映：{WHY}") == 2, three  # once under task 2, once after the sentence (task 4)
    assert f"另有1项任务的配合单位报告所承担工作进展滞后：任务4（{YUEXIU}）。" in three, three
    assert not [p for p in three if "任务2（" in p], three


def test_many_cooperating_units_are_counted_not_named(tmp_path):
    """All twelve 区 and 县级市 report 滞后 on task 2: named they were a line of twelve names (a
    300-unit plan's 各镇街 a page), so the sentence counts them and points to 单位明细, and
    their twelve reasons stay in the 汇总表; 越秀区 alone on task 4 is named, with its reason."""
    units = [f"{d}人民政府" for d in DISTRICTS + CITIES]
    answers: dict[str, dict[str, Answer]] = {u: {"2": LAG} for u in units}
    answers[YUEXIU] = dict.fromkeys(TASKS, LAG)
    _, _, three, _ = play(tmp_path / "人才集聚", answers)
    assert three == [
        "本期没有牵头单位报告进展滞后的任务。",
        f"另有2项任务的配合单位报告所承担工作进展滞后：任务2（12个单位，名单见汇总表“单位明细”）、任务4（{YUEXIU}）。",
        f"{YUEXIU}（任务4）反映：{WHY}",
    ], three


def test_an_offices_own_template_without_the_part_still_renders(yuexiu, tmp_path):
    """A 模板/月度通报.docx edited before the part came keeps working: no new variable is
    required, and its section 三 no longer says there is nothing behind, only that no lead said so."""
    from toolkit.consolidate import consolidate
    from toolkit.memo import check_template, render_docx, write_default_template

    own = write_default_template(tmp_path / "月度通报.docx")
    doc = Document(str(own))
    paras = doc.paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == "{%p if coop_lagging %}")
    end = next(i for i, p in enumerate(paras) if i > start and p.text == "{%p endif %}")
    for p in paras[start:end + 1]:
        p._p.getparent().remove(p._p)
    doc.save(str(own))
    assert "coop_lagging" not in "".join(p.text for p in Document(str(own)).paragraphs)
    assert check_template(own) == []
    ws, _, _, _ = yuexiu
    out = render_docx(build_context(consolidate(ws, SEPTEMBER), dt.date(2012, 10, 10)), own, tmp_path / "通报.docx")
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[texts.index("三、滞后及超期任务") + 1:texts.index("四、报送情况")] == ["本期没有牵头单位报告进展滞后的任务。"]


@pytest.mark.parametrize(("deadlines", "unread", "said"), [
    (True, False, "本期没有牵头单位报告进展滞后的任务，也没有超过完成时限的任务。"),
    (True, True, "本期没有牵头单位报告进展滞后的任务，有明确完成时限的任务均未超过完成时限。"),
    (False, False, "本期没有牵头单位报告进展滞后的任务。"),
])
def test_the_lead_sentence_speaks_of_the_leads_in_a_plan_with_deadlines(deadlines, unread, said):
    """Dongguan's plan dates its tasks: "本期没有进展滞后或超过完成时限的任务" becomes two claims,
    each true: no lead reported 滞后, and no task is past its 完成时限."""
    from types import SimpleNamespace

    from toolkit.memo.sentences import attention_text

    c = SimpleNamespace(attention=[], coop_lagging=[SimpleNamespace(id="13.2", lagging_coops=["市市场监管局"])],
                        task_not_reported=0, task_not_reported_sent_back=0)
    assert attention_text(c, deadlines, unread) == said
    c.coop_lagging = []
    assert "牵头单位" not in attention_text(c, deadlines, unread)


# plays 广州's month with its 配合 units: about 8 s
pytestmark = pytest.mark.slow
