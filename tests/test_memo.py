"""Issue: the monthly memo (通报) — context figures, Word rendering, GB/T 9704 layout, PDF,
Markdown, bad templates and the `duban memo` command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import drop, issued_path, late, on_time
from lxml import etree

from toolkit import errors, memo
from toolkit.actions import memo as memo_action
from toolkit.actions.collect import collect
from toolkit.actions.received import answer_received
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import Status, UnitState
from toolkit.workspace import find_workspace

LAGGING, LATE, MISSING, ON_TIME, TO_FIX = Status.LAGGING, UnitState.LATE, UnitState.NOT_REPORTED, UnitState.ON_TIME, UnitState.TO_FIX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SZ = "市政务服务数据管理局"
ISSUE = dt.date(2022, 7, 6)
# What departments type: XML specials and a line break inside one cell.
HOSTILE = "系统对接延期 & 数据<缺失>，预计>3个月\n需市级协调 <b>解决</b>"
DEFAULT_TEMPLATE = Path(memo.__file__).resolve().parent.parent.parent / "templates" / "月度通报.docx"


# ---------------------------------------------------------------------------
# a realistic month: four units on time, one late, one returned, the rest missing


@pytest.fixture(scope="module")
def month(tmp_path_factory, _session_issued):
    root = tmp_path_factory.mktemp("memo") / "ws"
    shutil.copytree(_session_issued, root)
    ws = find_workspace(root)

    def ret(unit: str, **answers: Answer) -> bytes:
        filling = Filling()
        filling.answers.update({k.replace("_", "."): v for k, v in answers.items()})
        return fill_return(issued_path(ws, unit), filling)

    drop(ws, "政数局.xlsx", ret(SZ, **{"1_1": Answer("已完成", 100, "已印发。", evidence="莞政数〔2022〕1号"),
                                    "2_2": Answer("滞后", 40, "梳理中。", problems=HOSTILE),
                                    "3_3": Answer("已完成", 100, "已落实。", evidence="台账")}), on_time())
    drop(ws, "公安局.xlsx", ret("市公安局", **{"3_1": Answer("已完成", 100, "已落实。", evidence="文件"),
                                          "3_2": Answer("滞后", 30, "推进中。", problems="窗口人手不足")}), on_time())
    drop(ws, "市场监管局.xlsx", ret("市市场监管局"), on_time())
    drop(ws, "莞城.xlsx", ret("莞城街道"), on_time())
    drop(ws, "民政局.xlsx", ret("市民政局"), late())
    # 滞后 without a stated problem is an error (E603): the return is sent back.
    drop(ws, "司法局.xlsx", ret("市司法局", **{"3_2": Answer("滞后", 20, "推进中。", problems="")}), on_time())
    collect(ws)
    # 民政局 is late by its file's time alone: the office confirmed it (`duban received --confirm`), so the
    # memo asks nothing of it (QA216)
    answer_received(ws, Period(2022, 6), "市民政局", None)
    return ws


@pytest.fixture(scope="module")
def cons(month):
    return consolidate(month)


@pytest.fixture(scope="module")
def rendered(month):
    """The memo written by write_memo with the shipped template."""
    return memo_action.write_memo(month, issue_date=ISSUE)


@pytest.fixture
def ws_copy(month, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(month.root, root)
    return find_workspace(root)


def names(state: str, cons) -> list[str]:
    return [u.unit for u in cons.units if u.state == state]


def doc_texts(path: Path) -> list[str]:
    """Every paragraph of the body, table cells included, in document order."""
    d = docx.Document(str(path))
    return [_para_text(p) for p in d.element.body.iter(f"{W}p")]


def _para_text(p) -> str:
    out = []
    for node in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
        out.append(node.text or "" if node.tag == f"{W}t" else "\n" if node.tag == f"{W}br" else "\t")
    return "".join(out)


def paragraph_starting(texts: list[str], prefix: str) -> str:
    found = [t for t in texts if t.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def listed_units(paragraph: str) -> list[str]:
    """Unit names after the first "：" up to the first "。", a long list's 类别 heads
    ("市直部门18个：", "；镇街30个：") left out."""
    body = paragraph.split("：", 1)[1].split("。", 1)[0]
    return [n for part in body.split("；") for n in re.sub(r"^[^、：]+?\d+个：", "", part).split("、")]


# ---------------------------------------------------------------------------
# the context


def test_context_figures_match_consolidation(cons):
    ctx = memo.build_context(cons, ISSUE)
    counts, units = cons.task_counts(), cons.unit_counts()
    assert (ctx.period, ctx.period_label, ctx.issue_date_text) == ("2022-06", "2022年6月", "2022年7月6日")
    assert ctx.title == f"关于{cons.project}6月进展情况的通报"  # the name says 2022年 (QA275)
    assert ctx.task_total == len(cons.tasks)
    assert (ctx.task_done, ctx.task_on_track, ctx.task_lagging, ctx.task_not_started, ctx.task_not_reported) == (
        counts["已完成"], counts["序时推进"], counts["滞后"], counts["未启动"], counts["未报送"])
    assert ctx.task_overdue == len(cons.overdue)
    assert ctx.task_done_pct == f"{round(100 * counts['已完成'] / len(cons.tasks), 1):g}%"
    assert (ctx.unit_total, ctx.unit_on_time, ctx.unit_late, ctx.unit_missing, ctx.unit_returned) == (
        len(cons.units), units[ON_TIME], units[LATE], units[MISSING], units[TO_FIX])
    # the month as built: 4 on time, 1 late, 1 returned, the rest missing
    assert (ctx.unit_on_time, ctx.unit_late, ctx.unit_returned) == (4, 1, 1)
    assert ctx.late_names == "市民政局" and ctx.returned_names == "市司法局"
    assert [u.name for u in ctx.missing_units] == names(MISSING, cons)
    # no earlier period in the ledger: everything 已完成 counts as completed this period
    assert [t.id for t in ctx.completed] == [t.task.id for t in cons.tasks if t.status == "已完成"] == ["1.1", "3.3"]
    assert [t.id for t in ctx.attention] == [t.task.id for t in cons.tasks if t.status == LAGGING or t.overdue]
    problems = {t.id: [(p.unit, p.text) for p in t.problems] for t in ctx.attention}
    assert problems["2.2"] == [(SZ, HOSTILE)]
    assert problems["3.2"] == [("市公安局", "窗口人手不足")]
    assert sum(r.total for r in ctx.by_level1) == ctx.level1_total.total == len(cons.tasks)
    assert [(r.name, r.done, r.lagging) for r in ctx.by_level1] == [
        (re.sub(r"^[一二三四五六七八九十]+、", "", k), c["已完成"], c["滞后"]) for k, c in cons.by_level1()]


def test_completed_this_period_is_measured_against_the_previous_period(cons):
    earlier = dataclasses.replace(cons, history={**cons.history, Period(2022, 5): {"1.1": ("已完成", 100.0)}})
    ctx = memo.build_context(earlier, ISSUE)
    assert [t.id for t in ctx.completed] == ["3.3"]
    assert ctx.completed_text == "本期新完成任务1项："


def test_sentences_adapt_to_the_numbers(cons):
    everyone = [dataclasses.replace(u, state=ON_TIME) for u in cons.units]
    calm = [dataclasses.replace(t, status="序时推进", overdue=False) for t in cons.tasks]
    ctx = memo.build_context(dataclasses.replace(cons, units=everyone, tasks=calm, history={}), ISSUE)
    assert ctx.reporting_text == f"本期应报送单位{len(cons.units)}个，均已按时报送。"
    assert ctx.reporting_points == []
    assert ctx.completed_text == "本期没有新完成的任务。"
    assert ctx.attention_text == "本期没有进展滞后或超过完成时限的任务。"
    assert "暂无超过完成时限仍未完成的任务" in ctx.overview_text
    assert [p.title for p in ctx.requirements] == ["按时报送进展。", "加强统筹协调。"]
    assert [p.number for p in ctx.requirements] == ["（一）", "（二）"]
    for text in _all_text(ctx):
        assert not re.search(r"(?<![0-9.])0个|：。|（）", text), text


def test_recipients_and_requirements_speak_for_the_plans_own_level(cons):
    """A county's or district's memo says 县直 / 区直 and 县级层面, never Dongguan's 市直;
    towns are addressed as their names end. Dongguan's own memo is unchanged."""
    ctx = memo.build_context(cons, ISSUE)
    assert (ctx.level, ctx.recipients) == ("市", "各镇街（园区），市直各有关单位：")
    assert "需市级层面协调解决的" in _requirement(ctx)

    def unit(name, kind):
        return dataclasses.replace(cons.units[0], unit=name, kind=kind)
    county = [unit("县发改局", "县直部门"), unit("县财政局", "县直部门"), unit("城关镇", "镇街"), unit("河口乡", "镇街")]
    ctx = memo.build_context(dataclasses.replace(cons, units=county, organiser="大竹县人民政府办公室"), ISSUE)
    assert (ctx.level, ctx.recipients) == ("县", "各乡镇，县直各有关单位：")
    assert "需县级层面协调解决的" in _requirement(ctx) and "市级" not in _requirement(ctx)
    district = [unit("区发改局", "区直部门"), unit("友好街道", "镇街")]
    ctx = memo.build_context(dataclasses.replace(cons, units=district, organiser="立山区人民政府"), ISSUE)
    assert (ctx.level, ctx.recipients) == ("区", "各街道，区直各有关单位：")
    prefecture = [unit("州发改委", "州直部门"), unit("恩施市", "县直部门")]
    ctx = memo.build_context(dataclasses.replace(cons, units=prefecture, organiser="恩施州人民政府办公室"), ISSUE)
    # a unit the directory files as a county's department is no 州直 unit (qa82)
    assert (ctx.level, ctx.recipients) == ("州", "各县有关单位，州直各有关单位：")
    assert "需州级层面协调解决的" in _requirement(ctx)
    # a bureau's plan among its own 科室: its own leaders coordinate, not the 市级 government
    sections = [unit("办公室", "科室"), unit("政务公开科", "科室")]
    ctx = memo.build_context(dataclasses.replace(cons, units=sections, organiser="江门市某某局办公室"), ISSUE)
    assert (ctx.level, ctx.recipients, ctx.coordination) == ("市", "各有关科室：", "需要协调解决的")
    assert "需要协调解决的，请及时提出" in _requirement(ctx)
    # a directory's short town names (虎门, 长安) say no ending: the kind's own words (review)
    short = [unit("虎门", "镇街"), unit("长安", "镇街"), unit("市发改局", "市直部门")]
    assert memo.build_context(dataclasses.replace(cons, units=short), ISSUE).recipients == \
        "各镇街（园区），市直各有关单位："
    assert memo.build_context(dataclasses.replace(cons, units=[]), ISSUE).recipients == "各有关单位："
    # a development zone's own departments, organiser unknown: no level is invented
    zone = [unit("招商工作部", "市直部门"), unit("改革办", "市直部门")]
    master = dataclasses.replace(cons.master, title="2025年开发区重点工作及责任清单")
    ctx = memo.build_context(dataclasses.replace(cons, units=zone, organiser="", master=master), ISSUE)
    assert (ctx.level, ctx.recipients) == ("", "各有关单位：")
    assert "需要协调解决的，请及时提出" in _requirement(ctx)


def test_a_project_named_from_the_periods_year_says_the_year_once():
    """大竹 2016: 关于2016年6月2016年民生实事…; a project from another year keeps its own (崇川)."""
    from toolkit.memo.naming import memo_title

    assert memo_title(Period(2016, 6), "2016年民生实事") == "关于2016年6月民生实事进展情况的通报"
    # named first, the month after it: never two years side by side (QA137)
    assert memo_title(Period(2025, 6), "2023年区政府重点民生实事项目") == \
        "关于2023年区政府重点民生实事项目2025年6月进展情况的通报"
    # a name saying its year after its place is named first too, the month alone after it (QA275:
    # was 关于2022年6月东莞市2022年…, the year twice)
    assert memo_title(Period(2022, 6), "东莞市2022年政务服务全域标准化专项行动") == \
        "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
    # a name that is its year alone keeps it, and is named first with the month alone after it
    # (QA275; was 关于2016年6月2016年进展情况的通报, the year twice)
    assert memo_title(Period(2016, 6), "2016年") == "关于2016年6月进展情况的通报"


@pytest.mark.parametrize("title, lines", [
    # 崇川 2023: never 区 | 政府, nor a line opening with the bracket of (1-11月)
    ("关于2025年6月2023年区政府重点民生实事项目推进情况(1-11月)进展情况的通报",
     ["关于2025年6月2023年", "区政府重点民生实事项目推进情况(1-11月)", "进展情况的通报"]),
    ("关于2022年6月东莞市2022年政务服务全域标准化专项行动进展情况的通报",
     ["关于2022年6月东莞市2022年", "政务服务全域标准化专项行动进展情况的通报"]),
    # the demo's title since QA275: the month opens no line of its own
    ("关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报",
     ["关于东莞市2022年政务服务全域标准化", "专项行动6月进展情况的通报"]),
    # never inside a word (市|域, 三年|行动) or quotes (second review)
    ("关于2024年6月东莞市市域社会治理现代化三年行动进展情况的通报",
     ["关于2024年6月东莞市", "市域社会治理现代化三年行动进展情况的通报"]),
    ("关于2024年6月推进“百县千镇万村高质量发展工程”进展情况的通报",
     ["关于2024年6月", "推进“百县千镇万村高质量发展工程”", "进展情况的通报"]),
    # digits are wider than half a character and spaced from Chinese: counted as half, the
    # first line was 18.5 of 20 and LibreOffice put its 年 alone on a line of its own
    ("关于2024年6月江门市土地储备中心2024年政务公开工作任务进展情况的通报",
     ["关于2024年6月江门市", "土地储备中心2024年", "政务公开工作任务进展情况的通报"]),
])
def test_title_breaks_between_words(title, lines):
    from toolkit.memo.gbt9704 import title_lines

    assert title_lines(title).split("\n") == lines


def test_a_memo_without_an_organiser_says_so_and_needs_attention(ws_copy, run):
    """霍山's table named no issuing body: the memo went out with an empty 落款, exit 0."""
    signed = run(["memo", "--date", "2022-07-06"], cwd=ws_copy.root)
    assert signed.exit_code == 0 and "落款" not in signed.output, signed.output
    toml = ws_copy.root / "duban.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r'(?m)^organiser = ".*"$', 'organiser = ""', text), encoding="utf-8")
    result = run(["memo", "--date", "2022-07-06"], cwd=ws_copy.root)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        '通报没有落款：没有设置督办单位。请在 duban.toml 的 organiser 中填写（如 organiser = "某某县人民政府办公室"），'
        "再重新生成通报。")


def test_a_table_without_一级任务_gets_no_unclassified_row(cons):
    """大竹, 崇川, 霍山: every task ungrouped made a one-row table "（未分类）" repeating 合计,
    and then kept the column header 一级任务 above the lone 合计 row."""
    ctx = memo.build_context(cons, ISSUE)
    assert ctx.level1_caption == "各项一级任务进展情况" and len(ctx.by_level1) > 1
    assert ctx.level1_header == "一级任务"
    flat = [dataclasses.replace(t, task=dataclasses.replace(t.task, level1="")) for t in cons.tasks]
    ctx = memo.build_context(dataclasses.replace(cons, tasks=flat), ISSUE)
    assert (ctx.by_level1, ctx.level1_caption, ctx.level1_header) == ([], "任务进展情况", "")
    assert ctx.level1_total.total == len(cons.tasks)


@pytest.mark.parametrize("project, phrase", [
    ("东莞市2022年政务服务全域标准化专项行动", "根据东莞市2022年政务服务全域标准化专项行动工作安排"),
    ("2024年《政府工作报告》重点工作", "根据2024年《政府工作报告》重点工作安排"),
    ("2024年政务公开工作任务", "根据2024年政务公开工作任务安排"),   # not …任务工作安排 (QA)
    ("兴义市2021年政务公开工作要点", "根据兴义市2021年政务公开工作要点安排"),  # QA149
    ("清远市推进营商环境改革实施方案", "根据清远市推进营商环境改革实施方案安排"),
])
def test_the_arrangement_never_says_its_words_twice(project, phrase):
    from toolkit.memo.context import arrangement

    assert arrangement(project) == phrase


def test_one_lead_that_sent_nothing_is_not_all_of_them(cons):
    """"均" is for several leads: 牵头单位均未报送进展 over one lead read oddly (QA)."""
    from toolkit.memo.context import _level1_name, _task_item

    base = next(t for t in cons.tasks if t.leads)
    for leads in (["市公安局"], ["市公安局", "市民政局"]):
        ts = dataclasses.replace(base, leads=leads, status="未报送", avg_progress=None, overdue=False,
                                 missing=list(leads), lead_states=dict.fromkeys(leads, "未报送"))
        text = _task_item(ts, cons, []).status_text
        assert text == ("牵头单位均未报送进展" if len(leads) > 1 else "牵头单位未报送进展"), text

    assert _level1_name("一、做好财政信息公开。") == "做好财政信息公开"


def test_a_bureaus_plan_among_its_科室_speaks_of_科室(cons):
    """江门's plan divides a bureau's work among its own 科室 (QA): the memo said 各责任单位,
    应报送单位4个 and 各牵头单位 to them. A 科室's own name keeps its 单位 (用人单位服务科)."""
    def unit(name, state):
        return dataclasses.replace(cons.units[0], unit=name, kind="科室", state=state)
    sections = [unit("办公室", "按时报送"), unit("政务公开科", "逾期报送"), unit("用人单位服务科", "未报送")]
    ctx = memo.build_context(dataclasses.replace(cons, units=sections, organiser="江门市某某局办公室"), ISSUE)
    texts = [ctx.intro, ctx.reporting_text, *(p.title + p.text for p in ctx.reporting_points + ctx.requirements),
             *(t.summary for t in ctx.attention)]
    assert "各责任科室按月报送" in ctx.intro
    assert ctx.reporting_text.startswith("本期应报送科室3个")
    assert any("各牵头科室要加强与配合科室的沟通协作" in t for t in texts)
    assert any(t.startswith("未报送的科室（1个）：用人单位服务科") for t in texts)
    assert not any(re.search(r"(牵头|配合|责任|各|个)单位", t.replace("用人单位服务科", "")) for t in texts), texts
    # a government's plan keeps its 单位
    assert "各责任单位按月报送" in memo.build_context(cons, ISSUE).intro


def _requirement(ctx) -> str:
    return next(p.text for p in ctx.requirements if p.title == "加快推进滞后任务。")


def test_points_are_numbered_after_empty_ones_are_dropped(cons):
    ctx = memo.build_context(cons, ISSUE)
    assert [(p.number, p.title) for p in ctx.reporting_points] == [
        ("（一）", "逾期报送的单位（1个）："), ("（二）", "退回修改的单位（1个）："),
        ("（三）", f"未报送的单位（{ctx.unit_missing}个）：")]
    only_missing = [dataclasses.replace(u, state=ON_TIME) if u.state in (LATE, TO_FIX) else u for u in cons.units]
    ctx = memo.build_context(dataclasses.replace(cons, units=only_missing), ISSUE)
    assert [p.number + p.title for p in ctx.reporting_points] == [f"（一）未报送的单位（{ctx.unit_missing}个）："]
    assert "逾期" not in ctx.reporting_text and "退回" not in ctx.reporting_text


def test_a_lead_whose_return_was_sent_back_is_never_called_unreported(cons):
    # 市司法局's return was sent back (E603): 报送情况 names it 退回修改, so the task's
    # sentence must not name it 未报送 in the same 通报.
    ctx = memo.build_context(cons, ISSUE)
    task = next(t for t in ctx.attention if t.id == "3.2")
    assert "市司法局" not in task.missing_units
    # its leads stand in several states: said by state (QA393), 市司法局 under 退回修改 alone
    assert "未报送4个（" in task.summary and "市司法局" not in task.summary.split("未报送4个（")[1].split("）")[0]
    assert "退回修改1个（市司法局）" in task.summary, task.summary
    # a task whose only lead was sent back
    sent_back = [dataclasses.replace(u, state=TO_FIX) if u.unit == SZ else u for u in cons.units]
    only = [dataclasses.replace(t, status=Status.NOT_REPORTED, avg_progress=None, overdue=True,
                                lead_states={SZ: TO_FIX}, missing=[], sent_back=[SZ]) if t.task.id == "2.2" else t
            for t in cons.tasks]
    ctx = memo.build_context(dataclasses.replace(cons, units=sent_back, tasks=only), ISSUE)
    task = next(t for t in ctx.attention if t.id == "2.2")
    assert task.status_text == "牵头单位尚无合格的报送" and task.missing_units == []
    assert task.summary.endswith("；1个牵头单位报送有误已退回修改（市政务服务数据管理局）。")
    # the overview counts it apart from the tasks whose leads sent nothing
    assert ctx.task_not_reported_sent_back == 1
    assert "牵头单位报送有误已退回、尚无合格进展的1项" in ctx.overview_text


def test_due_next_month(month):
    cons = consolidate(month, "2022-08")
    ctx = memo.build_context(cons, ISSUE)
    assert [t.id for t in ctx.due_next] == [t.task.id for t in cons.tasks if t.task.deadline == dt.date(2022, 9, 30)]
    assert [t.id for t in ctx.due_next] == ["4.1", "4.3", "7.3"]
    assert ctx.due_next_text.startswith("以下3项任务的完成时限为2022年9月")
    # nobody sent anything: not "尚无单位报送通过", as if some had sent and failed (qa91)
    assert ctx.unit_reported == 0 and ctx.reporting_text == "本期应报送单位54个，均未报送。"


def test_next_months_deadline_is_the_one_its_forms_carry(issued_ws):
    """June's forms were issued with --due 2022-07-10; July's went out with duban.toml's day 5.
    June's 通报 announces July's deadline as July's forms print it (5 August), not June's day
    carried over (10 August): a unit trusting the 通报 would be named 逾期 next month."""
    from toolkit.actions.issue import issue_returns

    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10))
    issue_returns(issued_ws, "2022-07", units=["石龙镇"])
    assert memo.build_context(consolidate(issued_ws, "2022-06"), ISSUE).next_due_date_text == "2022年8月5日"
    issue_returns(issued_ws, "2022-07", due=dt.date(2022, 8, 12))
    assert memo.build_context(consolidate(issued_ws, "2022-06"), ISSUE).next_due_date_text == "2022年8月12日"


def _all_text(ctx) -> list[str]:
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif dataclasses.is_dataclass(v):
            for f in dataclasses.fields(v):
                walk(getattr(v, f.name))

    walk(ctx)
    return out


# ---------------------------------------------------------------------------
# the Word memo


def test_docx_figures_and_named_units_match_consolidation(rendered, cons, month):
    assert rendered.path == month.root / "通报" / "2022年6月" / memo.memo_filename(cons)
    assert rendered.path.name == f"关于{cons.project}6月进展情况的通报.docx"
    texts = doc_texts(rendered.path)
    body = "\n".join(texts)
    assert "{{" not in body and "{%" not in body
    counts = cons.task_counts()
    n = len(cons.tasks)

    def pct(k: int, total: int) -> str:  # one decimal unless exact (QA275: 7.0%, not 7% beside 83.7%)
        share = 100 * k / total
        return f"{share:g}%" if share == int(share) else f"{share:.1f}%"

    assert texts[0].replace("\n", "") == f"关于{cons.project}6月进展情况的通报"
    overview = paragraph_starting(texts, f"{cons.project}共{n}项任务")
    assert f"已完成{counts['已完成']}项（占{pct(counts['已完成'], n)}）" in overview
    assert f"序时推进{counts['序时推进']}项（占{pct(counts['序时推进'], n)}）" in overview
    assert f"进展滞后{counts['滞后']}项（占{pct(counts['滞后'], n)}）" in overview
    # 16.1 has no lead in the master: it is 未报送, but no lead failed to report it
    no_lead = sum(not t.leads for t in cons.tasks if t.status == "未报送")
    assert no_lead == 1
    assert f"牵头单位未报送进展的{counts['未报送'] - 1}项（占{pct(counts['未报送'] - 1, n)}）" in overview
    assert f"未明确牵头单位、未报送进展的1项（占{pct(1, n)}）" in overview
    assert f"上述任务中，已超过完成时限仍未完成的有{len(cons.overdue)}项" in overview

    # table by 一级任务: one row per 一级任务 plus 合计, numbers as consolidated
    table = docx.Document(str(rendered.path)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][0] == "一级任务" and rows[-1][0] == "合计"
    expected = [[re.sub(r"^[一二三四五六七八九十]+、", "", k), str(sum(c.values())), str(c["已完成"]), str(c["序时推进"]),
                 str(c["滞后"]), str(c["未启动"]), str(c["未报送"]), pct(c["已完成"], sum(c.values()))]
                for k, c in cons.by_level1()]
    assert rows[1:-1] == expected
    assert rows[-1][1:] == [str(n), str(counts["已完成"]), str(counts["序时推进"]), str(counts["滞后"]),
                            str(counts["未启动"]), str(counts["未报送"]), pct(counts["已完成"], n)]

    # completed, lagging and overdue tasks with their lead units
    for t in cons.tasks:
        heading = [x for x in texts if re.match(rf"\d+．{re.escape(t.task.name)}（任务{re.escape(t.task.id)}", x)]
        if t.status == "已完成":
            assert len(heading) == 1 and f"牵头单位：{cons.master.display_units(t.task.id, '牵头')}" in heading[0]
        elif t.status == LAGGING or t.overdue:
            assert len(heading) == 1, t.task.id
            summary = texts[texts.index(heading[0]) + 1]
            assert summary.startswith(f"牵头单位：{cons.master.display_units(t.task.id, '牵头')}；"
                                      f"完成时限：{t.task.deadline_text}")
        else:
            assert not heading, t.task.id
    assert f"{'市公安局'}反映：窗口人手不足" in texts

    # 报送情况: figures, and exactly the units the consolidation names
    reporting = paragraph_starting(texts, f"本期应报送单位{len(cons.units)}个")
    uc = cons.unit_counts()
    assert f"已报送{uc[ON_TIME] + uc[LATE]}个（报送率{pct(uc[ON_TIME] + uc[LATE], len(cons.units))}）" in reporting
    assert f"按时报送{uc[ON_TIME]}个、逾期报送{uc[LATE]}个" in reporting
    assert f"{uc[TO_FIX]}个单位报送内容有误已退回修改，{uc[MISSING]}个单位未报送" in reporting
    assert listed_units(paragraph_starting(texts, f"（一）逾期报送的单位（{uc[LATE]}个）")) == names(LATE, cons)
    assert listed_units(paragraph_starting(texts, f"（二）退回修改的单位（{uc[TO_FIX]}个）")) == names(TO_FIX, cons)
    assert listed_units(paragraph_starting(texts, f"（三）未报送的单位（{uc[MISSING]}个）")) == names(MISSING, cons)

    # 下一步工作要求 and 落款
    assert paragraph_starting(texts, "（二）按时报送进展。").startswith(
        f"（二）按时报送进展。请未报送的{uc[MISSING]}个单位尽快补报，退回修改的{uc[TO_FIX]}个单位修改后重报；")
    assert texts[-2].strip("\u3000") == cons.organiser
    assert texts[-1].strip("\u3000") == "2022年7月6日"
    assert not re.search(r"(?<![0-9.])0个|：。|（0", body)


def test_department_text_with_xml_specials_and_line_break_survives(rendered):
    texts = doc_texts(rendered.path)
    assert f"{SZ}反映：{HOSTILE}" in texts
    para = docx.Document(str(rendered.path))
    assert any(p.text == f"{SZ}反映：{HOSTILE}" for p in para.paragraphs)  # python-docx reads w:br as \n
    xml = zipfile.ZipFile(rendered.path).read("word/document.xml").decode("utf-8")
    assert "系统对接延期 &amp; 数据&lt;缺失&gt;，预计&gt;3个月</w:t><w:br/>" in xml
    # nothing after the hostile text was swallowed: the document still ends with its 落款
    assert doc_texts(rendered.path)[-1].strip("\u3000") == "2022年7月6日"


def _xml(path: Path, name: str):
    return etree.fromstring(zipfile.ZipFile(path).read(name))


@pytest.mark.parametrize("which", ["template", "memo"])
def test_layout_gb9704(which, rendered):
    path = DEFAULT_TEMPLATE if which == "template" else rendered.path
    document = _xml(path, "word/document.xml")
    sect = document.find(f"{W}body/{W}sectPr")
    size, margins, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    assert {k: margins.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474"}  # 37/35/28/26 mm
    assert grid.get(f"{W}type") == "linesAndChars"
    pitch, char_space = int(grid.get(f"{W}linePitch")), int(grid.get(f"{W}charSpace"))
    height, width = 16838 - 2098 - 1984, (11906 - 1588 - 1474) / 20
    assert 22 * pitch <= height < 23 * pitch  # 22 lines
    char = 16 + char_space / 4096  # grid pitch in pt for 3号 text
    assert 28 * char <= width < 29 * char  # 28 characters; 16 pt alone would give 27
    assert width < 28 * 16

    styles = _xml(path, "word/styles.xml")

    def style(name: str):
        found = [s for s in styles.iter(f"{W}style") if s.find(f"{W}name").get(f"{W}val") == name]
        assert len(found) == 1, name
        return found[0]

    def font(el) -> tuple[str, str, str | None]:
        fonts, sz, jc = el.find(f".//{W}rPr/{W}rFonts"), el.find(f".//{W}rPr/{W}sz"), el.find(f".//{W}pPr/{W}jc")
        assert fonts.get(f"{W}eastAsia") == fonts.get(f"{W}ascii")  # East Asian font set explicitly
        return fonts.get(f"{W}eastAsia"), sz.get(f"{W}val"), None if jc is None else jc.get(f"{W}val")

    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}rFonts").get(f"{W}asciiTheme") is None  # no theme font overriding it
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert font(style("通报标题")) == ("方正小标宋简体", "44", "center")  # 2号
    assert font(style("通报正文"))[:2] == ("仿宋_GB2312", "32")  # 3号
    assert style("通报正文").find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "200"
    assert font(style("一级标题（黑体）"))[:2] == ("黑体", "32")
    assert font(style("二级标题（楷体）"))[:2] == ("楷体", "32")
    assert font(style("二级标题字符（楷体）"))[:2] == ("楷体", "32")

    # page numbers: "— 1 —" in 4号 宋体, odd pages right and even pages left, one character in
    settings = _xml(path, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    rels = {r.get("Id"): r.get("Target") for r in _xml(path, "word/_rels/document.xml.rels")}
    footers = {ref.get(f"{W}type"): rels[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                "relationships}id")]
               for ref in sect.iter(f"{W}footerReference")}
    assert set(footers) == {"default", "even"}
    for kind, side in (("default", "right"), ("even", "left")):
        footer = _xml(path, "word/" + footers[kind])
        p = footer.find(f"{W}p")
        assert "".join(t.text for t in p.iter(f"{W}t")) == "— 1 —"
        assert [i.text.strip() for i in p.iter(f"{W}instrText")] == ["PAGE"]
        assert [f.get(f"{W}fldCharType") for f in p.iter(f"{W}fldChar")] == ["begin", "separate", "end"]
        assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == side
        assert p.find(f"{W}pPr/{W}ind").get(f"{W}{side}Chars") == "100"
        for r in p.iter(f"{W}r"):
            assert r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "宋体"
            assert r.find(f"{W}rPr/{W}sz").get(f"{W}val") == "28"  # 4号


def test_shipped_template_is_what_the_code_builds(tmp_path):
    built = memo.write_default_template(tmp_path / "月度通报.docx")
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped:
        for name in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
                     "word/footer1.xml", "word/footer2.xml"):
            assert new.read(name) == shipped.read(name), f"{name}: run memo.write_default_template again"
    assert memo.check_template(DEFAULT_TEMPLATE) == []


def test_readme_lists_every_variable():
    readme = (DEFAULT_TEMPLATE.parent / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(memo.context.MemoContext) if f"`{f.name}`" not in readme]
    for prefix, cls in (("t", memo.context.TaskItem), ("p", memo.context.ProblemItem), ("u", memo.context.UnitItem),
                        ("r", memo.context.Level1Row), ("p", memo.context.Point)):
        missing += [f"{prefix}.{f.name}" for f in dataclasses.fields(cls) if f"`{prefix}.{f.name}`" not in readme]
    assert missing == []


# ---------------------------------------------------------------------------
# PDF and Markdown


def test_pdf_has_title_and_figures(lo, ws_copy):
    result = memo_action.write_memo(ws_copy, issue_date=ISSUE, pdf=True)
    assert result.pdf_error == "" and result.pdf == result.path.with_suffix(".pdf")
    assert result.pdf.exists() and result.path.exists()
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True,
                                             check=True).stdout.decode("utf-8"))
    ctx = result.context
    assert ctx.title in text
    assert f"共{ctx.task_total}项任务" in text
    assert f"已完成{ctx.task_done}项（占{ctx.task_done_pct}）" in text
    assert f"已报送{ctx.unit_reported}个（报送率{ctx.report_rate}）" in text
    assert "—1—" in text and "2022年7月6日" in text


def test_pdf_without_libreoffice_still_writes_the_docx(ws_copy, monkeypatch):
    from toolkit import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    result = memo_action.write_memo(ws_copy, issue_date=ISSUE, pdf=True)
    assert result.pdf is None and result.path.exists()
    assert "LibreOffice" in result.pdf_error and "Word" in result.pdf_error


def test_markdown_summary(ws_copy):
    result = memo_action.write_memo(ws_copy, fmt="md", issue_date=ISSUE)
    assert result.path.suffix == ".md" and result.path.parent == ws_copy.root / "通报" / "2022年6月"
    text = result.path.read_text(encoding="utf-8")
    ctx = result.context
    assert text.startswith(f"# {ctx.title}\n")
    for piece in (ctx.overview_text, ctx.reporting_text, *(u.name for u in ctx.missing_units), "市民政局", "市司法局",
                  "系统对接延期 & 数据<缺失>，预计>3个月\n", ctx.organiser, "2022年7月6日"):
        assert piece in text
    assert "{{" not in text


def test_memo_is_dated_by_the_offices_day(ws_copy, monkeypatch):
    """Without --date the memo carries the office's day (Workspace.now, the workspace's zone),
    like the replies' folder: never the day of a machine set to another zone."""
    monkeypatch.setattr(type(ws_copy), "now", lambda self: dt.datetime(2022, 7, 21, 0, 30, tzinfo=self.tz))
    result = memo_action.write_memo(ws_copy)
    assert doc_texts(result.path)[-1].strip("\u3000") == "2022年7月21日"


def test_an_unreadable_template_is_one_chinese_line(ws_copy, tmp_path):
    folder = tmp_path / "月度通报.docx"
    folder.mkdir()  # a folder where the template should be: reading it fails like a locked file
    with pytest.raises(errors.DubanError) as caught:
        memo_action.write_memo(ws_copy, template=folder)
    assert "月度通报.docx" in caught.value.message


def test_memo_needs_collected_returns(ws):
    with pytest.raises(errors.NothingToDo, match="duban collect"):
        memo_action.write_memo(ws)


# ---------------------------------------------------------------------------
# bad templates


def _template_with(tmp_path: Path, *lines: str, name: str = "坏模板.docx") -> Path:
    d = docx.Document(str(DEFAULT_TEMPLATE))
    anchor = d.paragraphs[3]
    for line in lines:
        anchor.insert_paragraph_before(line)
    path = tmp_path / name
    d.save(str(path))
    return path


def test_unknown_variables_are_named_before_rendering(tmp_path, cons):
    path = _template_with(tmp_path, "本期共{{ task_count }}项。", "{%p for t in attention %}", "{{ t.nmae }}",
                          "{%p endfor %}")
    assert memo.check_template(path) == ["task_count", "t.nmae"]
    out = tmp_path / "out.docx"
    with pytest.raises(errors.BadTemplate, match=r"task_count、t\.nmae"):
        memo.render_docx(memo.build_context(cons, ISSUE), path, out)
    assert not out.exists()


def test_unclosed_tags_name_the_paragraph(tmp_path):
    path = _template_with(tmp_path, "{% if task_lagging %}有滞后任务")
    with pytest.raises(errors.BadTemplate, match=r"第 4 段（内容：“{% if task_lagging %}有滞后任务”）.*endif"):
        memo.check_template(path)
    path = _template_with(tmp_path, "本期共{{ task_total 项", name="坏模板2.docx")
    with pytest.raises(errors.BadTemplate, match=r"第 4 段.*没有闭合"):
        memo.check_template(path)
    path = _template_with(tmp_path, "{{ task_total|money }}", name="坏模板3.docx")
    with pytest.raises(errors.BadTemplate, match="money"):
        memo.check_template(path)


def test_tag_spanning_paragraphs_is_reported_not_truncated(tmp_path):
    d = docx.Document(str(DEFAULT_TEMPLATE))
    d.paragraphs[3].runs[0].text = "{% if task_total > 1000 %}" + d.paragraphs[3].runs[0].text
    d.tables[0].rows[0].cells[0].paragraphs[0].runs[0].text = "一级任务{% endif %}"
    path = tmp_path / "跨段.docx"
    d.save(str(path))
    with pytest.raises(errors.BadTemplate, match="文档结构损坏"):
        memo.check_template(path)


def test_tag_spanning_paragraphs_stops_the_render_too(tmp_path, cons):
    """The filled body is parsed strictly inside docxtpl's own fill: no half memo is saved."""
    d = docx.Document(str(DEFAULT_TEMPLATE))
    d.paragraphs[3].runs[0].text = "{% if task_total > 100000 %}" + d.paragraphs[3].runs[0].text
    d.tables[0].rows[0].cells[0].paragraphs[0].runs[0].text = "一级任务{% endif %}"
    path = tmp_path / "跨段.docx"
    d.save(str(path))
    out = tmp_path / "out.docx"
    with pytest.raises(errors.BadTemplate, match="文档结构损坏"):
        memo.render_docx(memo.build_context(cons, ISSUE), path, out)
    assert not out.exists()


def test_a_clean_template_is_scanned_once_and_again_after_an_edit(ws_copy, monkeypatch):
    """write_memo remembers the last template that rendered clean; an edited template (here
    with a misspelt variable) is scanned again and refused with the variable's name."""
    scans: list[Path] = []
    real = memo.render.scan_template

    def counting(path):
        scans.append(Path(path))
        return real(path)

    monkeypatch.setattr(memo.render, "scan_template", counting)
    (ws_copy.state_dir / memo_action._SCAN_MARK).unlink(missing_ok=True)  # copied with the workspace
    memo_action.write_memo(ws_copy, issue_date=ISSUE)
    memo_action.write_memo(ws_copy, issue_date=ISSUE)
    assert len(scans) == 1
    template = ws_copy.template(memo_action.TEMPLATE_NAME)
    d = docx.Document(str(template))
    d.paragraphs[3].insert_paragraph_before("本期共{{ task_count }}项。")
    d.save(str(template))
    with pytest.raises(errors.BadTemplate, match="task_count"):
        memo_action.write_memo(ws_copy, issue_date=ISSUE)
    assert len(scans) == 2


# ---------------------------------------------------------------------------
# the command


def test_cli_memo(run, ws_copy):
    result = run(["memo", "--date", "2022-07-06"], cwd=ws_copy.root)
    assert result.exit_code == 0, result.stderr
    path = ws_copy.root.resolve() / "通报" / "2022年6月" / f"关于{ws_copy.project}6月进展情况的通报.docx"
    assert result.stdout.splitlines()[0] == f"2022年6月通报：{path}"
    assert path.exists()
    texts = doc_texts(path)
    assert texts[-1].strip("\u3000") == "2022年7月6日"


def test_cli_check_template(run, tmp_path, ws_copy):
    good = run(["memo", "--check-template", str(DEFAULT_TEMPLATE)], cwd=ws_copy.root)
    assert good.exit_code == 0 and "检查通过" in good.stdout

    unknown = run(["memo", "--check-template", str(_template_with(tmp_path, "{{ task_count }}"))], cwd=ws_copy.root)
    assert unknown.exit_code == 1
    assert "task_count" in unknown.stdout and "1 个不存在的变量" in unknown.stdout

    unclosed = _template_with(tmp_path, "{%p for t in attention %}", "{{ t.name }}", name="未闭合.docx")
    result = run(["memo", "--check-template", str(unclosed)], cwd=ws_copy.root)
    assert result.exit_code == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert len(error_lines) == 1
    assert "第 4 段" in error_lines[0] and "{%p for t in attention %}" in error_lines[0]
    assert "endfor" in error_lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_memo_with_bad_template_writes_nothing(run, tmp_path, ws_copy):
    shutil.rmtree(ws_copy.root / "通报" / "2022年6月", ignore_errors=True)
    bad = _template_with(tmp_path, "{{ t.name }}")
    result = run(["memo", "--template", str(bad)], cwd=ws_copy.root)
    assert result.exit_code == 2
    assert "错误：" in result.stderr and "不存在的变量：t。" in result.stderr
    assert not list((ws_copy.root / "通报" / "2022年6月").glob("*.docx"))


def test_an_upgraded_workspace_still_holding_the_old_shipped_template_gets_the_new_one(ws_copy, monkeypatch):
    """init copies 月度通报.docx into 模板/; an upgrade left the earlier version's copy there, so a
    table without 一级任务 kept the caption 各项一级任务进展情况 above its one 合计 row
    (level1_caption never reached it). An unedited earlier copy is read as the shipped one;
    an edited copy stays the office's own."""
    import hashlib

    from toolkit import workspace as workspace_mod
    from toolkit.resources import resource

    shipped = resource("templates", "月度通报.docx")
    own = ws_copy.root / "模板" / "月度通报.docx"
    assert ws_copy.template("月度通报.docx") == own
    old = shipped.read_bytes() + b"\0"  # stands for an earlier version's bytes
    own.write_bytes(old)
    monkeypatch.setitem(workspace_mod.SUPERSEDED_TEMPLATES, "月度通报.docx",
                        frozenset({hashlib.sha256(old).hexdigest()}))
    assert ws_copy.template("月度通报.docx") == shipped
    own.write_bytes(old + b"edited")
    assert ws_copy.template("月度通报.docx") == own
    monkeypatch.undo()  # the real list: earlier versions only, never the template shipped now
    listed = workspace_mod.SUPERSEDED_TEMPLATES["月度通报.docx"]
    assert listed and hashlib.sha256(shipped.read_bytes()).hexdigest() not in listed
