"""Files that are not a return, from a unit that has reported, do not read as a refusal (QA345).

石龙镇's June return is taken (按时) on 4 July. On 6 July it mails its 佐证材料 on their own: the
stamped PDF, a Word 说明, a zip of photos. `collect` said each in red as refused (请直接报送下发的
Excel 填报表…不要转成 PDF), exited 1, and 校验问题 listed them as errors under a unit standing 按时.
The same files in the same mail as the return were already said 无需处理 on screen (QA209), but
校验问题 still listed them, and a blank form carried back beside the filled one showed its
E501/E506 rows there, 退回, under a unit 按时.

Now: said 无需处理 (not red), exit 0, no reply, no 校验问题 row; 收件登记 records each as 无需处理
with why. Still refused: a PDF from a unit with no accepted return (退回待改, a reply asking for
the form), a later spreadsheet sent on its own, a form with errors or a table not the form
(E105): it may be a correction, and is judged as a return.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import drop, issued_path, set_clock, zip_bytes
from test_evidence import clean, mail, set_email, state

from toolkit import set_aside
from toolkit.actions.collect import CollectResult
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger, Receipt
from toolkit.period import Period
from toolkit.report import make_issue
from toolkit.vocab import Outcome, UnitState

JUNE = Period.parse("2022-06")
SL, SL_MAIL = "石龙镇", "sl@dg.example.cn"
PDF_NAME = "石龙镇6月佐证材料（盖章）.pdf"
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64
NOTE = "佐证材料/非填报表，单位本期已报送并采纳，无需处理"


# ---------------------------------------------------------------------------
# the library: which files are set aside, and how the 汇总表 shows them (quick)


def _rec(rid: int, name: str, outcome: str, unit: str | None = SL, parent: int | None = None) -> Receipt:
    return Receipt(rid, parent, f"{rid:064x}", name, "", f"邮件 {rid}", "2022-07-04 10:00:00",
                   "2022-07-04 18:00:00", "", 1, JUNE if unit else None, unit, outcome, 0, 0, "发件人地址",
                   {}, None, "")


def _e103(ext: str):
    return [make_issue("E103", ext=ext, advice="请报送下发的 Excel 填报表")]


@pytest.mark.parametrize(("name", "outcome", "codes", "document"), [
    ("佐证.pdf", Outcome.UNREADABLE, "E103", True),
    ("现场照片.JPG", Outcome.UNREADABLE, "E103", True),
    ("情况说明.docx", Outcome.UNREADABLE, "E103", True),
    ("自制台账.xlsx", Outcome.UNREADABLE, "E105", False),  # a spreadsheet: a return that failed
    ("填报表.et", Outcome.UNREADABLE, "E103", False),
    ("大文件.pdf", Outcome.UNREADABLE, "E104", False),     # refused for its size: unseen, may be anything
    ("佐证.pdf", Outcome.RETURNED, "E103", False),
])
def test_what_counts_as_a_document(name, outcome, codes, document):
    issues = [make_issue(codes, ext=".x", advice="", detail="", found="")]
    assert set_aside.is_document(name, outcome, issues) is document


def test_a_document_of_a_unit_with_a_taken_return_is_set_aside_whenever_it_came():
    form, mail1 = _rec(2, "石龙镇6月.xlsx", Outcome.ACCEPTED, parent=1), _rec(1, "a.eml", Outcome.CONTAINER, None)
    pdf, mail2 = _rec(4, "佐证.pdf", Outcome.UNREADABLE, parent=3), _rec(3, "b.eml", Outcome.CONTAINER, None)
    early = _rec(5, "先发的扫描件.png", Outcome.UNREADABLE)  # before the form: asks nothing once it is taken
    own = _rec(6, "自制台账.xlsx", Outcome.UNREADABLE)
    other = _rec(7, "长安镇.pdf", Outcome.UNREADABLE, unit="长安镇")  # 长安镇 sent nothing else
    issues = {4: _e103(".pdf"), 5: _e103(".png"), 6: [make_issue("E105")], 7: _e103(".pdf")}
    received = {SL: [early, form, pdf, own], "长安镇": [other]}
    aside = set_aside.of_month(received, [mail1, form, mail2, pdf, early, own, other], issues)
    assert aside == {4: set_aside.DOCUMENT, 5: set_aside.DOCUMENT}


def test_a_refused_file_in_the_mail_of_a_taken_return_is_set_aside():
    mail1 = _rec(1, "a.eml", Outcome.CONTAINER, None)
    blank, filled = _rec(2, "填报表.xlsx", Outcome.RETURNED, parent=1), _rec(3, "填报表(1).xlsx", Outcome.SUPERSEDED, parent=1)
    later = _rec(4, "填报表.xlsx", Outcome.ACCEPTED)
    issues = {2: [make_issue("E501", task="1.2")]}
    assert set_aside.of_month({SL: [blank, filled, later]}, [mail1, blank, filled, later], issues) == {
        2: set_aside.CARRIED}


def test_the_sheets_show_a_file_set_aside_as_nothing_to_do():
    pdf, form = _rec(4, "佐证.pdf", Outcome.UNREADABLE), _rec(2, "石龙镇6月.xlsx", Outcome.ACCEPTED)
    issues = {4: _e103(".pdf"), 2: [make_issue("W607", task="1.2")]}
    rows = set_aside.issue_rows([form, pdf], issues, {4: set_aside.DOCUMENT})
    assert [(r["file"], r["code"]) for r in rows] == [("石龙镇6月.xlsx", "W607")]
    shown = set_aside.register_marked([form, pdf], {4: set_aside.DOCUMENT})
    assert shown[0] == form
    assert (shown[1].outcome, shown[1].source) == (set_aside.NOTHING_TO_DO, f"邮件 4；{NOTE}")


def test_a_collect_with_only_files_set_aside_asks_nothing():
    result = CollectResult(inputs=1, receipts=2, aside={7: set_aside.DOCUMENT})
    assert not result.needs_attention
    assert result.tally() == "采纳 0，退回 0，无法读取 0，重复 0，无需处理 1"
    assert CollectResult().tally() == "采纳 0，退回 0，无法读取 0，重复 0"  # as before when there is none
    assert result.to_dict()["aside"] == [7]


# ---------------------------------------------------------------------------
# played through collect (slow)


def _docx() -> bytes:
    import docx

    out = io.BytesIO()
    doc = docx.Document()
    doc.add_paragraph("石龙镇6月工作情况说明")
    doc.save(out)
    return out.getvalue()


def _mail(ws, name: str, attachments, day: int, subject: str = "石龙镇6月进展") -> None:
    drop(ws, name, mail(attachments, sender=SL_MAIL, subject=subject, date=f"Mon, 0{day} Jul 2022 10:00:00 +0800"))


def _reported(ws, make_return, monkeypatch, run) -> None:
    """石龙镇's June return, taken on 4 July (按时)."""
    set_email(ws, **{SL: SL_MAIL})
    _mail(ws, "石龙1.eml", [("2022年6月_石龙镇_进展填报表.xlsx", make_return(SL, clean()))], 4)
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    assert run(["collect"], cwd=ws.root).exit_code == 0


def _replies(ws) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [d.path for d in ledger.drafts("feedback", JUNE) if d.unit == SL]


SUPPORTING = [(PDF_NAME,), ("6月工作情况说明.docx",), ("现场照片.zip", "1.jpg", "2.jpg")]


@pytest.mark.slow
def test_supporting_files_mailed_after_a_taken_return_ask_nothing(issued_ws, make_return, monkeypatch, run):
    _reported(issued_ws, make_return, monkeypatch, run)
    _mail(issued_ws, "石龙2.eml", [(PDF_NAME, PDF)], 6, "石龙镇佐证材料")
    _mail(issued_ws, "石龙3.eml", [("6月工作情况说明.docx", _docx())], 6, "石龙镇情况说明")
    _mail(issued_ws, "石龙4.eml", [("现场照片.zip", zip_bytes({"1.jpg": JPG, "2.jpg": JPG + b"2"}))], 6, "石龙镇照片")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    result = run(["collect"], cwd=issued_ws.root)
    out = result.output
    assert result.exit_code == 0, out
    assert "采纳 0，退回 0，无法读取 0，重复 0，无需处理 4" in out, out
    for name in (PDF_NAME, "6月工作情况说明.docx", "1.jpg", "2.jpg"):
        assert (f"  无需处理：{name}（{SL}）不是填报表（如佐证材料、盖章扫描件、照片、Word 说明），"
                "本单位本期已报送并采纳，已登记") in out.splitlines(), out
    assert "请直接报送" not in out and "不要转成 PDF" not in out and "E103" not in out, out
    assert "需回复的单位" not in out and _replies(issued_ws) == []
    assert state(issued_ws, SL) == UnitState.ON_TIME
    cons = consolidate(issued_ws, JUNE)
    assert [i for i in cons.issues if i["unit"] == SL] == []
    register = {r.name: r for r in cons.receipts}
    for name in (PDF_NAME, "6月工作情况说明.docx", "1.jpg", "2.jpg"):  # nothing lost
        assert register[name].outcome == set_aside.NOTHING_TO_DO and register[name].source.endswith(NOTE)
        assert register[name].archive_path.startswith("归档/")
    with Ledger(issued_ws.ledger_path) as ledger:  # the ledger keeps what the file was
        assert {r.outcome for r in ledger.receipts(JUNE) if r.name == PDF_NAME} == {Outcome.UNREADABLE}


@pytest.mark.slow
def test_run_says_nothing_to_do_and_exits_0(issued_ws, make_return, monkeypatch, run):
    _reported(issued_ws, make_return, monkeypatch, run)
    _mail(issued_ws, "石龙2.eml", [(PDF_NAME, PDF)], 6, "石龙镇佐证材料")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    result = run(["run", "--no-fetch"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "无需处理 1" in result.output and "不要转成 PDF" not in result.output, result.output
    # the 汇总表's 校验问题 and 收件登记, as written
    from openpyxl import load_workbook

    [book] = (issued_ws.root / "汇总").rglob("*.xlsx")
    wb = load_workbook(book, read_only=True)
    issues = [r for r in wb["校验问题"].iter_rows(values_only=True) if PDF_NAME in r]
    assert issues == []
    [row] = [r for r in wb["收件登记"].iter_rows(values_only=True) if PDF_NAME in r]
    assert set_aside.NOTHING_TO_DO in row and any(NOTE in str(v) for v in row), row


@pytest.mark.slow
def test_the_blank_form_beside_the_filled_one_is_no_issue(issued_ws, make_return, monkeypatch, run):
    set_email(issued_ws, **{SL: SL_MAIL})
    blank = issued_path(issued_ws, SL).read_bytes()
    form = "2022年6月_石龙镇_进展填报表"
    _mail(issued_ws, "石龙1.eml", [(f"{form}.xlsx", blank), (f"{form}(1).xlsx", make_return(SL, clean()))], 4)
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    # the form as issued, byte for byte: no return at all, 重复 (收件登记 不计入, QA373)
    assert "  采纳 1，退回 0，无法读取 0，重复 1，已被替代 0" in result.output.splitlines(), result.output
    assert state(issued_ws, SL) == UnitState.ON_TIME
    cons = consolidate(issued_ws, JUNE)
    assert [(i["code"], i["outcome"]) for i in cons.issues if i["file"] == f"{form}.xlsx"] == []
    [rec] = [r for r in cons.receipts if r.name == f"{form}.xlsx"]
    assert rec.outcome == set_aside.NOT_COUNTED and "未填写的原表" in rec.source


@pytest.mark.slow
def test_a_pdf_alone_still_makes_the_unit_to_fix_with_a_reply(issued_ws, monkeypatch, run):
    set_email(issued_ws, **{SL: SL_MAIL})
    _mail(issued_ws, "石龙2.eml", [(PDF_NAME, PDF)], 4, "石龙镇6月进展")
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert f"  无法读取：{PDF_NAME}（{SL}） E103" in result.output and "不要转成 PDF" in result.output
    assert f"需回复的单位 1 个：{SL}" in result.output
    assert state(issued_ws, SL) == UnitState.TO_FIX
    cons = consolidate(issued_ws, JUNE)
    assert [(i["file"], i["code"]) for i in cons.issues if i["unit"] == SL] == [(PDF_NAME, "E103")]
    assert [r.outcome for r in cons.receipts if r.name == PDF_NAME] == [Outcome.UNREADABLE]


@pytest.mark.slow
def test_the_pdf_sent_first_asks_nothing_once_the_form_is_taken(issued_ws, make_return, monkeypatch, run):
    set_email(issued_ws, **{SL: SL_MAIL})
    _mail(issued_ws, "石龙2.eml", [(PDF_NAME, PDF)], 3, "石龙镇6月进展")
    set_clock(monkeypatch, dt.date(2022, 7, 3))
    assert run(["collect"], cwd=issued_ws.root).exit_code == 1  # asked for the form
    _mail(issued_ws, "石龙1.eml", [("2022年6月_石龙镇_进展填报表.xlsx", make_return(SL, clean()))], 4)
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    assert run(["collect"], cwd=issued_ws.root).exit_code == 0
    assert state(issued_ws, SL) == UnitState.ON_TIME
    cons = consolidate(issued_ws, JUNE)
    assert [i for i in cons.issues if i["unit"] == SL] == []
    assert [r.outcome for r in cons.receipts if r.name == PDF_NAME] == [set_aside.NOTHING_TO_DO]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["a form with errors", "a table not the form (E105)"])
def test_a_later_spreadsheet_is_judged_as_a_return(issued_ws, make_return, monkeypatch, run, kind):
    from conftest import sheet_table

    _reported(issued_ws, make_return, monkeypatch, run)
    if kind == "a form with errors":
        # 1.2 滞后 with no 存在问题 (E603); the form as issued is no return at all (QA373)
        name = "2022年6月_石龙镇_进展填报表(修改).xlsx"
        data = make_return(SL, Filling(answers={"1.2": Answer(status="滞后", progress=30, problems="")}))
    else:
        name = "石龙镇6月工作台账.xlsx"
        data = sheet_table(issued_ws.root / "台账.xlsx", [("序号", "工作内容", "完成情况"), (1, "河道清理", "已完成")]
                           ).read_bytes()
    _mail(issued_ws, "石龙2.eml", [(name, data)], 6, "石龙镇6月进展修改")
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1, result.output
    assert "无需处理" not in result.output, result.output
    assert f"：{name}（{SL}） E" in result.output, result.output
    assert state(issued_ws, SL) == UnitState.ON_TIME  # the taken return stands
    assert [i["file"] for i in consolidate(issued_ws, JUNE).issues if i["unit"] == SL and i["code"].startswith("E")]
