"""The 通报 of months unlike the demo's, read sentence by sentence (QA helper qa174).

* 苍南县 2022年11月 (cangnan_mssx_2022.docx: one 县直 lead a task, no 完成时限): a month in
  which nobody sent anything said "本期没有进展滞后的任务。" of 13 tasks nobody reported on;
  a unit whose return was sent back was asked to 补报, as if it had sent nothing.
* 池州市信访局 2023年11月 (chizhou_zwgk_tasks.docx, a bureau's plan among its 科室): every
  sentence said 科室 but the lists of sections 二 and 五 said "（任务6，牵头单位：办公室）";
  its one 年底前 task was given "（如“年底前”）", an example of one; with one task 滞后 and
  none overdue, 工作要求 spoke of "进展滞后和超过完成时限的任务".
* Long plan names (黔西南's 政务公开工作要点暨…, 广州's 《…》重点任务分工) found no place to break
  the title and went out on one line, for Word to cut mid-word.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document
from test_qa86_other_plans_memo import CANGNAN  # 苍南 2022's 名录, as QA86 wrote it

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.memo import build_context
from toolkit.memo.context import memo_title
from toolkit.memo.gbt9704 import TITLE_CHARS, text_width, title_lines
from toolkit.period import Period
from toolkit.workspace import find_workspace

CORPUS = Path(__file__).parent / "corpus" / "masters"
NOV = Period(2022, 11)
CHIZHOU = """单位,简称/别名,类别,联系人,电话,邮箱
办公室,局办公室,科室,张明,0566-2000001,bgs@xfj.example.gov.cn
督查科,信访督查科,科室,李华,0566-2000002,dck@xfj.example.gov.cn
接访科,,科室,王芳,0566-2000003,jfk@xfj.example.gov.cn
办信科,网上信访科,科室,赵强,0566-2000004,bxk@xfj.example.gov.cn
"""
ON_TIME = dt.date(2022, 12, 2)
ISSUE = dt.date(2022, 12, 9)


def _send(ws, period: Period, fills: dict[str, Filling], received: dt.date) -> None:
    issued = ws.root / "下发" / period.label
    ws.inbox.mkdir(exist_ok=True)
    for unit, filling in fills.items():
        form = issued / f"{period.label}_{unit}_进展填报表.xlsx"
        (ws.inbox / form.name).write_bytes(fill_return(form, filling))
    collect(ws, period, received=received)


@pytest.fixture(scope="module")
def _cangnan(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cangnan") / "苍南"
    csv = root.parent / "苍南名录.csv"
    csv.write_text(CANGNAN, encoding="utf-8")
    ws, _ = init_workspace(root, CORPUS / "cangnan_mssx_2022.docx", period=str(NOV),
                           organiser="苍南县人民政府办公室", directory_csv=csv)
    issue_returns(ws, NOV)
    return root


@pytest.fixture
def cangnan(_cangnan, tmp_path):
    shutil.copytree(_cangnan, tmp_path / "苍南")
    return find_workspace(tmp_path / "苍南")


def _fine() -> Filling:
    return Filling(default=Answer("序时推进", 60, "按计划推进。", "", "继续推进。", dt.date(2022, 12, 31)))


UNITS = ["县教育局", "县交通局", "县卫健局", "县住建局", "县民政局", "县水利局", "县文广旅体局"]


def test_a_month_nobody_reported_claims_no_task_on_time(cangnan):
    """Seven units, none sent: 13 tasks 未报送, and section 三 said 本期没有进展滞后的任务."""
    ctx = build_context(consolidate(cangnan, NOV), ISSUE)
    assert (ctx.unit_missing, ctx.task_not_reported) == (7, 13)
    assert ctx.reporting_text == "本期应报送单位7个，均未报送。"
    assert ctx.attention_text == "本期各项任务均未报送进展，无法判断是否进展滞后。"


def test_a_month_with_one_unit_silent_says_lagging_of_the_reported(cangnan):
    """县民政局 sent nothing: its 2 tasks were never judged, the other 11 are 序时推进."""
    _send(cangnan, NOV, {u: _fine() for u in UNITS if u != "县民政局"}, ON_TIME)
    ctx = build_context(consolidate(cangnan, NOV), ISSUE)
    assert (ctx.task_on_track, ctx.task_not_reported) == (11, 2)
    assert ctx.attention_text == "本期已报送进展的任务中没有进展滞后的。"
    assert ctx.missing_names == "县民政局"


def test_a_unit_sent_back_is_asked_to_correct_not_to_send_late(cangnan):
    """县民政局's 滞后 with no 存在问题 is sent back: it reported, and corrects its return."""
    wrong = Filling(default=Answer("滞后", 20, "选址中。", "", "", None))
    _send(cangnan, NOV, {**{u: _fine() for u in UNITS if u != "县民政局"}, "县民政局": wrong}, ON_TIME)
    ctx = build_context(consolidate(cangnan, NOV), ISSUE)
    assert (ctx.unit_returned, ctx.unit_missing) == (1, 0)
    asks = next(p.text for p in ctx.requirements if p.title == "按时报送进展。")
    assert asks.startswith("请退回修改的1个单位修改后重报；"), asks
    assert "补报" not in asks


def test_units_silent_and_sent_back_each_asked_their_own(cangnan):
    wrong = Filling(default=Answer("滞后", 20, "选址中。", "", "", None))
    # 县水利局 and 县文广旅体局 send nothing
    _send(cangnan, NOV, {**{u: _fine() for u in UNITS[:4]}, "县民政局": wrong}, ON_TIME)
    ctx = build_context(consolidate(cangnan, NOV), ISSUE)
    asks = next(p.text for p in ctx.requirements if p.title == "按时报送进展。")
    assert asks.startswith("请未报送的2个单位尽快补报，退回修改的1个单位修改后重报；"), asks


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_a_bureaus_plan_names_its_lead_sections_in_every_list(tmp_path):
    """池州市信访局 among its 科室, November 2023: 办公室 finishes 6, reports 1 滞后 (年底前, no
    year anywhere) and the rest 序时推进; 督查科, 接访科 and 办信科 send nothing."""
    period = Period(2023, 11)
    csv = tmp_path / "池州名录.csv"
    csv.write_text(CHIZHOU, encoding="utf-8")
    ws, _ = init_workspace(tmp_path / "池州", CORPUS / "chizhou_zwgk_tasks.docx", period=str(period),
                           organiser="池州市信访局", directory_csv=csv)
    issue_returns(ws, period)
    go = Answer("序时推进", 60, "按计划推进。", "", "继续推进。", dt.date(2023, 12, 31))
    answers = {"1": Answer("滞后", 30, "清理中。", "清理工作量大。", "继续清理。", dt.date(2023, 12, 31)),
               "6": Answer("已完成", 100, "已公开。", "", "", None, "池信〔2023〕5号")}
    _send(ws, period, {"办公室": Filling(answers=answers, default=go)}, dt.date(2023, 12, 4))
    result = write_memo(ws, period, issue_date=dt.date(2023, 12, 8))
    text = _paragraphs(result.path)
    body = "\n".join(text)
    assert "1．制定并公开本部门政务公开重点任务清单（任务6，牵头科室：办公室）。" in text
    assert "牵头单位" not in body
    ctx = result.context
    assert (ctx.task_lagging, ctx.task_overdue) == (1, 0)
    assert ctx.due_next_text == "1项任务（任务1）的完成时限“年底前”未写明年份，未判断是否到期。"
    assert "1项任务（任务1）的完成时限“年底前”未写明年份，未判断是否超期。" in ctx.overview_text
    lagging = next(p.text for p in ctx.requirements if p.title == "加快推进滞后任务。")
    assert lagging.startswith("进展滞后的任务，牵头科室要认真分析原因"), lagging


@pytest.mark.parametrize("project, lines", [
    # named first, its year said once (QA275; was 关于2021年9月黔西南布依族苗族自治州 / 2021年…)
    ("黔西南布依族苗族自治州2021年政务公开工作要点暨基层政务公开标准化规范化建设重点任务分工方案",
     ["关于黔西南布依族苗族自治州", "2021年政务公开工作要点", "暨基层政务公开标准化规范化建设",
      "重点任务分工方案9月进展情况的通报"]),
    ("广州市贯彻落实《关于进一步优化营商环境的若干措施》重点任务分工",
     ["关于2021年9月广州市贯彻落实", "《关于进一步优化营商环境的若干措施》", "重点任务分工进展情况的通报"]),
    ("国务院办公厅关于推广第二批支持创新相关改革举措的通知任务分工",
     ["关于2021年9月国务院办公厅关于", "推广第二批支持创新相关改革举措的通知", "任务分工进展情况的通报"]),
])
def test_a_long_title_breaks_between_words(project, lines):
    broken = title_lines(memo_title(Period(2021, 9), project))
    assert broken.split("\n") == lines
    assert all(text_width(line) <= TITLE_CHARS for line in lines)
