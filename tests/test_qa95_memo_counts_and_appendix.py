"""What the office publishes, read as a reader adds it up (QA helper qa95).

* One sentence, overlapping counts: "其中进展滞后9项，已超过完成时限仍未完成17项" where the 9
  were among the 17 had the reader add 26. A task both 滞后 and overdue is one task.
* 平均进度 of one lead: 苍南 and 大竹 name one lead for most tasks, and "平均进度40%" of a
  single unit's 40% is no average.
* 200 names in 报送情况 (a county whose 村 report, a province of thousands of units) filled
  about six pages even by 类别: real 通报 say 共N个单位未报送（名单见附件） and list them in a 附件
  after the 落款 (GB/T 9704-2012 §7.3.6 and §8), past ``[memo] appendix_over``.
* 大竹's plan is 2016年民生实事: every mail said 2016年民生实事2016年6月进展填报表.

The month is 大竹县 2016 (tests/corpus/masters/dazhu_mssx_2016.docx, 竹府办〔2016〕20号), its
own 县直 units with addresses; the 村 are named after 大竹's towns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import re
import shutil
import zipfile
from email import policy
from pathlib import Path

import docx
import pytest
from conftest import set_clock
from lxml import etree
from test_crosscheck import june  # noqa: F401 (a fixture: the month test_crosscheck lives)

from toolkit import errors
from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.actions.remind import write_reminders
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.memo import build_context, render_docx
from toolkit.period import Period
from toolkit.settings import Settings, settings_from
from toolkit.vocab import Status, UnitState
from toolkit.workspace import CONFIG_TEMPLATE, find_workspace

CORPUS = Path(__file__).parent / "corpus" / "masters"
DEC = Period(2016, 12)
RECEIVED = dt.date(2017, 1, 4)
ISSUE = dt.date(2017, 1, 9)
SHIPPED = Path(__file__).parent.parent / "templates" / "月度通报.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# 大竹县's 县直 units of the table, with addresses
DAZHU = """单位,简称/别名,类别,联系人,电话,邮箱
县水务局,大竹县水务局,县直部门,,,swj@dazhu.example.cn
县住建局,大竹县住房和城乡建设局,县直部门,,,zjj@dazhu.example.cn
县护城河指挥部,,县直部门,,,hch@dazhu.example.cn
县文体广新局,,县直部门,,,wtj@dazhu.example.cn
县代建中心,,县直部门,,,djzx@dazhu.example.cn
县残联,大竹县残疾人联合会,县直部门,,,cl@dazhu.example.cn
县民政局,大竹县民政局,县直部门,,,mzj@dazhu.example.cn
县政务服务中心,,县直部门,,,zwzx@dazhu.example.cn
县教科局,,县直部门,,,jkj@dazhu.example.cn
县商务局,,县直部门,,,swuj@dazhu.example.cn
"""
TOWNS = ["竹阳街道", "东柳街道", "白塔街道", "庙坝镇", "石河镇", "清河镇", "杨家镇", "月华镇", "石子镇", "周家镇"]
VILLAGES = ["石桥", "新华", "红星", "大田", "双河", "永安", "青龙", "白果", "高峰", "龙潭",
            "五星", "团结", "金竹", "新民", "观音", "长岭", "桂花", "黄泥", "柏林", "杨柳"]


def _month(root: Path) -> Path:
    """大竹 in December 2016, when the tasks due 12月底前 fall due (2's 9月投入使用 was due on 30
    September since QA367; 4 and 5 say 5月底前动工, a start: no date to be overdue by).

    * 县住建局: 1 滞后 30%, 2 滞后 40%, 9 已完成; 县水务局: 1 序时推进 70%, 7 序时推进 80% (due, so 滞后);
    * 县残联: 4 (its one lead) 滞后 60%;
    * 县商务局's 滞后 on 10 states no problem (E603): its return is sent back, with a reply;
    * 县民政局 and five more send nothing: 3, 5, 5-2, 6 and 8 are 未报送.
    """
    csv = root.parent / "大竹名录.csv"
    csv.write_text(DAZHU, encoding="utf-8")
    ws, _ = init_workspace(root, CORPUS / "dazhu_mssx_2016.docx", period=str(DEC),
                           organiser="大竹县人民政府办公室", directory_csv=csv)
    issue_returns(ws, DEC, emails=True)
    issued = ws.root / "下发" / DEC.label
    ws.inbox.mkdir(exist_ok=True)
    plan, eta = "下月完成招标。", dt.date(2017, 3, 31)
    fills = {
        "县住建局": {"1": Answer("滞后", 30, "完成设计。", "征地未完成。", plan, eta),
                   "2": Answer("滞后", 40, "完成选址。", "资金未到位。", plan, eta),
                   "9": Answer("已完成", 100, "完成棚户区改造2836户。", evidence="竹住建〔2016〕88号")},
        "县水务局": {"1": Answer("序时推进", 70, "完成清淤。", "", plan, eta),
                   "7": Answer("序时推进", 80, "大坝主体完工。", "", plan, eta)},
        "县残联": {"4": Answer("滞后", 60, "主体工程已开工。", "施工单位变更。", plan, eta)},
        "县商务局": {"10": Answer("滞后", 20, "选址中。", "", plan, eta)},
    }
    contact = {"填报人": "王敏", "联系电话": "0818-6222000", "审核人": "李强", "填报日期": RECEIVED}
    for unit, answers in fills.items():
        form = issued / f"{DEC.label}_{unit}_进展填报表.xlsx"
        (ws.inbox / form.name).write_bytes(fill_return(form, Filling(answers=answers, contact=contact)))
    # collected the day it came: 县商务局's reply asks by the deadline, long past (collected
    # today, its reply would ask by a date ahead and 10 would wait on it: `Consolidation.fix_by`)
    with pytest.MonkeyPatch.context() as mp:
        set_clock(mp, RECEIVED)
        collect(ws, DEC, received=RECEIVED)
    return ws.root


@pytest.fixture(scope="module")
def _dazhu(tmp_path_factory) -> Path:
    return _month(tmp_path_factory.mktemp("dazhu") / "大竹")


@pytest.fixture
def dazhu(_dazhu, tmp_path):
    root = tmp_path / "大竹"
    shutil.copytree(_dazhu, root)
    return find_workspace(root)


@pytest.fixture(scope="module")
def cons(_dazhu):
    return consolidate(find_workspace(_dazhu), DEC)


def _subject(path: Path) -> str:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]


# ---------------------------------------------------------------- counts said in one sentence


def test_the_month_is_as_built(cons):
    status = {t.task.id: (t.status, t.overdue) for t in cons.tasks}
    assert status["1"] == status["7"] == status["2"] == (Status.LAGGING, True)
    assert status["4"] == (Status.LAGGING, False)
    assert [t for t, s in status.items() if s == (Status.NOT_REPORTED, True)] == ["3", "5-2", "6", "8", "10"]
    assert status["5"] == (Status.NOT_REPORTED, False) and status["9"] == (Status.DONE, False)
    states = {u.unit: u.state for u in cons.units}
    assert states["县商务局"] == UnitState.TO_FIX and states["县民政局"] == UnitState.NOT_REPORTED


def test_lagging_and_overdue_are_not_added_twice(cons):
    """9 tasks: 8 overdue (1, 2 and 7 滞后 too, five 未报送), 4 滞后 with no date passed. The
    lead said "（其中进展滞后4项，已超过完成时限仍未完成7项）" of 9 (before QA367 read 2's 9月投入使用):
    a reader adds 11."""
    ctx = build_context(cons, ISSUE)
    assert len(ctx.attention) == 9
    assert ctx.attention_text == ("本期进展滞后或超过完成时限的任务共9项，其中已超过完成时限仍未完成8项（含进展滞后3项）、"
                                  "未超过完成时限但进展滞后1项，具体如下：")
    # the two parts said side by side add up to the tasks listed
    assert sum(map(int, re.findall(r"(?:仍未完成|但进展滞后)(\d+)项", ctx.attention_text))) == len(ctx.attention)


def _judged(cons, lagging_overdue: int, overdue_only: int, lagging_only: int):
    """``cons`` with tasks made 滞后 and overdue, 未报送 and overdue, 滞后 only, in that order."""
    tasks = list(cons.tasks)
    marks = ([(Status.LAGGING, True)] * lagging_overdue + [(Status.NOT_REPORTED, True)] * overdue_only
             + [(Status.LAGGING, False)] * lagging_only)
    tasks = [dataclasses.replace(t, status=s, overdue=o) for t, (s, o) in zip(tasks, marks)] + [
        dataclasses.replace(t, status=Status.ON_TRACK, overdue=False) for t in tasks[len(marks):]]
    return build_context(dataclasses.replace(cons, tasks=tasks), ISSUE)


@pytest.mark.parametrize("both, overdue_only, lagging_only, lead", [
    # the reported case: 9 滞后, all among 17 overdue
    (9, 8, 0, "本期已超过完成时限仍未完成的任务共17项（其中9项进展滞后），具体如下："),
    (3, 0, 0, "本期进展滞后且已超过完成时限的任务共3项，具体如下："),
    (2, 0, 3, "本期进展滞后的任务共5项（其中2项已超过完成时限），具体如下："),
    (0, 2, 3, "本期进展滞后或超过完成时限的任务共5项，其中已超过完成时限仍未完成2项、未超过完成时限但进展滞后3项，具体如下："),
    (0, 0, 4, "本期进展滞后的任务共4项，具体如下："),
    (0, 4, 0, "本期已超过完成时限仍未完成的任务共4项，具体如下："),
])
def test_each_task_is_counted_once_in_section_three(cons, both, overdue_only, lagging_only, lead):
    needed = both + overdue_only + lagging_only
    while len(cons.tasks) < needed:
        cons = dataclasses.replace(cons, tasks=cons.tasks + [dataclasses.replace(t, task=dataclasses.replace(
            t.task, id=f"{t.task.id}-{len(cons.tasks)}")) for t in cons.tasks])
    ctx = _judged(cons, both, overdue_only, lagging_only)
    assert (ctx.task_lagging, ctx.task_overdue, len(ctx.attention)) == (both + lagging_only, both + overdue_only, needed)
    assert ctx.attention_text == lead


def test_the_overview_says_overdue_tasks_are_among_those_counted(cons):
    ctx = build_context(cons, ISSUE)
    text = ctx.overview_text
    parts = re.findall(r"(?:序时推进|进展滞后|尚未启动|已完成|牵头单位[^，。]*?的)(\d+)项（占", text)
    assert sum(map(int, parts)) == ctx.task_total == 11
    assert "上述任务中，已超过完成时限仍未完成的有8项。" in text
    assert "已超过完成时限仍未完成的任务8项" not in text


# ---------------------------------------------------------------- 平均进度 of one lead


def test_a_task_with_one_lead_says_its_progress_not_an_average(cons):
    ctx = build_context(cons, ISSUE)
    of = {t.id: t for t in ctx.attention}
    assert of["2"].status_text == "滞后，进度40%"  # 县住建局 alone
    assert of["4"].status_text == "滞后，进度60%"  # 县残联 alone
    # 县水务局 alone, past 12月底前, reported 序时推进: 滞后 by the deadline, not by its word (QA398)
    assert of["7"].status_text == "牵头单位报告序时推进，进度80%"
    assert "平均进度" not in of["2"].summary + of["4"].summary + of["7"].summary
    # two of 1's three leads gave a figure: that is an average
    assert of["1"].status_text == "滞后，平均进度50%"


def test_a_task_of_several_leads_only_one_gave_a_figure_is_no_average(cons):
    # 1's leads are 县水务局, 县住建局, 县护城河指挥部: with 县住建局's row alone, its own 30%
    ts = next(t for t in cons.tasks if t.task.id == "1")
    one = dataclasses.replace(ts, avg_progress=30.0, averaged=1)
    ctx = build_context(dataclasses.replace(cons, tasks=[one if t is ts else t for t in cons.tasks]), ISSUE)
    assert next(t for t in ctx.attention if t.id == "1").status_text == "滞后，进度30%"


def test_the_overview_gives_one_tasks_progress_as_its_own(cons):
    # only 4 with a figure (县残联's 60%): "已报送任务的平均进度为60%" averaged one task
    one = [t if t.task.id == "4" else dataclasses.replace(t, avg_progress=None, averaged=0) for t in cons.tasks]
    text = build_context(dataclasses.replace(cons, tasks=one), ISSUE).overview_text
    assert text.endswith("已报送进度的1项任务进度为60%。") and "平均进度" not in text
    assert build_context(cons, ISSUE).overview_text.endswith("已报送任务的平均进度为66%。")


# ---------------------------------------------------------------- the year said once in every subject


def test_issue_remind_and_reply_subjects_say_the_year_once(dazhu):
    issued = _subject(dazhu.root / "下发" / DEC.label / f"{DEC.label}_县水务局_进展填报表.eml")
    assert issued == "【请于2017年1月5日前报送】2016年民生实事12月进展填报表（县水务局）"
    write_reminders(dazhu, DEC)
    remind = _subject(dazhu.root / "汇总" / DEC.label / "催报邮件" / "催报_县民政局.eml")
    assert remind == "【催报】请尽快报送2016年民生实事12月进展填报表（县民政局）"
    [reply] = (dazhu.root / "反馈" / DEC.label).rglob("县商务局_校验反馈.eml")
    assert _subject(reply) == "【请修改后重新报送】2016年民生实事12月进展填报表校验反馈（县商务局）"
    for subject in (issued, remind, _subject(reply)):
        assert subject.count("2016年") == 1, subject


@pytest.mark.parametrize("project, period, subject", [
    # a plan of another year, or of a span of years, keeps the period's year
    ("2015年民生实事", Period(2016, 1), "2015年民生实事2016年1月进展填报表"),
    ("2022年—2024年城市更新行动", Period(2023, 6), "2022年—2024年城市更新行动2023年6月进展填报表"),
    ("东莞市2022年政务服务全域标准化专项行动", Period(2022, 6), "东莞市2022年政务服务全域标准化专项行动6月进展填报表"),
    ("潍坊市政务公开工作要点实施方案", Period(2017, 6), "潍坊市政务公开工作要点实施方案2017年6月进展填报表"),
])
def test_a_subject_keeps_the_year_the_plan_does_not_say(tmp_path, project, period, subject):
    from toolkit.mail import render_mail_template

    template = tmp_path / "下发邮件.txt"
    template.write_text("主题：{{ project }}{{ period_label }}进展填报表\n正文\n", encoding="utf-8")
    assert render_mail_template(template, {"project": project, "period_label": period.label})[0] == subject


# ---------------------------------------------------------------- 200 names: a 附件


def _villages(cons):
    """大竹's June with every town's 村 owing a return too, none of them sent."""
    base = next(u for u in cons.units if u.state == UnitState.NOT_REPORTED)
    villages = [dataclasses.replace(base, unit=f"{t}{v}村", kind="村（社区）") for t in TOWNS for v in VILLAGES]
    return dataclasses.replace(cons, units=cons.units + villages)


def test_a_long_list_is_counted_in_the_text_and_listed_in_an_appendix(cons):
    big = _villages(cons)
    missing = [u.unit for u in big.units if u.state == UnitState.NOT_REPORTED]
    assert len(missing) == 206
    ctx = build_context(big, ISSUE, appendix_over=Settings().appendix_over)
    points = {p.title: p.text for p in ctx.reporting_points}
    assert points["未报送的单位。"] == "共206个单位未报送（名单见附件）。"
    assert points["退回修改的单位（1个）："].startswith("县商务局。")  # a short list stays in the text
    assert ctx.appendix_note == "附件：未报送单位名单"
    [a] = ctx.appendices
    assert (a.number, a.title, a.count) == ("", "未报送单位名单", 206)
    assert [(r.index, r.kind, r.count) for r in a.rows] == [(1, "县直部门", 6), (2, "村（社区）", 200)]
    assert [n for r in a.rows for n in r.names.split("、")] == missing
    # no limit given (a template without 附件): every name stays in the text, by 类别
    inline = build_context(big, ISSUE)
    assert inline.appendices == [] and inline.appendix_note == ""
    assert next(p.text for p in inline.reporting_points if p.title == "未报送的单位（206个）：").startswith(
        "县直部门6个：县护城河指挥部、")


def test_several_appendices_are_numbered_and_the_note_aligned(cons):
    ctx = build_context(cons, ISSUE, appendix_over=0)
    assert [(a.number, a.title) for a in ctx.appendices] == [("1", "退回修改单位名单"), ("2", "未报送单位名单")]
    assert ctx.appendix_note == "附件：1．退回修改单位名单\n\u3000\u3000\u3000\u3000\u30002．未报送单位名单"
    points = {p.title: p.text for p in ctx.reporting_points}
    assert points["退回修改的单位。"] == ("共1个单位报送内容有误已退回修改（名单见附件1）。"
                                     "上述单位报送的填报表存在错误，已反馈修改意见，请尽快修改后重新报送。")
    assert points["未报送的单位。"] == "共6个单位未报送（名单见附件2）。"


def _set(ws, line: str):
    """The workspace with ``line`` for ``appendix_over = 60`` in its duban.toml."""
    config = ws.root / "duban.toml"
    text = config.read_text(encoding="utf-8")
    assert "appendix_over = 60" in text  # init writes the option with its default
    config.write_text(text.replace("appendix_over = 60", line), encoding="utf-8")
    return find_workspace(ws.root)


def _body(path: Path) -> list:
    return list(docx.Document(str(path)).element.body)


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def test_the_memo_prints_the_appendix_after_the_signature_on_a_page_of_its_own(dazhu):
    dazhu = _set(dazhu, "appendix_over = 5")
    result = write_memo(dazhu, DEC, issue_date=ISSUE)
    body = _body(result.path)
    texts = [_text(el) for el in body]
    assert "（一）未报送的单位。共6个单位未报送（名单见附件）。" not in texts  # 退回 comes first
    assert "（二）未报送的单位。共6个单位未报送（名单见附件）。" in texts
    # 附件说明 a line under the text, 落款 a line under it (GB/T 9704 §7.3.6, §7.3.5.2)
    note = texts.index("附件：未报送单位名单")
    assert texts[note - 1] == "" and texts[note + 1] == "" and texts[note + 2].strip() == "大竹县人民政府办公室"
    date = note + 3
    assert texts[date].strip() == "2017年1月9日"
    mark = body[date + 1]
    assert texts[date + 1] == "附件" and mark.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "MemoAppendixMark"
    assert texts[date + 2:date + 5] == ["", "未报送单位名单", ""]
    table = body[date + 5]
    assert table.tag == f"{W}tbl"
    rows = [[_text(c) for c in tr.iter(f"{W}tc")] for tr in table.iter(f"{W}tr")]
    assert rows == [["序号", "类别", "单位数", "单位名称"],
                    ["1", "县直部门", "6", "县护城河指挥部、县文体广新局、县代建中心、县民政局、县政务服务中心、县教科局"]]
    # the names' row may run onto the next page; the header repeats there
    assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    assert table.findall(f"{W}tr")[1].find(f"{W}trPr/{W}cantSplit") is None


def test_the_appendix_mark_is_styled_as_gbt9704_says():
    with zipfile.ZipFile(SHIPPED) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    [mark] = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "MemoAppendixMark"]
    assert mark.find(f"{W}name").get(f"{W}val") == "附件标识"
    assert mark.find(f"{W}pPr/{W}pageBreakBefore") is not None  # 另面编排
    assert mark.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert mark.find(f"{W}rPr/{W}sz").get(f"{W}val") == "32"  # 3号
    assert mark.find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "0"  # 顶格


def test_the_markdown_lists_the_appendix_too(dazhu):
    dazhu = _set(dazhu, "appendix_over = 5")
    text = write_memo(dazhu, DEC, issue_date=ISSUE, fmt="md").path.read_text(encoding="utf-8")
    section = text.split("## 四、报送情况")[1].split("## 五、")[0]
    assert "（二）未报送的单位。共6个单位未报送（名单见附件）。" in section
    assert "\n附件：未报送单位名单\n\n大竹县人民政府办公室\n2017年1月9日\n" in text
    assert text.split("## 附件 未报送单位名单\n\n")[1].startswith(
        "- 县直部门6个：县护城河指挥部、县文体广新局、县代建中心、县民政局、县政务服务中心、县教科局")


def test_an_offices_own_template_without_an_appendix_keeps_every_name_in_the_text(dazhu):
    """A template made before 附件 came has no place for one: the names stay in the text, and
    rendering a context with appendices into it is refused, never a list named nowhere."""
    dazhu = _set(dazhu, "appendix_over = 5")
    own = docx.Document()
    for line in ("{{ reporting_text }}", "{%p for p in reporting_points %}", "{{ p.number }}{{ p.title }}{{ p.text }}",
                 "{%p endfor %}", "{{ organiser }}"):
        own.add_paragraph(line)
    template = dazhu.root / "模板" / "月度通报.docx"
    own.save(str(template))
    result = write_memo(dazhu, DEC, issue_date=ISSUE)
    texts = [p.text for p in docx.Document(str(result.path)).paragraphs]
    assert "（二）未报送的单位（6个）：县护城河指挥部、县文体广新局、县代建中心、县民政局、县政务服务中心、县教科局。" in texts
    assert not any("附件" in t for t in texts)
    ctx = build_context(consolidate(dazhu, DEC), ISSUE, appendix_over=5)
    with pytest.raises(errors.BadTemplate, match="没有附件部分"):
        render_docx(ctx, template, dazhu.root / "x.docx")


def test_the_limit_is_a_setting():
    assert "appendix_over = 60" in CONFIG_TEMPLATE
    assert settings_from({"memo": {"appendix_over": 100}}).appendix_over == 100
    assert settings_from({}).appendix_over == Settings.appendix_over == 60
    with pytest.raises(errors.BadConfig, match="appendix_over"):
        settings_from({"memo": {"appendix_over": 0}})


def test_readme_lists_the_appendix_fields():
    from toolkit.memo.sentences import Appendix, AppendixRow

    readme = (SHIPPED.parent / "README.md").read_text(encoding="utf-8")
    for prefix, cls in (("a", Appendix), ("r", AppendixRow)):
        assert [f.name for f in dataclasses.fields(cls) if f"`{prefix}.{f.name}`" not in readme] == []


@pytest.mark.slow
def test_200_villages_add_no_page_to_the_text(cons, lo, tmp_path):
    """大竹's month with its 200 村 unreported too: by 类别 in the text the names took pages of
    their own; with the 附件 the text (to its date) takes the pages it takes without the 村,
    and the names follow on pages headed 附件."""
    import subprocess

    from toolkit.memo import for_libreoffice

    def pages(ctx, name: str) -> list[str]:
        out = render_docx(ctx, SHIPPED, tmp_path / f"{name}.docx")
        pdf = lo(for_libreoffice(out, tmp_path / f"{name}-lo.docx"), "pdf", tmp_path / name)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]

    def text_pages(found: list[str]) -> int:
        return next(i for i, p in enumerate(found, 1) if "2017年1月9日" in p)

    limit = Settings().appendix_over
    alone = pages(build_context(cons, ISSUE, appendix_over=limit), "alone")
    inline = pages(build_context(_villages(cons), ISSUE), "inline")
    appended = pages(build_context(_villages(cons), ISSUE, appendix_over=limit), "appended")
    assert text_pages(appended) == text_pages(alone) == len(alone) < text_pages(inline)
    assert all("竹阳街道石桥村" not in p for p in appended[:text_pages(appended)])
    rest = appended[text_pages(appended):]
    assert rest and rest[0].startswith("附件未报送单位名单序号类别单位数")
    assert "周家镇杨柳村" in "".join(rest)


# ---------------------------------------------------------------- every place still agrees


@pytest.mark.slow
def test_names_in_an_appendix_agree_with_every_other_place(june, run):  # noqa: F811 (the fixture)
    """test_crosscheck's June (东莞: late, sent back, corrected, moved and added tasks) with
    every list in a 附件: the 通报's counts and the names in its 附件 are the 汇总表's."""
    from test_crosscheck import EXPECT_JUNE, JUNE, check, outputs

    ws = _set(june, "appendix_over = 1")
    o = outputs(run, ws, JUNE)
    assert "退回修改的单位（1个）：市政务服务数据管理局。" in o["memo"]  # one: in the text
    assert "逾期报送的单位。共2个单位逾期报送（名单见附件1）。" in o["memo"]
    assert "## 附件1 逾期报送单位名单" in o["memo"] and "## 附件2 未报送单位名单" in o["memo"]
    assert check(o, JUNE, EXPECT_JUNE) == []
