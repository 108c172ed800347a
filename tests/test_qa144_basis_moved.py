"""A past month against a revised 东莞 plan (QA144), without playing months: `basis_of`
compares tasks by their texts (`renumbered`) and assignments under each task's new number;
the import compares the two plans the same way and signs as the workspace does."""

from __future__ import annotations

from dataclasses import replace

from test_master_import import docx
from test_qa143_renumbered import JULY, task

from toolkit.actions.master_import import Revision, compared
from toolkit.issued_month import Basis, basis_of
from toolkit.master import Assignment, Master, import_master
from toolkit.period import Period
from toolkit.units import Directory
from toolkit.vocab import Role

JUNE_P, JULY_P, AUG_P = Period(2022, 6), Period(2022, 7), Period(2022, 8)
ZSJ, JT, SJ = "市政务服务数据管理局", "市交通运输局", "市市场监管局"
# August: 1.2 moved to 2.1, the old 2.1 to 2.2, 2.6 to 2.7; the old 2.2 dropped; 2.5 edited
AUGUST = [JULY[0], task("2.1", JULY[1].name, JULY[1].content), task("2.2", JULY[2].name, JULY[2].content),
          task("2.5", "简化事项办理流程", "实现不少于1000项事项全市通办。"), task("2.7", JULY[5].name, JULY[5].content)]


class Issued:
    """A ledger whose July forms were followed by August's."""

    def issued_periods(self) -> list[Period]:
        return [JULY_P, AUG_P]


def plan(tasks, pairs) -> Master:
    return Master("东莞市2022年政务服务全域标准化专项行动", list(tasks),
                  [Assignment(tid, unit, Role.LEAD) for tid, unit in pairs], Directory([]))


def test_a_moved_task_keeps_its_units_and_a_real_change_is_still_asked():
    july = plan(JULY, [("1.1", ZSJ), ("1.2", ZSJ), ("2.1", ZSJ), ("2.2", ZSJ), ("2.5", JT), ("2.6", JT), ("2.6", SJ)])
    # the units followed their tasks, but 市市场监管局 was taken off 跨域通办 (now 2.7)
    today = plan(AUGUST, [("1.1", ZSJ), ("2.1", ZSJ), ("2.2", ZSJ), ("2.5", JT), ("2.7", JT)])
    basis = basis_of(Issued(), JULY_P, today, july, lambda unit, tid: "序时推进")
    assert basis.moved == {"1.2": "2.1", "2.1": "2.2", "2.6": "2.7"}
    assert [t.id for t in basis.deleted] == ["2.2"]  # dropped; 1.2 and 2.1 are not
    assert [then.id for then, _ in basis.edited] == ["2.5"]  # 2.1 is another task now: no edit
    assert basis.changed == [(SJ, "2.6", "牵头", "序时推进")]
    notes = basis.notes()
    assert ("说明：任务分工表已修订，原1.2现为2.1、原2.1现为2.2、原2.6现为2.7（工作任务和具体工作内容未变）：2022年7月的汇总表和通报"
            "仍按当月填报表上的编号列出；编号的变化不改变各单位的报送情况，无需为此更正。") in notes
    assert any(line.startswith(f"请核实：{SJ}（2.6（现为2.7）牵头，序时推进）在2022年7月的填报表上") for line in notes)
    assert basis.asks


def test_a_moved_task_whose_deadline_moved_is_said_under_both_numbers():
    july = plan(JULY[:2], [("1.1", ZSJ), ("1.2", ZSJ)])
    moved = replace(task("2.1", JULY[1].name, JULY[1].content), deadline_text="2022年9月")
    basis = basis_of(Issued(), JULY_P, plan([JULY[0], moved], [("1.1", ZSJ), ("2.1", ZSJ)]), july,
                     lambda unit, tid: "序时推进")
    assert basis.notes()[-1] == "说明：任务 1.2（现为2.1）的完成时限已由2022年12月改为2022年9月；2022年7月仍按下发时的2022年12月核定。"


def test_renumbering_alone_asks_nothing():
    basis = Basis(JUNE_P, JULY_P, moved={"1.2": "2.1"})
    assert not basis.asks
    assert basis.notes() == ["说明：2022年6月按当月下发的填报表核定（2022年7月的填报表已下发）。任务分工表已修订，原1.2现为2.1"
                             "（工作任务和具体工作内容未变）：2022年6月的汇总表和通报仍按当月填报表上的编号列出；编号的变化不改变各单位的报送情况，无需为此更正。"]


def test_the_import_lists_a_long_revision_capped():
    revision = Revision(kept=["1.1"], moved={f"3.{i}": f"4.{i}" for i in range(1, 13)}, added=["5.1"],
                        past=[JUNE_P], current=[JULY_P])
    first = revision.lines()[0]
    assert first.startswith("与原任务分工表相比：未变 1 项；改了编号 12 项（3.1→4.1、3.2→4.2、")
    assert "3.10→4.10等）；新增 1 项（5.1）。" in first and "3.11" not in first
    assert Revision(kept=["1.1", "1.2"], past=[JUNE_P]).lines() == []  # the same tasks: nothing to say


def test_a_revision_is_signed_as_the_workspace_signs(tmp_path):
    table = [["工作任务", "具体工作内容", "完成时限", "责任单位"],
             ["对标对表提升整改", "各级政务服务大厅对标对表优化提升。", "2022年12月", "市政务服务数据管理局"]]
    path = docx(tmp_path / "修订.docx", ["东莞市人民政府办公室关于印发东莞市2022年政务服务全域标准化专项行动方案（修订）的通知", table])
    assert import_master(path).organiser == "东莞市人民政府办公室"  # a table alone: its issuer
    m = import_master(path, signer="东莞市政务服务数据管理局")
    assert (m.organiser, m.report.organiser_source) == ("东莞市政务服务数据管理局", "duban.toml 中的督办单位")
    assert ("分工表的发文机关是“东莞市人民政府办公室”，通报仍按 duban.toml 中的督办单位“东莞市政务服务数据管理局”落款；"
            "如要改变落款，请修改 duban.toml 中的 organiser。") in m.report.notes
    assert import_master(path, organiser="东莞市发展和改革局", signer="东莞市政务服务数据管理局").organiser == "东莞市发展和改革局"


def test_the_import_says_a_moved_tasks_new_deadline_too():
    """1.2 moved to 2.1 with its 完成时限 brought forward: listed as moved alone, the office was
    never told by the import that its deadline changed."""
    moved = replace(task("2.1", JULY[1].name, JULY[1].content), deadline_text="2022年9月")
    revision = compared(plan(JULY[:2], []), plan([JULY[0], moved], []), [JUNE_P], [])
    assert (revision.moved, revision.edited, revision.kept) == ({"1.2": "2.1"}, ["2.1"], ["1.1"])
    assert revision.lines()[0] == "与原任务分工表相比：未变 1 项；改了编号 1 项（1.2→2.1）；内容或完成时限有修改 1 项（2.1）。"
