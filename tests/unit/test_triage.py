"""The triage, "what must be fixed, by whom": only actionable rows, one per unreadable file,
those that block the verdict first; and the counts the verdict banner shows."""

from __future__ import annotations

from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.report import Comparison, Report, SpecInfo, UnreadableFile
from trialguard.reporting.html import render_html
from trialguard.reporting.triage import BROKEN_OWNER, NOT_RUN_OWNER, build_triage, verdict_counts

TS_PATH = "transfer/ts.xpt"
TS_UNREAD = f"TS could not be read ({TS_PATH}: the file is 500 bytes, it looks truncated)"


def rule(rule_id: str, category: str, severity: str = "error") -> RuleInfo:
    return RuleInfo(
        rule_id, "kind", Severity(severity), f"{rule_id} holds", "SDTMIG", category=category
    )


def finding(rule_id: str, subject: str, severity: str = "error", **extra) -> Finding:
    return Finding(rule_id, Severity(severity), "AE", subject, 1, ("AETERM",), {}, "wrong", **extra)


def failed(rule_id: str, category: str, subjects: list[str], severity: str = "error", **extra):
    findings = [finding(rule_id, s, severity, **extra) for s in subjects]
    return RuleResult(rule(rule_id, category, severity), Status.FAILED, findings=findings)


def not_run(rule_id: str, category: str, reason: str, excused: str | None = None) -> RuleResult:
    return RuleResult(rule(rule_id, category), Status.NOT_RUN, reason=reason, excused=excused)


def make_report(*results: RuleResult, **fields) -> Report:
    spec = SpecInfo(id="t", version="1", sha256="0" * 64, path="t.yaml", title="test")
    return Report("0.1", "run", "2026-01-01T00:00:00Z", "", spec, [], list(results), **fields)


def test_a_rule_that_does_not_apply_to_the_study_is_never_an_action():
    report = make_report(
        not_run("SD-SUPP-PARENT", "crossdomain", "no SUPP-- dataset supplied"),
        not_run("SD-SUPP-QNAM", "crossdomain", "no SUPP-- dataset supplied"),
        not_run("SD-TESTCD", "conformance", "lacks --TESTCD", excused="lacks --TESTCD"),
        not_run("RES-ESC", "protocol", "DLT not supplied", excused="optional rule"),
    )
    assert build_triage(report) == []
    assert "Nothing to fix" in render_html(report)


def test_a_protocol_rule_that_could_not_run_is_an_action_that_blocks_the_verdict():
    (action,) = build_triage(make_report(not_run("RES-AGE", "protocol", "DM lacks AGE")))
    assert (action.who, action.what) == NOT_RUN_OWNER
    assert [r.id for r in action.rules] == ["RES-AGE"] and action.blocking


def test_one_unreadable_dataset_is_one_action_whatever_the_rules_it_stopped():
    stopped = [not_run(f"SD-TS-{n}", "crossdomain", TS_UNREAD) for n in range(30)]
    stopped.append(not_run("RES-TS", "protocol", TS_UNREAD))
    unread = UnreadableFile("TS", TS_PATH, "the file is 500 bytes, it looks truncated", "ab" * 32)
    report = make_report(*stopped, failed("SD-KEY", "conformance", ["S1"]), unreadable=[unread])
    actions = build_triage(report)
    assert [a.who for a in actions] == ["Data sender", "Data sender (SDTM programming)"]
    first = actions[0]
    assert first.blocking and TS_PATH in first.what and "31 rule(s) could not run" in first.what
    assert [r.id for r in first.rules] == [r.rule.id for r in stopped]
    page = render_html(report)
    assert page.count('<tr class="blocking">') == 1


def test_actions_that_block_come_first_then_the_most_severe():
    report = make_report(
        failed("SD-AEEND", "conformance", [f"S{n}" for n in range(100)], "warning"),
        failed("RES-AGE", "protocol", ["S1"]),
        RuleResult(rule("SD-BROKE", "conformance"), Status.ERROR, reason="the check broke"),
    )
    actions = build_triage(report)
    assert [a.who for a in actions] == [
        BROKEN_OWNER[0],
        "Clinical team / medical monitor",
        "Data sender (SDTM programming)",
    ]
    assert actions[2].findings["warning"] == 100 and actions[2].subjects == 100


def test_within_an_action_its_rules_are_listed_errors_first():
    report = make_report(
        failed("SD-AEEND", "conformance", ["S1", "S2"], "warning"),
        failed("SD-KEY", "conformance", ["S1"]),
    )
    (action,) = build_triage(report)
    assert [r.id for r in action.rules] == ["SD-KEY", "SD-AEEND"]
    assert action.findings == {"error": 1, "warning": 2} and action.subjects == 2


def test_findings_a_waiver_accepts_ask_for_no_action_and_are_not_counted():
    waived = failed("SD-KEY", "conformance", ["S1", "S2"], waiver={"approver": "A"})
    report = make_report(waived, failed("SD-DY", "crossdomain", ["S3"]))
    (action,) = build_triage(report)
    assert [r.id for r in action.rules] == ["SD-DY"]
    counts = verdict_counts(report)
    assert (counts["error"], counts["subjects"], counts["waived"], counts["new"]) == (1, 1, 2, None)


def test_the_banner_counts_new_findings_when_compared_with_a_previous_transfer():
    new = failed("SD-KEY", "conformance", ["S1", "S2"], history="new")
    persisting = failed("SD-DY", "crossdomain", ["S2", "S3", "S4"], history="persisting")
    comparison = Comparison("previous/", "folder", records_compared=False, why_not="test")
    report = make_report(new, persisting, comparison=comparison)
    counts = verdict_counts(report)
    assert (counts["error"], counts["subjects"], counts["new"]) == (5, 4, 2)
    page = render_html(report)
    assert "<b>2</b> new since the previous transfer" in page
