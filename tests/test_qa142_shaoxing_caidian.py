"""QA142: two real published lists whose action was named wrong on import.

绍兴 2020 (http://www.sx.gov.cn/art/2020/5/14/art_1229265336_3684645.html, items 1-3 verbatim
from the stored copy, item 4 cut off there): an Excel progress sheet titled
``市政府2020年重点工作(预下达)一季度进展情况表``. Its title row names no 任务/清单/分工, so the
import took the action's name from the file name and printed ``shaoxing_zdgz_2020`` on every form.

蔡甸 2023 (https://www.caidian.gov.cn/zwgk/zc/zfwj/qzfbgwj/202302/t20230208_2147809.shtml,
蔡政办〔2023〕1号, letter and 一、(一)-(三) verbatim): ``2023年区《政府工作报告》确定的主要目标任务
责任分解方案`` was named ``政府工作报告`` (the report, not its tasks) because of 确定的.
Nothing here is invented; the documents are the corpus files built from sources/*.json.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.master import import_master
from toolkit.master.importer import project_name
from toolkit.vocab import Role

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


def test_shaoxing_progress_sheet_title_row_names_the_action():
    master = import_master(CORPUS / "shaoxing_zdgz_2020.xlsx")
    assert master.title == "市政府2020年重点工作(预下达)"
    # the 进展情况 column is no part of the task, and the one unit leads
    assert master.tasks[0].content.endswith("确保地区生产总值增长7%左右。")
    assert all(master.report.named[t.id] == [("市发改委", Role.LEAD)] for t in master.tasks)


def test_caidian_action_is_the_reports_tasks_not_the_report():
    master = import_master(CORPUS / "prose_caidian_2023.docx")
    assert master.title == "2023年区《政府工作报告》确定的主要目标任务"
    assert [t.content for t in master.tasks] == ["地区生产总值增长7%以上", "规上工业增加值增长12%以上",
                                                 "固定资产投资增长10%以上"]


def test_known_names_stay():
    assert project_name("2024年《政府工作报告》重点工作目标任务分解表", "x") == "2024年《政府工作报告》重点工作"
    assert project_name("2023年重点工作推进情况表", "x") == "2023年重点工作"


def test_an_issuer_titled_without_its_place_is_taken_as_the_letter_signs_it():
    """蔡甸's notice titles itself 区人民政府办公室关于印发…; its letter is signed 蔡甸区人民政府办公室
    over the date. Every 通报 is signed with the organiser: 区人民政府办公室 said no district."""
    from toolkit.master.importer import signed_in_full

    assert signed_in_full("区人民政府办公室", ["蔡甸区人民政府办公室", "2023年1月3日"]) == "蔡甸区人民政府办公室"
    assert signed_in_full("区人民政府办公室", ["蔡甸区人民政府办公室", "二〇二三年一月三日"]) == "蔡甸区人民政府办公室"
    # a sentence naming the office, a line with no date after it, a title naming its place
    assert signed_in_full("区人民政府办公室", ["请于月底前报区人民政府办公室。", "2023年1月3日"]) == ""
    assert signed_in_full("区人民政府办公室", ["蔡甸区人民政府办公室", "附件"]) == ""
    assert signed_in_full("东莞市人民政府办公室", ["东莞市人民政府办公室", "2023年1月3日"]) == ""
