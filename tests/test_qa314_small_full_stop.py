"""QA314: 安徽省 2022 重点工作及责任分解 numbers its items ``1﹒``, ``2﹒`` (U+FE52, the small full
stop a web copy keeps from the Word original's full-width numbering). The five items were read as
one task 1 with three leads, four tasks lost without a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.master import import_master
from toolkit.master.raw import numbering
from toolkit.vocab import Role

ANHUI = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_anhui_zdgz_2022.docx"


@pytest.mark.parametrize("text", ["1﹒全省生产总值增长7%以上。", "1．全省生产总值增长7%以上。",
                                  "1.全省生产总值增长7%以上。"])
def test_an_item_numbered_with_any_full_stop_is_item_1(text):
    assert numbering(text) == (3, "1", "全省生产总值增长7%以上。")


def test_the_province_plan_has_its_five_items_each_with_its_own_lead(tmp_path):
    master = import_master(ANHUI)
    leads = {t.id: [a.unit for a in master.assignments if a.task == t.id and a.role is Role.LEAD]
             for t in master.tasks}
    assert leads == {"1": ["省发展改革委"], "2": ["省发展改革委"], "3": ["省商务厅"],
                     "4": ["省商务厅"], "5": ["省财政厅"]}
