"""The CI side on hand-made reports: the gate on new findings, the previous transfer (or none
yet), the GitHub annotations and job summary, and the terminal header."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from trialguard.errors import InputError, UsageError
from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.report import InputInfo, Report, SpecInfo, UnreadableFile
from trialguard.reporting.github import ranked_annotations, render_github
from trialguard.reporting.junit import render_junit
from trialguard.reporting.lines import render_text
from trialguard.reporting.patterns import SYSTEMATIC
from trialguard.reporting.step_summary import render_step_summary
from trialguard.reporting.terminal import render_summary
from trialguard.transfer.previous import first_transfer_comparison, previous_to_compare

ERROR, WARNING, NOTICE = Severity.ERROR, Severity.WARNING, Severity.NOTICE


def result(rule_id: str, severity: Severity, *histories: str | None, **finding) -> RuleResult:
    """A failed rule with one AE finding per history given (records 1, 2, ...)."""
    info = RuleInfo(rule_id, "kind", severity, f"{rule_id} holds", "SDTMIG")
    findings = [
        Finding(
            rule_id,
            severity,
            "AE",
            f"S-{n}",
            n,
            ("AETERM",),
            {},
            f"AE {n} breaks {rule_id}",
            history=history,
            **finding,
        )
        for n, history in enumerate(histories, start=1)
    ]
    return RuleResult(info, Status.FAILED if findings else Status.PASSED, findings=findings)


def report(*results: RuleResult, compared: bool = True, **fields) -> Report:
    return Report(
        tool_version="0",
        run_id="0" * 32,
        started="2026-11-21T09:30:00Z",
        command="trialguard validate t",
        spec=SpecInfo("s", "1", "0", "s.yaml", "S"),
        inputs=[InputInfo("AE", "t/ae.csv", "csv", "0", 12, 3)],
        results=list(results),
        comparison=first_transfer_comparison(None) if compared else None,
        **fields,
    )


# ---------------------------------------------------------------- the gate on new findings
def test_fail_on_new_gates_on_new_findings_only():
    persisting = report(result("R-A", ERROR, "persisting", "persisting"))
    assert persisting.verdict == "reject"
    gated = dataclasses.replace(persisting, fail_on_new=True)
    assert gated.judge() == (
        "accept",
        "no new finding at or above error; 2 persisting finding(s) do not gate (--fail-on-new)",
    )
    one_new = report(result("R-A", ERROR, "persisting", "new"), fail_on_new=True)
    assert one_new.judge()[0] == "reject"
    assert one_new.gating_findings(one_new.results[0]) == [one_new.results[0].findings[1]]


def test_a_new_finding_below_the_fail_level_does_not_gate():
    below = report(result("R-W", WARNING, "new"), result("R-E", ERROR, "persisting"))
    assert dataclasses.replace(below, fail_on_new=True).verdict == "accept"


def test_junit_fails_a_rule_on_its_new_findings_and_lists_the_persisting_ones():
    gated = report(result("R-A", ERROR, "persisting", "new"), fail_on_new=True)
    case = ET.fromstring(render_junit(gated)).find("testsuite/testcase")
    assert case.find("failure").get("message") == "1 error finding(s)"
    assert case.find("failure").text == "AE record 2 S-2: AE 2 breaks R-A"
    assert case.find("system-out").text == "AE record 1 S-1: AE 1 breaks R-A"


# ---------------------------------------------------------------- the previous transfer
def test_fail_on_new_needs_a_previous_transfer_or_first_transfer():
    with pytest.raises(UsageError, match="--previous OLD .* or --first-transfer"):
        previous_to_compare(None, first_transfer=False, fail_on_new=True)
    assert previous_to_compare(None, first_transfer=True, fail_on_new=True) is None
    assert previous_to_compare(None, first_transfer=False, fail_on_new=False) is None


def test_a_previous_path_not_there_yet_is_a_first_transfer_only_when_said(tmp_path):
    missing, empty, held = tmp_path / "accepted.json", tmp_path / "empty", tmp_path / "held"
    empty.mkdir()
    (empty / ".gitkeep").write_text("")
    held.mkdir()
    (held / "dm.xpt").write_text("")
    for path in (missing, empty):
        assert previous_to_compare(path, first_transfer=True, fail_on_new=True) is None
        with pytest.raises(InputError, match="add --first-transfer") as refused:
            previous_to_compare(path, first_transfer=False, fail_on_new=True)
        assert refused.value.path == str(path)
    assert previous_to_compare(held, first_transfer=True, fail_on_new=True) == held


def test_the_first_transfer_says_so_and_compares_no_records():
    comparison = first_transfer_comparison(Path("accepted/transfer.json"))
    assert (comparison.previous_kind, comparison.records_compared) == ("first transfer", False)
    assert "accepted/transfer.json does not exist yet" in (comparison.why_not or "")


# ---------------------------------------------------------------- GitHub annotations
def test_annotations_put_new_first_then_severity_then_one_per_rule_before_seconds():
    run = report(
        result("R-NOTICE", NOTICE, "new"),
        result("R-ERR", ERROR, "persisting", "persisting"),
        result("R-WARN", WARNING, "new", "new"),
        result("R-ERR2", ERROR, "persisting"),
    )
    titles = [a.title.split(" (")[0] for a in ranked_annotations(run)]
    assert titles == [
        "R-WARN [new]", "R-WARN [new]", "R-NOTICE [new]",
        "R-ERR [persisting]", "R-ERR2 [persisting]", "R-ERR [persisting]",
    ]  # fmt: skip


def test_unreadable_datasets_lead_and_systematic_findings_are_one_annotation():
    unread = UnreadableFile("TS", "t/ts.xpt", "cut short")
    run = report(result("R-MANY", WARNING, *["new"] * (SYSTEMATIC + 2)), unreadable=[unread])
    first, second, *rest = ranked_annotations(run)
    assert first.command() == "::error title=TS could not be read,file=t/ts.xpt::cut short"
    assert second.title == f"R-MANY [new] ({SYSTEMATIC + 2} alike)" and not rest
    assert second.message.startswith(f"{SYSTEMATIC + 2} alike in AE, {SYSTEMATIC + 2} subjects")


def test_github_shows_the_limit_then_one_summary_line_and_the_verdict():
    run = report(result("R-A", ERROR, "new", "persisting", "new"), result("R-W", WARNING, "new"))
    lines = render_github(run, limit=2, full_list=["r.json", "r.html"]).splitlines()
    assert len(lines) == 4 and lines[0].startswith("::error title=R-A [new] (AE record 1 S-1)")
    assert lines[0].endswith(",file=t/ae.csv::AE 1 breaks R-A")
    assert lines[2] == (
        "trialguard: 4 finding(s): 3 error, 1 warning, 0 notice; new 3, persisting 1, "
        "resolved 0; 2 of 4 annotation(s) shown, 2 not shown; every finding: r.json, r.html"
    )
    assert lines[3] == "Verdict: REJECT (findings at or above error)"
    alone = render_github(dataclasses.replace(run, comparison=None), limit=0).splitlines()
    nowhere = "every finding: not written: add --json, --html or --csv"
    assert alone[0].endswith(f"0 of 4 annotation(s) shown, 4 not shown; {nowhere}")
    assert "[new]" not in render_github(report(result("R-A", ERROR, None), compared=False))


def test_a_waived_finding_is_a_notice_and_workflow_text_is_escaped():
    waived = result("R-A", ERROR, "new", waiver={"approver": "A. B"}, line=3)
    odd = dataclasses.replace(waived.findings[0], message="50% done,\nnext: 1")
    run = report(dataclasses.replace(waived, findings=[odd]))
    assert render_github(run).splitlines()[0] == (
        "::notice title=R-A [new] (AE record 1 S-1),file=t/ae.csv,line=3::"
        "50%25 done,%0Anext: 1 (waived by A. B)"
    )


# ---------------------------------------------------------------- the job summary
def test_the_step_summary_counts_by_severity_and_history_and_lists_the_top_rules():
    run = report(
        result("R-A", ERROR, "new", "persisting"),
        result("R|B", WARNING, "persisting"),
        fail_on_new=True,
    )
    text = render_step_summary(run, ["reports/r.json"])
    assert text.startswith("## trialguard: REJECT\n\nnew findings at or above error; 2 persisting")
    assert (
        "| findings | 2 | 1 | 0 | 3 |\n| new | 1 | 0 | 0 | 1 |\n| persisting | 1 | 1 | 0 | 2 |"
        in text
    )
    assert "| R-A | error | 2 | 1 | R-A holds |\n| R\\|B | warning | 1 | 0 | R\\|B holds |" in text
    assert text.endswith("Every finding: `reports/r.json`\n")


# ---------------------------------------------------------------- the terminal
def test_an_unreadable_dataset_is_one_line_however_many_rules_ran_without_it():
    unread = UnreadableFile("TS", "t/ts.xpt", "cut short")
    note = "TS was not checked by this rule: its file could not be read"
    rules = [dataclasses.replace(result(f"R-{n}", ERROR), notes=[note]) for n in range(30)]
    run = report(*rules, unreadable=[unread])
    summary = render_summary(run).splitlines()
    assert [line for line in summary if "TS" in line] == [
        "NOT READ: TS (t/ts.xpt): cut short; 30 rule(s) ran without it"
    ]
    text = render_text(run).splitlines()
    assert [line for line in text if "TS" in line] == [
        "error   NOT READ                 TS (t/ts.xpt): cut short; 30 rule(s) ran without it"
    ]


def test_the_text_format_starts_with_the_standards_and_the_datasets_read():
    text = render_text(report(result("R-A", ERROR, None), compared=False)).splitlines()
    assert text[0] == "trialguard 0 | spec s 1 | run 000000000000"
    assert text[1].startswith("Standards: SDTMIG 3.4 (the default") and "| CT: " in text[1]
    assert text[2] == "Read: AE 12 records (csv)"
    assert text[3].startswith("error   R-A ") and text[-1].startswith("Verdict: REJECT")


def test_the_summary_says_a_first_transfer_and_counts_its_findings_as_new():
    first = render_summary(report(result("R-A", ERROR, "new", "new"))).splitlines()
    assert "First transfer (--first-transfer): all 2 finding(s) are new" in first
    assert not any(line.startswith("Since the previous transfer") for line in first)
