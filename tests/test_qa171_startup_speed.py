"""Start-up and first-use costs a command paid for work it does not do (issue 19, QA171).

- Opening any ledger imported `ledger.mail_records` (two dataclasses, 1.8 ms) for the SQL of
  migration 3: `duban status` reads no mail record.
- Every collect imported the .7z/.rar reader for three name helpers, and with it subprocess
  and tempfile for the RAR programs (importing `inbox`: 7.7 → 1.8 ms).
- `Period` compiled a class of 20,000 CJK code points (0.86 ms) at import for the 通报's title.
- The 汇总表's width counter compiled [^wide], walking 45,000 code points (2.5 ms); the same
  class written as the ranges between them walks 20,000 (1.5 ms).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import unicodedata

from conftest import ROOT, drop, issued_path, on_time
from test_startup import imported_by


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stdout.split())


def test_status_after_a_collect_reads_no_mail_records(issued_ws) -> None:
    from toolkit.actions.collect import collect

    for unit in ("市发展改革局", "莞城街道"):
        drop(issued_ws, issued_path(issued_ws, unit).name, issued_path(issued_ws, unit).read_bytes(), on_time())
    collect(issued_ws, "2022-06")
    done, names = imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "toolkit.ledger.store" in names  # the ledger was opened
    assert "toolkit.ledger.mail_records" not in names
    assert "toolkit.too_big" not in names  # no mail too big recorded (QA335: `mail_notes.big_mails`)


def test_a_new_ledger_still_has_the_mail_tables_at_version_3(tmp_path) -> None:
    from toolkit.ledger import LATEST, MIGRATIONS, Ledger

    assert [n for n, _, _ in MIGRATIONS] == list(range(1, LATEST + 1))
    assert "mail_fetched" in dict((n, sql) for n, _, sql in MIGRATIONS)[3]
    with Ledger(tmp_path / "ledger.sqlite3"):
        pass
    conn = sqlite3.connect(tmp_path / "ledger.sqlite3")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {"mail_fetched", "mail_sent", "receipts", "rows"} <= tables


def test_collect_and_merge_import_no_archive_reader_nor_process_tools() -> None:
    names = _modules_after("import toolkit.actions.collect, toolkit.actions.merge, toolkit.unpack")
    assert "toolkit.unpack" in names
    assert not {"toolkit.archives", "subprocess", "tempfile"} & names
    # the .7z/.rar reader itself starts no program until a .rar comes
    names = _modules_after("import toolkit.archives")
    assert not {"subprocess", "tempfile"} & names


def test_the_title_pattern_compiles_on_first_use_and_reads_as_before() -> None:
    from toolkit.period import _NAME_AFTER_YEAR, Period
    from toolkit.text import LazyPattern

    assert isinstance(_NAME_AFTER_YEAR, LazyPattern)
    p = Period(2016, 6)
    assert p.name_after_label("2016年民生实事项目") == "民生实事项目"  # 大竹
    for own in ("2016年度市县民生实事", "2016年底前完成的任务", "2016年上半年重点工作", "2016年—2018年行动计划"):
        assert p.name_after_label(own) == own
    assert Period(2022, 10).name_after_label("2016年民生实事项目") == "2016年民生实事项目"


def test_the_narrow_class_is_every_character_the_wide_ranges_are_not() -> None:
    from toolkit import text

    every = "".join(chr(c) for c in range(0x110000))
    negated = re.compile("[^" + "".join(f"{chr(a)}-{chr(b)}" for a, b in text._WIDE) + "]")
    assert text._narrow().findall(every) == negated.findall(every)
    # widths of real cells: a 东莞 unit, a progress text with “” and ％, full-width digits
    for cell in ("东莞市发展和改革局", "已完成“一县一中心”建设任务的85％，计划12月底前全部完成。" * 3,
                 "ＡＢＣ１２３ 莞城街道（牵头）", "Excel 填报表 v2"):
        expected = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)
        assert text.display_width(cell) == expected, cell
