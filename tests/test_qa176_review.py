"""QA176 review of ab313a0~1..35dd3bd: probes of the mends' other directions."""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop, set_clock
from test_evidence import mail, state
from test_qa172_review import JULY, june_on_time_then_july_issued

from toolkit.actions.collect import collect
from toolkit.filling import Filling, fill_return
from toolkit.vocab import UnitState


def test_a_july_form_sent_in_reply_to_junes_mail_does_not_undo_junes_return(
        issued_ws, make_return, monkeypatch):
    """寮步镇 reported June on time; on 28 July it answers the June thread (its subject keeps
    the office's words, 2022年6月) with the July form filled early. Collected with --period
    2022-06: the subject's 6月 is the office's, not the sender's claim of the file."""
    june_on_time_then_july_issued(issued_ws, make_return, monkeypatch, "寮步镇")
    (form,) = (issued_ws.root / "下发" / JULY.label).glob("*_寮步镇_进展填报表.xlsx")
    set_clock(monkeypatch, dt.date(2022, 7, 28))
    drop(issued_ws, "寮步镇7.eml", mail([("寮步镇进展.xlsx", fill_return(form, Filling()))],
                                     subject="回复：关于报送2022年6月进展情况的通知",
                                     date="Thu, 28 Jul 2022 10:00:00 +0800"))
    collect(issued_ws, PERIOD)
    assert state(issued_ws, "寮步镇") == UnitState.ON_TIME
    assert state(issued_ws, "寮步镇", "2022-07") == UnitState.ON_TIME


def _import(tmp_path, cells: list[str]):
    import openpyxl

    from toolkit.master import import_master
    from toolkit.units import default_directory

    path = tmp_path / "分工表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "工作任务", "责任单位", "完成时限"])
    for i, cell in enumerate(cells, 1):
        wb.active.append([i, f"推进第{i}项工作", cell, "2022年12月底前"])
    wb.save(path)
    return import_master(path, default_directory(), use_bundled_directory=True)


def test_a_bracket_line_after_a_listed_unit_is_no_unit_of_its_own(tmp_path):
    """ab313a0 keeps a 名录 unit's task when a bracket line follows it, but the bracket line
    becomes a unit: '(2022年底前)', '（市城市管理综合执法局）' and '（交警支队）' are added to the 名录
    (M102), lead the task, get a form, and are named 未报送 in the 通报."""
    master = _import(tmp_path, ["市住房城乡建设局\n（市城市管理综合执法局）", "市交通运输局\n(2022年底前)",
                                "市公安局\n（交警支队）"])
    units = {a.unit for a in master.assignments}
    assert not {u for u in units if u[0] in "（("}, units


def test_luoyangs_laocheng_district_is_another_government():
    """洛阳市老城区 is a county-level district: its 市场监管局's file is not the city bureau's.
    places._AREA lists 老城区 among the words that name no government (QA172)."""
    from toolkit.units import default_directory

    d = default_directory()
    d.locate("洛阳市人民政府办公室", "洛阳市2023年优化营商环境专项行动")
    assert d.find_in("市场监管局-西工区.xlsx") is None
    assert d.find_in("市场监管局-老城区.xlsx") is None  # now: 市市场监管局


def test_a_title_is_not_broken_between_an_autonomous_prefecture_and_its_government():
    from toolkit.memo.gbt9704 import title_lines

    title = "关于2024年3月延边朝鲜族自治州人民政府办公室关于印发延边州数字政府建设实施方案的通知重点工作进展情况的通报"
    assert "自治州\n人民政府" not in title_lines(title)


def test_a_labelled_bracket_line_gives_its_units_their_role():
    """市财政局 / （配合：市统计局、市税务局）: the 配合 units of the task, not a note dropped."""
    from toolkit.master.grammar import join_wrapped_brackets, parse_departments

    parsed = parse_departments("市财政局\n（配合：市统计局、市税务局）")
    join_wrapped_brackets(parsed, lambda name: name == "市财政局")
    assert [(n, str(r)) for n, r in parsed.entries] == [("市财政局", "牵头"), ("市统计局", "配合"), ("市税务局", "配合")]
