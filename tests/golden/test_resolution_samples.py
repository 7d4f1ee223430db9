"""Golden tests: the clean sample gives no finding; the defects sample exactly the planted ones."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PILOT, ROOT, SAMPLES

from trialguard.readers import read_study
from trialguard.runner import run_validation
from trialguard.spec.loader import load_spec


def run(folder: Path, spec: str = "resolution"):
    return run_validation(read_study([folder]), load_spec(spec))


def planted() -> set[tuple]:
    listing = json.loads((SAMPLES / "expected_defects.json").read_text())
    return {(e["rule_id"], e["usubjid"], tuple(e["variables"])) for e in listing}


def test_clean_sample_has_no_finding_and_every_rule_ran():
    report = run(SAMPLES / "clean")
    assert report.findings() == [] and report.not_evaluable() == []
    assert {r.status for r in report.results} == {"passed"}


@pytest.mark.parametrize("folder", ["defects", "defects-csv"])
def test_defects_sample_gives_exactly_the_planted_findings(folder):
    report = run(SAMPLES / folder)
    found = {(f.rule_id, f.usubjid, f.variables) for f in report.findings()}
    assert found == planted()


def test_every_resolution_rule_has_a_planted_defect():
    rules = {r.rule.id for r in load_spec("resolution").rules}
    assert rules == {rule for rule, _, _ in planted()}


def test_every_record_read_is_accounted_for():
    report = run(SAMPLES / "defects")
    assert {i.dataset: i.records for i in report.inputs} == {"DM": 16, "EX": 58, "AE": 13, "DL": 3}


def test_sample_files_are_current(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "sample_data" / "generate.py"), str(tmp_path)], check=True
    )
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(ROOT / "sample_data") for p in SAMPLES.rglob("*") if p.is_file()
    )
    assert made == committed
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (
            ROOT / "sample_data" / relative
        ).read_bytes(), relative


@pytest.mark.skipif(
    not PILOT.is_dir(), reason="shared/external/cdiscpilot01 not beside the checkout"
)
def test_cdisc_pilot_reads_every_record_and_finds_its_known_quirks():
    report = run(PILOT, spec="sdtm")
    assert {i.dataset: i.records for i in report.inputs} == {"DM": 306, "EX": 591, "AE": 1191}
    assert not [r for r in report.results if r.status == "error"]
    found = {(f.rule_id, f.domain, f.usubjid, f.variables) for f in report.findings()}
    assert found == {
        ("SD-EXP-VAR", "DM", None, ("ARMNRS",)),  # SDTMIG 3.1.2 data: ARMNRS did not exist yet
        ("SD-DY", "AE", "01-716-1063", ("AESTDY", "AESTDTC")),  # AESTDY 366 for AESTDTC = RFSTDTC
    }
