"""QA helper 101: review of the session's change (9b6e61d..).

Towns and departments name their linked files alike (进展填报表.xlsx, 6月进展填报表.xlsx), and
every month's 超大附件 mail stays in the ledger (W211). A file the office downloads into 收件箱
goes to a mail of its own unit only (`downloads._choose`), yet `downloads._ledger_links` read
every archived mail that linked its name again, of every unit and month, and a mail once per
link: a year of 30 towns linking one name is 360 mails parsed for one download. It now reads
only the mails a loose file could take (its unit's, or of no known unit), each once.
"""

from __future__ import annotations

import datetime as dt

from conftest import drop
from test_evidence import set_email
from test_qa97_cloud_months import JUNE, JUNE_MAIL, at, downloaded, form, july_issued, link_mail, the_download

from toolkit import downloads
from toolkit.actions.collect import collect

OTHER = "市民政局"  # another department linking a file of the same name
OTHER_SENDER = "市民政局办公室 <mz@dg.gov.cn>"


def test_a_download_reads_again_only_the_mails_of_its_own_unit(issued_ws, collecting_on, monkeypatch):
    ws = issued_ws
    set_email(ws, 市残联="cl@dg.gov.cn", **{OTHER: "mz@dg.gov.cn"})
    collecting_on(dt.date(2022, 7, 6))
    drop(ws, "市残联6月.eml", link_mail(**JUNE_MAIL))
    for day in (1, 2, 3):  # the other department's mails, linking the same name
        mail = link_mail(at(7, day), "请查收。", at(8, 3), f"06{day:02d}").replace(
            b"cl@dg.gov.cn", b"mz@dg.gov.cn").replace("市残联办公室".encode(), b"mz")
        drop(ws, f"民政{day}.eml", mail)
    collect(ws)
    july_issued(ws, collecting_on)
    collecting_on(dt.date(2022, 8, 10))
    downloaded(ws, form(ws, JUNE))
    read: list[str] = []
    real = downloads._read_again
    monkeypatch.setattr(downloads, "_read_again", lambda w, rec, *mailboxes: read.append(rec.name) or real(w, rec, *mailboxes))
    collect(ws)
    rec = the_download(ws)
    assert (rec.period, rec.received_at[:16]) == (JUNE, "2022-07-04 09:30"), rec
    assert read == ["市残联6月.eml"], read
