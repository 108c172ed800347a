"""QA330: a county's plan that writes its towns as groups, played as the county's office would.

With a 单位名录 of 县直部门, 乡镇, 街道 and a 开发区管委会: 各街道 gave every 乡镇 the task (and
各乡镇 every 街道) when the directory files towns and streets as two kinds; a bare 镇 (镇、街道,
镇人民政府) and the 政府 of 各乡镇党委、政府 were added as new units, issued forms and would be
named 未报送; the 通报 addressed the 开发区管委会 before the towns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import played_month, set_clock, sheet_table

from toolkit.consolidate import UnitStatus
from toolkit.filling import Answer, Filling, fill_return
from toolkit.master import import_master
from toolkit.memo.addressees import recipients
from toolkit.units import Directory

DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
青山县发展和改革局,县发改局,县直部门,,,fgj@qs.gov.cn
青山县住房和城乡建设局,县住建局,县直部门,,,zjj@qs.gov.cn
青山县城市管理局,县城管局,县直部门,,,cgj@qs.gov.cn
青山县财政局,县财政局,县直部门,,,czj@qs.gov.cn
城关镇,城关镇人民政府,{town},,,cgz@qs.gov.cn
河口镇,河口镇人民政府,{town},,,hkz@qs.gov.cn
石门乡,石门乡人民政府,{village},,,smx@qs.gov.cn
东城街道,东城街道办事处,街道,,,dc@qs.gov.cn
西城街道,西城街道办事处,街道,,,xc@qs.gov.cn
青山经济开发区管理委员会,县开发区管委会,开发区,,,kfq@qs.gov.cn
"""
TOWNS = ["城关镇", "河口镇", "石门乡"]
STREETS = ["东城街道", "西城街道"]
CELLS = {
    "各街道": STREETS,
    "各乡镇": TOWNS,
    "相关街道": STREETS,
    "有关乡镇": TOWNS,
    "镇、街道": TOWNS + STREETS,
    "镇人民政府": TOWNS,
    "县住建局、街道办事处": ["青山县住房和城乡建设局", *STREETS],
    "各乡镇党委、政府": TOWNS,
    "乡镇党委、政府": TOWNS,
    "各镇街党（工）委、政府（办事处）": TOWNS + STREETS,
    "各乡镇人民政府、街道办事处": TOWNS + STREETS,
    "镇街": TOWNS + STREETS,
}


def _directory(tmp: Path, **kinds: str) -> Directory:
    path = tmp / "名录.csv"
    path.write_text(DIRECTORY.format(**kinds), encoding="utf-8")
    return Directory.from_csv(path)


@pytest.fixture(scope="module", params=[dict(town="乡镇", village="乡镇"), dict(town="镇", village="乡")],
                ids=["乡镇和街道", "镇乡和街道"])
def imported(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("groups")
    rows = [["青山县2026年测试任务分工表"], ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"]]
    rows += [[i, f"任务{i}", "内容。", "县财政局", cell, "2026年12月底前"] for i, cell in enumerate(CELLS, 1)]
    return import_master(sheet_table(tmp / "分工表.xlsx", rows), _directory(tmp, **request.param))


@pytest.mark.parametrize("n, cell", list(enumerate(CELLS, 1)), ids=list(CELLS))
def test_a_town_group_gives_its_task_to_its_own_kind_only(imported, n, cell):
    coop = [a.unit for a in imported.assignments if a.task == str(n) and a.unit != "青山县财政局"]
    said = CELLS[cell]
    if cell in ("镇、街道", "镇人民政府") and "乡" in {u.kind for u in imported.directory.units}:
        said = [u for u in said if u != "石门乡"]  # 镇 where the directory's kinds are 镇 and 乡: its 镇
    assert sorted(coop) == sorted(said)


def test_no_town_word_is_made_a_unit(imported):
    assert not [i.message for i in imported.issues if i.code == "M102"]


def test_a_party_and_government_group_is_hinted_by_its_places(tmp_path):
    rows = [["青山县2026年测试任务分工表"], ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
            [1, "任务1", "内容。", "县财政局", "各县（市）党委、政府", "2026年12月底前"]]
    master = import_master(sheet_table(tmp_path / "分工表.xlsx", rows),
                           _directory(tmp_path, town="乡镇", village="乡镇"))
    (said,) = [i.message for i in master.issues if i.code == "M108"]
    assert said.startswith("“各县（市）党委、政府”（任务 1）是一组单位")
    assert "（类别如“县（市）”）" in said


def _units(*pairs: tuple[str, str]) -> list[UnitStatus]:
    return [UnitStatus(name, kind, 1, "未报送") for name, kind in pairs]


def test_a_countys_zone_is_addressed_after_its_towns():
    units = _units(("县发改局", "县直部门"), ("城关镇", "乡镇"), ("石门乡", "乡镇"), ("东城街道", "街道"),
                   ("青山经济开发区管理委员会", "开发区"))
    assert recipients(units, "县") == "各乡镇街道、青山经济开发区管理委员会，县直各有关单位："
    assert recipients(units[:-1], "县") == "各乡镇街道，县直各有关单位："
    assert recipients([units[0], units[-1]], "县") == "青山经济开发区管理委员会，县直各有关单位："


PLAN = [["青山县2026年城市更新和基层治理重点任务分工表"],
        ["序号", "工作任务", "具体措施", "牵头单位", "责任单位", "完成时限"],
        [1, "优化项目审批", "推行项目审批代办服务。", "县发改局", "县发改局、乡镇", "2026年12月底前"],
        [2, "城市更新改造", "完成老旧小区改造10个。", "县住建局/县城管局", "各乡镇人民政府、街道办事处", "2026年10月底前"],
        [3, "人居环境整治", "开展村庄清洁行动。", "各乡镇人民政府、街道办事处", "县直各有关单位", "长期坚持"],
        [4, "综合行政执法", "推进执法力量下沉。", "县城管局", "镇街", "2026年9月底前"],
        [5, "网格化治理", "完善网格员队伍。", "乡镇（街道）", "", "2026年12月底前"],
        [6, "背街小巷整治", "整治背街小巷。", "县城管局", "各街道", "2026年12月底前"],
        [7, "开发区招商", "引进项目5个。", "县开发区管委会", "县财政局", "2026年12月底前"]]


@pytest.mark.slow  # plays a whole month: run in CI, out of the quick loop
def test_a_county_month_names_its_towns_and_streets_rightly(tmp_path):
    plan = sheet_table(tmp_path / "分工表.xlsx", PLAN)
    directory = tmp_path / "名录.csv"
    directory.write_text(DIRECTORY.format(town="乡镇", village="乡镇"), encoding="utf-8")
    root = tmp_path / "ws"
    mp, log, run = played_month(root, dt.date(2026, 10, 8), "--master", str(plan), "--period", "2026-10",
                                "--directory", str(directory), "--organiser", "青山县人民政府办公室")
    try:
        assert "各街道 → 2 个单位：东城街道、西城街道" in log["init"]
        assert "问题：" not in log["init"]
        run("issue", "--period", "2026-10", "--emails")
        issued = root / "下发" / "2026年10月"
        forms = sorted(f.name.split("_")[1] for f in issued.glob("*.xlsx"))
        assert forms == sorted(["青山县发展和改革局", "青山县住房和城乡建设局", "青山县城市管理局", "青山县财政局",
                                *TOWNS, *STREETS, "青山经济开发区管理委员会"])
        inbox = root / "收件箱"
        inbox.mkdir(exist_ok=True)

        def send(unit, filling=None):
            form = issued / f"2026年10月_{unit}_进展填报表.xlsx"
            (inbox / f"{unit}.xlsx").write_bytes(fill_return(form, filling or Filling()))

        lag = Answer(status="滞后", progress=30, work="执法人员尚未全部下沉。", problems="编制未落实，需县委编办协调。")
        for unit in ["青山县发展和改革局", "青山县住房和城乡建设局", "青山县财政局", "城关镇", "河口镇", "东城街道",
                     "青山经济开发区管理委员会"]:
            send(unit)
        send("青山县城市管理局", Filling(answers={"4": lag}))
        set_clock(mp, dt.date(2026, 11, 4))
        run("collect", "--received", "2026-11-04")
        send("石门乡")
        set_clock(mp, dt.date(2026, 11, 9))
        run("collect", "--received", "2026-11-09")
        run("merge")
        run("memo", "--format", "md")
        (memo,) = (root / "通报" / "2026年10月").glob("*.md")
        text = memo.read_text(encoding="utf-8")
        assert "\n各乡镇街道、青山经济开发区管理委员会，县直各有关单位：\n" in text
        assert "（一）逾期报送的单位（1个）：石门乡。" in text
        assert "（二）未报送的单位（1个）：西城街道。" in text
        assert "青山县城市管理局反映：编制未落实，需县委编办协调。" in text
    finally:
        mp.undo()
