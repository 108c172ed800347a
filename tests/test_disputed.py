"""A file registered under one unit while its file name or 填报单位 named another (W206) is asked
about again on every screen that publishes while that other unit stands 未报送 (QA197), or while
the registered unit's 报送 rests on it (QA356):
石排镇 filled in 石碣镇's form and sent it as 石排镇6月.xlsx; it went in as 石碣镇's, and the 通报
listed 石排镇 未报送 with nothing said after collect's own screen."""

from __future__ import annotations

import datetime as dt
import json

from conftest import drop, edit, on_time, set_clock


def shipai_on_shijie_form(make_return) -> bytes:
    """石碣镇's form (its hidden _meta) with 石排镇 in its 填报单位 cell."""
    def change(wb):
        sheet = wb["进展填报"]
        for row in sheet.iter_rows(max_row=4):
            for cell in row:
                if cell.value == "石碣镇":  # the value beside its 填报单位 label
                    cell.value = "石排镇"
    return edit(make_return("石碣镇"), change)


def notes(run, ws) -> tuple[int, list[str]]:
    status = run(["status", "--format", "json"], cwd=ws.root)
    return status.exit_code, json.loads(status.stdout)["notes"]


LINE = ("请核实：石排镇6月.xlsx：填报表内置的单位信息是石碣镇，但文件名“石排镇6月.xlsx”指向石排镇。已按石碣镇登记；如实际是石排镇报送的，"
        "请石排镇用本单位的填报表重报。目前石排镇在2022年6月计为未报送；如这份就是石排镇的报送，通报中不应把石排镇列为未报送，"
        "也不应把石碣镇计为按时报送：发出通报前请先与石排镇、石碣镇核实。如核实确是石碣镇的报送（只是文件名、填报单位或发件人写成了石排镇），"
        "请运行 duban sender --period 2022-06 --dept 石碣镇 --theirs；如不是石碣镇的报送，请运行 duban sender --period 2022-06 "
        "--dept 石碣镇 --not-theirs，这份即不再计为石碣镇的报送。运行后此提示即不再出现。")
#: the same file once 石排镇 has resent on its own form: whether 石碣镇 reported is still open (QA356)
RESENT = ("请核实：石排镇6月.xlsx：填报表内置的单位信息是石碣镇，但文件名“石排镇6月.xlsx”指向石排镇。已按石碣镇登记；如实际是石排镇报送的，"
          "请石排镇用本单位的填报表重报。石排镇已另行报送（在2022年6月计为按时报送），这份仍计为石碣镇的报送，石碣镇在2022年6月"
          "计为按时报送；如这份也是石排镇填报的，石碣镇并未报送，通报中不应把石碣镇计为按时报送：发出通报前请先与石碣镇核实。"
          "如核实确是石碣镇的报送（只是文件名、填报单位或发件人写成了石排镇），请运行 duban sender --period 2022-06 --dept 石碣镇 "
          "--theirs；如不是石碣镇的报送，请运行 duban sender --period 2022-06 --dept 石碣镇 --not-theirs，"
          "这份即不再计为石碣镇的报送。运行后此提示即不再出现。")


def test_the_unit_the_file_name_named_is_asked_about_in_status_merge_and_memo(issued_ws, make_return,
                                                                              monkeypatch, run):
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇"), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    assert run(["collect"], cwd=issued_ws.root).exit_code == 1
    code, said = notes(run, issued_ws)
    assert code == 1 and LINE in said
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 1 and LINE in merged.output.replace("\n", "")
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert memo.exit_code == 1 and LINE in memo.output.replace("\n", "")


def test_the_question_stays_when_the_other_unit_reports(issued_ws, make_return, monkeypatch, run):
    # 石排镇's own return answers whether 石排镇 reported, not whether 石碣镇 did (QA356: it
    # ended the question, and 石碣镇 stood 按时报送 on 石排镇's text with nothing left to answer)
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇"), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    drop(issued_ws, "2022年6月_石排镇_进展填报表.xlsx", make_return("石排镇"), on_time())
    run(["collect"], cwd=issued_ws.root)
    code, said = notes(run, issued_ws)
    assert code == 1 and [n for n in said if "石排镇6月.xlsx" in n] == [RESENT]


def test_a_form_whose_填报单位_names_another_is_asked_about(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "6月进展.xlsx", shipai_on_shijie_form(make_return), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    said = [n for n in notes(run, issued_ws)[1] if n.startswith("请核实：6月进展.xlsx：")]
    assert len(said) == 1 and "目前石排镇在2022年6月计为未报送" in said[0]


def test_nothing_is_said_of_a_file_whose_evidence_agrees(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "石碣镇6月.xlsx", make_return("石碣镇"), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    assert not [n for n in notes(run, issued_ws)[1] if "石碣镇6月.xlsx" in n]
