"""A unit that sends last month's file again, byte for byte, as this month's return is asked about
as when it sends a changed one (`toolkit.other_forms`; QA376, 嘉鱼县: 鱼岳镇 mailed "鱼岳镇6月进展"
on 3 July with its May file attached; collect said "重复 1", and June's 通报 listed 鱼岳镇 未报送
with no 请核实, though the unit will say it replied on 3 July).

The office's own form coming back untouched (`office_copies`, QA373) is no unit's return: silent.
大竹 2016 as test_qa370 plays it: November issued on 30 November, October's form sent again to 县民政局.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import invoke_cli, set_clock
from test_qa370_other_forms import ASKED, NOV, OCT, UNIT, issued  # noqa: F401  (issued: a fixture)

from toolkit.filling import Filling, fill_return

pytestmark = pytest.mark.slow  # a month issued and collected


@pytest.fixture
def office(issued, tmp_path, monkeypatch):  # noqa: F811
    """A copy of ``issued``, 县民政局's October return taken on 1 December: (root, run, its bytes)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(issued, root)

    def run(day: dt.date, *args: str):
        set_clock(monkeypatch, day)
        result = invoke_cli(["-w", str(root), *args])
        assert result.exit_code in (0, 1), result.output
        return result

    form = root / "下发" / OCT.label / f"{OCT.label}_{UNIT}_进展填报表.xlsx"
    october = fill_return(form.read_bytes(), Filling())
    (root / "收件箱" / "民政局10月.xlsx").write_bytes(october)
    run(dt.date(2026, 12, 1), "collect", "--received", "2026-12-01")
    return root, run, october


def _notes(run, day: dt.date) -> list[str]:
    return json.loads(run(day, "status", "--period", str(NOV), "--format", "json").stdout)["notes"]


def test_last_months_file_sent_again_unchanged_is_asked_about(office):
    root, run, october = office
    (root / "收件箱" / "民政局11月进展.xlsx").write_bytes(october)
    collected = run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert "重复 1" in collected.output, collected.output
    asked = [n for n in _notes(run, dt.date(2026, 12, 6)) if n.startswith(ASKED)]
    assert len(asked) == 1, asked
    assert "“民政局11月进展.xlsx”是2026年10月的填报表，与此前收到的2026年10月报送完全相同，记为重复" in asked[0], asked
    assert run(dt.date(2026, 12, 6), "status", "--period", str(NOV)).exit_code == 1


def test_the_offices_own_form_coming_back_stays_silent(office):
    root, run, _october = office
    form = root / "下发" / OCT.label / f"{OCT.label}_{UNIT}_进展填报表.xlsx"
    (root / "收件箱" / "民政局11月进展.xlsx").write_bytes(form.read_bytes())  # the blank form, as issued
    run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert not [n for n in _notes(run, dt.date(2026, 12, 6)) if n.startswith(ASKED)]
