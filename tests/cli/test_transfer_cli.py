"""The CI side of a transfer through the real command line: manifest, waivers, JUnit, one-line
formats, fixed timestamps, verify, and the CI recipe of the docs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from conftest import ROOT, SAMPLES

from trialguard.readers.dataset import sha256_of
from trialguard.spec.loader import load_spec

ENV = {"PYTHONPATH": str(ROOT)}


def _env():
    return {**os.environ, **ENV}


def trialguard(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "trialguard", *map(str, args)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        cwd=cwd,
    )


@pytest.fixture
def transfer(tmp_path):
    """A copy of the RESOLUTION defects transfer that a test may tamper with."""
    folder = tmp_path / "transfer"
    shutil.copytree(SAMPLES / "defects", folder)
    return folder


def write_manifest(folder, path, change=None):
    rows = ["dataset,file,records,sha256"]
    counts = {"dm.xpt": 17, "ex.xpt": 60, "ae.xpt": 15, "dlt.xpt": 3, "suppae.xpt": 13}
    names = {
        "dm.xpt": "DM",
        "ex.xpt": "EX",
        "ae.xpt": "AE",
        "dlt.xpt": "DL",
        "suppae.xpt": "SUPPAE",
    }
    for name, records in counts.items():
        row = [names[name], name, str(records), sha256_of(folder / name)]
        if change:
            row = change(row)
        if row:
            rows.append(",".join(row))
    path.write_text("\n".join(rows) + "\n")
    return path


def manifest_findings(report_path):
    report = json.loads(report_path.read_text())
    return [f["message"] for f in report["findings"] if f["rule_id"] == "TRANSFER-MANIFEST"]


# ---------------------------------------------------------------- manifest
def test_a_matching_manifest_adds_no_finding(transfer, tmp_path):
    manifest = write_manifest(transfer, tmp_path / "manifest.csv")
    out = tmp_path / "r.json"
    trialguard("validate", transfer, "--spec", "resolution", "--manifest", manifest, "--json", out)
    assert manifest_findings(out) == []
    rules = {r["id"]: r["status"] for r in json.loads(out.read_text())["rules"]}
    assert rules["TRANSFER-MANIFEST"] == "passed"


def test_a_manifest_inside_the_transfer_folder_is_not_an_extra_file(transfer, tmp_path):
    manifest = write_manifest(transfer, transfer / "manifest.csv")
    out = tmp_path / "r.json"
    trialguard("validate", transfer, "--spec", "resolution", "--manifest", manifest, "--json", out)
    assert manifest_findings(out) == []


def test_a_manifest_that_differs_names_every_difference(transfer, tmp_path):
    def change(row):
        if row[1] == "ae.xpt":
            return [row[0], row[1], "16", row[3]]  # the sender counted one more AE record
        if row[1] == "ex.xpt":
            return [row[0], row[1], row[2], "0" * 64]
        return row

    manifest = write_manifest(transfer, tmp_path / "manifest.csv", change)
    (transfer / "dlt.xpt").unlink()
    (transfer / "lb.csv").write_text("STUDYID\nX\n")
    out = tmp_path / "r.json"
    result = trialguard(
        "validate", transfer, "--spec", "resolution", "--manifest", manifest, "--json", out
    )
    assert result.returncode == 2  # the spec requires DL: without dlt.xpt it is incomplete
    ex_hash = sha256_of(transfer / "ex.xpt")
    assert sorted(manifest_findings(out)) == [
        "ae.xpt: the manifest says records 16, the file has 15",
        "dlt.xpt: is in the manifest but did not arrive",
        f"ex.xpt: the manifest says sha256 {'0' * 64}, the file has {ex_hash}",
        "lb.csv: arrived but is not in the manifest",
    ]


def test_an_xpt_cut_at_a_record_boundary_is_unreadable_and_its_hash_differs(transfer, tmp_path):
    manifest = write_manifest(transfer, tmp_path / "m.csv")
    data = (transfer / "ex.xpt").read_bytes()
    (transfer / "ex.xpt").write_bytes(data[: len(data) - 80 * 10])  # ten 80-byte records fewer
    out = tmp_path / "r.json"
    result = trialguard(
        "validate", transfer, "--spec", "resolution", "--manifest", manifest, "--json", out
    )
    assert result.returncode == 2
    assert "ex.xpt: the file ends" in result.stderr and "truncated" in result.stderr
    messages = manifest_findings(out)
    assert any(m.startswith("ex.xpt: the manifest says sha256") for m in messages)
    report = json.loads(out.read_text())
    assert report["complete"] is False and report["unreadable"][0]["dataset"] == "EX"


def test_a_yaml_manifest_is_read_and_a_broken_one_is_refused(transfer, tmp_path):
    entries = [
        {"dataset": "DM", "file": "dm.xpt", "records": 17, "sha256": sha256_of(transfer / "dm.xpt")}
    ]
    good = tmp_path / "m.yaml"
    good.write_text(json.dumps({"files": entries}))
    out = tmp_path / "r.json"
    trialguard("validate", transfer, "--spec", "resolution", "--manifest", good, "--json", out)
    assert sorted(manifest_findings(out)) == [
        f"{name}: arrived but is not in the manifest"
        for name in ("ae.xpt", "dlt.xpt", "ex.xpt", "suppae.xpt")
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("files:\n  - {dataset: DM, file: dm.xpt, records: many, sha256: x}\n")
    result = trialguard("validate", transfer, "--spec", "resolution", "--manifest", bad)
    assert result.returncode == 2 and "entry 1, records" in result.stderr


# ---------------------------------------------------------------- waivers
WAIVERS = """\
waivers:
  - rule: SD-CT-SUBSET
    subject: ALLO-329-101-0106
    dataset: EX
    seq: 1
    reason: IV is the site's abbreviation; mapped to INTRAVENOUS in the next transfer.
    approver: A. Reviewer (Data Management)
    expires: 2027-01-31
  - rule: SD-STEN
    subject: ALLO-329-101-0114
    reason: The site confirmed the dates; query QRY-12 is open.
    approver: B. Monitor
    expires: 2026-06-30
  - rule: RES-AGE
    subject: ALLO-329-101-0199
    reason: Written for a subject that is not in this transfer.
    approver: C. Medic
    expires: 2027-12-31
"""


def test_waivers_accept_findings_report_expired_and_unused_ones(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS)
    out = tmp_path / "r.json"
    args = ["validate", SAMPLES / "defects", "--spec", "resolution", "--waivers", waivers]
    result = trialguard(*args, "--json", out, "--fail-on", "warning", "--timestamp", "2026-11-21")
    report = json.loads(out.read_text())
    waived = [f for f in report["findings"] if f["waiver"]]
    assert [(f["rule_id"], f["usubjid"]) for f in waived] == [("SD-CT-SUBSET", "ALLO-329-101-0106")]
    assert waived[0]["waiver"]["approver"] == "A. Reviewer (Data Management)"
    assert waived[0]["waiver"]["expires"] == "2027-01-31"
    assert [(w["number"], w["state"], w["matched"]) for w in report["waivers"]] == [
        (1, "applied", 1),
        (2, "expired", 0),
        (3, "unused", 0),
    ]
    sten = [f for f in report["findings"] if f["rule_id"] == "SD-STEN"]
    assert sten and sten[0]["waiver"] is None  # an expired waiver accepts nothing
    extra = {f["rule_id"]: f["message"] for f in report["findings"] if f["rule_id"][:6] == "WAIVER"}
    assert extra == {
        "WAIVER-EXPIRED": "waiver 2 (rule SD-STEN, subject ALLO-329-101-0114) expired on "
        "2026-06-30",
        "WAIVER-UNUSED": "waiver 3 (rule RES-AGE, subject ALLO-329-101-0199) matches no finding",
    }
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["SD-CT-SUBSET"]["status"] == "passed" and rules["SD-CT-SUBSET"]["waived"] == 1
    # 3 warnings - 1 waived + 2 waiver warnings, and the ten MedDRA variables every sample's AE
    # lacks (conftest.SAMPLE_IG_GAPS)
    assert report["summary"]["warning"] == 2 + 2 + 10
    assert report["waived"] == 1 and result.returncode == 1
    assert {"role": "waivers", "path": str(waivers), "sha256": sha256_of(waivers)} in report[
        "files"
    ]


def test_a_waived_finding_no_longer_fails_the_run(tmp_path):
    """The clean sample plus one waived defect: the run passes, the finding stays visible."""
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS.split("  - rule: SD-STEN")[0])
    folder = tmp_path / "t"
    shutil.copytree(SAMPLES / "clean", folder)
    shutil.copy(SAMPLES / "defects" / "ex.xpt", folder / "ex.xpt")
    base = ["validate", folder, "--spec", "resolution", "--fail-on", "warning", "--quiet"]
    without = trialguard(*base)
    assert without.returncode == 1
    out = tmp_path / "r.json"
    text = trialguard(*base[:-1], "--waivers", waivers, "--json", out, "--format", "text")
    assert "[waived by A. Reviewer (Data Management)]" in text.stdout


def test_waivers_match_by_record_key_across_transfers(tmp_path):
    """SD-STEN of 0114 is AE record 11 in the first transfer and record 10 in the second."""
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n  - {rule: SD-STEN, subject: ALLO-329-101-0114, dataset: AE, seq: 1,"
        " reason: confirmed, approver: B. Monitor, expires: 2027-06-30}\n"
    )
    records = []
    for folder in (SAMPLES / "defects", SAMPLES / "transfer-2"):
        out = tmp_path / f"{folder.name}.json"
        trialguard("validate", folder, "--spec", "resolution", "--waivers", waivers, "--json", out)
        report = json.loads(out.read_text())
        records += [f["record"] for f in report["findings"] if f["waiver"]]
    assert records == [11, 10]


def test_a_broken_waivers_file_is_refused_with_the_field(tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n  - {rule: SD-CT, reason: x, approver: y, expires: soon}\n")
    result = trialguard(
        "validate", SAMPLES / "defects", "--spec", "resolution", "--waivers", waivers
    )
    assert result.returncode == 2 and "waivers.0.expires" in result.stderr


# ---------------------------------------------------------------- CI outputs
def test_junit_output_is_valid_and_fails_the_gating_rules(tmp_path):
    out = tmp_path / "junit.xml"
    trialguard("validate", SAMPLES / "defects", "--spec", "resolution", "--junit", out)
    xmlschema.XMLSchema(ROOT / "tests" / "schemas" / "junit.xsd").validate(out)
    suite = ET.parse(out).getroot().find("testsuite")
    cases = {c.get("name").split(":")[0]: c for c in suite.findall("testcase")}
    assert len(cases) == int(suite.get("tests")) == len(load_spec("resolution").rules)
    failed = sorted(name for name, c in cases.items() if c.find("failure") is not None)
    assert len(failed) == int(suite.get("failures")) == 27  # the failed error-level rules
    assert cases["RES-AGE"].find("failure").text == (
        "DM record 15 ALLO-329-101-0115: AGE 70 is outside the protocol range 18 <= AGE < 70"
    )
    warning = cases["SD-CT-SUBSET"]  # below the fail level: green, findings in system-out
    assert (
        warning.find("failure") is None and "EXROUTE value 'IV'" in warning.find("system-out").text
    )


def test_junit_marks_rules_that_did_not_run_as_skipped(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(SAMPLES / "clean" / "dm.xpt", folder)
    out = tmp_path / "junit.xml"
    trialguard("validate", folder, "--spec", "resolution", "--junit", out)
    xmlschema.XMLSchema(ROOT / "tests" / "schemas" / "junit.xsd").validate(out)
    skipped = ET.parse(out).getroot().find("testsuite").findall("testcase/skipped")
    assert skipped and all(s.get("message").startswith("not run: ") for s in skipped)


def test_text_and_github_formats_print_one_line_per_finding():
    args = ["validate", SAMPLES / "defects-csv", "--spec", "resolution"]
    text = trialguard(*args, "--format", "text").stdout.splitlines()
    # the header (run, standards and their note, datasets read), 39 findings and 11 of the IG
    # gaps every sample has (conftest.SAMPLE_IG_GAPS), the verdict
    assert len(text) == 4 + 39 + 11 + 1 and text[-1].startswith("Verdict: REJECT")
    assert text[1].startswith("Standards: SDTMIG 3.4") and text[3].startswith("Read: AE 15")
    assert "error   RES-AGE                  DM record 15 ALLO-329-101-0115: AGE 70" in text[10]
    github = trialguard(*args, "--format", "github", "--annotations", "60").stdout.splitlines()
    age = next(line for line in github if "RES-AGE" in line)
    assert age.startswith("::error title=RES-AGE (DM record 15 ALLO-329-101-0115),file=")
    assert age.endswith(",line=16::AGE 70 is outside the protocol range 18 <= AGE < 70")
    assert sum(line.startswith("::warning ") for line in github) == 2 + 10
    assert sum(line.startswith("::notice ") for line in github) == 1 + 1


# ---------------------------------------------------------------- audit record
def test_a_fixed_timestamp_gives_byte_identical_json(tmp_path):
    outputs = []
    out = tmp_path / "r.json"  # the same command line both times
    for _ in (1, 2):
        trialguard(
            "validate", SAMPLES / "defects", "--spec", "resolution", "--json", out,
            "--timestamp", "2026-11-21T09:30:00Z", "--previous", SAMPLES / "clean",
        )  # fmt: skip
        outputs.append(out.read_bytes())
        out.unlink()
    assert outputs[0] == outputs[1]
    report = json.loads(outputs[0])
    assert report["run"]["started"] == "2026-11-21T09:30:00Z"
    assert re.fullmatch(r"[0-9a-f]{32}", report["run"]["id"])


def test_a_timestamp_that_is_not_iso_is_refused():
    result = trialguard("validate", SAMPLES / "defects", "--spec", "sdtm", "--timestamp", "today")
    assert result.returncode == 2 and "ISO 8601" in result.stderr


@pytest.fixture
def verified_run(transfer, tmp_path):
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVERS)
    manifest = write_manifest(transfer, tmp_path / "m.csv")
    report = tmp_path / "r.json"
    trialguard(
        "validate",
        transfer,
        "--spec",
        "resolution",
        "--json",
        report,
        "--waivers",
        waivers,
        "--manifest",
        manifest,
    )
    return report, transfer, waivers, manifest


def test_verify_accepts_untouched_inputs(verified_run):
    report, *_ = verified_run
    result = trialguard("verify", report)
    assert result.returncode == 0, result.stdout
    assert "matches its files" in result.stdout and result.stdout.count("unchanged") == 5 + 4 + 2


@pytest.mark.parametrize("target", ["ae.xpt", "dm.xpt", "waivers", "manifest"])
def test_verify_detects_a_one_byte_change_to_any_input(verified_run, target):
    report, transfer, waivers, manifest = verified_run
    path = {"waivers": waivers, "manifest": manifest}.get(target, transfer / target)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    result = trialguard("verify", report)
    assert result.returncode == 1
    changed = [line for line in result.stdout.splitlines() if line.startswith("CHANGED")]
    assert len(changed) == 1 and str(path) in changed[0]


def test_verify_names_vanished_and_appeared_files(verified_run):
    report, transfer, *_ = verified_run
    (transfer / "dlt.xpt").rename(transfer / "moved.bin")
    (transfer / "lb.xpt").write_bytes(b"x")
    lines = trialguard("verify", report).stdout.splitlines()
    assert any(line.startswith("VANISHED") and "dlt.xpt" in line for line in lines)
    assert any(line.startswith("APPEARED") and "lb.xpt" in line for line in lines)


def test_verify_looks_in_a_new_folder(verified_run, tmp_path):
    report, transfer, *_ = verified_run
    archive = tmp_path / "archive"
    shutil.copytree(transfer, archive)
    assert trialguard("verify", report, archive).returncode == 0


def test_verify_works_from_any_folder_for_a_run_given_relative_paths(transfer, tmp_path):
    out = tmp_path / "r.json"
    ran = trialguard("validate", "transfer", "--spec", "resolution", "--json", out, cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr
    assert json.loads(out.read_text())["inputs"][0]["path"].startswith("transfer/")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = trialguard("verify", out, cwd=elsewhere)
    assert result.returncode == 0, result.stdout
    assert str(transfer / "ae.xpt") in result.stdout


def test_verify_of_a_run_given_files_does_not_call_their_neighbours_new(transfer, tmp_path):
    out = tmp_path / "f.json"
    trialguard(
        "validate", transfer / "dm.xpt", transfer / "ex.xpt", "--spec", "sdtm", "--json", out
    )
    result = trialguard("verify", out)
    assert result.returncode == 0 and "is new" not in result.stdout, result.stdout


def test_verify_refuses_what_is_not_a_report(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]")
    result = trialguard("verify", bad)
    assert result.returncode == 2 and "not a trialguard JSON report" in result.stderr


# ---------------------------------------------------------------- the docs' CI recipe
def test_the_documented_ci_recipe_runs(tmp_path):
    """The validate command of the CI job in docs/ci.md, as written there, on the sample
    transfers."""
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    recipe = page.split("<!-- ci-recipe -->")[1]
    command = next(line.strip() for line in recipe.splitlines() if "trialguard validate" in line)
    command = command.removeprefix("- run: ").strip()
    shell = command.replace("trialguard ", f"{sys.executable} -m trialguard ", 1)
    for folder in ("transfer", "previous"):
        (tmp_path / folder).mkdir()
    for name in ("dm", "ex", "ae", "dlt"):
        shutil.copy(SAMPLES / "transfer-2" / f"{name}.xpt", tmp_path / "transfer")
        shutil.copy(SAMPLES / "defects" / f"{name}.xpt", tmp_path / "previous")
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    result = subprocess.run(
        shell, shell=True, cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=300
    )
    assert result.returncode == 1, result.stderr  # the sample transfer has errors: the job fails
    assert "::error " in result.stdout
    for report in ("reports/transfer.html", "reports/transfer.json", "reports/junit.xml"):
        assert (tmp_path / report).stat().st_size > 0, report
