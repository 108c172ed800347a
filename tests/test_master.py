"""Issue 2: master-list import from the published table, the master workbook, init."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import encrypted

from toolkit import errors
from toolkit.master import import_master, parse_departments, read_master_workbook, write_master_workbook
from toolkit.units import default_directory
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP

D = dt.date
SZ = "市政务服务数据管理局"
TOWNS = "TOWNS"
CITY = "CITY"
DEC = D(2022, 12, 31)
JUN = D(2022, 6, 30)
SEP = D(2022, 9, 30)
ONGOING = "ongoing"

# id: (工作任务, deadline, leads, coops, open-ended). Written by hand from seed/任务分工表_原文.txt;
# TOWNS / CITY stand for the expanded groups 各镇街（园区） / 市各有关部门.
EXPECTED = {
    "1.1": ("加快出台系列规范性文件", JUN, [SZ], [], False),
    "1.2": ("对标对表提升整改", JUN, [SZ, TOWNS], [], False),
    "2.1": ("实行行政许可事项清单管理工作", DEC, ["市府办", SZ, CITY], [], False),
    "2.2": ("全流程动态管理事项", D(2022, 3, 31), [SZ], [], False),
    "2.3": ("制定“事项与负责人”匹配清单", JUN, [CITY], [SZ], False),
    "2.4": ("统一办事指南", ONGOING, [CITY], [SZ], False),
    "2.5": ("简化事项办理流程", DEC, ["市交通运输局", "市市场监管局", "市文化广电旅游体育局"], [SZ], True),
    "2.6": ("开展“跨域通办”", DEC, [SZ, "市公安局", "市民政局", "市人力资源社会保障局", "市卫生健康局",
                                "市市场监管局", "市医保局", "东莞市税务局"], [], True),
    "3.1": ("落实“收件即受理”", JUN, ["市公安局", "市交通运输局", "市市场监管局", "市卫生健康局",
                                 "市文化广电旅游体育局", "市人力资源社会保障局"], [SZ], True),
    "3.2": ("落实容缺受理、告知承诺制和限时办结制", JUN, ["市司法局", "市交通运输局", "市公安局", "市林业局",
                                           "市市场监管局", "市卫生健康局", "市自然资源局"], [SZ], True),
    "3.3": ("严格管理退件率", ONGOING, [SZ], [], False),
    "4.1": ("规范“一门集中”", SEP, [CITY], [SZ], False),
    "4.2": ("深化“一窗受理”", ONGOING, ["市市场监管局", "市民政局", "市人力资源社会保障局", "市住房城乡建设局"],
            [SZ], True),
    "4.3": ("优化导办服务", SEP, [SZ, TOWNS], [], False),
    "5.1": ("党群服务中心政务服务窗口建设", DEC, [SZ, TOWNS], [], False),
    "5.2": ("拓展、规范村级事项", DEC, [SZ, TOWNS], ["市民政局", "市人力资源社会保障局"], True),
    "5.3": ("提升镇村人员统筹力度", DEC, [TOWNS], [], False),
    "6.1": ("扩大覆盖范围", DEC, [SZ, "市金融工作局", TOWNS], [], False),
    "6.2": ("拓展可办事项", DEC, ["市卫生健康局", "东莞市税务局"], [SZ], False),
    "6.3": ("优化服务模式", DEC, [SZ, TOWNS], [], False),
    "7.1": ("配套设施设备", DEC, [SZ, "市残联", TOWNS], [], False),
    "7.2": ("开展帮办代办", ONGOING, [SZ, "市残联", TOWNS], [], False),
    "7.3": ("智能化设备进行适老化改造", SEP, [SZ], [], False),
    "7.4": ("常态化落实疫情防控措施", ONGOING, [SZ, TOWNS], [], False),
    "8.1": ("拓展网办深度", DEC, ["市人力资源社会保障局", "市住房公积金管理中心", "市市场监管局", "市住房城乡建设局"],
            [SZ], True),
    "8.2": ("加强线下网办辅导", DEC, [SZ, TOWNS], [], False),
    "8.3": ("上线政务服务地图", DEC, [SZ], [], False),
    "9.1": ("开展远程帮办服务", DEC, [SZ, TOWNS], [], False),
    "9.2": ("探索热线网办辅助服务", DEC, [SZ], [], False),
    "9.3": ("整合热线知识库", DEC, ["市人力资源社会保障局", "市医保局", "市住房公积金管理中心", "市公安局"], [SZ], True),
    "10.1": ("打造线上“莞家”品牌", DEC, [SZ], [], False),
    "10.2": ("打造线下“莞家”品牌", DEC, [SZ, TOWNS], [], False),
    "11.1": ("工程建设项目审批帮办代办服务", DEC, [SZ, "市投资促进局", "市发展改革局", "市自然资源局",
                                       "市住房城乡建设局", TOWNS], [], False),
    "11.2": ("代办服务平台", DEC, [SZ, TOWNS], [], False),
    "12.1": ("加强系统对接", DEC, [SZ], [], False),
    "12.2": ("统一运营运维", DEC, [SZ], [], False),
    "13.1": ("深化电子证照应用", DEC, [SZ, "市住房城乡建设局", "市市场监管局", "市自然资源局"], [], True),
    "13.2": ("深化电子签名和电子印章应用", DEC, [SZ], ["市市场监管局", "市人力资源社会保障局", "市住房公积金管理中心",
                                                "市公共资源交易中心"], False),
    "13.3": ("深化电子档案应用", DEC, [SZ], [], False),
    "14.1": ("提高共享数据质量", DEC, [SZ], [CITY, TOWNS], False),
    "15.1": ("加快基层培训考核标准建立", DEC, [SZ, TOWNS], [], False),
    "15.2": ("加强对部门进驻人员管理", DEC, [SZ, TOWNS], [], False),
    "16.1": ("加强对审批人员、镇街管理人员培训", None, [], [], False),
}


def expand(names: list[str], directory) -> list[str]:
    out: list[str] = []
    for n in names:
        if n == TOWNS:
            out += directory.of_kind("镇街")
        elif n == CITY:
            out += directory.of_kind("市直部门")
        else:
            out.append(n)
    return out


@pytest.fixture(scope="module")
def seed(seed_docx):
    return import_master(seed_docx)


def test_seed_has_43_tasks_in_order(seed):
    assert [t.id for t in seed.tasks] == list(EXPECTED)
    assert len(seed.tasks) == 43
    assert seed.title == "东莞市2022年政务服务全域标准化专项行动"


@pytest.mark.parametrize("task_id", list(EXPECTED))
def test_seed_task(seed, task_id):
    name, deadline, leads, coops, open_ended = EXPECTED[task_id]
    t = seed.task(task_id)
    assert t.name == name
    if deadline == ONGOING:
        assert t.ongoing and t.deadline is None
    else:
        assert not t.ongoing and t.deadline == deadline
    assert t.open_ended is open_ended
    # Named units win over group members: 2.3 市各有关部门负责，市政数局配合 leaves 市政数局 配合 only.
    want = {u: LEAD for u in leads if u not in (TOWNS, CITY)}
    want.update({u: COOP for u in coops if u not in (TOWNS, CITY)})
    groups = [(g, LEAD) for g in leads if g in (TOWNS, CITY)] + [(g, COOP) for g in coops if g in (TOWNS, CITY)]
    for group, role in groups:
        for u in expand([group], seed.directory):
            want.setdefault(u, role)
    got = [(a.unit, a.role) for a in seed.assignments if a.task == task_id]
    assert dict(got) == want
    assert len(got) == len(want), "one role per unit and task"


def test_incomplete_task_kept_and_flagged(seed):
    t = seed.task("16.1")
    assert not t.complete
    assert t.content == "" and t.deadline_text == ""
    problems = [i for i in seed.issues if i.task == "16.1"]
    assert [i.code for i in problems] == ["M101"]
    assert "具体工作内容、完成时限、责任部门" in problems[0].message
    assert problems[0].sheet == "表格1" and problems[0].cell == "第45行"
    assert all(t.complete for t in seed.tasks if t.id != "16.1")
    assert len(seed.issues) == 1


def test_deadlines_as_published(seed):
    assert seed.task("1.1").deadline_text == "2022年6月"
    assert seed.task("1.1").deadline == D(2022, 6, 30)
    assert seed.task("2.4").deadline_text == "长期开展"


def test_group_expansion_sizes(seed):
    towns = seed.directory.of_kind("镇街")
    city = seed.directory.of_kind("市直部门")
    assert len(towns) == 33 and "松山湖高新区" in towns and "莞城街道" in towns
    assert len(city) == 21
    # 14.1: 市政数局负责，市各有关部门，各镇街（园区）配合
    coops = seed.units_of("14.1", COOP)
    assert set(coops) == (set(city) - {SZ}) | set(towns)
    assert seed.units_of("14.1", LEAD) == [SZ]
    assert len(seed.units_with_tasks()) == 54


@pytest.mark.parametrize("text, entries, open_ended", [
    ("市政务服务数据管理局，各镇街（园区）负责；市民政局、市人力资源社会保障局等有关部门配合",
     [(SZ, LEAD), ("各镇街（园区）", LEAD), ("市民政局", COOP), ("市人力资源社会保障局", COOP)], True),
    ("市政务服务数据管理局负责，市各有关部门，各镇街（园区）配合",
     [(SZ, LEAD), ("市各有关部门", COOP), ("各镇街（园区）", COOP)], False),
    ("市卫生健康局、东莞市税务局负责，市政务服务数据管理局配合",
     [("市卫生健康局", LEAD), ("东莞市税务局", LEAD), (SZ, COOP)], False),
    ("市公安局", [("市公安局", LEAD)], False),
    ("市公安局牵头，市民政局协助", [("市公安局", LEAD), ("市民政局", COOP)], False),
])
def test_department_grammar(text, entries, open_ended):
    parsed = parse_departments(text)
    assert parsed.entries == entries
    assert parsed.open_ended is open_ended
    assert parsed.problems == []


def test_department_grammar_reports_dangling_units():
    parsed = parse_departments("市公安局负责，市民政局")
    assert parsed.entries == [("市公安局", LEAD), ("市民政局", COOP)]
    assert parsed.problems and "缺少" in parsed.problems[0]


def test_aliases_resolve():
    d = default_directory()
    assert d.resolve("市政数局") == SZ
    assert d.resolve("市人社局") == "市人力资源社会保障局"
    assert d.resolve("东莞市公安局") == "市公安局"
    assert d.resolve("市住建局") == "市住房城乡建设局"
    assert d.resolve("松山湖") == "松山湖高新区"
    assert d.find_in("2022年6月_虎门镇_进展填报表(1)") == "虎门镇"
    assert d.find_in("进展表") is None


def test_master_workbook_round_trip(seed, tmp_path):
    path = write_master_workbook(seed, tmp_path / "任务分工表.xlsx")
    back = read_master_workbook(path)
    assert back.tasks == seed.tasks
    assert back.assignments == seed.assignments
    assert back.directory.units == seed.directory.units
    assert back.fingerprint == seed.fingerprint
    assert back.title == seed.title


def test_master_workbook_sheets(seed, tmp_path):
    from openpyxl import load_workbook

    path = write_master_workbook(seed, tmp_path / "m.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["任务清单", "责任分工", "单位名录"]
    header = [c.value for c in wb["任务清单"][1]][:11]
    assert header == ["任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "截止日期", "长期",
                      "牵头单位", "配合单位", "备注"]
    assert [c.value for c in wb["责任分工"][1]] == ["任务编号", "单位", "责任类型", "来源"]
    assert [c.value for c in wb["单位名录"][1]] == ["单位", "简称/别名", "类别", "联系人", "电话", "邮箱"]
    rows = {r[0]: r for r in wb["任务清单"].iter_rows(min_row=2, values_only=True)}
    assert rows["1.1"][6].date() == D(2022, 6, 30) and rows["1.1"][7] == "否"
    assert rows["2.4"][7] == "是"
    assert rows["1.2"][8] == f"{SZ}、各镇街（园区）"
    assert rows["16.1"][10].startswith("【信息不完整】")
    sources = {(r[0], r[1]): r[3] for r in wb["责任分工"].iter_rows(min_row=2, values_only=True)}
    assert sources[("1.2", SZ)] == "明确"
    assert sources[("1.2", "虎门镇")] == "各镇街（园区）"


def test_coordinator_edits_to_assignments_are_the_truth(seed, tmp_path):
    from openpyxl import load_workbook

    path = write_master_workbook(seed, tmp_path / "m.xlsx")
    wb = load_workbook(path)
    ws = wb["责任分工"]
    ws.append(["16.1", "市人社局", "牵头", "明确"])
    wb.save(path)
    back = read_master_workbook(path)
    assert back.units_of("16.1", LEAD) == ["市人力资源社会保障局"]
    assert back.fingerprint != seed.fingerprint


# ---------------------------------------------------------------------------
# the same table as .xlsx, built here with merged cells and a two-row header


def seed_as_xlsx(seed, path: Path, explicit_ids: bool = False) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "分工表"
    ws.append(["东莞市2022年政务服务全域标准化专项行动主要任务分工表"])
    ws.merge_cells("A1:G1")
    offset = 1 if explicit_ids else 0
    head1 = (["序号"] if explicit_ids else []) + ["工作任务", None, "具体工作内容", None, "完成时限", "责任部门"]
    head2 = ([None] if explicit_ids else []) + ["一级任务名称", "二级任务名称", None, None, None, None]
    ws.append(head1)
    ws.append(head2)
    c = lambda i: chr(ord("A") + i + offset)  # noqa: E731
    ws.merge_cells(f"{c(0)}2:{c(1)}2")
    ws.merge_cells(f"{c(2)}2:{c(3)}3")
    ws.merge_cells(f"{c(4)}2:{c(4)}3")
    ws.merge_cells(f"{c(5)}2:{c(5)}3")
    first = 4
    rows = []
    for t in seed.tasks:
        rows.append(([t.id] if explicit_ids else []) + [t.level1, t.level2, t.name, t.content, t.deadline_text,
                                                         t.departments_text])
    for r in rows:
        ws.append(r)
    # merge runs of equal 一级/二级 cells, clearing the continuation cells as Excel does
    for col in (0, 1):
        start = first
        for i in range(1, len(rows) + 1):
            end = i == len(rows) or rows[i][col + offset] != rows[start - first][col + offset]
            if end:
                if first + i - 1 > start:
                    for rr in range(start + 1, first + i):
                        ws.cell(rr, col + 1 + offset).value = None
                    ws.merge_cells(f"{c(col)}{start}:{c(col)}{first + i - 1}")
                start = first + i
    wb.save(path)
    return path


def test_xlsx_with_merged_cells_imports_to_the_same_master(seed, tmp_path):
    path = seed_as_xlsx(seed, tmp_path / "分工表.xlsx")
    other = import_master(path)
    assert other.tasks == seed.tasks
    assert other.assignments == seed.assignments
    assert other.fingerprint == seed.fingerprint
    assert other.title == seed.title


def test_xlsx_explicit_id_column_wins(seed, tmp_path):
    from openpyxl import load_workbook

    path = seed_as_xlsx(seed, tmp_path / "分工表.xlsx", explicit_ids=True)
    wb = load_workbook(path)
    wb.active["A4"] = "A-1"
    wb.save(path)
    other = import_master(path)
    assert other.tasks[0].id == "A-1"
    assert [t.id for t in other.tasks[1:]] == [t.id for t in seed.tasks[1:]]


def test_docx_row_split_across_a_page_joins_the_task(seed_docx, tmp_path):
    """A row Word split in two (continuation row with only content) belongs to the task above."""
    import copy

    import docx

    document = docx.Document(str(seed_docx))
    table = document.tables[0]
    tr = table.rows[2]._tr
    clone = copy.deepcopy(tr)
    tr.addnext(clone)
    new_row = table.rows[3]
    for i, cell in enumerate(new_row.cells):
        for p in cell.paragraphs:
            for r in p.runs:
                r.text = ""
        if i == 3:
            cell.paragraphs[0].add_run("（续）印发实施。")
    path = tmp_path / "split.docx"
    document.save(str(path))
    m = import_master(path)
    assert len(m.tasks) == 43
    assert m.task("1.1").content.endswith("（续）印发实施。")
    assert m.task("1.2").name == "对标对表提升整改"


def test_docx_with_repeated_header_rows_and_second_table(seed_docx, tmp_path):
    import copy

    import docx

    document = docx.Document(str(seed_docx))
    table = document.tables[0]
    header = copy.deepcopy(table.rows[0]._tr)
    table.rows[20]._tr.addprevious(header)
    path = tmp_path / "header.docx"
    document.save(str(path))
    m = import_master(path)
    assert [t.id for t in m.tasks] == list(EXPECTED)


# ---------------------------------------------------------------------------
# bad input: clear Chinese message, exit 2, nothing written


def _docx_without_table(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("关于开展专项行动的通知")
    d.save(str(path))
    return path


def _xlsx_without_headers(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    wb.save(path)
    return path


def _encrypted_copy(src: Path, path: Path) -> Path:
    path.write_bytes(encrypted(src.read_bytes()))
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda tmp, seed: _docx_without_table(tmp / "通知.docx"), "里没有表格"),
    (lambda tmp, seed: _xlsx_without_headers(tmp / "名单.xlsx"), "找不到任务分工表的表头"),
    (lambda tmp, seed: _encrypted_copy(seed, tmp / "加密.docx"), "设置了打开密码"),
    (lambda tmp, seed: tmp / "不存在.docx", "找不到文件"),
    (lambda tmp, seed: (tmp / "说明.pdf").write_bytes(b"%PDF-1.4") and tmp / "说明.pdf", "不支持"),
    # what government sites publish besides .docx: the way to a file duban reads is said
    (lambda tmp, seed: (tmp / "分工.pdf").write_bytes(b"%PDF-1.4") and tmp / "分工.pdf", "请向发文单位索取 Word 或 Excel 原件"),
    (lambda tmp, seed: (tmp / "分工.wps").write_bytes(b"\xd0\xcf\x11\xe0") and tmp / "分工.wps",
     "请用 WPS 打开后另存为 .docx 再导入"),
])
def test_bad_input_is_one_line_exit_2_nothing_written(run, tmp_path, seed_docx, make, expected):
    src = make(tmp_path, seed_docx)
    out = tmp_path / "out.xlsx"
    result = run(["master", "import", str(src), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and expected in lines[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".~duban-*"))


def test_cli_import_prints_summary(run, tmp_path, seed_docx):
    out = tmp_path / "m.xlsx"
    result = run(["master", "import", str(seed_docx), "--out", str(out)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:9] == [
        "专项行动：东莞市2022年政务服务全域标准化专项行动",
        "任务 43 项（其中 1 项信息不完整）",
        "  一、加强政务服务体系建设标准化：11 项",
        "  二、纵深推进基层服务效能提升：13 项",
        "  三、打造线上线下一体服务：10 项",
        "  四、提升数字化支撑能力：6 项",
        "  五、加强政务人员队伍建设：3 项",
        "责任单位 54 个：市直部门 21 个，镇街（园区） 33 个",
        "含“等有关部门”的任务 9 项：2.5、2.6、3.1、3.2、4.2、5.2、8.1、9.3、13.1（可在“责任分工”表中补充单位）",
    ]
    assert "[警告 M101] 任务分工表.docx 表格1 第45行：任务 16.1（加强对审批人员、镇街管理人员培训）缺少具体工作内容、完成时限、责任部门" \
        in result.stdout
    assert result.stdout.rstrip().endswith(f"已写入：{out}")
    assert read_master_workbook(out).fingerprint == import_master(seed_docx).fingerprint


def test_unknown_unit_is_added_and_reported(tmp_path, seed):
    from openpyxl import load_workbook

    path = seed_as_xlsx(seed, tmp_path / "x.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws["F4"] = "市新成立局负责，市政数局配合"
    ws["E5"] = "下个月吧"
    wb.save(path)
    m = import_master(path)
    codes = {(i.code, i.task) for i in m.issues}
    assert ("M102", "1.1") in codes and ("M103", "1.2") in codes
    assert m.units_of("1.1", LEAD) == ["市新成立局"]
    assert m.directory.get("市新成立局").kind == "市直部门"
    m102 = next(i for i in m.issues if i.code == "M102")
    assert m102.cell == "A4" and m102.sheet == "分工表"


# ---------------------------------------------------------------------------
# workspaces


def test_init_creates_workspace(run, tmp_path):
    target = tmp_path / "督办"
    result = run(["init", str(target), "--period", "2022-06"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"已创建工作区：{target}\n")
    for folder in ("收件箱", "下发", "归档", "反馈", "汇总", "通报", "日志", "模板"):
        assert (target / folder).is_dir()
    toml = (target / "duban.toml").read_text(encoding="utf-8")
    assert 'period = "2022-06"' in toml and "# 专项行动名称" in toml
    m = read_master_workbook(target / "任务分工表.xlsx")
    assert len(m.tasks) == 43
    assert (target / "模板" / "样式.toml").exists()
    again = run(["init", str(target)])
    assert again.exit_code == 2 and "已经是一个工作区" in again.stderr


def test_init_defaults_to_the_month_before_the_offices_day(tmp_path, monkeypatch):
    """Without --period, init (and a duban.toml without one) takes last month by the office's
    calendar (Workspace.now, the workspace's zone): at 00:30 on 1 March in Shanghai a machine
    in UTC still says 28 February, and its "last month" is January."""
    from toolkit.actions.init import init_workspace
    from toolkit.workspace import Workspace

    monkeypatch.setattr(Workspace, "now", lambda self: dt.datetime(2027, 3, 1, 0, 30, tzinfo=self.tz))
    ws, _ = init_workspace(tmp_path / "督办")
    assert 'period = "2027-02"' in ws.config_path.read_text(encoding="utf-8")
    assert str(Workspace(tmp_path / "督办").period()) == "2027-02"  # duban.toml without a period


def test_workspace_found_from_subfolder_or_w(run, ws):
    sub = ws.root / "收件箱"
    assert run(["status", "--format", "json", "--force"], cwd=sub).exit_code == 0
    assert run(["-w", str(ws.root), "status", "--format", "json", "--force"], cwd=ws.root.parent).exit_code == 0
    lost = run(["status"], cwd=ws.root.parent)
    assert lost.exit_code == 2
    assert lost.stderr.startswith("错误：在 ") and "找不到工作区" in lost.stderr


def test_dates_parse_the_published_shapes():
    from toolkit.dates import parse_deadline

    assert parse_deadline("2022年6月") == (D(2022, 6, 30), False)
    assert parse_deadline("长期开展") == (None, True)
    assert parse_deadline("2022年底前") == (D(2022, 12, 31), False)
    assert parse_deadline("2022年6月底") == (D(2022, 6, 30), False)
    assert parse_deadline("2022年6月30日") == (D(2022, 6, 30), False)
    assert parse_deadline("2022.6") == (D(2022, 6, 30), False)
    assert parse_deadline("2022年2月") == (D(2022, 2, 28), False)
    # the plan's own year, for the deadlines that give none (大竹 2016: 12月底前)
    assert parse_deadline("12月底前", 2016) == (D(2016, 12, 31), False)
    assert parse_deadline("年底前", 2016) == (D(2016, 12, 31), False)
    assert parse_deadline("上半年", 2016) == (D(2016, 6, 30), False)
    assert parse_deadline("第三季度", 2016) == (D(2016, 9, 30), False)
    assert parse_deadline("2022年6月", 2016) == (D(2022, 6, 30), False)
    assert parse_deadline("9月投入使用", 2016) == (D(2016, 9, 30), False)  # 投入使用 is done (QA367)
    assert parse_deadline("5月底前动工", 2016) == (None, False)  # a start, no end (M117)
    assert parse_deadline("12月底前") == (None, False)
    assert parse_deadline("尽快") == (None, False)
    # what is to be done by then, besides 完成 (with 并持续推进 after it, ongoing: QA 105);
    # 上旬 and 中旬 end on the 10th and the 20th, not the month's end
    assert parse_deadline("2024年12月底前建成") == (D(2024, 12, 31), False)
    assert parse_deadline("2024年12月底前建成并持续推进") == (None, True)
    assert parse_deadline("2024年6月底前出台") == (D(2024, 6, 30), False)
    assert parse_deadline("2024年11月中旬") == (D(2024, 11, 20), False)
    assert parse_deadline("2024年6月上旬前") == (D(2024, 6, 10), False)
    assert parse_deadline("2024年6月下旬") == (D(2024, 6, 30), False)


def test_deadlines_without_a_year_take_the_titles_one_and_say_so():
    from toolkit.master.importer import import_master

    m = import_master(Path(__file__).parent / "corpus" / "masters" / "dazhu_mssx_2016.docx")
    assert m.task("1").deadline == D(2016, 12, 31) and m.task("5-2").deadline == D(2016, 12, 31)
    assert m.task("2").deadline == D(2016, 9, 30)  # 9月投入使用: put to use by September's end (QA367)
    # 5月底前动工 is a start, no end: no date, said as what it is (M117), not as unread (M103)
    assert not [i for i in m.issues if i.code == "M103"]
    assert [i.task for i in m.issues if i.code == "M117"] == ["4", "5"]
    assert any(n.startswith("9 项任务的完成时限没有写年份（如“12月底前”），按标题中的 2016 年计算截止日期：任务 1、2、3、5-2")
               for n in m.report.notes)


def test_no_tasks_workbook_is_refused(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "任务清单"
    wb.active.append(["任务编号", "一级任务"])
    wb.create_sheet("责任分工").append(["任务编号", "单位", "责任类型", "来源"])
    wb.create_sheet("单位名录").append(["单位"])
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(errors.NoTasks, match="没有任务"):
        read_master_workbook(tmp_path / "m.xlsx")


def test_docx_table_split_into_two_tables_with_repeated_header(seed_docx, tmp_path):
    """A table cut at a page and pasted as two tables, the second starting with the header."""
    import copy

    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(seed_docx))
    tbl = document.tables[0]._tbl
    second = copy.deepcopy(tbl)
    rows1, rows2 = tbl.tr_lst, second.tr_lst
    for tr in rows1[20:]:
        tbl.remove(tr)
    for tr in rows2[2:20]:
        second.remove(tr)
    first_data = second.tr_lst[2]
    levels = [document.tables[0].rows[19].cells[i].text for i in (0, 1)]
    for i, tc in enumerate(first_data.tc_lst[:2]):
        vmerge = tc.tcPr.find(qn("w:vMerge"))
        if vmerge is not None:
            vmerge.set(qn("w:val"), "restart")
        if not "".join(t.text or "" for t in tc.iter(qn("w:t"))):
            p = tc.find(qn("w:p"))
            r = p.makeelement(qn("w:r"), {})
            t = r.makeelement(qn("w:t"), {})
            t.text = levels[i]
            r.append(t)
            p.append(r)
    tbl.addnext(second)
    path = tmp_path / "two-tables.docx"
    document.save(str(path))
    assert len(docx.Document(str(path)).tables) == 2
    m = import_master(path)
    assert [t.id for t in m.tasks] == list(EXPECTED)
    assert m.task("6.2").level1 == "二、纵深推进基层服务效能提升"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 cut short", "不是表格".encode()])
def test_a_damaged_master_workbook_is_named_in_chinese(tmp_path, content):
    """calamine's English ("Cannot detect file format") never reaches the coordinator."""
    from toolkit import errors

    path = tmp_path / "任务分工表.xlsx"
    path.write_bytes(content)
    with pytest.raises(errors.NoTasks) as caught:
        read_master_workbook(path)
    message = caught.value.message
    assert "任务分工表.xlsx" in message and "已损坏" in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace(".xlsx", "").replace("Excel", "")), message


def test_put_right_at_once_and_by_a_date():
    """立即整改并于2024年9月底前完成 (the 整改时限 of a 整改清单): the date after 并于 is the deadline; it
    was read as no date (M103)."""
    from toolkit.dates import at_once, parse_deadline

    assert parse_deadline("立即整改并于2024年9月底前完成") == (D(2024, 9, 30), False)
    assert parse_deadline("立行立改，并在2024年6月底前完成") == (D(2024, 6, 30), False)
    assert parse_deadline("立即整改，于9月底前完成", 2024) == (D(2024, 9, 30), False)
    assert at_once("立即整改") and at_once("立行立改并") and not at_once("立即整改并于2024年9月底前完成")
    assert parse_deadline("于2024年9月底前完成") == (None, False)


def test_an_out_file_imported_over_names_the_directory_it_lends(run, tmp_path, seed_docx):
    """`--out F` over a master workbook F takes F's 单位名录 (with the office's contacts): the
    summary said "工作区或指定的单位名录" although neither was given (QA355)."""
    out = tmp_path / "m.xlsx"
    assert run(["master", "import", str(seed_docx), "--out", str(out)]).exit_code == 0
    result = run(["master", "import", str(seed_docx), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "单位名录：“m.xlsx”中原有的单位名录（54 个单位）" in result.stdout
