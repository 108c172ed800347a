"""A department's long 工作进展 grows its row when typed (QA helper qa124).

市司法局 fills its June 2022 填报表 (东莞 demo master) in its office suite, prints it for the
leader's signature and stamp and mails back the scan. The form's task rows carried heights
fitted to the task text, written by openpyxl with ``customHeight="1"`` ("set by hand"), so
Excel, WPS and LibreOffice kept them whatever was typed: task 2.3's row stayed 47 points, and
the printed 工作进展 stopped after three lines at "经办人和审核". The task rows now keep their
heights without the mark (title, legend and header rows keep theirs), and the suites re-fit a
row when one of its cells is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from conftest import issued_path, skip_unless_required

from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import FIRST_ROW, HEADER_ROW, SHEET, read_return

UNIT = "市司法局"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
#: 市司法局's 工作进展 for task 2.3 (制定“事项与负责人”匹配清单), as long as departments write them
WORK = ("一、已完成全市行政许可事项清单与“事项与负责人”匹配清单的梳理，共梳理市级事项386项、镇街事项1124项，"
        "逐项明确承办科室、经办人和审核人，于6月15日经局党组会议审定后在市政府门户网站公开。"
        "二、组织各镇街司法所开展对照检查，发现责任人未落实、联系电话错误等问题27个，已全部整改到位。"
        "三、建立清单动态调整机制，人员调整后5个工作日内更新，并纳入月度督查内容。"
        "四、会同市政务服务数据管理局梳理系统对接字段，明确数据更新频次和责任人，完成测试环境部署。"
        "五、下一步将配合市政务服务数据管理局完成系统对接，实现清单在线查询，预计7月底前上线运行。")


def _sheet_xml(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ElementTree.fromstring(z.read(part))


def _rows(root: ElementTree.Element) -> dict[int, dict[str, str]]:
    return {int(r.get("r")): dict(r.attrib) for r in root.iterfind("m:sheetData/m:row", NS)}


def _custom(attrs: dict[str, str]) -> bool:
    return attrs.get("customHeight") in ("1", "true")


def test_task_rows_keep_their_heights_but_not_as_custom(issued_ws):
    data = issued_path(issued_ws, UNIT).read_bytes()
    root = _sheet_xml(data)
    rows = _rows(root)
    tasks = issued_ws.load_master().tasks_of(UNIT)
    task_rows = range(FIRST_ROW, FIRST_ROW + len(tasks))
    assert len(task_rows) == 6
    for r in task_rows:
        # as tall as the task text needs when the form opens (2.3's 47, 14.1's 187 points) …
        assert float(rows[r]["ht"]) >= 40, (r, rows[r])
        # … and no longer "set by hand", so the suites grow the row as the department types
        assert not _custom(rows[r]), (r, rows[r])
    assert rows[FIRST_ROW + 1]["ht"] == "47" and rows[FIRST_ROW + 5]["ht"] == "187"
    # title, legends, contact and header rows stay as set
    assert all(_custom(rows[r]) for r in range(1, HEADER_ROW + 1))
    protection = root.find("m:sheetProtection", NS).attrib
    assert protection["sheet"] == "1" and protection["formatRows"] == "0" and protection["deleteRows"] == "1"


def test_the_form_still_reads_as_issued(issued_ws):
    """calamine, duban's reader, takes the rows without customHeight as any others."""
    from toolkit.settings import Limits

    raw = read_return(issued_path(issued_ws, UNIT).read_bytes(), "司法局.xlsx", Limits())
    master = issued_ws.load_master()
    assert [r.values["task"] for r in raw.rows] == [t.id for t, _ in master.tasks_of(UNIT)]


def test_the_reply_to_a_refused_form_gives_its_long_progress_room(issued_ws, make_return):
    """The 校验反馈 copies the department's answers back into a fresh form: its rows are fitted
    to what was typed, not to the bare task text (2.3's row stayed 47 points and opened cut)."""
    from openpyxl.utils import get_column_letter

    from toolkit.feedback import build_feedback
    from toolkit.returns import COLUMNS
    from toolkit.style import load_style
    from toolkit.xlsx import row_height

    data = make_return(UNIT, **{"2_3": Answer(status="序时推进", progress=80, work=WORK),
                                "2_4": Answer(status="办理中", work="已梳理办事指南要素。")})
    master = issued_ws.load_master()
    report = check_return(data, "司法局.xlsx", CheckContext(master, issued_ws.limits, period=Period(2022, 6)))
    assert report.outcome != "采纳"  # 办理中 is no status
    style = load_style(resource("templates", "样式.toml"))
    wb, _ = build_feedback(master, report, data, "司法局.xlsx", project="东莞市2022年政务服务全域标准化专项行动",
                           due=dt.date(2022, 7, 5), style=style, limits=issued_ws.limits)
    out = io.BytesIO()
    wb.save(out)
    rows = _rows(_sheet_xml(out.getvalue()))
    row = FIRST_ROW + 1
    sheet = wb[SHEET]
    assert sheet[f"J{row}"].value == WORK
    work_width = sheet.column_dimensions[get_column_letter([f for f, _, _ in COLUMNS].index("work") + 1)].width
    needed = row_height([(WORK, work_width)], style["return"]["size"])
    assert float(rows[row]["ht"]) >= needed > 47 and not _custom(rows[row])


# ---------------------------------------------------------------------------
# LibreOffice as the department's office suite

#: Types ``text`` (a UTF-8 file's first line) into ``cell`` of the first sheet and saves as
#: xlsx: as a department does in LibreOffice, through the same cell input that re-fits rows
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Fill(sSrc As String, sDst As String, sText As String, sCell As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sSrc), &quot;_blank&quot;, 0, args())
  sfa = createUnoService(&quot;com.sun.star.ucb.SimpleFileAccess&quot;)
  inp = sfa.openFileRead(ConvertToURL(sText))
  tis = createUnoService(&quot;com.sun.star.io.TextInputStream&quot;)
  tis.setInputStream(inp)
  tis.setEncoding(&quot;UTF-8&quot;)
  oDoc.Sheets.getByIndex(0).getCellRangeByName(sCell).setString(tis.readLine())
  inp.closeInput()
  Dim st(0) As New com.sun.star.beans.PropertyValue
  st(0).Name = &quot;FilterName&quot;
  st(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  oDoc.storeToURL(ConvertToURL(sDst), st())
  oDoc.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
"""


def _type_in_libreoffice(src: Path, dst: Path, cell: str, text: str, tmp: Path) -> None:
    from toolkit.office import soffice

    profile = tmp / "profile"
    env = dict(os.environ, FONTCONFIG_FILE=str(resource("templates", "fonts.conf")))
    base = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    # a first start makes the profile's Standard library, then the macro goes in as Module1
    subprocess.run([*base, "--terminate_after_init"], env=env, capture_output=True, timeout=180, check=True)
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(MACRO, encoding="utf-8")
    (tmp / "text.txt").write_text(text + "\n", encoding="utf-8")
    call = f'macro:///Standard.Module1.Fill("{src}","{dst}","{tmp / "text.txt"}","{cell}")'
    subprocess.run([*base, call], env=env, capture_output=True, timeout=180, check=True)
    assert dst.is_file(), "LibreOffice did not save the filled form"


def test_long_progress_typed_in_libreoffice_prints_whole(issued_ws, lo, tmp_path):
    if shutil.which("pdftotext") is None:
        skip_unless_required("poppler (pdftotext) 未安装")
    src = tmp_path / "issued.xlsx"
    src.write_bytes(issued_path(issued_ws, UNIT).read_bytes())
    filled = tmp_path / "filled.xlsx"
    row = FIRST_ROW + 1  # task 2.3, issued 47 points high
    _type_in_libreoffice(src, filled, f"J{row}", WORK, tmp_path)

    data = filled.read_bytes()
    attrs = _rows(_sheet_xml(data))[row]
    assert float(attrs["ht"]) > 120 and not _custom(attrs), attrs  # the row grew, and may again
    # the text is read back whole, as typed
    master = issued_ws.load_master()
    report = check_return(data, "2022年6月_市司法局_进展填报表.xlsx", CheckContext(master, issued_ws.limits,
                                                                            period=Period(2022, 6)))
    assert report.unit == UNIT and next(r for r in report.rows if r.task == "2.3").work == WORK

    # printed, the whole 工作进展 is on the page, its last words included (cut: "…经办人和审核")
    pdf = lo(filled, "pdf", tmp_path / "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    printed = "".join(text.split())
    assert "预计7月底前上线运行" in printed and "完成测试环境部署" in printed
