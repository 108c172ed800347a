"""`duban master import`: a published task-division table into the master workbook."""

from __future__ import annotations

from pathlib import Path

from .. import errors
from ..master import Master, import_master, write_master_workbook
from ..units import Directory


def import_master_file(source: Path, target: Path, directory_csv: Path | None = None, *,
                       organiser: str | None = None) -> Master:
    """Import ``source`` (.docx/.xlsx) and write the master workbook to ``target``."""
    if target.resolve() == Path(source).resolve():
        raise errors.UsageError("输出文件不能与输入文件相同，请用 --out 指定另一个文件名。")
    directory = Directory.from_csv(directory_csv) if directory_csv else None
    master = import_master(source, directory)
    write_master_workbook(master, target)
    return master
