"""A province's own 分工意见 run for a month (QA helper 98): 黑龙江省人民政府's 2013 意见 on its
《政府工作报告》 (tests/corpus/masters/prose_heilongjiang_2013.docx, source in the corpus README).

The document writes its units as a province's office does: ``（省财政厅主办，省国税局、地税局
协办）``, ``（省发改委、农委、统计局分别负责）``, the 省 of a list written once
(``省工信委、国土资源厅、…、商务厅协办`` beside ``省商务厅负责`` elsewhere), and its web copy runs
two items into one paragraph. The office's 单位名录 lists the departments by their full names
(黑龙江省财政厅), as the province's own lists do.
"""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.master.levels import place_left_out
from toolkit.period import Period
from toolkit.units import Directory, Unit
from toolkit.vocab import Role

DOCX = Path(__file__).parent / "corpus" / "masters" / "prose_heilongjiang_2013.docx"
LEAD, COOP = Role.LEAD, Role.COOP

# The office's directory: full names, 简称 only where the short name is not 省 + the rest.
DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
黑龙江省发展和改革委员会,省发改委,省直部门,,,fgw@hlj.gov.cn
黑龙江省财政厅,,省直部门,,,czt@hlj.gov.cn
黑龙江省国家税务局,省国税局,省直部门,,,gsj@hlj.gov.cn
黑龙江省地方税务局,省地税局,省直部门,,,dsj@hlj.gov.cn
黑龙江省工业和信息化委员会,省工信委,省直部门,,,gxw@hlj.gov.cn
黑龙江省国土资源厅,,省直部门,,,gtt@hlj.gov.cn
黑龙江省住房和城乡建设厅,省住建厅,省直部门,,,zjt@hlj.gov.cn
黑龙江省环境保护厅,省环保厅,省直部门,,,hbt@hlj.gov.cn
黑龙江省水利厅,,省直部门,,,slt@hlj.gov.cn
黑龙江省交通运输厅,,省直部门,,,jtt@hlj.gov.cn
黑龙江省农业委员会,省农委,省直部门,,,nw@hlj.gov.cn
黑龙江省商务厅,,省直部门,,,swt@hlj.gov.cn
黑龙江省人民政府金融工作办公室,省金融办,省直部门,,,jrb@hlj.gov.cn
黑龙江省统计局,,省直部门,,,tjj@hlj.gov.cn
黑龙江省物价监督管理局,省物价监管局,省直部门,,,wjj@hlj.gov.cn
黑龙江省科学技术厅,省科技厅,省直部门,,,kjt@hlj.gov.cn
黑龙江省林业厅,,省直部门,,,lyt@hlj.gov.cn
"""


def test_zhuban_leads_and_xieban_cooperates():
    """省财政厅主办 was a unit of that name, cooperating: task 1.2 had no lead (M106)."""
    parsed = parse_departments("(省财政厅主办,省国税局、地税局协办)")
    assert parsed.entries == [("省财政厅", LEAD), ("省国税局", COOP), ("地税局", COOP)]
    parsed = parse_departments("(省工信委主办,省发改委协办)")
    assert parsed.entries == [("省工信委", LEAD), ("省发改委", COOP)]


def test_fenbie_fuze_names_each_lead_without_the_word():
    """分别负责: each leads its part; 统计局分别 was a unit, given a form of its own."""
    parsed = parse_departments("(省发改委、农委、统计局分别负责)")
    assert parsed.entries == [("省发改委", LEAD), ("农委", LEAD), ("统计局", LEAD)]


def test_two_items_run_into_one_paragraph_are_two_tasks():
    """``(一)…(省发改委负责)(二)公共财政收入…(省财政厅主办,…)``: 公共财政收入 was no task, and
    its units were given to 地区生产总值 (1.1), which 省财政厅 then had to report on."""
    master = import_master(DOCX)
    by_id = {t.id: t for t in master.tasks}
    assert by_id["1.1"].content == "地区生产总值增长11%左右。"
    assert by_id["1.2"].content == "公共财政收入增长13%左右。"
    assert master.units_of("1.1", LEAD) == ["省发改委"] and not master.units_of("1.1", COOP)
    assert master.units_of("1.2", LEAD) == ["省财政厅"]
    assert "2.1.2" in by_id and by_id["2.1.2"].content.startswith("重点抓好哈尔滨中小型燃气轮机")


def test_items_under_a_second_heading_keep_its_number():
    """二、(一)1. was 1.1 like 一、(一), renamed 1.1-2 with an M105: ids name the whole chain."""
    master = import_master(DOCX)
    assert [t.id for t in master.tasks][-2:] == ["2.1.1", "2.1.2"]
    assert not [i for i in master.issues if i.code == "M105"]


def test_the_level_written_once_for_a_list_is_every_units():
    """商务厅 in ``省工信委、…、商务厅协办`` is the 省商务厅 that leads 1.5: it was a second unit
    (and form) beside it. Said, for the office to check."""
    master = import_master(DOCX)
    units = {a.unit for a in master.assignments}
    assert "省商务厅" in units and "商务厅" not in units
    assert master.units_of("1.3", COOP).count("省商务厅") == 1
    said = [i.message for i in master.issues if i.code == "M104"]
    assert any("“商务厅”" in m and "前承上文省略了单位级别" in m and "“省商务厅”" in m for m in said)


def test_a_name_without_the_province_finds_the_directory_unit():
    """省财政厅 is 黑龙江省财政厅; two provinces' 财政厅 make it nobody's."""
    d = Directory([Unit("黑龙江省财政厅", "省直部门"), Unit("黑龙江省发展和改革委员会", "省直部门", ("省发改委",))])
    short = place_left_out(d)
    assert short["省财政厅"] == short["财政厅"] == "黑龙江省财政厅"
    assert short["省发展和改革委员会"] == "黑龙江省发展和改革委员会" and "省发改委" not in short
    d.add(Unit("吉林省财政厅", "省直部门"))
    assert "省财政厅" not in place_left_out(d) and "财政厅" not in place_left_out(d)


def test_a_month_issued_to_the_directory_units(tmp_path):
    """With the office's directory of full names, every form goes to a directory unit and its
    mailbox: 省财政厅, 统计局, 国土资源厅 … were new units without a mailbox (M102), and the
    directory's 黑龙江省财政厅 got no form."""
    csv = tmp_path / "名录.csv"
    csv.write_text(DIRECTORY, encoding="utf-8")
    ws, master = init_workspace(tmp_path / "ws", DOCX, period=Period(2013, 6), directory_csv=csv)
    assert not [i.message for i in master.issues if i.code == "M102"]
    directory = {u.name for u in master.directory}
    assert {a.unit for a in master.assignments} <= directory and len(master.directory) == 17
    assert master.units_of("1.7", LEAD) == ["黑龙江省发展和改革委员会", "黑龙江省农业委员会", "黑龙江省统计局"]
    issue_returns(ws, Period(2013, 6), emails=True)
    issued = ws.root / "下发" / "2013年6月"
    assert len(list(issued.glob("*.xlsx"))) == 17
    draft = email.message_from_bytes((issued / "2013年6月_黑龙江省财政厅_进展填报表.eml").read_bytes(),
                                     policy=policy.default)
    assert draft["To"] == "czt@hlj.gov.cn"


def test_a_leader_is_no_unit_and_zong_qiantou_leads():
    """黑政办发〔2009〕17号 (十大工程推进工作方案): ``任务分工：吕维峰副省长负责，省农委总牵头``. The
    vice-governor was a unit that led, and 省农委总 another."""
    parsed = parse_departments("任务分工：吕维峰副省长负责，省农委总牵头。")
    assert parsed.entries == [("省农委", LEAD)]
    assert any("吕维峰副省长" in p and "领导" in p for p in parsed.problems)
    assert parse_departments("市长热线办公室负责").entries == [("市长热线办公室", LEAD)]


def test_governments_listed_by_level_stay_one_group_before_a_role_word():
    """``各县、市、区政府负责`` and 黑龙江's ``相关市、县政府负责`` (黑龙江省促进经济稳增长的若干措施,
    newton.com.tw copy): the role
    word on the last part kept it from the phrase, so 区政府 (县政府) became a unit that led."""
    assert parse_departments("各县、市、区政府负责").entries == [("各县、市、区政府", LEAD)]
    parsed = parse_departments("(省发改委、铁路办、哈尔滨铁路局、相关市、县政府负责)")
    assert parsed.entries[-1] == ("相关市、县政府", LEAD) and ("县政府", LEAD) not in parsed.entries
    assert parse_departments("市发改局牵头，各县、市、区政府配合").entries == [
        ("市发改局", LEAD), ("各县、市、区政府", COOP)]
