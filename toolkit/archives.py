""".7z and .rar archives: opened into the files they carry, with the guards zip has.

A .7z is read in-process by py7zr (pure Python, a dependency). RAR has no free pure-Python
decoder, so a .rar is read by the first program present among unrar, 7-Zip and bsdtar (bsdtar
is Windows 10's own tar.exe); with none, the department is asked for a .zip.

Each entry is read into memory (never written to disk under its own name, so a hostile name
cannot land anywhere) and becomes a child item, as zip entries do; what cannot be read becomes
a child with its own issue instead of costing the whole archive. The limits are the zip ones:
entry count, unpacked bytes (shared with everything else from the same inbox file),
compression ratio, archive depth.

This module does not import `unpack` (which imports it): the caller passes the item class and
its own `expand` for what is found inside.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

# subprocess and tempfile are imported where a .rar is read: every collect imports this module
# (through unpack) and almost none meets a .rar. Importing this module took 4.9 ms with them,
# 1.2 ms without (CPU, min of 30 processes, 2-core EPYC, Python 3.11).
if TYPE_CHECKING:
    import subprocess

from .report import make_issue
from .settings import Limits
from .sniff import EMPTY_ARCHIVE, is_junk, leaf_name
from .text import decode_name
from .vocab import Outcome

log = logging.getLogger("duban")

_RATIO_FLOOR = 1048576  # ratios are judged only on entries above 1 MB, as for zip
NO_RAR_TOOL_ADVICE = ("本机没有可解开 RAR 压缩包的程序（unrar、7-Zip 或 bsdtar），"
                      "请改用 .zip 压缩后重新报送，或直接附上 .xlsx 文件。")
LINK_REASON = "这是快捷方式（符号链接），不是文件本身，未读取"
TOOL_FAILED = "本机的解压程序无法解开该文件，请改用 .zip 压缩后重新报送"


@dataclass
class Entry:
    """One member of an archive as its listing describes it."""

    name: str
    size: int | None = None      # declared unpacked bytes, when the listing tells
    packed: int | None = None    # declared packed bytes, when the listing tells
    is_dir: bool = False
    is_link: bool = False
    encrypted: bool = False
    raw: bytes = b""             # the name as the listing program spelled it, to ask it back


class Refuse(Exception):
    """The whole archive is refused with this issue code."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


class EntryFailed(Exception):
    """One entry could not be read; the others still are."""

    def __init__(self, reason: str, encrypted: bool = False):
        super().__init__(reason)
        self.reason, self.encrypted = reason, encrypted


def hostile(name: str) -> bool:
    """A member name that climbs out of the archive: '..' parts, absolute, a drive letter."""
    n = name.replace("\\", "/")
    parts = PurePosixPath(n).parts
    return n.startswith("/") or (len(n) > 1 and n[1] == ":") or ".." in parts


# ---------------------------------------------------------------------------
# the guarded expansion, common to both formats


def expand_archive(item: Any, limits: Limits, make_item: Callable[..., Any],
                   expand: Callable[[Any, Limits], None]) -> None:
    """Open a .7z or .rar item into child items (``make_item`` builds them), within limits."""
    item.outcome = Outcome.CONTAINER
    if item.depth >= limits.max_zip_depth:
        item.outcome = Outcome.UNREADABLE
        item.issues.append(make_issue("E104", file=item.name, detail=f"压缩包嵌套超过 {limits.max_zip_depth} 层"))
        return
    if item.budget is None:  # one allowance for everything unpacked from one inbox file
        item.budget = [limits.max_unpacked_bytes]
    budget = item.budget
    taken = [0]

    def take(n: int) -> None:
        taken[0] += n
        budget[0] -= n
        if budget[0] < 0:
            raise Refuse("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")

    def child(entry: Entry, data: bytes = b"") -> Any:
        source = f"{item.source} › 压缩包“{item.name}”内的“{entry.name}”"
        return make_item(leaf_name(entry.name), data, source, item.received_at, depth=item.depth + 1,
                         level=item.level + 1, budget=budget, entry=entry.name)

    def refused(c: Any, code: str, **params: Any) -> None:
        c.outcome = Outcome.UNREADABLE
        c.issues.append(make_issue(code, file=c.name, **params))

    try:
        with _open(item.kind, item.data) as reader:
            entries = [e for e in reader.entries() if not e.is_dir]
            if len(entries) > limits.max_entries:
                raise Refuse("E104", detail=f"压缩包内有 {len(entries)} 个文件")
            if sum(e.size or 0 for e in entries) > budget[0]:
                raise Refuse("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
            for e in entries:
                if e.size and e.packed and e.size > _RATIO_FLOOR and e.size / e.packed > limits.max_ratio:
                    raise Refuse("E104", detail=f"“{e.name}”压缩比 {e.size // e.packed}:1")
            whole = sum(e.size or 0 for e in entries)  # solid archives pack many files in one stream
            if whole > _RATIO_FLOOR and whole / max(len(item.data), 1) > limits.max_ratio:
                raise Refuse("E104", detail=f"压缩比 {whole // max(len(item.data), 1)}:1")
            wanted, made = [], {}
            kept = [e for e in entries if not is_junk(e.name)]
            if not kept:  # empty, folders only, or only what `is_junk` leaves out
                raise Refuse("E101", reason=EMPTY_ARCHIVE)
            for e in kept:
                if e.encrypted:
                    refused(made.setdefault(id(e), child(e)), "E102")
                elif e.is_link:
                    refused(made.setdefault(id(e), child(e)), "E101", reason=LINK_REASON)
                elif hostile(e.name):
                    refused(made.setdefault(id(e), child(e)), "E104", detail="文件路径指向压缩包之外，未读取")
                else:
                    wanted.append(e)
            for e, got in reader.read(wanted, take):
                if isinstance(got, EntryFailed):
                    c = made[id(e)] = child(e)
                    if got.encrypted:
                        refused(c, "E102")
                    else:
                        refused(c, "E101", reason=got.reason)
                else:
                    made[id(e)] = child(e, got)
            item.children.extend(made[id(e)] for e in kept if id(e) in made)  # in archive order
    except Refuse as refusal:
        budget[0] += taken[0]  # nothing of it is kept
        item.children.clear()
        item.outcome = Outcome.UNREADABLE
        item.issues.append(make_issue(refusal.code, file=item.name, **refusal.params))
        return
    except Exception as exc:  # the readers raise many kinds for damaged archives
        log.debug("压缩包 %s 读取失败：%r", item.name, exc)
        budget[0] += taken[0]
        item.children.clear()
        item.outcome = Outcome.UNREADABLE
        item.issues.append(make_issue("E101", file=item.name, reason=f"压缩包损坏（{type(exc).__name__}）"))
        return
    for c in item.children:
        if not c.outcome:
            expand(c, limits)


@contextmanager
def _open(kind: str, data: bytes) -> Iterator[Any]:
    if kind == "7z":
        reader = _SevenZip(data)
        try:
            yield reader
        finally:
            reader.z.close()
        return
    tools = rar_tools()
    if not tools:
        raise Refuse("E103", ext=".rar", advice=NO_RAR_TOOL_ADVICE)
    # The programs read files, not pipes (7-Zip and unrar seek); a private folder keeps the
    # copy away from other users and is removed whatever happens.
    import tempfile  # deferred: only a .rar needs it (see the imports above)

    folder = tempfile.mkdtemp(prefix="duban-rar-")
    try:
        path = Path(folder) / "archive.rar"
        path.write_bytes(data)
        yield _Rar(path, data, tools)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------
# .7z: py7zr


class _SevenZip:
    """A .7z read by py7zr into memory; solid blocks are decoded once, in order."""

    def __init__(self, data: bytes):
        # Imported here, not at module level: py7zr pulls in several compression modules and
        # costs start-up time for every command, while .7z returns are rare.
        import io

        import py7zr

        self._py7zr = py7zr
        try:
            self.z = py7zr.SevenZipFile(io.BytesIO(data))
        except py7zr.PasswordRequired as exc:  # encrypted names (7z a -mhe=on)
            raise Refuse("E102") from exc
        self.locked = self.z.needs_password()

    def entries(self) -> list[Entry]:
        out = []
        for info in self.z.list():
            out.append(Entry(info.filename, size=info.uncompressed, packed=info.compressed or None,
                             is_dir=info.is_directory, is_link=info.is_symlink, encrypted=self.locked))
        return out

    def read(self, wanted: list[Entry], take: Callable[[int], None]) -> Iterator[tuple[Entry, Any]]:
        from py7zr.helpers import get_sanitized_output_path
        from py7zr.io import Py7zIO, WriterFactory

        if not wanted:
            return
        # py7zr names each output by its sanitised path, numbering repeated names; keys here
        # follow the same rule so every output is matched to its entry.
        keys: dict[str, Entry] = {}
        seen: dict[str, int] = {}
        queues: dict[str, list[Entry]] = {}
        for e in wanted:
            queues.setdefault(e.name, []).append(e)
        names = set(queues)
        for info in self.z.list():
            if info.filename not in names or info.is_directory or not queues[info.filename]:
                continue
            n = seen.get(info.filename)
            outname = info.filename if n is None else f"{info.filename}_{n}"
            seen[info.filename] = 0 if n is None else n + 1
            keys[get_sanitized_output_path(outname, None).as_posix()] = queues[info.filename].pop(0)
        outputs: dict[str, bytearray] = {}

        class Sink(Py7zIO):
            def __init__(self, key: str):
                self.buf = outputs.setdefault(key, bytearray())

            def write(self, s) -> int:
                take(len(s))  # raises Refuse past the budget: decoding stops there
                self.buf += s
                return len(s)

            def read(self, size=None) -> bytes:
                return b""

            def seek(self, offset, whence=0) -> int:
                return 0

            def flush(self) -> None:
                pass

            def size(self) -> int:
                return len(self.buf)

        class Factory(WriterFactory):
            def create(self, filename: str) -> Py7zIO:
                return Sink(filename)

        try:
            self.z.extract(targets=names, factory=Factory())
        except (self._py7zr.PasswordRequired, self._py7zr.UnsupportedCompressionMethodError) as exc:
            failure = EntryFailed("压缩方式不支持，请改用 .zip 压缩后重新报送",
                                  encrypted=isinstance(exc, self._py7zr.PasswordRequired))
            for e in wanted:
                yield e, failure
            return
        done: set[int] = set()
        for key, e in keys.items():
            if key in outputs:
                done.add(id(e))
                yield e, bytes(outputs[key])
        for e in wanted:
            if id(e) not in done:
                yield e, EntryFailed("未能从压缩包中解出")


# ---------------------------------------------------------------------------
# .rar: unrar, 7-Zip or bsdtar, whichever is present


@dataclass(frozen=True)
class Tool:
    kind: str   # unrar | 7z | bsdtar
    exe: str


def _windows_candidates(kind: str) -> list[str]:
    """Where WinRAR and 7-Zip install themselves: rarely on PATH in an office."""
    if sys.platform != "win32":
        return []
    bases = [os.environ.get(v, "") for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
    rel = {"unrar": ["WinRAR/UnRAR.exe"], "7z": ["7-Zip/7z.exe"], "bsdtar": []}[kind]
    return [str(Path(b) / r) for b in bases if b for r in rel]


def rar_tools() -> list[Tool]:
    """The RAR readers present, in the order tried: unrar, 7-Zip, bsdtar."""
    names = {"unrar": ["unrar"], "7z": ["7z", "7zz"],
             # Windows 10+ ships bsdtar as tar.exe; elsewhere tar is GNU tar, which reads no RAR.
             "bsdtar": ["bsdtar"] + (["tar"] if sys.platform == "win32" else [])}
    found = []
    for kind, exes in names.items():
        for exe in exes + _windows_candidates(kind):
            path = shutil.which(exe) or (exe if os.path.isfile(exe) else None)
            if path:
                found.append(Tool(kind, path))
                break
    return found


# GBK names (no Unicode flag) decoded as a Chinese Windows would; Windows' own tar.exe already
# uses the system code page.
_BSDTAR_OPTIONS = [] if sys.platform == "win32" else ["--options", "rar:hdrcharset=CP936"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform != "win32":
        env["LC_ALL"] = "C.UTF-8"  # names come out as UTF-8, not as '?'
    return env


def _run(args: list[str], feed: bytes | None, timeout: float = 120) -> subprocess.CompletedProcess:
    import subprocess  # deferred: only a .rar needs it (see the imports above)

    return subprocess.run(args, input=feed if feed is not None else b"", capture_output=True,
                          timeout=timeout, env=_env(), check=False)


def _says_encrypted(text: bytes) -> bool:
    t = text.lower()
    return any(w in t for w in (b"encrypt", b"password", b"wrong password"))


class _Rar:
    def __init__(self, path: Path, data: bytes, tools: list[Tool]):
        self.path, self.data, self.tools = path, data, tools
        self.lister: Tool | None = None

    def entries(self) -> list[Entry]:
        import subprocess  # deferred: only a .rar needs it (see the imports above)

        failures = []
        for tool in self.tools:
            try:
                proc = _run(self._list_args(tool), self._feed(tool))
            except (OSError, subprocess.TimeoutExpired) as exc:
                failures.append(f"{tool.kind}: {exc}")
                continue
            if proc.returncode == 0 or (tool.kind == "unrar" and proc.returncode != 11 and proc.stdout.strip()):
                try:
                    found = _PARSERS[tool.kind](proc.stdout)
                except ValueError as exc:
                    failures.append(f"{tool.kind}: {exc}")
                    continue
                self.lister = tool
                return found
            if _says_encrypted(proc.stderr + proc.stdout) or (tool.kind == "unrar" and proc.returncode == 11):
                raise Refuse("E102")  # names encrypted: nothing can be listed without the password
            failures.append(f"{tool.kind}: {proc.stderr[-300:]!r}")
        log.debug("RAR 列表失败：%s", failures)
        raise Refuse("E101", reason="RAR 压缩包损坏，或本机的解压程序无法读取；请改用 .zip 压缩后重新报送")

    def _feed(self, tool: Tool) -> bytes | None:
        # bsdtar reads the archive from a pipe: given a file it may take a stored .xlsx near
        # the end of the RAR for the archive itself (libarchive's seeking zip reader wins).
        return self.data if tool.kind == "bsdtar" else None

    def _list_args(self, tool: Tool) -> list[str]:
        p = str(self.path)
        if tool.kind == "unrar":
            return [tool.exe, "lt", "-p-", "--", p]  # technical listing, never ask a password
        if tool.kind == "7z":
            return [tool.exe, "l", "-slt", "-p", "--", p]
        return [tool.exe, *_BSDTAR_OPTIONS, "-tvf", "-"]

    def _read_args(self, tool: Tool, e: Entry) -> list[Any]:
        p = str(self.path)
        # An old WinRAR stored names in GBK without the Unicode flag; 7-Zip and unrar print
        # those bytes as they are and find the entry again only by the same bytes.
        name: Any = e.raw if (e.raw and os.name == "posix" and tool == self.lister) else e.name
        if tool.kind == "unrar":
            return [tool.exe, "p", "-inul", "-p-", "-idq", "--", p, name]
        if tool.kind == "7z":
            return [tool.exe, "x", "-so", "-p", "-spd", "--", p, name]  # -spd: no wildcards
        escaped = "".join("\\" + ch if ch in "*?[]\\" else ch for ch in e.name)
        return [tool.exe, *_BSDTAR_OPTIONS, "-xOqf", "-", "--", escaped]

    def read(self, wanted: list[Entry], take: Callable[[int], None]) -> Iterator[tuple[Entry, Any]]:
        order = [self.lister] + [t for t in self.tools if t != self.lister]
        for e in wanted:
            failure: EntryFailed | None = None
            for tool in order:
                if tool is None:
                    continue
                try:
                    data = self._read_one(tool, e, take)
                except EntryFailed as f:
                    failure = failure or f
                    if f.encrypted:
                        break
                    continue
                failure = None
                yield e, data
                break
            if failure is not None:
                yield e, failure

    def _read_one(self, tool: Tool, e: Entry, take: Callable[[int], None]) -> bytes:
        """Stream one entry from the program's stdout, counting every chunk against the budget."""
        import subprocess  # deferred: only a .rar needs them (see the imports above)
        import tempfile

        feed = self._feed(tool)
        with tempfile.TemporaryFile() as err:
            stdin = subprocess.DEVNULL if feed is None else subprocess.PIPE
            try:
                proc = subprocess.Popen(self._read_args(tool, e), stdin=stdin, stdout=subprocess.PIPE,
                                        stderr=err, env=_env())
            except OSError as exc:  # the program went away or cannot run: try the next one
                raise EntryFailed(TOOL_FAILED) from exc
            chunks, counted = [], 0
            assert proc.stdout is not None
            if feed is not None:
                threading.Thread(target=_feed_stdin, args=(proc.stdin, feed), daemon=True).start()
            try:
                while chunk := proc.stdout.read(1 << 20):
                    take(len(chunk))
                    counted += len(chunk)
                    chunks.append(chunk)
                rc = proc.wait(timeout=120)
            except BaseException:
                proc.kill()
                proc.wait()
                raise
            finally:
                proc.stdout.close()
            err.seek(0)
            message = err.read()
        data = b"".join(chunks)
        if rc == 0 and (e.size is None or len(data) == e.size):
            return data
        take(-counted)  # a failed try keeps nothing
        log.debug("%s 解压 %s 失败（%s）：%r", tool.kind, e.name, rc, message[-300:])
        encrypted = e.encrypted or _says_encrypted(message) or (tool.kind == "unrar" and rc == 11)
        raise EntryFailed(TOOL_FAILED, encrypted=encrypted)


def _feed_stdin(pipe: Any, data: bytes) -> None:
    """Write the archive to a program's stdin; it may stop reading early (entry found)."""
    try:
        pipe.write(data)
    except (BrokenPipeError, OSError, ValueError):
        pass
    finally:
        with suppress(OSError):
            pipe.close()


# ---------------------------------------------------------------------------
# listings


def _parse_7z(out: bytes) -> list[Entry]:
    """``7z l -slt``: blocks of 'Key = value' lines after a line of dashes."""
    text = out.split(b"\n----------", 1)
    if len(text) < 2:
        raise ValueError("no listing")
    entries = []
    for block in text[1].replace(b"\r\n", b"\n").split(b"\n\n"):
        fields: dict[str, bytes] = {}
        for line in block.split(b"\n"):
            key, sep, value = line.partition(b" = ")
            if sep:
                fields[key.decode("ascii", "replace").strip()] = value
            elif line.endswith(b" ="):
                fields[line[:-2].decode("ascii", "replace").strip()] = b""
        if "Path" not in fields:
            continue
        attrs = fields.get("Attributes", b"").decode("ascii", "replace").split()
        mode = attrs[-1] if attrs else ""  # 'A -rw-r--r--', 'D drwxr-xr-x', ' lrwxrwxrwx'
        entries.append(Entry(
            decode_name(fields["Path"]), raw=fields["Path"],
            size=_int(fields.get("Size")), packed=_int(fields.get("Packed Size")),
            is_dir=fields.get("Folder") == b"+" or attrs[:1] == ["D"],
            is_link=bool(fields.get("Symbolic Link")) or mode.startswith("l"),
            encrypted=fields.get("Encrypted") == b"+"))
    return entries


def _parse_unrar(out: bytes) -> list[Entry]:
    """``unrar lt``: blocks of 'Key: value' lines, one block per member."""
    entries: list[Entry] = []
    cur: Entry | None = None
    for raw in out.replace(b"\r\n", b"\n").split(b"\n"):
        key, sep, value = raw.strip().partition(b": ")
        if not sep:
            continue
        k = key.decode("ascii", "replace").lower()
        if k == "name":
            cur = Entry(decode_name(value), raw=value)
            entries.append(cur)
        elif cur is None:
            continue
        elif k == "type":
            v = value.lower()
            cur.is_dir, cur.is_link = b"directory" in v, b"link" in v
        elif k == "size":
            cur.size = _int(value)
        elif k == "packed size":
            cur.packed = _int(value)
        elif k == "flags":
            cur.encrypted = b"encrypted" in value.lower()
    return entries


def _parse_bsdtar(out: bytes) -> list[Entry]:
    """``bsdtar -tv``: 'mode links owner group size month day year|time name[ -> target]'."""
    entries = []
    for raw in out.replace(b"\r\n", b"\n").split(b"\n"):
        parts = raw.split(None, 8)
        if len(parts) < 9:
            continue
        mode, size, rest = parts[0], parts[4], parts[8]
        is_link = mode.startswith(b"l")
        if is_link and b" -> " in rest:
            rest = rest.rsplit(b" -> ", 1)[0]
        entries.append(Entry(decode_name(rest), raw=rest, size=_int(size), is_dir=mode.startswith(b"d"),
                             is_link=is_link))
    return entries


_PARSERS = {"7z": _parse_7z, "unrar": _parse_unrar, "bsdtar": _parse_bsdtar}


def _int(value: bytes | None) -> int | None:
    try:
        return int(value.strip()) if value and value.strip() else None
    except ValueError:
        return None
