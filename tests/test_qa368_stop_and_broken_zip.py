"""QA368's two faults at the edges: a second Ctrl-C while the worker pool ends, and a
damaged .zip named as an unsupported format."""

from __future__ import annotations

import io
import zipfile

import pytest

from toolkit import parallel
from toolkit.errors import ReadFailure
from toolkit.report import make_issue
from toolkit.settings import Limits
from toolkit.spreadsheet import open_spreadsheet


def test_a_second_interrupt_while_the_pool_ends_stays_an_interrupt(monkeypatch):
    # `timeout -s INT` delivers SIGINT twice: the second, held while the workers are ended, was
    # raised as `_end` returned, before the pool forgot them; `__exit__` then ended them again
    # and asked a closed process is_alive(): 内部错误 "process object is closed", exit 3
    real, calls = parallel._end, []

    def end_then_interrupted(procs, pipes):
        calls.append(len(procs))
        real(procs, pipes)
        if len(calls) == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "_end", end_then_interrupted)
    with pytest.raises(KeyboardInterrupt), parallel.Pool(abs, 2) as pool:
        assert pool.map([-1, -2, -3]) == [1, 2, 3]
        pool.close(failed=True)  # as `map` does on the first Ctrl-C
    assert calls == [2, 0]


def test_ending_closed_processes_again_raises_nothing():
    pool = parallel.Pool(abs, 2)
    procs, pipes = list(pool.procs), list(pool.pipes)
    pool.close(failed=True)
    parallel._end(procs, pipes)  # each process already closed: is_alive() raises ValueError


def _broken_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:  # dated: the same bytes on every xdist worker
        z.writestr(zipfile.ZipInfo("东城街道_进展填报表.xlsx", (2022, 7, 4, 10, 0, 0)), b"x" * 4000)
    data = buf.getvalue()
    return data[: len(data) // 2]  # cut short in the sending, as a mail client's size limit does


@pytest.mark.parametrize(("data", "name", "said"), [
    (_broken_zip(), "东城街道报送.zip", "压缩包已损坏，无法解开；请重新压缩后报送，或直接附上填报表"),
    (b"not an archive at all", "东城街道报送.zip", "压缩包已损坏，无法解开；请重新压缩后报送，或直接附上填报表"),
    (b"\0" * 64, "东城街道报送.7z", "压缩包已损坏，或只是改了扩展名；请直接报送 .xlsx 填报表，或改用 .zip 压缩"),
    (b"\0" * 64, "东城街道报送.rar", "压缩包已损坏，或只是改了扩展名；请直接报送 .xlsx 填报表，或改用 .zip 压缩")],
    ids=["zip-cut-short", "zip-not-one", "7z", "rar"])
def test_a_damaged_archive_is_said_to_be_damaged(data, name, said):
    with pytest.raises(ReadFailure) as caught:
        open_spreadsheet(data, name, Limits())
    assert caught.value.code == "E101"
    text = make_issue(caught.value.code, **caught.value.params).message
    assert text.startswith(f"文件无法读取（{said}）。")
    assert "不支持" not in text
