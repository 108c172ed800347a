"""The import report the coordinator reads at a glance: on screen and as the 导入报告 sheet.

It says what was imported (tasks per group, units by kind, each task's leads), how (which
directory, which groups became which units, who signs the memo) and what needs a look; the
problems themselves (``master.issues``) come ranked by what they break.
"""

from __future__ import annotations

from collections import Counter

from ..rectification import words_of
from ..text import unended
from ..units import Unit, town_phrase
from ..vocab import Kind, Role
from .model import Master

_MAX_MEMBERS = 6  # group members named on screen before "等 N 个"


def summarize(master: Master) -> dict:
    """Figures the import prints: tasks per 一级任务, units by kind, open-ended tasks."""
    per_level1: dict[str, int] = {}
    for t in master.tasks:
        per_level1[t.level1] = per_level1.get(t.level1, 0) + 1
    units = master.units_with_tasks()
    kinds = Counter((master.directory.get(u) or Unit(u)).kind for u in units)
    return {
        "project": master.title,
        "tasks": len(master.tasks),
        "complete": sum(t.complete for t in master.tasks),
        "per_level1": per_level1,
        "units": len(units),
        "city_units": kinds.get(Kind.CITY, 0),
        "town_units": len(units) - kinds.get(Kind.CITY, 0),
        "open_ended": [t.id for t in master.tasks if t.open_ended],
        "ongoing": [t.id for t in master.tasks if t.ongoing],
        "fingerprint": master.fingerprint,
    }


def _kind_label(kind: str, master: Master) -> str:
    """A kind as the summary counts it; towns as their names end (镇街（园区） in Dongguan,
    乡镇 or 街道 elsewhere), like the memo's 主送."""
    if kind != Kind.TOWN:
        return kind
    towns = [u for u in master.units_with_tasks() if (master.directory.get(u) or Unit(u)).kind == Kind.TOWN]
    # a count reads 镇和街道 6 个 where the 主送 says 各镇（街道）
    return town_phrase(towns).removeprefix("各").replace("镇（街道）", "镇和街道") or "镇街"


def units_by_kind(master: Master) -> list[tuple[str, int]]:
    """(kind, count) of the units that have a task, kinds in directory order."""
    units = master.units_with_tasks()
    kinds = Counter((master.directory.get(u) or Unit(u)).kind for u in units)
    order = list(dict.fromkeys([u.kind for u in master.directory.units] + list(kinds)))
    return [(k, kinds[k]) for k in order if kinds.get(k)]


def task_leads(master: Master, task_id: str) -> str:
    """A task's leads, compact: named units, and group phrases instead of their 33 members."""
    report = master.report
    if report is None or task_id not in report.named:
        return master.display_units(task_id, Role.LEAD)
    names = []
    for name, role in report.named[task_id]:
        if role != Role.LEAD:
            continue
        if name in report.groups and not report.groups[name]:
            name += "（未展开）"
        else:
            name = master.directory.resolve(name) or name
        if name not in names:
            names.append(name)
    return "、".join(names)


def summary_lines(master: Master) -> list[str]:
    """The import report, line by line; the caller prints ``master.issues`` after it."""
    s, task = summarize(master), words_of(master).task  # a 整改清单's 整改任务 (`rectification.Words`)
    lines = [f"专项行动：{s['project']}"]
    incomplete = s["tasks"] - s["complete"]
    lines.append(f"{task} {s['tasks']} 项" + (f"（其中 {incomplete} 项信息不完整）" if incomplete else ""))
    for level1, n in s["per_level1"].items():
        lines.append(f"  {unended(level1) or '（未分类）'}：{n} 项")
    kinds = units_by_kind(master)
    lines.append(f"责任单位 {s['units']} 个" + ("：" + "，".join(f"{_kind_label(k, master)} {n} 个" for k, n in kinds)
                                               if kinds else ""))
    if s["open_ended"]:
        lines.append(f"含“等有关部门”的任务 {len(s['open_ended'])} 项：{'、'.join(s['open_ended'])}"
                     "（可在“责任分工”表中补充单位）")
    if s["ongoing"]:
        lines.append(f"长期开展的任务 {len(s['ongoing'])} 项：{'、'.join(s['ongoing'])}")
    report = master.report
    if master.organiser:
        source = f"（{report.organiser_source}）" if report and report.organiser_source else ""
        lines.append(f"督办单位（通报落款）：{master.organiser}{source}")
    else:
        lines.append("督办单位（通报落款）：未确定，请用 --organiser 指定或在 duban.toml 中填写")
    if report is None:
        return lines
    lines.append(f"读取方式：{report.layout}；单位名录：{report.directory}")
    if not report.has_deadline_column:
        lines.append("完成时限：表中没有，全部任务按“无时限”导入，请在“任务清单”表补填")
    lines.extend(report.notes)
    if report.groups:
        lines.append(f"单位集合 {len(report.groups)} 个：")
        for phrase, members in report.groups.items():
            if not members:
                lines.append(f"  {phrase} → 未展开（单位名录中没有这类单位）")
                continue
            more = f" 等 {len(members)} 个" if len(members) > _MAX_MEMBERS else ""
            shown = "、".join(members[:_MAX_MEMBERS]) + more
            lines.append(f"  {phrase} → {len(members)} 个单位：{shown}")
    lines.append(f"各{task}牵头单位：")
    for t in master.tasks:
        lines.append(f"  {t.id} {task_leads(master, t.id) or '（无牵头单位）'}")
    return lines
