"""QA388, at the year turn: the working days a reply gives a refused return's correction (and a
form first issued after the deadline, 今天起N个工作日: `dates.resubmit_by` both) skip 元旦 as
`dates.day_off` does. A reply of 30 December asked for the correction by 4 January, counting
1 January, and the unit that corrected on the third working day stood 逾期报送 in the 通报."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop
from test_evidence import body, clean, mail, reply, state

from toolkit.dates import cn_date, day_off, resubmit_by
from toolkit.filling import Answer
from toolkit.vocab import UnitState


def test_the_correction_days_skip_yuandan():
    assert day_off(dt.date(2027, 1, 1)) == "元旦"
    # Wednesday 30 December 2026: 31 December, (元旦 Friday), Monday 4 and Tuesday 5 January
    assert resubmit_by(dt.date(2026, 12, 5), dt.date(2026, 12, 30), 3) == dt.date(2027, 1, 5)
    assert resubmit_by(dt.date(2026, 12, 5), dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    # a form first issued on 31 December, 今天起3个工作日 (`actions.issue`)
    assert resubmit_by(dt.date(2026, 12, 31), dt.date(2026, 12, 31), 3) == dt.date(2027, 1, 6)
    # weekends as before; a 元旦 on a Sunday changes nothing
    assert resubmit_by(dt.date(2022, 7, 5), dt.date(2022, 7, 8), 3) == dt.date(2022, 7, 13)
    assert resubmit_by(dt.date(2022, 12, 5), dt.date(2022, 12, 30), 1) == dt.date(2023, 1, 2)


@pytest.mark.slow  # collects twice
def test_a_correction_on_the_third_working_day_after_yuandan_is_on_time(issued_ws, make_return, collecting_on):
    """Sent on time, refused when collected on Monday 30 December 2024; the reply asks by Friday
    3 January 2025 (31 December, 2 and 3 January: 元旦 a Wednesday), not by Thursday 2 January."""
    from toolkit.actions.collect import collect

    ws = issued_ws
    wrong = make_return("石龙镇", **{"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")})  # E603
    drop(ws, "石龙镇.eml", mail([("石龙镇.xlsx", wrong)], date="Mon, 04 Jul 2022 16:20:00 +0800"))
    collecting_on(dt.date(2024, 12, 30))
    collect(ws)
    assert state(ws, "石龙镇") == UnitState.TO_FIX
    text = body(reply(ws, "石龙镇"))
    assert f"于{cn_date(dt.date(2025, 1, 3))}前" in text, text
    drop(ws, "石龙镇更正.eml", mail([("石龙镇（更正）.xlsx", make_return("石龙镇", clean()))],
                                   date="Fri, 03 Jan 2025 10:00:00 +0800"))
    collecting_on(dt.date(2025, 1, 3))
    collect(ws)
    assert state(ws, "石龙镇") == UnitState.ON_TIME


def test_a_deadline_edited_over_new_year_says_its_years():
    """年底前 (2026-12-31) edited to 6月底前 (2027-06-30): the texts alone read as moved six months
    earlier; each text without a year of its own is said with its date (`basis._due_said`)."""
    from dataclasses import replace

    from test_qa143_renumbered import task
    from test_qa144_basis_moved import Issued, plan

    from toolkit.issued_month import basis_of
    from toolkit.period import Period

    dec, jan = Period(2026, 12), Period(2027, 1)

    class Later(Issued):
        def issued_periods(self) -> list[Period]:
            return [dec, jan]

    then = replace(task("7", "新建县政务服务中心", "完成装修。"), deadline_text="年底前", deadline=dt.date(2026, 12, 31))
    now = replace(then, deadline_text="6月底前", deadline=dt.date(2027, 6, 30))
    basis = basis_of(Later(), dec, plan([now], [("7", "县政务服务中心")]), plan([then], [("7", "县政务服务中心")]),
                     lambda unit, tid: "序时推进")
    assert basis.notes()[-1] == ("说明：任务 7 的完成时限已由年底前（2026年12月31日）改为6月底前（2027年6月30日）；"
                                 "2026年12月仍按下发时的年底前（2026年12月31日）核定。")
    # a text with its year says it itself
    dated = replace(now, deadline_text="2027年6月底前")
    basis = basis_of(Later(), dec, plan([dated], [("7", "县政务服务中心")]), plan([then], [("7", "县政务服务中心")]),
                     lambda unit, tid: "序时推进")
    assert "完成时限已由年底前（2026年12月31日）改为2027年6月底前；" in basis.notes()[-1], basis.notes()


def test_a_rename_the_new_directory_already_records_is_no_warning(ws, tmp_path):
    """The revised table names 市卫生健康委员会 where it named 市卫生健康局, and the 单位名录 given with it
    (``master import --directory``) already makes the old name the new unit's alias, with no row
    of its own: nothing to ask. Given only the old 单位名录, the import still asks (QA302)."""
    from dataclasses import replace

    from test_qa302_plan_changes import NEW, OLD, renamed_table

    from toolkit.actions.master_import import compared
    from toolkit.master import import_master
    from toolkit.period import Period
    from toolkit.units import Directory

    before = ws.load_master()
    old = before.directory.get(OLD)
    units = [replace(old, name=NEW, aliases=(*old.aliases, OLD)) if u.name == OLD else u for u in before.directory]
    directory = Directory(units, before.directory.organiser, before.directory.place)
    table = renamed_table(ws.master_path, tmp_path / "修订.docx", {OLD: NEW})
    revision = compared(before, import_master(table, directory), [], [Period(2022, 6)])
    assert revision.handed == {}
    assert not any("简称/别名" in x for x in revision.lines()), revision.lines()
    # the old 单位名录: the rename is still asked for
    assert compared(before, import_master(table, before.directory), [], [Period(2022, 6)]).handed


@pytest.mark.slow  # plays two months' issue, a collect and reminders
def test_remind_points_to_the_month_before_only_while_a_unit_owes_it(tmp_path):
    """5 February: January's forms out, due 5 March, nobody late yet. The line on chasing December
    is said while a unit owes December, and no more once every unit has reported it."""
    from conftest import issued_path, played_month, set_clock, shanghai, sheet_table

    from toolkit.filling import Filling, fill_return
    from toolkit.period import Period
    from toolkit.workspace import find_workspace

    units = ("县水务局", "县住建局")
    plan = [["大竹县2026年民生实事目标任务分解表"], ["序号", "工作任务", "具体措施", "牵头单位", "完成时限"],
            [1, "城区供水", "新建水厂一座。", units[0], "2027年12月底前"],
            [2, "老旧小区改造", "改造小区10个。", units[1], "2027年12月底前"]]
    root, dec = tmp_path / "ws", Period(2026, 12)
    mp, _, run = played_month(root, dt.date(2026, 12, 1), "--master", str(sheet_table(tmp_path / "分工表.xlsx", plan)),
                              "--period", "2026-12")
    try:
        run("issue", "--period", "2026-12")
        ws = find_workspace(root)
        said = Filling(answers={t: Answer("序时推进", 50, "按计划推进。") for t in "12"})
        drop(ws, "水务.xlsx", fill_return(issued_path(ws, units[0], dec).read_bytes(), said),
             shanghai(dt.datetime(2027, 1, 4, 10)))
        set_clock(mp, dt.date(2027, 1, 5))
        run("collect")
        set_clock(mp, dt.date(2027, 2, 5))
        run("issue", "--period", "2027-01", "--due", "2027-03-05")
        line = "如要催报上一期（2026年12月）尚未报送的单位"
        assert line in run("remind").output  # 县住建局 owes December
        drop(ws, "住建.xlsx", fill_return(issued_path(ws, units[1], dec).read_bytes(), said),
             shanghai(dt.datetime(2027, 2, 5, 9)))
        run("collect", "--period", "2026-12")
        reminded = run("remind")
        assert "本期还没有单位过了截止日期" not in reminded.output and "其中提醒 2 个单位" in reminded.output, \
            reminded.output
    finally:
        mp.undo()
