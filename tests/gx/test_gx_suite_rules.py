"""`--gx-suite DATASET=FILE`: a GX suite's expectations run as rules of the run, with findings
on the right records in every output; bad suites stop the run (exit 2); an expectation GX cannot
evaluate ends its rule in status error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

from trialguard.cli import main

DEFECTS = SAMPLES / "defects"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_suite(path, expectations, name="team dm") -> str:
    path.write_text(json.dumps({"name": name, "expectations": expectations}), encoding="utf-8")
    return str(path)


def dm_suite_report(capsys, tmp_path, suite: str) -> dict:
    """The JSON report of the defects sample run with `suite` on DM (and the transfer spec)."""
    out = tmp_path / "r.json"
    run(
        capsys,
        "validate",
        DEFECTS,
        "--spec",
        "transfer",
        "--gx-suite",
        f"DM={suite}",
        "--json",
        out,
    )
    return json.loads(out.read_text())


def keyed(report: dict) -> set:
    return {
        (f["rule_id"], f["severity"], f["domain"], f["record"], f["usubjid"], tuple(f["variables"]))
        for f in report["findings"]
    }


def test_exported_suites_run_as_rules_find_what_the_spec_finds(tmp_path, capsys):
    out = tmp_path / "gx"
    assert main(["export-gx", "--spec", "resolution", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    exported = [e["rule"] for e in manifest["exported"]]
    suites = [f"--gx-suite={name}={out / file}" for name, file in manifest["suites"].items()]
    by_gx, by_spec = tmp_path / "gx.json", tmp_path / "spec.json"
    code, _, err = run(capsys, "validate", DEFECTS, "--spec", "transfer", *suites, "--json", by_gx)
    assert code == 1, err
    selected = [f"--select={rule}" for rule in exported]
    run(capsys, "validate", DEFECTS, "--spec", "resolution", *selected, "--json", by_spec)
    gx_report, spec_report = json.loads(by_gx.read_text()), json.loads(by_spec.read_text())
    assert keyed(gx_report) == keyed(spec_report) and len(keyed(gx_report)) == 22
    gx_rules = {r["id"]: r for r in gx_report["rules"] if r["category"] == "gx"}
    assert set(gx_rules) == set(exported)
    roles = {f["role"] for f in gx_report["files"]}
    assert "gx-suite" in roles


EXISTS = {"type": "expect_column_to_exist", "kwargs": {"column": "SEX"}}


def tg(**meta) -> dict:
    return {"meta": {"trialguard": meta}}


def team_suite(tmp_path) -> str:
    return write_suite(
        tmp_path / "team.json",
        [
            {"type": "expect_column_values_to_be_in_set",
             "kwargs": {"column": "SEX", "value_set": ["M", "F"]}, "severity": "warning"},
            {"type": "expect_column_values_to_match_regex",
             "kwargs": {"column": "USUBJID", "regex": r"^ALLO-329-101-01\d\d$"}},
            {"type": "expect_column_to_exist", "kwargs": {"column": "RACEOTH"},
             "severity": "info"},
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "AGE"},
             "meta": {"trialguard": {"rule": "TEAM-AGE", "description": "AGE is given"}}},
        ],
    )  # fmt: skip


def test_a_team_suite_gives_findings_in_every_output(tmp_path, capsys):
    suite = team_suite(tmp_path)
    json_out, html, junit = tmp_path / "r.json", tmp_path / "r.html", tmp_path / "r.xml"
    code, out, err = run(
        capsys, "validate", DEFECTS, "--spec", "transfer", "--gx-suite", f"DM={suite}",
        "--json", json_out, "--html", html, "--junit", junit, "--fail-on", "warning",
    )  # fmt: skip
    assert code == 1, err
    report = json.loads(json_out.read_text())
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["GX-TEAM-DM-1"]["severity"] == "warning"
    assert rules["GX-TEAM-DM-3"]["severity"] == "notice"
    assert rules["TEAM-AGE"]["description"] == "AGE is given"
    sex = [f for f in report["findings"] if f["rule_id"] == "GX-TEAM-DM-1"]
    assert [(f["record"], f["usubjid"], f["values"]) for f in sex] == [
        (5, "ALLO-329-101-0105", {"SEX": "MALE"})
    ]
    assert "expect_column_values_to_be_in_set(SEX) is not met" in sex[0]["message"]
    missing = next(f for f in report["findings"] if f["rule_id"] == "GX-TEAM-DM-3")
    assert missing["record"] is None and missing["variables"] == ["RACEOTH"]
    assert "GX-TEAM-DM-1" in out and "GX-TEAM-DM-1" in html.read_text()
    assert 'name="GX-TEAM-DM-1:' in junit.read_text()


def test_expectations_naming_one_rule_are_one_rule(tmp_path, capsys):
    both = {"meta": {"trialguard": {"rule": "TEAM-IDS", "severity": "warning"}}}
    suite = write_suite(
        tmp_path / "ids.json",
        [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "SUBJID"}} | both,
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "SUBJID"}} | both,
        ],
    )
    rules = [r for r in dm_suite_report(capsys, tmp_path, suite)["rules"] if r["category"] == "gx"]
    assert [(r["id"], r["severity"]) for r in rules] == [("TEAM-IDS", "warning")]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"name": "x",\n "expectations": [,]}', "not JSON: Expecting value (line 2, column 19)"),
        (json.dumps({"name": "x", "expectations": [
            {"type": "expect_column_to_exist", "kwargs": {"column": "SEX"}},
            {"type": "expect_column_values_to_be_sorted", "kwargs": {"column": "SEX"}}]}),
         "expectation 2 (expect_column_values_to_be_sorted): GX has no expectation of that type"),
        (json.dumps({"name": "x", "expectations": [
            {"expectation_type": "expect_column_to_exist", "kwargs": {"column": "SEX"}}]}),
         "expectation 1 is in the GX 0.x form"),
        (json.dumps({"name": "x", "expectations": [
            {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "SEX"}}]}),
         "expectation 1 (expect_column_values_to_be_in_set): GX refuses it"),
        (json.dumps({"expectations": []}), "the suite has no name"),
        (json.dumps([1, 2]), "not a GX expectation suite"),
        (json.dumps({"name": "x", "expectations": []}), "the suite has no expectations"),
        (json.dumps({"name": "x", "meta": {"trialguard": []}, "expectations": [EXISTS]}),
         "the suite's meta.trialguard is not an object"),
        (json.dumps({"name": "x", "expectations": [EXISTS | {"severity": "bogus"}]}),
         "expectation 1 (expect_column_to_exist): GX refuses it"),
        (json.dumps({"name": "x", "expectations": [EXISTS | {"foo": 1}]}),
         "expectation 1 (expect_column_to_exist): GX refuses it"),
        (json.dumps({"name": "x", "expectations": [EXISTS | tg(severity=["error"])]}),
         "meta.trialguard.severity must be error, warning or notice"),
        (json.dumps({"name": "x", "expectations": [EXISTS | tg(description=5)]}),
         "meta.trialguard.description must be text"),
        (json.dumps({"name": "x", "expectations": [EXISTS | tg(if_column_present="no")]}),
         "meta.trialguard.if_column_present must be true or false"),
        ('{"name": "x", "expectations": [' + "9" * 5000 + "]}", "not a usable JSON value"),
    ],
    ids=["not-json", "unknown-type", "gx-0-form", "bad-kwargs", "no-name", "not-a-suite",
         "empty", "suite-meta", "gx-severity", "unknown-key", "severity-list", "description",
         "if-column-present", "huge-number"],
)  # fmt: skip
def test_a_malformed_suite_stops_the_run_naming_file_and_expectation(
    tmp_path, capsys, content, says
):
    suite = tmp_path / "bad.json"
    suite.write_text(content, encoding="utf-8")
    report = tmp_path / "r.json"
    code, _, err = run(
        capsys, "validate", DEFECTS, "--spec", "resolution", "--gx-suite", f"DM={suite}",
        "--json", report,
    )  # fmt: skip
    assert code == 2 and err.startswith(f"trialguard: {suite}: ") and says in err, err
    assert "Traceback" not in err and not report.exists()


def test_the_option_needs_a_known_dataset_and_a_file(tmp_path, capsys):
    given = [
        ("dm.json", "give DATASET=FILE"),
        ("LB=x.json", "must be one of DM"),
        (f"DM={tmp_path}", "is a folder, not a GX suite file"),
        (f"DM={tmp_path / 'none.json'}", "no such GX suite file"),
    ]
    for option, says in given:
        code, _, err = run(
            capsys, "validate", DEFECTS, "--spec", "resolution", "--gx-suite", option
        )
        assert code == 2 and says in err, err


def test_no_two_expectations_of_different_suites_share_an_id(tmp_path, capsys):
    first = write_suite(tmp_path / "a.json", [EXISTS], name="s")
    second = write_suite(tmp_path / "b.json", [EXISTS], name="s")
    for pair in ([f"DM={first}", f"DM={first}"], [f"DM={first}", f"AE={first}"],
                 [f"DM={first}", f"DM={second}"]):  # fmt: skip
        options = [f"--gx-suite={p}" for p in pair]
        code, _, err = run(capsys, "validate", DEFECTS, "--spec", "transfer", *options)
        assert code == 2 and ("given twice" in err or "would be rule GX-S-1" in err), err
    named = write_suite(tmp_path / "c.json", [EXISTS | tg(rule="GX-S-1")], name="c")
    code, _, err = run(
        capsys, "validate", DEFECTS, "--spec", "transfer", "--gx-suite", f"DM={first}",
        "--gx-suite", f"AE={named}",
    )  # fmt: skip
    assert code == 2 and "would be rule GX-S-1" in err, err


def test_variables_named_in_meta_that_the_data_lacks_give_way_to_the_column(tmp_path, capsys):
    sex = {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "SEX", "value_set": ["F"]},
    }
    suite = write_suite(tmp_path / "v.json", [sex | tg(variables=["NOPE"])], name="v")
    findings = dm_suite_report(capsys, tmp_path, suite)["findings"]
    assert findings and all(f["variables"] == ["SEX"] and "SEX" in f["values"] for f in findings)


def test_an_expectation_gx_cannot_evaluate_ends_its_rule_in_error(tmp_path, capsys):
    suite = write_suite(
        tmp_path / "err.json",
        [{"type": "expect_column_values_to_be_between",
          "kwargs": {"column": "SEX", "min_value": 1, "max_value": 2}}],
    )  # fmt: skip
    out = tmp_path / "r.json"
    code, _, _ = run(
        capsys, "validate", SAMPLES / "clean", "--spec", "resolution", "--gx-suite",
        f"DM={suite}", "--json", out,
    )  # fmt: skip
    report = json.loads(out.read_text())
    rule = next(r for r in report["rules"] if r["id"] == "GX-TEAM-DM-1")
    assert rule["status"] == "error" and "errored in GX" in rule["reason"]
    assert "min_value" in rule["reason"]
    assert code == 1 and report["verdict"] == "reject"


def test_a_suite_for_a_dataset_not_supplied_leaves_the_transfer_incomplete(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("dm.xpt", "ex.xpt", "ae.xpt"):
        (data / name).write_bytes((SAMPLES / "clean" / name).read_bytes())
    suite = write_suite(
        tmp_path / "dl.json",
        [{"type": "expect_column_to_exist", "kwargs": {"column": "DLTERM"}}], name="dlt",
    )  # fmt: skip
    code, _, err = run(capsys, "validate", data, "--spec", "transfer", "--gx-suite", f"DLT={suite}")
    assert code == 2 and "GX suite rule GX-DLT-1 did not run" in err, err


def test_a_rule_spanning_a_missing_dataset_or_needing_a_missing_dm_does_not_run(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ae.xpt").write_bytes((SAMPLES / "clean" / "ae.xpt").read_bytes())
    out = tmp_path / "gx"
    main(["export-gx", "--spec", "resolution", "--out", str(out)])
    code, _, err = run(
        capsys, "validate", data, "--spec", "transfer", "--gx-suite", f"AE={out / 'ae.json'}"
    )
    assert code == 2 and "GX suite rule SD-SUBJ did not run" in err and "needs DM" in err, err
    code, _, err = run(
        capsys, "validate", data, "--spec", "transfer", "--gx-suite", f"AE={out / 'ae.json'}",
        "--gx-suite", f"DM={out / 'dm.json'}",
    )  # fmt: skip
    assert code == 2 and "GX suite rule SD-REQ-VAR did not run" in err and "DM" in err, err


def test_a_rule_id_of_the_spec_cannot_be_taken_by_a_suite(tmp_path, capsys):
    suite = write_suite(
        tmp_path / "s.json",
        [{"type": "expect_column_to_exist", "kwargs": {"column": "SEX"},
          "meta": {"trialguard": {"rule": "SD-REQ-VAR"}}}],
    )  # fmt: skip
    code, _, err = run(
        capsys, "validate", DEFECTS, "--spec", "resolution", "--gx-suite", f"DM={suite}"
    )
    assert code == 2 and "SD-REQ-VAR" in err and "spec resolution has too" in err, err


def test_suite_rules_can_be_deselected_as_a_category(tmp_path, capsys):
    out = tmp_path / "r.json"
    code, _, err = run(
        capsys, "validate", SAMPLES / "clean", "--spec", "resolution",
        "--gx-suite", f"DM={team_suite(tmp_path)}", "--ignore", "gx", "--json", out,
    )  # fmt: skip
    assert code == 0, err
    gx_rules = [r for r in json.loads(out.read_text())["rules"] if r["category"] == "gx"]
    assert gx_rules and all(r["status"] == "not_run" for r in gx_rules)


def test_validate_without_gx_options_does_not_import_great_expectations():
    code = (
        "import sys, trialguard\n"
        f"trialguard.validate({str(SAMPLES / 'clean')!r}, spec='resolution')\n"
        "print('great_expectations' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_api_takes_suites_by_dataset_or_as_option_text(tmp_path):
    import trialguard

    suite = team_suite(tmp_path)
    for given in ({"dm": suite}, [f"DM={suite}"]):
        report = trialguard.validate(DEFECTS, spec="transfer", gx_suites=given)
        assert report.rule("GX-TEAM-DM-1").status == "failed"
        assert [f.record for f in report.rule("GX-TEAM-DM-1").findings] == [5]
