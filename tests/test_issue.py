"""Issue 3: issuing the returns — the workbook contract, LibreOffice round trips, mail drafts."""

from __future__ import annotations

import email
import zipfile
from email import policy
from pathlib import Path

import pytest
from conftest import PERIOD, drop, issued_path, on_time
from openpyxl import load_workbook

from toolkit.filling import Answer
from toolkit.returns import HEADERS, META_SHEET, SCHEMA, read_return
from toolkit.settings import DEFAULT_LIMITS

EDITABLE_COLUMNS = "HIJKLMN"
LOCKED_COLUMNS = "ABCDEFG"


def assignments_sheet(ws) -> dict[str, list[tuple[str, str]]]:
    """责任分工 read independently of the library: unit -> [(task, role)]."""
    wb = load_workbook(ws.master_path, read_only=True)
    out: dict[str, list[tuple[str, str]]] = {}
    for task, unit, role, _ in wb["责任分工"].iter_rows(min_row=2, values_only=True):
        out.setdefault(unit, []).append((task, role))
    return out


def sort_key(task: str):
    return tuple(int(x) for x in task.split("."))


def test_issue_writes_one_return_per_unit_with_its_tasks(run, ws):
    result = run(["issue", "--period", "2022-06"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    folder = ws.root / "下发" / "2022年6月"
    assert result.stdout.splitlines()[:2] == [
        "已生成 2022年6月进展填报表 54 份（报送截止：2022年7月5日）",
        f"文件夹：{folder}",
    ]
    expected = assignments_sheet(ws)
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) == 54 == len(expected)
    for unit, pairs in expected.items():
        path = folder / f"2022年6月_{unit}_进展填报表.xlsx"
        sheet = load_workbook(path)["进展填报"]
        rows = [(r[0], r[6]) for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
        leads = sorted((t for t, role in pairs if role == "牵头"), key=sort_key)
        coops = sorted((t for t, role in pairs if role == "配合"), key=sort_key)
        assert rows == [(t, "牵头") for t in leads] + [(t, "配合") for t in coops], unit


def test_return_contract(issued_ws):
    path = issued_path(issued_ws, "市公安局")
    wb = load_workbook(path)
    assert wb.sheetnames == ["进展填报", "填报说明", "_meta"]
    assert wb.active.title == "进展填报"
    assert wb["_meta"].sheet_state == "hidden"
    assert wb["填报说明"].sheet_state == "visible"
    ws = wb["进展填报"]
    assert [c.value for c in ws[4]] == list(HEADERS)
    assert HEADERS == ("任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "责任类型",
                       "完成状态", "完成进度(%)", "工作进展", "存在问题", "下一步计划", "预计完成时间", "佐证材料")
    # title and labelled cells, value right of each label
    assert "进展填报表" in ws["A1"].value and "2022年6月" in ws["A1"].value
    assert (ws["A2"].value, ws["B2"].value) == ("填报单位", "市公安局")
    assert (ws["E2"].value, ws["F2"].value) == ("填报期", "2022年6月")
    assert (ws["H2"].value, ws["I2"].value) == ("报送截止", "2022年7月5日")
    for label, ref in (("填报人", "A3"), ("联系电话", "E3"), ("审核人", "H3"), ("填报日期", "K3")):
        assert ws[ref].value == label
        right = ws.cell(ws[ref].row, ws[ref].column + 1)
        assert right.protection.locked is False
    # protection: on, no password; master columns locked, inputs unlocked
    assert ws.protection.sheet is True and not ws.protection.password
    last = ws.max_row
    assert last == 4 + 9
    for r in range(5, last + 1):
        for col in LOCKED_COLUMNS:
            assert ws[f"{col}{r}"].protection.locked is True
        for col in EDITABLE_COLUMNS:
            assert ws[f"{col}{r}"].protection.locked is False
    # validations
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = dvs[f"H5:H{last}"]
    assert status.type == "list" and status.formula1 == '"已完成,序时推进,滞后,未启动"'
    progress = dvs[f"I5:I{last}"]
    assert (progress.type, progress.operator, progress.formula1, progress.formula2) == ("whole", "between", "0", "100")
    assert dvs[f"M5:M{last}"].type == "date"
    for col in EDITABLE_COLUMNS:
        assert dvs[f"{col}4"].prompt and dvs[f"{col}4"].showInputMessage, f"input message on header {col}4"
        assert dvs[f"{col}5:{col}{last}"].prompt
    # view and print
    assert ws.freeze_panes == "B5"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["E"].width >= 30 and ws.column_dimensions["J"].width >= 30
    assert ws["E5"].alignment.wrap_text and ws["J5"].alignment.wrap_text


def test_meta_contract(issued_ws):
    wb = load_workbook(issued_path(issued_ws, "石龙镇"))
    rows = [tuple(c.value for c in r) for r in wb[META_SHEET].iter_rows()]
    keys = [r[0] for r in rows[:7]]
    assert keys == ["schema", "project", "department", "period", "due", "master_fingerprint", "generated_at"]
    meta = {r[0]: r[1] for r in rows[:7]}
    assert meta["schema"] == SCHEMA == "duban.return/1"
    assert meta["department"] == "石龙镇" and meta["period"] == "2022-06" and meta["due"] == "2022-07-05"
    master = issued_ws.load_master()
    assert meta["master_fingerprint"] == master.fingerprint
    tasks = [r[:4] for r in rows[7:]]
    assert tasks == [("task", t.id, role, t.text_hash) for t, role in master.tasks_of("石龙镇")]


def test_due_rows_are_marked(issued_ws):
    ws = load_workbook(issued_path(issued_ws, "市公安局"))["进展填报"]
    marked = {ws.cell(r, 1).value for r in range(5, ws.max_row + 1)
              if ws.cell(r, 6).fill.fgColor.rgb in ("00FCE4D6", "FFFCE4D6")}
    # 市公安局: 2.3, 3.1, 3.2 are due 2022-06-30 or earlier
    assert marked == {"2.3", "3.1", "3.2"}
    assert "橙色底纹" in ws["K2"].value


def test_guide_sheet(issued_ws):
    ws = load_workbook(issued_path(issued_ws, "市公安局"))["填报说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for needle in ("已完成", "序时推进", "滞后", "未启动", "2022年7月5日", "东莞市政务服务数据管理局", "2.3、3.1、3.2"):
        assert needle in text


def test_look_comes_from_the_style_template(ws):
    from toolkit.actions.issue import issue_returns

    style = ws.templates_dir / "样式.toml"
    style.write_text('[return]\ntitle = "{unit}{period}工作进展表"\nfont = "仿宋"\nheader_fill = "FFEEAA"\n'
                     '[return.widths]\n"工作进展" = 55\n', encoding="utf-8")
    result = issue_returns(ws, "2022-06", units=["市公安局"])
    sheet = load_workbook(result.files[0])["进展填报"]
    assert sheet["A1"].value.startswith("市公安局2022年6月工作进展表")
    assert sheet["E5"].font.name == "仿宋"
    assert sheet["A4"].fill.fgColor.rgb.endswith("FFEEAA")
    assert sheet.column_dimensions["J"].width == 55


def test_a_workspace_style_keeps_its_colour_for_a_renamed_status(tmp_path):
    """An on-time unit was 已报送 until December 2026: a workspace's 样式.toml copied before
    colours it under that word, and the colour (edited or not) is 按时报送's now."""
    from toolkit.style import load_style

    own = tmp_path / "样式.toml"
    own.write_text('[summary.status_fills]\n"已报送" = "00FF00"\n', encoding="utf-8")
    fills = load_style(own)["summary"]["status_fills"]
    assert fills["按时报送"] == "00FF00" and "已报送" not in fills
    own.write_text('[summary.status_fills]\n"已报送" = "00FF00"\n"按时报送" = "0000FF"\n', encoding="utf-8")
    assert load_style(own)["summary"]["status_fills"]["按时报送"] == "0000FF"


def test_emails(run, ws):
    from openpyxl import load_workbook as load

    wb = load(ws.master_path)
    directory = wb["单位名录"]
    for row in directory.iter_rows(min_row=2):
        if row[0].value == "市公安局":
            row[5].value = "gaj@dg.example.cn"
    wb.save(ws.master_path)
    result = run(["issue", "--period", "2022-06", "--dept", "市公安局", "--dept", "市人社局", "--emails"],
                 cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert "邮件草稿 2 封" in result.stdout
    assert "其中 1 个单位在单位名录中没有邮箱" in result.stdout
    folder = ws.root / "下发" / "2022年6月"
    for unit, to in (("市公安局", "gaj@dg.example.cn"), ("市人力资源社会保障局", None)):
        xlsx = folder / f"2022年6月_{unit}_进展填报表.xlsx"
        msg = email.message_from_bytes(xlsx.with_suffix(".eml").read_bytes(), policy=policy.default)
        assert msg["To"] == to
        assert msg["X-Unsent"] == "1"
        # the plan names its year (东莞市2022年…专项行动): the subject says it once
        assert unit in msg["Subject"] and "专项行动6月进展填报表" in msg["Subject"]
        body = msg.get_body(("plain",)).get_content()
        assert body.startswith(f"{unit}：") and "2022年7月5日" in body
        attachments = list(msg.iter_attachments())
        assert len(attachments) == 1
        assert attachments[0].get_filename() == xlsx.name
        assert attachments[0].get_content() == xlsx.read_bytes()
        raw = xlsx.with_suffix(".eml").read_bytes().decode("ascii")
        assert "filename*=utf-8''" in raw  # RFC 2231


@pytest.mark.parametrize("args, message", [
    (["--period", "2022-06", "--dept", "市宇宙局"], "单位名录中没有“市宇宙局”"),
    (["--period", "2022-6月份"], "期次“2022-6月份”格式不对"),
    (["--period", "2022-13"], "月份不对"),
    (["--period", "2022-06", "--due", "下周五"], "报送截止日期“下周五”无法识别"),
])
def test_bad_input(run, ws, args, message):
    result = run(["issue", *args], cwd=ws.root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("错误：") and message in result.stderr
    assert not (ws.root / "下发" / "2022年6月").exists() or not any((ws.root / "下发" / "2022年6月").iterdir())


def test_master_without_tasks(run, ws):
    from openpyxl import load_workbook as load

    wb = load(ws.master_path)
    sheet = wb["任务清单"]
    sheet.delete_rows(2, sheet.max_row)
    wb.save(ws.master_path)
    result = run(["issue", "--period", "2022-06"], cwd=ws.root)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：任务清单工作簿“任务分工表.xlsx”中没有任务")


def test_locked_output(run, issued_ws):
    target = issued_path(issued_ws, "石龙镇")
    before = target.read_bytes()
    lock = target.with_name(f".~lock.{target.name}#")
    lock.write_text("张三,office,07.07.2022 10:00,")
    result = run(["issue", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 2
    assert result.stderr == f"错误：“{target.name}”正被 Excel/WPS 打开，请先关闭该文件再运行。\n"
    assert target.read_bytes() == before
    excel_lock = target.with_name("~$" + target.name)
    lock.unlink()
    excel_lock.write_bytes(b"\x00")
    assert run(["issue", "--period", "2022-06"], cwd=issued_ws.root).exit_code == 2


def test_prefill_starts_from_last_accepted_return(run, issued_ws, make_return):
    from toolkit.actions.collect import collect

    data = make_return("石龙镇", **{"1_2": Answer(status="已完成", progress=100, work="已全面完成对标整改。",
                                                  evidence="东政数〔2022〕12号")})
    drop(issued_ws, "石龙镇.xlsx", data, on_time())
    assert collect(issued_ws).accepted == 1
    nothing = run(["issue", "--period", "2022-06", "--dept", "虎门镇", "--prefill"], cwd=issued_ws.root)
    assert "尚无已采纳的报送，未预填。" in nothing.stdout
    result = run(["issue", "--period", "2022-07", "--dept", "石龙镇", "--prefill"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "已用上期内容预填 1 份（预填的单元格为黄色底纹，请各单位逐项更新）" in result.stdout
    sheet = load_workbook(issued_path(issued_ws, "石龙镇", PERIOD.shift(1)))["进展填报"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "1.2")
    assert [c.value for c in row[7:14:2]] == ["已完成", "已全面完成对标整改。", None, "东政数〔2022〕12号"]
    assert row[8].value == 100


# ---------------------------------------------------------------------------
# the real third-party client: LibreOffice opens and saves the return


def _xlsx_contract_survives(path: Path, unit: str) -> None:
    wb = load_workbook(path)
    assert "_meta" in wb.sheetnames and wb["_meta"].sheet_state == "hidden"
    ws = wb["进展填报"]
    assert ws.protection.sheet is True
    assert any(dv.type == "list" and "已完成" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    assert ws["A5"].protection.locked is True and ws["H5"].protection.locked is False


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt, ext", [("xlsx:Calc MS Excel 2007 XML", "xlsx"), ("xls:MS Excel 97", "xls"),
                                      ("ods", "ods")])
def test_libreoffice_round_trip(lo, issued_ws, make_return, tmp_path, fmt, ext):
    unit = "市公安局"
    filled = make_return(unit)
    src = tmp_path / "src" / "填好的.xlsx"
    src.parent.mkdir()
    src.write_bytes(filled)
    saved = lo(src, fmt, tmp_path / "saved")
    assert saved.suffix == "." + ext
    raw = read_return(saved.read_bytes(), saved.name, DEFAULT_LIMITS)
    assert raw.meta["department"] == unit and raw.meta["period"] == "2022-06"
    assert raw.meta["schema"] == SCHEMA
    assert len(raw.meta_tasks) == 9
    assert raw.labels["填报单位"] == unit
    if ext == "xlsx":
        _xlsx_contract_survives(saved, unit)
    elif ext == "ods":
        content = zipfile.ZipFile(saved).read("content.xml").decode("utf-8")
        assert "table:content-validation " in content and "已完成" in content
        assert 'table:protected="true"' in content
        assert 'table:name="_meta"' in content
    else:
        back = lo(saved, "xlsx:Calc MS Excel 2007 XML", tmp_path / "back")
        _xlsx_contract_survives(back, unit)


def test_the_forms_text_limit_is_the_workspaces(issued_ws):
    """The text cells announce and enforce [limits] max_text_chars, the bound W507 checks."""
    import dataclasses

    from openpyxl import load_workbook

    from toolkit.actions.issue import issue_returns

    limits = dataclasses.replace(issued_ws.limits, max_text_chars=500)
    issued_ws.settings = dataclasses.replace(issued_ws.settings, limits=limits)
    result = issue_returns(issued_ws, units=["石龙镇"], out=issued_ws.root / "小表")
    sheet = load_workbook(result.files[0])["进展填报"]
    texts = [dv for dv in sheet.data_validations.dataValidation if dv.type == "textLength"]
    assert texts and {(dv.formula1, dv.error) for dv in texts} == {("500", "内容请控制在 500 字以内。")}
