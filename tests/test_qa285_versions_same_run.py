"""QA285: a W212 question (two versions of a unit's return carried together) answered in the
same collect that took it.

A unit that sends again on its own the version it meant answers the question (QA273); when the
archive of the two and the lone re-send were both in 收件箱 for one collect, the re-send went in
as 重复 of the archive's copy and the question stayed. Sent on its own after the archive, it is
the answer whichever collect takes the two, and whichever the run reads first; the same archive
or mail twice, or the two re-zipped, still tell nothing.
"""

from __future__ import annotations

import pytest
from conftest import drop, on_time
from test_evidence import clean, mail
from test_qa263_archives import ASKED, UNDER_WAY, dated_zip
from test_qa273_resent_version import KEPT, MEANT, SAME, _question, _shilong, _with_id

from toolkit.actions.collect import collect
from toolkit.vocab import UnitState


@pytest.fixture
def forms(make_return) -> dict[str, bytes]:
    """The two versions, made once (as tests/test_qa273_resent_version.py's): sent again, the very same bytes."""
    return {MEANT: make_return("石龙镇", clean()), KEPT: make_return("石龙镇", UNDER_WAY)}


def _zip(forms) -> bytes:
    return dated_zip([(MEANT, forms[MEANT], SAME), (KEPT, forms[KEPT], SAME)])


def test_the_version_meant_sent_alone_after_the_archive_answers_it_in_the_same_run(issued_ws, forms):
    drop(issued_ws, "石龙镇.zip", _zip(forms), on_time())
    drop(issued_ws, MEANT, forms[MEANT], on_time() + 3600)  # read after the archive (名称排序)
    result = collect(issued_ws)
    assert (result.accepted, result.duplicates, result.disputed) == (1, 1, [])
    assert _question(issued_ws) == []
    shilong = _shilong(issued_ws)
    assert (shilong.file, shilong.state, shilong.received_at) == (MEANT, UnitState.ON_TIME, "2022-07-04 10:00")


def test_the_version_meant_sent_alone_answers_it_whichever_the_run_reads_first(issued_ws, forms):
    drop(issued_ws, "石龙镇.zip", _zip(forms), on_time())
    drop(issued_ws, "1-" + MEANT, forms[MEANT], on_time() + 3600)  # read before the archive
    result = collect(issued_ws)
    assert result.disputed == []
    assert _question(issued_ws) == []
    # the archive's copy came first: the lone one is its 重复, whichever the run reads first (QA387)
    assert _shilong(issued_ws).file == MEANT


def test_a_lone_copy_sent_before_the_archive_answers_nothing(issued_ws, forms):
    """The archive came after it: which of its two is meant is still not told."""
    drop(issued_ws, "石龙镇.zip", _zip(forms), on_time())
    drop(issued_ws, MEANT, forms[MEANT], on_time() - 3600)
    result = collect(issued_ws)
    assert result.disputed == [(KEPT, ASKED)]
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    assert _shilong(issued_ws).file == KEPT


def test_the_same_archive_twice_in_one_run_changes_nothing(issued_ws, forms):
    data = _zip(forms)
    drop(issued_ws, "石龙镇.zip", data, on_time())
    drop(issued_ws, "石龙镇（再次）.zip", data, on_time() + 3600)
    result = collect(issued_ws)
    assert result.disputed == [(KEPT, ASKED)]
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    assert _shilong(issued_ws).file == KEPT


def test_the_same_archive_in_a_new_mail_in_one_run_changes_nothing(issued_ws, forms):
    data = _zip(forms)
    drop(issued_ws, "石龙镇.zip", data, on_time())
    drop(issued_ws, "转发.eml", mail([("石龙镇.zip", data)], date="Tue, 05 Jul 2022 09:00:00 +0800"))
    collect(issued_ws)
    assert _question(issued_ws) == [f"请核实：{KEPT}：{ASKED}"]
    assert _shilong(issued_ws).file == KEPT


def test_the_two_versions_zipped_again_in_one_run_change_nothing(issued_ws, forms):
    drop(issued_ws, "石龙镇.zip", _zip(forms), on_time())
    drop(issued_ws, "石龙镇（重发）.zip", dated_zip([(MEANT, forms[MEANT], (2022, 7, 5, 9, 0, 0)),
                                                  (KEPT, forms[KEPT], (2022, 7, 5, 9, 0, 0))]), on_time() + 3600)
    collect(issued_ws)
    assert len(_question(issued_ws)) == 1
    assert _shilong(issued_ws).file == KEPT


def test_the_same_mail_twice_in_one_run_by_its_message_id_changes_nothing(issued_ws, forms):
    eml = _with_id(mail([(MEANT, forms[MEANT]), (KEPT, forms[KEPT])], subject="石龙镇6月报表"), "<a1@sl.example.cn>")
    drop(issued_ws, "sl.eml", eml)
    drop(issued_ws, "sl（2）.eml", _with_id(eml[eml.index(b"\n") + 1:], "<a1@sl.example.cn>",
                                           "from mx2 by duban; Tue, 05 Jul 2022 09:00:00 +0800"))
    collect(issued_ws)
    assert len(_question(issued_ws)) == 1
    assert _shilong(issued_ws).file == KEPT


def test_the_version_meant_in_another_mail_in_the_same_run_answers_it(issued_ws, forms):
    drop(issued_ws, "sl.eml", _with_id(mail([(MEANT, forms[MEANT]), (KEPT, forms[KEPT])], subject="石龙镇6月报表"),
                                       "<a1@sl.example.cn>"))
    drop(issued_ws, "sl2.eml", _with_id(mail([(MEANT, forms[MEANT])], subject="重新报送",
                                             date="Tue, 05 Jul 2022 09:00:00 +0800"), "<a2@sl.example.cn>"))
    collect(issued_ws)
    assert _question(issued_ws) == []
    assert _shilong(issued_ws).file == MEANT
