"""Before a unit's deadline the 汇总表 and `duban status` say it has not yet reported and is
not yet due (东莞, June 2022, forms printed 报送截止 5 July).

Coordinators merge daily from the 1st to watch returns come in and forward the 汇总表 to
领导: on 3 July, 53 of 54 departments stood 未报送 in 报送情况, 总览 and 任务汇总 exactly as
units that had missed the deadline, with nothing to say they still had two days. Now such a
unit is 未报送（尚未截止） wherever a unit is named or counted (the deadline day itself counts
as not passed, as the memo's note has it); so is a task none of whose leads is yet due
(QA181: 综合状态 had kept 未报送); after the deadline everything reads as before.
"""

from __future__ import annotations

import json

from conftest import PERIOD, set_clock
from test_qa123_due_changes import JULY, send

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.vocab import NOT_YET_DUE

WAITING = "未报送（尚未截止）"


def _sent_on_the_2nd(ws, make_return, monkeypatch, day: int) -> None:
    send(ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[day])
    collect(ws)


def _book(ws):
    from openpyxl import load_workbook

    return load_workbook(ws.root / "汇总" / PERIOD.label / f"{PERIOD.label}_进展汇总表.xlsx", read_only=True)


def _rows(sheet) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_the_word_is_one_and_the_vocabulary_spells_it():
    assert NOT_YET_DUE == WAITING


def test_status_on_the_3rd_says_the_units_are_not_yet_due(issued_ws, make_return, monkeypatch, run):
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    result = run(["status"], cwd=issued_ws.root)
    out = result.stdout.splitlines()
    assert out[0] == ("2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 1，逾期报送 0，"
                      "未报送（已截止） 0，未报送（尚未截止） 53，退回待改 0")
    assert out[1] == "  未报送（尚未截止） 市政务服务数据管理局"
    assert "  未报送（尚未截止） 麻涌镇" in out and len(out) == 54 and result.exit_code == 0
    # the deadline day itself: a unit may still send on time
    set_clock(monkeypatch, JULY[5])
    assert "未报送（尚未截止） 53" in run(["status"], cwd=issued_ws.root).stdout


def test_status_after_the_deadline_reads_as_before(issued_ws, make_return, monkeypatch, run):
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    out = run(["status"], cwd=issued_ws.root).stdout.splitlines()
    assert out[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 1，逾期报送 0，未报送 53，退回待改 0"
    assert out[1] == "  未报送   市政务服务数据管理局" and "尚未截止" not in "\n".join(out)


def test_a_units_own_extension_keeps_it_not_yet_due_after_the_month(issued_ws, make_return, monkeypatch, run):
    """麻涌镇 was granted the 10th (`issue --dept 麻涌镇 --due 2022-07-10`): on the 6th it alone
    has time left; every other unit that sent nothing missed the 5th."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    out = run(["status"], cwd=issued_ws.root).stdout.splitlines()
    assert out[0] == ("2022年6月报送情况（截止 2022-07-05；麻涌镇 2022-07-10）：应报 54，按时报送 1，逾期报送 0，"
                      "未报送（已截止） 52，未报送（尚未截止） 1，退回待改 0")
    assert "  未报送（尚未截止） 麻涌镇" in out and "  未报送             虎门镇" in out
    data = json.loads(run(["status", "--format", "json"], cwd=issued_ws.root).stdout)
    assert data["not_yet_due"] == {"麻涌镇": "2022-07-10"}
    # JSON keeps the state's own word for programs; the field says who is not yet due
    assert {u["报送状态"] for u in data["units"] if u["单位"] in ("麻涌镇", "虎门镇")} == {"未报送"}
    assert data["counts"]["未报送"] == 53
    csv = run(["status", "--format", "csv"], cwd=issued_ws.root).stdout
    assert "\n麻涌镇,镇街,18,未报送（尚未截止）,,,,,,\n" in csv and "\n虎门镇,镇街,18,未报送,,,,,,\n" in csv  # no figures (QA299)
    set_clock(monkeypatch, JULY[11])
    data = json.loads(run(["status", "--format", "json"], cwd=issued_ws.root).stdout)
    assert data["not_yet_due"] == {}


def test_the_summary_book_on_the_3rd_names_and_counts_them_apart(issued_ws, make_return, monkeypatch, run):
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    result = run(["merge"], cwd=issued_ws.root)
    assert "未报送（已截止） 0，未报送（尚未截止） 53，退回待改 0" in result.stdout
    book = _book(issued_ws)
    units = {r[0]: r for r in _rows(book["报送情况"])[3:]}
    assert units["麻涌镇"][3] == WAITING and units["石龙镇"][3] == "按时报送"
    subtitle = _rows(book["报送情况"])[1][0]
    assert subtitle == "数据截至 2022-07-02 10:00；报送截止 2022年7月5日；未报送（尚未截止）按2022年7月3日计"
    overview = _rows(book["总览"])
    labels = {r[0]: r[1] for r in overview if len(r) > 1 and isinstance(r[0], str)}
    assert labels["未报送（已截止）"] == 0 and labels[WAITING] == 53 and "尚未报送" not in labels
    # 四、各单位完成情况: 报送状态 as 报送情况 says it
    assert [r[5] for r in overview if len(r) > 5 and r[0] in ("麻涌镇", "石龙镇")] == ["按时报送", WAITING]
    # 综合状态 of a task no lead has reported is said as its leads are (QA181); the units named
    # in 未报送单位 are qualified
    tasks = _rows(book["任务汇总"])
    header = tasks[2]
    status, missing = header.index("综合状态"), header.index("未报送单位")
    assert {r[status] for r in tasks[3:] if r[missing]} >= {WAITING}
    # (16.1 has no lead: 未明确牵头单位 first, QA215)
    assert all(r[missing].removeprefix("未明确牵头单位；").startswith(("未报送（尚未截止）：", "未明确牵头单位"))
               for r in tasks[3:] if r[missing])
    details = _rows(book["单位明细"])
    col = details[2].index("完成状态")
    assert {r[col] for r in details[3:] if r[details[2].index("单位")] == "麻涌镇"} == {WAITING}


def test_the_summary_book_after_the_deadline_says_nothing_new(issued_ws, make_return, monkeypatch, run):
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    run(["merge"], cwd=issued_ws.root)
    book = _book(issued_ws)
    text = "".join(str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r if v)
    assert "尚未截止" not in text and "已截止" not in text
    labels = {r[0]: r[1] for r in _rows(book["总览"]) if len(r) > 1 and isinstance(r[0], str)}
    assert labels["尚未报送"] == 53


def test_the_memo_note_and_the_book_name_the_same_units(issued_ws, make_return, monkeypatch):
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    cons = consolidate(issued_ws)
    assert cons.today == JULY[6] and cons.waiting == {"麻涌镇"} == set(cons.not_yet_due(JULY[6]))
    assert cons.said("麻涌镇", "未报送") == WAITING and cons.said("虎门镇", "未报送") == "未报送"
    assert cons.said("麻涌镇", "退回待改") == "退回待改"


def test_the_book_fills_the_word_in_its_own_colour(issued_ws, make_return, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from toolkit.style import load_style
    from toolkit.summary_book import write_workbook

    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    book = load_workbook(write_workbook(consolidate(issued_ws), tmp_path / "book.xlsx", load_style()))
    for name in ("总览", "报送情况", "单位明细"):
        cells = {(c.value, c.fill.fgColor.rgb) for r in book[name].iter_rows() for c in r}
        assert (WAITING, "00FCE4D6") in cells, name


def test_run_on_the_6th_lists_the_extended_unit_apart(issued_ws, make_return, monkeypatch, run):
    """`duban run` lists the units 未报送 by name: 麻涌镇, due the 10th, not among those that missed the 5th."""
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    out = run(["run"], cwd=issued_ws.root).stdout.splitlines()
    assert "  报送：按时报送 1，逾期报送 0，未报送（已截止） 52，未报送（尚未截止） 1，退回待改 0" in out
    assert "  未报送（尚未截止）：麻涌镇" in out
    (missing,) = [line for line in out if line.startswith("  未报送：")]
    assert "虎门镇" in missing and "麻涌镇" not in missing
