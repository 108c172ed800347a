"""QA303: the 通报 of places other than Dongguan, as their offices would see it (QA helper qa303).

Played months (workspaces and page images kept by the helper under /tmp/qa303_w) of 广州 2012
(prose, 38 tasks, 42 units), 临安 2022 (a table, 30 units, 各镇(街道) expanded) and 嘉鱼 2021 (a
county, 各镇人民政府 expanded), each with units on time, late, refused and silent.

1. 广州: the import's own M108 told the office to give the districts and county-level cities the
   类别 “区、县级市”; done so, the 通报's 主送 read “各区、县级市有关单位，市直各有关单位：”,
   addressing the twelve governments as departments of theirs (page 1 of the memo).
2. 广州: one district cooperating on 27 tasks reported 滞后 with one reason on each: section 三
   printed “荔湾区人民政府（任务N）反映：资金未到位。” 31 times, a page and a half of the same line
   (pages 2–4). A unit's one reason is now said once, with its tasks (the first five, then
   their count: 27 numbers joined by 、 would not break across lines).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from toolkit.consolidate import UnitStatus
from toolkit.master.importer import import_master
from toolkit.memo.addressees import recipients
from toolkit.memo.context import ProblemItem, _coop_lagging
from toolkit.units import Directory, Unit, government_kind

GUANGZHOU = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_guangzhou_rencai_2012.docx"


def test_the_kind_m108_suggests_for_guangzhous_districts_addresses_their_governments():
    master = import_master(GUANGZHOU, Directory([Unit("市教育局", "市直部门")]), organiser="广州市人民政府办公厅")
    said = [i.message for i in master.issues if i.code == "M108" and "“各区、县级市”" in i.message]
    assert said and "类别如“区、县级市”" in said[0], said
    units = [UnitStatus(f"{d}人民政府", "区、县级市", 1, "未报送") for d in ("越秀区", "荔湾区", "增城市")]
    units.append(UnitStatus("市教育局", "市直部门", 1, "未报送"))
    assert recipients(units, "市") == "各区、县级市人民政府，市直各有关单位："


def test_kinds_listing_county_level_words_are_county_governments():
    for kind in ("区、县级市", "区县级市", "区（县级市）", "区、县", "县、区", "县(市、区)"):
        assert government_kind(kind) == "county", kind
    for kind in ("区直部门", "县直单位", "区、县直属单位", "镇(街道)", "市直部门"):
        assert government_kind(kind) == "", kind


def _task(tid: str, coops: list[str], problems: list[tuple[str, str]]):
    return SimpleNamespace(id=tid, lagging_coops=coops, problems=[ProblemItem(u, t) for u, t in problems])


def test_one_units_same_reason_on_many_tasks_is_said_once_with_its_tasks():
    why = "资金未到位。"
    items = _coop_lagging([
        _task("2", ["荔湾区人民政府"], [("荔湾区人民政府", why)]),
        _task("3", ["市国资委"], [("市国资委", why)]),
        _task("4", ["市工商联", "荔湾区人民政府"], [("市工商联", why), ("荔湾区人民政府", why)]),
        _task("5", ["荔湾区人民政府"], [("荔湾区人民政府", "另一原因。")]),
        _task("6", ["荔湾区人民政府"], [("荔湾区人民政府", why)]),
    ])
    assert [[(p.unit, p.text) for p in t.problems] for t in items] == [
        [("荔湾区人民政府（任务2、4、6）", why)],
        [("市国资委（任务3）", why)],
        [("市工商联（任务4）", why)],
        [("荔湾区人民政府（任务5）", "另一原因。")],
        [],
    ]


def test_a_reason_given_on_many_tasks_names_the_first_few_and_counts_them():
    """27 task numbers joined by 、 were one unbreakable word to LibreOffice: the line before it
    was spread over gaps (荔 湾 区 人 民 政 府 （ 任 务), page 2 of 广州's memo)."""
    ids = [str(n) for n in range(2, 29)]
    items = _coop_lagging([_task(i, ["荔湾区人民政府"], [("荔湾区人民政府", "资金未到位。")]) for i in ids])
    assert [p.unit for p in items[0].problems] == ["荔湾区人民政府（任务2、3、4、5、6等27项）"]
    assert not any(t.problems for t in items[1:])


def test_a_lone_task_keeps_its_reasons_without_a_task_number():
    items = _coop_lagging([_task("2", ["越秀区人民政府"], [("越秀区人民政府", "房源不足。")])])
    assert [(p.unit, p.text) for p in items[0].problems] == [("越秀区人民政府", "房源不足。")]
