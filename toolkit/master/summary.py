"""What an import found, as the coordinator reads it on screen."""

from __future__ import annotations

from .model import Master
from .workbook import summarize


def summary_lines(master: Master) -> list[str]:
    """The import summary: project, tasks per group, units by kind, open-ended and ongoing tasks.

    The problems (``master.issues``) are printed after these lines by the caller.
    """
    s = summarize(master)
    lines = [f"专项行动：{s['project']}"]
    incomplete = s["tasks"] - s["complete"]
    lines.append(f"任务 {s['tasks']} 项" + (f"（其中 {incomplete} 项信息不完整）" if incomplete else ""))
    for level1, n in s["per_level1"].items():
        lines.append(f"  {level1 or '（未分类）'}：{n} 项")
    lines.append(f"责任单位 {s['units']} 个：市直部门 {s['city_units']} 个，镇街（园区） {s['town_units']} 个")
    if s["open_ended"]:
        lines.append(f"含“等有关部门”的任务 {len(s['open_ended'])} 项：{'、'.join(s['open_ended'])}"
                     "（可在“责任分工”表中补充单位）")
    if s["ongoing"]:
        lines.append(f"长期开展的任务 {len(s['ongoing'])} 项：{'、'.join(s['ongoing'])}")
    return lines
