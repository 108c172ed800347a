"""Copy-paste reporting, as a coordinator meets it: W608 on a return that repeats last
month's text, prefilled cells marked in the form, the 通报 naming units that reported no
change, and bad addresses in 单位名录 reported when the master is read."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import PERIOD, drop, issued_path, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger

MAY = PERIOD.shift(-1)
W608_43 = ("  进展填报 第 6 行 W608 警告 任务 4.3 的“工作进展”与上期（2022年5月）采纳的报送完全相同。"
           "请填写本期的新进展和计划；确无变化的，请写明原因。")


def _may(ws, answers: dict[str, Answer], unit: str = "石龙镇") -> None:
    """The unit's accepted May return with ``answers`` (other tasks: May's own text)."""
    path = issue_returns(ws, str(MAY), units=[unit]).files[0]
    filling = Filling(answers=answers, default=Answer(work="五月按计划推进。"))
    drop(ws, f"5月{unit}.xlsx", fill_return(path, filling), dt.datetime(2022, 6, 3).timestamp())
    assert collect(ws).accepted == 1


def _w608(ws, unit: str = "石龙镇") -> list:
    with Ledger(ws.ledger_path) as ledger:
        accepted = ledger.accepted(PERIOD)[unit]
        return [i for i in ledger.issues_of(accepted.id) if i.code == "W608"]


def test_unchanged_progress_is_w608_after_whitespace(run, issued_ws, make_return):
    _may(issued_ws, {"4.3": Answer(work="完成镇级政务服务中心改造。", next_plan="开展窗口人员培训。")})
    # June: 工作进展 the same but for spaces and a line break, 下一步计划 rewritten.
    june = make_return("石龙镇", **{"4_3": Answer(work=" 完成镇级政务服务中心　改造。\n", next_plan="组织第二轮培训。")})
    drop(issued_ws, "6月.xlsx", june, on_time())
    checked = run(["check", str(issued_ws.inbox / "6月.xlsx")], cwd=issued_ws.root)
    assert checked.exit_code == 0, checked.output  # a warning: the return is still accepted
    assert [line for line in checked.stdout.splitlines() if "W608" in line] == [W608_43]

    # warning-only returns get a reply only when [feedback] reply_to_warnings asks for one
    issued_ws.settings = dataclasses.replace(issued_ws.settings, reply_to_warnings=True)
    assert collect(issued_ws).accepted == 1
    [issue] = _w608(issued_ws)
    assert (issue.task, issue.severity) == ("4.3", "警告")
    # The feedback copy marks the task's row and carries the message as a comment.
    [fb] = (issued_ws.root / "反馈").rglob("*.xlsx")
    sheet = load_workbook(fb)["进展填报"]
    assert "W608" in sheet["A6"].comment.text and sheet["A6"].fill.fgColor.rgb.endswith("FFEB9C")


def test_both_columns_named_and_done_tasks_exempt(run, issued_ws, make_return):
    done = Answer(status="已完成", progress=100, work="已完成。", evidence="东政数〔2022〕12号")
    _may(issued_ws, {"4.3": Answer(work="推进中。", next_plan="继续推进。"), "1.2": done})
    june = make_return("石龙镇", **{"4_3": Answer(work="推进中。", next_plan="继续推进。"), "1_2": done})
    drop(issued_ws, "6月.xlsx", june, on_time())
    checked = run(["check", str(issued_ws.inbox / "6月.xlsx")], cwd=issued_ws.root)
    assert [line.split(" W608 警告 ")[1] for line in checked.stdout.splitlines() if "W608" in line] == [
        "任务 4.3 的“工作进展”和“下一步计划”与上期（2022年5月）采纳的报送完全相同。"
        "请填写本期的新进展和计划；确无变化的，请写明原因。"]


def test_first_period_and_new_text_have_no_w608(run, issued_ws, make_return, tmp_path):
    june = tmp_path / "6月.xlsx"
    june.write_bytes(make_return("石龙镇"))
    checked = run(["check", str(june)], cwd=issued_ws.root)
    assert checked.exit_code == 0 and "W608" not in checked.stdout  # nothing earlier to compare with
    _may(issued_ws, {})
    checked = run(["check", str(june)], cwd=issued_ws.root)
    assert checked.exit_code == 0 and "W608" not in checked.stdout  # May said 五月按计划推进


# ---------------------------------------------------------------------------
# issue --prefill marks what it copied


def test_prefilled_cells_are_yellow_with_a_legend(run, issued_ws):
    _may(issued_ws, {"4.3": Answer(work="完成镇级政务服务中心改造。", next_plan="开展窗口人员培训。")})
    result = run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--prefill"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "已用上期内容预填 1 份（预填的单元格为黄色底纹，请各单位逐项更新）" in result.stdout.splitlines()
    path = issued_path(issued_ws, "石龙镇")
    wb = load_workbook(path)
    ws = wb["进展填报"]
    assert ws["M2"].value == "黄色底纹：照录上月报送，请逐项更新"
    assert ws["M2"].fill.fgColor.rgb.endswith("FFF2CC")
    assert "K2:L2" in {str(r) for r in ws.merged_cells.ranges}
    row6 = {c.column_letter: c for c in ws[6]}
    assert row6["A"].value == "4.3" and row6["J"].value == "完成镇级政务服务中心改造。"
    filled = {col for col, c in row6.items() if c.fill.fgColor.rgb.endswith("FFF2CC")}
    assert filled == {"H", "I", "J", "L"}  # status, progress, 工作进展, 下一步计划; blanks stay white
    assert row6["K"].fill.fgColor.rgb.endswith("FFFFFF") and row6["K"].protection.locked is False
    guide = [c.value for c in wb["填报说明"]["A"]]
    assert "上月预填" in guide
    # The contract is unchanged: labels, values and the header row where they were.
    assert (ws["A2"].value, ws["B2"].value, ws["K3"].value, ws["A4"].value) == ("填报单位", "石龙镇", "填报日期",
                                                                                 "任务编号")
    # Sent back untouched, the prefilled return reads cleanly and is flagged as copied.
    drop(issued_ws, "原样退回.xlsx", fill_return(path, Filling(default=None)), on_time())
    checked = run(["check", str(issued_ws.inbox / "原样退回.xlsx")], cwd=issued_ws.root)
    assert "结论：通过" in checked.stdout
    assert sum("W608" in line for line in checked.stdout.splitlines()) == 18


def _ppm_pixels(path) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of a binary PPM as pdftoppm writes it."""
    data = path.read_bytes()
    fields, pos = [], 2
    while len(fields) < 3:  # width, height, maxval after the P6 magic, separated by whitespace
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    return fields[0], fields[1], data[pos + 1:]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_prefilled_return_renders_yellow_in_libreoffice(run, issued_ws, lo, tmp_path):
    import re
    import subprocess

    _may(issued_ws, {"4.3": Answer(work="完成镇级政务服务中心改造。", next_plan="开展窗口人员培训。")})
    assert run(["issue", "--period", "2022-06", "--dept", "石龙镇", "--prefill"], cwd=issued_ws.root).exit_code == 0
    pdf = lo(issued_path(issued_ws, "石龙镇"), "pdf", tmp_path)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    assert "黄色底纹：照录上月报送，请逐项更新" in text and "完成镇级政务服务中心改造。" in text
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    width, height, rgb = _ppm_pixels(next(tmp_path.glob("page*.ppm")))
    yellow = sum(1 for i in range(0, len(rgb), 3)
                 if abs(rgb[i] - 0xFF) <= 3 and abs(rgb[i + 1] - 0xF2) <= 3 and abs(rgb[i + 2] - 0xCC) <= 3)
    assert yellow > width * height // 50  # the legend and 18 prefilled rows, not a stray pixel


def test_plain_issue_has_no_prefill_legend(issued_ws):
    ws = load_workbook(issued_path(issued_ws, "石龙镇"))["进展填报"]
    assert ws["M2"].value is None and "K2:N2" in {str(r) for r in ws.merged_cells.ranges}


# ---------------------------------------------------------------------------
# the 通报 can name units that reported no change


def _set_memo_option(ws, line: str) -> None:
    config = ws.root / "duban.toml"
    text = config.read_text(encoding="utf-8")
    assert "list_unchanged = false" in text  # init writes the option, commented, switched off
    config.write_text(text.replace("list_unchanged = false", line), encoding="utf-8")


def _two_months(ws, make_return) -> None:
    """石龙镇 repeats May's 工作进展 for 4.3; 虎门镇 writes new text; both accepted in June."""
    _may(ws, {"4.3": Answer(work="完成镇级政务服务中心改造。")})
    _may(ws, {}, unit="虎门镇")
    drop(ws, "石龙镇6月.xlsx", make_return("石龙镇", **{"4_3": Answer(work="完成镇级政务服务中心改造。")}), on_time())
    drop(ws, "虎门镇6月.xlsx", make_return("虎门镇"), on_time())
    assert collect(ws).accepted == 2


def _memo_md(run, ws) -> str:
    result = run(["memo", "--period", "2022-06", "--format", "md"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    [md] = (ws.root / "通报").rglob("*.md")
    return md.read_text(encoding="utf-8")


UNCHANGED_POINT = ("进展与上期相同的单位（1个）：石龙镇。上述单位部分任务的工作进展或下一步计划与上期完全相同，"
                   "请如实报送每月的新进展。")


def test_memo_lists_unchanged_units_when_enabled(run, issued_ws, make_return):
    _two_months(issued_ws, make_return)
    assert "进展与上期相同" not in _memo_md(run, issued_ws)  # off by default
    _set_memo_option(issued_ws, "list_unchanged = true")
    text = _memo_md(run, issued_ws)
    section = text.split("## 四、报送情况", 1)[1].split("## 五", 1)[0]
    assert [line[3:] for line in section.splitlines() if line.startswith("（")][-1] == UNCHANGED_POINT
    docx = run(["memo", "--period", "2022-06"], cwd=issued_ws.root)
    assert docx.exit_code == 0, docx.output
    import docx as python_docx

    [path] = (issued_ws.root / "通报").rglob("*.docx")
    paragraphs = [p.text for p in python_docx.Document(str(path)).paragraphs]
    assert any(p.endswith(UNCHANGED_POINT) for p in paragraphs)


def test_memo_option_is_validated(run, issued_ws):
    _set_memo_option(issued_ws, 'list_unchanged = "是"')
    result = run(["memo", "--period", "2022-06", "--format", "md"], cwd=issued_ws.root)
    assert result.exit_code == 2
    line = next(x for x in result.output.splitlines() if "list_unchanged" in x)
    assert line.endswith("[memo] 的 list_unchanged = \"是\" 不对：应为 true 或 false"
                         "（通报是否列出工作进展或下一步计划与上期完全相同的单位），不加引号。")


# ---------------------------------------------------------------------------
# bad addresses in 单位名录


def _set_addresses(ws, addresses: dict[str, str]) -> dict[str, int]:
    """Write 邮箱 cells of the master's 单位名录 sheet as a coordinator would; returns unit rows."""
    wb = load_workbook(ws.master_path)
    sheet = wb["单位名录"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for unit, value in addresses.items():
        sheet.cell(rows[unit], 6).value = value
    wb.save(ws.master_path)
    return rows


def M112(file: str, row: int, unit: str, value: str) -> str:
    return (f"  [警告 M112] {file} 单位名录!F{row}：单位名录第 {row} 行“{unit}”的邮箱“{value}”不是有效的邮件地址，"
            "发给该单位的邮件无法送达。请在“单位名录”表中改正，写成 dc@dg.gov.cn 的形式；多个地址用分号隔开，"
            "可带名称，如 东城 <dc@dg.gov.cn>。")


def test_bad_directory_address_is_reported_after_any_command(run, issued_ws):
    rows = _set_addresses(issued_ws, {"石龙镇": "not-an-email", "虎门镇": "hm@dg.gov.cn hm2@dg.gov.cn",
                                      "东城街道": "东城 <dc@dg.gov.cn>", "市公安局": "gaj@dg.gov.cn；ga2@dg.gov.cn",
                                      "市民政局": "mz@dg.gov.cn, \"王五, 办公室\" <wangwu@dg.gov.cn>;"})
    name = issued_ws.master_path.name
    expected = ["提醒：任务清单工作簿的单位名录有 2 处问题（不影响本次运行）：",
                M112(name, rows["石龙镇"], "石龙镇", "not-an-email"),
                M112(name, rows["虎门镇"], "虎门镇", "hm@dg.gov.cn hm2@dg.gov.cn")]
    for args in (["status", "--period", "2022-06"], ["issue", "--period", "2022-07", "--dept", "市公安局"]):
        result = run(args, cwd=issued_ws.root)
        assert result.exit_code == 0, result.output  # a warning, not a failure
        assert result.stderr.splitlines()[-3:] == expected
        assert "M112" not in result.stdout
    quiet = run(["status", "--period", "2022-06", "-q"], cwd=issued_ws.root)
    assert "M112" not in quiet.output


def test_good_directory_says_nothing(run, issued_ws):
    _set_addresses(issued_ws, {"石龙镇": "王五 <wangwu@dg.gov.cn>，sl@dg.gov.cn"})
    result = run(["status", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 0 and "单位名录" not in result.stderr


def test_two_directory_rows_that_are_one_name_are_reported(run, issued_ws):
    """A row pasted again with half-width brackets, or an alias another unit already has, made
    the two rows one unit without a word: returns counted for one, the other's contacts unused."""
    wb = load_workbook(issued_ws.master_path)
    sheet = wb["单位名录"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.append(["市 公安局", "", "市直部门", "", "", "gaj@dg.gov.cn"])
    sheet.append(["市新设局", "市民政局", "市直部门"])
    wb.save(issued_ws.master_path)
    first, second = sheet.max_row - 1, sheet.max_row
    name = issued_ws.master_path.name
    result = run(["status", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    tail = "视为同一名称（不计全角半角、空格和大小写），报送只会记到其中一个单位。请合并这两行，或改正其中一个名称。"
    assert result.stderr.splitlines()[-3:] == [
        "提醒：任务清单工作簿的单位名录有 2 处问题（不影响本次运行）：",
        f"  [警告 M113] {name} 单位名录!A{first}：单位名录第 {first} 行“市 公安局”的名称"
        f"与第 {rows['市公安局']} 行“市公安局”的名称" + tail,
        f"  [警告 M113] {name} 单位名录!B{second}：单位名录第 {second} 行“市新设局”的简称“市民政局”"
        f"与第 {rows['市民政局']} 行“市民政局”的名称" + tail]


def test_the_bundled_directory_has_no_name_twice():
    from toolkit.master.workbook import directory_address_issues
    from toolkit.units import default_directory

    assert directory_address_issues(default_directory().to_rows()) == []


def test_bad_address_in_directory_csv_is_in_the_import_report(run, ws, seed_docx, tmp_path):
    from toolkit.units import default_directory

    rows = default_directory().to_rows()
    shilong = next(i for i, r in enumerate(rows) if r[0] == "石龙镇")
    rows[shilong][5] = "sl＠dg.gov.cn"
    csv_path = tmp_path / "单位名录.csv"
    csv_path.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + "".join(
        ",".join(f'"{v}"' for v in r) + "\n" for r in rows), encoding="utf-8-sig")
    out = ws.root / "新任务清单.xlsx"
    result = run(["master", "import", str(seed_docx), "--directory", str(csv_path), "--out", str(out)],
                 cwd=ws.root)
    assert result.exit_code == 0, result.output
    line = M112(out.name, shilong + 2, "石龙镇", "sl＠dg.gov.cn")
    assert line in result.output.splitlines()
    report = [[c.value for c in r] for r in load_workbook(out)["导入报告"].iter_rows()]
    assert any(r[1] == "M112" and r[3] == f"单位名录!F{shilong + 2}" for r in report)


@pytest.mark.parametrize("cell, pairs, bad", [
    ("mz@dg.gov.cn, \"王五, 办公室\" <wangwu@dg.gov.cn>;",
     [("", "mz@dg.gov.cn"), ("王五, 办公室", "wangwu@dg.gov.cn")], []),
    ("hm@dg.gov.cn、hm2@dg.gov.cn\nhm3@dg.gov.cn", [("", "hm@dg.gov.cn"), ("", "hm2@dg.gov.cn"), ("", "hm3@dg.gov.cn")], []),
    ("东城 <dc@dg.gov.cn>；not-an-email", [("东城", "dc@dg.gov.cn")], ["not-an-email"]),
    ("hm@dg.gov.cn hm2@dg.gov.cn", [], ["hm@dg.gov.cn hm2@dg.gov.cn"]),
    ("sl＠dg.gov.cn", [], ["sl＠dg.gov.cn"]),
    ('a@dg.gov.cn; "王五 <c@dg.gov.cn>', [("", "a@dg.gov.cn")], ['"王五 <c@dg.gov.cn>']),
    ("=?utf-8?q?x?=@dg.gov.cn", [], ["=?utf-8?q?x?=@dg.gov.cn"]),
])
def test_the_directory_check_and_the_mail_drafts_read_a_cell_alike(cell, pairs, bad):
    """What M112 accepts is exactly what the drafts address (a display name with a comma
    stays one address; 、 and line breaks separate addresses in both)."""
    from toolkit.addresses import bad_addresses, parse_addresses

    assert parse_addresses(cell) == (pairs, bad)
    assert bad_addresses(cell) == bad
