"""Setting a workspace up: `duban init` and `duban master import` (the task-division table
into the master workbook), apart from the month's commands in `month`."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from .. import errors
from ..files import STATE_DIR
from ..period import Period
from ..workspace import CONFIG_NAME, Workspace
from .base import State, _action, cli, echo, echo_issues, pass_state, period_option


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False), default=".", metavar="[文件夹]")
@click.option("--master", "master_file", type=click.Path(), help="任务分工表（.docx/.xlsx），默认用自带的东莞市分工表")
@period_option("当前期次，如 2022-06；默认上个月")
@click.option("--organiser", metavar="单位", help="督办单位（通报落款），默认取分工表标题或通知落款中的发文机关")
@click.option("--directory", "directory_file", type=click.Path(dir_okay=False),
              help="单位名录 CSV（单位、简称/别名、类别、联系人、电话、邮箱）")
@click.option("--force", is_flag=True,
              help="文件夹已是工作区时仍然重建配置和任务清单；原 duban.toml、任务分工表.xlsx 与新的不同时，"
                   "先在同一文件夹另存为“（旧版，…保存）”的副本")
@click.option("--scripts", "scripts_only", is_flag=True,
              help="已有的工作区只更新双击脚本（和没有改过的模板）为本版本的，配置、任务清单和数据都不动："
                   "用 pip 升级督办后运行（用安装包的 0-首次安装 升级时已自动更新）")
@pass_state
def init(state: State, folder: str, master_file: str | None, period: Period | None, organiser: str | None,
         directory_file: str | None, force: bool, scripts_only: bool) -> None:
    """创建工作区：配置文件、任务清单、各环节文件夹、模板和双击脚本。

    \b
    示例：
      duban init 督办2022
      duban init 督办2022 --master 任务分工表.docx --period 2022-06
      duban init 督办2022 --scripts
    """
    if scripts_only:
        # `pip install --upgrade` leaves a workspace the scripts copied when it was made; --force
        # would rebuild duban.toml and the master to get new ones (QA357)
        if master_file or period or organiser or directory_file or force:
            raise click.UsageError("--scripts 只更新双击脚本，"
                                   "不能与 --master、--period、--organiser、--directory、--force 同用。")
        root = Path(folder).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise errors.WorkspaceNotFound(f"{root} 不是工作区（没有 {CONFIG_NAME}），没有可更新的双击脚本。"
                                           "新建工作区请去掉 --scripts。")
        with _held(root):
            written = _action("kit").refresh_scripts(root)
        templates = [w.name for w in written if w.parent != root]  # the shipped ones never edited
        also = f"，并把没有改过的模板（{'、'.join(templates)}）换成了本版本的" if templates else ""
        echo(state, f"已把工作区 {root} 的双击脚本（{len(written) - len(templates)} 个文件）更新为本版本的{also}；"
                    "配置、任务清单、改过的模板和数据没有改动。")
        return
    kept: list[Path] = []
    with _held(Path(folder).resolve() if force else None):
        ws, master = _action("init").init_workspace(folder, master_file, period, force, organiser=organiser,
                                                    directory_csv=Path(directory_file) if directory_file else None,
                                                    kept=kept)
    echo(state, f"已创建工作区：{ws.root}")
    for copy in kept:  # --force over a workspace: what it had, kept beside the new files
        said = ("其中的设置（督办单位、联系人、邮箱等）" if copy.suffix == ".toml"
                else "在其中做过的修改（补填的截止日期、责任分工中增删的单位等）")
        echo(state, f"原{'配置文件' if copy.suffix == '.toml' else '任务分工表'}已另存为“{copy.name}”（同一文件夹）："
                    f"{said}没有带入新文件，如有请对照补回。", fg="yellow")
    _echo_master_summary(state, master)
    echo(state, f"任务清单：{ws.master_path}")
    # init has already written the period to duban.toml: name it instead of asking for it
    echo(state, f"下一步：运行 duban issue 下发{ws.period().label}的填报表"
                "（当前期次，已写入 duban.toml；其他月份用 --period 指定）。")


def _held(root: Path | None):
    """The run lock of the workspace ``init --force`` rebuilds: its duban.toml and master are
    what every run reads, and a run holding it says exit 4 to all else that would change
    them (QA276). Taken without reading duban.toml, which --force is there to mend."""
    if root is None or not ((root / CONFIG_NAME).exists() or (root / STATE_DIR).is_dir()):
        return contextlib.nullcontext()
    return Workspace(root).lock()


@cli.group()
def master() -> None:
    """任务清单（任务分工表）相关命令。"""


@master.command("import")
@click.argument("file", type=click.Path(), metavar="分工表")
@click.option("--out", "-o", type=click.Path(dir_okay=False),
              help="输出的任务清单工作簿（默认：工作区的任务分工表.xlsx）")
@click.option("--directory", "directory_file", type=click.Path(), help="单位名录 CSV（默认：工作区的单位名录）")
@click.option("--organiser", metavar="单位", help="督办单位（通报落款），默认取分工表标题或通知落款中的发文机关")
@pass_state
def master_import(state: State, file: str, out: str | None, directory_file: str | None,
                  organiser: str | None) -> None:
    """导入任务分工表（Word 或 Excel），生成任务清单工作簿。

    读取表格中的一级、二级任务、工作任务、具体工作内容、完成时限和责任部门，
    拆分牵头/配合单位，展开“各镇街（园区）”“市各有关部门”，写出
    任务清单、责任分工、单位名录三张表。在工作区里重新导入时，原任务分工表先另存在
    同一文件夹（“任务分工表（旧版，…保存）.xlsx”），屏幕上写明。

    \b
    示例：
      duban master import 任务分工表.docx
      duban master import 分工表.xlsx --out 任务分工表.xlsx
    """
    # said whole (已写入：…), as the workspace's own paths are
    target = Path(out).resolve() if out else _default_master_target(state)
    action = _action("master_import")
    ws = None if out else _own_workspace(state)  # into the workspace's own master
    with ws.lock() if ws else contextlib.nullcontext():  # read by every run: not under one (QA276)
        before = action.plan_in(target) if ws else None
        if ws:  # the months issued so far keep the name their forms printed (QA394)
            action.name_issued_months(ws, before)
        # the workbook replaced is kept beside it, said below: the office's edits in Excel
        # are not carried into the new one (QA351)
        imported = action.import_keeping(Path(file), target, Path(directory_file) if directory_file else None,
                                         organiser=organiser, signer=ws.organiser if ws else "",
                                         tz=ws.tz if ws else None)
    result = imported.master
    _echo_master_summary(state, result)
    echo(state, f"已写入：{target}")
    if imported.kept_line:
        echo(state, imported.kept_line, fg="yellow")
    if ws:
        for line in (revision.lines() if (revision := action.revision_of(ws, before, result)) else []):
            echo(state, line)
        _echo_kept_project_name(state, ws, result)


def _own_workspace(state: State):
    """The workspace whose master an import replaces; None when there is none (the
    workbook stands alone)."""
    try:
        return state.workspace()
    except errors.DubanError:
        return None


def _echo_kept_project_name(state: State, ws, result) -> None:
    """Say so when the workspace keeps another project name or 落款 than the one just
    imported: forms, the 汇总表 and the 通报 take duban.toml's, which an import never changes,
    so a summary saying 专项行动：X alone promised a rename that does not happen. A month already
    issued keeps the name its forms were made with (`Ledger.issued_project`): said with it (QA386)."""
    kept, imported = ws.project, result.title
    if kept and imported and kept != imported:
        echo(state, f"注意：duban.toml 中的专项行动名称仍是“{kept}”，填报表、汇总表和通报都用它；"
                    f"如要改用“{imported}”，请修改 duban.toml 中的 name：此后下发的月份用新名称，已下发的月份"
                    f"（其填报表，以及重新汇总、重新生成的汇总表和通报）仍用下发时的名称。")
    if result.organiser and result.organiser != ws.organiser:  # --organiser, or none in duban.toml
        now = f"仍是“{ws.organiser}”" if ws.organiser else "没有填写"
        echo(state, f"注意：duban.toml 中的督办单位（通报落款）{now}，通报按它落款；"
                    f"如要改为“{result.organiser}”，请修改 duban.toml 中的 organiser。")


def _default_master_target(state: State) -> Path:
    try:
        return state.workspace().master_path
    except errors.WorkspaceNotFound:
        return Path("任务分工表.xlsx").resolve()


def _echo_master_summary(state: State, result) -> None:
    for line in _action("master", package=True).summary_lines(result):
        echo(state, line)
    echo_issues(state, result.issues)
