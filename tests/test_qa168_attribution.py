"""QA168: a department's branch in a town, a town's committees, and a place written after a body.

Three names found a unit that did not send them (the 通报 then calls it 已报送 by a file it never
sent):

* ``东莞市公安局塘厦分局6月.xlsx`` was 市公安局's: the city bureau's branch located in the town
  carries the bureau's name, but its file is the branch's, not the bureau's return. 东莞's plans
  are addressed to 各镇人民政府（街道办事处）、市府直属各单位 (市公安局), not to the 分局, which
  the city's own pages name as bodies of their own (东莞市公安局长安分局, 东莞市城市管理和综合执法局
  长安分局). A department's name going on into a town's name and a branch (分局, 派出所, 所, 中队 …)
  now names nobody, and collect asks the office (请核实); a 名录 listing the branch still finds it
  (test_qa162's ``test_a_body_that_is_a_unit_of_the_directory_is_that_unit``).
* ``虎门镇村委会.xlsx`` and ``长安社区6月进展.xlsx`` were the towns': a 村委会/居委会 is the organ of
  one of the town's villages or communities, never its own office, and a 社区 right after the
  town's short name is a community's name (as 锦厦社区). 塘厦镇社区 (after the town's level) stays
  the town's: its communities, a topic of its own return (QA162).
* ``市场监管局-广州市.xlsx`` was 东莞's 市市场监管局: a place other than the plan's written after the
  body, alone between marks, is that body's government (QA164 read it before the body).

Names from public pages (search corpus "pages"):
* dg.gov.cn/changan …/post_4082228.html (长安 news): 东莞市公安局长安分局, 东莞市城市管理和综合执法局
  长安分局.
* gaj.dg.gov.cn …/post_716323.html, post_716420.html, post_2327738.html: 塘厦分局 / 塘厦公安分局,
  横沥分局, 樟木头公安分局 (each 分局 of 东莞市公安局, "按照市局统一部署").
* diming.qi18.com …/changanzhen_jinxiashequ: 长安镇锦厦社区 and its neighbours 乌沙社区, 霄边社区;
  m.iichajd.com/dm_4568: 长安镇 "辖13个村(居)民委员会".
* nmhdgaokao.com …/shilongzhen_zhongshandongshequ.html: 石龙镇 中山东社区居民委员会 (中山东村委会 before).
Other places' 名录: 兴山县's (test_qa162), 大竹县's with its towns (test_qa95, test_qa166).
"""

from __future__ import annotations

import pytest
from test_qa162_town_bodies import XINGSHAN
from test_qa166_town_service_centres import DAZHU_TOWNS

from toolkit.bodies import body_after_town, branch_after_town
from toolkit.evidence import unit_in_names
from toolkit.places import before_other_place, marks_in
from toolkit.text import key
from toolkit.units import default_directory

DONGGUAN = default_directory()
DONGGUAN.locate("东莞市政务服务数据管理局")

# (名录, file name or subject, the unit it is, where the name comes from)
ROWS = [
    # 1. a city's or a county's bureau's branch in a town: nobody's
    (DONGGUAN, "东莞市公安局塘厦分局6月.xlsx", None, "gaj.dg.gov.cn post_716323"),
    (DONGGUAN, "东莞市公安局长安分局6月进展.xlsx", None, "dg.gov.cn/changan post_4082228"),
    (DONGGUAN, "东莞市城市管理和综合执法局长安分局6月.xlsx", None, "dg.gov.cn/changan post_4082228"),
    (DONGGUAN, "市公安局横沥分局6月工作进展.xlsx", None, "gaj.dg.gov.cn post_716420"),
    (DONGGUAN, "市公安局樟木头镇派出所6月.xlsx", None, "gaj.dg.gov.cn post_2327738"),
    (DONGGUAN, "东莞市交通运输局长安分局6月进展.xlsx", None, "QA162's 东莞+ page"),
    (XINGSHAN, "兴山县公安局水月寺镇派出所6月.xlsx", None, "360docs 水月寺镇派出所 (QA162)"),
    (DAZHU_TOWNS, "大竹县公安局庙坝镇派出所6月.xlsx", None, "大竹's 名录, test_qa95"),
    # the bureau's own return, its own work in a town named (QA109: 虎门大桥 from the bureau)
    (DONGGUAN, "东莞市公安局6月进展.xlsx", "市公安局", "名录"),
    (DONGGUAN, "市公安局塘厦镇治安整治6月进展.xlsx", "市公安局", "名录"),
    (DONGGUAN, "市交通运输局虎门大桥维修进展.xlsx", "市交通运输局", "QA109"),
    (DONGGUAN, "市住建局塘厦镇中心小学改造进展.xlsx", "市住房城乡建设局", "名录"),
    # 2. a village's or a community's committee, a community named after the town: nobody's
    (DONGGUAN, "虎门镇村委会.xlsx", None, "m.iichajd.com/dm_4568 (村(居)民委员会)"),
    (DONGGUAN, "长安社区6月进展.xlsx", None, "diming.qi18.com 锦厦社区 (a 社区's name)"),
    (DONGGUAN, "长安镇锦厦社区居委会6月.xlsx", None, "diming.qi18.com 锦厦社区"),
    (DONGGUAN, "石龙镇居民委员会6月进展.xlsx", None, "nmhdgaokao.com 中山东社区居民委员会"),
    (DAZHU_TOWNS, "庙坝镇村委会6月.xlsx", None, "大竹's 名录"),
    # the town's own return, its communities a topic of it
    (DONGGUAN, "塘厦镇社区6月进展.xlsx", "塘厦镇", "QA162"),
    (DONGGUAN, "长安镇6月进展.xlsx", "长安镇", "名录"),
    (DONGGUAN, "长安6月.xlsx", "长安镇", "名录"),
    (DONGGUAN, "长安社区建设6月进展.xlsx", "长安镇", "名录"),
    (DAZHU_TOWNS, "庙坝镇6月进展.xlsx", "庙坝镇", "大竹's 名录"),
    # 3. another place written after the body: that place's body
    (DONGGUAN, "市场监管局-广州市.xlsx", None, "QA164's 广州市-民政局, reversed"),
    (DONGGUAN, "市场监管局（广州市）6月.xlsx", None, "QA164"),
    (DONGGUAN, "民政局_广东省广州市.xlsx", None, "QA164"),
    (DONGGUAN, "市场监管局 广州市", None, "QA164"),
    # the plan's own place, a town, a date, a word of no place after it: ours
    (DONGGUAN, "市场监管局-东莞市.xlsx", "市市场监管局", "名录"),
    (DONGGUAN, "市场监管局-全市汇总.xlsx", "市市场监管局", "名录"),
    (DONGGUAN, "市场监管局-6月.xlsx", "市市场监管局", "名录"),
    (DONGGUAN, "市民政局-广东省东莞市.xlsx", "市民政局", "名录"),
]


@pytest.mark.parametrize("directory, name, unit, source", ROWS, ids=[r[1] for r in ROWS])
def test_attribution(directory, name, unit, source):
    assert unit_in_names([name], directory) == unit, source
    assert directory.find_in(name) == unit, source


def test_a_listed_branch_is_still_that_unit():
    # a 名录 listing the branch: its own name is longest and found, as QA162 has it
    from toolkit.units import Directory, Unit
    directory = Directory([Unit("市公安局"), Unit("市公安局长安分局", "市直部门"), Unit("长安镇", "镇街", ("长安",))])
    assert unit_in_names(["东莞市公安局长安分局6月.xlsx"], directory) == "市公安局长安分局"
    assert unit_in_names(["东莞市公安局6月.xlsx"], directory) == "市公安局"


@pytest.mark.parametrize("text, end, branch", [
    ("市公安局塘厦分局6月", 6, True),
    ("市公安局塘厦镇派出所", 7, True),
    ("市司法局长安司法所", 6, True),
    ("市交通运输局虎门大桥维修", 8, False),
    ("市住建局塘厦镇中心小学改造", 7, False),
    ("市公安局塘厦镇治安整治", 7, False),
])
def test_branch_after_town(text, end, branch):
    assert branch_after_town(text, end) is branch


@pytest.mark.parametrize("text, end, short, body", [
    ("虎门镇村委会", 3, False, True),
    ("长安社区6月", 2, True, True),
    ("长安镇社区6月", 3, False, False),
    ("长安镇社区6月", 2, True, False),
    ("长安社区建设", 2, True, False),
    ("长安社区工作6月进展", 2, True, False),
])
def test_body_after_town(text, end, short, body):
    assert body_after_town(text, end, short) is body


@pytest.mark.parametrize("text, before", [
    ("市场监管局-广州市.xlsx", {5}),
    ("市场监管局-东莞市.xlsx", set()),
    ("市场监管局-对口帮扶韶关市.xlsx", set()),
    ("市场监管局-湖北.xlsx", {5}),
])
def test_before_other_place(text, before):
    k = key(text)
    assert before_other_place(k, marks_in(text, k), "东莞市") == before


def test_bare_city_names_need_a_list():
    """Left: 深圳 without its level is read as no place (no list of cities is kept: QA164),
    so 深圳 公安局 is still 东莞's 市公安局."""
    assert unit_in_names(["深圳 公安局.xlsx"], DONGGUAN) == "市公安局"
