"""The 通报's title for plans whose names carry a year or a span (QA275).

* 苍南's 2022年度市县民生实事未完成项目 in October 2022 was titled
  关于2022年10月2022年度市县民生实事未完成项目进展情况的通报, the year twice in a line. An office
  writes 关于2022年度市县民生实事未完成项目10月进展情况的通报: a name keeping its opening year
  (2022年度…, a span 2023—2025年…) is named first, the month after it, the whole 2024年3月 only
  where the name says other years too.
* 2023—2025年… (a span with one 年) was not taken as opening with a year: 关于2024年3月2023—2025年…,
  two years side by side.
* The broken title: 关于 / 2022年度市县…项目10月 / 进展情况的通报 left 关于 alone on a line;
  关于2022年—2024年城市 / 更新行动… cut 城市更新; 关于2022年度…项目2023年1月进展情况的通报 and
  …三年行动方案（2023-2025年）… had no place to break and went out whole (Word cut them anywhere).
* So did a name saying its year after its place or body: the demo's own title read
  关于2022年6月东莞市2022年 / 政务服务…, 绍兴's 关于2020年6月市政府2020年重点工作…. Named first too:
  关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报.
* A name with no year at its opening keeps the month first: 关于2024年5月“十四五”规划重点任务…,
  关于2024年5月…三年行动方案（2023-2025年）…; a name cut and hashed for a file name (…~52b392)
  as well, its hash no phrase for a month to follow.
"""

from __future__ import annotations

import itertools

import pytest

from toolkit.memo.gbt9704 import TITLE_CHARS, text_width, title_lines
from toolkit.memo.naming import memo_title
from toolkit.period import Period

CASES = [
    # 苍南 2022 (tests/corpus/masters), in its year and the next
    (Period(2022, 10), "2022年度市县民生实事未完成项目",
     ["关于2022年度市县民生实事未完成项目", "10月进展情况的通报"]),
    (Period(2023, 1), "2022年度市县民生实事未完成项目",
     ["关于2022年度市县民生实事未完成项目", "2023年1月进展情况的通报"]),
    (Period(2024, 5), "2024年度全市重点民生实事项目", ["关于2024年度全市重点民生实事项目", "5月进展情况的通报"]),
    # a span: the whole month, 3月 alone would not say which of its years
    (Period(2024, 3), "2023—2025年新型城镇化建设行动计划",
     ["关于2023—2025年", "新型城镇化建设行动计划", "2024年3月进展情况的通报"]),
    (Period(2024, 3), "2023-2025年新型城镇化建设行动计划",
     ["关于2023-2025年新型城镇化建设行动计划", "2024年3月进展情况的通报"]),
    (Period(2022, 10), "2022年—2024年城市更新行动", ["关于2022年—2024年城市更新行动", "2022年10月进展情况的通报"]),
    # the year after a place or body (the demo; 绍兴 2020; 兴义 2021)
    (Period(2022, 6), "东莞市2022年政务服务全域标准化专项行动",
     ["关于东莞市2022年政务服务全域标准化", "专项行动6月进展情况的通报"]),
    (Period(2023, 1), "东莞市2022年政务服务全域标准化专项行动",
     ["关于东莞市2022年政务服务全域标准化", "专项行动2023年1月进展情况的通报"]),
    (Period(2020, 6), "市政府2020年重点工作", ["关于市政府2020年重点工作", "6月进展情况的通报"]),
    (Period(2021, 9), "兴义市2021年政务公开工作要点", ["关于兴义市2021年政务公开工作要点", "9月进展情况的通报"]),
    # no year at the opening: the month first, as before
    (Period(2024, 5), "数字政府三年行动方案2023-2025年", ["关于2024年5月", "数字政府三年行动方案2023-2025年", "进展情况的通报"]),
    (Period(2024, 5), "“十四五”规划重点任务", ["关于2024年5月“十四五”规划", "重点任务进展情况的通报"]),
    (Period(2024, 5), "数字政府建设三年行动方案（2023-2025年）",
     ["关于2024年5月数字政府建设三年行动方案", "（2023-2025年）进展情况的通报"]),
    # 大竹 2016: the plain year dropped in its own year, the name first in the next (QA137)
    (Period(2016, 6), "2016年民生实事", ["关于2016年6月民生实事进展情况的通报"]),
    (Period(2017, 1), "2016年民生实事", ["关于2016年民生实事", "2017年1月进展情况的通报"]),
]


@pytest.mark.parametrize("period, project, lines", CASES)
def test_a_plan_named_with_its_year_is_titled_as_an_office_writes_it(period, project, lines):
    title = memo_title(period, project)
    assert title == "".join(lines)
    assert title_lines(title).split("\n") == lines


@pytest.mark.parametrize("period, project, lines", CASES)
def test_the_title_never_says_two_years_side_by_side_nor_breaks_a_word(period, project, lines):
    broken = title_lines(memo_title(period, project)).split("\n")
    assert all(text_width(line) <= TITLE_CHARS for line in broken)
    assert broken[0] != "关于"
    for a, b in itertools.pairwise(broken):
        for word in ("市县", "城市", "年度", "重点", "行动", "进展"):
            assert not (a.endswith(word[0]) and b.startswith(word[1:])), (a, b)
    assert "月20" not in "".join(broken)


def test_a_name_cut_for_a_file_name_keeps_the_month_first():
    from types import SimpleNamespace

    from toolkit.memo.naming import memo_filename

    long = "东莞市2022年政务服务全域标准化专项行动暨优化营商环境改革攻坚行动及数字政府建设三年行动计划（2022—2024年）"
    name = memo_filename(SimpleNamespace(project=long, period=Period(2022, 6)))
    assert name.startswith("关于2022年6月东莞市2022年") and name.endswith("~e03a8f进展情况的通报.docx")
    assert memo_filename(SimpleNamespace(project="东莞市2022年政务服务全域标准化专项行动", period=Period(2022, 6))) == \
        "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报.docx"
