"""QA353 C: a PDF set aside (`office_edits.set_aside`) keeps the time it was saved, the one its name
says, and takes the time it was moved as its access time: a rename changes no time Windows keeps,
and a stopped run (`interrupts._written`) names a copy moved while it ran by it."""

from __future__ import annotations

import datetime as dt
import os
import time

from conftest import shanghai

from toolkit import office_edits


def test_a_pdf_set_aside_keeps_its_saved_time_and_tells_when_it_was_moved(issued_ws):
    folder = issued_ws.root / "通报" / "2022年6月"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "通报.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    saved = shanghai(dt.datetime(2022, 7, 8, 10, 5))
    os.utime(pdf, (saved, saved))
    before = time.time()
    copy = office_edits.set_aside(issued_ws, pdf)
    assert copy.name == "通报（旧版，7月8日10时05分保存）.pdf" and not pdf.exists()
    assert copy.stat().st_mtime == saved and copy.stat().st_atime >= before - 1
