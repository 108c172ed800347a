"""Three months of the demo's 东莞 plan played through the CLI (QA114): what stood out.

June 2022: 石龙镇 mails its form at 10:00 on 4 July and, in a second mail at 15:00, the stamped
PDF of it (石龙镇6月进展（盖章）.pdf), as towns do when the office asks for a sealed copy. The
form is accepted and 石龙镇 is 按时报送 in the 汇总表. The PDF mailed in the same mail as the form
was already no refusal (`ledger.store._STANDING`), and since QA109 a no-month PDF mailed on its
own after the form is filed under the form's month as its companion; but collect still wrote
石龙镇 a reply 【请修改后重新报送】…经校验，发现 1 处错误，暂未采纳。请按附件中标红的单元格逐项修改…
重新报送 and said 需回复的单位 1 个：石龙镇. Sent by `duban mail send`,
it tells a town whose return the office took that it was not taken. A document (PDF, scan,
Word) after an accepted return of its month now gets no reply, as in one mail; a spreadsheet
the office cannot read after it (.et, a broken .xlsx: a correction that failed) still does.

August 2022, issued with --skip-done: 东莞市税务局, every task reported 已完成, gets no form and
is 本期免报. It mails 东莞市税务局进展情况（盖章）.pdf on 2 September. The 汇总表 and 通报 rightly
keep it 本期免报, but collect wrote it the same 【请修改后重新报送】 reply: 贵单位报送的2022年8月进展
填报表…暂未采纳…重新报送, to a unit the office told it owed nothing. It now gets none.
"""
from __future__ import annotations

import pytest
from conftest import drop, issued_path
from test_evidence import clean, mail, set_email, state
from test_qa96_done_units_exempt import JULY, TAX, _july_template, _june_template, at, july  # noqa: F401 (fixtures)

from toolkit.actions.collect import collect
from toolkit.filling import fill_return
from toolkit.vocab import UnitState

SL, SL_MAIL = "石龙镇", "sl@dg.example.cn"
STAMPED = b"%PDF-1.4\n% stamped copy of 2022\xe5\xb9\xb46\xe6\x9c\x88 return\n%%EOF\n"


def _mails(ws, second: tuple[str, bytes], date: str = "Mon, 04 Jul 2022 15:00:00 +0800") -> None:
    set_email(ws, **{SL: SL_MAIL})
    form = fill_return(issued_path(ws, SL), clean())
    drop(ws, "石龙1.eml", mail([("2022年6月_石龙镇_进展填报表.xlsx", form)], sender=SL_MAIL,
                                subject="石龙镇6月进展", date="Mon, 04 Jul 2022 10:00:00 +0800"))
    drop(ws, "石龙2.eml", mail([second], sender=SL_MAIL, subject="石龙镇6月进展盖章版", date=date))


def _replies(ws) -> list:
    return list((ws.root / "反馈" / "2022年6月").glob(f"*/{SL}_校验反馈.eml"))


@pytest.mark.parametrize("name", ["石龙镇6月进展（盖章）.pdf", "盖章扫描件.jpg", "石龙镇6月进展说明.docx"])
def test_a_stamped_copy_mailed_after_the_accepted_form_asks_for_nothing(issued_ws, run, name):
    _mails(issued_ws, (name, STAMPED))
    result = run(["collect"], cwd=issued_ws.root)
    assert "需回复的单位" not in result.stdout, result.stdout
    # the office still sees the file, said as asking nothing, not as a refusal (QA345)
    assert f"无需处理：{name}（石龙镇）不是填报表" in result.stdout, result.stdout
    assert "请报送下发的 Excel" not in result.stdout and "请直接报送" not in result.stdout
    assert _replies(issued_ws) == []
    assert state(issued_ws, SL) == UnitState.ON_TIME


def test_a_stamped_copy_the_next_day_collected_in_a_later_run_asks_for_nothing(issued_ws):
    _mails(issued_ws, ("石龙镇6月进展（盖章）.pdf", STAMPED), date="Tue, 05 Jul 2022 09:00:00 +0800")
    pdf = issued_ws.inbox / "石龙2.eml"
    held = pdf.read_bytes()
    pdf.unlink()
    collect(issued_ws)
    drop(issued_ws, "石龙2.eml", held)
    result = collect(issued_ws)
    assert result.feedback == [] and _replies(issued_ws) == []
    assert state(issued_ws, SL) == UnitState.ON_TIME


def test_a_spreadsheet_it_cannot_read_after_the_form_still_gets_its_reply(issued_ws):
    """A correction saved as WPS's .et is a return that failed: the town must learn it."""
    et = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 600
    _mails(issued_ws, ("2022年6月_石龙镇_进展填报表（修改）.et", et))
    collect(issued_ws)
    assert len(_replies(issued_ws)) == 1
    assert state(issued_ws, SL) == UnitState.ON_TIME


def test_a_stamped_copy_from_a_unit_with_no_return_is_still_answered(issued_ws):
    """Nothing accepted for June: the PDF is all 石龙镇 sent, and it must send the form."""
    set_email(issued_ws, **{SL: SL_MAIL})
    drop(issued_ws, "石龙2.eml", mail([("石龙镇6月进展（盖章）.pdf", STAMPED)], sender=SL_MAIL, subject="石龙镇6月进展"))
    collect(issued_ws)
    assert len(_replies(issued_ws)) == 1
    assert state(issued_ws, SL) == UnitState.TO_FIX



def test_a_stamped_copy_from_a_unit_exempt_this_month_asks_for_nothing(july, run):  # noqa: F811
    """test_qa96's July: 东莞市税务局 exempt (本期免报), its PDF mailed on 3 August."""
    drop(july, "东莞市税务局进展情况（盖章）.pdf", STAMPED, at(2022, 8, 3, 10))
    result = run(["collect"], cwd=july.root)
    assert f"无法读取：东莞市税务局进展情况（盖章）.pdf（{TAX}）" in result.stdout, result.stdout
    assert "需回复的单位" not in result.stdout, result.stdout
    assert not list((july.root / "反馈" / JULY.label).glob(f"*/{TAX}_校验反馈.eml"))
    assert state(july, TAX, "2022-07") == UnitState.EXEMPT


# months played through collect, merge and issue: several seconds a module, run by CI, not the quick loop
pytestmark = pytest.mark.slow
