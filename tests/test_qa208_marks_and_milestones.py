"""QA208: QA205's findings on QA201's marks and QA198's milestone.

* After a mark (塘厦镇-, 塘厦镇_, 塘厦镇（…）) a body's word matched whatever followed it, as it
  does right after the town's name (塘厦镇卫生院 is the clinic's name): ``塘厦镇-水库整治进展.xlsx``,
  the town's topic, was nobody's, and a town whose form lacks _meta stood 未报送. After a mark the
  body's word must now end a name (`bodies._BODY_NAMED`, as `_STATE_ORGAN` after 人民政府): alone,
  or before a month, 进展, 工作 … (塘厦镇-派出所6月 stays nobody's).
* A remark in brackets (（含派出所）, （交警大队协办）) was read as the body's name.
* Marks a clerk types that `_SEPARATOR` lacked (• ： ， 「 〈 〜 ‐ −) hid the body after them.
* `dates.milestone` skipped a dated clause with words after its date (2024年6月底前印发方案) and
  named a start (2024年3月启动).

Names: 东莞's towns and bodies (default 名录, as test_qa201), 兴义市's (test_qa162).
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_qa162_town_bodies import XINGYI

from toolkit.dates import milestone
from toolkit.evidence import unit_in_names
from toolkit.units import default_directory

DONGGUAN = default_directory()
DONGGUAN.locate("东莞市政务服务数据管理局", "东莞市2022年政务服务全域标准化专项行动")


@pytest.mark.parametrize(("directory", "name", "unit"), [
    (DONGGUAN, "塘厦镇-学校安全专项整治.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇_医院建设进展.xlsx", "塘厦镇"),
    (DONGGUAN, "长安镇-派出所周边环境整治6月进展.xlsx", "长安镇"),  # as after 人民政府 (QA180)
    (DONGGUAN, "塘厦镇-林场改造.xlsx", "塘厦镇"),
    (DONGGUAN, "横沥镇·田坑派出所建设.xlsx", "横沥镇"),
    (DONGGUAN, "塘厦镇（派出所协办）.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇（包括派出所）.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇，6月进展.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇 • 6月进展.xlsx", "塘厦镇"),
    (XINGYI, "则戎镇_中心学校改扩建6月进展.xlsx", "则戎镇人民政府"),
])
def test_a_towns_topic_or_remark_after_a_mark_is_the_towns(directory, name, unit):
    assert directory.find_in(name) == unit


@pytest.mark.parametrize(("directory", "name"), [
    (DONGGUAN, "塘厦镇_派出所.xlsx"),
    (DONGGUAN, "塘厦镇-派出所6月.xlsx"),
    (DONGGUAN, "塘厦镇-派出所进展.xlsx"),
    (DONGGUAN, "塘厦镇-卫生院6月工作进展.xlsx"),
    (DONGGUAN, "塘厦镇-水库管理处6月.xlsx"),
    (DONGGUAN, "塘厦镇-派出所和交警大队6月.xlsx"),
    (DONGGUAN, "塘厦镇卫生院建设进展.xlsx"),  # no mark: the clinic's name runs on from the town's
    (DONGGUAN, "塘厦镇〜派出所.xlsx"),
    (DONGGUAN, "塘厦镇‐派出所.xlsx"),       # U+2010
    (DONGGUAN, "塘厦镇−派出所.xlsx"),       # U+2212
    (DONGGUAN, "塘厦镇「派出所」.xlsx"),
    (DONGGUAN, "塘厦镇〈派出所〉6月.xlsx"),
    (DONGGUAN, "市公安局〜塘厦分局.xlsx"),
    (XINGYI, "敬南镇•卫生院6月进展.xlsx"),
])
def test_a_bodys_name_after_a_mark_is_nobodys(directory, name):
    assert directory.find_in(name) is None
    assert unit_in_names(["进展表.xlsx", name], directory) is None


@pytest.mark.parametrize(("text", "year", "day"), [
    ("2024年6月底前印发方案，12月底前完成试点，长期坚持", None, dt.date(2024, 6, 30)),
    ("2025年3月启动，6月底前完成并长期坚持", 2024, dt.date(2025, 6, 30)),  # the start's year goes on
    ("自2024年3月起，12月底前见效，持续推进", None, dt.date(2024, 12, 31)),
    ("2024年6月至12月底前完成试点，长期坚持", None, dt.date(2024, 12, 31)),
    ("2024年6月底前启动，长期坚持", None, dt.date(2024, 6, 30)),  # by a day: a deadline
    ("三季度末前完成，长期坚持", 2024, dt.date(2024, 9, 30)),
    ("2024.6.30前完成，长期坚持", None, dt.date(2024, 6, 30)),
    ("1.建立机制，长期坚持", 2024, None),            # a list's number, not January
    ("每年底前报送，长期坚持", 2024, None),           # recurring: no milestone
])
def test_the_milestone_is_the_first_date_of_a_deadline(text, year, day):
    assert milestone(text, year) == day
