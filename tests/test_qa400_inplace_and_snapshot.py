"""QA397's faults F1 and F2: a return copied over in place while `collect` runs keeps its
archived original (the archive is a hard link, and no inbox name shares it); a `status` read
while a colleague's collect commits sees every return, accepted or waiting, never neither."""

from __future__ import annotations

import hashlib
import os

import pytest
from conftest import PERIOD, drop, on_time

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.inbox import TAKING, _write_archive, remove_from_inbox
from toolkit.ledger import Ledger
from toolkit.unpack import Item

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")


def _return(make_return, progress: int) -> bytes:
    return make_return("石龙镇", Filling(answers={"1.2": DONE}), **{"4_3": Answer(progress=progress)})


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _receipts(ws) -> list:
    with Ledger(ws.ledger_path) as ledger:
        return ledger.receipts()


def _archived_intact(ws) -> None:
    for r in _receipts(ws):
        if r.archive_path:
            assert _sha((ws.root / r.archive_path).read_bytes()) == r.sha256, r.name


def test_a_copy_over_in_place_after_archiving_leaves_the_archive_as_registered(issued_ws, make_return, monkeypatch):
    """As `cp` or Explorer's 替换 does: the inbox file truncated and written again, between
    archiving and removal. The archive keeps the registered bytes; the new version is the
    next run's."""
    import toolkit.actions.collect as intake

    first, second = _return(make_return, 40), _return(make_return, 60)
    path = drop(issued_ws, "石龙镇.xlsx", first, on_time())
    real = intake.remove_from_inbox

    def copied_over_then_remove(ws, p, *args, **kwargs):
        with open(p, "wb") as f:  # O_TRUNC|O_CREAT, in place where the name still is
            f.write(second)
        return real(ws, p, *args, **kwargs)

    monkeypatch.setattr(intake, "remove_from_inbox", copied_over_then_remove)
    result = collect(issued_ws, feedback=False)
    assert not result.disputed
    [receipt] = _receipts(issued_ws)
    assert receipt.sha256 == _sha(first)
    assert (issued_ws.root / receipt.archive_path).read_bytes() == first
    assert path.read_bytes() == second  # the new version waits for the next run
    assert not [p for p in issued_ws.inbox.iterdir() if p.name.startswith(TAKING)]
    monkeypatch.undo()
    collect(issued_ws, feedback=False)
    assert {r.sha256 for r in _receipts(issued_ws)} == {_sha(first), _sha(second)}
    _archived_intact(issued_ws)
    assert not path.exists()
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.accepted(PERIOD)["石龙镇"].sha256 == _sha(second)


def test_a_rewrite_through_a_handle_opened_before_archiving_is_said_not_archived(
        issued_ws, make_return, monkeypatch, run):
    """A colleague's program held the file open from before collect took it aside and wrote
    through that handle: the original bytes survive nowhere. Said on screen (请核实, exit 1);
    the archive holds no other file's bytes under the registered name; the new version is
    collected next run."""
    import toolkit.actions.collect as intake

    first, second = _return(make_return, 40), _return(make_return, 60)
    path = drop(issued_ws, "石龙镇.xlsx", first, on_time())
    real_archive, handles = intake.archive, []

    def held_open(ws, top, expected):
        if top.inbox_file == path:
            handles.append(open(path, "r+b"))  # noqa: SIM115 - written through after archiving
        real_archive(ws, top, expected)
        for f in handles:
            f.truncate(0)
            f.write(second)
            f.close()
        handles.clear()

    monkeypatch.setattr(intake, "archive", held_open)
    result = run(["collect"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("请核实：石龙镇.xlsx：收取期间该文件被原地覆盖改写，登记时的原件未能保留在“归档”中；改写后的文件留在收件箱，"
            "下次运行 duban collect 时收取。请向报送单位核实其报送的是哪一版本。") in result.stdout
    [receipt] = _receipts(issued_ws)
    assert not (issued_ws.root / receipt.archive_path).exists()  # never another file's bytes
    assert path.read_bytes() == second
    monkeypatch.undo()
    collect(issued_ws, feedback=False)
    assert not path.exists()
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.accepted(PERIOD)["石龙镇"].sha256 == _sha(second)


def test_an_archive_still_sharing_an_inbox_file_rewritten_is_said_lost(ws) -> None:
    """An earlier version's archive (a link the inbox name still shared) rewritten in place:
    the removal a later run finishes says so instead of giving the archive the new bytes."""
    path = drop(ws, "石龙镇.xlsx", b"first bytes")
    archived = ws.root / "归档" / "2022年6月" / "x_石龙镇.xlsx"
    archived.parent.mkdir(parents=True)
    os.link(path, archived)
    with open(path, "r+b") as f:
        f.write(b"other")
    lost: list[tuple[str, str]] = []
    assert not remove_from_inbox(ws, path, archived.relative_to(ws.root).as_posix(), _sha(b"first bytes"),
                                 verify=True, lost=lost)
    assert [name for name, _ in lost] == ["石龙镇.xlsx"]
    assert not archived.exists()
    assert path.read_bytes() == b"other bytes"


def test_an_inbox_file_put_back_as_a_link_to_its_archive_is_taken_aside_again(ws) -> None:
    """A run stopped between archiving and recording: `scan_inbox` puts the file taken aside
    back as a link to the archive. Archived again, no inbox name shares the archive."""
    data = b"the return"
    path = drop(ws, "石龙镇.xlsx", data)
    item = Item("石龙镇.xlsx", data, "收件箱/石龙镇.xlsx", on_time_moment(), inbox_path="石龙镇.xlsx",
                inbox_file=path, sha256=_sha(data))
    target = ws.root / "归档" / "2022年6月" / f"{item.sha256[:12]}_石龙镇.xlsx"
    target.parent.mkdir(parents=True)
    os.link(path, target)
    _write_archive(ws, item, "2022年6月")
    assert target.read_bytes() == data
    assert not path.exists()
    assert (ws.inbox / (TAKING + path.name)).samefile(target)


def on_time_moment():
    import datetime as dt

    return dt.datetime.fromtimestamp(on_time(), dt.timezone.utc)


def test_status_read_while_a_collect_commits_never_drops_a_return_unsaid(issued_ws, make_return, monkeypatch):
    """A collect that registers and removes a file between two of status's reads: the ledger
    is read as one snapshot and 收件箱 listed before it, so the return is either accepted or
    waiting (a 请核实), never neither."""
    import toolkit.consolidate as cons

    drop(issued_ws, "石龙镇.xlsx", _return(make_return, 40), on_time())
    real, done = cons.replied_on, []

    def a_colleague_collects(*args, **kwargs):
        if not done:
            done.append(collect(issued_ws, feedback=False))
        return real(*args, **kwargs)

    monkeypatch.setattr(cons, "replied_on", a_colleague_collects)
    c = consolidate(issued_ws, PERIOD, tasks=False)
    assert done and done[0].accepted == 1
    assert not list(issued_ws.inbox.iterdir())
    assert c.uncollected == ["石龙镇.xlsx"]  # the snapshot began before its commit
    monkeypatch.undo()
    again = consolidate(issued_ws, PERIOD, tasks=False)
    assert again.uncollected == []
    assert "石龙镇" in {r.unit for r in again.units if r.state != "未报送"}


def test_status_lists_a_file_collect_has_taken_aside_and_not_yet_recorded(issued_ws, make_return) -> None:
    data = _return(make_return, 40)
    drop(issued_ws, TAKING + "石龙镇.xlsx", data, on_time())
    c = consolidate(issued_ws, PERIOD, tasks=False)
    assert c.uncollected == ["石龙镇.xlsx"]
    assert (issued_ws.inbox / (TAKING + "石龙镇.xlsx")).exists()  # a look: left where collect put it


def test_a_file_put_back_after_a_stop_shares_nothing_with_its_archive(issued_ws, make_return, monkeypatch):
    """A run stopped between archiving and recording leaves the file taken aside, linked to its
    archive; put back by the next look, it is a copy of its own, so that a copy-over in place
    before the next run rewrites the inbox file alone."""
    import toolkit.actions.collect as intake
    from toolkit.inbox import scan_inbox

    first, second = _return(make_return, 40), _return(make_return, 60)
    path = drop(issued_ws, "石龙镇.xlsx", first, on_time())

    def power_cut(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(intake, "_insert", power_cut)
    with pytest.raises(KeyboardInterrupt):
        collect(issued_ws, feedback=False)
    [archived] = (issued_ws.root / "归档").rglob("*石龙镇.xlsx")
    assert (issued_ws.inbox / (TAKING + path.name)).samefile(archived)
    assert scan_inbox(issued_ws.inbox) == [path]
    assert not path.samefile(archived)
    assert path.stat().st_mtime == archived.stat().st_mtime  # its time as received, kept
    assert sorted(p.name for p in issued_ws.inbox.iterdir()) == [path.name]
    with open(path, "r+b") as f:  # a copy-over in place before the next run
        f.truncate(0)
        f.write(second)
    assert archived.read_bytes() == first
    monkeypatch.undo()
    collect(issued_ws, feedback=False)
    _archived_intact(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        assert ledger.accepted(PERIOD)["石龙镇"].sha256 == _sha(second)
