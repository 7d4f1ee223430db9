"""Two RESOLUTION transfers: exactly the planted changes, and the finding history between them."""

from __future__ import annotations

import sys

import pytest
from conftest import SAMPLE_DATA, SAMPLE_IG_GAPS, SAMPLES

from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.reporting.html import render_html
from trialguard.reporting.json import build_json, render_json
from trialguard.spec.loader import load_spec

sys.path.insert(0, str(SAMPLE_DATA))
from transfers import CHANGES  # noqa: E402

FIRST, SECOND = SAMPLES / "defects", SAMPLES / "transfer-2"
FIXED = {("RES-AGE", "ALLO-329-101-0115"), ("SD-CT", "ALLO-329-101-0105")}


def second_against(previous):
    spec = load_spec("resolution")
    return validate_study(read_study([SECOND]), spec, previous=previous)


@pytest.fixture(scope="module")
def compared():
    return build_json(second_against(FIRST))


def listed(comparison):
    """The comparison as (what, dataset, USUBJID, --SEQ, variables) like transfers.CHANGES."""
    found = []
    for name, dataset in comparison["datasets"].items():
        for kind in ("added", "removed"):
            found += [(kind, name, e["usubjid"], e["seq"], []) for e in dataset[kind]]
        found += [
            ("changed", name, e["usubjid"], e["seq"], sorted(e["changes"]))
            for e in dataset["changed"]
        ]
    return sorted(found)


def test_the_comparison_finds_exactly_the_planted_changes(compared):
    comparison = compared["comparison"]
    assert comparison["records_compared"] is True
    assert listed(comparison) == sorted(CHANGES)
    assert comparison["subjects_added"] == ["ALLO-329-101-0118", "ALLO-329-101-0119"]
    assert comparison["subjects_removed"] == []
    datasets = comparison["datasets"]
    counts = {n: (d["records_before"], d["records_after"]) for n, d in datasets.items()}
    assert counts == {
        "AE": (15, 14),
        "DL": (3, 3),
        "DM": (17, 19),
        "EX": (60, 60),
        "SUPPAE": (13, 13),
    }


def test_the_moved_infusion_is_a_critical_change(compared):
    assert compared["comparison"]["critical_changes"] == [
        {
            "what": "Day 0 date",
            "dataset": "EX",
            "usubjid": "ALLO-329-101-0109",
            "seq": 5,
            "variable": "EXSTDTC",
            "before": "2025-09-24",
            "after": "2025-09-23",
        }
    ]


def test_the_lost_ae_record_is_an_error_finding(compared):
    lost = [f for f in compared["findings"] if f["rule_id"] == "TRANSFER-REMOVED-RECORD"]
    assert [(f["domain"], f["usubjid"], f["seq"], f["severity"]) for f in lost] == [
        ("AE", "ALLO-329-101-0101", 1, "error")
    ]
    rules = {r["id"]: r["status"] for r in compared["rules"]}
    assert rules["TRANSFER-REMOVED-SUBJECT"] == "passed"


def test_fixed_defects_are_resolved_and_the_rest_persist(compared):
    history = compared["comparison"]["findings"]
    resolved = {(f["rule_id"], f["usubjid"]) for f in compared["comparison"]["resolved_findings"]}
    assert resolved == FIXED
    checked = [f for f in compared["findings"] if not f["rule_id"].startswith("TRANSFER-")]
    # AE records were renumbered by the lost record; keys, not numbers, match them.  The new
    # findings: the moved Day 0 infusion leaves that subject's DM.RFXENDTC stale, and the lost
    # AE record leaves its SUPPAE qualifier without a parent.
    new = [(f["rule_id"], f["history"]) for f in checked if f["history"] != "persisting"]
    assert new == [("SD-RFXEN", "new"), ("SD-SUPP-PARENT", "new")]
    checked = [f for f in checked if f["history"] == "persisting"]
    transfer = [f for f in compared["findings"] if f["rule_id"].startswith("TRANSFER-")]
    assert {f["history"] for f in transfer} == {"new"}  # the lost AE record
    assert history == {"new": len(transfer) + 2, "persisting": len(checked), "resolved": 2}
    # 35 planted, 3 dosed at DL2-FC after it stopped, and the 11 IG gaps every sample has
    # (conftest.SAMPLE_IG_GAPS)
    assert len(checked) == 38 + 11


def test_a_new_defect_is_new(tmp_path):
    """Against the clean sample every finding of the defects sample is new."""
    spec = load_spec("resolution")
    report = validate_study(read_study([FIRST]), spec, previous=SAMPLES / "clean")
    data = build_json(report)
    checked = [f for f in data["findings"] if not f["rule_id"].startswith("TRANSFER-")]
    gaps = [f for f in checked if (f["rule_id"], tuple(f["variables"])) in SAMPLE_IG_GAPS]
    assert {f["history"] for f in checked if f not in gaps} == {"new"}
    assert {f["history"] for f in gaps} == {"persisting"}  # the clean sample has them too
    assert data["comparison"]["findings"]["resolved"] == 0


def test_a_previous_json_report_gives_the_history_but_no_record_comparison(tmp_path):
    first = tmp_path / "first.json"
    first.write_text(render_json(validate_study(read_study([FIRST]), load_spec("resolution"))))
    data = build_json(second_against(first))
    assert data["comparison"]["records_compared"] is False
    assert "holds findings but no records" in data["comparison"]["why_not"]
    resolved = {(f["rule_id"], f["usubjid"]) for f in data["comparison"]["resolved_findings"]}
    assert resolved == FIXED
    assert data["files"][0]["role"] == "previous"


def test_the_html_report_shows_the_comparison():
    html = render_html(second_against(FIRST))
    assert 'id="comparison"' in html and "Day 0 date" in html and "2025-09-23" in html
    assert "ALLO-329-101-0118" in html and "resolved" in html
