"""Systematic findings read as one line in the terminal, JUnit and the HTML triage; the JSON
keeps every finding."""

from __future__ import annotations

import json

from conftest import make_ae, make_dm, subject

from trialguard.pipeline import validate_study
from trialguard.readers.study import Study
from trialguard.reporting.html import render_html
from trialguard.reporting.json import render_json
from trialguard.reporting.junit import render_junit
from trialguard.reporting.lines import render_text
from trialguard.reporting.patterns import SYSTEMATIC, patterns
from trialguard.spec.loader import load_spec


def report_with(alike: int):
    dm = make_dm(*({"USUBJID": subject(n), "SUBJID": str(n)} for n in range(1, 4)))
    rows = [
        {"USUBJID": subject(1 + n % 3), "AEBODSYS": "CARDIAC", "AEBDSYCD": ""} for n in range(alike)
    ]
    rows.append({"USUBJID": subject(1), "AEDECOD": "Nausea", "AEPTCD": "1"})
    ae = make_ae(*rows)
    study = Study({"DM": dm, "AE": ae})
    return validate_study(study, load_spec("sdtm"), fail_on="error")


def test_alike_findings_collapse_to_one_line_with_count_and_example():
    report = report_with(SYSTEMATIC + 2)
    result = report.rule("SD-BDSYCD")
    assert len(result.findings) == SYSTEMATIC + 2
    text = [line for line in render_text(report).splitlines() if "SD-BDSYCD" in line]
    assert text == [
        f"error   SD-BDSYCD                {SYSTEMATIC + 2} alike in AE, 3 subjects, e.g. AE "
        f"record 1 {subject(1)}: AEBODSYS is 'CARDIAC', but AEBDSYCD is empty"
    ]
    junit = render_junit(report)
    assert f"{SYSTEMATIC + 2} alike in AE, 3 subjects, e.g. AE record 1" in junit
    assert "Systematic findings" in render_html(report)
    data = json.loads(render_json(report))
    assert sum(f["rule_id"] == "SD-BDSYCD" for f in data["findings"]) == SYSTEMATIC + 2


def test_a_few_alike_findings_stay_one_line_each():
    report = report_with(SYSTEMATIC - 1)
    text = [line for line in render_text(report).splitlines() if "SD-BDSYCD" in line]
    assert len(text) == SYSTEMATIC - 1 and "alike" not in text[0]
    assert "Systematic findings" not in render_html(report)


def test_findings_are_alike_apart_from_numbers_and_quoted_values():
    findings = report_with(3).rule("SD-BDSYCD").findings
    assert [len(p.findings) for p in patterns(findings)] == [3]
