"""Deadline leftovers (QA134), played as the 东莞 office would in June 2022 (forms printed
报送截止 5 July):

1. 麻涌镇 is granted the 10th (``issue --dept 麻涌镇 --due 2022-07-10``) and sends on the 9th:
   按时报送. An office's own 通报 template said only ``due_date_text`` (the 5th), wrong for
   麻涌镇; templates now get ``own_dues`` and a ready ``due_text``, and a template that still
   says the one date is named when it matters.
2. due_day raised to 8 in duban.toml on purpose turns 虎门镇's return of the 7th 按时: the
   请核实 line made every merge of the month exit 1. It now names the command that records the
   extension (``issue --period … --dept 虎门镇 --due 2022-07-08``), after which it is gone.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from conftest import PERIOD
from test_evidence import state
from test_qa123_due_changes import JULY, due_day, send

from toolkit import memo
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.consolidate import consolidate
from toolkit.memo.context import UnitDue, build_context
from toolkit.memo.sentences import due_text
from toolkit.vocab import UnitState
from toolkit.workspace import find_workspace

SHIPPED = Path(memo.__file__).resolve().parent.parent.parent / "templates" / "月度通报.docx"


def _麻涌镇_granted_the_10th(ws, make_return) -> None:
    issue_returns(ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    send(ws, make_return, "麻涌镇", 9)
    send(ws, make_return, "虎门镇", 7)
    collect(ws)
    assert [state(ws, u) for u in ("麻涌镇", "虎门镇")] == [UnitState.ON_TIME, UnitState.LATE]


def _template(tmp_path, *lines: str):
    """An office's own template: the shipped one with ``lines`` before its fourth paragraph."""
    d = docx.Document(str(SHIPPED))
    anchor = d.paragraphs[3]
    for line in lines:
        anchor.insert_paragraph_before(line)
    path = tmp_path / "本局通报.docx"
    d.save(str(path))
    return path


def _texts(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


# ---------------------------------------------------------------------------
# 1. the memo's deadline with a unit's own


def test_the_memo_context_says_a_units_own_deadline_beside_the_periods(issued_ws, make_return):
    _麻涌镇_granted_the_10th(issued_ws, make_return)
    ctx = build_context(consolidate(issued_ws, PERIOD))
    assert ctx.due_date_text == "2022年7月5日"  # existing templates: the date most forms printed
    assert ctx.own_dues == [UnitDue("麻涌镇", "2022年7月10日")]
    assert ctx.due_text == "本期报送截止日为2022年7月5日，其中麻涌镇为2022年7月10日。"


def test_without_an_own_deadline_the_sentence_says_the_one_date(issued_ws, make_return):
    send(issued_ws, make_return, "虎门镇", 7)
    collect(issued_ws)
    ctx = build_context(consolidate(issued_ws, PERIOD))
    assert (ctx.own_dues, ctx.due_text) == ([], "本期报送截止日为2022年7月5日。")


def test_due_text_groups_units_by_date_and_counts_many():
    own = [UnitDue("麻涌镇", "2022年7月10日"), UnitDue("石龙镇", "2022年7月12日"), UnitDue("莞城街道", "2022年7月10日")]
    assert due_text("2022年7月5日", own, 5) == "本期报送截止日为2022年7月5日，其中麻涌镇、莞城街道为2022年7月10日，石龙镇为2022年7月12日。"
    many = [UnitDue(f"单位{i}", "2022年7月10日") for i in range(8)]
    assert due_text("2022年7月5日", many, 5) == "本期报送截止日为2022年7月5日，其中单位0等8个单位为2022年7月10日。"
    # beyond five, dates told apart only on the forms (QA189: one date shared is said)
    many[0] = UnitDue("单位0", "2022年7月12日")
    assert due_text("2022年7月5日", many, 5) == "本期报送截止日为2022年7月5日，其中单位0等8个单位以各自填报表上的截止日为准。"


def test_an_offices_template_prints_each_units_deadline(tmp_path, issued_ws, make_return):
    _麻涌镇_granted_the_10th(issued_ws, make_return)
    template = _template(tmp_path, "{{ due_text }}", "{%p for d in own_dues %}",
                         "{{ d.name }}的报送截止日为{{ d.due_date_text }}。", "{%p endfor %}")
    assert memo.check_template(template) == []
    result = write_memo(issued_ws, PERIOD, template=template)
    texts = _texts(result.path)
    assert "本期报送截止日为2022年7月5日，其中麻涌镇为2022年7月10日。" in texts
    assert "麻涌镇的报送截止日为2022年7月10日。" in texts
    assert not any("due_date_text" in w for w in result.warnings)


def test_a_template_saying_due_date_text_alone_is_named_when_a_unit_has_its_own(tmp_path, run, issued_ws,
                                                                                 make_return):
    template = _template(tmp_path, "本期报送截止日期为{{ due_date_text }}。")
    send(issued_ws, make_return, "石龙镇", 4)
    collect(issued_ws)
    assert write_memo(issued_ws, PERIOD, template=template).warnings == []  # one date for all: right
    _麻涌镇_granted_the_10th(issued_ws, make_return)
    result = run(["memo", "--template", str(template)], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("请核实：通报模板“本局通报.docx”用 due_date_text 写本期报送截止日（2022年7月5日），但有 1 个单位另有截止日"
            "（麻涌镇为2022年7月10日），通报对它们说的截止日不对。请把模板中写截止日的句子换成 {{ due_text }}"
            "（一整句，写明各单位的截止日，见 模板/README.md），再重新生成通报。") in result.output
    assert "本期报送截止日期为2022年7月5日。" in _texts(next((issued_ws.root / "通报").rglob("*.docx")))


def test_the_shipped_template_renders_with_an_own_deadline(issued_ws, make_return):
    """The shipped 通报 never states a deadline (its figures say 按时/逾期): nothing wrong to
    say for 麻涌镇, and no note about it."""
    _麻涌镇_granted_the_10th(issued_ws, make_return)
    result = write_memo(issued_ws, PERIOD)
    assert result.warnings == []
    body = "".join(_texts(result.path))
    assert "2022年7月5日" not in body and "按时报送1个、逾期报送1个" in body


def test_the_readme_documents_the_deadline_variables():
    readme = (SHIPPED.parent / "README.md").read_text(encoding="utf-8")
    for name in ("`due_text`", "`own_dues`", "`d.name`", "`d.due_date_text`"):
        assert name in readme


# ---------------------------------------------------------------------------
# 2. due_day raised on purpose


def test_due_day_raised_on_purpose_is_confirmed_by_the_command_the_line_names(run, issued_ws, make_return):
    send(issued_ws, make_return, "石龙镇", 4)
    send(issued_ws, make_return, "虎门镇", 7)
    collect(issued_ws)
    ws = due_day(issued_ws, 8)
    line = ("请核实：duban.toml 的 due_day 给出的2022年6月报送截止为2022年7月8日，晚于填报表上的2022年7月5日："
            "虎门镇 因此计为按时报送（按填报表为逾期报送）。如应以填报表为准，请把 due_day 改为与填报表一致；"
            "如确为延期，请运行 duban issue --period 2022-06 --dept 虎门镇 --due 2022-07-08 --no-skip-done"
            "（按延期后的截止日重新生成这些单位的填报表并记录，不发邮件），此提示即不再出现。")
    merged = run(["merge"], cwd=ws.root)
    assert line in merged.output.splitlines() and merged.exit_code == 1
    assert line in run(["merge"], cwd=ws.root).output  # every run, until someone confirms
    command = re.search(r"请运行 duban (issue [^（]+)（", line).group(1).split()
    issued = run(command, cwd=ws.root)
    assert issued.exit_code == 0
    assert "已生成 2022年6月进展填报表 1 份（报送截止：2022年7月8日）" in issued.output
    cons = consolidate(find_workspace(ws.root), PERIOD)
    assert cons.extended == {} and cons.office_notes() == []
    assert state(ws, "虎门镇") == UnitState.ON_TIME
    again = run(["merge"], cwd=ws.root)
    assert "请核实" not in again.output and again.exit_code == 0
    # the office moved no date for anyone else: the 5th is still the month's, the 8th applies
    assert (cons.due, cons.unit_dues) == (JULY[8], {})


def test_the_confirmation_names_each_date_and_only_the_units_it_turned(issued_ws, make_return):
    send(issued_ws, make_return, "虎门镇", 7)
    send(issued_ws, make_return, "中堂镇", 6)
    collect(issued_ws)
    note = consolidate(due_day(issued_ws, 8), PERIOD).due_notes()[0]
    assert "duban issue --period 2022-06 --dept 虎门镇 --dept 中堂镇 --due 2022-07-08 --no-skip-done（" in note
