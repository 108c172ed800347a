"""Issue 16: .7z and .rar returns are opened like .zip ones, with the same guards.

Archives here are real: made by the 7-Zip CLI, bsdtar and py7zr (in tests/corpus/archives/ or
at test time around a freshly filled return), and real RAR files from the rarfile project's
test suite (tests/corpus/archives/README.md). No RAR writer exists here, so the end-to-end RAR
returns are written by `stored_rar4` below (RAR 4 "store" method, as WinRAR -m0 writes) and
read by the real bsdtar / 7-Zip programs.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import zlib
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import py7zr
import pytest
from conftest import drop, on_time, zip_bytes

from toolkit.actions.collect import collect
from toolkit.archives import _parse_unrar, hostile, rar_tools
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.settings import Limits
from toolkit.sniff import detect
from toolkit.unpack import Item, expand

CORPUS = Path(__file__).parent / "corpus" / "archives"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
HAVE_7Z = shutil.which("7z") is not None
HAVE_BSDTAR = shutil.which("bsdtar") is not None
needs_7z = pytest.mark.skipif(not HAVE_7Z, reason="7z (p7zip-full) 未安装")
needs_bsdtar = pytest.mark.skipif(not HAVE_BSDTAR, reason="bsdtar (libarchive-tools) 未安装")


def clean_filling() -> Filling:
    return Filling(answers={"1.2": DONE})


def opened(name: str, data: bytes | None = None, limits: Limits | None = None) -> Item:
    item = Item(name, CORPUS.joinpath(name).read_bytes() if data is None else data, f"收件箱/{name}",
                dt.datetime(2022, 7, 4, 10, 0))
    expand(item, limits or Limits())
    return item


def summary(item: Item) -> list[tuple[str, str, list[str]]]:
    return [(c.name, c.outcome, [i.code for i in c.issues]) for c in item.children]


def ledger_rows(ws) -> list[sqlite3.Row]:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.conn.execute("SELECT * FROM receipts ORDER BY id").fetchall()


def issue_codes(ws, receipt_id: int) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [i.code for i in ledger.issues_of(receipt_id)]


def issue_messages(ws, receipt_id: int) -> list[str]:
    with Ledger(ws.ledger_path) as ledger:
        return [i.message for i in ledger.issues_of(receipt_id)]


@pytest.fixture
def tools_only(tmp_path, monkeypatch):
    """tools_only(*names): PATH holds only these programs (links to the real ones)."""

    original = os.environ.get("PATH", "")

    def restrict(*names: str) -> None:
        bin_dir = tmp_path / "bin"
        shutil.rmtree(bin_dir, ignore_errors=True)
        bin_dir.mkdir()
        for name in names:
            real = shutil.which(name, path=original)
            if real is None:
                pytest.skip(f"{name} 未安装")
            if name == "7z":  # Debian's 7z is a shell script running /usr/lib/p7zip/7z
                (bin_dir / name).write_text(f'#!/bin/sh\nexec {real} "$@"\n')
                (bin_dir / name).chmod(0o755)
            else:
                (bin_dir / name).symlink_to(real)
        monkeypatch.setenv("PATH", str(bin_dir))

    return restrict


# ---------------------------------------------------------------------------
# archive writers: the real programs, and a RAR 4 "store" writer (no RAR writer exists here)


def seven_zip_cli(entries: dict[str, bytes], tmp: Path, *extra: str) -> bytes:
    src = tmp / "src"
    for name, data in entries.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    out = tmp / "out.7z"
    subprocess.run(["7z", "a", "-bd", *extra, str(out), "."], cwd=src, check=True, capture_output=True)
    return out.read_bytes()


def bsdtar_7z(entries: dict[str, bytes], tmp: Path) -> bytes:
    src = tmp / "src"
    for name, data in entries.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    out = tmp / "out.7z"
    subprocess.run(["bsdtar", "--format", "7zip", "-cf", str(out), *entries], cwd=src, check=True,
                   capture_output=True)
    return out.read_bytes()


def py7zr_7z(entries: dict[str, bytes], tmp: Path, store: bool = False) -> bytes:
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", filters=[{"id": py7zr.FILTER_COPY}] if store else None) as z:
        for name, data in entries.items():
            z.writestr(data, name)
    return buf.getvalue()


BUILDERS = {"7z-cli": pytest.param(seven_zip_cli, marks=needs_7z),
            "bsdtar": pytest.param(bsdtar_7z, marks=needs_bsdtar),
            "py7zr": pytest.param(py7zr_7z)}


def _rar_block(body: bytes) -> bytes:
    return struct.pack("<H", zlib.crc32(body) & 0xFFFF) + body


def stored_rar4(entries: dict[str, bytes], utf8: bool = True) -> bytes:
    """A RAR 4 archive with stored (uncompressed) entries; names in UTF-8 with the Unicode
    flag, or in GBK without it as an old WinRAR on a Chinese Windows writes them."""
    out = [b"Rar!\x1a\x07\x00", _rar_block(struct.pack("<BHH", 0x73, 0, 13) + b"\0" * 6)]
    dos_time = ((2022 - 1980) << 25) | (7 << 21) | (4 << 16) | (10 << 11)
    for name, data in entries.items():
        raw = name.encode("utf-8" if utf8 else "gbk")
        flags = 0x8000 | (0x0200 if utf8 else 0)
        head = struct.pack("<BHHIIBIIBBHI", 0x74, flags, 32 + len(raw), len(data), len(data), 2,
                           zlib.crc32(data), dos_time, 29, 0x30, len(raw), 0x20) + raw
        out += [_rar_block(head), data]
    out.append(_rar_block(struct.pack("<BHH", 0x7B, 0x4000, 7)))
    return b"".join(out)


# ---------------------------------------------------------------------------
# end to end: a department's return in a .7z / .rar is collected, accepted, attributed


@pytest.mark.parametrize("builder", list(BUILDERS.values()), ids=list(BUILDERS))
def test_7z_return_is_collected_accepted_and_attributed(issued_ws, make_return, tmp_path, builder):
    data = builder({"报送材料/2022年6月_石龙镇_进展填报表.xlsx": make_return("石龙镇", clean_filling()),
                    "报送材料/说明.txt": "见附件。".encode()}, tmp_path)
    assert detect(data, "石龙镇报送.7z") == "7z"
    drop(issued_ws, "石龙镇报送.7z", data, on_time())
    result = collect(issued_ws)
    rows = ledger_rows(issued_ws)
    by_name = {r["name"]: r for r in rows}
    assert (by_name["石龙镇报送.7z"]["kind"], by_name["石龙镇报送.7z"]["outcome"]) == ("7z", "已拆包")
    ret = by_name["2022年6月_石龙镇_进展填报表.xlsx"]
    assert (ret["outcome"], ret["unit"], ret["period"]) == ("采纳", "石龙镇", "2022-06")
    assert ret["parent_id"] == by_name["石龙镇报送.7z"]["id"]
    assert "压缩包“石龙镇报送.7z”内的“报送材料/2022年6月_石龙镇_进展填报表.xlsx”" in ret["source"]
    assert by_name["说明.txt"]["outcome"] == "无法读取"  # recorded, not lost
    assert result.accepted == 1 and len(rows) == 3
    assert not any(issued_ws.inbox.iterdir())  # archived and cleared
    for r in rows:
        assert (issued_ws.root / r["archive_path"]).is_file()


@pytest.mark.parametrize("reader", [pytest.param("bsdtar", marks=needs_bsdtar), pytest.param("7z", marks=needs_7z)])
@pytest.mark.parametrize("utf8", [True, False], ids=["unicode-names", "gbk-names"])
def test_rar_return_is_collected_accepted_and_attributed(issued_ws, make_return, tools_only, reader, utf8):
    data = stored_rar4({"报送材料/虎门镇进展填报表.xlsx": make_return("虎门镇", **{"1_2": DONE})}, utf8=utf8)
    drop(issued_ws, "虎门镇6月.rar", data, on_time())
    tools_only(reader)
    result = collect(issued_ws)
    rows = ledger_rows(issued_ws)
    assert [(r["name"], r["kind"], r["outcome"], r["unit"]) for r in rows] == [
        ("虎门镇6月.rar", "rar", "已拆包", None), ("虎门镇进展填报表.xlsx", "xlsx", "采纳", "虎门镇")]
    assert "压缩包“虎门镇6月.rar”内的“报送材料/虎门镇进展填报表.xlsx”" in rows[1]["source"]
    assert result.accepted == 1


def test_7z_attached_to_a_mail_is_collected(issued_ws, make_return, tmp_path):
    archive = py7zr_7z({"东城街道.xlsx": make_return("东城街道", **{"1_2": DONE})}, tmp_path)
    msg = MIMEMultipart()
    msg["From"], msg["To"], msg["Subject"] = "dc@example.cn", "duban@example.cn", "东城街道6月报送"
    msg["Date"] = "Mon, 04 Jul 2022 16:20:00 +0800"
    msg.attach(MIMEText("请查收。", "plain", "utf-8"))
    part = MIMEApplication(archive, "x-7z-compressed")
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "东城街道报送.7z"))
    msg.attach(part)
    drop(issued_ws, "东城.eml", msg.as_bytes())
    result = collect(issued_ws)
    rows = {r["name"]: r for r in ledger_rows(issued_ws)}
    assert rows["东城街道报送.7z"]["outcome"] == "已拆包"
    ret = rows["东城街道.xlsx"]
    assert (ret["outcome"], ret["unit"]) == ("采纳", "东城街道")
    assert "邮件“东城街道6月报送”" in ret["source"] and "压缩包“东城街道报送.7z”" in ret["source"]
    assert ret["received_at"].startswith("2022-07-04")
    assert result.accepted == 1


@needs_7z
def test_encrypted_7z_in_inbox_gives_e102(issued_ws, make_return, tmp_path):
    data = seven_zip_cli({"石龙镇.xlsx": make_return("石龙镇", clean_filling())}, tmp_path, "-p123456")
    drop(issued_ws, "石龙镇.7z", data, on_time())
    collect(issued_ws)
    rows = ledger_rows(issued_ws)
    assert [(r["name"], r["outcome"]) for r in rows] == [("石龙镇.7z", "已拆包"), ("石龙镇.xlsx", "无法读取")]
    assert issue_codes(issued_ws, rows[1]["id"]) == ["E102"]
    assert "密码" in issue_messages(issued_ws, rows[1]["id"])[0]


def test_7z_bomb_in_inbox_gives_e104(issued_ws):
    drop(issued_ws, "材料.7z", CORPUS.joinpath("7z-bomb-3mb-zeros.7z").read_bytes(), on_time())
    result = collect(issued_ws)
    rows = ledger_rows(issued_ws)
    assert [(r["name"], r["outcome"]) for r in rows] == [("材料.7z", "无法读取")]
    assert issue_codes(issued_ws, rows[0]["id"]) == ["E104"]
    assert "压缩比" in issue_messages(issued_ws, rows[0]["id"])[0]
    assert result.unreadable == 1


def test_rar_without_any_reader_asks_for_zip(issued_ws, tools_only):
    drop(issued_ws, "寮步镇.rar", CORPUS.joinpath("rar5-subdirs.rar").read_bytes(), on_time())
    tools_only()  # nothing on PATH: no unrar, no 7z, no bsdtar
    assert rar_tools() == []
    collect(issued_ws)
    row = ledger_rows(issued_ws)[0]
    assert (row["kind"], row["outcome"]) == ("rar", "无法读取")
    assert issue_codes(issued_ws, row["id"]) == ["E103"]
    message = issue_messages(issued_ws, row["id"])[0]
    assert ".zip" in message and "RAR" in message and "unrar" in message
    assert (issued_ws.root / row["archive_path"]).is_file()  # kept byte for byte all the same


def test_cli_collect_shows_archive_entries(run, issued_ws, make_return, tmp_path):
    data = py7zr_7z({"石龙镇.xlsx": make_return("石龙镇", clean_filling())}, tmp_path)
    drop(issued_ws, "石龙镇.7z", data, on_time())
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 0, result.output
    assert "登记 2 条" in result.output


# ---------------------------------------------------------------------------
# the corpus: real .7z and .rar files


@pytest.mark.parametrize("name", ["7z-chinese-names.7z", "bsdtar-chinese-names.7z"])
def test_7z_chinese_names(name):
    item = opened(name)
    assert item.kind == "7z" and item.outcome == "已拆包"
    assert [(c.name, c.data) for c in item.children] == [("说明.txt", b"hello")]
    assert item.children[0].source.endswith(f"压缩包“{name}”内的“报送材料/说明.txt”")


def test_7z_encrypted_entries_and_encrypted_names():
    entries = opened("7z-encrypted.7z")
    assert summary(entries) == [("说明.txt", "无法读取", ["E102"])]  # names visible, content locked
    names = opened("7z-encrypted-names.7z")
    assert (names.outcome, [i.code for i in names.issues], names.children) == ("无法读取", ["E102"], [])


def test_7z_symlink_entry_is_recorded_not_followed():
    item = opened("7z-symlink.7z")
    assert sorted(summary(item)) == [("link.txt", "无法读取", ["E101"]), ("说明.txt", "", [])]
    assert "符号链接" in next(c for c in item.children if c.name == "link.txt").issues[0].message


def test_traversal_names_are_neutralised(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    item = opened("bsdtar-traversal.7z")
    assert summary(item) == [("说明.txt", "无法读取", ["E104"])]
    assert "../../报送材料/说明.txt" in item.children[0].source
    rar = opened("rar5-evil-symlink-traversal.rar")
    assert sorted(summary(rar)) == [("pwned.txt", "", []), ("up", "无法读取", ["E101"])]
    # read into memory only: nothing was written anywhere near
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "pwned.txt").exists()
    assert hostile("../x") and hostile("/etc/passwd") and hostile("C:\\x") and hostile("a/../../x")
    assert not hostile("报送材料/石龙镇.xlsx")


def test_bomb_by_ratio_and_by_size():
    assert [i.code for i in opened("7z-bomb-3mb-zeros.7z").issues] == ["E104"]
    # declared sizes alone over the allowance
    data = py7zr_7z({"a.bin": os.urandom(600_000), "b.bin": os.urandom(600_000)}, Path("."), store=True)
    item = opened("x.7z", data, Limits(max_unpacked_mb=1))
    assert item.outcome == "无法读取" and "超过 1 MB" in item.issues[0].message and item.children == []


def test_allowance_is_counted_while_decoding(monkeypatch):
    """A header that understates sizes cannot get past the byte count kept while decoding."""
    import toolkit.archives as archives

    data = py7zr_7z({"a.bin": os.urandom(700_000), "b.bin": os.urandom(700_000)}, Path("."), store=True)
    real_entries = archives._SevenZip.entries

    def lying(self):
        found = real_entries(self)
        for e in found:
            e.size = 10
        return found

    monkeypatch.setattr(archives._SevenZip, "entries", lying)
    item = opened("x.7z", data, Limits(max_unpacked_mb=1))
    assert item.outcome == "无法读取" and [i.code for i in item.issues] == ["E104"]
    assert item.budget == [1024 * 1024]  # what was decoded before the refusal is given back


def test_too_many_entries():
    data = py7zr_7z({f"{i}.txt": b"x" for i in range(5)}, Path("."))
    item = opened("x.7z", data, Limits(max_entries=3))
    assert "压缩包内有 5 个文件" in item.issues[0].message


def test_nesting_depth_is_bounded():
    inner = py7zr_7z({"石龙镇.txt": b"x"}, Path("."))
    data = inner
    for level in range(4):  # 7z in zip in 7z in zip in 7z
        data = zip_bytes({f"{level}.7z": data}) if level % 2 == 0 else py7zr_7z({f"{level}.zip": data}, Path("."))
    item = opened("top.7z", data)
    deepest = list(item.walk())[-1]
    assert deepest.kind in ("7z", "zip") and [i.code for i in deepest.issues] == ["E104"]
    assert "嵌套超过 3 层" in deepest.issues[0].message


def test_damaged_7z_is_e101_and_kept():
    good = CORPUS.joinpath("7z-chinese-names.7z").read_bytes()
    item = opened("坏.7z", good[: len(good) - 40])
    assert item.outcome == "无法读取" and [i.code for i in item.issues] == ["E101"]


def test_named_7z_that_is_not_one_gets_advice(issued_ws):
    drop(issued_ws, "报表.7z", b"this is not an archive")
    collect(issued_ws)
    row = ledger_rows(issued_ws)[0]
    # E101, not E103 不支持的文件格式“.7z” (a .7z is opened when it is one: QA368)
    assert issue_codes(issued_ws, row["id"]) == ["E101"]
    assert "改用 .zip" in issue_messages(issued_ws, row["id"])[0]
    assert "不支持" not in issue_messages(issued_ws, row["id"])[0]


@pytest.mark.parametrize("name", ["rar5-subdirs.rar", "rar3-subdirs.rar"])
def test_rar_names_and_contents(name):
    if not rar_tools():
        pytest.skip("没有 RAR 读取程序")
    item = opened(name)
    assert item.kind == "rar" and item.outcome == "已拆包"
    got = {c.source.split("内的“")[1].rstrip("”"): c.data for c in item.children}
    assert got == {"sub/dir2/file2.txt": b"file2\n", "sub/with space/long fn.txt": b"long fn\n",
                   "sub/üȵĩöḋè/file.txt": b"file\n", "sub/dir1/file1.txt": b"file1\n"}


def test_rar_unicode_names():
    if not rar_tools():
        pytest.skip("没有 RAR 读取程序")
    assert sorted(c.name for c in opened("unicode2.rar").children) == ["уииоотивл.txt", "𝐀𝐁𝐁𝐂.txt"]


@pytest.mark.parametrize("tools", [pytest.param(("7z",), marks=needs_7z), pytest.param(("bsdtar",), marks=needs_bsdtar),
                                   pytest.param(("7z", "bsdtar"), marks=[needs_7z, needs_bsdtar])])
def test_encrypted_rar(tools_only, tools):
    tools_only(*tools)
    names = opened("rar5-hpsw.rar")  # names encrypted too
    assert (names.outcome, [i.code for i in names.issues]) == ("无法读取", ["E102"])
    if tools == ("bsdtar",):
        return  # bsdtar cannot tell an encrypted RAR 5 entry from a damaged one (below)
    entries = opened("rar5-psw.rar")
    assert summary(entries) == [("stest1.txt", "无法读取", ["E102"]), ("stest2.txt", "无法读取", ["E102"])]


@needs_bsdtar
def test_encrypted_rar5_entries_with_bsdtar_alone_are_still_recorded(tools_only):
    tools_only("bsdtar")
    item = opened("rar5-psw.rar")
    assert [c.name for c in item.children] == ["stest1.txt", "stest2.txt"]
    # The compressed one fails; bsdtar hands out the stored one's ciphertext as if plain,
    # which the return checker then refuses like any file that is not a return.
    assert [i.code for i in item.children[0].issues] in (["E101"], ["E102"])


def test_rar_symlinks_are_recorded_not_followed():
    if not rar_tools():
        pytest.skip("没有 RAR 读取程序")
    item = opened("rar5-symlink-unix.rar")
    assert sorted(summary(item)) == [("data.txt", "", []), ("data_link", "无法读取", ["E101"]),
                                     ("random_link", "无法读取", ["E101"])]


@pytest.mark.skipif(not (HAVE_7Z and HAVE_BSDTAR), reason="需要 7z 和 bsdtar")
def test_rar_readers_are_tried_in_turn(tools_only):
    """p7zip without its RAR codec lists a compressed RAR but cannot decode it; bsdtar can."""
    tools_only("7z")
    alone = opened("rar5-crc.rar")  # stest1.txt is compressed (m3), stest2.txt stored (m0)
    assert [(c.name, c.outcome, len(c.data)) for c in alone.children] == [("stest1.txt", "无法读取", 0),
                                                                          ("stest2.txt", "", 2048)]
    assert [i.code for i in alone.children[0].issues] == ["E101"] and ".zip" in alone.children[0].issues[0].message
    tools_only("7z", "bsdtar")
    both = opened("rar5-crc.rar")
    assert [(c.name, len(c.data)) for c in both.children] == [("stest1.txt", 2048), ("stest2.txt", 2048)]
    assert both.budget[0] == Limits().max_unpacked_bytes - 4096  # failed tries kept nothing


def test_rar_entry_failures_do_not_cost_the_archive():
    """bsdtar reads no RAR 3 solid stream past the first file: the rest become child items."""
    if not rar_tools():
        pytest.skip("没有 RAR 读取程序")
    item = opened("rar3-solid.rar")
    assert item.outcome == "已拆包" and [c.name for c in item.children] == ["stest1.txt", "stest2.txt"]
    for c in item.children:
        assert c.data or [i.code for i in c.issues] == ["E101"]


def test_rar_bomb_by_declared_size(tools_only):
    tools_only(*[t for t in ("7z", "bsdtar") if shutil.which(t)])
    data = stored_rar4({"a.xlsx": b"x" * 700_000, "b.xlsx": b"y" * 700_000})
    item = opened("x.rar", data, Limits(max_unpacked_mb=1))
    assert item.outcome == "无法读取" and [i.code for i in item.issues] == ["E104"]


def test_unrar_technical_listing_is_parsed():
    """The layout of `unrar lt` (UnRAR 6/7); no UnRAR here to run, so its text is given."""
    out = "\n".join([
        "UNRAR 7.00 freeware      Copyright (c) 1993-2024 Alexander Roshal", "",
        "Archive: x.rar", "Details: RAR 5", "",
        "        Name: 报送材料/石龙镇.xlsx", "        Type: File", "        Size: 9000",
        " Packed size: 8000", "       Ratio: 88%", "       Flags: encrypted", "",
        "        Name: 报送材料", "        Type: Directory", "",
        "        Name: link", "        Type: Symbolic link", "      Target: ../x", "        Size: 4", ""])
    entries = _parse_unrar(out.encode())
    assert [(e.name, e.is_dir, e.is_link, e.size, e.packed, e.encrypted) for e in entries] == [
        ("报送材料/石龙镇.xlsx", False, False, 9000, 8000, True), ("报送材料", True, False, None, None, False),
        ("link", False, True, 4, None, False)]


def test_py7zr_is_not_imported_at_start_up():
    code = ("import sys, toolkit.cli, toolkit.actions.collect, toolkit.unpack, toolkit.archives; "
            "print('py7zr' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_repeated_names_and_order_are_kept():
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as z:  # py7zr writes a repeated name as given
        z.writestr(b"link", "a/0.lnk")
        z.writestr(b"one", "a/x.txt")
        z.writestr(b"two", "a/x.txt")
        z.writestr(b"three", "b.txt")
    item = opened("d.7z", buf.getvalue())
    assert [(c.name, c.data) for c in item.children] == [
        ("0.lnk", b"link"), ("x.txt", b"one"), ("x.txt", b"two"), ("b.txt", b"three")]
