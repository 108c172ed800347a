"""QA348: the month's note on a mail with no file or only a link carries which mail it asks of
(`mail_notes.Note.about`), and `run` / `collect --merge` say collect's own line on that mail only
when no note is about it. They matched the note's words (的邮件“来信.eml”): a note reworded
brought back the doubled 请核实 QA343 took away."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest
from conftest import drop, set_clock
from test_evidence import set_email
from test_qa210_mail import TOWN, link_mail

from toolkit import mail_notes
from toolkit.cli.month import _mail_said
from toolkit.mail_notes import Note


def _reworded(monkeypatch, name: str) -> None:
    """``mail_notes.<name>`` (`link_notes`, `bare_mail_notes`) in other words, about the same mails."""
    said = getattr(mail_notes, name)

    def other_words(cons):
        return [Note(n.replace("的邮件“", "发来的“").replace("计为未报送", "目前算作未报送"), n.about) for n in said(cons)]

    monkeypatch.setattr(mail_notes, name, other_words)


@pytest.mark.parametrize("command, body, notes, words", [
    (["collect", "--merge"], None, "link_notes", "发来的“来信.eml”"),
    (["run"], "领导还在审核，稍后补报。", "bare_mail_notes", "没有附件，不是填报表"),
])
def test_a_note_on_a_mail_reworded_still_asks_once(run, issued_ws, monkeypatch, command, body, notes, words):
    set_email(issued_ws, 石龙镇=TOWN)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    _reworded(monkeypatch, notes)
    drop(issued_ws, "来信.eml", link_mail(body) if body else link_mail())
    result = run(command, cwd=issued_ws.root)
    # the note on a mail with no file quotes its subject (QA378), collect's line its name and subject
    lines = [x for x in result.output.splitlines() if "来信.eml" in x or "“石龙镇6月进展填报表”" in x]
    assert len(lines) == 1 and "石龙镇 在2022年6月目前算作未报送" in lines[0] and words in lines[0], result.output


def test_a_note_is_about_the_mails_it_names_not_the_words_it_quotes():
    about = Note("请核实：石龙镇 在2022年6月计为未报送，但其7月4日发来的“来信.eml”没有附件。", ("来信.eml",))
    assert _mail_said("来信.eml", frozenset({about}))
    assert not _mail_said("另一封.eml", frozenset({about}))
    # a line that quotes a mail in those words but asks nothing of it: collect's own line stays
    quoting = "已核实：2022-07-04 17:00 的邮件“来信.eml”中的文件已下载登记。"
    assert not _mail_said("来信.eml", frozenset({quoting}))


def test_a_note_is_its_text_to_every_other_reader():
    note = Note("请核实：石龙镇 在2022年6月计为未报送", ("来信.eml",))
    assert note == "请核实：石龙镇 在2022年6月计为未报送" and {note: 1}["请核实：石龙镇 在2022年6月计为未报送"] == 1
    assert json.dumps([note], ensure_ascii=False) == '["请核实：石龙镇 在2022年6月计为未报送"]'
    back = pickle.loads(pickle.dumps(note))  # `run`'s 通报 worker sends its notes back pickled
    assert (back, back.about, type(back)) == (note, ("来信.eml",), Note)
