"""The office's edits to a file duban writes again: the 通报 and the 汇总表.

The office opens the 通报 in Word or WPS and polishes it (a paragraph, a leader's name), may
annotate the 汇总表; then a late return comes and 2-收取并汇总 / 3-生成通报 run again. Both
files were rewritten and the edits were gone without a word. Now every write of them goes
through `write_output`, which remembers the sha256 of what it wrote (the ledger's ``outputs``,
`ledger.outputs`). Before writing one again, a file on disk that is neither what duban last
wrote there nor what it is about to write is kept beside it, under its name and the time it
was saved: ``关于…的通报（修改稿，12月6日14时05分保存）.docx``; `Kept.line` says so, naming
both files. A copy is never overwritten: the same version kept already is not kept twice; a
later edit gets a name of its own.

A file duban has no record of (written before version 19, or its record lost) may hold the
office's edits or none: it is kept all the same when it differs from the new one, as ``旧版``
and said so, once (the rewrite is recorded). Keeping a copy too many costs a file; a lost
edit is a leader's name missing from a 通报 that went out. It differs unless its parts are the
new file's (`same_parts`): the same data made again, only the save times inside changed;
so is one with a record whose parts are the new one's (its record lost to a kill).

A copy that cannot be made (a read-only folder, a full disk) stops the write: the office's
file stays as it was, and the line says why (`errors.os_fault`'s words). The record is
best-effort: when the ledger cannot take it, the next write finds no record, and keeps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .files import atomic_write, file_sha
from .interrupts import held_stops
from .ledger import LATEST, Ledger, schema_version
from .ledger.outputs import last_written, record_written
from .workspace import Workspace

#: bytes a kept copy's name may take: the 通报's own name is at most about 190 (`memo_filename`),
#: and LibreOffice's ".~lock.<name>#" beside it must stay within the file system's 255
_NAME_BYTES = 240
#: a kept copy's name (`_named`): what `duban open` passes over (`merge_time.merged_at` reads the 汇总表's own), the
#: office having saved it after the new file was written (Excel asks on closing it)
_KEPT = re.compile(r".+（(?:修改稿|旧版)，\d{1,2}月\d{1,2}日\d{2}时\d{2}分保存(?:，\d+)?）\.\w+")


@dataclass(frozen=True)
class Kept:
    """The office's version of ``path``, kept at ``copy`` before ``path`` was written again."""

    what: str       # 通报, 汇总表
    path: Path      # the file written now
    copy: Path      # the office's version, kept
    known: bool     # True: duban's record says it was changed since written; False: no record

    @property
    def line(self) -> str:
        """What the command says, naming both files."""
        if self.known and self.path.suffix == ".xlsx":
            # saved, not surely edited: Excel recalculates duban's workbook on opening and asks
            # to save it on closing, unchanged; "您修改过的" puzzled an office that only looked
            return (f"{self.what}已按最新数据重新生成；原{self.what}生成后在 Excel/WPS 中保存过，"
                    f"已另存为“{self.copy.name}”，如有修改请抄到新{self.what}“{self.path.name}”中。")
        if self.known:
            return (f"{self.what}已按最新数据重新生成；您修改过的旧版本已另存为“{self.copy.name}”，"
                    f"请把修改抄到新{self.what}“{self.path.name}”中。")
        return (f"{self.what}已按最新数据重新生成；原有的{self.what}没有生成记录（升级前生成），无法判断是否修改过，"
                f"已另存为“{self.copy.name}”，如有修改请抄到新{self.what}“{self.path.name}”中。")


def write_output(ws: Workspace, path: Path, write: Callable[[Path], object], what: str) -> Kept | None:
    """`files.atomic_write` of ``path``, keeping the office's version first (see the module
    doc); what was kept, or None."""
    path = Path(path)
    where = path.relative_to(ws.root).as_posix() if path.is_relative_to(ws.root) else str(path)
    with _opened(ws) as ledger:  # read and record on one connection
        recorded = _recorded(ledger, where)
        kept: list[Kept] = []
        new: list[str] = []

        held = contextlib.ExitStack()

        def keep(tmp: Path) -> None:
            new.append(file_sha(tmp))
            copy = _keep(ws, path, recorded, tmp, new[0], what)
            if copy is not None:
                kept.append(Kept(what, path, copy, recorded is not None))
            # a stop between the file replaced and its record: the office's edits moved to the
            # copy, the screen said "原有的通报保持不变", and the next run, finding duban's own
            # file, said nothing of the copy (QA323)
            held.enter_context(held_stops())

        with held:
            atomic_write(path, write, before=keep)
            _record(ledger, where, new[0])
        return kept[0] if kept else None


def is_kept_copy(path: Path | str) -> bool:
    """Whether ``path`` is named as a copy `write_output` kept, not as the file duban writes."""
    return bool(_KEPT.fullmatch(Path(path).name))


def _keep(ws: Workspace, path: Path, recorded: str | None, tmp: Path, new: str, what: str) -> Path | None:
    """Copy ``path`` beside itself unless it is missing, duban's own (``recorded``) or the
    same as the new file (``tmp``, of sha256 ``new``); where it went."""
    whose = "您修改过的" if recorded is not None and path.suffix != ".xlsx" else "原有的"  # `Kept.line`
    return keep_beside(path, tmp, "修改稿" if recorded is not None else "旧版", ws.tz, (recorded, new),
                       lambda why: f"{whose}{what}“{path.name}”原样保留，没有重新生成：重新生成前要先把它另存一份，"
                                   f"但{why}")


def keep_beside(path: Path, new: Path, kind: str, tz: dt.tzinfo | None, own: tuple[str | None, ...],
                refused: Callable[[str], str]) -> Path | None:
    """Copy ``path`` beside itself (`kept_names`: ``kind``, the time it was last saved, in ``tz``)
    before ``new`` replaces it; where it went. None when there is no file, or it is one of
    ``own`` (sha256s: duban's record of it, the new file's) or holds the same parts as ``new``
    (`same_parts`): nothing of the office's in it. A copy is never overwritten, and the same file
    kept already (by a run that then could not write) is not kept twice. One that cannot be made
    raises `errors.SystemFault` with ``refused(why)``: the file stays as it was. For every copy
    duban keeps: the 通报's and 汇总表's (`write_output`), a master imported over, init --force's
    (`actions.master_import.keep_previous`)."""
    try:
        old = file_sha(path)
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError as exc:  # one that cannot be read is not replaced unseen
        raise (errors.os_fault(exc, path, op="read") or errors.SystemFault(f"无法读取“{path}”。")) from exc
    # parts the same as the new file's: duban's own, whatever the record says (a run killed
    # between the replace and its record left the record behind; QA323)
    if old in own or same_parts(path, new):
        return None
    for copy in kept_names(path, kind, stamp, tz):
        if not os.path.lexists(copy):
            break
        if _same(copy, old):  # kept by an earlier run that then could not write
            return copy
    try:
        atomic_write(copy, lambda tmp: _copy(path, tmp))
    except errors.DubanError as exc:
        fault = type(exc) if isinstance(exc, errors.SystemFault) else errors.SystemFault
        raise fault(refused(exc.message)) from exc
    with contextlib.suppress(OSError):  # the time the office saved it, as its name says
        os.utime(copy, (stamp, stamp))
    return copy


def same_parts(old: Path, new: Path) -> bool:
    """Whether two .docx or .xlsx packages hold the same parts but the one that says when
    each was saved: a 通报 made again from the same data differs from the last only in its
    zip entries' times and ``docProps/core.xml``. What tells a file with no record (the module
    doc) that is the new one over again: nothing to keep."""
    mine = package_parts(old)
    return mine is not None and mine == package_parts(new)


def package_parts(path: Path) -> dict[str, bytes] | None:
    """The parts of the .docx or .xlsx package at ``path`` but the one that says when it was
    saved (``docProps/core.xml``): two with the same say the same. None: no file, not a package
    (.md), or a broken one."""
    import zipfile  # deferred: only a file with no record, or a 通报 with a PDF beside it, needs it

    try:
        with zipfile.ZipFile(path) as z:
            return {i.filename: z.read(i) for i in z.infolist() if i.filename != "docProps/core.xml"}
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
            zipfile.LargeZipFile):
        return None


def set_aside(ws: Workspace, path: Path) -> Path:
    """Move ``path`` to a kept copy's name beside it, ``（旧版，M月D日HH时MM分保存）`` (the time it
    was saved), never over another copy; where it went. For a rendering of a file written again
    that still says what the file said before (the 通报's PDF, `actions.memo`): under its own
    name it was sent as the new one. Raises `errors.SystemFault` (`errors.os_fault`'s words)
    when it cannot be moved (open in a reader on Windows, a read-only folder).

    Its access time is then the time it was set aside (its modification time, the one its name
    says, kept): what a stopped run reads to name it (`interrupts._written`), a rename changing no
    time Windows keeps."""
    try:
        saved = path.stat().st_mtime
        copy = next(c for c in kept_names(path, "旧版", saved, ws.tz) if not os.path.lexists(c))
        os.rename(path, copy)  # in its own folder: one step, its time kept
    except OSError as exc:
        raise (errors.os_fault(exc, path, op="write")
               or errors.SystemFault(f"无法改名“{path}”。")) from exc
    with contextlib.suppress(OSError):
        os.utime(copy, (time.time(), saved))
    return copy


def kept_names(path: Path, kind: str, stamp: float, tz: dt.tzinfo | None) -> Iterator[Path]:
    """The names a kept copy of ``path`` may take, in turn: ``（kind，M月D日HH时MM分保存）``, then
    ``…，2）`` and on (``kind``: 修改稿, 旧版; the time the file was saved, its ``stamp``, read in
    ``tz``), each as `is_kept_copy` knows it: the first not taken is the copy's, none ever
    overwritten. One naming for every copy duban keeps (`write_output`, `set_aside`, a master
    imported over: `actions.master_import.keep_previous`)."""
    try:
        saved = dt.datetime.fromtimestamp(stamp, tz)
    except (OverflowError, ValueError, OSError):  # a time stamp no calendar has: when it is kept
        saved = dt.datetime.now(tz)
    # no strftime: a format with Chinese in it is the locale's business on Windows
    label = f"{kind}，{saved.month}月{saved.day}日{saved.hour:02d}时{saved.minute:02d}分保存"
    for n in itertools.count(1):
        yield _named(path, label + (f"，{n}" if n > 1 else ""))


def _named(path: Path, label: str) -> Path:
    """``path`` with ``（label）`` after its stem, the stem cut to keep the name short enough."""
    stem, tail = path.stem, f"（{label}）{path.suffix}"
    while len((stem + tail).encode()) > _NAME_BYTES and len(stem) > 1:
        stem = stem[:-1]
    return path.with_name(stem + tail)


def _copy(source: Path, target: Path) -> None:
    import shutil  # deferred: only a kept copy needs it

    shutil.copyfile(source, target)


def _same(path: Path, sha256: str) -> bool:
    try:
        return file_sha(path) == sha256
    except OSError:
        return False


def _ledger(ws: Workspace):
    """The workspace's ledger for writing, or None where there is none yet: a ledger made
    here would hide `Workspace.check_ledger`'s refusal of a folder copied without ``.duban``."""
    try:
        if ws.ledger_path.stat().st_size == 0:
            return None
    except OSError:
        return None
    return Ledger(ws.ledger_path)


@contextlib.contextmanager
def _opened(ws: Workspace):
    """The ledger that reads and then records one write, or None where there is none or it
    cannot be opened (then nothing is recorded: the next write keeps). Opened once per write:
    each opening checks the schema, 1.0 ms of W1's merge, and it was opened twice."""
    ledger = None
    try:
        ledger = _ledger(ws)
    except (sqlite3.Error, OSError) as exc:
        _unless_upgrade_failed(ws, exc)
    except errors.DubanError:
        pass
    try:
        yield ledger
    finally:
        if ledger is not None:
            with contextlib.suppress(sqlite3.Error):
                ledger.close()


def _unless_upgrade_failed(ws: Workspace, exc: Exception) -> None:
    """Raise the one Chinese line of an upgrade of the ledger refused by the disk or the OS (its
    backup not written on a full disk): passed over, the ledger stayed at its version with nothing
    said, and the next command upgraded it with an empty backup (QA397)."""
    fault = errors.os_fault(exc, fallback=ws.ledger_path)
    if fault is None:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"{ws.ledger_path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            older = schema_version(conn) < LATEST
    except (sqlite3.Error, OSError):
        older = False
    if older or isinstance(fault, errors.DiskFull):
        raise fault from exc


def _recorded(ledger: Ledger | None, where: str) -> str | None:
    """The sha256 duban last wrote at ``where``; None: no record, or no ledger to read it from."""
    if ledger is None:
        return None
    try:
        return last_written(ledger.conn, where)
    except sqlite3.Error:
        return None


def _record(ledger: Ledger | None, where: str, sha256: str) -> None:
    """Remember what was written at ``where``; not remembered, the next write keeps a copy
    (the module doc)."""
    if ledger is not None:
        with contextlib.suppress(sqlite3.Error):
            record_written(ledger.conn, where, sha256)
