"""June and July 2022 lived as the office (a QA helper's scenario): every place that counts or names
units (status table/json, 报送情况, 任务汇总 未报送单位, 单位明细 完成状态, 滞后超期, 总览, 通报)
must agree. A unit exempt for the month (本期免报, test_qa96) is in 报送情况 and status but in no 应报."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import drop, shanghai
from openpyxl import load_workbook

from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period

JUNE, JULY = Period(2022, 6), Period(2022, 7)
SZ = "市政务服务数据管理局"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
E603 = Answer(status="滞后", progress=30, work="推进中", problems="")
LAG = Answer(status="滞后", progress=30, work="推进中", problems="系统对接延期")


def form(ws, unit, period, **answers):
    f = Filling(answers={"1.2": DONE, **{k.replace("_", "."): v for k, v in answers.items()}})
    path = ws.root / "下发" / period.label / f"{period.label}_{unit}_进展填报表.xlsx"
    return fill_return(path, f)


def at(*a):
    return shanghai(dt.datetime(*a))


def codes_of(ws, name):
    with Ledger(ws.ledger_path) as ledger:
        rec = [r for r in ledger.receipts() if r.name == name][-1]
        return rec.outcome, [i.code for i in ledger.issues_of(rec.id)]


def edit_master(ws, move=None, add=None):
    wb = load_workbook(ws.master_path)
    sh = wb["责任分工"]
    if move:
        task, old, new = move
        for row in sh.iter_rows(min_row=2):
            if str(row[0].value) == task and row[1].value == old:
                row[1].value = new
                break
        else:
            raise AssertionError("no row to move")
    if add:
        task, unit = add
        sh.append([task, unit, "牵头", "明确"])
    wb.save(ws.master_path)


def table(book, sheet, first):
    sh = book[sheet]
    rows = list(sh.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r and r[0] == first)
    head = rows[h]
    return [dict(zip(head, r)) for r in rows[h + 1:] if r and r[0] not in (None, "")]


def split_missing(text):
    missing, sent_back, not_asked = [], [], []
    for part in (text or "").split("；"):
        if not part or part == "未明确牵头单位":  # a task no lead owes (16.1): no unit named
            continue
        if part.startswith("退回待改："):
            sent_back = part[5:].split("、")
        elif part.startswith("本期未下发："):
            not_asked = part[6:].split("、")
        else:
            missing = part.split("、")
    return missing, sent_back, not_asked


def outputs(run, ws, period):
    p = str(period)
    st_json = run(["status", "--period", p, "--format", "json"], cwd=ws.root)
    st_tab = run(["status", "--period", p, "--all"], cwd=ws.root)
    mg = run(["merge", "--period", p], cwd=ws.root)
    md = run(["memo", "--period", p, "--format", "md"], cwd=ws.root)
    book_path = ws.root / "汇总" / period.label / f"{period.label}_进展汇总表.xlsx"
    book = load_workbook(book_path)
    md_path = sorted((ws.root / "通报" / period.label).glob("*.md"))
    text = md.stdout if "## 四、报送情况" in md.stdout else md_path[-1].read_text("utf-8")
    return dict(json=json.loads(st_json.stdout), table=st_tab.stdout, merge=mg, memo=text, book=book)


def check(o, period, expect):
    """expect: unit -> state for the units of the scenario."""
    problems = []
    j = o["json"]
    js = {u["单位"]: u["报送状态"] for u in j["units"]}
    for u, s in expect.items():
        if js.get(u) != s:
            problems.append(f"status json {u}: {js.get(u)} != expected {s}")
    # status table
    tab = {}
    for line in o["table"].splitlines():
        m = re.match(r"\s+(按时报送|逾期报送|未报送|退回待改|本期免报)\s+(\S+)", line)
        if m:
            tab[m.group(2)] = m.group(1)
    if tab != js:
        problems.append(f"status table != json: {set(tab.items()) ^ set(js.items())}")
    head = re.search(r"应报 (\d+)，按时报送 (\d+)，逾期报送 (\d+)，未报送 (\d+)，退回待改 (\d+)", o["table"])
    c = j["counts"]
    exempt = [u for u, s in js.items() if s == "本期免报"]
    owed = len(js) - len(exempt)  # 应报: every unit listed but the exempt
    if exempt and not re.search(rf"退回待改 \d+，本期免报 {len(exempt)}$", o["table"].splitlines()[0]):
        problems.append(f"status headline does not say 本期免报 {len(exempt)}")
    if head and tuple(map(int, head.groups())) != (owed, c["按时报送"], c["逾期报送"], c["未报送"], c["退回待改"]):
        problems.append(f"status headline {head.group(0)} != json counts {c}")
    # 报送情况
    book = o["book"]
    bs = {r["单位"]: r["报送状态"] for r in table(book, "报送情况", "单位")}
    if bs != js:
        problems.append(f"报送情况 != status: {set(bs.items()) ^ set(js.items())}")
    # 总览 figures and unit rows
    ov = list(book["总览"].iter_rows(values_only=True))
    fig = {r[0]: r[1] for r in ov if r and r[0] in ("应报单位", "按时报送", "逾期报送", "尚未报送", "退回待改")}
    want = {"应报单位": owed, "按时报送": c["按时报送"], "逾期报送": c["逾期报送"], "尚未报送": c["未报送"],
            "退回待改": c["退回待改"]}
    if fig != want:
        problems.append(f"总览 figures {fig} != status {want}")
    i = next(k for k, r in enumerate(ov) if r and r[0] == "单位" and r[5] == "报送状态")
    ovu = {r[0]: r[5] for r in ov[i + 1:] if r and r[0]}
    if ovu != js:
        problems.append(f"总览 unit rows != status: {set(ovu.items()) ^ set(js.items())}")
    # 任务汇总 vs 单位明细 vs 报送情况
    details = table(book, "单位明细", "任务编号")
    dstate = {(str(d["任务编号"]), d["单位"]): d["完成状态"] for d in details}
    leads_of = {}
    for d in details:
        if d["责任类型"] == "牵头":
            leads_of.setdefault(str(d["任务编号"]), []).append(d["单位"])
    for t in table(book, "任务汇总", "任务编号"):
        tid = str(t["任务编号"])
        missing, sent_back, not_asked = split_missing(t["未报送单位"])
        for u in missing:
            if bs.get(u) != "未报送":
                problems.append(f"任务汇总 {tid} names {u} 未报送; 报送情况 says {bs.get(u)}")
            if dstate.get((tid, u)) != "未报送":
                problems.append(f"任务汇总 {tid} names {u} 未报送; 单位明细 says {dstate.get((tid, u))}")
        for u in sent_back:
            if bs.get(u) != "退回待改" or dstate.get((tid, u)) != "退回待改":
                problems.append(f"任务汇总 {tid} {u} 退回待改; 报送情况 {bs.get(u)}, 单位明细 {dstate.get((tid, u))}")
        for u in not_asked:
            if dstate.get((tid, u)) != "本期未下发":
                problems.append(f"任务汇总 {tid} {u} 本期未下发; 单位明细 {dstate.get((tid, u))}")
        named = set(missing) | set(sent_back) | set(not_asked)
        for (dt_, u), s in dstate.items():
            if dt_ == tid and s in ("未报送", "退回待改", "本期未下发") and u not in named:
                problems.append(f"单位明细 {tid} {u} {s}; 任务汇总 does not name it")
    for (tid, u), s in dstate.items():
        if s == "未报送" and bs.get(u) != "未报送":
            problems.append(f"单位明细 {tid} {u} 未报送; 报送情况 {bs.get(u)}")
        if s == "退回待改" and bs.get(u) != "退回待改":
            problems.append(f"单位明细 {tid} {u} 退回待改; 报送情况 {bs.get(u)}")
        if bs.get(u) == "未报送" and s not in ("未报送", "本期未下发"):
            problems.append(f"报送情况 {u} 未报送; 单位明细 {tid} {s}")
        if (s == "本期免报") != (bs.get(u) == "本期免报" and s != "本期未下发"):
            problems.append(f"单位明细 {tid} {u} {s}; 报送情况 {bs.get(u)}")
    # 滞后超期 牵头单位状态 vs 单位明细
    for t in table(book, "滞后超期", "任务编号"):
        tid = str(t["任务编号"])
        cell = t["牵头单位状态"] or ""
        # many leads not done: a line per word behind, "未报送30个：甲、乙…", the rest counted (QA392)
        grouped = [(m.group(1), u) for line in cell.split("\n") if (m := re.match(r"(.+?)\d+个：(.+)$", line))
                   for u in m.group(2).split("、")]
        pairs = grouped or [tuple(part.split("：", 1)) for part in cell.split("；") if part]
        for word_or_unit, other in pairs:
            u, s = (other, word_or_unit) if grouped else (word_or_unit, other)
            if dstate.get((tid, u)) != s:
                problems.append(f"滞后超期 {tid} {u}：{s}; 单位明细 {dstate.get((tid, u))}")
    # memo
    memo = o["memo"]
    for label, state in (("逾期报送的单位", "逾期报送"), ("退回修改的单位", "退回待改"), ("未报送的单位", "未报送")):
        m = re.search(label + r"（(\d+)个）：([^。]*)。", memo)
        # a long list goes by 类别: "市直部门18个：…；镇街30个：…"
        said = [n for part in m.group(2).split("；") for n in re.sub(r"^[^、：]+?\d+个：", "", part).split("、")] if m else []
        count = int(m.group(1)) if m else None
        # a longer one is counted in the text and listed in a 附件 after it, by 类别
        a = re.search(label + r"。共(\d+)个单位[^（]*（名单见(附件\d*)）", memo)
        if a:
            count = int(a.group(1))
            listed = memo.split(f"\n## {a.group(2)} ", 1)[1].split("\n## ", 1)[0]
            said = [n for line in listed.splitlines() if line.startswith("- ") for n in line.split("：", 1)[1].split("、")]
        truth = [u for u, s in bs.items() if s == state]
        if sorted(said) != sorted(truth) or (count is not None and count != len(truth)):
            problems.append(f"memo {label} {said} != 报送情况 {truth}")
    m = re.search(r"本期应报送单位(\d+)个", memo)
    if not m or int(m.group(1)) != owed:
        problems.append(f"memo 应报 {m and m.group(1)} != {owed}")
    m = re.search(r"另有(\d+)个单位(（([^）]*)）)?负责的任务此前均已报告完成，本期免于报送", memo)
    if (int(m.group(1)) if m else 0) != len(exempt) or (m and m.group(3) and sorted(m.group(3).split("、")) != sorted(exempt)):
        problems.append(f"memo 免报 {m and m.group(0)} != 报送情况 {exempt}")
    # memo task sentences
    for line in memo.splitlines():
        m = re.match(r"\d+\. .*（任务([\d.]+)）。(.*)", line)
        if not m:
            continue
        tid, sent = m.groups()
        # "尚有2个牵头单位未报送（…）", or its leads by state (QA393): "未报送2个（…）", "退回修改1个（…）"
        for *_n, names in re.findall(r"(?:尚有(\d+)个牵头单位未报送|未报送(\d+)个)（([^）]*)）", sent):
            for u in names.split("、"):
                if not u.startswith("名单见") and (bs.get(u) != "未报送" or dstate.get((tid, u)) != "未报送"):
                    problems.append(f"memo task {tid} names {u} 未报送; 报送情况 {bs.get(u)}, 单位明细 {dstate.get((tid, u))}")
        for *_n, names in re.findall(r"(?:(\d+)个牵头单位报送有误已退回修改|退回修改(\d+)个)（([^）]*)）", sent):
            for u in names.split("、"):
                if not u.startswith("名单见") and bs.get(u) != "退回待改":
                    problems.append(f"memo task {tid} names {u} 退回; 报送情况 {bs.get(u)}")
        for _n, names in re.findall(r"滞后(\d+)个（([^）]*)）", sent):
            for u in names.split("、"):
                if not u.startswith("名单见") and dstate.get((tid, u)) != "滞后":
                    problems.append(f"memo task {tid} names {u} 滞后; 单位明细 {dstate.get((tid, u))}")
        if "牵头单位均未报送进展" in sent:
            leads = leads_of.get(tid, [])
            bad = [u for u in leads if dstate[(tid, u)] != "未报送" and u]
            if bad:
                problems.append(f"memo task {tid} 均未报送, but 单位明细 {[(u, dstate[(tid, u)]) for u in bad]}")
    # memo overview sentence: 未报送 tasks by reason, against 任务汇总 + 单位明细
    tasks = table(book, "任务汇总", "任务编号")
    by = {"waiting": 0, "missing": 0, "sent_back": 0, "no_lead": 0, "not_asked": 0}
    for t in tasks:
        if t["综合状态"] == "本期未下发":  # no lead was issued a form carrying it: never 未报送 (QA377)
            by["not_asked"] += 1
            continue
        if not t["综合状态"].startswith("未报送"):
            continue
        # a task waiting on a lead not yet due, or sent back and within its reply's date (QA203,
        # QA212: 未报送（尚未截止） in 任务汇总), is counted so in the memo too (QA227), not by its leads
        if t["综合状态"] == "未报送（尚未截止）":
            by["waiting"] += 1
            continue
        tid = str(t["任务编号"])
        states = [dstate[(tid, u)] for u in leads_of.get(tid, [])]
        by["missing" if "未报送" in states else "sent_back" if "退回待改" in states
           else "no_lead" if not t["牵头单位"] else "not_asked"] += 1
    for key, label in (("waiting", "牵头单位报送尚未截止、暂未报送进展的"), ("missing", "牵头单位未报送进展的"),
                       ("sent_back", "牵头单位报送有误已退回、尚无合格进展的"),
                       ("no_lead", "未明确牵头单位、未报送进展的"), ("not_asked", "本期未向牵头单位下发填报表的")):
        m = re.search(label + r"(\d+)项", memo)
        if (int(m.group(1)) if m else 0) != by[key]:
            problems.append(f"memo overview {label} {m and m.group(1)} != 任务汇总 {by[key]}")
    m = re.search(r"共(\d+)项任务", memo)
    if not m or int(m.group(1)) != len(tasks):
        problems.append(f"memo 任务总数 {m and m.group(1)} != {len(tasks)}")
    # requirement sentence
    m = re.search(r"请(未报送的(\d+)个单位尽快补报)?，?(退回修改的(\d+)个单位修改后重报)?；", memo)
    if m and ((int(m.group(2) or 0), int(m.group(4) or 0)) != (c["未报送"], c["退回待改"])):
        problems.append(f"memo 要求 {m.group(0)} != {c}")
    # 报送情况 per-unit counts vs 单位明细
    for r in table(book, "报送情况", "单位"):
        u = r["单位"]
        rows = [(t_, s) for (t_, u_), s in dstate.items() if u_ == u]
        owed = [s for _, s in rows if s != "本期未下发"]
        if r["应报任务数"] != len(owed):
            problems.append(f"报送情况 {u} 应报任务数 {r['应报任务数']} != 单位明细 owed rows {len(owed)} ({len(rows)} rows)")
        if r["报送状态"] in ("按时报送", "逾期报送") and (
                r["已完成数"] != owed.count("已完成") or r["滞后数"] != owed.count("滞后")):
            problems.append(f"报送情况 {u} 已完成/滞后 {r['已完成数']}/{r['滞后数']} != 单位明细 "
                            f"{owed.count('已完成')}/{owed.count('滞后')}")
    # 滞后超期 vs memo section 三
    lag_ids = [str(t["任务编号"]) for t in table(book, "滞后超期", "任务编号")]
    sec3 = memo.split("## 三、")[1].split("## 四、")[0]
    memo_ids = re.findall(r"^\d+\. .*（任务([\d.]+)）。", sec3, re.M)
    if lag_ids != memo_ids:
        problems.append(f"滞后超期 {lag_ids} != memo 三 {memo_ids}")
    m = re.search(r"共(\d+)项", sec3)
    # the tasks waiting on leads not yet due are said apart ("另有N项任务已过完成时限、牵头单位报送尚未截止")
    waiting = re.search(r"另有(\d+)项任务已过完成时限", sec3)
    listed = (int(m.group(1)) if m else 0) + (int(waiting.group(1)) if waiting else 0)
    if (m or waiting) and listed != len(lag_ids):
        problems.append(f"memo 三 says {listed} tasks; 滞后超期 has {len(lag_ids)}")
    # memo 四 figures
    sec4 = memo.split("## 四、")[1].split("## 五、")[0]
    reported = c["按时报送"] + c["逾期报送"]
    for pat, want_n in ((r"已报送(\d+)个", reported), (r"按时报送(\d+)个", c["按时报送"]),
                        (r"逾期报送(\d+)个", c["逾期报送"]), (r"(\d+)个单位报送内容有误", c["退回待改"]),
                        (r"(\d+)个单位未报送", c["未报送"])):
        m = re.search(pat, sec4)
        if m and int(m.group(1)) != want_n:
            problems.append(f"memo 四 {m.group(0)} != {want_n}")
    return problems


@pytest.fixture
def june(issued_ws, run, collecting_on):
    ws = issued_ws
    # the replies to refused files ask for Thursday 7 July, three working days on (QA398)
    collecting_on(dt.date(2022, 7, 4))
    # department fills (from the forms as issued)
    drop(ws, "石龙镇.xlsx", form(ws, "石龙镇", JUNE), at(2022, 7, 4, 10))           # on time
    drop(ws, "虎门镇.xlsx", form(ws, "虎门镇", JUNE), at(2022, 7, 8, 9, 30))         # late
    drop(ws, "中堂镇.xlsx", form(ws, "中堂镇", JUNE, **{"4_3": E603}), at(2022, 7, 3, 9))  # sent back
    drop(ws, "sz.xlsx", form(ws, SZ, JUNE, **{"1_1": E603}), at(2022, 7, 4, 11))    # sent back, never fixed
    # W210: 3.1 moved from 市公安局 to 市司法局 after issue; W208: 2.2 added to 市林业局
    gongan = form(ws, "市公安局", JUNE, **{"3_1": LAG})
    linye = form(ws, "市林业局", JUNE)
    edit_master(ws, move=("3.1", "市公安局", "市司法局"))
    edit_master(ws, add=("2.2", "市林业局"))
    drop(ws, "公安.xlsx", gongan, at(2022, 7, 4, 15))
    drop(ws, "林业.xlsx", linye, at(2022, 7, 5, 9))
    run(["collect"], cwd=ws.root)
    # 中堂镇 corrects after the date its reply asked for
    collecting_on(dt.date(2022, 7, 8))
    drop(ws, "中堂镇（改）.xlsx", form(ws, "中堂镇", JUNE, **{"4_3": LAG}), at(2022, 7, 8, 9))
    run(["collect"], cwd=ws.root)
    collecting_on(None)
    assert codes_of(ws, "中堂镇.xlsx")[0] == "退回" and "E603" in codes_of(ws, "中堂镇.xlsx")[1]
    assert codes_of(ws, "中堂镇（改）.xlsx")[0] == "采纳"
    assert codes_of(ws, "sz.xlsx")[0] == "退回"
    assert "W210" in codes_of(ws, "公安.xlsx")[1] and codes_of(ws, "公安.xlsx")[0] == "采纳", codes_of(ws, "公安.xlsx")
    assert "W208" in codes_of(ws, "林业.xlsx")[1] and codes_of(ws, "林业.xlsx")[0] == "采纳", codes_of(ws, "林业.xlsx")
    return ws


EXPECT_JUNE = {"石龙镇": "按时报送", "虎门镇": "逾期报送", "中堂镇": "逾期报送", SZ: "退回待改",
               "市公安局": "按时报送", "市林业局": "按时报送", "市司法局": "未报送", "洪梅镇": "未报送"}


def test_june_every_place_agrees(june, run):
    o = outputs(run, june, JUNE)
    problems = check(o, JUNE, EXPECT_JUNE)
    assert not problems, "\n".join(problems)


def _july(ws, run):
    run(["merge", "--period", "2022-06"], cwd=ws.root)
    r = run(["issue", "--period", "2022-07"], cwd=ws.root)
    assert r.exit_code in (0, 1), r.stdout
    r = run(["issue", "--period", "2022-07", "--dept", "虎门镇", "--due", "2022-08-12"], cwd=ws.root)
    assert r.exit_code in (0, 1), r.stdout
    # June 补报 received in July/August
    drop(ws, "洪梅镇6月.xlsx", form(ws, "洪梅镇", JUNE), at(2022, 8, 2, 9))
    drop(ws, "石龙镇7月.xlsx", form(ws, "石龙镇", JULY), at(2022, 8, 3, 9))
    drop(ws, "虎门镇7月.xlsx", form(ws, "虎门镇", JULY), at(2022, 8, 10, 9))   # its own due 12 Aug
    drop(ws, "中堂镇7月.xlsx", form(ws, "中堂镇", JULY), at(2022, 8, 9, 9))    # late
    drop(ws, "sz7.xlsx", form(ws, SZ, JULY, **{"1_1": E603}), at(2022, 8, 4, 9))
    drop(ws, "公安7.xlsx", form(ws, "市公安局", JULY), at(2022, 8, 4, 9))
    drop(ws, "司法7.xlsx", form(ws, "市司法局", JULY, **{"3_1": LAG}), at(2022, 8, 4, 10))
    r = run(["collect"], cwd=ws.root)
    assert "W209" in codes_of(ws, "洪梅镇6月.xlsx")[1], (codes_of(ws, "洪梅镇6月.xlsx"), r.stdout)
    return ws


EXPECT_JUNE_AFTER = dict(EXPECT_JUNE, 洪梅镇="逾期报送")
EXPECT_JULY = {"石龙镇": "按时报送", "虎门镇": "按时报送", "中堂镇": "逾期报送", SZ: "退回待改",
               "市公安局": "按时报送", "市司法局": "按时报送", "市林业局": "未报送", "洪梅镇": "未报送"}


def test_july_every_place_agrees(june, run):
    ws = _july(june, run)
    o = outputs(run, ws, JULY)
    problems = check(o, JULY, EXPECT_JULY)
    assert not problems, "\n".join(problems)


def test_june_after_bubao_every_place_agrees(june, run):
    ws = _july(june, run)
    o = outputs(run, ws, JUNE)
    problems = check(o, JUNE, EXPECT_JUNE_AFTER)
    assert not problems, "\n".join(problems)



def test_task_sentence_says_all_leads_missing_only_when_all_were_asked(june, run):
    """3.1 was moved after issue from 市公安局 to 市司法局 (W210): 市司法局 is 本期未下发 for it in
    单位明细/任务汇总; the 通报 must not say 牵头单位均未报送进展 (which names every lead, 市司法局 too)."""
    memo = outputs(run, june, JUNE)["memo"]
    line = next(x for x in memo.splitlines() if "（任务3.1）" in x)
    assert "1个牵头单位的本期填报表未含此任务" in line
    assert "牵头单位均未报送进展" not in line, line


def test_owed_task_count_leaves_out_tasks_not_issued(june, run):
    """报送情况/status 应报任务数 counts a task the unit's form did not carry (本期未下发)."""
    o = outputs(run, june, JUNE)
    n = {u["单位"]: u["应报任务数"] for u in o["json"]["units"]}
    details = table(o["book"], "单位明细", "任务编号")
    for unit in ("市司法局", "市林业局"):
        owed = sum(d["单位"] == unit and d["完成状态"] != "本期未下发" for d in details)
        assert n[unit] == owed, (unit, n[unit], owed)
