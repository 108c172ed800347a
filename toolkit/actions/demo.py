"""`duban demo`: a whole month played out on the shipped master list.

Departments are simulated as they really behave: most reply on time, some late, a few
not at all; some make mistakes and are sent back, two resubmit; the towns of one district
send a zip made with Windows' compressor; one bureau forwards two returns in one mail.
Everything is seeded, so the demo gives the same month every time.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import os
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import errors
from ..filling import Answer, Filling, fill_return
from ..mail import build_draft
from ..master import Master, Task
from ..period import Period
from ..progress import Progress, no_progress
from ..workspace import CONFIG_NAME, Workspace, find_workspace
from ..xlsx import atomic_save
from .init import init_workspace
from .issue import issue_returns
from .run import RunResult, run_cycle

DEMO_PERIOD = Period(2022, 6)
#: the office's day in the demo: after the deadline (5 July) and every simulated return (the
#: last on 8 July), a Wednesday. Its 通报 is dated so, not the machine's today: a June 2022
#: memo dated 2026 asked for July's returns "by 2022年8月5日", in its past (QA278)
DEMO_DAY = dt.datetime(2022, 7, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_MARK = "# 由 duban demo 生成"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = ["伟", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
         "刚", "桂英", "嘉欣", "志强", "晓东", "海燕", "建华", "丽娟", "文杰", "子豪", "雅婷", "俊杰"]
PROGRESS_WORK = [
    "已制定{name}工作方案，明确责任科室和时间节点，本月召开推进会{n}次，完成阶段性任务。",
    "按照工作方案推进{name}，已梳理问题清单{m}项，完成整改{k}项，其余正在推进。",
    "已完成前期调研和方案论证，{name}相关工作正在按序时推进，已覆盖{n}个服务网点。",
    "本月组织业务培训{n}场，参训{m}人次；{name}试点工作有序开展。",
    "已与相关单位建立工作对接机制，{name}完成系统配置和测试，准备上线试运行。",
]
DONE_WORK = [
    "已全面完成{name}，相关制度文件已印发实施，累计覆盖{m}项事项。",
    "{name}已按期完成并通过验收，形成工作总结报告。",
    "已完成{name}各项工作，成果已在政务服务网公开发布。",
]
PROBLEMS = [
    "受疫情防控影响，部分现场工作暂停，进度较计划滞后约一个月。",
    "需省级系统开放接口，目前接口尚未开放，影响对接进度。",
    "专项经费尚未下达，采购流程较长。",
    "涉及多个部门协同，部分单位材料尚未报送。",
]
NEXT = [
    "下一步将加快推进，确保{deadline}前按期完成。",
    "7月底前完成剩余工作，并组织开展自查。",
    "继续加强与相关部门的沟通协调，加快工作进度。",
    "持续跟踪落实情况，及时总结推广经验做法。",
]


@dataclass
class DemoResult:
    """What the demo built and ran."""

    root: Path
    run: RunResult
    plan: dict[str, str] = field(default_factory=dict)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _answer(task: Task, period: Period, rng: random.Random, done_rate: float = 0.8) -> Answer:
    n, m, k = rng.randint(2, 6), rng.randint(8, 60), rng.randint(3, 8)
    deadline = task.deadline_text or "期限"
    if task.due_by(period.end):
        if rng.random() < done_rate:
            year = 2022
            return Answer("已完成", 100, rng.choice(DONE_WORK).format(name=task.name, m=m), "",
                          rng.choice(NEXT).format(deadline=deadline) if task.ongoing else "",
                          None, f"东政数〔{year}〕{rng.randint(10, 99)}号")
        return Answer("滞后", rng.choice([40, 50, 60, 70]),
                      rng.choice(PROGRESS_WORK).format(name=task.name, n=n, m=m, k=k),
                      rng.choice(PROBLEMS), rng.choice(NEXT).format(deadline="8月底"),
                      dt.date(2022, 8, 31), "")
    if rng.random() < 0.06:
        return Answer("未启动", 0, f"已将{task.name}列入下阶段工作计划，尚未启动。", "",
                      "计划下月启动。", None, "")
    progress = rng.choice([20, 30, 40, 50, 60, 70, 80])
    return Answer("序时推进", progress, rng.choice(PROGRESS_WORK).format(name=task.name, n=n, m=m, k=k), "",
                  rng.choice(NEXT).format(deadline=deadline), task.deadline, "")


def _filling(master: Master, unit: str, period: Period, rng: random.Random, contact_day: int = 4) -> Filling:
    answers = {t.id: _answer(t, period, rng) for t, _ in master.tasks_of(unit)}
    contact = {"填报人": _person(rng), "联系电话": f"0769-{rng.randint(22000000, 23999999)}",
               "审核人": _person(rng), "填报日期": dt.date(2022, 7, contact_day)}
    return Filling(answers=answers, contact=contact, default=None)


def _typed_like_people(filling: Filling, rng: random.Random) -> None:
    """Some departments type "80%" and 完成 instead of picking from the list."""
    for a in filling.answers.values():
        if isinstance(a.progress, int) and 0 < a.progress < 100 and rng.random() < 0.2:
            a.progress = f"{a.progress}%"
        if a.status == "已完成" and rng.random() < 0.15:
            a.status = "完成"


def _stamp(path: Path, when: dt.datetime) -> None:
    # the simulated clock is the workspace's (Asia/Shanghai), not this machine's
    t = when.replace(tzinfo=ZoneInfo("Asia/Shanghai")).timestamp() if when.tzinfo is None else when.timestamp()
    os.utime(path, (t, t))


def prepare_folder(folder: Path) -> Path:
    """A folder for the demo: new, or an earlier demo's, which is replaced."""
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()):
        cfg = folder / CONFIG_NAME
        if cfg.exists() and DEMO_MARK in cfg.read_text(encoding="utf-8", errors="replace"):
            # not under a run still in it (the demo double-clicked twice): exit 4, as any
            # other command there (QA276). Let go before deleting: Windows deletes no open file
            with Workspace(folder).lock():
                pass
            shutil.rmtree(folder)
        else:
            raise errors.UsageError(f"文件夹“{folder}”已存在且不是演示工作区，请换一个名字，例如：duban demo 督办演示2")
    return folder


def build_demo(folder: Path, progress: Progress = no_progress, seed: int = 2022) -> dict[str, str]:
    """Create the demo workspace, issue June's returns and fill the inbox. Returns the plan
    (unit -> what that department does this month)."""
    rng = random.Random(seed)
    ws, master = init_workspace(folder, period=DEMO_PERIOD)
    cfg = ws.root / CONFIG_NAME
    cfg.write_text(DEMO_MARK + "\n" + cfg.read_text(encoding="utf-8").replace(
        'contact = ""', 'contact = "督查科 陈晓明 0769-22831234"'), encoding="utf-8")
    _demo_emails(ws)
    ws = find_workspace(ws.root, explicit=True)
    ws.fixed_now = DEMO_DAY  # the demo plays its own month: dated folders and deadlines by its day
    master = ws.load_master()
    period = DEMO_PERIOD
    issued = issue_returns(ws, period, emails=True, progress=progress)
    path_of = dict(zip(issued.units, issued.files))
    units = list(issued.units)
    plan: dict[str, str] = {}
    special = {"市残联": "未报送", "市林业局": "未报送", "企石镇": "未报送", "洪梅镇": "未报送",
               "市司法局": "逾期", "市金融工作局": "逾期", "谢岗镇": "逾期", "望牛墩镇": "逾期",
               "市医保局": "退回", "道滘镇": "退回", "麻涌镇": "退回",
               "市民政局": "重报", "桥头镇": "重报-逾期",
               "石碣镇": "压缩包", "石龙镇": "压缩包", "茶山镇": "压缩包",
               "市卫生健康局": "邮件", "东莞市税务局": "邮件"}
    inbox = ws.inbox
    inbox.mkdir(exist_ok=True)
    zip_entries: dict[str, bytes] = {}
    mail_files: list[tuple[str, bytes]] = []
    for unit in progress(units, "模拟各单位填报"):
        how = special.get(unit, "按时")
        plan[unit] = how
        if how == "未报送":
            continue
        day = rng.randint(1, 5)
        when = dt.datetime(2022, 7, day, rng.randint(8, 17), rng.randint(0, 59))
        filling = _filling(master, unit, period, rng, contact_day=day)
        _typed_like_people(filling, rng)
        name = path_of[unit].name
        if rng.random() < 0.3:
            name = rng.choice([f"{unit}6月进展.xlsx", f"{unit}-进展填报表（已审核）.xlsx",
                               f"附件：{unit}报送.xlsx", name.replace(".xlsx", "(1).xlsx")])
        if how == "逾期":
            when = dt.datetime(2022, 7, rng.randint(6, 8), rng.randint(8, 17), rng.randint(0, 59))
        if how in ("退回", "重报", "重报-逾期"):
            wrong = _filling(master, unit, period, rng, contact_day=day)
            first = next(iter(wrong.answers.values()))
            first.status, first.problems = "滞后", ""
            if how == "退回" and len(wrong.answers) > 1:
                list(wrong.answers.values())[1].status = ""
            data = fill_return(path_of[unit], wrong)
            p = inbox / f"{unit}报送.xlsx"
            p.write_bytes(data)
            _stamp(p, when)
            if how == "退回":
                continue
            when = when + (dt.timedelta(days=3) if how == "重报-逾期" else dt.timedelta(hours=20))
            name = f"{unit}（修改后）.xlsx"
        data = fill_return(path_of[unit], filling)
        if how == "压缩包":
            zip_entries[f"{unit}/{name}"] = data
            continue
        if how == "邮件":
            mail_files.append((name, data))
            continue
        p = inbox / name
        p.write_bytes(data)
        _stamp(p, when)
    if zip_entries:
        p = inbox / "石碣片区镇街报送.zip"
        p.write_bytes(_gbk_zip(zip_entries))
        _stamp(p, dt.datetime(2022, 7, 4, 16, 30))
    if mail_files:
        # A sent mail as a mail client saves it: our draft builder, with a real Date.
        sent = build_draft(to="dubanke@dg.example.cn", subject="转发：市卫健局、市税务局6月进展填报表",
                           body="督查科：\n\n附件为市卫生健康局、东莞市税务局6月进展填报表，请查收。\n",
                           attachments=mail_files, sender="办公室 <office@dg.example.cn>")
        msg = email.message_from_bytes(sent)
        del msg["X-Unsent"]
        del msg["Date"]
        msg["Date"] = "Tue, 05 Jul 2022 10:12:00 +0800"
        (inbox / "转发：市卫健局、市税务局6月进展填报表.eml").write_bytes(msg.as_bytes())
    return plan


def _gbk_zip(entries: dict[str, bytes]) -> bytes:
    """A zip as Windows' built-in 压缩 writes it: GBK names, no UTF-8 flag."""
    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = GbkInfo(name, date_time=(2022, 7, 4, 16, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _demo_emails(ws) -> None:
    """Give every unit a (fictional) address so the demo's mail drafts have recipients."""
    from openpyxl import load_workbook

    wb = load_workbook(ws.master_path)
    sheet = wb["单位名录"]
    for n, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        if row[0].value and not row[5].value:
            row[5].value = f"unit{n:02d}@dg.example.cn"
            row[3].value = "（演示）"
    atomic_save(wb, ws.master_path)


def run_demo(folder: str | Path = "督办演示", pdf: bool = False,
             progress: Progress = no_progress) -> DemoResult:
    """Build the demo month in ``folder`` and run the whole cycle on it."""
    root = prepare_folder(Path(folder))
    plan = build_demo(root, progress)
    ws = find_workspace(root, explicit=True)
    ws.fixed_now = DEMO_DAY
    with ws.lock():
        result = run_cycle(ws, DEMO_PERIOD, pdf, progress, issue_date=DEMO_DAY.date())
    return DemoResult(root, result, plan)
