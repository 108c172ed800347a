"""Replies about a form with a separate document beside it (QA118), played as an office would.

石龙镇 mails its June form at 10:00 on 4 July and, at 15:00, the stamped PDF of it
(石龙镇6月进展（盖章）.pdf). Since QA114 an uninterrupted `collect` writes no reply about the
PDF: the form was taken. But when the coordinator's run was stopped after archiving (Ctrl-C, a
crash, the laptop's lid) the next `collect` rebuilt the owed replies by another rule: it wrote
石龙镇 【请修改后重新报送】…暂未采纳…重新报送 about the PDF and said 补写了上次未写出的反馈表及邮件草稿.
A resumed run now writes exactly the replies an uninterrupted one writes: one rule
(`owed.answered`) for `replies.choose`, `replies.resume` and `owed.settle`.

A town whose form is refused (a task's row deleted: E404) and that mails the stamped PDF
afterwards, as asked, got a reply about the PDF (无法读取…请报送填报表) in place of the reply about
its form: the town never learnt which row to restore. Sent in a later run, the PDF's reply
even retired the form's (已被新的回复替代). The reply is about the refused form (what to fix), and
a document beside a form asks for nothing of its own.
"""
from __future__ import annotations

import pytest
from conftest import drop, edit, issued_path
from test_evidence import body, clean, mail, reply, set_email, state

from toolkit.actions.collect import collect
from toolkit.filling import fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

SL, SL_MAIL = "石龙镇", "sl@dg.example.cn"
JUNE = Period.parse("2022-06")
FORM = "2022年6月_石龙镇_进展填报表.xlsx"
PDF_NAME = "石龙镇6月进展（盖章）.pdf"
STAMPED = b"%PDF-1.4\n% stamped copy of 2022\xe5\xb9\xb46\xe6\x9c\x88 return\n%%EOF\n"


def _without_row(task_id: str):
    """The town deletes a task's row it thought was not its own (E404)."""
    def change(wb):
        sheet = wb["进展填报"]
        sheet.protection.sheet = False
        row = next(r[0].row for r in sheet.iter_rows(min_row=5) if str(r[0].value).strip() == task_id)
        sheet.delete_rows(row)
    return change


def _form(ws, refused: bool) -> bytes:
    data = fill_return(issued_path(ws, SL), clean())
    return edit(data, _without_row("4.3")) if refused else data


def _mail_form(ws, refused: bool) -> None:
    set_email(ws, **{SL: SL_MAIL})
    drop(ws, "石龙1.eml", mail([(FORM, _form(ws, refused))], sender=SL_MAIL, subject="石龙镇6月进展",
                                date="Mon, 04 Jul 2022 10:00:00 +0800"))


def _mail_pdf(ws, date: str = "Mon, 04 Jul 2022 15:00:00 +0800") -> None:
    drop(ws, "石龙2.eml", mail([(PDF_NAME, STAMPED)], sender=SL_MAIL, subject="石龙镇6月进展盖章版", date=date))


def _live(ws) -> list:
    """石龙镇's live reply drafts, with the file each answers."""
    with Ledger(ws.ledger_path) as ledger:
        return [(d.path.rsplit("/", 1)[-1], ledger.get(d.receipt_id).name if d.receipt_id else None)
                for d in ledger.drafts("feedback", JUNE) if d.unit == SL]


def _stopped_collect(ws, monkeypatch) -> None:
    """A collect stopped after its files were archived and cleared, before its replies."""
    import toolkit.replies as replies

    def stopped(*_args, **_kw):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(replies, "choose", stopped)
        with pytest.raises(KeyboardInterrupt):
            collect(ws)
    assert not list(ws.inbox.iterdir())  # archived and recorded: the next run only owes the replies


# ---------------------------------------------------------------------------
# 1. a resumed run's owed replies follow the rule of an uninterrupted run


def test_a_resumed_run_writes_no_reply_about_the_stamped_copy_of_an_accepted_form(issued_ws, monkeypatch, run):
    _mail_form(issued_ws, refused=False)
    _mail_pdf(issued_ws)
    _stopped_collect(issued_ws, monkeypatch)
    result = run(["collect"], cwd=issued_ws.root)
    assert "补写" not in result.stdout and "需回复的单位" not in result.stdout, result.stdout
    assert _live(issued_ws) == []
    assert not list((issued_ws.root / "反馈").glob(f"*/*/{SL}_校验反馈.*"))
    assert state(issued_ws, SL) == UnitState.ON_TIME


@pytest.mark.parametrize("batch", ["accepted form, PDF", "refused form, PDF", "PDF alone"])
def test_a_resumed_run_writes_the_replies_of_an_uninterrupted_one(issued_ws, tmp_path, monkeypatch, batch):
    import shutil

    from toolkit.workspace import find_workspace

    other = find_workspace(shutil.copytree(issued_ws.root, tmp_path / "other"))
    for ws in (issued_ws, other):
        if batch != "PDF alone":
            _mail_form(ws, refused=batch.startswith("refused"))
        set_email(ws, **{SL: SL_MAIL})
        _mail_pdf(ws)
    collect(issued_ws)
    _stopped_collect(other, monkeypatch)
    collect(other)
    assert _live(other) == _live(issued_ws)
    assert state(other, SL) == state(issued_ws, SL)


def test_a_reply_owed_for_a_refused_form_is_written_though_a_pdf_came_since(issued_ws, monkeypatch):
    """The disk was full when the form was refused (the reply is owed); the stamped PDF comes
    next. The next run writes the form's reply, not one about the PDF."""
    import toolkit.replies as replies

    _mail_form(issued_ws, refused=True)

    def disk_full(*_args, **_kw):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(replies, "write_feedback", disk_full)
        assert [o.name for o in collect(issued_ws).owed] == [FORM]
    _mail_pdf(issued_ws, date="Tue, 05 Jul 2022 09:00:00 +0800")
    result = collect(issued_ws)
    assert not result.owed
    assert _live(issued_ws) == [(f"{SL}_校验反馈.eml", FORM)]


# ---------------------------------------------------------------------------
# 2. a refused form, then a PDF: the reply is about the form


def test_a_refused_form_then_its_stamped_pdf_in_one_run_gets_the_forms_reply(issued_ws, run):
    _mail_form(issued_ws, refused=True)
    _mail_pdf(issued_ws)
    result = run(["collect"], cwd=issued_ws.root)
    out = result.stdout
    assert f"退回：{FORM}（{SL}） E404" in out, out
    assert f"无法读取：{PDF_NAME}（{SL}）" in out, out
    assert f"需回复的单位 1 个：{SL}" in out, out
    assert _live(issued_ws) == [(f"{SL}_校验反馈.eml", FORM)]
    text = body(reply(issued_ws, SL))
    assert f"（{FORM}）" in text and "暂未采纳" in text, text
    # the PDF named once, as received beside the form, not as the file the reply is about (QA312)
    assert f"另收到的“{PDF_NAME}”不是填报表，已存档备查。" in text and text.count(PDF_NAME) == 1, text
    assert reply(issued_ws, SL)["To"].addresses[0].addr_spec == SL_MAIL
    assert state(issued_ws, SL) == UnitState.TO_FIX


def test_a_stamped_pdf_a_day_after_a_refused_form_keeps_the_forms_reply(issued_ws, run):
    _mail_form(issued_ws, refused=True)
    assert f"需回复的单位 1 个：{SL}" in run(["collect"], cwd=issued_ws.root).stdout
    first = _live(issued_ws)
    assert first == [(f"{SL}_校验反馈.eml", FORM)]
    _mail_pdf(issued_ws, date="Tue, 05 Jul 2022 09:00:00 +0800")
    out = run(["collect"], cwd=issued_ws.root).stdout
    assert f"无法读取：{PDF_NAME}（{SL}）" in out, out
    assert "需回复的单位" not in out and "补写" not in out, out  # no reply written in this run
    assert _live(issued_ws) == first  # the form's reply stands, not retired for the PDF
    assert f"（{FORM}）" in body(reply(issued_ws, SL))
    assert state(issued_ws, SL) == UnitState.TO_FIX


def test_a_reminder_after_the_pdf_still_attaches_the_marked_form(issued_ws):
    """`remind --attach` sends the reply's marked workbook while that reply answers the
    unit's return: the PDF since does not make it send a blank form in its place."""
    from toolkit.actions.remind import _feedback_form
    from toolkit.consolidate import consolidate

    _mail_form(issued_ws, refused=True)
    collect(issued_ws)
    _mail_pdf(issued_ws, date="Tue, 05 Jul 2022 09:00:00 +0800")
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        marked = _feedback_form(issued_ws, ledger, consolidate(issued_ws, JUNE), (SL,))
    assert marked is not None and marked.name == f"{SL}_校验反馈.xlsx"


def test_a_pdf_alone_still_asks_for_the_form(issued_ws, run):
    """Nothing else from 石龙镇: the PDF is its return, and it must send the form."""
    set_email(issued_ws, **{SL: SL_MAIL})
    _mail_pdf(issued_ws)
    out = run(["collect"], cwd=issued_ws.root).stdout
    assert f"需回复的单位 1 个：{SL}" in out, out
    assert _live(issued_ws) == [(f"{SL}_校验反馈.eml", PDF_NAME)]
