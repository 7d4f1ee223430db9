"""What must be fixed, and by whom: the report's failing rules grouped by who acts on them,
shared by the HTML report and the audit PDF.

Only actionable rows: a rule with open findings, a check that broke, a protocol (or GX suite)
rule that could not run and that nothing excuses, a required dataset not supplied, and a
dataset file that could not be read. A rule that does not apply to the study (not run, and
excused or of a kind whose not running leaves the verdict alone, such as a SUPP-- rule for a
study without SUPP-- datasets) is never an action; one unreadable file is one action, however
many rules could not run on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from trialguard.findings import FindingTable, RuleResult, Status
from trialguard.report_model import ReportModel
from trialguard.report_parts import UnreadableFile

# Who acts on a rule's findings, by the category of its check.
OWNERS = {
    "conformance": (
        "Data sender (SDTM programming)",
        "Correct the datasets: variables, values and terminology that break SDTM.",
    ),
    "openrules": (
        "Data sender (SDTM programming)",
        "Correct the datasets where CDISC's Open Rules find them breaking SDTM.",
    ),
    "crossdomain": (
        "Data management",
        "Reconcile records across domains and dates against the reference start.",
    ),
    "protocol": (
        "Clinical team / medical monitor",
        "Confirm each as a protocol deviation or have the site correct the data.",
    ),
    "transfer": (
        "Data management",
        "Reconcile the transfer with the sender: missing, altered or removed files and records.",
    ),
    "waivers": (
        "Data management",
        "Renew, correct or remove the waivers listed.",
    ),
    "define": (
        "Data sender (define.xml author)",
        "Make the datasets and the define.xml agree: correct whichever one is wrong.",
    ),
    "gx": (
        "Data team owning the GX suites",
        "Review the failed expectations of the team's great-expectations suites.",
    ),
}
NOT_RUN_OWNER = (
    "Data sender / spec owner",
    "Supply the missing data or fix the spec so that these rules can run.",
)
BROKEN_OWNER = (
    "trialguard maintainers / spec owner",
    "A check broke, so the transfer was not fully checked: report it with the rule's reason.",
)
SENDER = "Data sender"


@dataclass
class RuleRef:
    """A rule as a triage row lists it: its open findings, or why it did not run."""

    id: str
    severity: str
    status: str
    findings: int
    description: str
    reason: str | None


@dataclass
class Action:
    """One row of the triage: who acts, what to do, on which rules, and how much."""

    who: str
    what: str
    rules: list[RuleRef] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)
    subjects: int = 0
    blocking: bool = False  # the verdict cannot be accept until this is done
    rank: int = 0  # the highest severity among the rules with open findings (3 = error)


def build_triage(report: ReportModel) -> list[Action]:
    """The actions, those that block the verdict first, then the most severe and largest."""
    actions = _dataset_actions(report)
    blocked = {ref.id for action in actions for ref in action.rules}
    groups: dict[tuple[str, str], list[RuleResult]] = {}
    for result in report.results:
        owner = _owner(result)
        if owner is not None and result.rule.id not in blocked:
            groups.setdefault(owner, []).append(result)
    actions += [_rule_action(owner, results) for owner, results in groups.items()]
    return sorted(actions, key=lambda a: (not a.blocking, -a.rank, -sum(a.findings.values())))


def _owner(result: RuleResult) -> tuple[str, str] | None:
    """Who acts on a rule's result, or None when it asks for no action."""
    if result.status is Status.FAILED and result.open_findings:
        return OWNERS.get(result.rule.category, OWNERS["protocol"])
    if result.status is Status.ERROR:
        return BROKEN_OWNER
    if result.leaves_unchecked:
        return NOT_RUN_OWNER
    return None


def _rule_action(owner: tuple[str, str], results: list[RuleResult]) -> Action:
    ordered = sorted(results, key=lambda r: (-r.rule.severity.rank, -len(r.open_findings)))
    action = Action(who=owner[0], what=owner[1], rules=[_ref(r) for r in ordered])
    subjects: set[str] = set()
    for result in results:
        action.findings[result.rule.severity.value] += len(result.open_findings)
        subjects.update(result.open_findings.subjects())
    action.subjects = len(subjects)
    ranks = [r.rule.severity.rank for r in results if r.open_findings]
    action.rank = max(ranks, default=0)
    action.blocking = owner in (NOT_RUN_OWNER, BROKEN_OWNER)
    return action


def _ref(result: RuleResult) -> RuleRef:
    return RuleRef(
        id=result.rule.id,
        severity=result.rule.severity.value,
        status=result.status.value,
        findings=len(result.open_findings),
        description=result.rule.description,
        reason=result.reason,
    )


def _dataset_actions(report: ReportModel) -> list[Action]:
    """One action per unreadable file and per required dataset not supplied."""
    actions = []
    for unread in report.unreadable:
        stopped = [r for r in report.results if blocked_by(r, unread)]
        what = (
            f"Send {unread.dataset} again: {unread.path} could not be read ({unread.reason}). "
            f"{_stopped_text(stopped)}"
        )
        actions.append(Action(SENDER, what, [_ref(r) for r in stopped], blocking=True))
    unread_names = {u.dataset for u in report.unreadable}
    for missing in report.missing:
        if missing.dataset not in unread_names:
            what = f"Supply {missing.dataset}: the spec requires it ({missing.reason})."
            actions.append(Action(SENDER, what, blocking=True))
    return actions


def _stopped_text(stopped: list[RuleResult]) -> str:
    if not stopped:
        return "No rule needed it alone, but the transfer is incomplete without it."
    return f"{len(stopped)} rule(s) could not run on it until then."


def blocked_by(result: RuleResult, unread: UnreadableFile) -> bool:
    """True when `result` did not run because the file `unread` could not be read."""
    reason = result.reason or ""
    if result.status is not Status.NOT_RUN or "could not be read" not in reason:
        return False
    named = re.search(rf"\b{re.escape(unread.dataset)}\b", reason) is not None
    return unread.path in reason or named


def verdict_counts(report: ReportModel) -> dict[str, int | None]:
    """The counts the verdict banner shows: open findings by severity, the subjects they are
    about, and (when compared with a previous transfer) how many are new."""
    open_findings = FindingTable.joined(r.open_findings for r in report.results)
    counts: dict[str, int | None] = dict(report.summary())
    counts["subjects"] = len(open_findings.subjects())
    counts["waived"] = report.waived_count()
    counts["new"] = open_findings.count_history("new") if report.comparison is not None else None
    return counts
