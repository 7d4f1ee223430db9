"""Reading a folder of CDISC Open Rules, making them rules of a run, and one defect reported
once where a spec rule cites the CORE id."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import EXTERNAL

from trialguard.errors import UsageError
from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.openrules.coverage import cited_core_ids, without_covered
from trialguard.openrules.folder import read_rule_folder
from trialguard.openrules.model import RuleProblem, parse_rule
from trialguard.openrules.rules import with_open_rules
from trialguard.selection import RuleSelection, matches
from trialguard.spec.loader import load_spec

OPEN_RULES = EXTERNAL / "core-open-rules" / "rules"

RULE = """\
Authorities:
  - Organization: CDISC
    Standards:
      - Name: SDTMIG
        References:
          - Origin: SDTM and SDTMIG Conformance Rules
            Rule Identifier: {{Id: CG9001, Version: "1"}}
            Version: "2.0"
        Version: "3.4"
Check:
  all:
    - name: IECAT
      operator: equal_to
      value: INCLUSION
Core: {{Id: {rule_id}, Status: {status}, Version: "1"}}
Description: Raise an error when IECAT is INCLUSION.
Executability: {executability}
Outcome: {{Message: IECAT is INCLUSION.}}
Rule Type: Record Data
Scope:
  Classes: {{Include: [ALL]}}
  Domains: {{Include: [IE]}}
Sensitivity: Record
"""


def write_rule(folder: Path, rule_id: str, status="Published", executability="Fully Executable"):
    path = folder / "Published" / rule_id / "rule.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(rule_id=rule_id, status=status, executability=executability))
    return path


def test_a_folder_is_read_with_its_sha256_drafts_and_broken_rules(tmp_path):
    write_rule(tmp_path, "CORE-900001")
    write_rule(tmp_path, "CORE-900002", status="Draft")
    broken = tmp_path / "Published" / "CORE-900003" / "rule.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("Core: [not, a, mapping\n")
    folder = read_rule_folder(tmp_path)
    assert [r.id for r in folder.rules] == ["CORE-900001"]
    assert folder.drafts == 1
    assert [u.rule_id for u in folder.unloaded] == ["CORE-900003"]
    assert "not readable YAML" in folder.unloaded[0].reason
    assert len(folder.sha256) == 64
    (tmp_path / "Published" / "CORE-900001" / "rule.yml").write_text(
        RULE.format(rule_id="CORE-900001", status="Published", executability="Partially")
    )
    assert read_rule_folder(tmp_path).sha256 != folder.sha256


def test_the_git_commit_of_a_checkout_is_read_without_git(tmp_path):
    write_rule(tmp_path, "CORE-900001")
    (tmp_path / ".git" / "refs" / "heads").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".git" / "refs" / "heads" / "main").write_text("618ab81d" * 5 + "\n")
    assert read_rule_folder(tmp_path / "Published").commit == "618ab81d" * 5


def test_a_folder_without_rules_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no rule.yml"):
        read_rule_folder(tmp_path)
    with pytest.raises(UsageError, match="not a folder"):
        read_rule_folder(tmp_path / "absent")


def test_a_rule_without_a_check_cannot_be_parsed():
    with pytest.raises(RuleProblem, match="Check"):
        parse_rule({"Core": {"Id": "CORE-1"}})
    with pytest.raises(RuleProblem, match="Core.Id"):
        parse_rule({"Check": {}})


def test_open_rules_become_rules_with_their_cg_ids_and_a_severity(tmp_path):
    write_rule(tmp_path, "CORE-900001")
    write_rule(tmp_path, "CORE-900004", executability="Partially Executable")
    spec, folder = with_open_rules(load_spec("sdtm"), tmp_path)
    assert folder is not None
    added = {r.rule.id: r for r in spec.rules if r.rule.kind == "open_rule"}
    assert set(added) == {"CORE-900001", "CORE-900004"}
    assert added["CORE-900001"].rule.severity is Severity.ERROR
    assert added["CORE-900004"].rule.severity is Severity.WARNING
    assert added["CORE-900001"].aliases == ("CG9001",)
    assert added["CORE-900001"].rule.ig == ["3.4"]
    assert matches("cg9001", added["CORE-900001"])
    RuleSelection.of(["CG9001"]).check_against(spec)  # a CG id is a known token


def test_a_spec_pins_the_folder_and_sets_severities(tmp_path):
    write_rule(tmp_path / "rules", "CORE-900001")
    spec_file = tmp_path / "study.yaml"
    spec_file.write_text(
        textwrap.dedent(
            """\
            id: study
            version: "1"
            title: Study
            extends: [sdtm]
            open_rules:
              folder: rules
              severity: {CORE-900001: notice}
            """
        )
    )
    spec, folder = with_open_rules(load_spec(str(spec_file)), None)
    assert folder is not None and folder.path == str((tmp_path / "rules").resolve())
    added = next(r for r in spec.rules if r.rule.id == "CORE-900001")
    assert added.rule.severity is Severity.NOTICE


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("P21 SD0021; CORE-000123", {"CORE-000123"}),
        ("CORE-000195 to CORE-000198", {"CORE-000195", "CORE-000197", "CORE-000198"}),
        ("no CORE rule", set()),
    ],
)
def test_cited_core_ids(source, expected):
    assert cited_core_ids(source, ["CORE-000195", "CORE-000197", "CORE-000198"]) == expected


def _result(rule_id, kind, source, *records, status=Status.FAILED):
    info = RuleInfo(rule_id, kind, Severity.ERROR, "d", source, category="x")
    findings = [
        Finding(
            rule_id=rule_id,
            severity=Severity.ERROR,
            domain="AE",
            usubjid="S1",
            record=r,
            variables=("AEENDTC",),
            values={},
            message="m",
        )
        for r in records
    ]
    return RuleResult(info, status if findings else Status.PASSED, findings=findings)


def test_an_open_rule_leaves_records_a_citing_rule_flagged_to_that_rule():
    citing = _result("SD-AEEND", "aeend", "P21 SD0021; CORE-000123", 1, 2)
    core = _result("CORE-000123", "open_rule", "CDISC Open Rules", 2, 3)
    alone = _result("CORE-000999", "open_rule", "CDISC Open Rules", 2)
    results = without_covered([citing, core, alone])
    assert [f.record for f in results[1].findings] == [3]
    assert "covered by SD-AEEND" in results[1].notes[-1]
    assert "1 finding(s)" in results[1].notes[-1]
    assert [f.record for f in results[2].findings] == [2]  # cited by no rule: untouched
    fully = without_covered([citing, _result("CORE-000123", "open_rule", "", 1)])[1]
    assert fully.status is Status.PASSED and not fully.findings


@pytest.mark.skipif(not OPEN_RULES.is_dir(), reason="CDISC's open rules are not beside the repo")
def test_cdiscs_published_rules_are_read_and_checked_against_the_format_schema():
    folder = read_rule_folder(OPEN_RULES)
    assert len(folder.rules) == 331
    assert folder.unloaded == ()
    assert folder.drafts == 129
    assert folder.schema is not None and folder.schema.endswith("CORE-base.json")


@pytest.mark.skipif(not OPEN_RULES.is_dir(), reason="CDISC's open rules are not beside the repo")
def test_a_rule_breaking_the_format_schema_is_not_run_and_the_answer_is_kept(tmp_path, monkeypatch):
    import shutil

    from trialguard.openrules import folder as folder_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(OPEN_RULES.parent / "schema", tmp_path / "checkout" / "schema")
    rules = tmp_path / "checkout" / "rules"
    write_rule(rules, "CORE-900001")
    bad = write_rule(rules, "CORE-900002")
    bad.write_text(bad.read_text().replace("Sensitivity: Record", "Sensitivity: Sometimes"))
    read = read_rule_folder(rules)
    assert [r.id for r in read.rules] == ["CORE-900001"]
    assert read.unloaded[0].reason == "does not follow CORE-base.json at Sensitivity"
    assert read.schema == str(tmp_path / "checkout" / "schema" / "CORE-base.json")
    assert list((tmp_path / "cache" / "trialguard").glob("open-rules-schema-*.json"))
    folder_module._READ.clear()
    monkeypatch.setattr(folder_module.SchemaCheck, "_problem", lambda self, data: "re-checked")
    again = read_rule_folder(rules)  # the kept answers, not the schema, decide now
    assert [r.id for r in again.rules] == ["CORE-900001"]
    assert again.unloaded[0].reason == read.unloaded[0].reason
