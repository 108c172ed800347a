"""QA197 (review): one messy July 2022 of the 东莞 demo, read as the office publishes it on 3 August
(before the 5 August deadline) and on 10 August (after it): the 通报 (.docx, read with python-docx),
the 汇总表 (read with python_calamine) and `duban status --format json` must agree with each other
and with what the departments did.

The month: June played only far enough that 市残联 reported every task 已完成 (4 July), so July is
issued with --skip-done and 市残联 is 本期免报; 长安镇's July form is issued again with its own
deadline, 12 August. Then:

- 2 Aug  石排镇 sends its form, its hidden _meta saying 石碣镇 (W206, taken as 石碣镇's);
         虎门镇 sends 4.3 滞后 without 存在问题 (E603, 退回);
- 3 Aug  石龙镇, 市政务服务数据管理局 (1.1 and 2.2 滞后: 完成时限 past, not done), 市卫生健康局 (3.1
         已完成 while its five co-leads are silent: 3.1 waits), 市司法局 (2.1's 完成进度 typed "80%");
         the office collects, merges, prints the 通报 (before the deadline);
- 4 Aug  虎门镇's corrected form (on time);
- 6 Aug  中堂镇's form (late by one day);
- 10 Aug the office collects, merges, prints the 通报 again. 洪梅镇 never reports; 长安镇 is still
         within its 12 August.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from conftest import drop, edit, invoke_cli, issued_path, set_clock, shanghai
from docx import Document
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.workspace import find_workspace

# a June and a July played through the CLI, about a minute: out of the quick loop
pytestmark = pytest.mark.slow

JUNE, JULY = Period(2022, 6), Period(2022, 7)
SZ = "市政务服务数据管理局"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
ONGOING = Answer(status="序时推进", progress=60, work="正在推进。")
E603 = Answer(status="滞后", progress=30, work="推进中", problems="")
LAG = Answer(status="滞后", progress=30, work="推进中", problems="系统对接延期")
WAITING = "未报送（尚未截止）"


def at(*moment) -> float:
    return shanghai(dt.datetime(*moment))


def _due_by_july(ws, unit: str) -> list[str]:
    """The tasks of the unit's July form whose 完成时限 is July 2022 or earlier."""
    wb = load_workbook(issued_path(ws, unit, JULY), read_only=True)
    ids = [str(r[0]) for r in wb["进展填报"].iter_rows(min_row=5, values_only=True)
           if r[0] and r[5] and re.fullmatch(r"2022年([1-7])月", str(r[5]))]
    wb.close()
    return ids


def july_form(ws, unit: str, **special: Answer) -> bytes:
    """A department's honest July: tasks already due 已完成, the rest 序时推进, ``special`` over them."""
    answers = {t: DONE for t in _due_by_july(ws, unit)}
    answers.update({k.replace("_", "."): v for k, v in special.items()})
    return fill_return(issued_path(ws, unit, JULY), Filling(answers=answers, default=ONGOING))


def _set(data: bytes, sheet: str, cell: str, value) -> bytes:
    def change(wb):
        wb[sheet][cell] = value
    return edit(data, change)


def _typed_percent(data: bytes, task: str, text: str) -> bytes:
    def change(wb):
        for row in wb["进展填报"].iter_rows(min_row=5):
            if str(row[0].value) == task:
                row[8].value = text
    return edit(data, change)


def _rows(book: CalamineWorkbook, sheet: str) -> list[list]:
    return book.get_sheet_by_name(sheet).to_python()


def table(book, sheet: str, first: str) -> list[dict]:
    rows = _rows(book, sheet)
    h = next(i for i, r in enumerate(rows) if r and r[0] == first)
    return [dict(zip(rows[h], r)) for r in rows[h + 1:] if r and r[0] not in (None, "")]


def section(book, sheet: str, title: str) -> dict:
    """总览's figures under ``title`` (一、任务进展 / 二、报送情况): label -> number."""
    rows = _rows(book, sheet)
    i = next(k for k, r in enumerate(rows) if r and r[0] == title)
    out = {}
    for r in rows[i + 2:]:
        if not r or r[0] in (None, ""):
            break
        out[r[0]] = int(r[1])
    return out


def overview_units(book) -> dict:
    rows = _rows(book, "总览")
    i = next(k for k, r in enumerate(rows) if r and r[0] == "单位" and "报送状态" in r)
    col = rows[i].index("报送状态")
    return {r[0]: r[col] for r in rows[i + 1:] if r and r[0]}


def snapshot(root, day: dt.date) -> dict:
    def run(*args):
        return invoke_cli(list(args), cwd=root)
    status = run("status", "--format", "json")
    merged = run("merge")
    memo = run("memo", "--date", day.isoformat())
    docx = next((root / "通报" / JULY.label).glob("*.docx"))
    text = "\n".join(p.text for p in Document(docx).paragraphs if p.text.strip())
    book_path = root / "汇总" / JULY.label / f"{JULY.label}_进展汇总表.xlsx"
    return dict(json=json.loads(status.stdout), merge=merged.output, memo_screen=memo.output, memo=text,
                book=CalamineWorkbook.from_path(str(book_path)), status_table=run("status", "--all").output)


@pytest.fixture(scope="module")
def month(tmp_path_factory, _session_issued):
    root = tmp_path_factory.mktemp("qa197") / "ws"
    shutil.copytree(_session_issued, root)
    ws = find_workspace(root)
    mp = pytest.MonkeyPatch()

    def run(*args):
        result = invoke_cli(list(args), cwd=root)
        assert result.exit_code in (0, 1), result.output
        return result
    try:
        set_clock(mp, dt.date(2022, 7, 4))
        drop(ws, "残联6月.xlsx", fill_return(issued_path(ws, "市残联", JUNE), Filling(default=DONE)), at(2022, 7, 4, 9))
        run("collect")
        set_clock(mp, dt.date(2022, 7, 25))
        assert "本期免报 1 个单位：市残联" in run("issue", "--period", "2022-07", "--skip-done").output
        run("issue", "--period", "2022-07", "--dept", "长安镇", "--due", "2022-08-12")
        ws = find_workspace(root)
        set_clock(mp, dt.date(2022, 8, 2))
        drop(ws, "石排镇7月.xlsx", _set(july_form(ws, "石排镇"), "_meta", "B3", "石碣镇"), at(2022, 8, 2, 9))
        drop(ws, "虎门镇7月.xlsx", july_form(ws, "虎门镇", **{"4_3": E603}), at(2022, 8, 2, 10))
        run("collect")
        set_clock(mp, dt.date(2022, 8, 3))
        drop(ws, "石龙镇7月.xlsx", july_form(ws, "石龙镇"), at(2022, 8, 3, 10))
        drop(ws, "政数局7月.xlsx", july_form(ws, SZ, **{"1_1": LAG, "2_2": LAG}), at(2022, 8, 3, 11))
        drop(ws, "卫健局7月.xlsx", july_form(ws, "市卫生健康局"), at(2022, 8, 3, 11))
        drop(ws, "司法局7月.xlsx", _typed_percent(july_form(ws, "市司法局"), "2.1", "80%"), at(2022, 8, 3, 15))
        run("collect")
        before = snapshot(root, dt.date(2022, 8, 3))
        set_clock(mp, dt.date(2022, 8, 4))
        drop(ws, "虎门镇7月（改）.xlsx", july_form(ws, "虎门镇"), at(2022, 8, 4, 10))
        run("collect")
        set_clock(mp, dt.date(2022, 8, 6))
        drop(ws, "中堂镇7月.xlsx", july_form(ws, "中堂镇"), at(2022, 8, 6, 9))
        run("collect")
        set_clock(mp, dt.date(2022, 8, 10))
        after = snapshot(root, dt.date(2022, 8, 10))
        yield {"before": before, "after": after}
    finally:
        mp.undo()


# ---------------------------------------------------------------------------
# reading the 通报


def memo_part(text: str, head: str, nxt: str | None) -> str:
    part = text.split(head, 1)[1]
    return part.split(nxt, 1)[0] if nxt else part


def memo_list(text: str, label: str) -> tuple[int | None, list[str]]:
    """(count, names) of a 通报 list like "（二）未报送的单位（46个）：市直部门17个：…；镇街29个：…。"."""
    m = re.search(label + r"（(\d+)个）：([^。]*)。", text)
    if not m:
        return None, []
    names = [n for part in m.group(2).split("；") for n in re.sub(r"^[^、：]+?\d+个：", "", part).split("、")]
    return int(m.group(1)), names


def states(o) -> dict:
    """报送情况's state per unit (未报送（尚未截止） as it is)."""
    return {r["单位"]: r["报送状态"] for r in table(o["book"], "报送情况", "单位")}


def plain(state: str) -> str:
    return "未报送" if state == WAITING else state


WHEN = ["before", "after"]
TRUTH = {  # what the departments did, as the office should say it on each day
    "before": {"石龙镇": "按时报送", SZ: "按时报送", "市卫生健康局": "按时报送", "市司法局": "按时报送",
               "虎门镇": "退回待改", "中堂镇": WAITING, "洪梅镇": WAITING, "长安镇": WAITING, "市残联": "本期免报"},
    "after": {"石龙镇": "按时报送", SZ: "按时报送", "市卫生健康局": "按时报送", "市司法局": "按时报送",
              "虎门镇": "按时报送", "中堂镇": "逾期报送", "洪梅镇": "未报送", "长安镇": WAITING, "市残联": "本期免报"},
}


# ---------------------------------------------------------------------------
# what agrees (checked, right)


@pytest.mark.parametrize("when", WHEN)
def test_each_units_state_is_the_truth_in_the_workbook_and_status(month, when):
    o = month[when]
    bs = states(o)
    js = {u["单位"]: u["报送状态"] for u in o["json"]["units"]}
    for unit, want in TRUTH[when].items():
        assert bs[unit] == want, (unit, bs[unit])
        assert js[unit] == plain(want), (unit, js[unit])
    assert {u: plain(s) for u, s in bs.items()} == js
    assert overview_units(o["book"]) == bs
    # 长安镇 within its own 12 August is never 逾期 and is kept apart from the units past the 5th
    assert "长安镇" in o["json"]["not_yet_due"] or any("长安镇" in str(x) for x in o["json"]["not_yet_due"])


@pytest.mark.parametrize("when", WHEN)
def test_counts_agree_between_status_overview_merge_and_the_memo(month, when):
    o = month[when]
    c = o["json"]["counts"]
    bs = states(o)
    fig = section(o["book"], "总览", "二、报送情况")
    assert fig["应报单位"] == 53 == len(bs) - c["本期免报"]
    assert (fig["按时报送"], fig["逾期报送"], fig["退回待改"]) == (c["按时报送"], c["逾期报送"], c["退回待改"])
    assert fig["未报送（已截止）"] + fig["未报送（尚未截止）"] == c["未报送"]
    assert fig["未报送（尚未截止）"] == sum(s == WAITING for s in bs.values())
    assert fig["本期免报（不计入应报）"] == c["本期免报"] == 1
    sec4 = memo_part(o["memo"], "四、报送情况", "五、")
    reported = c["按时报送"] + c["逾期报送"]
    assert f"本期应报送单位53个，已报送{reported}个" in sec4
    assert f"{c['未报送']}个单位未报送" in sec4
    assert "另有1个单位（市残联）负责的任务此前均已报告完成，本期免于报送" in sec4
    line = o["status_table"].splitlines()[0]
    assert f"应报 53，按时报送 {c['按时报送']}，逾期报送 {c['逾期报送']}，" in line
    split = re.search(r"未报送（已截止） (\d+)，未报送（尚未截止） (\d+)", line)
    said = sum(map(int, split.groups())) if split else int(re.search(r"未报送 (\d+)", line).group(1))
    assert said == c["未报送"] and f"退回待改 {c['退回待改']}，本期免报 1" in line


@pytest.mark.parametrize("when", WHEN)
def test_the_memos_lists_name_exactly_the_units_of_each_state(month, when):
    o = month[when]
    bs = {u: plain(s) for u, s in states(o).items()}
    for label, state in (("逾期报送的单位", "逾期报送"), ("退回修改的单位", "退回待改"), ("未报送的单位", "未报送")):
        count, names = memo_list(o["memo"], label)
        truth = sorted(u for u, s in bs.items() if s == state)
        assert sorted(names) == truth, (label, set(names) ^ set(truth))
        assert count in (None, len(truth)) and (count is not None or not truth)
    assert "市残联" not in memo_part(o["memo"], "（一）", "五、")


def test_a_refused_then_corrected_unit_is_sent_back_before_and_on_time_after(month):
    before, after = month["before"], month["after"]
    assert memo_list(before["memo"], "退回修改的单位") == (1, ["虎门镇"])
    issues = table(after["book"], "校验问题", "单位")
    assert [(i["单位"], i["代码"], i["处理结果"]) for i in issues if i["单位"] == "虎门镇"] == [("虎门镇", "E603", "退回")]
    assert "虎门镇" not in memo_part(after["memo"], "四、报送情况", "五、")


def test_a_percentage_typed_as_text_is_read_as_the_number(month):
    rows = table(month["after"]["book"], "单位明细", "任务编号")
    (row,) = [r for r in rows if str(r["任务编号"]) == "2.1" and r["单位"] == "市司法局"]
    assert row["完成进度(%)"] == 80


@pytest.mark.parametrize("when", WHEN)
def test_a_task_past_its_deadline_and_not_done_is_lagging_everywhere(month, when):
    o = month[when]
    lag = {str(t["任务编号"]): t for t in table(o["book"], "滞后超期", "任务编号")}
    for tid in ("1.1", "2.2"):
        assert (lag[tid]["综合状态"], lag[tid]["是否超期"]) == ("滞后", "是")
        para = next(x for x in o["memo"].splitlines() if f"（任务{tid}）" in x)
        assert para in memo_part(o["memo"], "三、滞后及超期任务", "四、")
    assert "市政务服务数据管理局反映：系统对接延期" in o["memo"]


def test_after_the_deadline_the_memos_task_figures_are_the_overviews(month):
    o = month["after"]
    fig = section(o["book"], "总览", "一、任务进展")
    sec1 = memo_part(o["memo"], "一、总体进展情况", "二、")
    assert f"进展滞后{fig['滞后']}项" in sec1
    assert f"已超过完成时限仍未完成的有{fig['超期未完成（完成时限已过）']}项" in sec1
    missing = sum(int(n) for n in re.findall(r"(?:牵头单位未报送进展的|未明确牵头单位、未报送进展的)(\d+)项", sec1))
    assert missing == fig["未报送"]
    lag_ids = [str(t["任务编号"]) for t in table(o["book"], "滞后超期", "任务编号")]
    sec3 = memo_part(o["memo"], "三、滞后及超期任务", "四、")
    assert re.findall(r"（任务([\d.]+)）", sec3) == lag_ids
    # 3.1: 市卫生健康局 reported 已完成, its five co-leads missed the 5th: 滞后 now
    assert "尚有5个牵头单位未报送（市公安局、市交通运输局、市市场监管局、市文化广电旅游体育局、市人力资源社会保障局）" in sec3


def test_before_the_deadline_a_task_waiting_on_leads_is_waiting_in_the_workbook(month):
    o = month["before"]
    tasks = {str(t["任务编号"]): t["综合状态"] for t in table(o["book"], "任务汇总", "任务编号")}
    assert tasks["3.1"] == WAITING
    fig = section(o["book"], "总览", "一、任务进展")
    assert fig["未报送（尚未截止）"] == sum(s == WAITING for s in tasks.values())


def test_the_memo_printed_before_the_deadline_says_to_check_the_units_not_yet_due(month):
    screen = month["before"]["memo_screen"]
    assert "请核实：通报列为未报送的 47 个单位" in screen and "长安镇截止2022年8月12日" in screen
    screen = month["after"]["memo_screen"]
    assert "请核实：通报列为未报送的 1 个单位" in screen and "长安镇截止2022年8月12日" in screen


# ---------------------------------------------------------------------------
# findings


def test_before_the_deadline_the_memos_overdue_count_is_the_overviews(month):
    """3 August: 总览 一 says 超期未完成（完成时限已过） 3 (1.1, 1.2, 2.2) and 完成时限已过、报送尚未截止 3
    (2.3, 3.1, 3.2: every lead that reported said 已完成, the rest have until the 5th). The 通报 says
    "上述任务中，已超过完成时限仍未完成的有6项" and "本期已超过完成时限仍未完成的任务共6项（其中3项进展滞后）",
    listing 2.3 as "已报送的3个牵头单位均已完成，已超过完成时限": unfinished, in public, on no one's word."""
    o = month["before"]
    fig = section(o["book"], "总览", "一、任务进展")
    # 1.2 waits too since its sent back lead does (QA203, the next test): 1.1 and 2.2 are known unfinished
    assert (fig["超期未完成（完成时限已过）"], fig["完成时限已过、报送尚未截止"]) == (2, 4)
    sec1 = memo_part(o["memo"], "一、总体进展情况", "二、")
    sec3 = memo_part(o["memo"], "三、滞后及超期任务", "四、")
    assert "上述任务中，已超过完成时限仍未完成的有2项，另有4项已过完成时限、牵头单位报送尚未截止。" in sec1, sec1
    assert "本期进展滞后且已超过完成时限的任务共2项；另有4项任务已过完成时限、牵头单位报送尚未截止，一并列出" in sec3, sec3
    lines = sec3.splitlines()
    for tid in ("1.2", "2.3", "3.1", "3.2"):  # each task's summary is the paragraph after its title
        para = lines[next(i for i, x in enumerate(lines) if f"（任务{tid}）" in x) + 1]
        assert "已完成，完成时限已过、报送尚未截止" in para and "已超过完成时限" not in para, para


def test_before_the_deadline_a_sent_back_lead_does_not_make_a_done_task_lagging(month):
    """Every report of 1.2 (完成时限 2022年6月) on 3 August says 已完成: 市政务服务数据管理局, 石碣镇 (石排镇's
    form), 石龙镇; 30 towns have until the 5th and 虎门镇's refused form (E603 on 4.3) also said 1.2
    已完成. The 汇总表 and the 通报 say "进展情况：滞后，平均进度100%，已超过完成时限" and count it among
    进展滞后3项, and the 请核实 line does not name 1.2: an office doing what it says prints 1.2 滞后. On
    the 4th 虎门镇's correction comes in on time. Either 1.2 waits like 2.3, or the line names it."""
    o = month["before"]
    tasks = {str(t["任务编号"]): t["综合状态"] for t in table(o["book"], "任务汇总", "任务编号")}
    note = o["memo_screen"].split("请核实", 1)[-1]
    named = re.search(r"(?<![\d.])1\.2(?![\d.])", note) is not None
    assert tasks["1.2"] != "滞后" or named, tasks["1.2"]
    # QA203: it waits, as the leads it has no row from do (虎门镇 may correct on time), and the line names it
    assert tasks["1.2"] == WAITING and named and "通报列为退回修改的虎门镇尚未过报送截止日期，仍可按时改报" in note


def test_a_unit_whose_form_was_taken_as_anothers_is_asked_about_before_it_is_named_unreported(month):
    """W206 at collect on 2 August: "填报表内置的单位信息是石碣镇，但表中的填报单位指向石排镇。已按石碣镇登记；如实际是
    石排镇报送的，请石排镇用本单位的填报表重报。" — said once, on that day's screen. On 10 August `status`
    (json notes, table), `merge` and `memo` say nothing of it: 石碣镇 stands 按时报送 with 石排镇's file
    (报送文件 石排镇7月.xlsx) and the 通报 lists 石排镇 among 未报送的单位. A 请核实 on the screens that
    publish is owed while the question is open (as for a mail too big to fetch, test_qa190)."""
    o = month["after"]
    assert "石排镇" in memo_list(o["memo"], "未报送的单位")[1]
    said = " ".join([*map(str, o["json"]["notes"]), o["merge"], o["memo_screen"]])
    assert "石排镇" in said
