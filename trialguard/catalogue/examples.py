"""Example findings for the catalogue, read from trialguard JSON reports (`validate --json`).

A rule's example is its first finding in the first report, in the order given, that has one
and whose spec runs the rule as the catalogue entry defines it: a trial spec that overrides a
rule gives examples to its own entry, not to its base's.  A report of a spec the catalogue does
not know gives examples to every entry of the rule's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard.audit import load_report
from trialguard.catalogue.model import Example
from trialguard.errors import InputError
from trialguard.findings import Finding


@dataclass(frozen=True)
class ExampleReport:
    """A JSON report as the catalogue reads it: its spec, study and first finding of each rule."""

    path: Path
    spec_id: str
    spec: str  # id and version
    study: str
    first_findings: dict[str, Finding]  # rule id -> its first finding in the report


def read_example_report(path: Path) -> ExampleReport:
    """The report at `path`; a file that is not a trialguard JSON report is an InputError."""
    data = load_report(path)
    if not isinstance(data.get("findings"), list) or not isinstance(data.get("spec"), dict):
        raise InputError(path, "not a trialguard JSON report (no spec and findings)")
    spec, study = data["spec"], data.get("study")
    studyids = (study.get("studyid") if isinstance(study, dict) else None) or []
    return ExampleReport(
        path=path,
        spec_id=str(spec.get("id", "")),
        spec=f"{spec.get('id', '')} {spec.get('version', '')}".strip(),
        study=", ".join(str(s) for s in studyids),
        first_findings=_first_findings(path, data["findings"]),
    )


def _first_findings(path: Path, entries: list[Any]) -> dict[str, Finding]:
    """Each rule's first finding; the findings after it are not read further."""
    first: dict[str, Finding] = {}
    for entry in entries:
        if isinstance(entry, dict) and entry.get("rule_id") in first:
            continue
        try:
            finding = Finding.from_dict(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InputError(path, f"a finding of the report is malformed ({error!r})") from error
        first[finding.rule_id] = finding
    return first


def example_for(
    rule_id: str, run_by: tuple[str, ...], reports: list[ExampleReport], known_specs: set[str]
) -> Example | None:
    """The first finding of `rule_id` in a report whose spec runs this definition of it."""
    for report in reports:
        finding = report.first_findings.get(rule_id)
        if finding is None:
            continue
        if report.spec_id in run_by or report.spec_id not in known_specs:
            return _example(finding, report)
    return None


def _example(finding: Finding, report: ExampleReport) -> Example:
    return Example(
        message=finding.message,
        dataset=finding.domain,
        record=finding.record,
        usubjid=finding.usubjid,
        variables=finding.variables,
        values=dict(finding.values),
        report=str(report.path),
        spec=report.spec,
        study=report.study,
    )
