"""Work on several cores that a Ctrl-C, a SIGTERM or a dead parent always ends cleanly.

`concurrent.futures.ProcessPoolExecutor` was not good enough here: on Ctrl-C its workers
printed their own KeyboardInterrupt tracebacks, and its management thread could hang the
interpreter at exit (``InvalidStateError: CANCELLED``). These workers are plain processes
fed through one pipe each:

- they ignore SIGINT, SIGTERM and SIGHUP: only the parent decides, and it ends them with
  SIGKILL when it is interrupted or fails (nothing in a worker needs cleaning up: its
  half-written files are in ``.duban/tmp``, cleared by the next run);
- on Linux they die with the parent (``PR_SET_PDEATHSIG``), so a killed run never leaves
  workers behind holding files; elsewhere they exit when their pipe closes;
- results come back in input order; an exception in a job is raised in the parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# multiprocessing is imported when workers start: about 5 ms of every start (measured after
# the stdlib modules duban loads anyway), and a city's month is checked on one core.

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")
                 if hasattr(signal, name))
_PREFETCH = 2  # jobs queued per worker, so it never waits for the parent between jobs


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def run(func: Callable[[Any], Any], jobs: Iterable[Any], workers: int,
        initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> list[Any]:
    """``[func(job) for job in jobs]`` on ``workers`` processes; see the module doc.

    ``func`` and ``initializer`` must be module-level functions (they are pickled when the
    platform cannot fork).
    """
    jobs = list(jobs)
    if workers <= 1 or len(jobs) < 2:
        if initializer is not None:
            initializer(*initargs)
        return [func(job) for job in jobs]
    with Pool(func, min(workers, len(jobs)), initializer, initargs) as pool:
        return pool.map(jobs)


class Pool:
    """``workers`` processes started now and fed later by `map`; ended by `close` (or ``with``).

    Forked workers start as copies of the parent: started before the parent grows, they stay
    small. `collect` starts them before it reads the inbox, so that each does not carry a copy
    of every file's bytes (10,000 returns: the process tree peaked at 810 MB, the parent alone
    at 538 MB).
    """

    def __init__(self, func: Callable[[Any], Any], workers: int,
                 initializer: Callable[..., None] | None = None, initargs: tuple = ()):
        import multiprocessing

        ctx = multiprocessing.get_context("fork" if can_fork() else "spawn")
        self.procs: list[Any] = []
        self.pipes: list[Connection] = []
        try:
            with _signals_held():  # a worker must never see a signal before it ignores them
                for _ in range(max(workers, 1)):
                    mine, theirs = ctx.Pipe()
                    p = ctx.Process(target=_worker, args=(theirs, func, initializer, initargs, os.getpid()),
                                    daemon=True)
                    p.start()
                    theirs.close()
                    self.procs.append(p)
                    self.pipes.append(mine)
        except BaseException:
            self.close(failed=True)
            raise

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(failed=exc_type is not None)

    def map(self, jobs: Iterable[Any]) -> list[Any]:
        """``[func(job) for job in jobs]``, in input order; a job's exception is raised here."""
        jobs = list(jobs)
        pipes = self.pipes
        from multiprocessing.connection import wait

        results: list[Any] = [None] * len(jobs)
        try:
            queued = iter(enumerate(jobs))
            outstanding = {id(c): 0 for c in pipes}
            for conn in pipes:
                for _ in range(_PREFETCH):
                    _send_next(conn, queued, outstanding)
            remaining = len(jobs)
            while remaining:
                for conn in wait([c for c in pipes if outstanding[id(c)]]):
                    try:
                        index, ok, value = conn.recv()
                    except (EOFError, OSError):
                        raise WorkerLost("a worker process ended unexpectedly") from None
                    outstanding[id(conn)] -= 1
                    if not ok:
                        raise value
                    results[index] = value
                    remaining -= 1
                    _send_next(conn, queued, outstanding)
        except BaseException:
            self.close(failed=True)
            raise
        return results

    def close(self, failed: bool = False) -> None:
        """Tell the workers to stop and wait a little for them; kill whatever still runs."""
        if not failed:
            for conn in self.pipes:
                with contextlib.suppress(OSError):
                    conn.send(None)
            for p in self.procs:
                with contextlib.suppress(OSError, ValueError, AssertionError):
                    p.join(5)
        # forgotten before they are ended: a second Ctrl-C (`timeout` sends SIGINT twice) is held
        # by `_end` and raised as it returns, and `__exit__` then closed the pool again, asking a
        # closed process is_alive(): 内部错误 "process object is closed" instead of 已取消 (QA368)
        procs, pipes = self.procs, self.pipes
        self.procs, self.pipes = [], []
        _end(procs, pipes)


class WorkerLost(RuntimeError):
    """A worker process died (killed for memory, say) without a result."""


class Background:
    """``func(job)`` in one worker process while the caller goes on; `result` waits for it.

    For two outputs of one run that need nothing from each other (`duban run` fills the memo
    while the workbook is written: on W1 the memo's imports and fill, 100 ms, ran after the
    workbook's 150 ms). The job reaches the forked worker as the parent's memory, never
    pickled; only the result comes back through the pipe. Where the platform cannot fork
    (Windows), starting a worker would cost more than the job: `result` then runs it
    in this process. `cancel` (or leaving a ``with`` block by an exception) kills the worker.
    """

    def __init__(self, func: Callable[[Any], Any], job: Any):
        self._func, self._job = func, job
        self._pool: Pool | None = None
        if can_fork():
            try:
                self._pool = Pool(_held_call, 1, _hold, (func, job))
            except OSError:  # no process to be had (EAGAIN, ENOMEM): the job runs in `result`
                return
            try:
                self._pool.pipes[0].send((0, 0))
            except BaseException:
                self.cancel()
                raise

    def result(self) -> Any:
        """The job's return value; its exception is raised here."""
        if self._pool is None:
            return self._func(self._job)
        try:
            try:
                _, ok, value = self._pool.pipes[0].recv()
            except (EOFError, OSError):
                raise WorkerLost("a worker process ended unexpectedly") from None
            if not ok:
                raise value
        except BaseException:
            self.cancel()
            raise
        self._pool.close()
        self._pool = None
        return value

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.close(failed=True)
            self._pool = None

    def __enter__(self) -> Background:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.cancel()


_HELD: list[Any] = []  # a Background worker's (func, job), set in the worker by `_hold`


def _hold(func: Callable[[Any], Any], job: Any) -> None:
    _HELD[:] = [func, job]


def _held_call(_: Any) -> Any:
    func, job = _HELD
    return func(job)


def _send_next(conn: Connection, queued, outstanding: dict[int, int]) -> None:
    item = next(queued, None)
    if item is not None:
        conn.send(item)
        outstanding[id(conn)] += 1


def _end(procs: list, pipes: list[Connection]) -> None:
    """Kill whatever still runs (interrupted or failed run), without being interrupted."""
    with _signals_held():
        for p in procs:
            with contextlib.suppress(OSError, ValueError):  # ValueError: a process already closed
                if p.is_alive():
                    p.kill()
        for p in procs:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                p.join(5)
                p.close()
        for conn in pipes:
            with contextlib.suppress(OSError):
                conn.close()


@contextlib.contextmanager
def _signals_held():
    """Block the stop signals for a moment; they are delivered (not lost) afterwards."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    wanted = {s for s in _SIGNALS if s != getattr(signal, "SIGBREAK", None)}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _worker(conn: Connection, func, initializer, initargs, parent: int) -> None:
    for s in _SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            signal.signal(s, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
    _die_with_parent(parent)
    # Nothing a worker prints is for the coordinator; its errors go back to the parent.
    with contextlib.suppress(OSError, ValueError):
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    try:
        if initializer is not None:
            initializer(*initargs)
        while True:
            job = conn.recv()
            if job is None:
                break
            index, arg = job
            try:
                reply = (index, True, func(arg))
            except Exception as exc:  # raised again in the parent
                reply = (index, False, exc)
            try:
                conn.send(reply)
            except Exception as exc:  # an unpicklable result or exception
                conn.send((index, False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent is gone or ended us: nothing to report to anyone
    finally:
        os._exit(0)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the parent dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(0)
    except (OSError, AttributeError):
        pass
