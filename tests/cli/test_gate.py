"""The gate: a transfer without a required dataset, or whose protocol rule did not run, is never
accepted (exit 2, verdict incomplete in every output); rules can be chosen and allowed."""

import json
import shutil
import xml.etree.ElementTree as ET

import pyreadstat
import pytest
from conftest import SAMPLES
from test_cli import trialguard

CLEAN = SAMPLES / "clean"
# An override restates the rule's kind, severity, description and source.
AGE_RULE = "id: RES-AGE, kind: age_range, severity: error, description: d, source: s"


def copy_of(tmp_path, *names):
    folder = tmp_path / "transfer"
    folder.mkdir()
    for name in names:
        shutil.copy(CLEAN / name, folder / name)
    return folder


def outputs(tmp_path):
    return [
        "--json",
        tmp_path / "r.json",
        "--html",
        tmp_path / "r.html",
        "--junit",
        tmp_path / "r.xml",
    ]


@pytest.mark.parametrize("kept", [("dm.xpt", "ex.xpt", "ae.xpt"), ("dm.xpt",)])
def test_a_transfer_missing_a_required_dataset_is_incomplete_everywhere(tmp_path, kept):
    folder = copy_of(tmp_path, *kept)
    result = trialguard("validate", folder, "--spec", "resolution", *outputs(tmp_path))
    assert result.returncode == 2, result.stdout
    assert "the spec requires DL: not supplied" in result.stderr
    assert "Verdict: INCOMPLETE" in result.stdout and "ACCEPT" not in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["verdict"] == "incomplete" and report["complete"] is False
    assert {"dataset": "DL", "reason": "not supplied"} in report["missing"]
    assert report["spec"]["requires"] == ["DM", "EX", "AE", "DL"]
    html = (tmp_path / "r.html").read_text()
    assert 'id="missing"' in html and ">Incomplete" in html
    cases = ET.parse(tmp_path / "r.xml").getroot().iter("testcase")
    missing = [c for c in cases if c.get("name") == "required dataset DL"]
    assert missing and missing[0].find("error").get("type") == "missing"


def test_an_unreadable_required_dataset_is_missing_too(tmp_path):
    folder = copy_of(tmp_path, "dm.xpt", "ex.xpt", "ae.xpt")
    (folder / "dlt.xpt").write_bytes(b"")
    result = trialguard("validate", folder, "--spec", "resolution", "--json", tmp_path / "r.json")
    assert result.returncode == 2
    (entry,) = json.loads((tmp_path / "r.json").read_text())["missing"]
    assert entry["dataset"] == "DL" and entry["reason"].startswith("could not be read")


def test_the_sdtm_spec_requires_only_dm(tmp_path):
    folder = copy_of(tmp_path, "dm.xpt")
    result = trialguard("validate", folder, "--spec", "sdtm")
    assert result.returncode == 0 and "Verdict: ACCEPT" in result.stdout


def without_age(tmp_path):
    """The clean transfer with DM as CSV lacking AGE: RES-AGE cannot run."""
    folder = copy_of(tmp_path, "ex.xpt", "ae.xpt", "dlt.xpt")
    dm, _ = pyreadstat.read_xport(CLEAN / "dm.xpt")
    dm.drop(columns=["AGE"]).to_csv(folder / "dm.csv", index=False)
    return folder


def test_a_protocol_rule_that_did_not_run_makes_the_transfer_incomplete(tmp_path):
    folder = without_age(tmp_path)
    out = tmp_path / "r.json"
    result = trialguard("validate", folder, "--spec", "resolution", "--json", out)
    assert result.returncode == 2, result.stdout
    assert "protocol rule RES-AGE did not run: DM lacks AGE" in result.stderr
    report = json.loads(out.read_text())
    assert report["verdict"] == "incomplete" and report["complete"] is True
    assert "RES-AGE" in report["verdict_reason"]


def test_allow_not_run_accepts_a_rule_that_could_not_run(tmp_path):
    folder = without_age(tmp_path)
    out = tmp_path / "r.json"
    result = trialguard(
        "validate", folder, "--spec", "resolution", "--allow-not-run", "RES-AGE", "--json", out
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rule = {r["id"]: r for r in json.loads(out.read_text())["rules"]}["RES-AGE"]
    assert rule["status"] == "not_run" and rule["excused"] == "allowed with --allow-not-run"


def test_an_optional_rule_of_the_spec_may_stay_not_run(tmp_path):
    folder = without_age(tmp_path)
    spec = tmp_path / "trial.yml"
    spec.write_text(
        "id: trial\nversion: '1'\ntitle: t\nextends: [resolution]\nrules:\n"
        f"  - {{{AGE_RULE}, override: true, optional: true}}\n"
    )
    result = trialguard("validate", folder, "--spec", spec)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ignore_and_select_choose_rules_and_are_listed_as_not_run(tmp_path):
    out = tmp_path / "r.json"
    result = trialguard(
        "validate",
        SAMPLES / "defects",
        "--spec",
        "resolution",
        "--ignore",
        "SD-,RES-ESC",
        "--json",
        out,
    )
    assert result.returncode == 1
    rules = {r["id"]: r for r in json.loads(out.read_text())["rules"]}
    assert rules["SD-CT"]["status"] == "not_run" and rules["SD-CT"]["reason"] == (
        "deselected (--ignore SD-)"
    )
    assert rules["RES-ESC"]["excused"] and rules["RES-AGE"]["status"] == "failed"
    result = trialguard(
        "validate",
        SAMPLES / "defects",
        "--spec",
        "resolution",
        "--select",
        "protocol",
        "--json",
        out,
    )
    rules = {r["id"]: r for r in json.loads(out.read_text())["rules"]}
    assert rules["RES-AGE"]["status"] == "failed" and rules["SD-CT"]["status"] == "not_run"
    assert json.loads(out.read_text())["verdict"] == "reject"


def test_a_selection_that_names_no_rule_is_refused(tmp_path):
    result = trialguard("validate", CLEAN, "--spec", "resolution", "--select", "SD-TYPO")
    assert (
        result.returncode == 2 and "--select SD-TYPO: no rule of spec resolution" in result.stderr
    )


def test_a_spec_can_disable_a_rule(tmp_path):
    spec = tmp_path / "trial.yaml"
    spec.write_text(
        "id: trial\nversion: '1'\ntitle: t\nextends: [resolution]\nrules:\n"
        f"  - {{{AGE_RULE}, override: true, enabled: false}}\n"
    )
    out = tmp_path / "r.json"
    result = trialguard("validate", SAMPLES / "defects", "--spec", spec, "--json", out)
    rule = {r["id"]: r for r in json.loads(out.read_text())["rules"]}["RES-AGE"]
    assert rule["reason"] == "disabled in the spec (enabled: false)"
    assert result.returncode == 1


def test_spec_names_match_in_any_case():
    result = trialguard("validate", CLEAN, "--spec", "Resolution")
    assert result.returncode == 0, result.stderr


def test_specs_lists_the_bundled_specs():
    result = trialguard("specs")
    assert result.returncode == 0
    assert "cell-therapy  1.0.0    sdtm" in result.stdout and "transfer" in result.stdout


def test_fail_on_never_still_says_reject_but_exits_0(tmp_path):
    out = tmp_path / "r.json"
    result = trialguard(
        "validate", SAMPLES / "defects", "--spec", "resolution", "--fail-on", "never", "--json", out
    )
    assert result.returncode == 0
    report = json.loads(out.read_text())
    assert report["verdict"] == "reject" and "not gated" in report["verdict_reason"]


def test_a_run_in_which_no_rule_on_the_datasets_ran_is_incomplete():
    result = trialguard("validate", CLEAN, "--spec", "resolution", "--select", "waivers")
    assert result.returncode == 2 and "no rule on the datasets ran" in result.stderr


def test_a_closed_pipe_does_not_turn_a_reject_into_an_exit_0():
    import subprocess
    import sys

    from test_cli import ENV

    command = (
        f"{sys.executable} -m trialguard validate {SAMPLES / 'defects'} --spec resolution "
        "--format text | head -c 10 > /dev/null; exit ${PIPESTATUS[0]}"
    )
    result = subprocess.run(["bash", "-c", command], env=ENV, capture_output=True, timeout=120)
    assert result.returncode == 1


def test_a_file_with_a_sponsor_prefix_beside_the_datasets_is_explained_in_the_terminal(tmp_path):
    folder = copy_of(tmp_path, "dm.xpt", "ex.xpt", "ae.xpt", "dlt.xpt")
    data = bytearray((CLEAN / "dm.xpt").read_bytes())
    data[5 * 80 + 8 : 5 * 80 + 16] = b" " * 8  # its member header names no dataset
    (folder / "allo329_dm.xpt").write_bytes(bytes(data))
    result = trialguard("validate", folder, "--spec", "resolution")
    assert result.returncode == 0
    assert "looks like DM with a sponsor prefix 'allo329_': name it dm.xpt" in result.stdout
