"""`duban init`: a new workspace (duban.toml, master workbook, stage folders, templates, scripts)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

from .. import errors
from ..files import atomic_write
from ..master import Master, import_master, write_master_workbook
from ..period import Period
from ..resources import resource
from ..settings import read_settings
from ..units import Directory
from ..workspace import (
    CONFIG_NAME,
    CONFIG_TEMPLATE,
    EDITABLE_TEMPLATES,
    STAGE_FOLDERS,
    Workspace,
    copy_scripts,
)


def init_workspace(folder: str | Path, master_file: str | Path | None = None,
                   period: Period | None = None, force: bool = False, *, organiser: str | None = None,
                   directory_csv: Path | None = None, kept: list[Path] | None = None) -> tuple[Workspace, Master]:
    """Create a workspace: duban.toml, the master workbook, stage folders, templates, scripts.

    Returns (workspace, master). The master comes from ``master_file`` or the shipped seed.
    The organiser (通报落款) is ``organiser``, else the one the import found (the issuing body
    in the title, or the office the directory marks); never guessed, so it may stay blank.
    With ``force`` over a workspace, its duban.toml and master workbook are kept beside the new
    ones first when they differ (``（旧版，…保存）``, `master_import.keep_previous`), each copy
    added to ``kept``: --force mends a broken duban.toml, and the office's [mail] settings,
    contact and its edits of 任务清单 went with it, no copy anywhere.
    """
    root = Path(folder).resolve()
    if (root / CONFIG_NAME).exists() and not force:
        raise errors.WorkspaceExists(f"{root} 已经是一个工作区（有 {CONFIG_NAME}），无需再次创建。")
    source = Path(master_file) if master_file else resource("workbooks", "任务分工表.docx")
    master = import_master(source, Directory.from_csv(directory_csv) if directory_csv else None,
                           organiser=organiser, use_bundled_directory=True if directory_csv else None,
                           directory_name=f"指定的单位名录“{Path(directory_csv).name}”" if directory_csv else "")
    root.mkdir(parents=True, exist_ok=True)
    for stage in STAGE_FOLDERS:
        (root / stage).mkdir(exist_ok=True)
    templates = root / "模板"
    templates.mkdir(exist_ok=True)
    for name in EDITABLE_TEMPLATES:
        src = resource("templates", name)
        if src.exists() and not (templates / name).exists():
            shutil.copy2(src, templates / name)
    copy_scripts(root)
    # last month by the office's calendar (the default timezone), not the machine's
    period_text = str(Period.parse(period) if period else Period.previous_month(Workspace(root).now().date()))
    signer = master.organiser
    config = CONFIG_TEMPLATE.format(name=master.title.replace('"', "'"), organiser=signer.replace('"', "'"),
                                    period=period_text, templates="模板")
    # the master before duban.toml, which makes the folder a workspace: stopped between the two
    # (a full disk, Ctrl-C), `duban init` run again refused "已经是一个工作区" a folder that had
    # no 任务清单工作簿 (QA276). CONFIG_TEMPLATE names the default master file.
    tz = Workspace(root).tz  # the default zone: a duban.toml --force mends may not read
    write_master_workbook(master, Workspace(root).master_path,
                          before=_keeping(Workspace(root).master_path, tz, kept) if force else None)
    atomic_write(root / CONFIG_NAME, lambda tmp: tmp.write_text(config, encoding="utf-8"),
                 before=_keeping(root / CONFIG_NAME, tz, kept) if force else None)
    return Workspace(root, read_settings(root / CONFIG_NAME)), master


def _keeping(path: Path, tz, kept: list[Path] | None) -> Callable[[Path], None]:
    """``atomic_write``'s ``before`` for a file ``init --force`` writes over: the one there kept
    beside it unless it holds what the new one holds; the copy added to ``kept``."""
    from .master_import import keep_previous  # deferred: the import action serves --force alone

    def before(new: Path) -> None:
        with contextlib.suppress(OSError):
            if path.read_bytes() == new.read_bytes():
                return
        copy = keep_previous(path, new, tz, lambda why: _refused(path, why, kept))
        if copy is not None and kept is not None:
            kept.append(copy)

    return before


def _refused(path: Path, why: str, kept: list[Path] | None) -> str:
    """init --force's words when the copy of ``path`` cannot be made: the import's (没有导入) named
    no import the office ran. The master is written before duban.toml: when duban.toml's copy
    fails, the master was rebuilt already, and its copy (``kept``) is named."""
    done = (f"（{'、'.join(f'“{c.name}”' for c in kept)}已另存，任务分工表已重建）"
            if kept and path.name == CONFIG_NAME else "")
    return f"“{path.name}”原样保留，没有重建{done}：重建前要先把它另存一份，但{why}"
