"""The master as read from its workbook, kept as JSON in the workspace's ``.duban/``.

Every command that checks, merges or reports reads the master workbook. At 200 tasks and
1,000 units the read is 90 ms (calamine 45 ms of it: the 责任分工 sheet has 10,000 rows),
and a month's commands read the same unchanged workbook again and again. The model read
last is kept beside the ledger, keyed by the workbook's hash (BLAKE2b) and by the shape of the
model's classes; loading it takes a third of the time.

JSON, never pickle: a workspace may sit on a shared drive, and loading a pickle someone
left there would run their code. The file also carries the hash of the model's JSON, so a
damaged or half-edited cache is noticed and the workbook read again. A cache is only
that: unreadable, stale or unwritable (a read-only workspace), the workbook is read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
from pathlib import Path
from typing import Any

from ..errors import DubanError
from ..files import STATE_DIR, atomic_write
from ..places import plan_place
from ..report import Issue
from ..units import Directory, Unit
from ..vocab import Role
from .model import Assignment, Master, Task

# The interpreter's own BLAKE2b, not hashlib's: importing hashlib loads OpenSSL's libcrypto
# (_hashlib), 3.1 ms of `duban status`'s start-up for the 0.1 MB this module hashes. BLAKE2b
# rather than the built-in sha256 this module used before: the same content check (a changed
# workbook, a damaged cache), at a third of the work: hashing W1's 40 KB workbook and 72 KB
# cache was 5.4 M of `duban status`'s 348 M instructions with sha256, 1.6 M with BLAKE2b
# (callgrind). A cache written with sha256 has another key: read again, once.
try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # a build without it
    from hashlib import blake2b as _blake2b


def _digest(data: bytes) -> Any:
    """The hash of ``data`` this module keys and checks with (32 bytes, as sha256's were)."""
    return _blake2b(data, digest_size=32)


CACHE_NAME = "master_cache.json"
_FORMAT = 4  # bump when the layout of the JSON below changes (2: the fingerprint kept; 3: the place; 4: the kind)


def _shape() -> str:
    """The fields of every class stored: a duban whose model changed never reads an old cache."""
    classes = (Master, Task, Assignment, Directory, Unit, Issue)
    return repr([(c.__name__, [f.name for f in dataclasses.fields(c)]) for c in classes])


@functools.lru_cache(maxsize=1)
def _reader() -> bytes:
    """The code that turns the workbook into the model (how cells, deadlines, unit names and
    addresses are read), named by each source file's path, size and modification time: a duban
    reading differently never takes an old model. The stamp Python itself trusts to run a
    module's cached bytecode, not its source's contents: reading and hashing the 136 KB of
    source was 7 M instructions of `duban status`'s 477 M (callgrind, demo workspace). An
    edited, reinstalled or other copy of duban has other stamps."""
    # deferred: master.workbook imports this module (a cycle otherwise); the others are loaded by then
    from .. import dates, places, report, text, units
    from . import cells, model, workbook

    stamps = []
    # the master-import problems' wording (`codes`, `import_codes`), by path: not loaded by a
    # command that reads a cached master, and importing them here would load them for it
    sources = [(m.__name__, m.__file__) for m in (workbook, cells, model, dates, text, units, places, report)]
    sources += [(f"toolkit.{name}", os.path.join(os.path.dirname(report.__file__ or ""), f"{name}.py"))
                for name in ("codes", "import_codes")]
    for name, file in sources:
        try:
            st = os.stat(file)
            stamps.append(f"{file}\0{st.st_size}\0{st.st_mtime_ns}")
        except (OSError, TypeError):  # no source beside the module (a frozen build): its version then
            from .. import __version__  # deferred: the package's __init__ is loaded by then anyway

            stamps.append(f"{name} {__version__}")
    return _digest("\n".join(stamps).encode("utf-8", "surrogateescape")).digest()


def cache_key(workbook: bytes) -> str:
    return _digest(b"%d\0%s\0" % (_FORMAT, _shape().encode()) + _reader() + workbook).hexdigest()


def cache_path(workbook_path: Path) -> Path | None:
    """Where the cache of a master workbook lives: its workspace's ``.duban/``; None when
    the workbook is not in a workspace (an import's output elsewhere)."""
    state = workbook_path.parent / STATE_DIR
    return state / CACHE_NAME if state.is_dir() else None


def load(path: Path, key: str) -> Master | None:
    """The cached master for the workbook whose `cache_key` is ``key``; None if there is none."""
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        doc = json.loads(head)
        if doc.get("key") != key or doc.get("content") != _digest(body).hexdigest():
            return None
        return _master(json.loads(body))
    except FileNotFoundError:
        return None
    except Exception as exc:  # OSError, a damaged file, a shape this code does not know
        from ..logs import log  # deferred: the logging package, which `run_log` says status loads not

        log.debug("任务清单缓存不可用，改为读取工作簿：%s", exc)
        return None


def store(path: Path, key: str, master: Master) -> None:
    """Two lines: the key and the hash of the second line, then the model itself."""
    body = json.dumps(_plain(master), ensure_ascii=False).encode("utf-8")
    head = json.dumps({"key": key, "content": _digest(body).hexdigest()}).encode("ascii")
    # a failed write (read-only workspace, full disk: atomic_write says so as a DubanError)
    # costs the next command a read of the workbook, nothing else
    with contextlib.suppress(OSError, DubanError):
        atomic_write(path, lambda tmp: tmp.write_bytes(head + b"\n" + body))


def _plain(m: Master) -> dict[str, Any]:
    d = m.directory
    return {
        "title": m.title, "source": m.source, "organiser": m.organiser, "kind": m.kind,
        "tasks": [[t.deadline.isoformat() if f == "deadline" and t.deadline else getattr(t, f)
                   for f in _names(Task)] for t in m.tasks],
        "assignments": [[a.task, a.unit, a.role.value, a.source] for a in m.assignments],
        "units": [[u.name, u.kind, list(u.aliases), u.contact, u.phone, u.email] for u in d.units],
        "directory_organiser": d.organiser,
        "issues": [[getattr(i, f) for f in _names(Issue)] for i in m.issues],
        # derived from the tasks and assignments above: hashing them again was 3 ms of
        # every command that reads the master (status compares it with the month's forms)
        "fingerprint": m.fingerprint,
        # the plan's place as `Master` locates it from the two above (`Directory.locate`): its
        # four patterns compiled and matched were 0.8 ms of every status (demo workspace)
        "place": plan_place(m.organiser, m.title),
    }


def _master(b: dict[str, Any]) -> Master:
    at = _names(Task).index("deadline")
    tasks = []
    for row in b["tasks"]:
        if row[at]:
            row[at] = dt.date.fromisoformat(row[at])
        tasks.append(Task(*row))
    units = [Unit(name, kind, tuple(aliases), contact, phone, email)
             for name, kind, aliases, contact, phone, email in b["units"]]
    # a dict, not ``Role(r)``: the enum's call, once an assignment (788 in the demo), was
    # 3.3 M instructions of `duban status`'s 515 M (callgrind); a value no role has raises KeyError,
    # the cache then unusable as before
    roles = {r.value: r for r in Role}
    directory = Directory(units, b["directory_organiser"])
    directory.locate(b["organiser"], b["title"], found=b["place"])  # as `Master` would, without the work
    master = Master(b["title"], tasks, [Assignment(t, u, roles[r], s) for t, u, r, s in b["assignments"]],
                    directory, [Issue(*row) for row in b["issues"]], b["source"], organiser=b["organiser"],
                    kind=b["kind"])
    master.__dict__["fingerprint"] = b["fingerprint"]  # the cached_property, as computed when stored
    return master


def _names(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]
