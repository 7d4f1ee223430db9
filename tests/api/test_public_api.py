"""The public API as a Python user meets it: nothing imported but `trialguard` (and the standard
library), and the example of the docs' Python API page run as written."""

import json
import re
import subprocess
import sys
from pathlib import Path

import trialguard

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data" / "resolution"


def documented_example() -> str:
    page = (ROOT / "docs" / "python-api.md").read_text(encoding="utf-8")
    block = page.split("<!-- api-example -->")[1]
    return re.search(r"```python\n(.*?)```", block, flags=re.S).group(1)


def test_the_documented_example_runs_as_written(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", documented_example()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "reject" in result.stdout
    assert (ROOT / "reports" / "api-example.html").is_file()


def test_validate_returns_the_finished_report_for_str_or_path(tmp_path):
    report = trialguard.validate(str(SAMPLES / "defects"), spec="resolution")
    again = trialguard.validate(SAMPLES / "defects", spec="resolution")
    assert report.verdict == again.verdict == "reject"
    frame = report.findings_frame()
    assert len(frame) == len(report.findings()) > 20
    assert {"rule_id", "severity", "domain", "record", "usubjid", "variables", "message"} <= set(
        frame.columns
    )
    age = frame[frame["rule_id"] == "RES-AGE"].iloc[0]
    assert (age["usubjid"], age["record"], age["kind"]) == ("ALLO-329-101-0115", 15, "age_range")
    written = json.loads(report.write_json(tmp_path / "r.json").read_text())
    assert written["verdict"] == "reject" and written["complete"] is True
    assert report.write_html(tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")


def test_clean_is_accepted_and_a_missing_dataset_is_incomplete(tmp_path):
    assert trialguard.validate(SAMPLES / "clean", spec="resolution").verdict == "accept"
    for name in ("dm.xpt", "ex.xpt", "ae.xpt"):
        (tmp_path / name).write_bytes((SAMPLES / "clean" / name).read_bytes())
    report = trialguard.validate(tmp_path, spec="resolution")
    assert report.verdict == "incomplete" and not report.complete
    assert [(m.dataset, m.reason) for m in report.missing] == [("DL", "not supplied")]


def test_unusable_input_raises_a_usage_error_naming_the_file(tmp_path):
    try:
        trialguard.validate(tmp_path / "nowhere", spec="resolution")
    except trialguard.UsageError as error:
        assert "nowhere" in str(error) and "no such file or folder" in str(error)
    else:
        raise AssertionError("no UsageError")


def test_options_are_checked_and_normalised_like_the_command_line():
    defects = SAMPLES / "defects"
    for bad in (
        {"timestamp": "soon"},
        {"encoding": "nope"},
        {"fail_on": "sometimes"},
        {"select": "SD-TYPO"},
        {"max_file_size": "lots"},
    ):
        try:
            trialguard.validate(defects, spec="resolution", **bad)
        except trialguard.UsageError:
            continue
        raise AssertionError(f"{bad} was accepted")
    report = trialguard.validate(
        defects,
        spec="resolution",
        select="SD-,RES-AGE",
        timestamp="2026-11-21T23:30:00-05:00",
        max_file_size="2G",
    )
    assert report.started == "2026-11-22T04:30:00Z"
    ran = {r.rule.id for r in report.results if r.status.value != "not_run"}
    assert "RES-AGE" in ran and "CT-INF-ONE" not in ran and "SD-CT" in ran
    assert "select=['SD-', 'RES-AGE']" in report.command


def test_validate_takes_the_paths_from_a_generator():
    folders = (path for path in [SAMPLES / "defects"])
    report = trialguard.validate(folders, spec="resolution")
    assert report.verdict == "reject"
    assert {i.dataset for i in report.inputs} >= {"DM", "EX", "AE"}
