"""QA117: a Ctrl-C while `native_stderr_silenced` takes or gives back descriptor 2 (a read of
a 大朗镇 return interrupted by the coordinator) leaves no descriptor open, descriptor 2 on the
console and the block free to silence again."""

from __future__ import annotations

import os

import pytest

from toolkit import spreadsheet
from toolkit.spreadsheet import native_stderr_silenced


def _open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")} if os.path.isdir("/proc/self/fd") else set()


def _interrupt_once(monkeypatch, name: str) -> None:
    real = getattr(os, name)
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args)
        result = real(*args, **kwargs)
        if len(calls) == 1:
            # the system call done, the interrupt seen on the way back (PyErr_CheckSignals)
            if name == "open":
                os.close(result)
            raise KeyboardInterrupt
        return result

    monkeypatch.setattr(spreadsheet.os, name, interrupted)


@pytest.mark.parametrize("name", ["open", "dup2"])
def test_an_interrupt_while_silencing_leaks_nothing(monkeypatch, name: str) -> None:
    spreadsheet._null_device()  # open for the life of the process (QA396): not a leak
    before_fds, before = _open_fds(), os.fstat(2)
    if name == "open":  # the null device opened at this read, as at a process's first
        monkeypatch.setattr(spreadsheet, "_NULL", [-1])
    _interrupt_once(monkeypatch, name)
    with pytest.raises(KeyboardInterrupt), native_stderr_silenced():
        pass
    monkeypatch.undo()
    assert os.path.samestat(os.fstat(2), before)
    assert _open_fds() == before_fds
    assert spreadsheet._SILENCED == [False]
    with native_stderr_silenced():  # still silences
        assert os.path.samestat(os.fstat(2), os.stat(os.devnull))


def test_an_interrupt_while_giving_back_still_gives_back(monkeypatch) -> None:
    spreadsheet._null_device()
    before_fds, before = _open_fds(), os.fstat(2)
    real_close = os.close
    closes = []

    def close(fd):
        closes.append(fd)
        real_close(fd)
        if len(closes) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), native_stderr_silenced():
        monkeypatch.setattr(spreadsheet.os, "close", close)
    monkeypatch.undo()
    assert os.path.samestat(os.fstat(2), before)
    assert _open_fds() == before_fds
    assert spreadsheet._SILENCED == [False]


def test_the_null_device_is_opened_once_a_process() -> None:
    """Silencing opens no descriptor at each read (QA396: the null device's open and close
    were 7 µs of the 10 µs a return's silencing took); descriptor 2 still goes there."""
    spreadsheet._null_device()
    before_fds, before = _open_fds(), os.fstat(2)
    for _ in range(3):
        with native_stderr_silenced():
            assert os.path.samestat(os.fstat(2), os.stat(os.devnull))
            assert len(_open_fds() - before_fds) == 1  # descriptor 2's copy only
        assert os.path.samestat(os.fstat(2), before)
        assert _open_fds() == before_fds
    assert not os.get_inheritable(spreadsheet._null_device())
