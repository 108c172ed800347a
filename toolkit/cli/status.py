"""`duban status`, typed many times a day, and what every monthly command says about the
units: loaded alone when it is named (`base.COMMAND_MODULES`): the other monthly commands'
options and code (`month`) were 5 M of its instructions (callgrind, W1; issue 19)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import click

from ..files import atomic_write
from ..text import display_width, pad
from ..vocab import NOT_YET_DUE, UnitState
from .base import State, _action, _issued, cli, echo, force_option, pass_state, period_option


@cli.command()
@period_option()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="输出格式")
@click.option("--all", "show_all", is_flag=True, help="列出全部单位（默认只列未按时报送的）")
@click.option("--out", "-o", type=click.Path(dir_okay=False),
              help="把 csv 或 json 写入这个文件（csv 带 BOM，Excel 直接打开不乱码）")
@force_option
@pass_state
def status(state: State, period: str | None, fmt: str, show_all: bool, out: str | None, force: bool) -> None:
    """报送情况：哪些单位按时报送、逾期报送、未报送或退回待改。

    \b
    示例：
      duban status
      duban status --all
      duban status -o 报送情况.csv
    """
    if out and fmt == "table":
        fmt = {".csv": "csv", ".json": "json"}.get(Path(out).suffix.lower(), "")
        if not fmt:
            raise click.UsageError("-o 写出的是 csv 或 json：文件名请以 .csv 或 .json 结尾，或加 --format csv。")
    action = _action("status")
    ws = state.workspace()
    cons = action.status(ws, _issued(ws, period, force))
    rows = action.status_rows(cons, said=fmt != "json")
    if fmt in ("json", "csv"):
        notes = cons.office_notes()
        if fmt == "json":
            text = json.dumps({"period": str(cons.period), "due": cons.stated_due.isoformat(),
                               "counts": cons.unit_counts(), "units": rows, "not_issued": cons.not_issued,
                               "behind_links": cons.behind_links, "not_yet_due": action.not_yet_due(cons),
                               "notes": notes, "told": cons.told()},
                              ensure_ascii=False, indent=2) + "\n"
        else:
            import csv  # deferred: only `status --format csv` writes one

            buf = io.StringIO()
            # Excel reads a CSV without a BOM in the system's code page (GBK on a Chinese
            # Windows) and shows the unit names garbled; with one it reads UTF-8
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["单位"],
                                    lineterminator="\r\n" if out else "\n")
            if out:
                buf.write("\ufeff")
            writer.writeheader()
            writer.writerows(rows)
            text = buf.getvalue()
        # what asks the office to check (`office_notes`) makes exit 1 as the table does: a
        # script reading the json finds the lines in "notes"; one writing a file sees them too
        state.exit_code = state.exit_code or (1 if notes else 0)
        if not out:
            click.echo(text, nl=False)
            return
        data = text.encode("utf-8")
        # said whole, as every path duban writes: -o 报送情况.csv named the shell's folder, which a
        # coordinator who double-clicked never saw
        path = atomic_write(Path(out).resolve(), lambda tmp: tmp.write_bytes(data))
        echo(state, f"{cons.period.label}报送情况已写入：{path}")
        _echo_office_notes(state, cons)
        return
    counts = cons.unit_counts()
    own = cons.own_dues_text(dt.date.isoformat)
    echo(state, f"{cons.period.label}报送情况（截止 {cons.stated_due.isoformat()}{'；' + own if own else ''}）："
                f"应报 {cons.owing}，"
                f"按时报送 {counts[UnitState.ON_TIME]}，逾期报送 {counts[UnitState.LATE]}，"
                f"{_missing_count(cons)}，退回待改 {counts[UnitState.TO_FIX]}{_exempt_count(cons)}")
    colours = {UnitState.ON_TIME: "green", UnitState.LATE: "yellow", UnitState.NOT_REPORTED: "red",
               UnitState.TO_FIX: "red", UnitState.EXEMPT: "green", NOT_YET_DUE: None}
    # an exempt unit owes nothing: listed with --all, as one that reported on time
    shown = [u for u in cons.units if show_all or u.state not in (UnitState.ON_TIME, UnitState.EXEMPT)]
    # a county's full names (鞍山市立山区工业和信息化局) are wider than Dongguan's 20 cells:
    # the times still line up under each other
    width = max([20, *(display_width(u.unit) for u in shown)])
    words = [cons.said(u.unit, u.state) for u in shown]
    word_width = max([8, *map(display_width, words)])  # 8 unless a unit is 未报送（尚未截止）
    for u, word in zip(shown, words):
        when = f"  {u.received_at}" if u.received_at else ""
        # a time past the deadline beside 按时报送 says why, as 报送情况's 报送文件 does (QA346)
        extra = f"  错误 {u.errors}" if u.state == UnitState.TO_FIX else f"  {u.graced}" if u.graced else ""
        echo(state, f"  {pad(word, word_width)} {pad(u.unit, width)}{when}{extra}".rstrip(), fg=colours[word])
    _echo_not_issued(state, cons)
    _echo_office_notes(state, cons)


def _echo_not_issued(state: State, cons) -> None:
    """Units in the master that no form of the period went to: left out of what is owed."""
    if not cons.not_issued:
        return
    names = "、".join(cons.not_issued)
    depts = " ".join(f"--dept {u}" for u in cons.not_issued)
    if cons.period != state.workspace().period():  # a bare `issue` issues the current period
        depts = f"--period {cons.period} {depts}"
    # a return read before a revised table handed its tasks to a new name (no alias made): its
    # rows on them are in no sheet, and the 通报 says those tasks' leads did not report (QA306)
    lost = ""
    for unit, (ids, holders) in cons.details.rows_held_by(cons.master, cons.not_issued).items():
        new = "、".join(holders)
        lost += (f"。{unit} 已采纳的回件报送了其中的任务 {'、'.join(ids)}，这些任务现在不由它负责，未计入汇总："
                 f"如“{new}”是“{unit}”更名而来，请在“单位名录”中把“{unit}”写进“{new}”的简称/别名并删去原名称的行，"
                 "保存任务分工表后重新汇总")
    echo(state, f"请核实：{names} 在任务清单中有任务，但没有下发过{cons.period.label}的填报表，本期不计入应报单位，"
                f"通报也不列为未报送。如需本期报送，请运行 duban issue {depts}{lost + '。' if lost else ''}",
         fg="yellow")
    state.exit_code = state.exit_code or 1


def _echo_office_notes(state: State, cons, indent: str = "", notes: list[str] | None = None,
                        told: list[str] | None = None) -> None:
    """Units named 未报送 whose return waits behind a cloud-attachment link (W211), a past month
    judged by its forms where today's sheet differs: exit 1; what asks nothing (`told`): said.
    ``notes`` and ``told``: `office_notes` and `told` when the caller has them already."""
    for line in cons.told() if told is None else told:
        echo(state, indent + line)
    for line in cons.office_notes() if notes is None else notes:
        echo(state, indent + line, fg="yellow")
        state.exit_code = state.exit_code or 1


def _missing_count(cons, tasks: bool = False) -> str:
    """"未报送 3", or while some units' (``tasks``: tasks') deadline has not passed, those past it
    and those not apart: "未报送（已截止） 0，未报送（尚未截止） 53" (`Consolidation.missing_counts`)."""
    return "，".join(f"{label} {n}" for label, n in cons.missing_counts(tasks=tasks))


def _exempt_count(cons) -> str:
    """"，本期免报 2" after the figures, which do not count the exempt units; '' when none."""
    return f"，本期免报 {len(cons.exempt)}" if cons.exempt else ""
