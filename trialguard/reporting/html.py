"""The HTML report: one self-contained file rendered from Jinja2 templates, CSS and JS inlined.

Bounded parts (verdict, triage, summary, rules, escalation) are rendered as
HTML; the findings and subject timelines, which grow with the study, travel as
one JSON block that the inlined script pages, filters and draws.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from trialguard.findings import FindingTable, Severity
from trialguard.report_model import ReportModel
from trialguard.reporting.json import FINDINGS_PER_RULE, build_json
from trialguard.reporting.junit import finding_line
from trialguard.reporting.patterns import systematic
from trialguard.reporting.table_rows import group_counts
from trialguard.reporting.triage import build_triage, verdict_counts
from trialguard.scalars import display_text

SCRIPTS = ("report.js", "findings.js", "timelines.js")


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("trialguard.reporting", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    environment.filters["shown"] = display_text
    environment.filters["count"] = "{:,}".format
    return environment


def _static(name: str) -> str:
    return (files("trialguard.reporting") / "static" / name).read_text(encoding="utf-8")


def render_html(report: ReportModel, per_rule: int | None = FINDINGS_PER_RULE) -> str:
    data = cut_for_display(build_json(report, shown=per_rule))
    findings = report.findings()
    cut = cut_rules(findings, per_rule)
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=data,
        verdict=report.verdict,
        accepted=report.verdict == "accept",
        verdict_reason=display_text(report.verdict_reason),
        gated=report.fail_on is not None,
        fail_on=data["fail_on"],
        status_counts=report.status_counts(),
        triage=build_triage(report),
        counts=verdict_counts(report),
        systematic=_systematic(report),
        by_domain=counts_by_domain(findings),
        domains=sorted({d for d in findings.counting_frame()["domain"] if d}),
        subjects_with_findings=sorted(findings.subjects()),
        total_findings=len(findings),
        per_rule=per_rule,
        cut=cut,
        timelines=report.timelines or {"available": False, "reason": "no subject timelines"},
        payload=script_json(client_data(data, report.timelines, cut)),
        css=_static("report.css"),
        js="\n".join(_static(name) for name in SCRIPTS),
    )


def _systematic(report: ReportModel) -> list[dict[str, Any]]:
    """One row per systematic pattern (the most severe first, then the largest): the rule, how
    many alike findings, an example."""
    rows = [
        {
            "rule": p.example.rule_id,
            "severity": p.example.severity.value,
            "count": p.size,
            "subjects": p.subjects,
            "example": display_text(finding_line(p.example)),
        }
        for result in report.results
        for p in systematic(result.findings)
    ]
    return sorted(rows, key=lambda row: (-Severity(row["severity"]).rank, -row["count"]))


def cut_rules(findings: FindingTable, per_rule: int | None) -> list[dict[str, Any]]:
    """The rules with more findings than the report lists: how many are listed, and how many
    more the JSON report holds."""
    if per_rule is None:
        return []
    totals = findings.counting_frame()["rule_id"].value_counts().to_dict()
    return [
        {"rule": rule, "listed": per_rule, "total": total, "more": total - per_rule}
        for rule, total in sorted(totals.items())
        if total > per_rule
    ]


def counts_by_domain(findings: FindingTable) -> list[dict[str, Any]]:
    """Findings (waived ones too) by dataset and severity, read from the columns."""
    frame = findings.counting_frame()
    counts: dict[str, Counter] = {}
    for (domain, severity), count in group_counts(frame, ["domain", "severity"]).items():
        counts.setdefault(domain or "(study)", Counter())[severity] += count
    return [
        {"domain": domain, **{s.value: counts[domain][s.value] for s in Severity}}
        for domain in sorted(counts)
    ]


def client_data(
    data: dict[str, Any],
    timelines: dict[str, Any] | None,
    cut: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What the script needs: findings as compact rows (the most severe first, then by rule, as
    the table first shows them), rule texts, how many more findings of a rule the JSON report
    holds, timelines."""
    rows = [
        [
            f["severity"],
            f["rule_id"],
            f["domain"],
            f["record"],
            f["usubjid"],
            ", ".join(f["variables"]),
            [f"{k}={'empty' if v is None else v}" for k, v in f["values"].items()],
            f["message"],
            f["protocol_day"],
            f["history"],
            _waiver_text(f["waiver"]),
        ]
        for f in by_severity(data["findings"])
    ]
    rules = {
        r["id"]: {"description": r["description"], "severity": r["severity"]} for r in data["rules"]
    }
    return {
        "run": data["run"]["id"],
        "findings": rows,
        "rules": rules,
        "more": {c["rule"]: c["more"] for c in cut or []},
        "total": len(rows) + sum(c["more"] for c in cut or []),
        "timelines": timelines or {"available": False},
    }


def by_severity(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings ordered by severity, most severe first, keeping the report's order (by rule,
    then dataset and record) within a severity."""
    return sorted(findings, key=lambda f: -Severity(f["severity"]).rank)


def _waiver_text(waiver: dict[str, Any] | None) -> str | None:
    if waiver is None:
        return None
    return f"waived by {waiver['approver']} until {waiver['expires']}: {waiver['reason']}"


def cut_for_display(node: Any) -> Any:
    """The report's data with every text cut as the HTML draws it (`display_text`)."""
    if isinstance(node, str):
        return display_text(node)
    if isinstance(node, dict):
        return {key: cut_for_display(value) for key, value in node.items()}
    if isinstance(node, list):
        return [cut_for_display(value) for value in node]
    return node


def script_json(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no character can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(raw, escaped)
    return Markup(text)
