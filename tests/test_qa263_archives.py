"""QA helper 263: returns in odd archive shapes.

A department zips its folder while Excel has the return open (the ~$ lock file goes in too),
sends two versions of its return in one zip (石龙镇6月报表.xlsx and 石龙镇6月报表(修改).xlsx),
sends an empty zip, or names a file for the unit whose material another forwards
(市司法局转石龙镇材料). Each must end with the right unit credited and nobody asked about a
file nobody sent.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest
from conftest import drop, on_time, zip_bytes
from test_evidence import clean, mail, set_email, state

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.sniff import is_junk
from toolkit.vocab import UnitState

LOCK = b"\x06tester" + b"\x00" * 159  # what Excel writes as ~$name.xlsx: 165 bytes, no workbook
RESENT = Filling(answers={"1.2": Answer(status="序时推进", progress=70, work="正在按计划推进，已完成七成。")})
UNDER_WAY = Filling(answers={"1.2": Answer(status="序时推进", progress=60, work="正在按计划推进相关工作。")})


def rows(ws) -> list[sqlite3.Row]:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.conn.execute("SELECT * FROM receipts ORDER BY id").fetchall()


def messages(ws, receipt_id: int) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [i.message for i in ledger.issues_of(receipt_id)]


def dated_zip(entries: list[tuple[str, bytes, tuple[int, ...]]]) -> bytes:
    """A zip of (name, bytes, date_time) in this order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, when in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# 1. Office's lock and temp files: never a return, in a zip as in 收件箱


@pytest.mark.parametrize("name", ["~$石龙镇6月报表.xlsx", "石龙镇/~$石龙镇6月报表.xlsx", "~WRL0001.tmp",
                                  ".~lock.石龙镇6月报表.xlsx#", "__MACOSX/石龙镇/._a.xlsx", "石龙镇/.DS_Store",
                                  "Thumbs.db", "石龙镇\\desktop.ini"])
def test_office_and_system_by_products_are_junk_wherever_they_are(name):
    assert is_junk(name)


@pytest.mark.parametrize("name", ["石龙镇6月报表.xlsx", "石龙镇/~石龙镇.xlsx", "$石龙镇.xlsx", "石龙镇/说明.docx"])
def test_a_file_a_person_named_is_not_junk(name):
    assert not is_junk(name)


def test_excel_lock_file_zipped_with_the_return_is_left_out_not_refused(issued_ws, make_return):
    name = "石龙镇6月报表.xlsx"
    data = zip_bytes({f"石龙镇/{name}": make_return("石龙镇", clean()), f"石龙镇/~${name}": LOCK,
                      "石龙镇/~WRL0003.tmp": LOCK, f"石龙镇/.~lock.{name}#": LOCK})
    drop(issued_ws, "石龙镇.zip", data, on_time())
    result = collect(issued_ws)
    assert [(r["name"], r["outcome"]) for r in rows(issued_ws)] == [("石龙镇.zip", "已拆包"), (name, "采纳")]
    assert result.unreadable == 0 and result.feedback == [] and result.disputed == []


# ---------------------------------------------------------------------------
# 2. two versions of one unit's return in one archive


@pytest.mark.parametrize("meant, other", [
    # the name marks it revised, whatever the archive order
    (("石龙镇6月报表(修改).xlsx", (2022, 7, 4, 9, 0, 0)), ("石龙镇6月报表.xlsx", (2022, 7, 4, 9, 0, 0))),
    # the names do not say: the newer entry
    (("石龙镇6月进展.xlsx", (2022, 7, 4, 9, 0, 0)), ("石龙镇报表.xlsx", (2022, 7, 1, 9, 0, 0))),
])
def test_the_version_meant_wins_and_nobody_is_asked(issued_ws, make_return, meant, other):
    data = dated_zip([(meant[0], make_return("石龙镇", clean()), meant[1]),
                      (other[0], make_return("石龙镇", UNDER_WAY), other[1])])
    drop(issued_ws, "石龙镇.zip", data, on_time())
    result = collect(issued_ws)
    assert {r["name"]: r["outcome"] for r in rows(issued_ws)} == {
        "石龙镇.zip": "已拆包", meant[0]: "采纳", other[0]: "已被替代"}
    assert result.disputed == []


@pytest.mark.parametrize("final", ["石龙镇6月报表-最终版.xlsx", "石龙镇6月报表（定稿）.xlsx", "石龙镇6月报表_修订.xlsx"])
def test_final_or_revised_in_the_name_wins_over_a_newer_plain_one(issued_ws, make_return, final):
    data = dated_zip([(final, make_return("石龙镇", clean()), (2022, 7, 3, 9, 0, 0)),
                      ("石龙镇6月报表.xlsx", make_return("石龙镇", UNDER_WAY), (2022, 7, 4, 9, 0, 0))])
    drop(issued_ws, "石龙镇.zip", data, on_time())
    collect(issued_ws)
    assert {r["name"]: r["outcome"] for r in rows(issued_ws)}[final] == "采纳"


def test_two_versions_nothing_tells_apart_are_asked_not_picked_silently(issued_ws, make_return):
    same = (2022, 7, 4, 9, 0, 0)
    data = dated_zip([("石龙镇6月报表.xlsx", make_return("石龙镇", clean()), same),
                      ("石龙镇6月进展.xlsx", make_return("石龙镇", UNDER_WAY), same)])
    drop(issued_ws, "石龙镇.zip", data, on_time())
    result = collect(issued_ws)
    assert [(r["name"], r["outcome"]) for r in rows(issued_ws)] == [
        ("石龙镇.zip", "已拆包"), ("石龙镇6月报表.xlsx", "已被替代"), ("石龙镇6月进展.xlsx", "采纳")]
    assert result.disputed == [("石龙镇6月进展.xlsx", ASKED)]


#: what collect says of the two versions above, and what the ledger keeps on the one kept (W212)
ASKED = ("压缩包“石龙镇.zip”内有石龙镇 2022年6月的 2 份填报表（“石龙镇6月报表.xlsx”“石龙镇6月进展.xlsx”），"
         "文件名和压缩包内的时间都看不出哪份为准，暂以“石龙镇6月进展.xlsx”为准；"
         "如应以另一份为准，请石龙镇单独重新报送该份。")


def test_the_question_is_asked_again_by_status_until_the_unit_resends(run, issued_ws, make_return):
    """Said once on collect's screen, the question was lost with the window (QA269): it is kept
    on the return kept (W212) and asked by status, merge, memo and run while that return is the
    unit's accepted one; the unit's return sent since answers it."""
    same = (2022, 7, 4, 9, 0, 0)
    drop(issued_ws, "石龙镇.zip", dated_zip([("石龙镇6月报表.xlsx", make_return("石龙镇", clean()), same),
                                             ("石龙镇6月进展.xlsx", make_return("石龙镇", UNDER_WAY), same)]),
         on_time())
    collected = run(["collect"], cwd=issued_ws.root)
    assert collected.exit_code == 1
    line = f"请核实：石龙镇6月进展.xlsx：{ASKED}"
    assert collected.stdout.count(line) == 1
    kept = next(r for r in rows(issued_ws) if r["name"] == "石龙镇6月进展.xlsx")
    assert ASKED in messages(issued_ws, kept["id"])
    status = run(["status"], cwd=issued_ws.root)
    assert status.exit_code == 1
    assert [x.strip() for x in status.output.splitlines() if "石龙镇.zip" in x] == [line]
    # the 汇总表's 校验问题, where a W206 of the file is
    cons = consolidate(issued_ws)
    assert [(i["unit"], i["file"], i["code"], i["message"]) for i in cons.issues if i["code"] == "W212"] == [
        ("石龙镇", "石龙镇6月进展.xlsx", "W212", ASKED)]
    assert line in cons.office_notes()
    # 石龙镇 sends the one it meant, alone: the question is answered
    drop(issued_ws, "石龙镇6月报表（重报）.xlsx", make_return("石龙镇", RESENT),
         on_time() + 3600)
    run(["collect"], cwd=issued_ws.root)
    assert not any("石龙镇.zip" in n for n in consolidate(issued_ws).office_notes())
    status = run(["status"], cwd=issued_ws.root)
    assert "石龙镇.zip" not in status.output


# ---------------------------------------------------------------------------
# 4. an archive with no file in it: the unit sent something, and is told


@pytest.mark.parametrize("entries", [{}, {"石龙镇/": b"", "石龙镇/材料/": b""}, {"石龙镇/.DS_Store": b"\0" * 20}],
                         ids=["empty", "folders-only", "junk-only"])
def test_an_archive_holding_no_file_is_refused_for_its_unit_not_left_silent(issued_ws, entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2022, 7, 4, 9, 0, 0)), data)
    drop(issued_ws, "石龙镇6月报表.zip", buf.getvalue(), on_time())
    result = collect(issued_ws)
    [row] = rows(issued_ws)
    assert (row["name"], row["outcome"], row["unit"]) == ("石龙镇6月报表.zip", "无法读取", "石龙镇")
    assert messages(issued_ws, row["id"]) == ["文件无法读取（压缩包内没有文件）。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送。"]
    assert result.unreadable == 1
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX


def test_an_empty_7z_is_refused_as_an_empty_zip_is(tmp_path):
    import py7zr
    from test_archives import opened

    path = tmp_path / "石龙镇.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(b"\0" * 10, "石龙镇/.DS_Store")
    item = opened("石龙镇.7z", path.read_bytes())
    assert (item.outcome, [i.message for i in item.issues], item.children) == (
        "无法读取", ["文件无法读取（压缩包内没有文件）。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送。"], [])


# ---------------------------------------------------------------------------
# 3. a file named for the unit whose material another forwards (A转B材料, A代B报送)


@pytest.mark.parametrize("text, unit", [
    ("市司法局转市公安局材料", "市公安局"), ("市司法局转报市公安局6月进展", "市公安局"),
    ("东城街道代东坑镇报送", "东坑镇"), ("东城街道代报东坑镇6月进展", "东坑镇"),
    ("2022年6月市司法局转石龙镇材料", "石龙镇"),
    # not a forward: 转 in a word, or the second name the one it went to
    ("市发展改革局转型升级进展", "市发展改革局"), ("石龙镇6月进展转市府办", "石龙镇"),
])
def test_the_unit_whose_material_another_forwards_is_the_one_named(issued_ws, text, unit):
    from toolkit.evidence import unit_in_names

    assert unit_in_names([text], issued_ws.load_master().directory) == unit


def test_a_forwarded_file_is_credited_to_its_unit_not_the_forwarder(issued_ws):
    drop(issued_ws, "市司法局转石龙镇材料.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    collect(issued_ws)
    [row] = rows(issued_ws)
    assert (row["outcome"], row["unit"]) == ("无法读取", "石龙镇")
    assert state(issued_ws, "石龙镇") == UnitState.TO_FIX
    assert state(issued_ws, "市司法局") == UnitState.NOT_REPORTED


def test_a_forwarded_form_raises_no_question_about_the_forwarder(issued_ws, make_return):
    drop(issued_ws, "市司法局转石龙镇材料.xlsx", make_return("石龙镇", clean()), on_time())
    result = collect(issued_ws)
    [row] = rows(issued_ws)
    assert (row["outcome"], row["unit"]) == ("采纳", "石龙镇")
    assert result.disputed == []


def test_the_forwarders_own_mailbox_does_not_make_the_file_its_own(issued_ws):
    set_email(issued_ws, 市司法局="sf@example.cn")
    drop(issued_ws, "转发.eml", mail([("市司法局转石龙镇材料.pdf", b"%PDF-1.4\n%%EOF\n")], sender="sf@example.cn"))
    result = collect(issued_ws)
    row = rows(issued_ws)[-1]
    assert (row["name"], row["unit"]) == ("市司法局转石龙镇材料.pdf", "石龙镇")
    assert result.disputed == []
