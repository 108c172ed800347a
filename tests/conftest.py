"""Fixtures: a workspace built from the shipped seed, issued returns, department fills,
LibreOffice round trips. Expensive things are built once per session and copied."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.actions.init import init_workspace
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.office import soffice
from toolkit.period import Period
from toolkit.workspace import find_workspace

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "workbooks" / "任务分工表.docx"
PERIOD = Period(2022, 6)


@pytest.fixture(scope="session")
def seed_docx() -> Path:
    return SEED_DOCX


@pytest.fixture(scope="session")
def _session_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("template") / "ws"
    init_workspace(root, period="2022-06")
    return root


@pytest.fixture(scope="session")
def _session_issued(tmp_path_factory, _session_workspace) -> Path:
    """All 54 returns for 2022-06, issued once per session."""
    from toolkit.actions.issue import issue_returns

    root = tmp_path_factory.mktemp("issued") / "ws"
    shutil.copytree(_session_workspace, root)
    issue_returns(find_workspace(root), "2022-06")
    return root


@pytest.fixture
def ws(tmp_path, _session_workspace):
    """A fresh workspace (default master, period 2022-06), nothing issued."""
    root = tmp_path / "ws"
    shutil.copytree(_session_workspace, root)
    return find_workspace(root)


@pytest.fixture
def issued_ws(tmp_path, _session_issued):
    """A workspace whose 2022-06 returns are in 下发/2022年6月/."""
    root = tmp_path / "issued"
    shutil.copytree(_session_issued, root)
    return find_workspace(root)


@pytest.fixture
def collecting_on(monkeypatch):
    """Run what follows as on ``day`` (a `datetime.date`, at 18:00 in the workspace's zone; None:
    the real clock again):
    the ledger's collected_at and the workspace's clock, which date the replies to refused
    files and so the date a correction is asked for (`consolidate.reply_date`)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from toolkit.ledger import store
    from toolkit.workspace import Workspace

    real = store.now, Workspace.now

    def on(day):
        if day is None:  # the real clock again
            monkeypatch.setattr(store, "now", real[0])
            monkeypatch.setattr(Workspace, "now", real[1])
            return
        when = dt.datetime.combine(day, dt.time(18, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
        # the ledger writes the machine's wall time: this instant on the machine's clock
        monkeypatch.setattr(store, "now", lambda: when.astimezone().replace(tzinfo=None).isoformat(sep=" "))
        monkeypatch.setattr(Workspace, "now", lambda self: when.astimezone(self.tz))

    return on


def issued_path(ws, unit: str, period: Period = PERIOD) -> Path:
    return ws.root / "下发" / period.label / f"{period.label}_{unit}_进展填报表.xlsx"


@pytest.fixture
def make_return(issued_ws):
    """make_return(unit, filling=None, **answers) -> bytes of a filled return."""

    def make(unit: str, filling: Filling | None = None, **answers: Answer) -> bytes:
        filling = filling or Filling()
        filling.answers.update({k.replace("_", "."): v for k, v in answers.items()})
        return fill_return(issued_path(issued_ws, unit), filling)

    return make


def drop(ws, name: str, data: bytes, mtime: float | None = None) -> Path:
    """Put a file into the workspace inbox, with a chosen modification time."""
    import os

    path = ws.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def shanghai(moment) -> float:
    """A wall-clock time in the workspace's zone (duban.toml timezone, default Asia/Shanghai)
    as a file time stamp: what a department's PC in China would have written."""
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()


def on_time() -> float:
    """A modification time before the 2022-06 due date (2022-07-05)."""
    import datetime as dt

    return shanghai(dt.datetime(2022, 7, 4, 10, 0))


def late() -> float:
    import datetime as dt

    return shanghai(dt.datetime(2022, 7, 8, 9, 30))


class _GbkInfo(zipfile.ZipInfo):
    """Entry whose name is stored as GBK bytes with the UTF-8 flag off (Windows' 压缩)."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zip_bytes(entries: dict[str, bytes], gbk: bool = False) -> bytes:
    """A zip of ``entries``; gbk=True writes names as Windows' built-in compressor does."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            info = (_GbkInfo if gbk else zipfile.ZipInfo)(name, date_time=(2022, 7, 4, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def encrypted(data: bytes, password: str = "123456") -> bytes:
    """An Office file protected with a password to open, as Excel or WPS would save it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def rewrite_zip(data: bytes, edit=None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy an .xlsx, passing each part through ``edit(name, body)`` and adding ``add``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            z.writestr(info, edit(info.filename, body) if edit else body)
        for name, body in (add or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def with_macros(data: bytes) -> bytes:
    """The return as a department's .xlsm: a VBA project and a macro content type."""
    def edit(name: str, body: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return body
        return body.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml").replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')

    return rewrite_zip(data, edit, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                                    + b"Sub AutoOpen(): Shell \"calc\"" * 50})


def skip_unless_required(reason: str) -> None:
    """Skip for want of a system tool, or fail where DUBAN_REQUIRE_TOOLS=1 (CI sets it: there
    a missing tool is a broken install step, and a skip would let the suite pass untested)."""
    if os.environ.get("DUBAN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}（DUBAN_REQUIRE_TOOLS=1：.ci/run 应已安装）", pytrace=False)
    pytest.skip(reason)


#: Fixtures that drive LibreOffice: a test using one is marked ``libreoffice`` by itself, so
#: ``-m "not libreoffice"`` leaves it out even where nobody wrote the marker.
LIBREOFFICE_FIXTURES = frozenset({"lo"})


#: Slow tests in files whose owners mark their own tests: measured with --durations (2-core
#: machine, 2026-12), each over about 3 s. A node id here also covers all its parameters.
#: The owners may move these to @pytest.mark.slow; an entry that matches nothing is harmless.
SLOW_ELSEWHERE = (
    "tests/test_hostile.py::test_hostile_inbox_is_collected_safely",
    "tests/test_hostile.py::test_oversized_inbox_file_is_archived_without_reading_it_whole",
    "tests/test_hostile.py::test_hostile_file_is_refused_with_its_code[rows.xlsx-",
    "tests/test_hostile.py::test_formula_text_stays_text_in_every_output",
    "tests/test_hostile.py::test_formulas_links_and_macros_in_inputs_never_reach_outputs",
    "tests/test_issue.py::test_issue_writes_one_return_per_unit_with_its_tasks",
    "tests/test_merge.py::test_real_month_every_unit",
    "tests/test_merge.py::test_fast_rows_give_the_same_workbook_as_openpyxl",
    "tests/test_merge.py::test_rerun_gives_the_same_cell_values",
    "tests/test_properties.py::test_random_valid_fills_survive_collect_and_merge_exactly",
    "tests/test_properties.py::test_random_valid_fill_is_read_back_exactly",
    "tests/test_properties.py::test_random_damage_never_raises_from_collect",
    "tests/test_mail_send.py::test_killed_while_the_server_had_the_message_it_is_never_resent_blindly",
    "tests/test_mail_send.py::test_refused_recipients_and_a_full_mailbox_do_not_stop_the_rest",
    "tests/test_mail_send.py::test_send_per_minute_spaces_the_messages",
    "tests/test_mail_fetch.py::test_fetched_returns_collect_and_merge_like_mails_saved_by_hand",
    "tests/test_mail_fetch.py::test_fetch_killed_midway_then_rerun_fetches_each_message_exactly_once",
)

#: The quick loop's budget: ``pytest -m "not slow and not libreoffice"`` must finish in under
#: 60 s on two cores. It took 105-117 s; these tests each took 0.6-3.5 s there (--durations,
#: 2026-12-03), about 70 s together, mostly real subprocesses, servers and whole months
#: (six more of 1.1-2.0 s added on 2026-12-03 evening, when the loop had grown to 70 s;
#: seven more of 0.6-2.1 s that night, at 62-65 s with 1,181 tests).
#: They stay in CI's full run. A module's first test is not listed when its time is the
#: module fixture's, which the next test would pay instead.
SLOW_FOR_THE_QUICK_LOOP = (
    "tests/test_evidence.py::test_duban_status_shows_a_unit_that_sent_an_unreadable_file_as_to_fix",
    "tests/test_evidence.py::test_a_task_added_after_issue_never_names_its_unit_unreported",
    "tests/test_qa54_unit_names.py::test_issued_forms_and_drafts_have_names_windows_accepts_and_stay_in_their_folder",
    "tests/test_qa54_unit_names.py::test_a_unit_listed_twice_on_a_task_gets_it_once_and_its_return_is_taken",
    "tests/test_qa54_unit_names.py::test_reply_to_a_unit_named_with_a_slash_is_recorded_under_it_and_reminded_with_it",
    "tests/test_crash.py::test_second_run_refuses_while_the_first_holds_the_lock",
    "tests/test_percent_cells.py::test_an_ods_return_after_a_large_sheet_is_looked_up_without_building_that_sheet",
    "tests/test_crash.py::test_collect_killed_at_a_point_then_rerun",
    "tests/test_crash.py::test_two_collects_at_once_count_everything_once",
    "tests/test_crosscheck.py::test_july_every_place_agrees",
    "tests/test_crosscheck.py::test_june_after_bubao_every_place_agrees",
    "tests/test_crosscheck.py::test_june_every_place_agrees",
    "tests/test_crosscheck.py::test_owed_task_count_leaves_out_tasks_not_issued",
    "tests/test_desk.py::test_a_form_of_an_earlier_month_sent_again_keeps_the_current_period",
    "tests/test_desk.py::test_excel_console_workbook",
    "tests/test_desk.py::test_issue_makes_its_period_current_keeping_the_comments",
    "tests/test_desk.py::test_run_collects_merges_and_writes_the_memo",
    "tests/test_evidence.py::test_refused_file_named_after_a_unit_is_that_units_and_gets_a_reply",
    "tests/test_faults.py::test_a_damaged_ledger_is_one_chinese_line_not_an_internal_error",
    "tests/test_faults.py::test_a_lost_ledger_beside_an_archive_is_refused_not_read_as_nothing_received",
    "tests/test_faults.py::test_disk_full_during_collect",
    "tests/test_faults.py::test_file_size_limit_during_collect",
    "tests/test_faults.py::test_interrupt_during_the_worker_pool",
    "tests/test_faults.py::test_read_only_inbox_names_the_files_and_never_claims_them_removed",
    "tests/test_faults.py::test_run_fills_the_memo_itself_when_its_worker_dies",
    "tests/test_faults.py::test_run_whose_workbook_is_locked_stops_its_memo_worker",
    "tests/test_hostile.py::test_unpack_allowance_is_shared_by_zips_inside_zips",
    "tests/test_kit.py::test_registry_unreachable_blames_the_network",
    "tests/test_mail_fetch.py::test_login_checks_the_password_then_keeps_it_in_the_keyring",
    "tests/test_mail_fetch.py::test_oversized_message_is_refused_before_download",
    "tests/test_mail_fetch.py::test_quota_exceeded_while_moving_is_one_line_and_the_move_is_retried",
    "tests/test_mail_send.py::test_a_dropped_connection_is_reported_and_a_rerun_resumes_without_duplicates",
    "tests/test_mail_send.py::test_a_full_office_mailbox_loses_only_the_sent_copy",
    "tests/test_mail_send.py::test_a_unit_without_an_address_is_reported_not_sent",
    "tests/test_mail_send.py::test_dry_run_logs_in_and_sends_nothing",
    "tests/test_mail_send.py::test_send_issue_each_department_gets_exactly_its_own_return",
    "tests/test_mail_send.py::test_send_per_minute_with_the_real_clock",
    "tests/test_mail_send.py::test_send_remind_gives_a_unit_to_fix_its_own_marked_file",
    "tests/test_mail_send.py::test_smtp_faults_are_one_line_each",
    "tests/test_mail_send.py::test_the_office_copied_on_its_own_mail_does_not_fetch_it_as_a_return",
    "tests/test_mailservers.py::test_quota_exceeded_on_append_and_on_smtp_delivery",
    "tests/test_memo.py::test_next_months_deadline_is_the_one_its_forms_carry",
    "tests/test_merge.py::test_overview_figures_by_hand",
    "tests/test_properties.py::test_plain_address_shortcut_accepts_only_what_the_stdlib_accepts",
    "tests/test_properties.py::test_prefixed_sheet_extent_never_undercounts_what_calamine_allocates",
    "tests/test_properties.py::test_random_xml_damage_never_raises_from_check",
    "tests/test_properties.py::test_sheet_extent_never_undercounts_what_calamine_allocates",
    "tests/test_properties.py::test_short_and_long_texts_agree_on_every_character",
    "tests/test_qa52_mail_month.py::test_a_return_that_reached_the_mailbox_before_next_months_forms_went_out_is_fetched",
    "tests/test_renamed_units.py::test_b_july_history_and_checks_remember_june",
    "tests/test_renamed_units.py::test_renamed_without_alias_then_fixed_and_put_back_is_taken",
    "tests/test_scripts.py::test_shell_scripts_pass_shellcheck",
    "tests/test_summary_book_look.py::test_restyled_colour_reaches_cells_and_charts_alike",
    "tests/test_task_states.py::test_a_month_whose_forms_got_no_return_is_last_month_in_history",
    "tests/test_task_states.py::test_a_task_whose_lead_was_issued_no_form_is_not_said_to_have_no_lead",
    "tests/test_task_states.py::test_each_earlier_months_history_is_that_months_own_consolidation",
    "tests/test_task_states.py::test_last_months_history_is_not_rejudged_when_a_unit_is_added_since",
    "tests/test_verdicts.py::test_a_deadline_issued_with_due_decides_lateness",
    "tests/test_verdicts.py::test_a_form_issued_again_without_due_keeps_the_deadline_the_others_were_given",
    "tests/test_verdicts.py::test_last_months_form_after_that_month_was_merged_is_named_too",
    "tests/test_verdicts.py::test_the_issue_command_suggested_for_an_earlier_month_issues_that_month",
)


def _listed(nodeid: str, ids: tuple[str, ...]) -> bool:
    return any(nodeid == i or nodeid.startswith(i if i.endswith(("[", "-")) else i + "[") for i in ids)


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection reads the markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        if LIBREOFFICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.libreoffice)
        if _listed(item.nodeid, SLOW_ELSEWHERE + SLOW_FOR_THE_QUICK_LOOP):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def lo():
    """LibreOffice converter; skips only when LibreOffice truly is not installed."""
    if soffice() is None:
        skip_unless_required("LibreOffice (soffice) 未安装")
    from toolkit.office import convert

    return convert


@pytest.fixture
def run():
    """Invoke the CLI: run(args, cwd=None) -> click Result."""
    runner = CliRunner()

    def invoke(args: list[str], cwd: Path | None = None, input: str | None = None):
        import os

        old = os.getcwd()
        try:
            if cwd is not None:
                os.chdir(cwd)
            return runner.invoke(cli, args, input=input, catch_exceptions=False)
        finally:
            os.chdir(old)

    return invoke


def edit(data: bytes, change) -> bytes:
    """Open a return as a department would in Excel, change it, save."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def machine_tz(monkeypatch):
    """Set the machine's time zone for this process (as TZ=... would), restored afterwards."""
    if not hasattr(time, "tzset"):
        pytest.skip("tzset is POSIX only")

    def set_tz(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_tz
    monkeypatch.undo()
    time.tzset()
