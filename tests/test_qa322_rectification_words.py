"""QA322: a 整改清单 (序号 | 问题类别 | 存在问题 | 整改措施 | 责任单位 | 整改时限) imported right since
QA318/QA320, but everything made from it spoke of a 任务分工 plan: the form and the 汇总表 put the
problem under 工作任务 and the measures under 具体工作内容 (and the form's own 存在问题 column beside
them), the 通报 listed a problem put right as 已完成任务 under 关于…问题整改清单进展情况的通报, its
table headed 一级任务. The master knows it is a 整改清单 (`Master.kind`, decided at import, kept in
the master workbook's _meta and the form's); a plan's outputs are as they were."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from conftest import sheet_table
from openpyxl import load_workbook

from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling, fill_return
from toolkit.form_guide import GUIDE_SHEET
from toolkit.master import import_master, read_master_workbook, write_master_workbook
from toolkit.memo import sentences
from toolkit.memo.naming import memo_filename, memo_title
from toolkit.period import Period
from toolkit.rectification import KIND, RECTIFICATION, memo_project
from toolkit.resources import resource
from toolkit.returns import HEADER_ROW, HEADERS, SHEET, build_return, read_return
from toolkit.settings import Limits
from toolkit.style import load_style
from toolkit.units import say_sections

JUNE = Period(2024, 6)
ROWS = [["序号", "问题类别", "存在问题", "整改措施", "责任单位", "整改时限"],
        ["1", "一、全面从严治党方面", "干部作风不实，督促检查不到位。", "开展作风专项整治。", "机关党委", "立行立改"],
        ["2", None, "公务用车管理不规范。", "修订公务用车管理办法。", "局办公室", "2024年6月底前"],
        ["3", "二、基层党组织建设方面", "“三会一课”落实不严格。", "建立支部工作纪实台账。", "机关党委",
         "2024年9月底前"]]


@pytest.fixture(scope="module")
def rectification(tmp_path_factory):
    return import_master(sheet_table(tmp_path_factory.mktemp("r") / "巡察反馈问题整改清单.xlsx", ROWS, ("B2:B3",)))


def _form(master, unit: str = "机关党委") -> bytes:
    wb = build_return(master, unit, JUNE, dt.date(2024, 7, 5), master.title,
                      load_style(resource("templates", "样式.toml")), generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_rectification_list_is_known_as_one_at_import(rectification):
    assert rectification.kind == KIND == "整改清单"


@pytest.mark.parametrize("rows", [
    [["序号", "工作任务", "具体内容", "责任单位", "完成时限"], ["1", "建成城市书房。", "建成10家。", "县文广旅体局", "2024年底前"]],
    # a progress report's 存在问题 beside no 整改 measures is read by nothing (QA318): no 整改清单
    [["序号", "工作任务", "责任单位", "进展情况", "存在问题"], ["1", "建成城市书房10家。", "县文广旅体局", "已建成3家。", "选址难。"]],
    # 整改措施 without a problem column: measures alone are a plan's tasks
    [["序号", "整改措施", "责任单位", "整改时限"], ["1", "开展集中清理。", "县住建局", "2024年6月底前"]],
])
def test_a_plan_is_no_rectification_list(tmp_path, rows):
    assert import_master(sheet_table(tmp_path / "t.xlsx", rows)).kind == ""


def test_the_master_workbook_keeps_the_kind_and_an_old_one_reads_as_a_plan(tmp_path, rectification):
    (tmp_path / ".duban").mkdir()  # a workspace: the second read comes from the cache
    path = write_master_workbook(rectification, tmp_path / "任务分工表.xlsx")
    meta = dict(load_workbook(path)["_meta"].values)
    assert meta["kind"] == "整改清单"
    assert read_master_workbook(path).kind == "整改清单"
    from toolkit.master import workbook

    workbook._last = None  # as another command would: from the cache
    assert (tmp_path / ".duban" / "master_cache.json").exists()
    assert read_master_workbook(path).kind == "整改清单"
    # a workspace made before QA322 has no kind in its _meta: read as a plan, as before
    wb = load_workbook(path)
    ws = wb["_meta"]
    ws.delete_rows(next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "kind"))
    wb.save(tmp_path / "old.xlsx")
    assert read_master_workbook(tmp_path / "old.xlsx").kind == ""


def test_a_plans_master_workbook_writes_no_kind(tmp_path):
    plan = import_master(sheet_table(tmp_path / "t.xlsx", [["序号", "工作任务", "责任单位", "完成时限"],
                                                           ["1", "建成城市书房10家。", "县文广旅体局", "2024年底前"]]))
    path = write_master_workbook(plan, tmp_path / "任务分工表.xlsx")
    assert "kind" not in dict(load_workbook(path)["_meta"].values)


def test_the_form_speaks_of_problems_and_measures(rectification):
    data = _form(rectification)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    assert ws["A1"].value == "巡察反馈问题整改进展填报表（2024年6月）"
    assert [c.value for c in ws[HEADER_ROW]] == [
        "任务编号", "问题类别", "问题子类", "存在问题", "整改措施", "整改时限", "责任类型", "完成状态", "完成进度(%)",
        "整改进展", "存在困难", "下一步计划", "预计完成时间", "佐证材料"]
    assert [c.value for c in ws[HEADER_ROW + 1]][:6] == [
        "1", "一、全面从严治党方面", None, "干部作风不实，督促检查不到位。", "开展作风专项整治。", "立行立改"]
    assert ["kind", "整改清单"] in [[c.value for c in row] for row in wb["_meta"].iter_rows(max_col=2)]
    guide = {r[0]: r[1] for r in wb[GUIDE_SHEET].iter_rows(values_only=True) if r[0]}
    assert guide["怎么填"] == ("只填写白色单元格：完成状态、完成进度(%)、整改进展、存在困难、下一步计划、预计完成时间、佐证材料，"
                            "以及表头的填报人、联系电话、审核人、填报日期。灰色的问题和整改措施不能修改。")
    assert guide["完成状态"] == "已完成：问题已整改到位，完成进度填 100，并在“佐证材料”写明文号或链接。"
    assert guide["整改进展"].startswith("必填。写本期采取了哪些整改措施、成效如何")
    assert guide["本期到期"] == "本期没有到期的整改任务。"
    lines = [r[1] for r in wb[GUIDE_SHEET].iter_rows(values_only=True) if r[1]]
    assert ("滞后：进度落后于整改时限，必须在“存在困难”写明原因和困难。已超过整改时限仍未整改到位的，应选“滞后”。"
            in lines)


def test_a_filled_form_reads_back_without_a_word_on_its_columns(rectification):
    """存在问题 is the problem (locked), 存在困难 the department's: read as the 工作任务 column was, the
    problem became every row's 存在问题 and the form was said to have renamed its columns."""
    data = fill_return(_form(rectification), Filling(default=Answer("滞后", 30, "已召开专题会议。", problems="涉及人员多。")))
    raw = read_return(data, "机关党委.xlsx", Limits())
    assert raw.columns == {f: c for c, f in enumerate(("task", "level1", "level2", "name", "content", "deadline", "role",
                                                        "status", "progress", "work", "problems", "next_plan", "eta",
                                                        "evidence"))}
    assert [(r.values["name"], r.values["problems"]) for r in raw.rows] == [
        ("干部作风不实，督促检查不到位。", "涉及人员多。"), ("“三会一课”落实不严格。", "涉及人员多。")]
    report = check_return(data, "机关党委.xlsx", CheckContext(rectification, Limits(), period=JUNE))
    assert [i.code for i in report.issues] == []
    assert [(r.task, r.problems) for r in report.rows] == [("1", "涉及人员多。"), ("3", "涉及人员多。")]


def test_a_column_deleted_is_named_as_the_form_printed_it(rectification):
    """The department deletes 存在困难: E301 names it so, not 存在问题 (the form's problem column)."""
    wb = load_workbook(io.BytesIO(fill_return(_form(rectification), Filling(default=Answer("序时推进", 50, "推进中。")))))
    wb[SHEET].delete_cols(11)
    out = io.BytesIO()
    wb.save(out)
    report = check_return(out.getvalue(), "机关党委.xlsx", CheckContext(rectification, Limits(), period=JUNE))
    assert [(i.code, "“存在困难”" in i.message) for i in report.issues] == [("E301", True)]


def test_the_checks_name_the_forms_own_columns(rectification):
    """滞后 without a word in 存在困难: E603 sent the department to 存在问题, the locked problem."""
    data = fill_return(_form(rectification), Filling(answers={"1": Answer("滞后", 30, "无"), "3": Answer("滞后", 30, "")}))
    report = check_return(data, "机关党委.xlsx", CheckContext(rectification, Limits(), period=JUNE))
    assert [(i.code, i.message) for i in report.issues if i.code in ("E506", "W510", "E603")] == [
        ("W510", "任务 1 的整改进展只写了“无”。请简述本期做了什么；确无进展的，请写明原因。"),
        ("E603", "任务 1 状态为“滞后”，但未填写存在困难。请说明滞后原因和困难。"),
        ("E506", "任务 3 未填写整改进展。请简述本期整改进展。"),
        ("E603", "任务 3 状态为“滞后”，但未填写存在困难。请说明滞后原因和困难。")]


def test_a_plans_form_is_as_before(tmp_path):
    plan = import_master(sheet_table(tmp_path / "t.xlsx", [["序号", "工作任务", "具体内容", "责任单位", "完成时限"],
                                                           ["1", "建成城市书房。", "建成10家。", "县文广旅体局", "2024年底前"]]))
    ws = load_workbook(io.BytesIO(_form(plan, "县文广旅体局")))[SHEET]
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADERS


@pytest.mark.parametrize("project, said", [
    ("巡察反馈问题整改清单", "巡察反馈问题整改"), ("审计发现问题整改台账", "审计发现问题整改"),
    ("县委第一巡察组反馈问题清单", "县委第一巡察组反馈问题整改"), ("反馈意见整改任务清单", "反馈意见整改"),
    ("巡察整改工作", "巡察整改工作"), ("整改清单", "整改")])
def test_the_memo_title_names_the_rectification_not_the_list(project, said):
    assert memo_project(project) == said
    assert memo_title(JUNE, memo_project(project)) == f"关于2024年6月{said}进展情况的通报"


def test_the_memo_file_is_named_as_its_title(rectification):
    cons = SimpleNamespace(project="巡察反馈问题整改清单", period=JUNE, master=rectification)
    assert memo_filename(cons) == "关于2024年6月巡察反馈问题整改进展情况的通报.docx"


def test_section_two_says_problems_put_right():
    c = SimpleNamespace(completed=[1, 2])
    assert sentences.completed_text(c, True, RECTIFICATION) == "本期新完成整改2项："
    assert sentences.completed_text(c, False, RECTIFICATION) == "截至本期已完成整改2项："
    assert sentences.completed_text(SimpleNamespace(completed=[]), True, RECTIFICATION) == "本期没有新完成整改的问题。"
    assert sentences.completed_text(c, True) == "本期新完成任务2项："


# ---- a month played on a 整改清单 (slow: run in CI, out of the quick loop) ----

@pytest.fixture(scope="module")
def played(tmp_path_factory):
    import os
    import shutil

    from conftest import played_month, set_clock, shanghai

    tmp = tmp_path_factory.mktemp("played")
    table = sheet_table(tmp / "县委第一巡察组反馈问题整改清单.xlsx", [
        *ROWS, ["4", None, "党员发展程序不规范。", "开展党员发展工作专项检查。", "组织人事科", "2024年5月底前"]],
        ("B2:B3", "B4:B5"))
    root = tmp / "ws"
    mp, log, run = played_month(root, dt.date(2024, 6, 25), "--master", str(table), "--period", "2024-06",
                                "--organiser", "中共某县委巡察工作领导小组办公室")
    run("issue", "--period", "2024-06")
    forms = {f.stem.split("_")[1]: f for f in (root / "下发" / "2024年6月").glob("*.xlsx")}
    sent = {"机关党委": Filling(answers={"1": Answer("已完成", 100, "已开展作风专项整治。", evidence="党委〔2024〕5号"),
                                     "3": Answer("序时推进", 50, "已建立支部工作纪实台账。")}),
            "局办公室": Filling(default=Answer("已完成", 100, "已修订公务用车管理办法并印发。", evidence="办〔2024〕12号"))}
    (root / "收件箱").mkdir(exist_ok=True)
    for unit, filling in sent.items():
        path = root / "收件箱" / forms[unit].name
        path.write_bytes(fill_return(forms[unit], filling))
        stamp = shanghai(dt.datetime(2024, 7, 3, 10, 0))
        os.utime(path, (stamp, stamp))
    set_clock(mp, dt.date(2024, 7, 10))
    for command in (("collect",), ("merge",), ("memo", "--format", "md"), ("memo",)):
        run(*command)
    yield root, log
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.slow
def test_the_summary_book_speaks_of_problems_and_measures(played):
    root, log = played
    assert "采纳 2，退回 0" in log["collect"]
    wb = load_workbook(root / "汇总" / "2024年6月" / "2024年6月_进展汇总表.xlsx")
    headers = {n: [v for v in next(r for r in wb[n].iter_rows(min_row=3, max_row=3, values_only=True)) if v]
               for n in ("任务汇总", "单位明细", "滞后超期")}
    # the plan's units are a bureau's own (机关党委, 局办公室, 组织人事科): 科室 (QA337), as its 汇总表 says
    assert headers == {name: [say_sections(h) for h in row] for name, row in {
        "任务汇总": ["任务编号", "问题类别", "存在问题", "整改时限", "牵头单位", "综合状态", "进度(%)", "是否超期",
                  "各单位整改进展", "存在困难", "未报送单位"],
        "单位明细": ["任务编号", "问题类别", "存在问题", "整改时限", "单位", "责任类型", "完成状态", "完成进度(%)", "整改进展",
                  "存在困难", "下一步计划", "预计完成时间", "佐证材料", "报送文件", "报送时间"],
        "滞后超期": ["任务编号", "存在问题", "整改措施", "整改时限", "综合状态", "是否超期", "牵头单位", "牵头单位状态", "存在困难"]
    }.items()}
    assert wb["任务汇总"]["A1"].value == "县委第一巡察组反馈问题整改任务汇总（2024年6月）"
    firsts = [r[0] for r in wb["总览"].iter_rows(values_only=True) if r[0]]
    assert firsts[0] == "县委第一巡察组反馈问题整改进展汇总表（2024年6月）"
    assert {"超期未完成（整改时限已过）", "三、各类问题整改进展（整改任务数）", "问题类别"} <= set(firsts)
    # 总览 counts 整改任务, as the 通报 and the merge screen do (QA334)
    rows = [[v for v in r if v is not None] for r in wb["总览"].iter_rows(values_only=True)]
    assert ["一、整改任务进展"] in rows and ["指标", "整改任务数", "占比"] in rows and ["整改任务总数", 4, 1] in rows
    assert ["科室", "应报整改任务数", "已完成数", "滞后数", "平均进度(%)", "报送状态"] in rows
    assert "任务" not in "".join(str(v) for r in rows for v in r).replace("整改任务", "")
    assert "应报整改任务数" in [c.value for c in wb["报送情况"][3]]


@pytest.mark.slow
def test_the_memo_speaks_of_the_rectification(played):
    root, _log = played
    folder = root / "通报" / "2024年6月"
    text = (folder / "关于2024年6月县委第一巡察组反馈问题整改进展情况的通报.md").read_text(encoding="utf-8")
    assert text.startswith("# 关于2024年6月县委第一巡察组反馈问题整改进展情况的通报\n")
    assert ("根据县委第一巡察组反馈问题整改清单安排，各责任科室按月报送整改进展情况。"
            "现将2024年6月整改进展情况通报如下：") in text
    assert "县委第一巡察组反馈问题整改清单共4项整改任务。截至2024年6月底，已完成整改2项（占50%）" in text
    assert "## 二、本期完成整改情况\n\n截至本期已完成整改2项：\n1. 干部作风不实，督促检查不到位（任务1，牵头科室：机关党委）" in text
    assert "## 三、整改滞后及超期情况" in text and "## 五、下月到期整改任务" in text
    assert "牵头科室：组织人事科；整改时限：2024年5月底前；进展情况：牵头科室未报送进展，已超过整改时限。" in text
    # 六's points: a problem has its 整改措施 already; 存在困难 is what holds it up (QA328)
    assert "（一）加快推进滞后整改。超过整改时限的整改任务，牵头科室要认真分析原因，针对存在困难加大整改力度，" in text, text.split("## 六")[1]
    assert "## 五、下月到期整改任务\n\n2024年7月没有到期的整改任务。" in text
    for word in ("已完成任务", "一级任务", "完成时限", "本期完成的任务", "制定整改措施"):
        assert word not in text
    from docx import Document

    doc = Document(str(folder / "关于2024年6月县委第一巡察组反馈问题整改进展情况的通报.docx"))
    paragraphs = [p.text for p in doc.paragraphs]
    assert {"二、本期完成整改情况", "三、整改滞后及超期情况", "五、下月到期整改任务", "2024年6月各类问题整改进展情况"} \
        <= set(paragraphs)
    assert doc.tables[0].rows[0].cells[0].text == "问题类别"


@pytest.mark.slow
def test_the_screens_count_problems_to_put_right(played):
    """QA334: `duban init`, `issue` and `merge` of a 整改清单 say 整改任务 and 整改时限, as its form,
    汇总表 and 通报 do (they said 任务 4 项, 各任务牵头单位, 完成时限没有写具体日期)."""
    root, log = played
    said = {k: v.replace(str(root), "<ws>") for k, v in log.items()}
    assert said["init"] == (
        "已创建工作区：<ws>\n专项行动：县委第一巡察组反馈问题整改清单\n整改任务 4 项\n  一、全面从严治党方面：2 项\n"
        "  二、基层党组织建设方面：2 项\n责任单位 3 个：科室 3 个\n"
        "督办单位（通报落款）：中共某县委巡察工作领导小组办公室（命令行 --organiser）\n"
        "读取方式：Excel 表格；单位名录：无（单位按表中写法建立，单位集合不展开）\n"
        "分工表没有标题，专项行动名称取自文件名“县委第一巡察组反馈问题整改清单”：它会印在填报表、汇总表和通报上，"
        "请在 duban.toml 的 name 中改成正式名称。\n"
        "1 项整改任务的整改时限为“立行立改”（没有写日期），按无时限导入，不判逾期：任务 1。"
        "如要到期未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”。\n"
        "各整改任务牵头单位：\n  1 机关党委\n  2 局办公室\n  3 机关党委\n  4 组织人事科\n问题：错误 0 个，警告 1 个\n"
        "  [警告 M110] 县委第一巡察组反馈问题整改清单.xlsx：导入时没有使用单位名录：3 个单位按表中写法建立，单位集合不展开。"
        "请用 --directory 指定本地的单位名录（CSV）后重新导入。\n任务清单：<ws>/任务分工表.xlsx\n"
        "下一步：运行 duban issue 下发2024年6月的填报表（当前期次，已写入 duban.toml；其他月份用 --period 指定）。\n")
    assert said["issue"] == (
        "已生成 2024年6月进展填报表 3 份（报送截止：2024年7月5日）\n文件夹：<ws>/下发/2024年6月\n"
        "请核实：任务 1“立行立改” 的整改时限没有写具体日期，不判断是否超期，也不列入下月到期整改任务。"
        "如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 2024-12-31）。\n"
        "下一步：把填报表发给各单位（加 --emails 生成邮件草稿）；收到的回件放进“收件箱”文件夹，"
        "运行 duban collect（或双击“2-收取并汇总”）。\n")
    assert said["merge"] == (
        "2024年6月：整改任务 4 项，已完成 2，序时推进 1，滞后 0，未启动 0，未报送 1；超期未完成 1\n"
        "报送：应报 3 个单位，按时 2，逾期 0，未报送 1，退回待改 0\n汇总表：<ws>/汇总/2024年6月/2024年6月_进展汇总表.xlsx\n")


@pytest.mark.slow
def test_the_memo_table_and_the_charts_count_problems(played):
    """QA334: the 通报's table heads its count 整改任务数, and 总览's charts are titled as its rows."""
    import zipfile

    from docx import Document

    root, _log = played
    doc = Document(str(root / "通报" / "2024年6月" / "关于2024年6月县委第一巡察组反馈问题整改进展情况的通报.docx"))
    assert [c.text for c in doc.tables[0].rows[0].cells][:2] == ["问题类别", "整改\n任务数"]
    with zipfile.ZipFile(root / "汇总" / "2024年6月" / "2024年6月_进展汇总表.xlsx") as z:
        charts = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
    assert "整改任务综合状态占比" in charts and "<a:t>整改任务数</a:t>" in charts and "各类问题整改进展" in charts
