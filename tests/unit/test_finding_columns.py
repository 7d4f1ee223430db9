"""Findings held as columns: what the columns give (JSON text, messages, alike shapes, report
order) is what the Finding objects give, on real studies and on hand-made hard cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import PILOT, SAMPLES

import trialguard
from trialguard.findings import Finding, FindingTable, Severity
from trialguard.findings_block import ColumnBlock
from trialguard.findings_json import json_plan
from trialguard.reporting import json as json_report
from trialguard.reporting import patterns
from trialguard.reporting.json import render_json


@pytest.fixture(scope="module")
def pilot():
    return trialguard.validate(PILOT, spec="sdtm", fail_on="never")


@pytest.fixture(scope="module")
def defects():
    return trialguard.validate(SAMPLES / "defects", spec="resolution", fail_on="never")


def column_blocks(report):
    blocks = [b for r in report.results for b in r.findings.blocks]
    assert all(isinstance(b, ColumnBlock) for b in blocks) and blocks
    return blocks


def block(values: dict, template: str, **given) -> ColumnBlock:
    """A hand-made block of findings of rule T-1 on AE, one per row of `values`."""
    frame = pd.DataFrame(values)
    size = len(frame)
    return ColumnBlock(
        rule_id="T-1",
        severity=Severity.ERROR,
        kind="test",
        domain="AE",
        variables=tuple(frame.columns[:1]),
        template=template,
        given=given,
        dataset_level=False,
        records=np.arange(1, size + 1),
        values=frame,
        subjects=pd.Series([f"S-{n % 3}" for n in range(size)], dtype=object),
        days=np.full(size, None, dtype=object),
        seqs=np.array([n + 1 for n in range(size)], dtype=object),
    )


def json_lines(block: ColumnBlock) -> list[str]:
    pattern, slots = json_plan(block)
    from trialguard.findings_text import joined

    return joined(pattern, slots, np.arange(len(block)))


@pytest.mark.parametrize("study", ["pilot", "defects"])
def test_each_findings_json_text_and_message_are_those_of_its_object(study, request):
    for found in column_blocks(request.getfixturevalue(study)):
        objects = [found.finding(p) for p in range(len(found))]
        expected = [json.dumps(f.to_dict(), ensure_ascii=False, allow_nan=False) for f in objects]
        assert json_lines(found) == expected
        assert found.messages(np.arange(len(found))) == [f.message for f in objects]


HARD_VALUES = {
    "AETERM": ["O'BRIEN'S SIGN", "50% of 'dose'", None, "1.5", 'é\u2028"x"', "{AETERM}"],
    "AESTDY": [1.0, -2.0, float("nan"), 1e300, float("inf"), 3.5],
}


def test_hard_values_fill_messages_and_json_as_the_object_does():
    """Quotes, percent signs, braces, non-ASCII and JSON-escaped characters, missing values,
    whole and huge floats and infinity, format specs and conversions, a parameter, a field
    the finding lacks and {value} (the single variable)."""
    template = "{value!r} '{AETERM}' day {AESTDY:>6} of {limit} {nowhere} 100%"
    found = block(HARD_VALUES, template, limit=28)
    objects = [found.finding(p) for p in range(len(found))]
    assert found.messages(np.arange(len(found))) == [f.message for f in objects]
    expected = [json.dumps(f.to_dict(), ensure_ascii=False, allow_nan=False) for f in objects]
    assert json_lines(found) == expected
    assert objects[2].message == "'(empty)' '(empty)' day (empty) of 28 {nowhere} 100%"


def test_a_template_reading_an_index_is_filled_whole():
    found = block({"AETERM": ["A", "B"]}, "{AETERM[0]} and {AETERM}")
    assert json_plan(found) is None
    assert found.messages(np.arange(2)) == ["A and A", "B and B"]


def test_booleans_beside_numbers_keep_their_kind():
    found = block({"FLAG": pd.Series([True, 1, 1.0, False], dtype=object)}, "{FLAG}")
    assert [found.finding(p).values["FLAG"] for p in range(4)] == [True, 1, 1, False]


@pytest.mark.parametrize("study", ["pilot", "defects"])
def test_alike_shapes_read_from_the_columns_are_the_messages_shapes(study, request, monkeypatch):
    monkeypatch.setattr(patterns, "BY_COLUMNS", 0)  # every block shaped from its columns
    for found in column_blocks(request.getfixturevalue(study)):
        messages = pd.Series(found.messages(np.arange(len(found))), dtype=object)
        expected = messages.str.replace(patterns.VARYING, "#", regex=True).tolist()
        assert patterns._shapes(found).tolist() == expected


def test_quotes_inside_values_pair_as_in_the_whole_message(monkeypatch):
    """A quote in one value re-pairs the template's quotes: such findings are shaped alone."""
    monkeypatch.setattr(patterns, "BY_COLUMNS", 0)
    found = block(
        {"AETERM": ["A", "O'B", "C", "X' and '1"], "AEDECOD": ["p", "q", "r", "s"]},
        "'{AETERM}' is '{AEDECOD}' 12.5",
    )
    messages = pd.Series(found.messages(np.arange(4)), dtype=object)
    expected = messages.str.replace(patterns.VARYING, "#", regex=True).tolist()
    assert patterns._shapes(found).tolist() == expected
    assert expected[0] == expected[2] != expected[1]


def test_the_report_lists_findings_in_sort_key_order(pilot):
    objects = [f for r in pilot.results for f in r.findings]
    assert list(pilot.findings()) == sorted(objects, key=Finding.sort_key)


def test_ties_on_everything_but_the_message_are_ordered_by_message():
    first = block({"AETERM": ["b", "a"]}, "{AETERM}")
    first.records[:] = 7
    first.subjects[:] = "S-0"
    table = FindingTable([first], ordered=True)
    assert [f.message for f in table] == ["a", "b"]


def test_the_json_report_streams_every_finding_without_making_objects(defects, monkeypatch):
    expected = [f.to_dict() for f in defects.findings()]

    def refuse(self, position):
        raise AssertionError("a Finding object was made")

    monkeypatch.setattr(ColumnBlock, "finding", refuse)
    monkeypatch.setattr(json_report, "BY_COLUMNS", 0)  # every block written from its columns
    written = json.loads(render_json(defects))
    assert written["findings"] == expected
    assert sum(r["findings"] for r in written["rules"]) == len(expected) > 0


def test_a_table_counts_subjects_history_and_waivers_from_its_columns(defects):
    table = defects.findings()
    frame = table.counting_frame()
    assert len(frame) == len(table)
    assert set(frame["usubjid"].dropna()) - {""} == table.subjects()
    marked = table.copy()
    marked.set_waiver(0, {"number": 1})
    marked.set_history(1, "new")
    assert marked.waived().sum() == 1 and len(marked.open()) == len(table) - 1
    assert marked.count_history("new") == 1 and table.count_history("new") == 0
