"""QA349 (a new coordinator playing 大竹县's table for two months): three things the screen or the
files beside the 通报 said wrong.

A. The PDF and the Markdown summary made beside a 通报 (``memo --pdf``, ``memo --format md``) stayed
   under their names when a late return came and ``duban run`` or 3-生成通报 (never ``--pdf``)
   wrote the .docx again: they still named the unit 未报送, nothing said; the office sent the PDF.
   Now the .md is made again (the office's edits of it kept, as the 通报's are), and the PDF is made
   again where LibreOffice can, else moved to a kept copy's name (``（旧版，…保存）``), said.
B. ``duban memo`` before the deadline said "运行 duban verify" of its one 请核实 (the deadline not yet
   past), and verify said it had nothing to ask.
C. A photo beside the form in one zip was said "无法读取（无需处理）" beside the tally's "无法读取 0".
"""

from __future__ import annotations

import datetime as dt
import os

import docx
import pytest
from conftest import drop, issued_path, late, on_time, set_clock, shanghai, zip_bytes

from toolkit import office, office_edits
from toolkit.actions import memo as memo_action
from toolkit.filling import Filling, fill_return

pytestmark = pytest.mark.slow  # plays a month through the CLI

MEMO = "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
#: when the earlier PDF was made (Beijing time): its kept copy's name says it
MADE = shanghai(dt.datetime(2022, 7, 8, 14, 5))
ASIDE = f"{MEMO}（旧版，7月8日14时05分保存）.pdf"
ASIDE_LINE = (f"通报已按最新数据重新生成；原有的通报 PDF 是按此前的数据生成的，与新通报不一致，已改名为“{ASIDE}”，"
              "请勿发出。需要 PDF 请运行 duban memo --pdf，或在 Word/WPS 中把新通报另存为 PDF。")
FAKE_PDF = b"%PDF-1.4\n% made from the earlier memo\n"


def _folder(ws):
    return ws.root / "通报" / "2022年6月"


def _returned(ws, run, unit: str, when: float) -> None:
    drop(ws, f"{unit}.xlsx", fill_return(issued_path(ws, unit), Filling()), when)
    assert run(["collect"], cwd=ws.root).exit_code in (0, 1)


@pytest.fixture
def june_made(issued_ws, run, collecting_on, monkeypatch):
    """June past its deadline, 市民政局's return in: the 通报, its Markdown summary and a PDF of it
    (made by ``memo --pdf`` or Word's 另存为 PDF) lie in 通报/2022年6月/, naming 市公安局 未报送. An
    office without LibreOffice unless the test says otherwise."""
    monkeypatch.setattr(office, "soffice", lambda: None)
    collecting_on(dt.date(2022, 7, 8))
    ws = issued_ws
    _returned(ws, run, "市民政局", on_time())
    assert run(["memo"], cwd=ws.root).exit_code in (0, 1)
    assert run(["memo", "--format", "md"], cwd=ws.root).exit_code in (0, 1)
    pdf = _folder(ws) / f"{MEMO}.pdf"
    pdf.write_bytes(FAKE_PDF)
    os.utime(pdf, (MADE, MADE))
    return ws


def _md(ws) -> str:
    return (_folder(ws) / f"{MEMO}.md").read_text(encoding="utf-8")


def _names(ws) -> list[str]:
    return sorted(p.name for p in _folder(ws).iterdir())


def test_a_late_return_sets_the_old_pdf_aside_and_makes_the_md_again(june_made, run):
    ws = june_made
    assert "市公安局" in _md(ws).split("未报送的单位（53个）：", 1)[1]  # what the PDF beside says too
    _returned(ws, run, "市公安局", late())
    memo = run(["memo"], cwd=ws.root)  # 3-生成通报: no --pdf
    assert memo.exit_code == 1  # the PDF aside asks something: make a new one, or none
    assert ASIDE_LINE in memo.stderr.splitlines()
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", ASIDE])
    assert (_folder(ws) / ASIDE).read_bytes() == FAKE_PDF  # moved, whole, its time kept
    assert (_folder(ws) / ASIDE).stat().st_mtime == MADE
    assert office_edits.is_kept_copy(ASIDE)
    # the summary made again from the new data, and said so in one line
    assert "（一）逾期报送的单位（1个）：市公安局。" in _md(ws).splitlines()
    assert "市公安局" not in _md(ws).split("未报送的单位（52个）：", 1)[1]
    assert f"通报摘要已一并按最新数据重新生成：{_folder(ws) / (MEMO + '.md')}" in memo.stderr.splitlines()
    # as ``memo --format md`` makes it
    made = _md(ws)
    assert run(["memo", "--format", "md"], cwd=ws.root).exit_code in (0, 1)
    assert _md(ws) == made


def test_a_memo_made_again_from_the_same_data_leaves_the_pdf_and_says_nothing(june_made, run):
    ws = june_made
    # made after the return it shows was collected (18:00 by the fixture's clock), as a PDF of its
    # 通报 is: one made before it is older than its data, and set aside (QA353)
    after = shanghai(dt.datetime(2022, 7, 8, 18, 5))
    os.utime(_folder(ws) / f"{MEMO}.pdf", (after, after))
    memo = run(["memo"], cwd=ws.root)
    assert "PDF" not in memo.output and "通报摘要" not in memo.output
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", f"{MEMO}.pdf"])
    assert (_folder(ws) / f"{MEMO}.pdf").read_bytes() == FAKE_PDF


def test_the_office_s_edits_of_the_md_are_kept_as_the_memo_s_are(june_made, run):
    ws = june_made
    md = _folder(ws) / f"{MEMO}.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n（主任：请各单位抓紧。）\n", encoding="utf-8")
    os.utime(md, (MADE, MADE))
    _returned(ws, run, "市公安局", late())
    memo = run(["memo"], cwd=ws.root)
    kept = f"{MEMO}（修改稿，7月8日14时05分保存）.md"
    assert (f"通报摘要已按最新数据重新生成；您修改过的旧版本已另存为“{kept}”，"
            f"请把修改抄到新通报摘要“{MEMO}.md”中。") in memo.stderr.splitlines()
    assert "主任" in (_folder(ws) / kept).read_text(encoding="utf-8") and "主任" not in _md(ws)


def test_run_says_it_too(june_made, run):
    ws = june_made
    drop(ws, "市公安局.xlsx", fill_return(issued_path(ws, "市公安局"), Filling()), late())
    result = run(["run"], cwd=ws.root)
    assert ASIDE_LINE in result.stderr.splitlines()
    assert ASIDE in _names(ws) and f"{MEMO}.pdf" not in _names(ws)


def _pdf_made(result, monkeypatch):
    """``result`` after `add_pdf`, with a PDF made (LibreOffice faked): the set-aside line gone."""
    monkeypatch.setattr(memo_action.office, "soffice", lambda: "soffice")

    def made(docx_path):
        docx_path.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n% the new one\n")
        return docx_path.with_suffix(".pdf")

    monkeypatch.setattr(memo_action, "_write_pdf", made)
    result = memo_action.add_pdf(result)
    assert result.pdf is not None and result.aside is None and ASIDE_LINE not in result.warnings
    return result


def test_a_pdf_made_after_takes_the_aside_copy_s_place(june_made, run, monkeypatch):
    """`run --pdf` writes the .docx in a worker (no PDF), then the PDF: the earlier one set aside
    by the first is removed by the second, as ``memo --pdf`` replaces it."""
    ws = june_made
    _returned(ws, run, "市公安局", late())
    result = memo_action.write_memo(ws)
    assert result.aside is not None and ASIDE_LINE in result.warnings
    result = _pdf_made(result, monkeypatch)
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", f"{MEMO}.pdf"])


def test_a_pdf_beside_an_edited_memo_is_kept_when_a_new_one_is_made(june_made, run, monkeypatch):
    """The office edited the 通报 and saved its own PDF of the edits: the new PDF takes the
    name, the earlier one keeps its copy's name (it may hold the edits), said once."""
    ws = june_made
    memo = _folder(ws) / f"{MEMO}.docx"
    doc = docx.Document(memo)
    doc.add_paragraph("主任批示：请各单位抓紧落实。")
    doc.save(memo)
    _returned(ws, run, "市公安局", late())
    result = memo_action.write_memo(ws)
    assert result.kept is not None and result.aside is not None
    result = _pdf_made(result, monkeypatch)
    assert (f"原有的通报 PDF 可能是按修改过的通报生成的，已改名为“{ASIDE}”保留；新的通报 PDF 已按最新数据生成。"
            in result.warnings)
    assert (_folder(ws) / ASIDE).read_bytes() == FAKE_PDF and f"{MEMO}.pdf" in _names(ws)


def test_memo_pdf_that_cannot_be_made_sets_the_old_one_aside(june_made, run):
    ws = june_made
    _returned(ws, run, "市公安局", late())
    memo = run(["memo", "--pdf"], cwd=ws.root)  # no LibreOffice here
    assert memo.exit_code == 1
    assert ASIDE_LINE in memo.stderr.splitlines()
    assert any(line.startswith("PDF 未更新：未安装 LibreOffice") for line in memo.stderr.splitlines())
    assert f"{MEMO}.pdf" not in _names(ws)


def test_a_pdf_that_cannot_be_moved_is_said_not_to_send(june_made, run, monkeypatch):
    ws = june_made
    _returned(ws, run, "市公安局", late())

    def refused(src, dst):
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(office_edits.os, "rename", refused)
    memo = run(["memo"], cwd=ws.root)
    line = next(x for x in memo.stderr.splitlines() if "无法将它改名" in x)
    assert line.startswith(f"通报已按最新数据重新生成，但原有的通报 PDF“{MEMO}.pdf”是按此前的数据生成的，"
                           "与新通报不一致，请勿发出；无法将它改名为旧版：没有写入权限：")
    assert line.endswith("改正后重新运行。需要 PDF 请运行 duban memo --pdf。")
    assert memo.exit_code == 1 and f"{MEMO}.pdf" in _names(ws)


@pytest.mark.libreoffice
def test_with_libreoffice_the_pdf_is_made_again(june_made, run, lo, monkeypatch):
    monkeypatch.undo()  # LibreOffice as installed (the fixture's clock goes with it: set again)

    set_clock(monkeypatch, dt.date(2022, 7, 8))
    ws = june_made
    _returned(ws, run, "市公安局", late())
    memo = run(["memo"], cwd=ws.root)
    pdf = _folder(ws) / f"{MEMO}.pdf"
    assert f"PDF：{pdf}" in memo.stdout.splitlines(), memo.output
    assert pdf.read_bytes() != FAKE_PDF and pdf.read_bytes().startswith(b"%PDF")
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", f"{MEMO}.pdf"])
    assert "旧版" not in memo.output



@pytest.mark.libreoffice
def test_run_pdf_replaces_the_earlier_pdf_with_no_copy_left(june_made, run, lo, monkeypatch):
    """``run --pdf`` writes the .docx in a worker, which sets the earlier PDF aside, then the PDF:
    as ``memo --pdf``, the new one replaces the old, no 旧版 copy left, nothing said of it."""
    monkeypatch.undo()
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    ws = june_made
    drop(ws, "市公安局.xlsx", fill_return(issued_path(ws, "市公安局"), Filling()), late())
    result = run(["run", "--pdf"], cwd=ws.root)
    pdf = _folder(ws) / f"{MEMO}.pdf"
    assert f"PDF：{pdf}" in result.stdout.splitlines(), result.output
    assert pdf.read_bytes() != FAKE_PDF
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", f"{MEMO}.pdf"]) and "旧版" not in result.output

# B ---------------------------------------------------------------------------------------------


def test_memo_before_the_deadline_does_not_send_the_office_to_verify(issued_ws, run, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 2))  # June's deadline is 5 July
    _returned(ws, run, "市民政局", shanghai(dt.datetime(2022, 7, 1, 10, 0)))
    memo = run(["memo"], cwd=ws.root)
    asked = [x for x in memo.stderr.splitlines() if x.startswith("请核实")]
    assert len(asked) == 1 and "尚未过其报送截止日期" in asked[0]
    assert "通报已生成，但还有 1 项“请核实”（见上）：正式发出前请先逐项核实、处理，再重新生成通报。" in memo.stdout.splitlines()
    assert "duban verify" not in memo.output and "5-逐条核实" not in memo.output
    verify = run(["verify", "--check"], cwd=ws.root)
    assert verify.exit_code == 0 and "没有需要逐条回答" in verify.output


def test_memo_with_a_question_verify_asks_still_points_there(issued_ws, run, collecting_on):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 8))
    _returned(ws, run, "市民政局", late())  # late by the file's time: verify asks when it came
    memo = run(["memo"], cwd=ws.root)
    assert any("运行 duban verify 或双击“5-逐条核实”逐条回答" in x for x in memo.stdout.splitlines())
    assert run(["verify", "--check"], cwd=ws.root).exit_code == 1


# C ---------------------------------------------------------------------------------------------


def test_a_photo_beside_the_form_is_said_as_the_tally_counts_it(issued_ws, make_return, run, collecting_on):
    ws = issued_ws
    drop(ws, "市民政局.zip", zip_bytes({"市民政局6月进展.xlsx": make_return("市民政局"),
                                        "现场照片.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64}),
         on_time())
    collecting_on(dt.date(2022, 7, 8))
    out = run(["collect"], cwd=ws.root).output
    assert "无法读取 0" in out and "无需处理 1" in out
    assert ("  无需处理：现场照片.jpg（市民政局）与本单位已采纳的填报表同在一封邮件或压缩包中报来"
            "（如盖章扫描件、未填写的原表），已登记") in out.splitlines()
    assert "无法读取（无需处理）" not in out
