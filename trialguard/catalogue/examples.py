"""Example findings for the catalogue, read from trialguard JSON reports (`validate --json`).

A rule's example is its first finding in the first report, in the order given, that has one
and whose spec runs the rule as the catalogue entry defines it: a trial spec that overrides a
rule gives examples to its own entry, not to its base's.  A report of a spec the catalogue does
not list gives no example (its rule of the same id may run with other parameters): name its
spec with `--spec` to take them.  Only the first finding of each rule is kept, and a report is
read up to EXAMPLE_REPORT_BYTES.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialguard.audit import load_report
from trialguard.catalogue.model import Example
from trialguard.errors import InputError
from trialguard.findings import Finding

EXAMPLE_REPORT_BYTES = 512 * 2**20


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
    _refuse_a_large_report(path)
    data = load_report(path)
    if not isinstance(data.get("findings"), list) or not isinstance(data.get("spec"), dict):
        raise InputError(path, "not a trialguard JSON report (no spec and findings)")
    spec, study = data["spec"], data.get("study")
    studyids = (study.get("studyid") if isinstance(study, dict) else None) or []
    if not isinstance(studyids, list):
        studyids = [studyids]
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
    for number, entry in enumerate(entries, start=1):
        rule_id = entry.get("rule_id") if isinstance(entry, dict) else None
        if not isinstance(rule_id, str):
            raise InputError(path, f"finding {number} of the report has no rule_id text")
        if rule_id in first:
            continue
        try:
            first[rule_id] = Finding.from_dict(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InputError(
                path, f"finding {number} of the report is malformed: {error}"
            ) from error
    return first


def _refuse_a_large_report(path: Path) -> None:
    """A report past EXAMPLE_REPORT_BYTES is refused before it is read: the whole document is
    held while its first findings are taken (about five times its size in memory)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # load_report names what is wrong with the path
    if size > EXAMPLE_REPORT_BYTES:
        raise InputError(
            path,
            f"{size:,} bytes is more than the {EXAMPLE_REPORT_BYTES:,} read for examples; give "
            "the report of a smaller transfer (one planted defect of each kind will do)",
        )


def example_for(
    rule_id: str, run_by: tuple[str, ...], reports: list[ExampleReport]
) -> Example | None:
    """The first finding of `rule_id` in a report whose spec runs this definition of it."""
    for report in reports:
        finding = report.first_findings.get(rule_id)
        if finding is None:
            continue
        if report.spec_id in run_by:
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
