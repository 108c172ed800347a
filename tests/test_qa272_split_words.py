"""QA272: a GBK character cut across two RFC 2047 words (Foxmail, OA systems) is read whole in
an attachment's name, a subject and a sender's name; the stdlib decodes each word alone."""

from __future__ import annotations

import base64

from toolkit.mail import parse_mail


def cut(text: str, at: int, labels: tuple[str, str] = ("gb2312", "gb2312")) -> str:
    raw = text.encode("gbk")
    return " ".join(f"=?{label}?B?{base64.b64encode(p).decode()}?=" for label, p in zip(labels, (raw[:at], raw[at:])))


def test_a_cut_character_is_read_whole_in_name_subject_and_sender():
    raw = (f"From: {cut('麻涌镇小陈', 3)} <55555@qq.com>\r\nTo: duban@example.org\r\n"
           f"Subject: {cut('麻涌镇6月进展', 3)}\r\nDate: Mon, 4 Jul 2022 16:00:00 +0800\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n请查收。\r\n--b\r\n"
           "Content-Type: application/octet-stream\r\n"
           f'Content-Disposition: attachment;\r\n filename="{cut("麻涌镇6月进展填报表.xlsx", 5)}"\r\n'
           "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--b--\r\n").encode()
    mail = parse_mail(raw)
    assert mail.subject == "麻涌镇6月进展"
    assert mail.sender == "麻涌镇小陈 <55555@qq.com>"
    assert [a.name for a in mail.attachments] == ["麻涌镇6月进展填报表.xlsx"]


def test_a_word_that_is_not_cut_reads_as_before():
    raw = (b"From: =?utf-8?B?5bCP6ZmI?= <55555@qq.com>\r\nSubject: =?utf-8?B?6bq75raM6ZWH?=\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n")
    mail = parse_mail(raw)
    assert (mail.subject, mail.sender) == ("麻涌镇", "小陈 <55555@qq.com>")


def test_a_character_cut_between_a_gb2312_word_and_a_gbk_one_is_read_whole():
    """The stdlib joins adjacent words of one label only; GB2312, GBK and GB18030 are one
    family here (decode_declared reads them all as GB18030): 喆 needs GBK, the first half not."""
    raw = (f"From: a@dg.gov.cn\r\nSubject: {cut('东城街道王喆6月进展', 11, ('gb2312', 'GBK'))}\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n").encode()
    assert parse_mail(raw).subject == "东城街道王喆6月进展"
    # words of two families stay apart, each read in its own
    utf8, gbk = (base64.b64encode(t.encode(c)).decode() for t, c in (("麻涌镇", "utf-8"), ("6月进展", "gbk")))
    raw = f"Subject: =?utf-8?B?{utf8}?= =?gbk?B?{gbk}?=\r\n\r\nx\r\n".encode()
    assert parse_mail(raw).subject == "麻涌镇6月进展"
