"""QA378: which 催报 `duban mail send remind` holds back after a form goes out again, and of a unit
renamed since (leftovers of QA364's review).

1. Every form issued again (1-下发填报表 pressed once more, `issue --emails`) to fill in one unit's
   邮箱 printed the others' forms again the same, yet held every unit's older 催报 as written
   "before its form was issued again" until `duban remind` ran. Only a unit given its form anew
   (another deadline, tasks or master, or named by --dept) has the wrong letter.
2. A 催报 recorded under the name a unit had before it was renamed in 单位名录 was not judged at all
   (its state looked up by that name): sent though its 请于…前 date had passed.
3. A unit renamed after its form went out and issued again under its new name (`issue --dept`,
   mailed by hand) was not seen as issued again: its form's first issue under the new name was
   taken for its first issue of the month, and the 催报 written before it was sent.
"""
from __future__ import annotations

import datetime as dt

import pytest
from test_mail_send import give_emails
from test_qa358_drafts import GA, HM, SZ, _dry
from test_renamed_units import rename

from toolkit.actions.issue import issue_returns
from toolkit.ledger import Ledger

HELD = "草稿写于该单位的填报表重新下发之前、已不适用、不发送的催报"


def _reminded(ws, collecting_on, run, emails: dict[str, str]) -> str:
    """June's forms issued on 1 July (the fixture's are dated by the machine's clock), the units given
    ``emails``, `duban remind` run on 4 July: the root."""
    give_emails(ws, emails)
    collecting_on(dt.date(2022, 7, 1))
    issue_returns(ws, "2022-06")
    collecting_on(dt.date(2022, 7, 4))
    assert run(["-w", str(ws.root), "remind"]).exit_code == 0
    return str(ws.root)


@pytest.mark.slow  # the month issued three times and reminded: out of the quick loop
def test_forms_printed_again_the_same_hold_no_reminder(issued_ws, collecting_on, run):
    root = _reminded(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    give_emails(issued_ws, {GA: "ga@dg.example.cn"})  # the office fills in one more 邮箱
    assert run(["-w", root, "issue", "--emails"]).exit_code == 0  # every form again, the same
    lines = _dry(run, root, "remind")
    assert lines[1:4] == [f"  {SZ} → sz@dg.example.cn；无附件", f"  {GA} → ga@dg.example.cn；无附件（按单位名录现在的邮箱）",
                          f"  {HM} → hm@dg.example.cn；无附件"], lines
    assert not any(x.startswith(HELD) for x in lines), lines
    # one unit's form issued again by name: that unit's 催报 alone is the wrong letter
    assert run(["-w", root, "issue", "--dept", GA, "--emails"]).exit_code == 0
    lines = _dry(run, root, "remind")
    assert f"{HELD} 1 封：{GA}。" in "\n".join(lines) and f"  {SZ} → sz@dg.example.cn；无附件" in lines, lines
    # a later whole issue printing its form the same again does not make it the right letter
    assert run(["-w", root, "issue", "--emails"]).exit_code == 0
    lines = _dry(run, root, "remind")
    assert f"{HELD} 1 封：{GA}。" in "\n".join(lines) and f"  {HM} → hm@dg.example.cn；无附件" in lines, lines


@pytest.mark.slow  # a month reminded, a unit renamed: out of the quick loop
def test_a_reminder_under_a_former_name_is_judged_by_the_unit_renamed(issued_ws, collecting_on, run):
    root = _reminded(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn", HM: "hm@dg.example.cn"})
    new = "东莞市虎门镇"
    rename(issued_ws, old=HM, new=new)
    collecting_on(dt.date(2022, 7, 6))  # the 催报's 请于7月5日前报送 is past
    lines = _dry(run, root, "remind")
    said = "\n".join(lines)
    assert "草稿中“请于…前报送”的日期已过、不发送的 2 封：" in said and f"{HM}（2022年7月5日前）" in said, lines
    assert not any(x.startswith("  ") and "→" in x for x in lines), lines


@pytest.mark.slow  # a month reminded, a unit renamed and issued again: out of the quick loop
def test_a_unit_renamed_and_issued_again_under_its_new_name_holds_the_reminder_before(
        issued_ws, collecting_on, run):
    new = "东莞市虎门镇"
    root = _reminded(issued_ws, collecting_on, run, {SZ: "sz@dg.example.cn"})
    rename(issued_ws, old=HM, new=new)
    give_emails(issued_ws, {new: "hm@dg.example.cn"})
    assert run(["-w", root, "remind"]).exit_code == 0  # the 催报 under its new name
    collecting_on(dt.date(2022, 7, 5))
    assert run(["-w", root, "issue", "--dept", new, "--due", "2022-07-20"]).exit_code == 0  # mailed by hand
    with Ledger(issued_ws.ledger_path) as ledger:  # the form under the new name: its first there
        assert {u for u, in ledger.conn.execute("SELECT unit FROM issued WHERE unit IN (?,?)", (HM, new))} == {HM, new}
    lines = _dry(run, root, "remind")
    assert f"{HELD} 1 封：{new}。" in "\n".join(lines) and f"  {SZ} → sz@dg.example.cn；无附件" in lines, lines


def test_version_21_counts_every_earlier_issue_as_given_anew(tmp_path):
    """A ledger from before version 21 does not know which issue printed a form again the same: each
    counts as given anew, as before; issued again the same since, that time stands."""
    from conftest import ledger_at

    from toolkit.ledger import LATEST, schema_version
    from toolkit.period import Period

    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 20, ("INSERT INTO issued (period, unit, fingerprint, tasks, issued_at, first_issued_at, due, exempt)"
                         " VALUES ('2022-06', ?, 'f', '[\"1.1\"]', '2022-07-05 09:00:00', '2022-07-01 09:00:00',"
                         " '2022-07-20', 0)", (HM,)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 21
        read = "SELECT changed_at FROM issued WHERE unit=?"
        assert ledger.conn.execute(read, (HM,)).fetchone()[0] == "2022-07-05 09:00:00"
        ledger.record_issued(Period.parse("2022-06"), HM, "f", ["1.1"], dt.date(2022, 7, 20))  # the same again
        assert ledger.conn.execute(read, (HM,)).fetchone()[0] == "2022-07-05 09:00:00"
        ledger.record_issued(Period.parse("2022-06"), HM, "f", ["1.1"], dt.date(2022, 7, 25))  # a later date
        assert ledger.conn.execute(read, (HM,)).fetchone()[0] > "2022-07-05 09:00:00"
