"""QA 181: a task none of whose leads is yet due is 未报送（尚未截止）, as its leads are (东莞, June
2022, forms printed 报送截止 5 July).

A coordinator merging on 3 July, 石龙镇's return in, read 滞后超期 list 1.1, 2.2, 2.3, 3.1 and
3.2 (完成时限 2022年6月 or before) as 未报送, the pie give 26 of 43 tasks 未报送, while every lead
of theirs stood 未报送（尚未截止） two sheets away: tasks named as missed that nobody was yet due to
report. On the 6th, with 市政务服务数据管理局 given the 10th (`issue --dept … --due`), its own tasks
(1.1, 2.2) still waited while those of the 市直 departments that missed the 5th (2.3, 3.1, 3.2)
were 未报送 for good. Now 综合状态 says 未报送（尚未截止） wherever the 汇总表 says it (任务汇总,
滞后超期, 历次进展, 总览's counts, pie and bars) and merge counts it so, while no lead owing a row is
past its deadline; the 通报, which names such units 未报送, names the tasks too in its 请核实 line.
"""

from __future__ import annotations

import zipfile

from conftest import PERIOD, drop, set_clock
from python_calamine import CalamineWorkbook
from test_evidence import mail
from test_qa123_due_changes import JULY, send

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns

WAITING = "未报送（尚未截止）"
SZ = "市政务服务数据管理局"
#: 滞后超期 of June: 完成时限 2022年6月 (2.2: 2022年3月), none 已完成 on the 3rd
OVERDUE = ("1.1", "1.2", "2.2", "2.3", "3.1", "3.2")
#: the tasks whose every lead is 市政务服务数据管理局 alone (1.1 加快出台系列规范性文件, …)
SZ_ALONE = ("1.1", "2.2", "3.3", "7.3", "8.3", "9.2", "10.1", "12.1", "12.2", "13.2", "13.3", "14.1")


def _path(ws):
    return ws.root / "汇总" / PERIOD.label / f"{PERIOD.label}_进展汇总表.xlsx"


def _book(ws) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(_path(ws)))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _column(rows: list[list], header: str, key: str = "任务编号") -> dict[str, object]:
    """A table sheet's ``header`` column by task number (row 3 is the header)."""
    head = rows[2]
    return {r[head.index(key)]: r[head.index(header)] for r in rows[3:]}


def _section(rows: list[list], title: str) -> list[list]:
    """The rows of one of 总览's tables, its header first, up to the blank row after it."""
    start = next(i for i, r in enumerate(rows) if str(r[0]).startswith(title)) + 1
    end = next(i for i in range(start, len(rows)) if not any(v not in ("", None) for v in rows[i]))
    return rows[start:end]


def _on_the(ws, make_return, monkeypatch, day: int) -> None:
    """石龙镇 mailed its June return on 2 July; the office collects on ``day`` July."""
    send(ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[day])
    collect(ws)


def test_on_the_3rd_no_task_reads_as_missed_in_any_sheet(issued_ws, make_return, monkeypatch, run):
    _on_the(issued_ws, make_return, monkeypatch, 3)
    merged = run(["merge"], cwd=issued_ws.root)
    # 16.1 names no lead (未明确牵头单位): 未报送 before any deadline, never 已截止
    # 1.2 waits too (QA194): 石龙镇, its only lead to report, says 已完成; 滞后 would rest on 33 towns
    # due on the 5th. The six past their 完成时限 are counted apart from 超期未完成, nobody due on them
    assert ("2022年6月：任务 43 项，已完成 0，序时推进 16，滞后 0，未启动 0，未报送 1，未报送（尚未截止） 26；"
            "超期未完成 0，完成时限已过、报送尚未截止 6") in merged.stdout.splitlines()
    book = _book(issued_ws)

    status = _column(book["任务汇总"], "综合状态")
    assert sum(s == WAITING for s in status.values()) == 26 and status["16.1"] == "未报送"
    assert status["1.2"] == WAITING and status["4.3"] == "序时推进"  # 1.2: above; 4.3 judged as before
    lagging = book["滞后超期"]
    assert _column(lagging, "综合状态") == {"1.1": WAITING, "1.2": WAITING, "2.2": WAITING, "2.3": WAITING,
                                          "3.1": WAITING, "3.2": WAITING}
    # 是否超期 stays the fact of the 完成时限; the leads are named as the units are
    assert set(_column(lagging, "是否超期").values()) == {"是"}
    assert _column(lagging, "牵头单位状态")["1.1"] == f"{SZ}：{WAITING}"
    june = _column(book["历次进展"], "2022年6月\n状态")
    assert june == status

    overview = book["总览"]
    tasks = {r[0]: r[1] for r in _section(overview, "一、任务进展")[1:]}
    assert (tasks["未报送"], tasks[WAITING], tasks["任务总数"]) == (1, 26, 43)
    levels = _section(overview, "三、")
    assert levels[0][5:8] == ["未报送", WAITING, "合计"]
    assert [r[5:8] for r in levels[1:]] == [[0, 11, 11], [0, 4, 13], [0, 5, 10], [0, 6, 6], [1, 0, 3]]
    units = {r[0]: r[1] for r in _section(overview, "二、报送情况")[1:]}
    assert units["未报送（已截止）"] == 0 and units[WAITING] == 53  # as before (QA150)

    with zipfile.ZipFile(_path(issued_ws)) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    pie = next(c for c in charts if "<pieChart>" in c)
    bars = next(c for c in charts if "grouping val=\"stacked\"" in c)
    # the pie has a slice per row of 一 (已完成 … 未报送, 未报送（尚未截止）) in the word's own colour
    assert pie.count("<dPt>") == 6 and 'val="FCE4D6"' in pie
    assert bars.count("<ser>") == 6 and 'val="FCE4D6"' in bars


def test_a_units_own_deadline_keeps_only_its_tasks_waiting(issued_ws, make_return, monkeypatch, run):
    """市政务服务数据管理局 was given the 10th (`issue --dept 市政务服务数据管理局 --due 2022-07-10`);
    on the 6th the 市直 departments that missed the 5th leave theirs 未报送."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=[SZ])
    _on_the(issued_ws, make_return, monkeypatch, 6)
    run(["merge"], cwd=issued_ws.root)
    book = _book(issued_ws)
    status = _column(book["任务汇总"], "综合状态")
    assert sorted(t for t, s in status.items() if s == WAITING) == sorted(SZ_ALONE)
    assert status["13.1"] == "未报送"  # 市政务服务数据管理局 beside three departments past the 5th
    lagging = book["滞后超期"]
    assert _column(lagging, "综合状态") == {"1.1": WAITING, "1.2": "滞后", "2.2": WAITING, "2.3": "未报送",
                                          "3.1": "未报送", "3.2": "未报送"}
    assert _column(lagging, "牵头单位状态")["3.1"].startswith("未报送6个：市公安局、")  # six: grouped (QA392)
    tasks = {r[0]: r[1] for r in _section(book["总览"], "一、任务进展")[1:]}
    assert (tasks["未报送"], tasks[WAITING]) == (26 - len(SZ_ALONE), len(SZ_ALONE))
    # status says the unit as 牵头单位状态 does
    assert f"  {WAITING} {SZ}" in run(["status"], cwd=issued_ws.root).stdout.splitlines()

    # the 通报 names 市政务服务数据管理局 未报送 and its tasks alike, and tells the office both
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert memo.exit_code == 1
    assert ("今天（2022年7月6日）尚未过其报送截止日期，仍可按时报送（市政务服务数据管理局截止2022年7月10日）；"
            "通报列为未报送的任务1.1、2.2、3.3、7.3、8.3等12项，其未报送的牵头单位均在其中。") in memo.output
    text = next((issued_ws.root / "通报").rglob("*.md")).read_text(encoding="utf-8")
    # its units and tasks named 未报送 alike; of the tasks' sentences only one past its 完成时限 says its
    # leads are not yet due (QA203); the overview counts the 12 as 任务汇总 says them (QA227), apart
    # from the 13 whose leads missed the 5th (1.2 滞后 now)
    assert ("加快出台系列规范性文件（任务1.1）。牵头单位：市政务服务数据管理局；完成时限：2022年6月；进展情况：牵头单位未报送进展，"
            "完成时限已过、报送尚未截止。") in text
    assert "牵头单位报送尚未截止、暂未报送进展的12项（占27.9%），牵头单位未报送进展的13项（占30.2%），未明确牵头单位、未报送进展的1项" in text, text
    assert text.count("尚未截止") == text.count("报送尚未截止") == 5, text

    # after the 10th the book reads as before the word came
    set_clock(monkeypatch, JULY[11])
    run(["merge"], cwd=issued_ws.root)
    book = _book(issued_ws)
    assert not any("尚未截止" in str(v) for rows in book.values() for r in rows for v in r)
    assert set(_column(book["滞后超期"], "综合状态").values()) == {"未报送", "滞后"}


def test_a_lead_sent_back_waits_until_its_deadline_then_keeps_its_tasks_not_reported(
        issued_ws, make_return, monkeypatch, run):
    """市政务服务数据管理局's file of the 2nd could not be opened (退回待改). On the 3rd it may still send a
    good one by the 6th (its reply's date: three working days from Sunday the 3rd, later than the
    deadline of the 5th, QA398): its tasks wait as on a silent lead (QA203; they read 未报送, and 1.2,
    石龙镇's 已完成 beside it, 滞后), the 请核实 line names it and them. Past the 6th they are as before."""
    broken = make_return(SZ)
    drop(issued_ws, "sz.eml", mail([(f"{SZ}6月进展.xlsx", broken[: len(broken) // 2])],
                                   date="02 Jul 2022 09:00:00 +0800"))
    _on_the(issued_ws, make_return, monkeypatch, 3)
    run(["merge"], cwd=issued_ws.root)
    lagging = _book(issued_ws)["滞后超期"]
    assert _column(lagging, "综合状态") == dict.fromkeys(OVERDUE, WAITING)
    assert _column(lagging, "牵头单位状态")["1.1"] == f"{SZ}：退回待改"
    note = run(["memo", "--format", "md"], cwd=issued_ws.root).output
    assert ("通报列为退回修改的市政务服务数据管理局尚未过报送截止日期，仍可按时改报；通报列为未报送的任务"
            "1.1、1.2、2.1、2.2、2.3等26项，其未报送或退回修改的牵头单位均在其中") in note

    set_clock(monkeypatch, JULY[7])
    run(["merge"], cwd=issued_ws.root)
    lagging = _book(issued_ws)["滞后超期"]
    assert _column(lagging, "综合状态") == {"1.1": "未报送", "1.2": "滞后", "2.2": "未报送", "2.3": "未报送",
                                          "3.1": "未报送", "3.2": "未报送"}
    assert "请核实：通报列为" not in run(["memo", "--format", "md"], cwd=issued_ws.root).output
