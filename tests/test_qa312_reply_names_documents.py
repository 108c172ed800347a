"""A reply names every file of the unit's round, the stamped PDF beside its form too (QA312).

嘉鱼's departments fill their form in LibreOffice (QA305); one saved it as .fods (LibreOffice's
flat XML, no format duban reads) and mailed it with the stamped PDF the office asks for. The
reply said 贵单位报送的…进展填报表（石龙镇6月进展.fods）已收到 and nothing of the PDF: the town could
not tell whether it arrived, nor whether it counted as its return. A document beside a form is
no return and asks for no reply of its own (QA114, QA118); the reply about the form names it as
received and filed, and says it is not the form.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from conftest import drop
from test_evidence import body, clean, mail, reply, set_email

from toolkit.actions.collect import collect
from toolkit.filling import Answer, Filling

SL, SL_MAIL = "石龙镇", "sl@dg.example.cn"
FODS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:'
        b'xmlns:office:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        b'<office:body><office:spreadsheet/></office:body></office:document>\n')
PDF = b"%PDF-1.4\n% stamped copy\n%%EOF\n"
STAMPED, SCAN = "石龙镇6月进展（盖章）.pdf", "石龙镇6月进展扫描件.jpg"


def reply_template_before_qa312(text: str) -> str:
    """The reply template as shipped before it named the documents beside the form (QA179's
    test takes its own earlier text from this one)."""
    return text.replace("{% if beside %}，另收到的“{{ beside|join('”、“') }}”不是填报表，已存档备查{% endif %}", "")


def test_a_workspaces_unedited_reply_template_of_before_gives_way():
    import hashlib

    from toolkit.resources import resource
    from toolkit.workspace import SUPERSEDED_TEMPLATES

    shipped = resource("templates", "反馈邮件.txt").read_text(encoding="utf-8")
    old = reply_template_before_qa312(shipped)
    assert old != shipped and hashlib.sha256(old.encode()).hexdigest() in SUPERSEDED_TEMPLATES["反馈邮件.txt"]


def _opening(ws) -> str:
    return body(reply(ws, SL)).splitlines()[2]


def _refused(make_return) -> bytes:
    """石龙镇's form with 1.2's 工作进展 left empty: refused."""
    return make_return(SL, Filling(answers={"1.2": Answer(status="已完成", progress=100, work="")}))


def test_a_fods_and_a_pdf_in_one_mail_the_reply_names_both(issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 4))
    set_email(issued_ws, **{SL: SL_MAIL})
    drop(issued_ws, "石龙.eml", mail([("石龙镇6月进展.fods", FODS), (STAMPED, PDF)], sender=SL_MAIL))
    collect(issued_ws)
    assert _opening(issued_ws) == (
        "贵单位报送的2022年6月进展填报表（石龙镇6月进展.fods）已收到，另收到的“石龙镇6月进展（盖章）.pdf”不是填报表，"
        "已存档备查。经校验，发现 1 处错误，暂未采纳。文件无法读取，请按下列说明处理后，于2022年7月7日前重新报送；"
        "附件是本期空白的填报表，也可在其中重新填写后报送。")  # 3 working days from the 4th, past the 5th (QA398)
    # the reply is about the form alone: its one point is the .fods's, none the PDF's
    assert "1. 不支持的文件格式“.fods”。" in body(reply(issued_ws, SL)) and "“.pdf”" not in body(reply(issued_ws, SL))


def test_documents_of_the_round_are_named_and_a_refused_forms_reply_says_them(issued_ws, make_return):
    # two mails of one round: the form refused, then the stamped PDF and a scan, named in the
    # order they came
    set_email(issued_ws, **{SL: SL_MAIL})
    drop(issued_ws, "1.eml", mail([("石龙镇.xlsx", _refused(make_return))], sender=SL_MAIL, date="Mon, 04 Jul 2022 10:00:00 +0800"))
    drop(issued_ws, "2.eml", mail([(STAMPED, PDF), (SCAN, b"\xff\xd8\xff\xe0 scan")], sender=SL_MAIL,
                                  date="Mon, 04 Jul 2022 15:00:00 +0800"))
    collect(issued_ws)
    assert _opening(issued_ws).startswith(
        "贵单位报送的2022年6月进展填报表（石龙镇.xlsx）已收到，另收到的“石龙镇6月进展（盖章）.pdf”、“石龙镇6月进展扫描件.jpg”"
        "不是填报表，已存档备查。经校验，发现 1 处错误"), _opening(issued_ws)


def test_a_document_of_an_earlier_round_is_not_named_again(issued_ws, make_return, collecting_on):
    set_email(issued_ws, **{SL: SL_MAIL})
    collecting_on(dt.date(2022, 7, 4))
    drop(issued_ws, "1.eml", mail([(STAMPED, PDF)], sender=SL_MAIL, date="Mon, 04 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    collecting_on(dt.date(2022, 7, 5))
    drop(issued_ws, "2.eml", mail([("石龙镇.xlsx", _refused(make_return))], sender=SL_MAIL, date="Tue, 05 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    assert _opening(issued_ws).startswith("贵单位报送的2022年6月进展填报表（石龙镇.xlsx）已收到。经校验，"), _opening(issued_ws)


@pytest.mark.parametrize("first", [True, False])
def test_an_accepted_form_beside_a_pdf_still_gets_no_reply(issued_ws, make_return, first):
    set_email(issued_ws, **{SL: SL_MAIL})
    files = [("石龙镇.xlsx", make_return(SL, clean())), (STAMPED, PDF)]
    drop(issued_ws, "石龙.eml", mail(files if first else files[::-1], sender=SL_MAIL))
    collect(issued_ws)
    assert not list((issued_ws.root / "反馈").rglob(f"{SL}_校验反馈.eml"))


@pytest.mark.parametrize("how", ["stopped before its replies", "disk full"])
def test_a_reply_written_by_a_later_run_names_them_as_the_first_would_have(issued_ws, make_return, collecting_on,
                                                                              monkeypatch, how):
    import toolkit.replies as replies

    set_email(issued_ws, **{SL: SL_MAIL})
    collecting_on(dt.date(2022, 7, 4))
    drop(issued_ws, "1.eml", mail([("石龙镇.xlsx", _refused(make_return)), (STAMPED, PDF)], sender=SL_MAIL))

    def fails(*_args, **_kw):
        raise KeyboardInterrupt if how.startswith("stopped") else OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(replies, "choose" if how.startswith("stopped") else "write_feedback", fails)
        with pytest.raises(KeyboardInterrupt) if how.startswith("stopped") else contextlib.nullcontext():
            collect(issued_ws)
    assert not list((issued_ws.root / "反馈").rglob(f"{SL}_校验反馈.eml"))
    collect(issued_ws)  # 补写: the reply the first run owed
    assert _opening(issued_ws).startswith(
        "贵单位报送的2022年6月进展填报表（石龙镇.xlsx）已收到，另收到的“石龙镇6月进展（盖章）.pdf”不是填报表，"
        "已存档备查。经校验，发现 1 处错误"), _opening(issued_ws)
