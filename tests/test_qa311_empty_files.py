"""QA311, played with 荆州 2022 (corpus: jingzhou_zwgk_2022.docx): attachments arrive as 0-byte
files (a broken download), one named for its unit, the others with names that identify none
(荆州区.xlsx, 经开区.xlsx where the 名录 lists 荆州区人民政府 and 荆州经开区).

The first is 无法读取 for its unit (市住建局, 退回待改). The others, byte-identical (every empty
file is), were registered as 重复 of the first and under the first's unit: 收件登记 said 单位
市住建局, 单位依据 文件名, for 荆州区.xlsx, and the office never learned another unit had sent a
broken file. Now an empty file is never a duplicate: each is checked as its sender's.
"""

from __future__ import annotations

import sqlite3

from conftest import drop, on_time

from toolkit.actions.collect import collect
from toolkit.ledger import Ledger


def _rows(ws) -> list[sqlite3.Row]:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.conn.execute("SELECT * FROM receipts ORDER BY id").fetchall()


def test_an_empty_file_is_no_other_units_duplicate(issued_ws):
    drop(issued_ws, "2022年6月_石龙镇_进展填报表.xlsx", b"", on_time())
    drop(issued_ws, "附件1.xlsx", b"", on_time())
    collect(issued_ws)
    got = {r["name"]: (r["unit"], r["outcome"]) for r in _rows(issued_ws)}
    assert got["2022年6月_石龙镇_进展填报表.xlsx"] == ("石龙镇", "无法读取")
    assert got["附件1.xlsx"][1] == "无法读取" and got["附件1.xlsx"][0] != "石龙镇"  # was ('石龙镇', '重复')
