"""QA395 (issue 19): what `duban status` no longer reads or computes, and that its answer is the same.

- the rows' four free texts (work, problems, next_plan, evidence) are not read for a
  consolidation of the units' states alone (``tasks=False``): 3.7 M of its 352 M instructions;
- the master cache keys and checks with BLAKE2b instead of sha256: 1.6 M where it was 5.4 M;
- 任务清单's leading-year pattern (`date_columns._LEADING_YEAR`) is compiled when a workbook is read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from conftest import drop, issued_path, on_time

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.master import cache
from toolkit.period import Period

_TEXTS = ("work", "problems", "next_plan", "evidence")


def _collected(ws, make_return, units=("市发展改革局", "莞城街道", "石龙镇")):
    for unit in units:
        drop(ws, issued_path(ws, unit).name, make_return(unit), on_time())
    collect(ws, "2022-06")
    return ws


def test_rows_without_their_texts_are_the_rows_with_the_texts_left_empty(issued_ws, make_return) -> None:
    filling = Filling(default=Answer(problems="资金未到位", next_plan="下月完成", evidence="文件"))
    drop(issued_ws, "发改.xlsx", make_return("市发展改革局", filling), on_time())
    collect(issued_ws, "2022-06")
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        ids = [r.id for r in ledger.accepted(Period.parse("2022-06")).values()]
        full, bare = ledger.rows_of_many(ids), ledger.rows_of_many(ids, texts=False)
    assert ids and any(all(getattr(row, t) for t in _TEXTS) for rows in full.values() for row in rows)  # texts there to leave
    blanked = {i: [dataclasses.astuple(dataclasses.replace(row, **dict.fromkeys(_TEXTS, ""))) for row in rows]
               for i, rows in full.items()}
    assert {i: [dataclasses.astuple(row) for row in rows] for i, rows in bare.items()} == blanked  # Row: eq=False


def test_the_units_states_are_those_of_the_whole_consolidation(issued_ws, make_return) -> None:
    """Status's consolidation (no task rows, no texts) says of every unit what the 汇总表's says."""
    ws = _collected(issued_ws, make_return)
    alone, whole = consolidate(ws, tasks=False), consolidate(ws)
    assert alone.units == whole.units
    assert alone.unit_counts() == whole.unit_counts()
    assert [u.state for u in alone.units].count("按时报送") == 3


def test_the_master_cache_is_keyed_and_checked_with_blake2b(issued_ws) -> None:
    """The digests are BLAKE2b's (32 bytes): a cache written by a duban keying with sha256
    has another key and is read again, once; a changed workbook changes the key."""
    ws = issued_ws  # its master read once the cache could be kept (conftest's `_issue_june`)
    book = ws.master_path.read_bytes()
    head, _, body = (ws.state_dir / cache.CACHE_NAME).read_bytes().partition(b"\n")
    doc = json.loads(head)
    assert doc["key"] == cache.cache_key(book)
    assert doc["content"] == hashlib.blake2b(body, digest_size=32).hexdigest()
    old = hashlib.sha256(b"%d\0%s\0" % (cache._FORMAT, cache._shape().encode()) + cache._reader() + book).hexdigest()
    assert doc["key"] != old
    assert cache.cache_key(book + b"\0") != doc["key"]
