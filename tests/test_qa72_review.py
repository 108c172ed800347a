"""Review of the province-plan, memo-title and 按时报送 changes (QA round 72).

* ``memo_title`` said the year once for 2016年民生实事, and also cut a project whose name only
  starts with the year: 2022年度市县民生实事 (苍南 2022, tests/corpus/masters) became
  关于2022年10月度市县民生实事…, 2022年—2024年… became 关于2022年6月—2024年….
* With the year gone, 2024年《政府工作报告》重点工作 (南陵 2024) and 2020年市政府重点工作 (滁州
  2020) were broken inside 重点工作: 关于2024年6月《政府工作报告》重点 / 工作进展情况的通报.
* 苍南's title was broken inside 市县 (2022年度市 / 县民生实事…), as before today.

QA275 changed the titles pinned here on purpose: a name keeping its opening year (2022年度…,
2022年—2024年…, 2022年底前…) was put after 关于2022年10月, the year said twice in one line
(关于2022年10月2022年度…) where an office writes 关于2022年度市县民生实事未完成项目10月进展情况的通报.
Such a name comes first now, the month after it, alone where the name says this year only and the
whole 2022年10月 where it names other years too (2022年—2024年…2022年10月…), as the year-turn titles
of QA137 already read. What QA72 pinned still holds: the year is never cut from such a name.
* The province's city family took any phrase starting 各市 / 各地: 各市公安局 and 各市（州）发展
  改革委 expanded to the city governments (they got forms for their police's tasks) instead of
  being said unexpanded (M108), as before.
* A 县级市's government in a 州's plan (延吉市人民政府, 延边州) was guessed a 州直部门: the memo
  addressed it as one of the 州's departments.
"""

from __future__ import annotations

import itertools

import pytest

from toolkit.groups import group_kind, group_members
from toolkit.memo.context import memo_title
from toolkit.memo.gbt9704 import title_lines
from toolkit.period import Period
from toolkit.units import Directory, Unit, guess_kind


@pytest.mark.parametrize("project, title", [
    # named first, the month after (QA275): the year once where the name says it alone ...
    ("2022年度市县民生实事未完成项目", "关于2022年度市县民生实事未完成项目10月进展情况的通报"),
    ("2022年底前重点任务", "关于2022年底前重点任务10月进展情况的通报"),
    ("2022年1-6月重点任务", "关于2022年1-6月重点任务10月进展情况的通报"),
    ("2022年上半年重点任务", "关于2022年上半年重点任务10月进展情况的通报"),
    # ... and whole where the name names other years: 10月 alone would not say which
    ("2022年—2024年城市更新行动", "关于2022年—2024年城市更新行动2022年10月进展情况的通报"),
    ("2022年至2024年城市更新行动", "关于2022年至2024年城市更新行动2022年10月进展情况的通报"),
    ("2022年、2023年重点项目", "关于2022年、2023年重点项目2022年10月进展情况的通报"),
    # still said once where the year only opens the name
    ("2022年民生实事", "关于2022年10月民生实事进展情况的通报"),
    ("2022年《政府工作报告》重点工作", "关于2022年10月《政府工作报告》重点工作进展情况的通报"),
    ("2022年全市民生实事", "关于2022年10月全市民生实事进展情况的通报"),
])
def test_the_year_is_dropped_only_where_it_opens_the_name(project, title):
    assert memo_title(Period(2022, 10), project) == title


@pytest.mark.parametrize("title", ["关于2024年6月《政府工作报告》重点工作进展情况的通报",
                                   "关于2020年12月市政府重点工作进展情况的通报",
                                   "关于2020年12月县委县政府主要工作进展情况的通报"])
def test_a_title_is_never_broken_inside_zhongdian_gongzuo(title):
    lines = title_lines(title).split("\n")
    assert len(lines) == 2
    assert not any(a.endswith(("重点", "主要")) and b.startswith("工作") for a, b in itertools.pairwise(lines))


def test_a_title_is_never_broken_inside_shixian_nor_niandu():
    """苍南 2022 (tests/corpus/masters): 关于2022年10月2022年度市 / 县民生实事…, and with 市县
    kept whole, 2022年 / 度市县…: each line a whole phrase now. Since QA275 the title names the
    plan first (关于2022年度…项目10月…): two lines, the month opening the second, 市县 whole."""
    title = memo_title(Period(2022, 10), "2022年度市县民生实事未完成项目")
    assert title_lines(title).split("\n") == ["关于2022年度市县民生实事未完成项目", "10月进展情况的通报"]


def _province() -> Directory:
    return Directory([Unit("广东省公安厅", "省直部门"), Unit("广州市人民政府", "地级以上市"),
                      Unit("深圳市人民政府", "地级以上市")])


@pytest.mark.parametrize("phrase", ["各市公安局", "各地级以上市公安局", "各市（州）发展改革委", "各地税务局", "各地海关",
                                    "有关地市局"])
def test_a_citys_department_is_not_its_government(phrase):
    """Never the cities' governments; unexpanded (M108) as before the city family."""
    assert group_kind(phrase) != "city"
    assert group_members(phrase, _province()) == ([], [])


@pytest.mark.parametrize("phrase, members", [
    ("各地级以上市人民政府", 2), ("各市（州）人民政府", 2), ("各设区市政府", 2), ("各地", 2), ("有关地级以上市", 2),
    ("各市、县（市、区）人民政府", 3), ("各市、县、自治县人民政府", 3), ("各地区", 2), ("各市行政公署", 2),
    ("各盟市", 2), ("有关地方", 2),
])
def test_the_city_family_still_takes_the_cities(phrase, members):
    d = Directory([*_province().units, Unit("淳安县人民政府", "县（市、区）")])
    assert group_kind(phrase) == "city"
    assert len(group_members(phrase, d)[0]) == members


@pytest.mark.parametrize("name, plan", [("延吉市人民政府", "州"), ("锡林浩特市人民政府", "盟")])
def test_a_county_level_citys_government_in_a_prefectures_plan(name, plan):
    """A 州 or 盟 has no city of its own level under it: its 市 is a 县级市."""
    assert guess_kind(name, plan) == "县（市、区）"
    assert guess_kind("延边州人民政府", "州") == "州直部门"  # the plan's own government
    assert guess_kind("延吉市人民政府", "省") == "市"  # read by a province: its own level says no more


@pytest.mark.parametrize("organiser, date, pads", [
    ("大竹县人民政府办公室", "2022年7月20日", (16, 18)), ("县政府办", "2022年7月20日", (16, 18)),
    ("东莞市政务服务数据管理局", "2022年7月20日", (14, 16)), ("县政府办", "2022年12月20日", (16, 18)),
])
def test_the_signature_is_placed_by_the_bodys_own_widths(organiser, date, pads):
    """The title's measure (digits 0.6, a gap beside Chinese: 2号 小标宋, off the grid) moved the
    落款 one character left: in LibreOffice's PDF of the demo signed 大竹县人民政府办公室 on
    2022年7月20日, 大竹县人民政府办公室 ended 3.05 characters from the right margin (GB/T 9704:
    2). There the date is 7.53 characters wide: 仿宋's digits are half, with the 0.2 gaps; counted
    without the gaps (before the title's measure) a short organiser's date ran past the margin."""
    from toolkit.memo.gbt9704 import signature_pads

    assert tuple(map(len, signature_pads(organiser, date))) == pads
