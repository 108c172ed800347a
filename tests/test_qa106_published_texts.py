"""What the office publishes for a plan it could not date, a project named with its own year,
and settings a newer duban wrote (QA helper qa106).

* A 区 task list whose every 完成时限 gives no year (年底前, 6月底前, 三季度末) and whose title
  names none either: import warns M103 for each, no task is dated. The 通报's section 五 still
  said "2024年10月没有到期的任务。" and section 一 "暂无超过完成时限仍未完成的任务", as if duban
  had read the deadlines and found none due or past. Its forms already said nothing of one.
* 苍南's 2022年度市县民生实事未完成项目 followed up in 2023: a mail subject says the period's
  year whenever the name says another (a guard: `Period.label_after_name` already did).
* duban.toml with a key this duban does not know (a newer duban's setting, or a typo) refused
  the whole workspace; it is ignored with one line naming it (`Settings.warnings`).
* 任务汇总 of a plan naming one lead a task headed its figure 平均进度(%), an average of one.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.returns import GUIDE_SHEET

SEPTEMBER = Period(2024, 9)
DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
区政务服务中心,,区直部门,,,zwfw@qu.example.cn
区公安分局,,区直部门,,,gaj@qu.example.cn
区住建局,,区直部门,,,zjj@qu.example.cn
区自然资源局,,区直部门,,,zrzy@qu.example.cn
区金融办,,区直部门,,,jrb@qu.example.cn
"""
HEADER = ["序号", "一级任务", "二级任务", "具体措施", "牵头单位", "配合单位", "完成时限"]


def undated_list(path: Path, deadlines: tuple[str, ...] = ("年底前", "6月底前", "三季度末", "年底前", "年内")) -> Path:
    """A 区 营商环境 task list as sent round in Excel: no year in its title, none in any 完成时限
    (``deadlines``, one a task)."""
    wb = Workbook()
    ws = wb.active
    rows = [
        ["优化营商环境重点任务清单"] + [None] * 6,
        HEADER,
        [1, "一、提升政务服务效能", "（一）深化“一网通办”", "推进高频事项网上办理，网上可办率达到95%以上。",
         "区政务服务中心", None],
        [2, None, None, "推行“免证办”服务。", "区公安分局", None],
        [3, None, "（二）优化审批流程", "压减工程建设项目审批时限。", "区住建局", "区自然资源局"],
        [1, "二、强化要素保障", "（一）保障用地", "盘活存量土地200亩。", "区自然资源局", None],
        [2, None, "（二）保障融资", "开展政银企对接活动。", "区金融办", None],
    ]
    rows[2:] = [[*r, d] for r, d in zip(rows[2:], deadlines)]
    for r in rows:
        ws.append(r)
    for m in ("A1:G1", "B3:B5", "C3:C4"):
        ws.merge_cells(m)
    wb.save(path)
    return path


def september(root: Path, task_list: Path, fmt: str = "docx"):
    """September of the 区 list at ``task_list`` in a workspace at ``root``: issued, 区住建局
    and 区金融办 report, 区自然资源局 with its 盘活存量土地 滞后, the 通报 written (as ``fmt``)
    → (workspace, master, memo)."""
    csv = root.parent / "名录.csv"
    csv.write_text(DIRECTORY, encoding="utf-8")
    ws, master = init_workspace(root, task_list, period=str(SEPTEMBER), organiser="区人民政府办公室",
                                directory_csv=csv)
    issue_returns(ws, SEPTEMBER)
    issued = ws.root / "下发" / SEPTEMBER.label
    ws.inbox.mkdir(exist_ok=True)
    received = dt.date(2024, 10, 3)
    lag = Answer("滞后", 45, "已盘活存量土地90亩。", "部分地块历史遗留问题复杂，权属尚未理清。",
                 "10月底前完成剩余地块权属核查。", dt.date(2024, 12, 31))
    for unit, filling in {"区住建局": Filling(), "区金融办": Filling(),
                          "区自然资源局": Filling(answers={"2.1": lag})}.items():
        path = ws.inbox / f"{unit}.xlsx"
        path.write_bytes(fill_return(issued / f"{SEPTEMBER.label}_{unit}_进展填报表.xlsx", filling))
        t = dt.datetime.combine(received, dt.time(10)).timestamp()
        os.utime(path, (t, t))
    collect(ws, SEPTEMBER, received=received)
    return ws, master, write_memo(ws, SEPTEMBER, fmt=fmt, issue_date=dt.date(2024, 10, 10))


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    """September of the list, its 通报 written."""
    root = tmp_path_factory.mktemp("undated") / "营商环境"
    return september(root, undated_list(root.parent / "营商环境任务清单.xlsx"))


def test_the_list_is_read_without_a_single_date(undated):
    _, master, _ = undated
    assert [t.id for t in master.tasks] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert all(t.deadline_text and not t.dated and not t.ongoing for t in master.tasks)


def test_the_memo_of_a_plan_whose_deadlines_are_unread_claims_none_due_or_past(undated):
    _, _, memo = undated
    paras = [p.text for p in Document(str(memo.path)).paragraphs]
    i = paras.index("五、下月到期任务")
    assert paras[i + 1] == "各项任务均未明确完成时限，请各责任单位对照任务目标持续推进，按月如实报送工作进展。", paras[i + 1]
    text = "\n".join(paras)
    assert "没有到期的任务" not in text
    assert "暂无超过完成时限" not in text
    assert "超过完成时限的任务" not in text  # 三 and 六 speak of 滞后 alone: none is judged past one
    # the plan's own words stay in each task's summary
    land = [p for p in paras if p.startswith("牵头单位：区自然资源局")]
    assert land and "完成时限：年底前；" in land[0], land


def test_the_form_of_a_plan_whose_deadlines_are_unread_claims_none_due(undated):
    ws, _, _ = undated
    form = ws.root / "下发" / SEPTEMBER.label / f"{SEPTEMBER.label}_区自然资源局_进展填报表.xlsx"
    book = load_workbook(io.BytesIO(form.read_bytes()))
    texts = "\n".join(str(c.value) for sheet in (book.worksheets[0], book[GUIDE_SHEET])
                      for row in sheet.iter_rows() for c in row if c.value)
    assert "没有到期" not in texts and "本期到期" not in texts, texts


# ---------------------------------------------------------------- a project named with its year

CANGNAN_PROJECT = "2022年度市县民生实事未完成项目"  # 苍南 2022 (tests/corpus/masters)


@pytest.mark.parametrize("template", ["下发邮件.txt", "催报邮件.txt", "反馈邮件.txt"])
@pytest.mark.parametrize(("period", "said"), [
    # the plan's own year: the month alone reads as that year's (2022年度…10月)
    (Period(2022, 10), "2022年度市县民生实事未完成项目10月进展填报表"),
    # followed up the next year: the period's year is said, never dropped for the project's
    (Period(2023, 3), "2022年度市县民生实事未完成项目2023年3月进展填报表"),
    (Period(2023, 1), "2022年度市县民生实事未完成项目2023年1月进展填报表"),
])
def test_a_subject_never_drops_a_period_year_the_project_name_does_not_say(template, period, said):
    from toolkit.mail import render_mail_template
    from toolkit.resources import resource

    subject, _ = render_mail_template(resource("templates", template), _mail(CANGNAN_PROJECT, period))
    assert said in subject, subject


def _mail(project: str, period: Period) -> dict:
    return {"project": project, "unit": "县交通局", "state": "未报送", "period": str(period),
            "period_label": period.label, "due_text": "2023年4月5日", "today_text": "2023年4月6日",
            "task_count": 1, "lead_count": 1, "coop_count": 0, "due_tasks": [], "plan_has_coop": False,
            "tasks": [], "deadlines": False, "errors": 0, "warnings": 1, "file_name": "县交通局.xlsx",
            "organiser": "苍南县人民政府办公室", "contact": "", "attached": True, "feedback_attached": False,
            "issues": [], "beside": [], "ask_by_text": ""}


def test_a_name_ending_in_a_digit_is_kept_apart_from_the_period():
    """A name taken from a file name (prose_anhui_zdgz_2022, QA319): 20222024年6月 read as one number."""
    from toolkit.mail import render_mail_template
    from toolkit.memo.context import memo_title
    from toolkit.resources import resource

    subject, _ = render_mail_template(resource("templates", "催报邮件.txt"), _mail("重点工作_2022", Period(2024, 6)))
    assert subject == "【催报】请尽快报送重点工作_2022 2024年6月进展填报表（县交通局）"
    assert Period(2024, 6).label_after_name("2024年重点工作") == "6月"
    assert memo_title(Period(2024, 6), "重点工作_2022") == "关于2024年6月重点工作_2022进展情况的通报"


# ---------------------------------------------------------------- settings a newer duban wrote

NEWER_TOML = """\
[project]
name = "东莞市2022年政务服务全域标准化专项行动"
organiser = "东莞市人民政府办公室"
period = "2022-06"

[memo]
list_unchanged = true
appendix_over = 60
with_pdf = true

[issue]
skip_done_units = true
skip_done_unit = false
"""


def test_a_key_a_newer_duban_wrote_is_ignored_with_one_line_naming_it(tmp_path):
    from toolkit.settings import read_settings

    path = tmp_path / "duban.toml"
    path.write_text(NEWER_TOML, encoding="utf-8")
    settings = read_settings(path)
    assert settings.list_unchanged and settings.skip_done_units and settings.appendix_over == 60
    newer, typo = settings.warnings
    assert newer == (f"配置文件 {path} 第 9 行：[memo] 中的“with_pdf”这一项不认识，已忽略"
                     "（可能是较新版本 duban 的设置，或是写错了）。"), newer
    assert typo == (f"配置文件 {path} 第 13 行：[issue] 中的“skip_done_unit”这一项不认识，已忽略"
                    "（可能是较新版本 duban 的设置，或是写错了，是否是“skip_done_units”）。"), typo
    assert "\n" not in newer + typo


def test_a_bad_value_of_a_known_key_is_still_refused(tmp_path):
    from toolkit.errors import BadConfig
    from toolkit.settings import read_settings

    path = tmp_path / "duban.toml"
    path.write_text(NEWER_TOML.replace("appendix_over = 60", 'appendix_over = "六十"'), encoding="utf-8")
    with pytest.raises(BadConfig, match="第 8 行：\\[memo\\] 的 appendix_over = \"六十\" 不对"):
        read_settings(path)
    path.write_text("memo = 1\n" + NEWER_TOML.replace("[memo]", "[notes]"), encoding="utf-8")
    with pytest.raises(BadConfig, match="“memo”应当是一节"):
        read_settings(path)


def test_a_key_above_every_section_is_ignored_with_its_line(tmp_path):
    from toolkit.settings import read_settings

    path = tmp_path / "duban.toml"
    path.write_text("# 注释\nfoo = 1\n" + NEWER_TOML, encoding="utf-8")
    settings = read_settings(path)
    assert settings.warnings[0] == (f"配置文件 {path} 第 2 行：“foo”写在所有节之前，不属于任何一节，已忽略"
                                    "（每一项都应写在它的节之下，如 [project] 之下）。")


def test_a_section_a_newer_duban_wrote_is_ignored_too(tmp_path):
    """[memo] and [issue] were each new once: an older duban refused the whole workspace."""
    from toolkit.settings import read_settings

    path = tmp_path / "duban.toml"
    path.write_text(NEWER_TOML + "\n[report]\nstyle = 1\n", encoding="utf-8")
    settings = read_settings(path)
    assert settings.skip_done_units
    assert settings.warnings[-1].startswith(f"配置文件 {path} 中的“[report]”这一节不认识，已忽略"
                                            "（可能是较新版本 duban 的设置，或是写错了）。可用的节：[project]")


def test_a_workspace_with_a_newer_dubans_key_opens(tmp_path):
    from toolkit.settings import set_config_value
    from toolkit.workspace import CONFIG_NAME, find_workspace

    csv = tmp_path / "名录.csv"
    csv.write_text(DIRECTORY, encoding="utf-8")
    ws, _ = init_workspace(tmp_path / "营商环境", undated_list(tmp_path / "营商环境任务清单.xlsx"),
                           period=str(SEPTEMBER), organiser="区人民政府办公室", directory_csv=csv)
    set_config_value(ws.root / CONFIG_NAME, "memo", "with_pdf", "是")
    opened = find_workspace(ws.root, explicit=True)
    assert opened.project == ws.project
    assert [w for w in opened.settings.warnings if "“with_pdf”这一项不认识，已忽略" in w]
    # on screen: one 提醒 line on stderr, stdout and the exit code left alone, and none with -q
    from click.testing import CliRunner

    from toolkit.cli import cli

    config = ws.root / CONFIG_NAME
    said = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--force"])
    assert said.exit_code in (0, 1), said.output
    assert (f"提醒：配置文件 {config} 第 " in said.stderr and "“with_pdf”这一项不认识，已忽略" in said.stderr
            and said.stderr.count("with_pdf") == 1), said.stderr
    assert "with_pdf" not in said.stdout
    quiet = CliRunner().invoke(cli, ["-q", "-w", str(ws.root), "status", "--force"])
    assert "with_pdf" not in quiet.stderr and quiet.exit_code == said.exit_code


# ---------------------------------------------------------------- 任务汇总's 进度 of one lead

def test_the_progress_heading_of_a_plan_naming_one_lead_a_task_is_no_average(undated):
    """Each task of the list has one lead: 任务汇总's figure is that lead's own 进度, as the
    通报 says it (`TaskSummary.averaged`), not a 平均进度 of one. The demo's plan, several leads
    to a task, keeps 平均进度(%) (test_merge)."""
    from toolkit.actions.merge import merge

    ws, _, _ = undated
    merged = merge(ws, SEPTEMBER)
    book = load_workbook(merged.path, read_only=True)
    header = next(r for r in book["任务汇总"].iter_rows(values_only=True) if r and r[0] == "任务编号")
    assert "进度(%)" in header and "平均进度(%)" not in header, header
    land = next(r for r in book["任务汇总"].iter_rows(values_only=True) if r and r[0] == "2.1")
    assert land[header.index("进度(%)")] == 45
