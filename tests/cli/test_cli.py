"""The command line through a real subprocess: one test per exit code, and the outputs."""

import json
import os
import re
import subprocess
import sys

from conftest import ROOT, SAMPLES

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def trialguard(*args, cwd=ROOT, code=None):
    command = [sys.executable, "-m", "trialguard", *map(str, args)]
    if code:
        command = [sys.executable, "-c", code, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=ENV, timeout=120)


def test_exit_0_on_the_clean_sample_with_a_summary():
    result = trialguard("validate", SAMPLES / "clean", "--spec", "resolution")
    assert result.returncode == 0, result.stderr
    assert "Verdict: ACCEPT" in result.stdout and "DM 16 records" in result.stdout


def test_exit_1_on_defects_and_the_json_contract(tmp_path):
    out = tmp_path / "r.json"
    result = trialguard("validate", SAMPLES / "defects", "--spec", "resolution", "--json", out)
    assert result.returncode == 1
    report = json.loads(out.read_text())
    assert set(report) >= {"tool", "run", "spec", "inputs", "summary", "rules", "findings"}
    assert report["tool"]["name"] == "trialguard" and report["spec"]["id"] == "resolution"
    assert report["run"]["started"].endswith("Z") and len(report["spec"]["sha256"]) == 64
    assert {i["dataset"]: i["records"] for i in report["inputs"]}["AE"] == 15
    # the planted defects, and the IG gaps every sample has (conftest.SAMPLE_IG_GAPS: ten
    # MedDRA variables SD-EXP-VAR warns of, EX VISITNUM that SD-MODEL-ADDED notes)
    assert report["summary"] == {"error": 37, "warning": 12, "notice": 2}
    finding = report["findings"][0]
    assert set(finding) == {
        "kind",
        "context",
        "rule_id",
        "severity",
        "domain",
        "usubjid",
        "record",
        "line",
        "variables",
        "values",
        "message",
        "protocol_day",
        "seq",
        "history",
        "waiver",
    }
    keys = [(f["rule_id"], f["domain"] or "", f["record"] or -1) for f in report["findings"]]
    assert keys == sorted(keys)


def test_fail_on_controls_the_gate():
    args = ("validate", SAMPLES / "defects", "--spec", "resolution", "--quiet")
    assert trialguard(*args, "--fail-on", "never").returncode == 0
    assert trialguard(*args, "--fail-on", "warning").returncode == 1


def test_exit_2_on_unreadable_input_names_the_file(tmp_path):
    (tmp_path / "dm.xpt").write_text("not xpt at all")
    result = trialguard("validate", tmp_path, "--spec", "sdtm")
    assert result.returncode == 2
    assert "dm.xpt" in result.stderr and "Traceback" not in result.stderr


def test_exit_2_on_a_malformed_spec_names_file_and_rule(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "id: bad\nversion: '1'\ntitle: B\nrules:\n  - {id: X-1, kind: nope, severity: error,"
        " description: d, source: s}\n"
    )
    result = trialguard("validate", SAMPLES / "clean", "--spec", spec)
    assert result.returncode == 2
    assert (
        "bad.yaml" in result.stderr
        and "X-1" in result.stderr
        and "unknown rule kind" in result.stderr
    )


def test_exit_2_on_a_missing_path():
    result = trialguard("validate", "no/such/folder", "--spec", "sdtm")
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_exit_3_on_an_internal_error_apologises_and_keeps_the_traceback_out_of_sight():
    code = (
        "import sys, trialguard.cli as cli, trialguard.pipeline as pipeline\n"
        "def boom(*a, **k): raise RuntimeError('planted fault')\n"
        "pipeline.validate = boom\n"
        "sys.exit(cli.main(sys.argv[1:]))"
    )
    result = trialguard("validate", SAMPLES / "clean", "--spec", "sdtm", code=code)
    assert result.returncode == 3
    assert "sorry" in result.stderr and "Traceback" not in result.stderr
    log = result.stderr.rsplit("written to ", 1)[1].strip()
    assert "planted fault" in open(log).read()


def test_rules_lists_ids_sources_and_origins():
    result = trialguard("rules", "--spec", "resolution")
    assert result.returncode == 0
    assert (
        "RES-LD-WIN" in result.stdout
        and "from sdtm" in result.stdout
        and "[assumed]" in result.stdout
    )


def test_rules_states_the_protocol_facts_first():
    lines = trialguard("rules", "--spec", "ab-101").stdout.splitlines()
    assert lines[1:4] == [
        "Day 0: the EX record of AB-101 [assumed]",
        "DLT window: Day 0 to Day 28 [assumed]",
        "Disease: MH records of MHCAT = PRIMARY DIAGNOSIS [assumed]",
    ]
    assert (
        "  RA: DAS28-ESR in RS (RSCAT DAS28-ESR, score RSTESTCD DAS28ESR); responder DASRESP: "
        "score < 2.6 [assumed]"
    ) in lines


def test_html_report_is_self_contained(tmp_path):
    out = tmp_path / "r.html"
    assert (
        trialguard(
            "validate", SAMPLES / "defects", "--spec", "resolution", "--html", out
        ).returncode
        == 1
    )
    html = out.read_text()
    assert "CT-DLT-WIN" in html and "ALLO-329-101-0106" in html
    # The only address in the file is the SVG namespace, an identifier that is never fetched.
    assert set(re.findall(r"https?://[^\s\"']+", html)) == {"http://www.w3.org/2000/svg"}
    assert "<link" not in html and "url(" not in html and " src=" not in html
