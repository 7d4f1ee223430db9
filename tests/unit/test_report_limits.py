"""The HTML report lists a limit of findings per rule and says how many more the JSON holds;
JUnit lists at most a hundred lines a rule and says how many findings they leave out."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SAMPLES

import trialguard
from trialguard.reporting import junit
from trialguard.reporting.html import render_html
from trialguard.reporting.junit import render_junit


@pytest.fixture(scope="module")
def defects():
    return trialguard.validate(SAMPLES / "defects", spec="resolution", fail_on="never")


def payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="tg-data">(.*?)</script>', html, re.S)
    assert found, "the report's data block"
    return json.loads(found.group(1))


def test_the_html_lists_the_first_findings_of_each_rule_and_the_rest_are_counted(defects):
    per_rule = {r.rule.id: len(r.findings) for r in defects.results if r.findings}
    html = render_html(defects, per_rule=1)
    data = payload(html)
    listed = [row[1] for row in data["findings"]]
    assert sorted(listed) == sorted(per_rule)  # one row per rule
    cut = {rule: count - 1 for rule, count in per_rule.items() if count > 1}
    assert data["more"] == cut and data["total"] == sum(per_rule.values())
    note = re.search(r'<p class="cut-note" id="cut-note">(.*?)</p>', html, re.S).group(1)
    for rule, more in cut.items():
        assert f"<code>{rule}</code> 1 of {more + 1:,}, <b>{more:,} more in the JSON</b>" in note


def test_the_html_without_a_limit_lists_every_finding(defects):
    data = payload(render_html(defects, per_rule=None))
    assert len(data["findings"]) == len(defects.findings()) and data["more"] == {}
    assert 'id="cut-note"' not in render_html(defects, per_rule=None)


def test_junit_lists_a_limit_of_lines_per_rule_and_counts_the_rest(defects, monkeypatch):
    monkeypatch.setattr(junit, "LINES_PER_RULE", 2)
    text = render_junit(defects)
    result = max((r for r in defects.results), key=lambda r: len(r.findings))
    lines = junit.summarised(result.open_findings)
    assert len(lines) == 3 and lines[-1].endswith("more finding(s) in the JSON report")
    left = int(re.match(r"\.\.\. ([\d,]+) more", lines[-1]).group(1).replace(",", ""))
    assert left == len(result.open_findings) - 2  # none of the sample's rules is systematic
    assert lines[-1] in text
