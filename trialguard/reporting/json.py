"""The JSON report: the canonical form of a Report, and the contract outside tools rely on."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np

from trialguard.findings import Finding, FindingTable, RuleResult
from trialguard.findings_block import Block, ColumnBlock
from trialguard.findings_json import json_plan
from trialguard.findings_text import joined
from trialguard.report_model import ReportModel
from trialguard.report_parts import Comparison

SCHEMA_VERSION = "1.4"


# Findings the HTML and Excel reports list per rule, with a row saying how many more the JSON
# report holds (Pinnacle 21 and CORE cap theirs at 1,000 a rule too).
FINDINGS_PER_RULE = 1_000


def build_json(report: ReportModel, shown: int | None = None) -> dict[str, Any]:
    """The report as one document; `shown` limits the findings listed to the first of each rule
    (the JSON report itself streams every finding: `write_json`)."""
    return build_head(report) | {
        "findings": [f.to_dict() for f in _listed(report.findings(), shown)],
        "not_evaluable": [f.to_dict() for f in _listed(report.not_evaluable(), shown)],
    }


def _listed(findings: FindingTable, shown: int | None) -> list[Finding]:
    if shown is None:
        return list(findings)
    return [f for table in findings.by_rule() for f in table.head(shown)]


def build_head(report: ReportModel) -> dict[str, Any]:
    """Everything but the lists of findings."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "trialguard", "version": report.tool_version},
        "run": {
            "id": report.run_id,
            "started": report.started,
            "command": report.command,
            "cwd": report.cwd,
            "folders": report.folders,
        },
        "study": {"studyid": report.study_ids},
        "spec": {
            "id": report.spec.id,
            "version": report.spec.version,
            "sha256": report.spec.sha256,
            "path": report.spec.path,
            "title": report.spec.title,
            "files": [{"path": path, "sha256": sha} for path, sha in report.spec.files],
            "requires": list(report.spec.requires),
            "assumptions": report.assumptions,
        },
        "standards": _standards(report),
        "fail_on": report.fail_on.value if report.fail_on else "never",
        "fail_on_new": report.fail_on_new,
        "verdict": report.verdict,
        "verdict_reason": report.verdict_reason,
        "inputs": [
            {
                "dataset": i.dataset,
                "path": i.path,
                "format": i.format,
                "sha256": i.sha256,
                "records": i.records,
                "variables": i.variables,
                "taken_by": i.taken_by,
            }
            for i in report.inputs
        ],
        "complete": report.complete,
        "missing": [dataclasses.asdict(m) for m in report.missing],
        "unreadable": [dataclasses.asdict(u) for u in report.unreadable],
        "files": [dataclasses.asdict(f) for f in report.files],
        "skipped": [{"path": path, "reason": why} for path, why in report.skipped],
        "notices": list(report.notices),
        "summary": report.summary(),
        "waived": report.waived_count(),
        "rules": [_rule(result) for result in report.results],
        "findings": [],
        "not_evaluable": [],
        "waivers": [dataclasses.asdict(w) for w in report.waivers],
        "comparison": _comparison(report.comparison, history_counts(report)),
    }


def _standards(report: ReportModel) -> dict[str, Any]:
    standards = report.standards
    return {
        "sdtmig": {
            "version": standards.ig_version,
            "model": standards.ig_model,
            "source": standards.ig_source,
            "note": standards.ig_note or None,
            "title": standards.ig_title,
        },
        "ct": {
            "title": standards.ct_title,
            "release": standards.ct_release,
            "source": standards.ct_source,
            "sha256": standards.ct_sha256,
            "note": standards.ct_note or None,
        },
    }


def history_counts(report: ReportModel) -> dict[str, int]:
    """How many findings are new, persisting and resolved since the previous transfer."""
    findings = report.findings()
    counts = {name: findings.count_history(name) for name in ("new", "persisting")}
    return counts | {"resolved": len(report.resolved)}


def _comparison(comparison: Comparison | None, history: dict[str, int]) -> dict[str, Any] | None:
    if comparison is None:
        return None
    previous: dict[str, Any] = {"path": comparison.previous_path, "kind": comparison.previous_kind}
    if comparison.previous_run is not None:
        previous["run"] = comparison.previous_run
    entry: dict[str, Any] = {"previous": previous, "records_compared": comparison.records_compared}
    if comparison.why_not:
        entry["why_not"] = comparison.why_not
    if comparison.records_compared:
        entry |= {
            "datasets": comparison.datasets,
            "subjects_removed": comparison.subjects_removed,
            "subjects_added": comparison.subjects_added,
            "critical_changes": comparison.critical_changes,
            "not_compared": comparison.not_compared,
        }
    return entry | {
        "findings": history,
        "resolved_findings": [f.to_dict() for f in comparison.resolved],
    }


def _rule(result: RuleResult) -> dict[str, Any]:
    rule = result.rule
    entry: dict[str, Any] = {
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
        "optional": rule.optional,
        "excused": result.excused,
    }
    if result.table is not None:
        entry["table"] = result.table
    if result.notes:
        entry["notes"] = result.notes
    return entry


def render_json(report: ReportModel) -> str:
    """Strict JSON (RFC 8259): values reach it as text ('inf') or null, never NaN or Infinity."""
    return "".join(json_parts(report))


def write_json(report: ReportModel, out: TextIO) -> None:
    """The JSON report written as it is made: the findings a chunk at a time, never the whole
    document in memory."""
    for part in json_parts(report):
        out.write(part)


def json_parts(report: ReportModel) -> Iterator[str]:
    """The JSON report in parts: the head indented, each finding on a line of its own."""
    marks = {"findings": "\x00findings", "not_evaluable": "\x00not_evaluable"}
    head = build_head(report) | marks
    text = json.dumps(head, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    lists = {"findings": report.findings(), "not_evaluable": report.not_evaluable()}
    for name, mark in marks.items():
        before, text = text.split(json.dumps(mark), 1)
        yield before
        yield from _finding_lines(lists[name])
    yield text


def _finding_lines(findings: FindingTable) -> Iterator[str]:
    if not findings:
        yield "[]"
        return
    plans: dict[int, Any] = {}
    yield "[\n    "
    for number, chunk in enumerate(findings.chunks()):
        size = sum(len(positions) for _, positions, _ in chunk)
        rows: list[str] = [""] * size
        for block, positions, slots in chunk:
            for slot, row in zip(slots.tolist(), _rows(block, positions, plans), strict=True):
                rows[slot] = row
        yield (",\n    " if number else "") + ",\n    ".join(rows)
    yield "\n  ]"


BY_COLUMNS = 64  # a block of this many findings is written from its columns


def _rows(block: Block, positions: np.ndarray, plans: dict[int, Any]) -> list[str]:
    """Each finding's JSON text, as `json.dumps(finding.to_dict())` writes it."""
    if id(block) not in plans:
        plans[id(block)] = None  # a few findings: each written as an object
        if isinstance(block, ColumnBlock) and len(block) >= BY_COLUMNS:
            plans[id(block)] = json_plan(block)
    plan = plans[id(block)]
    if plan is None:
        return [
            json.dumps(block.finding(int(p)).to_dict(), ensure_ascii=False, allow_nan=False)
            for p in positions
        ]
    pattern, slots = plan
    return joined(pattern, slots, positions)
