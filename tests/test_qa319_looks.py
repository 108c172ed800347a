"""QA round 319: what departments receive, for tables from other places (a province's, a town's).

Rendered and looked at: forms, the reply to a refused return, 汇总表 and 通报 of 安徽's 2022
plan, 泗洲头镇's 2024 plan and 荆州's 2022 table.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from toolkit.checks import CheckContext, check_return
from toolkit.feedback import build_feedback
from toolkit.filling import Answer, Filling, fill_return
from toolkit.master.importer import import_master
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import SHEET, build_return, header_layout
from toolkit.settings import Limits
from toolkit.style import load_style

CORPUS = Path(__file__).parent / "corpus" / "masters"
SIZHOUTOU = CORPUS / "sizhoutou_zdgz_2024.xlsx"     # 工作任务 kept, B:C and F hidden
JUNE = Period(2024, 6)
STYLE = load_style(resource("templates", "样式.toml"))
DONE = Answer(status="序时推进", progress=60, work="本月完成库区坟墓迁移协议签订126座。")


@pytest.fixture(scope="module")
def sizhoutou():
    return import_master(SIZHOUTOU)


def test_the_reply_marks_an_empty_contact_where_the_department_sees_it(sizhoutou):
    """泗洲头镇's forms hide B:C: 填报人's value stands in D3. W509 named D3 (QA83), but the reply
    looked for it among the cells the reader saw right of each label (B3), found nothing, and
    left 填报人 unmarked with an empty 单元格 in 校验结果: the department was told to fix a
    cell it could not find."""
    unit = "白仙山水库工程政策处理工作领导小组"
    wb = build_return(sizhoutou, unit, JUNE, dt.date(2024, 7, 5), "泗洲头镇2024年度重点工作计划", STYLE,
                      generated_at=dt.datetime(2024, 7, 1))
    out = io.BytesIO()
    wb.save(out)
    data = fill_return(out.getvalue(), Filling(default=DONE, contact={}))
    report = check_return(data, "回件.xlsx", CheckContext(sizhoutou, Limits(), period=JUNE))
    fb, located = build_feedback(sizhoutou, report, data, "回件.xlsx", project="泗洲头镇2024年度重点工作计划",
                                 due=dt.date(2024, 7, 5), style=STYLE, limits=Limits())
    (ref,) = [ref for issue, ref in located if issue.code == "W509"]
    assert ref == header_layout(sizhoutou).contact["填报人"][1] == "D3"
    assert fb[SHEET]["D3"].fill.fgColor.rgb.endswith("FFEB9C")
    assert fb[SHEET]["D3"].comment is not None


def test_an_unsigned_memo_dates_it_at_the_right_not_the_left_margin():
    """安徽's, 泗洲头镇's and 荆州's tables name no organiser: the 通报 printed its date flush left
    under the body, where no 通报 has it; it ends two characters from the right, as under a
    short organiser (县政府办: 18 spaces)."""
    from toolkit.memo.gbt9704 import signature_pads

    assert tuple(map(len, signature_pads("", "2022年7月20日"))) == (0, 18)
    assert tuple(map(len, signature_pads("县政府办", "2022年7月20日"))) == (16, 18)
