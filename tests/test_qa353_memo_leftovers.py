"""QA353: what the review of QA349 left of the files beside a 通报.

A. ``memo --format md`` wrote a new summary while the 通报 .docx and its PDF beside it, made before
   a late return came, still named the unit 未报送: nothing said, and the office sent the .docx. Now
   one line names them and says to make the 通报 again (they are not moved: see `_stale_beside`).
B. A PDF made from an earlier .docx (a .docx written since, with the late return, that could not
   move it aside) beside a .docx written again with the same data was left and nothing said: it is
   older than the data it should show (`_since`), and is set aside as a re-made .docx's PDF is.
C. Ctrl-C after that PDF was set aside (LibreOffice making the new one) named the 通报 written,
   not the PDF under its 旧版 name.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from zoneinfo import ZoneInfo

import pytest
from conftest import drop, issued_path, late, on_time, shanghai

from toolkit import office, office_edits
from toolkit.actions import memo as memo_action
from toolkit.filling import Filling, fill_return
from toolkit.ledger import outputs, store
from toolkit.workspace import Workspace

pytestmark = pytest.mark.slow  # plays a month through the CLI

MEMO = "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
MADE = dt.datetime(2022, 7, 8, 10, 5)  # when the office made its PDF, after the first 通报
ASIDE = f"{MEMO}（旧版，7月8日10时05分保存）.pdf"
ASIDE_LINE = (f"通报已按最新数据重新生成；原有的通报 PDF 是按此前的数据生成的，与新通报不一致，已改名为“{ASIDE}”，"
              "请勿发出。需要 PDF 请运行 duban memo --pdf，或在 Word/WPS 中把新通报另存为 PDF。")
FAKE_PDF = b"%PDF-1.4\n% made from the earlier memo\n"


def _at(monkeypatch, moment: dt.datetime) -> None:
    """Run what follows at ``moment`` (Beijing time): the ledger's times of receipt and of outputs
    written, and the workspace's clock, as one clock."""
    when = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    machine = when.astimezone().replace(tzinfo=None)
    monkeypatch.setattr(store, "now", lambda: machine.isoformat(sep=" "))
    monkeypatch.setattr(outputs, "answered_now", lambda: machine.isoformat(sep=" ", timespec="microseconds"))
    monkeypatch.setattr(Workspace, "now", lambda self: when.astimezone(self.tz))


def _folder(ws):
    return ws.root / "通报" / "2022年6月"


def _names(ws) -> list[str]:
    return sorted(p.name for p in _folder(ws).iterdir())


def _returned(ws, run, unit: str, when: float) -> None:
    drop(ws, f"{unit}.xlsx", fill_return(issued_path(ws, unit), Filling()), when)
    assert run(["collect"], cwd=ws.root).exit_code in (0, 1)


@pytest.fixture
def june(issued_ws, run, monkeypatch):
    """June's 通报 made at 10:00 on 8 July with 市民政局's return, its PDF at 10:05 (Word's 另存为,
    or ``memo --pdf``); no LibreOffice. 市公安局's late return is collected at 18:00."""
    monkeypatch.setattr(office, "soffice", lambda: None)
    ws = issued_ws
    _at(monkeypatch, dt.datetime(2022, 7, 8, 9, 0))
    _returned(ws, run, "市民政局", on_time())
    _at(monkeypatch, dt.datetime(2022, 7, 8, 10, 0))
    assert run(["memo"], cwd=ws.root).exit_code in (0, 1)
    pdf = _folder(ws) / f"{MEMO}.pdf"
    pdf.write_bytes(FAKE_PDF)
    os.utime(pdf, (shanghai(MADE), shanghai(MADE)))
    _at(monkeypatch, dt.datetime(2022, 7, 8, 18, 0))
    _returned(ws, run, "市公安局", late())
    return ws


# A ---------------------------------------------------------------------------------------------


def test_a_summary_made_after_a_late_return_says_the_memo_and_pdf_beside_are_older(june, run, monkeypatch):
    ws = june
    md = run(["memo", "--format", "md"], cwd=ws.root)
    line = (f"通报摘要已按最新数据生成；同一文件夹中的通报“{MEMO}.docx”和通报 PDF“{MEMO}.pdf”生成之后，"
            "又收到本期的报送 1 份（市公安局），仍是此前的数据，与摘要不一致，请勿发出。"
            "请运行 duban memo（或双击“3-生成通报”）按最新数据重新生成通报。")
    assert line in md.stderr.splitlines() and md.exit_code == 1
    # said, nothing moved: the 通报 stays where the office looks for it
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.md", f"{MEMO}.pdf"])
    # the one command it names puts both right: the PDF set aside (no LibreOffice here), then said no more
    assert ASIDE_LINE in run(["memo"], cwd=ws.root).stderr.splitlines()
    _at(monkeypatch, dt.datetime(2022, 7, 8, 18, 30))
    again = run(["memo", "--format", "md"], cwd=ws.root)
    assert "通报摘要已按最新数据生成" not in again.output


def test_a_summary_beside_a_memo_made_after_every_return_says_nothing(june, run, monkeypatch):
    ws = june
    _at(monkeypatch, dt.datetime(2022, 7, 8, 18, 30))
    run(["memo"], cwd=ws.root)  # the PDF set aside here: a new one made in Word at 18:40
    pdf = _folder(ws) / f"{MEMO}.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% the new one\n")
    os.utime(pdf, (shanghai(dt.datetime(2022, 7, 8, 18, 40)),) * 2)
    md = run(["memo", "--format", "md"], cwd=ws.root)
    assert "通报摘要已按最新数据生成" not in md.output


def test_only_the_pdf_is_named_where_only_it_is_older(june, run, monkeypatch):
    ws = june
    monkeypatch.setattr(office_edits.os, "rename", _refused)  # the PDF open in a reader: not moved
    _at(monkeypatch, dt.datetime(2022, 7, 8, 18, 30))
    run(["memo"], cwd=ws.root)
    md = run(["memo", "--format", "md"], cwd=ws.root)
    assert [x for x in md.stderr.splitlines() if x.startswith("通报摘要已按最新数据生成")] == [
        f"通报摘要已按最新数据生成；同一文件夹中的通报 PDF“{MEMO}.pdf”生成之后，又收到本期的报送 1 份（市公安局），"
        "仍是此前的数据，与摘要不一致，请勿发出。请运行 duban memo（或双击“3-生成通报”）按最新数据重新生成通报。"]


# B ---------------------------------------------------------------------------------------------


def _refused(src, dst):
    raise PermissionError(13, "Permission denied", str(src))


def test_a_pdf_older_than_the_data_is_set_aside_beside_a_memo_made_again_the_same(june, run, monkeypatch):
    ws = june
    with monkeypatch.context() as m:  # 18:30: the 通报 made again, its PDF open in a reader: not moved
        m.setattr(office_edits.os, "rename", _refused)
        first = run(["memo"], cwd=ws.root)
        assert any("无法将它改名" in x for x in first.stderr.splitlines())
        assert f"{MEMO}.pdf" in _names(ws)
    again = run(["memo"], cwd=ws.root)  # the same data: the 通报 as it was; the PDF still of the morning's
    assert ASIDE_LINE in again.stderr.splitlines() and again.exit_code == 1
    assert _names(ws) == sorted([f"{MEMO}.docx", ASIDE])
    assert (_folder(ws) / ASIDE).read_bytes() == FAKE_PDF


def test_a_pdf_made_after_the_last_change_is_left(june, run):
    ws = june
    run(["memo"], cwd=ws.root)  # the old PDF set aside
    pdf = _folder(ws) / f"{MEMO}.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% saved from Word at 18:40\n")
    os.utime(pdf, (shanghai(dt.datetime(2022, 7, 8, 18, 40)),) * 2)
    again = run(["memo"], cwd=ws.root)
    assert "PDF" not in again.output
    assert pdf.read_bytes() == b"%PDF-1.4\n% saved from Word at 18:40\n"


def test_memo_pdf_that_cannot_move_the_old_one_but_makes_a_new_one_says_nothing_of_it(june, run, monkeypatch):
    """``memo --pdf`` sets the earlier PDF aside before LibreOffice makes the new one: one it could
    not move is replaced by the new one, and the line that said not to send it goes."""
    ws = june
    monkeypatch.setattr(office_edits.os, "rename", _refused)
    monkeypatch.setattr(memo_action.office, "soffice", lambda: "soffice")

    def made(docx_path):
        docx_path.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n% the new one\n")
        return docx_path.with_suffix(".pdf")

    monkeypatch.setattr(memo_action, "_write_pdf", made)
    result = run(["memo", "--pdf"], cwd=ws.root)
    assert "无法将它改名" not in result.output and f"PDF：{_folder(ws) / (MEMO + '.pdf')}" in result.stdout
    assert _names(ws) == sorted([f"{MEMO}.docx", f"{MEMO}.pdf"])


# C ---------------------------------------------------------------------------------------------


def test_ctrl_c_while_the_new_pdf_is_made_names_the_old_one_set_aside(june, run, monkeypatch):
    ws = june
    monkeypatch.setattr(memo_action.office, "soffice", lambda: "soffice")

    def stopped(docx_path):  # LibreOffice converting when the office presses Ctrl-C
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(memo_action, "_write_pdf", stopped)
    monkeypatch.setattr(outputs, "answered_now", lambda: dt.datetime.now().isoformat(sep=" ", timespec="microseconds"))
    result = run(["memo"], cwd=ws.root)  # 3-生成通报: the PDF made again where LibreOffice is
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == (
        f"已取消：取消前通报已重新生成（“{MEMO}.docx”），原有的通报 PDF 是按此前的数据生成的，"
        f"已改名为“{ASIDE}”，请勿发出。")
    assert _names(ws) == sorted([f"{MEMO}.docx", ASIDE])
