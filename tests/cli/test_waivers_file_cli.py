"""A waivers file through the real command line: a mistyped rule id stops the run (exit 2) as a
mistyped --select does; an empty file waives nothing and changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, SAMPLES


def trialguard(*args):
    return subprocess.run(
        [sys.executable, "-m", "trialguard", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )


def test_a_mistyped_rule_id_in_a_waiver_stops_the_run_naming_file_line_and_nearest_id(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  # the rule is SD-STEN\n"
        "  - {rule: SD-STEM, subject: ALLO-329-101-0114, reason: r, approver: a,"
        " expires: 2099-01-01}\n"
    )
    result = trialguard(
        "validate", SAMPLES / "defects", "--spec", "resolution", "--waivers", waivers
    )
    assert result.returncode == 2, result.stderr
    assert f"{waivers}: line 3, waivers.0.rule: SD-STEM: no rule of the run" in result.stderr
    assert "did you mean SD-STEN?" in result.stderr and "Traceback" not in result.stderr


def test_an_empty_waivers_file_waives_nothing(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("# no waivers yet\n")
    out = tmp_path / "r.json"
    args = ["validate", SAMPLES / "defects", "--spec", "resolution", "--json", out]
    without = trialguard(*args)
    findings = json.loads(out.read_text())["summary"]
    with_empty = trialguard(*args, "--waivers", waivers)
    report = json.loads(out.read_text())
    assert with_empty.returncode == without.returncode == 1, with_empty.stderr
    assert report["waivers"] == [] and report["summary"] == findings
    statuses = {r["id"]: r["status"] for r in report["rules"] if r["id"].startswith("WAIVER-")}
    assert statuses == {"WAIVER-EXPIRED": "passed", "WAIVER-UNUSED": "passed"}
