"""QA352: W604 said 已超期未完成 to a return filed before its task's deadline.

A department filing its December return on 7 December, its task due 31 December, was told
"任务 1 完成时限为 2025年12月31日，已超期未完成，但状态为“序时推进”。请核实是否滞后。" in its
校验反馈: false on the day it read it. The check cannot know the day the file came (a loose
file's time is weak evidence, `duban check` has none), and the 汇总表 judges a task due by the
period's end at that end (`task_rule.task_status`, `consolidate`: 是否超期 是 when not 已完成).
So W604 now says what is true whenever the return is read: the deadline as it stands to the
period's end, that the period is judged at its end, and what to do either way (a unit filing
early may send again once done).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import drop, issued_path, played_month, set_clock, shanghai, sheet_table

from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling, fill_return
from toolkit.master import import_master
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import build_return
from toolkit.settings import Limits
from toolkit.style import load_style
from toolkit.workspace import find_workspace

DECEMBER = Period(2025, 12)
UNIT = "县农业农村局"
PLAN = [["青山县农业农村局2025年重点工作任务分工表"],
        ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
        [1, "党建工作", "开展主题党日活动。", UNIT, "县财政局", "2025年12月底前"],  # the period's end
        [2, "公文办理", "提高办文质量。", UNIT, "", "2025年12月15日"],  # within the period
        [3, "项目建设", "推进高标准农田建设。", UNIT, "", "2025年11月底前"],  # an earlier month
        [4, "干部培训", "组织培训2期。", UNIT, "", "2026年6月底前"]]  # not due this period

ASK = ("本期汇总按期末情况判断，期末仍未完成的计为超期。请核实是否按期完成：期末前完成的，请改选“已完成”"
       "（报送时尚未完成的，可在完成后再报送）；不能按期完成的，请改选“滞后”并说明原因。")
AT_END = f"任务 1 完成时限为 2025年12月31日（即本期末），状态为“序时推进”。{ASK}"
MID = f"任务 2 完成时限为 2025年12月15日，早于本期末（2025年12月31日），状态为“序时推进”。{ASK}"
EARLIER = f"任务 3 完成时限为 2025年11月30日，早于本期末（2025年12月31日），状态为“未启动”。{ASK}"


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return import_master(sheet_table(tmp_path_factory.mktemp("plan") / "分工表.xlsx", PLAN))


def _checked(master, answers: dict[str, Answer]):
    wb = build_return(master, UNIT, DECEMBER, dt.date(2026, 1, 5), master.title,
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2025, 11, 28))
    out = io.BytesIO()
    wb.save(out)
    data = fill_return(out.getvalue(), Filling(answers=answers))
    return check_return(data, f"{UNIT}.xlsx", CheckContext(master, Limits(), period=DECEMBER))


def _w604(report) -> list[str]:
    return [i.message for i in report.issues if i.code == "W604"]


def test_w604_says_what_is_true_before_and_after_the_deadline(master):
    report = _checked(master, {"3": Answer("未启动", 0, "尚未开始。")})
    assert _w604(report) == [AT_END, MID, EARLIER]
    assert not any("已超期" in m for m in _w604(report))


@pytest.mark.parametrize("answer", [Answer("滞后", 40, "进度滞后。", problems="资金未到位。"),
                                    Answer("已完成", 100, "已完成。", evidence="青农〔2025〕1号")])
def test_no_question_for_a_task_marked_lagging_or_done(master, answer):
    assert _w604(_checked(master, {t: answer for t in "123"})) == []


def _table(path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [row for row in wb[sheet].iter_rows(values_only=True)]


def _task_row(root, task: str) -> dict:
    rows = _table(next((root / "汇总").rglob("*_进展汇总表.xlsx")), "任务汇总")
    head = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    return next(dict(zip(rows[head], r)) for r in rows[head + 1:] if r and str(r[0]) == task)


def _replied(root, day: dt.date) -> list[str]:
    """The W604 messages of the reply written on ``day`` (a later return may retire it)."""
    books = list((root / "反馈" / DECEMBER.label / f"{day:%Y-%m-%d}").glob("*_校验反馈.xlsx"))
    return [r[-1] for book in books for r in _table(book, "校验结果") if r and r[2] == "W604"]


def _play(tmp_path, sends: list[tuple[dt.date, Answer]], closed: dt.date):
    """December 2025 of a one-task plan: the unit sends each of ``sends`` (the day, task 1's
    answer), each collected that day with its reply (reply_to_warnings); merged on ``closed``.
    Returns the workspace and each day's W604 as its reply said it."""
    root, replied = tmp_path / "ws", {}
    mp, _, run = played_month(root, dt.date(2025, 11, 28), "--master",
                              str(sheet_table(tmp_path / "分工表.xlsx", PLAN[:3])), "--period", "2025-12")
    try:
        run("issue", "--period", "2025-12")
        ws = find_workspace(root)
        toml = root / "duban.toml"  # what the unit sees: a reply to a return with warnings only
        toml.write_text(toml.read_text(encoding="utf-8") + "\n[feedback]\nreply_to_warnings = true\n", encoding="utf-8")
        for day, answer in sends:
            data = fill_return(issued_path(ws, UNIT, DECEMBER).read_bytes(), Filling(answers={"1": answer}))
            drop(ws, f"{UNIT}.xlsx", data, shanghai(dt.datetime.combine(day, dt.time(10))))
            set_clock(mp, day)
            run("collect")
            replied[day] = _replied(root, day)
        set_clock(mp, closed)
        run("merge")
    finally:
        mp.undo()
    return root, replied


@pytest.mark.slow  # plays a month: run in CI, out of the quick loop
def test_a_return_filed_before_the_deadline_is_not_told_it_is_overdue(tmp_path):
    early, done = dt.date(2025, 12, 7), dt.date(2025, 12, 29)
    root, replied = _play(tmp_path, [(early, Answer("序时推进", 60, "已开展2次。")),
                                     (done, Answer("已完成", 100, "已开展4次。", evidence="青农〔2025〕9号"))],
                          dt.date(2026, 1, 6))
    # on 7 December: asked, not told 已超期; once 已完成, nothing to ask
    assert replied == {early: [AT_END], done: []}
    # sent again once done, as the question says: the 汇总表 after the due date has it done, on time
    assert {k: _task_row(root, "1")[k] for k in ("综合状态", "是否超期")} == {"综合状态": "已完成", "是否超期": "否"}


@pytest.mark.slow
def test_a_return_filed_after_the_deadline_is_asked_the_same_and_the_task_counts_overdue(tmp_path):
    late = dt.date(2026, 1, 3)
    root, replied = _play(tmp_path, [(late, Answer("序时推进", 60, "已开展2次。"))], dt.date(2026, 1, 6))
    assert replied == {late: [AT_END]}
    # what the question warned of: not done at the period's end is 超期, as 通报 made after the due date says
    assert {k: _task_row(root, "1")[k] for k in ("综合状态", "是否超期")} == {"综合状态": "滞后", "是否超期": "是"}


def _filed_on_the_7th(tmp_path):
    """December 2025 of a two-task plan, its one return (task 1 序时推进, due the 31st) filed and
    collected on 7 December: (the workspace's root, the month's monkeypatch, its runner)."""
    root = tmp_path / "ws"
    mp, _, run = played_month(root, dt.date(2025, 11, 28), "--master",
                              str(sheet_table(tmp_path / "分工表.xlsx", PLAN[:3])), "--period", "2025-12")
    try:
        run("issue", "--period", "2025-12")
        ws = find_workspace(root)
        data = fill_return(issued_path(ws, UNIT, DECEMBER).read_bytes(),
                           Filling(answers={"1": Answer("序时推进", 60, "已开展2次。")}))
        drop(ws, f"{UNIT}.xlsx", data, shanghai(dt.datetime(2025, 12, 7, 10)))
        set_clock(mp, dt.date(2025, 12, 7))
        run("collect")
    except BaseException:
        mp.undo()
        raise
    return root, mp, run


@pytest.mark.slow
def test_a_memo_made_before_the_deadline_asks_before_calling_a_task_overdue(tmp_path):
    """The 通报 judges the month at its end: made on 7 December it wrote "已超过完成时限仍未完成" of
    task 1, due the 31st, and asked nothing (QA352's note): asked now, until the deadline passes."""
    _, mp, run = _filed_on_the_7th(tmp_path)
    try:
        early = run("memo").output
        set_clock(mp, dt.date(2026, 1, 6))
        late = run("memo").output
    finally:
        mp.undo()
    assert ("请核实：本期按期末（2025年12月31日）的情况判断，通报写作完成时限已过的任务1，"
            "今天（2025年12月7日）完成时限还没有过（最早为2025年12月31日）。") in early
    assert "完成时限还没有过" not in late


@pytest.mark.slow
def test_a_summary_made_before_the_deadline_says_it_counts_overdue_at_the_month_end(tmp_path):
    """The 汇总表 merged on 7 December counted task 1 (due the 31st) 超期未完成 and said nothing,
    on screen or in the book (stop 53's note): both say the month is judged at its end, until the
    deadline passes."""
    root, mp, run = _filed_on_the_7th(tmp_path)
    try:
        early = run("merge")
        early_subtitle = _table(next((root / "汇总").rglob("*_进展汇总表.xlsx")), "滞后超期")[1][0]
        overview = _table(next((root / "汇总").rglob("*_进展汇总表.xlsx")), "总览")
        set_clock(mp, dt.date(2026, 1, 6))
        late = run("merge")
        late_subtitle = _table(next((root / "汇总").rglob("*_进展汇总表.xlsx")), "滞后超期")[1][0]
    finally:
        mp.undo()
    assert early.exit_code == late.exit_code == 0  # told, not asked: the 汇总表 is the office's own
    assert ("提醒：汇总表按期末（2025年12月31日）的情况计超期：任务1按完成时限已过计，今天（2025年12月7日）"
            "完成时限还没过（最早为2025年12月31日），汇总表的副标题已注明。完成时限过后重新汇总即按当时情况计。"
            ) in early.output
    assert "超期未完成 0，按期末计超期、完成时限未过 1" in early.output  # not "超期未完成 1": not yet so
    # 总览's rows are one line each: the subtitle's clauses past the tables' width on the row under it
    assert f"{overview[1][0]}；{overview[2][0]}" == early_subtitle and overview[2][0].startswith("超期按期末")
    assert early_subtitle.endswith("；超期按期末（2025年12月31日）计，其中 1 项的完成时限在2025年12月7日尚未过")
    assert "还没过" not in late.output and "超期按期末" not in late_subtitle
