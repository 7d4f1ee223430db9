"""The transfer checks around a validation: manifest first, then the comparison with the previous
transfer and the finding history, then waivers."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trialguard.errors import InputError
from trialguard.findings import Finding, Report, Severity
from trialguard.readers.dataset import sha256_of
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES
from trialguard.readers.study import Study, read_study
from trialguard.reporting.json import build_json
from trialguard.runner import run_validation
from trialguard.spec.loader import Spec
from trialguard.transfer.compare import compare_studies, removal_results
from trialguard.transfer.manifest import check_manifest, load_manifest, manifest_file_entry
from trialguard.transfer.waivers import apply_waivers, load_waivers, waivers_file_entry

HISTORY_FREE = {"transfer", "waivers"}  # rules about the transfer itself have no history


@dataclass(frozen=True)
class TransferOptions:
    previous: Path | None = None
    manifest: Path | None = None
    waivers: Path | None = None
    today: dt.date | None = None
    encoding: str | None = None
    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES


def check_transfer(report: Report, study: Study, spec: Spec, options: TransferOptions) -> Report:
    """Adds the manifest, comparison and waiver results to `report` (in place) and returns it."""
    waivers = load_waivers(options.waivers) if options.waivers else None
    if options.manifest:
        entries = load_manifest(options.manifest)
        report.results.insert(0, check_manifest(entries, study, options.manifest))
        report.files.append(manifest_file_entry(options.manifest))
    if options.previous:
        compare_with_previous(report, study, spec, options)
    if waivers is not None:
        today = options.today or dt.datetime.now(dt.UTC).date()
        outcomes, entries = apply_waivers(report.results, waivers, options.waivers, today)
        report.results.extend(outcomes)
        report.waivers = entries
        report.files.append(waivers_file_entry(options.waivers))
    return report


def compare_with_previous(report: Report, study: Study, spec: Spec, options: TransferOptions):
    previous = options.previous
    if previous.is_file() and previous.suffix.lower() == ".json":
        earlier = previous_report(previous)
        report.comparison = {
            "previous": {"path": str(previous), "kind": "json report", "run": earlier["run"]},
            "records_compared": False,
            "why_not": "the previous transfer was given as a JSON report, which holds findings "
            "but no records; give its folder to compare records",
        }
        report.files.append(
            {"role": "previous", "path": str(previous), "sha256": sha256_of(previous)}
        )
        mark_history(report, earlier["findings"])
        return
    old = read_study([previous], encoding=options.encoding, max_file_bytes=options.max_file_bytes)
    if old.unreadable:
        first = old.unreadable[0]
        raise InputError(first.path, f"the previous transfer cannot be compared: {first.reason}")
    comparison = compare_studies(old, study, spec)
    report.comparison = {
        "previous": {"path": str(previous), "kind": "folder"},
        "records_compared": True,
        **comparison,
    }
    earlier = build_json(run_validation(old, spec))
    mark_history(report, earlier["findings"])
    report.results.extend(removal_results(comparison, spec))


def previous_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"not a readable trialguard JSON report ({error})") from error
    if not isinstance(data, dict) or "findings" not in data or "schema_version" not in data:
        raise InputError(path, "not a trialguard JSON report (no schema_version and findings)")
    return data


def identity_of(finding: dict[str, Any]) -> tuple:
    return (
        finding["rule_id"],
        finding.get("domain"),
        finding.get("usubjid"),
        finding.get("seq"),
        tuple(finding.get("variables") or ()),
    )


def mark_history(report: Report, previous: list[dict[str, Any]]) -> None:
    """Each finding becomes new or persisting; previous findings not met again are resolved."""
    remaining = Counter(identity_of(f) for f in previous)
    for result in report.results:
        if result.rule.category in HISTORY_FREE:
            continue
        result.findings = [_marked(f, remaining) for f in result.findings]
    unmatched = []
    for finding in previous:
        key = identity_of(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            unmatched.append(finding)
    report.resolved = [_from_dict(f) for f in unmatched]


def _marked(finding: Finding, remaining: Counter) -> Finding:
    key = finding.identity()
    if remaining[key] > 0:
        remaining[key] -= 1
        return replace(finding, history="persisting")
    return replace(finding, history="new")


def _from_dict(data: dict[str, Any]) -> Finding:
    return Finding(
        rule_id=data["rule_id"],
        severity=Severity(data["severity"]),
        domain=data.get("domain"),
        usubjid=data.get("usubjid"),
        record=data.get("record"),
        variables=tuple(data.get("variables") or ()),
        values=data.get("values") or {},
        message=data.get("message", ""),
        protocol_day=data.get("protocol_day"),
        seq=data.get("seq"),
        history="resolved",
    )
