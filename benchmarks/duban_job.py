"""duban's row of the side-by-side table: `collect` then `merge` of one workspace, in one
fresh process, as the peer scripts are run (interpreter start and imports included).

    python duban_job.py WORKSPACE

Prints one JSON line: the in-process times of the two steps, the counts, and peak RSS.
"""

import sys
import time

t0 = time.perf_counter()

from toolkit.actions.collect import collect  # noqa: E402  (imports are part of the job)
from toolkit.actions.merge import merge  # noqa: E402
from toolkit.workspace import find_workspace  # noqa: E402

t1 = time.perf_counter()
ws = find_workspace(sys.argv[1], explicit=True)
result = collect(ws)
t2 = time.perf_counter()
merge(ws)
t3 = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402

scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


def own_peak() -> int:
    """This process's peak RSS since it started this script. Linux's VmHWM belongs to the
    address space exec made; ru_maxrss also counts the parent's pages before the exec (a
    10 MB child of a 350 MB parent reports 357 MB), so it serves only where /proc has none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


print(json.dumps({
    "imports_s": t1 - t0, "collect_s": t2 - t1, "merge_s": t3 - t2, "work_s": t3 - t1,
    "accepted": result.accepted, "returns": result.returns,
    "maxrss_self": own_peak(),
    "maxrss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale,
}), flush=True)
