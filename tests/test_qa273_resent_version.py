"""QA helper 273: a unit answers a W212 question (two versions of its return carried together,
nothing telling which is meant) by sending the version it meant again, the very same bytes.

Collect called those bytes 重复 of the copy it had set aside (已被替代), so the question was
asked by status, merge, memo and run for ever and the 汇总表 kept the version not meant; only a
re-saved file answered it. Sent again on their own (a new mail, a new file in 收件箱) they are
the unit's answer; the same archive or the same mail again (same bytes, same Message-ID) says
nothing new and stays 重复.
"""

from __future__ import annotations

import pytest
from conftest import drop, late, on_time
from test_evidence import clean, mail
from test_qa263_archives import ASKED, UNDER_WAY, dated_zip, messages, rows

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

SAME = (2022, 7, 4, 9, 0, 0)
MEANT, KEPT = "石龙镇6月报表.xlsx", "石龙镇6月进展.xlsx"  # the archive keeps the second; the unit meant the first


@pytest.fixture
def forms(make_return) -> dict[str, bytes]:
    """The two versions, made once: sent again, they are the very same bytes."""
    return {MEANT: make_return("石龙镇", clean()), KEPT: make_return("石龙镇", UNDER_WAY)}


def _asked_in_a_zip(ws, forms) -> bytes:
    data = dated_zip([(MEANT, forms[MEANT], SAME), (KEPT, forms[KEPT], SAME)])
    drop(ws, "石龙镇.zip", data, on_time())
    assert collect(ws).disputed == [(KEPT, ASKED)]
    return data


def _question(ws) -> list[str]:
    return [n for n in consolidate(ws).office_notes() if "石龙镇.zip" in n or "邮件“" in n]


def _shilong(ws):
    return next(u for u in consolidate(ws).units if u.unit == "石龙镇")


def test_the_version_meant_sent_again_alone_is_the_answer(issued_ws, forms):
    _asked_in_a_zip(issued_ws, forms)
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    drop(issued_ws, MEANT, forms[MEANT], on_time() + 3600)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates, result.disputed) == (1, 0, [])
    new = rows(issued_ws)[-1]
    assert (new["name"], new["outcome"], new["parent_id"]) == (MEANT, "采纳", None)
    assert "W204" not in " ".join(messages(issued_ws, new["id"]))
    assert _question(issued_ws) == []
    shilong = _shilong(issued_ws)
    assert (shilong.file, shilong.state, shilong.received_at) == (MEANT, UnitState.ON_TIME, "2022-07-04 10:00")


def test_the_version_meant_sent_again_after_the_deadline_keeps_the_unit_on_time(issued_ws, forms):
    """The archive met the deadline; the answer is a choice between two returns sent on time."""
    _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, MEANT, forms[MEANT], late())
    collect(issued_ws)
    shilong = _shilong(issued_ws)
    assert (shilong.file, shilong.state) == (MEANT, UnitState.ON_TIME)


def test_the_version_meant_sent_again_in_a_new_mail_is_the_answer(issued_ws, forms):
    _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, "重报.eml", mail([(MEANT, forms[MEANT])], date="Tue, 05 Jul 2022 09:00:00 +0800"))
    collect(issued_ws)
    assert _question(issued_ws) == []
    assert _shilong(issued_ws).file == MEANT


def test_the_same_archive_again_changes_nothing(issued_ws, forms):
    data = _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, "石龙镇（再次）.zip", data, on_time() + 3600)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates) == (0, 2)
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    assert _shilong(issued_ws).file == KEPT


def test_the_same_archive_in_a_new_mail_changes_nothing(issued_ws, forms):
    data = _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, "转发.eml", mail([("石龙镇.zip", data)], date="Tue, 05 Jul 2022 09:00:00 +0800"))
    collect(issued_ws)
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    assert _shilong(issued_ws).file == KEPT


def _with_id(eml: bytes, message_id: str, received: str = "") -> bytes:
    """``eml`` with a Message-ID (and a Received line, as a second fetch or another client saves it)."""
    head = f"Message-ID: {message_id}\n".encode() + (f"Received: {received}\n".encode() if received else b"")
    return head + eml


def _asked_in_a_mail(ws, forms) -> bytes:
    eml = _with_id(mail([(MEANT, forms[MEANT]), (KEPT, forms[KEPT])],
                        subject="石龙镇6月报表"), "<a1@sl.example.cn>")
    drop(ws, "sl.eml", eml)
    [(kept, message)] = collect(ws).disputed
    assert kept == KEPT and message.startswith("邮件“石龙镇6月报表”内有石龙镇 2022年6月的 2 份填报表")
    return eml


@pytest.mark.parametrize("again", ["same-bytes", "same-message-id"])
def test_the_same_mail_fetched_twice_changes_nothing(issued_ws, forms, again):
    eml = _asked_in_a_mail(issued_ws, forms)
    twice = eml if again == "same-bytes" else _with_id(eml[eml.index(b"\n") + 1:], "<a1@sl.example.cn>",
                                                        "from mx2 by duban; Tue, 05 Jul 2022 09:00:00 +0800")
    drop(issued_ws, "sl（2）.eml", twice)
    result = collect(issued_ws)
    assert result.accepted == 0
    assert len(_question(issued_ws)) == 1
    assert _shilong(issued_ws).file == KEPT


def test_the_version_meant_of_a_mail_sent_again_in_another_mail_is_the_answer(issued_ws, forms):
    _asked_in_a_mail(issued_ws, forms)
    drop(issued_ws, "sl2.eml", _with_id(mail([(MEANT, forms[MEANT])], subject="重新报送",
                                             date="Tue, 05 Jul 2022 09:00:00 +0800"), "<a2@sl.example.cn>"))
    collect(issued_ws)
    assert _question(issued_ws) == []
    assert _shilong(issued_ws).file == MEANT


def test_the_answer_sent_twice_is_a_duplicate_the_second_time(issued_ws, forms):
    _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, MEANT, forms[MEANT], on_time() + 3600)
    collect(issued_ws)
    drop(issued_ws, "石龙镇6月报表(2).xlsx", forms[MEANT], on_time() + 7200)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates) == (0, 1)
    assert _shilong(issued_ws).file == MEANT


def test_the_kept_version_sent_again_is_a_duplicate_and_the_question_stays(issued_ws, forms):
    """Sending again the one kept answers nothing the office can tell from a slip: it stays 重复."""
    _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, KEPT, forms[KEPT], on_time() + 3600)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates) == (0, 1)
    assert len(_question(issued_ws)) == 1


def test_the_superseded_version_sent_again_after_a_later_return_is_a_duplicate(issued_ws, forms, make_return):
    """Once the unit sent a newer return the question is answered: the old bytes are old."""
    _asked_in_a_zip(issued_ws, forms)
    from test_qa263_archives import RESENT

    drop(issued_ws, "石龙镇6月报表（重报）.xlsx", make_return("石龙镇", RESENT), on_time() + 3600)
    collect(issued_ws)
    drop(issued_ws, MEANT, forms[MEANT], on_time() + 7200)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates) == (0, 1)
    assert _shilong(issued_ws).file == "石龙镇6月报表（重报）.xlsx"


def test_the_two_versions_zipped_again_together_change_nothing(issued_ws, forms):
    """Re-zipped (new archive bytes), the pair still does not tell which is meant."""
    _asked_in_a_zip(issued_ws, forms)
    drop(issued_ws, "石龙镇（重发）.zip", dated_zip([(MEANT, forms[MEANT], (2022, 7, 5, 9, 0, 0)),
                                                  (KEPT, forms[KEPT], (2022, 7, 5, 9, 0, 0))]), on_time() + 3600)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates) == (0, 2)
    assert len(_question(issued_ws)) == 1
    assert _shilong(issued_ws).file == KEPT
