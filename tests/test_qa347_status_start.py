"""`duban status` starting sooner (issue 19, QA347).

It looks at a file waiting in 收件箱 by its size first. The 请核实 line "收件箱中还有 N 个文件尚未收取登记" names the files no receipt holds. A receipt's
size is that of the bytes its sha256 is of, so a file of a size no receipt has is unknown
without being read: mail fetched and not yet collected is new, and hashing it (with OpenSSL
loaded for it) was 4.1 ms of a W1 status. A file of a size some receipt has is hashed as before.

The group's own short options (``duban -q -w DIR status``) reach click spelled long: tried as
long options first, their NoSuchOption imported difflib for its suggestions (0.7 ms).
"""

from __future__ import annotations

from click.testing import CliRunner
from conftest import drop, on_time

from toolkit import inbox as inbox_module
from toolkit.cli import cli
from toolkit.cli.base import _spelled_long
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
UNIT = "万江街道"
NAME = f"2022年6月_{UNIT}_进展填报表.xlsx"
SAID = "收件箱中还有"


def _hashed(monkeypatch) -> list[str]:
    """The names of the files `not_collected` hashes from now on."""
    seen: list[str] = []
    real = inbox_module.file_sha

    def counting(p, *args, **kwargs):
        seen.append(p.name)
        return real(p, *args, **kwargs)

    monkeypatch.setattr(inbox_module, "file_sha", counting)
    return seen


def _status(ws):
    return CliRunner().invoke(cli, ["-w", str(ws.root), "status"])


def test_a_file_of_a_size_no_receipt_has_is_said_without_being_read(tmp_path, monkeypatch):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "甲.xlsx").write_bytes(b"x" * 10)
    (inbox / "乙.xlsx").write_bytes(b"y" * 12)
    (inbox / "丙.xlsx").write_bytes(b"z" * 12)
    seen = _hashed(monkeypatch)
    known = {inbox_module.file_sha(inbox / "乙.xlsx")}
    seen.clear()
    waiting = inbox_module.not_collected(inbox, known.__contains__, {12, 99})
    assert waiting == ["丙.xlsx", "甲.xlsx"]  # 乙 is a receipt's content: not waiting
    assert sorted(seen) == ["丙.xlsx", "乙.xlsx"]  # 甲 (10 bytes) was not read
    # without the sizes every file is hashed, with the same answer
    seen.clear()
    assert inbox_module.not_collected(inbox, known.__contains__) == waiting
    assert len(seen) == 3


def test_a_collected_file_put_back_is_not_said_and_another_of_its_size_is(issued_ws, monkeypatch):
    """The size only spares a read: a file collect registered and could not take away is still
    found by its hash (not said), another file of exactly its size is hashed and said."""
    source = issued_ws.root / "下发" / "2022年6月" / NAME
    data = fill_return(source, Filling(answers={"1.2": DONE, "2.1": DONE}))
    drop(issued_ws, NAME, data, on_time())
    assert CliRunner().invoke(cli, ["-w", str(issued_ws.root), "collect"]).exit_code in (0, 1)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert len(data) in ledger.sizes()

    drop(issued_ws, "再次放入.xlsx", data, on_time())  # as if collect could not remove it
    seen = _hashed(monkeypatch)
    result = _status(issued_ws)
    assert SAID not in result.output, result.output
    assert seen == ["再次放入.xlsx"]

    other = data[:-1] + bytes([data[-1] ^ 1])  # same size, other content
    drop(issued_ws, "再次放入.xlsx", other, on_time())
    seen.clear()
    result = _status(issued_ws)
    assert "收件箱中还有 1 个文件尚未收取登记（再次放入.xlsx）" in result.output, result.output
    assert seen == ["再次放入.xlsx"]


def test_the_groups_short_options_reach_click_spelled_long_and_nothing_else_changes():
    params = cli.get_params(cli.make_context("duban", ["status"], resilient_parsing=True))
    cases = [
        (["-q", "-w", "D", "status", "-q"], ["--quiet", "--workspace", "D", "status", "-q"]),
        (["-w", "-q", "status"], ["--workspace", "-q", "status"]),  # -q is -w's value, as click reads it
        (["--debug", "-q", "status", "--all"], ["--debug", "--quiet", "status", "--all"]),
        (["-h"], ["--help"]),
        (["-V"], ["--version"]),
        # from the first token it does not take as is, the rest is click's: -w with no value
        # (click's error then names -w as typed), -qw, -w=D, an unknown option, --, the command
        (["-q", "-w"], ["--quiet", "-w"]),
        (["-w"], ["-w"]),
        (["-qw", "D", "status"], ["-qw", "D", "status"]),
        (["-w=D", "status"], ["-w=D", "status"]),
        (["--workspace=D", "-q", "status"], ["--workspace=D", "-q", "status"]),
        (["-x", "-q", "status"], ["-x", "-q", "status"]),
        (["--", "-q"], ["--", "-q"]),
        (["status", "-q"], ["status", "-q"]),
        ([], []),
    ]
    for args, expected in cases:
        given = list(args)
        assert _spelled_long(params, args) == expected, args
        assert args == given  # not changed in place


def test_the_short_options_import_no_difflib_and_mean_what_they_did(issued_ws) -> None:
    from test_startup import imported_by

    done, names = imported_by(["-q", "-w", str(issued_ws.root), "status"], issued_ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert done.stdout == ""  # quiet
    assert "toolkit.consolidate" in names  # status ran, in the workspace -w named
    assert "difflib" not in names
    wrong = CliRunner().invoke(cli, ["-q", "-w"])  # no value: click's words for -w, as typed
    assert wrong.exit_code == 2 and "'-w'" in wrong.output


def test_status_makes_no_class_of_what_the_month_has_none_of(issued_ws) -> None:
    """Status reads the month's 反馈 drafts (the dates replies asked corrections by); with none, the
    `Draft` class is not made (`ledger.draft`: 1.9 M instructions), nor those of its questions to
    the office with none to ask (`office_cases`: 8.0 M; `basis`, a past month's forms against
    today's sheet: 1.1 M), nor task rows nor an import's report."""
    from test_startup import imported_by

    done, names = imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "toolkit.consolidate" in names
    assert not {"toolkit.ledger.draft", "toolkit.office_cases", "toolkit.basis", "toolkit.task_summary",
                "toolkit.master.import_report"} & names
