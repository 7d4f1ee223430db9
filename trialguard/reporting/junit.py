"""JUnit XML for CI systems: one test case per rule.

A rule with open findings at or above the fail level is a failure carrying
its findings (with --fail-on-new, its new findings; the persisting ones go to its
system-out); findings below the fail level, and waived findings, are listed in
the test case's system-out so that the test stays green; a rule that could not
run is skipped with the reason, and a rule whose check broke is an error.  A dataset
file that could not be read is an error test case of its own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from trialguard.findings import Finding, FindingTable, RuleResult, Severity, Status
from trialguard.report_model import ReportModel
from trialguard.reporting.patterns import Pattern, patterns


def render_junit(report: ReportModel) -> str:
    fail_on = report.fail_on
    suites = ET.Element("testsuites", name="trialguard")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"trialguard {report.spec.id} {report.spec.version}",
        timestamp=report.started.removesuffix("Z"),
        hostname="trialguard",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("run_id", report.run_id),
        ("spec_sha256", report.spec.sha256),
        ("tool_version", report.tool_version),
        ("fail_on", fail_on.value if fail_on else "never"),
        ("fail_on_new", str(report.fail_on_new).lower()),
        ("sdtmig", report.standards.ig_title),
        ("ct", report.standards.ct_title),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    counts: dict[str, int] = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for entry in report.unreadable:
        counts["tests"] += 1
        counts["errors"] += 1
        case = _case(suite, f"read {entry.dataset}: {entry.path}", report, "input")
        ET.SubElement(case, "error", message=entry.reason, type="unreadable")
    for missing in report.missing:
        counts["tests"] += 1
        counts["errors"] += 1
        case = _case(suite, f"required dataset {missing.dataset}", report, "input")
        ET.SubElement(case, "error", message=f"{missing.dataset} {missing.reason}", type="missing")
    for result in report.results:
        counts["tests"] += 1
        outcome = _testcase(suite, report, result, fail_on)
        if outcome:
            counts[outcome] += 1
    for element in (suites, suite):
        for counter, count in counts.items():
            element.set(counter, str(count))
        element.set("time", "0")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case(suite, name: str, report: ReportModel, group: str):
    classname = f"trialguard.{report.spec.id}.{group}"
    return ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")


def _testcase(
    suite, report: ReportModel, result: RuleResult, fail_on: Severity | None
) -> str | None:
    rule = result.rule
    case = _case(suite, f"{rule.id}: {rule.description}", report, rule.category or "rules")
    if result.leaves_unchecked:
        why = f"not run, so the transfer is not fully checked: {result.reason}"
        ET.SubElement(case, "error", message=why, type="not_run")
        return "errors"
    if result.status is Status.NOT_RUN:
        ET.SubElement(case, "skipped", message=f"not run: {result.reason}")
        return "skipped"
    if result.status is Status.ERROR:
        ET.SubElement(case, "error", message=result.reason or "the check broke", type="error")
        return "errors"
    open_findings = result.open_findings
    gated = report.gating_findings(result)  # with --fail-on-new, the new ones only
    gating = fail_on is not None and bool(gated) and rule.severity.rank >= fail_on.rank
    if gating:
        failure = ET.SubElement(
            case,
            "failure",
            message=f"{len(gated)} {rule.severity.value} finding(s)",
            type=rule.severity.value,
        )
        failure.text = "\n".join(summarised(gated))
    shown = _not_gating(report, open_findings) if gating else open_findings
    waived = result.findings.take(result.findings.waived())
    if shown or waived:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(
            summarised(shown)
            + [f"waived by {(f.waiver or {}).get('approver')}: {finding_line(f)}" for f in waived]
        )
    return "failures" if gating else None


# Lines of findings a test case lists (alike findings are one line); the JSON report holds all.
LINES_PER_RULE = 100


def summarised(findings: FindingTable) -> list[str]:
    """A line per finding (one per systematic pattern), at most LINES_PER_RULE of them, then a
    line saying how many more findings the JSON report holds."""
    lines: list[str] = []
    listed = 0
    for pattern in patterns(findings):
        parts = [pattern] if pattern.systematic else [Pattern((f,)) for f in pattern.findings]
        for part in parts[: LINES_PER_RULE - len(lines)]:
            lines.append(part.line(finding_line) if part.systematic else finding_line(part.example))
            listed += part.size
    left = len(findings) - listed
    return lines + ([f"... {left:,} more finding(s) in the JSON report"] if left else [])


def _not_gating(report: ReportModel, open_findings: FindingTable) -> FindingTable:
    """The open findings that do not fail the case: with --fail-on-new the persisting ones."""
    if report.fail_on_new:
        return open_findings.take(open_findings.histories() == "persisting")
    return FindingTable()


def finding_line(finding: Finding) -> str:
    """One line per finding: where it is, then what is wrong."""
    return f"{finding_place(finding)}: {finding.message}"


def finding_place(finding: Finding) -> str:
    where = [finding.domain or "study"]
    if finding.record is not None:
        where.append(f"record {finding.record}")
    if finding.usubjid:
        where.append(finding.usubjid)
    return " ".join(where)
