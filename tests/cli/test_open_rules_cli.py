"""`--open-rules DIR` on the command line: the rules run beside the spec's, are selected by
CORE or CG id, listed by `trialguard rules`, recorded with the folder's SHA-256 and verified."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES

RULE = """\
Authorities:
  - Organization: CDISC
    Standards:
      - Name: SDTMIG
        References:
          - Origin: SDTM and SDTMIG Conformance Rules
            Rule Identifier: {Id: CG9001, Version: "1"}
            Version: "2.0"
        Version: "3.4"
Check:
  all:
    - name: AESER
      operator: equal_to
      value: "Y"
Core: {Id: CORE-900001, Status: Published, Version: "1"}
Description: Raise an error when AESER is Y.
Executability: Fully Executable
Outcome: {Message: AESER is Y., Output Variables: [AESER, AETERM]}
Rule Type: Record Data
Scope:
  Classes: {Include: [ALL]}
  Domains: {Include: [AE]}
Sensitivity: Record
"""


def trialguard(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "trialguard", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def rule_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "open-rules" / "Published" / "CORE-900001"
    folder.mkdir(parents=True)
    (folder / "rule.yml").write_text(RULE)
    return tmp_path / "open-rules"


def test_an_open_rule_runs_by_its_cg_id_and_its_folder_is_verified(tmp_path):
    rules = rule_folder(tmp_path)
    out = tmp_path / "report.json"
    html, junit, xlsx = tmp_path / "r.html", tmp_path / "r.xml", tmp_path / "r.xlsx"
    run = trialguard(
        "validate",
        str(SAMPLES / "clean"),
        "--spec",
        "resolution",
        "--open-rules",
        str(rules),
        "--select",
        "CG9001",
        "--json",
        str(out),
        "--html",
        str(html),
        "--junit",
        str(junit),
        "--xlsx",
        str(xlsx),
        "--fail-on",
        "never",
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text())
    result = next(r for r in report["rules"] if r["id"] == "CORE-900001")
    findings = [f for f in report["findings"] if f["rule_id"] == "CORE-900001"]
    aeser = [f for f in findings if f["values"].get("AESER") == "Y"]
    assert result["status"] == "failed" and findings and len(aeser) == len(findings)
    assert {f["message"] for f in findings} == {"AESER is Y."}
    for written in (html, junit):
        text = written.read_text()
        assert "CORE-900001" in text and "AESER is Y." in text
    assert xlsx.stat().st_size > 0
    role = next(f for f in report["files"] if f["role"] == "open-rules")
    assert len(role["sha256"]) == 64
    assert trialguard("verify", str(out)).returncode == 0
    (rules / "Published" / "CORE-900001" / "rule.yml").write_text(RULE.replace("Y.", "Y!"))
    changed = trialguard("verify", str(out))
    assert changed.returncode != 0 and "open-rules" in changed.stdout + changed.stderr


def test_rules_lists_the_open_rules_with_their_text_and_cg_ids(tmp_path):
    run = trialguard("rules", "--spec", "sdtm", "--open-rules", str(rule_folder(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert "CORE-900001" in run.stdout and "Raise an error when AESER is Y." in run.stdout
    assert "also selected as: CG9001" in run.stdout


def test_a_folder_without_rules_is_exit_2_naming_it(tmp_path):
    run = trialguard(
        "validate", str(SAMPLES / "clean"), "--spec", "resolution", "--open-rules", str(tmp_path)
    )
    assert run.returncode == 2 and "no rule.yml" in run.stderr and str(tmp_path) in run.stderr
