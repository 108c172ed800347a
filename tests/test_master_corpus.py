"""Issue 13: real published task-allocation documents import right, or are refused with one line.

Each file in tests/corpus/masters/ (see its README for the sources) has an ``.expected.json``
written by hand from the source: every task's id, group, name, text and deadline, its leads
and supports as the document names them (group phrases included), the groups, the organiser.
No directory is given, as for a new user: units are taken as written, groups stay unexpanded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit import errors
from toolkit.master import import_master
from toolkit.vocab import Role

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
EXPECTED = sorted(CORPUS.glob("*.expected.json"))


def _document(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    found = [p for p in CORPUS.glob(stem + ".*") if p.suffix in (".docx", ".xlsx")]
    assert len(found) == 1, stem
    return found[0]


def _load(expected: Path) -> dict:
    return json.loads(expected.read_text(encoding="utf-8"))


USABLE = [e for e in EXPECTED if not _load(e).get("unusable")]
UNUSABLE = [e for e in EXPECTED if _load(e).get("unusable")]

# Documents the importer still reads wrong, kept with what a careful reader takes from them.
KNOWN_WRONG: dict[str, str] = {}


def _marked(expected: Path):
    why = KNOWN_WRONG.get(expected.name.removesuffix(".expected.json"))
    return pytest.param(expected, marks=pytest.mark.xfail(strict=True, reason=why)) if why else expected


def test_the_corpus_is_what_the_issue_asks_for():
    """At least 8 real documents, other places and years, Word and Excel, 4+ layouts."""
    specs = [_load(e) for e in USABLE]
    sources = {s["source"].split(" ")[0] for s in specs}
    assert len(sources) >= 8
    assert {s["format"] for s in specs} == {"docx", "xlsx"}
    assert len({s["year"] for s in specs if s["year"]}) >= 4
    assert len({s["place"] for s in specs}) >= 8
    assert len({s["layout"] for s in specs}) >= 4
    assert all(s["tasks"] for s in specs)


@pytest.fixture(scope="module")
def imported():
    return {e.name: import_master(_document(e)) for e in USABLE}


@pytest.mark.parametrize("expected", [_marked(e) for e in USABLE],
                         ids=lambda p: p.name.removesuffix(".expected.json"))
def test_document_imports_as_published(expected, imported):
    spec = _load(expected)
    master = imported[expected.name]
    assert [t.id for t in master.tasks] == [t["id"] for t in spec["tasks"]]
    for want, task in zip(spec["tasks"], master.tasks):
        named = master.report.named[task.id]
        got = {
            "group": task.level2 or task.level1,
            "name": task.name,
            "text": task.content,
            "deadline": task.deadline_text,
            "leads": [n for n, r in named if r == Role.LEAD],
            "supports": [n for n, r in named if r == Role.COOP],
        }
        assert got == {k: want[k] for k in got}, task.id
    assert master.organiser == spec["organiser"]
    assert master.report.has_deadline_column is spec["has_deadline_column"]
    assert sorted(master.report.groups) == sorted(spec["groups"])


@pytest.mark.parametrize("expected", USABLE, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_groups_are_flagged_never_made_units(expected, imported):
    spec = _load(expected)
    master = imported[expected.name]
    units = {a.unit for a in master.assignments}
    assert not units & set(spec["groups"])
    flagged = {i.message.split("”")[0].lstrip("“") for i in master.issues if i.code == "M108"}
    assert flagged == set(spec["groups"])
    # A task whose only leads are unexpanded groups is reported as having none.
    leadless = {t.id for t in master.tasks if not master.units_of(t.id, Role.LEAD)}
    assert leadless == {i.task for i in master.issues if i.code == "M106"}


@pytest.mark.parametrize("expected", USABLE, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_a_column_nothing_reads_is_said_once(expected, imported):
    """推进情况, 推广范围 or 目标类型 beside the tasks: in no task, so said (M115), each once."""
    said = []
    for i in imported[expected.name].issues:
        if i.code == "M115":
            m = re.match(r"(?P<place>第[^“]+)“(?P<label>[^”]+)”没有导入.*该列 (?P<count>\d+) 项任务", i.message)
            said.append([m["place"], m["label"], int(m["count"])])
    assert said == _load(expected).get("unread_columns", [])


@pytest.mark.parametrize("expected", UNUSABLE, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_unusable_document_is_refused_in_one_chinese_line(expected):
    spec = _load(expected)
    with pytest.raises(errors.NotAMasterList) as caught:
        import_master(_document(expected))
    message = str(caught.value)
    assert "\n" not in message
    for part in spec["expected_refusal"]:
        assert part in message


def test_sources_name_every_document():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for e in EXPECTED:
        assert _document(e).name in readme
        assert _load(e)["source"].split(" ")[0] in readme
