"""The one findings model: severities, rule statuses, findings, rule results and the report.

A rule's findings are held as columns (`trialguard.findings_table.FindingTable`); a `Finding`
object is made when one is asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trialguard.findings_model import UNSKIPPABLE_CATEGORIES, Finding, Severity, Status
from trialguard.findings_table import FindingTable

__all__ = ["Finding", "FindingTable", "RuleInfo", "RuleResult", "Severity", "Status"]


@dataclass(frozen=True)
class RuleInfo:
    """What the report says about a rule, independent of its outcome."""

    id: str
    kind: str
    severity: Severity
    description: str
    source: str
    assumed: bool = False
    assumption: str | None = None
    origin: str = ""
    category: str = ""
    optional: bool = False  # when it does not run, the verdict may still be accept


@dataclass
class RuleResult:
    rule: RuleInfo
    status: Status
    reason: str | None = None
    # Why a rule that did not run leaves the verdict alone: optional in the spec, deselected,
    # allowed with --allow-not-run, or waiting for an input not given (e.g. --manifest).
    excused: str | None = None
    findings: FindingTable = field(default_factory=FindingTable)
    not_evaluable: FindingTable = field(default_factory=FindingTable)
    table: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # findings given as Finding objects (read back from a report, built by a test)
        self.findings = FindingTable.of(self.findings)
        self.not_evaluable = FindingTable.of(self.not_evaluable)

    @property
    def open_findings(self) -> FindingTable:
        """Findings no waiver accepts: the ones that count and can fail the run."""
        return self.findings.open()

    @property
    def leaves_unchecked(self) -> bool:
        """A protocol rule (or a GX suite's rule) that did not run and nothing excuses: the
        transfer is not fully checked, so it cannot be accepted."""
        return (
            self.status is Status.NOT_RUN
            and self.excused is None
            and self.rule.category in UNSKIPPABLE_CATEGORIES
        )
