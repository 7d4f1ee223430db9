"""The job summary a GitHub step shows (`$GITHUB_STEP_SUMMARY`, with `--format github`): the
verdict, the findings by severity (new and persisting when compared with a previous transfer),
the rules with the most findings, and where the full reports are.  Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trialguard.findings import RuleResult, Severity, Status
from trialguard.report_model import ReportModel
from trialguard.reporting.json import history_counts

TOP_RULES = 10
SEVERITIES = [severity.value for severity in Severity]


def render_step_summary(report: ReportModel, full_list: Sequence[str] = ()) -> str:
    lines = [
        f"## trialguard: {report.verdict.upper()}",
        "",
        f"{_cell(report.verdict_reason)}.",
        "",
        f"Spec {report.spec.id} {report.spec.version} | {report.standards.ig_title} | "
        f"run `{report.run_id[:12]}`",
        "",
    ]
    lines += _count_table(report) + [""] + _problem_lines(report) + _rule_table(report)
    if full_list:
        lines += ["", "Every finding: " + ", ".join(f"`{path}`" for path in full_list)]
    return "\n".join(lines) + "\n"


def _count_table(report: ReportModel) -> list[str]:
    """Open findings by severity, and by history when the run was compared."""
    rows = [("findings", report.summary())]
    if report.comparison is not None:
        for history in ("new", "persisting"):
            rows.append((history, _severity_counts(report, history)))
    lines = ["| | " + " | ".join(SEVERITIES) + " | total |", "|---|" + "---:|" * 4]
    for name, counts in rows:
        values = [counts[s] for s in SEVERITIES]
        lines.append(f"| {name} | " + " | ".join(map(str, values)) + f" | {sum(values)} |")
    return lines


def _severity_counts(report: ReportModel, history: str) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for result in report.results:
        found = result.open_findings.count_history(history)
        counts[result.rule.severity.value] += found
    return counts


def _problem_lines(report: ReportModel) -> list[str]:
    """Unreadable and missing datasets, resolved and waived findings: a line each, if any."""
    lines = [
        f"- **not read**: {u.dataset} (`{u.path}`): {_cell(u.reason)}" for u in report.unreadable
    ]
    lines += [f"- **missing**: {m.dataset} {_cell(m.reason)}" for m in report.missing]
    if report.comparison is not None and report.comparison.previous_kind != "first transfer":
        lines.append(
            f"- resolved since the previous transfer: {history_counts(report)['resolved']}"
        )
    if report.waived_count():
        lines.append(f"- waived: {report.waived_count()}")
    return lines + [""] if lines else []


def _rule_table(report: ReportModel) -> list[str]:
    """The rules with the most findings: those with new ones first, then by severity, new
    findings and findings."""
    failed = [r for r in report.results if r.status is Status.FAILED and r.open_findings]
    if not failed:
        return []
    failed.sort(
        key=lambda r: (_new(r) == 0, -r.rule.severity.rank, -_new(r), -len(r.open_findings))
    )
    shown = failed[:TOP_RULES]
    heading = f"### Rules with findings ({len(shown)} of {len(failed)})"
    lines = [
        heading,
        "",
        "| rule | severity | findings | new | rule says |",
        "|---|---|---:|---:|---|",
    ]
    for result in shown:
        rule = result.rule
        new = str(_new(result)) if report.comparison is not None else ""
        lines.append(
            f"| {_cell(rule.id)} | {rule.severity.value} | {len(result.open_findings)} "
            f"| {new} | {_cell(rule.description)} |"
        )
    return lines


def _new(result: RuleResult) -> int:
    return result.open_findings.count_history("new")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def append_step_summary(path: Path, text: str) -> None:
    """Append to the step summary file GitHub gave; OSError is left to the caller."""
    with path.open("a", encoding="utf-8") as out:
        out.write(text)
