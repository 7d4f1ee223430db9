"""The JSON report: the canonical form of a Report, and the contract outside tools rely on."""

from __future__ import annotations

import json
from typing import Any

from trialguard.findings import Finding, Report, RuleResult

SCHEMA_VERSION = "1.0"


def build_json(report: Report) -> dict[str, Any]:
    findings = report.findings()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "trialguard", "version": report.tool_version},
        "run": {"id": report.run_id, "started": report.started, "command": report.command},
        "study": {"studyid": report.study_ids},
        "spec": {
            "id": report.spec.id,
            "version": report.spec.version,
            "sha256": report.spec.sha256,
            "path": report.spec.path,
            "title": report.spec.title,
            "files": [{"path": path, "sha256": sha} for path, sha in report.spec.files],
            "assumptions": report.assumptions,
        },
        "inputs": [
            {
                "dataset": i.dataset,
                "path": i.path,
                "format": i.format,
                "sha256": i.sha256,
                "records": i.records,
                "variables": i.variables,
            }
            for i in report.inputs
        ],
        "complete": report.complete,
        "unreadable": report.unreadable,
        "files": report.files,
        "skipped": [{"path": path, "reason": why} for path, why in report.skipped],
        "summary": report.summary(),
        "waived": report.waived_count(),
        "rules": [_rule(result) for result in report.results],
        "findings": [f.to_dict() for f in findings],
        "not_evaluable": [f.to_dict() for f in report.not_evaluable()],
        "waivers": report.waivers,
        "comparison": _comparison(report, findings),
    }


def _comparison(report: Report, findings: list[Finding]) -> dict[str, Any] | None:
    if report.comparison is None:
        return None
    history = {"new": 0, "persisting": 0}
    for finding in findings:
        if finding.history in history:
            history[finding.history] += 1
    return {
        **report.comparison,
        "findings": history | {"resolved": len(report.resolved)},
        "resolved_findings": [f.to_dict() for f in report.resolved],
    }


def _rule(result: RuleResult) -> dict[str, Any]:
    rule = result.rule
    entry = {
        "id": rule.id,
        "kind": rule.kind,
        "severity": rule.severity.value,
        "status": result.status.value,
        "reason": result.reason,
        "findings": len(result.findings),
        "waived": len(result.findings) - len(result.open_findings),
        "not_evaluable": len(result.not_evaluable),
        "description": rule.description,
        "source": rule.source,
        "assumed": rule.assumed,
        "assumption": rule.assumption,
        "origin": rule.origin,
        "category": rule.category,
    }
    if result.table is not None:
        entry["table"] = result.table
    if result.notes:
        entry["notes"] = result.notes
    return entry


def render_json(report: Report) -> str:
    return json.dumps(build_json(report), indent=2, ensure_ascii=False) + "\n"
