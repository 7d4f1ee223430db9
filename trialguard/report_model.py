"""The report of one validation as data: what was read, what was missing, every rule's result,
the transfer checks around it, and the queries every renderer asks of it: the findings in report
order, the counts by severity and status, and the verdict with its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from trialguard.findings import Finding, FindingTable, RuleResult, Severity, Status
from trialguard.report_parts import (
    Comparison,
    InputInfo,
    MissingDataset,
    ReportFile,
    SpecInfo,
    StandardsInfo,
    UnreadableFile,
    WaiverEntry,
)

if TYPE_CHECKING:
    import pandas as pd

Verdict = Literal["accept", "reject", "incomplete"]
LATER_STAGE_CATEGORIES = ("transfer", "waivers")
FINDING_COLUMNS = (
    "rule_id",
    "kind",
    "severity",
    "domain",
    "record",
    "line",
    "usubjid",
    "seq",
    "variables",
    "values",
    "message",
    "protocol_day",
    "history",
    "waived",
)


@dataclass(frozen=True)
class ReportModel:
    """One run's report as data and the questions asked of it; `trialguard.report.Report` adds
    the writers of its files."""

    tool_version: str
    run_id: str
    started: str
    command: str
    spec: SpecInfo
    inputs: list[InputInfo]
    results: list[RuleResult]
    fail_on: Severity | None = Severity.ERROR
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    unreadable: list[UnreadableFile] = field(default_factory=list)
    missing: list[MissingDataset] = field(default_factory=list)
    study_ids: list[str] = field(default_factory=list)
    assumptions: list[dict[str, str]] = field(default_factory=list)  # assumed protocol values
    # Builds the subject timelines the HTML report draws (not part of the JSON): on first use.
    draw_timelines: Callable[[], dict[str, Any]] | None = field(
        default=None, repr=False, compare=False
    )
    files: list[ReportFile] = field(default_factory=list)
    comparison: Comparison | None = None
    waivers: list[WaiverEntry] = field(default_factory=list)
    cwd: str = ""  # the folder the run started in: relative paths of the report are from here
    folders: list[str] = field(default_factory=list)  # the paths given that are folders
    standards: StandardsInfo = field(default_factory=StandardsInfo)
    # Notes on how the files were read (text read as Windows-1252, a stored dataset name that
    # differs from the file's): never a failure, always shown.
    notices: list[str] = field(default_factory=list)
    # --fail-on-new: only findings new since the previous transfer gate the run
    fail_on_new: bool = False

    @cached_property
    def timelines(self) -> dict[str, Any] | None:
        """The subject timelines, built when first asked for (only the HTML report draws them)."""
        return self.draw_timelines() if self.draw_timelines is not None else None

    @property
    def complete(self) -> bool:
        """False when a dataset file could not be read or a required dataset is missing."""
        return not self.unreadable and not self.missing

    @property
    def resolved(self) -> list[Finding]:
        return self.comparison.resolved if self.comparison else []

    def findings(self) -> FindingTable:
        """Every finding, in report order (by rule, dataset, record): a sequence whose Finding
        objects are made as they are read.  The table is kept while the results hold the same
        findings (its order is worked out once)."""
        blocks = [block for result in self.results for block in result.findings.blocks]
        kept = self.__dict__.get("_every_finding")
        if kept is None or [id(b) for b in kept.blocks] != [id(b) for b in blocks]:
            kept = FindingTable(blocks, ordered=True)
            self.__dict__["_every_finding"] = kept  # a cache on a frozen dataclass
        return kept

    def not_evaluable(self) -> FindingTable:
        return FindingTable.joined(result.not_evaluable for result in self.results)

    def rule(self, rule_id: str) -> RuleResult:
        """The result of one rule, by id (KeyError when the spec has no such rule)."""
        for result in self.results:
            if result.rule.id == rule_id:
                return result
        raise KeyError(rule_id)

    def summary(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for result in self.results:
            counts[result.rule.severity.value] += len(result.open_findings)
        return counts

    def waived_count(self) -> int:
        return sum(len(r.findings) - len(r.open_findings) for r in self.results)

    def status_counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts

    def unchecked_rules(self) -> list[RuleResult]:
        """Protocol rules that did not run and that nothing excuses."""
        return [r for r in self.results if r.leaves_unchecked]

    def gating_findings(self, result: RuleResult) -> FindingTable:
        """The open findings of a rule that count toward the verdict: with --fail-on-new, only
        those not persisting from the previous transfer."""
        found = result.open_findings
        if not self.fail_on_new:
            return found
        return found.take(found.histories() != "persisting")

    def fails_at(self, level: Severity | None) -> bool:
        """True when a gating finding is at or above `level`; None means never fail."""
        if level is None:
            return False
        return any(
            result.rule.severity.rank >= level.rank and self.gating_findings(result)
            for result in self.results
        )

    @property
    def verdict(self) -> Verdict:
        return self.judge()[0]

    @property
    def verdict_reason(self) -> str:
        return self.judge()[1]

    def judge(self) -> tuple[Verdict, str]:
        """(verdict, why): incomplete before anything else, then reject, then accept."""
        if self.missing:
            names = ", ".join(m.dataset for m in self.missing)
            return "incomplete", f"required dataset(s) missing or unreadable: {names}"
        if self.unreadable:
            return "incomplete", f"{len(self.unreadable)} dataset file(s) could not be read"
        unchecked = self.unchecked_rules()
        if unchecked:
            ids = ", ".join(r.rule.id for r in unchecked)
            return "incomplete", f"{_unchecked_kind(unchecked)} did not run: {ids}"
        if not any(r.status in (Status.PASSED, Status.FAILED) for r in self.study_results()):
            return "incomplete", "no rule on the datasets ran (all deselected or not runnable)"
        if any(result.status is Status.ERROR for result in self.results):
            return "reject", "a check broke, so the transfer was not fully checked"
        level = self.fail_on or Severity.ERROR  # --fail-on never judges, but does not gate
        gate = "" if self.fail_on else "; not gated (--fail-on never)"
        new = "new " if self.fail_on_new else ""
        if self.fails_at(level):
            return "reject", f"{new}findings at or above {level.value}{gate}{self._not_gated()}"
        return "accept", f"no {new}finding at or above {level.value}{gate}{self._not_gated()}"

    def _not_gated(self) -> str:
        """With --fail-on-new: how many open findings persist from the previous transfer."""
        persisting = sum(r.open_findings.count_history("persisting") for r in self.results)
        if not self.fail_on_new or not persisting:
            return ""
        return f"; {persisting} persisting finding(s) do not gate (--fail-on-new)"

    def study_results(self) -> list[RuleResult]:
        """The results of the rules on the datasets (not the transfer and waiver stages)."""
        return [r for r in self.results if r.rule.category not in LATER_STAGE_CATEGORIES]

    def findings_frame(self) -> pd.DataFrame:
        """One row per finding (waived ones included, marked), in report order."""
        import pandas as pd

        rows = [
            {
                **{name: getattr(f, name) for name in FINDING_COLUMNS if hasattr(f, name)},
                "severity": f.severity.value,
                "variables": list(f.variables),
                "waived": f.waiver is not None,
            }
            for f in self.findings()
        ]
        return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def _unchecked_kind(unchecked: list[RuleResult]) -> str:
    if all(r.rule.category == "protocol" for r in unchecked):
        return "protocol rule(s)"
    if all(r.rule.category == "gx" for r in unchecked):
        return "GX suite rule(s)"
    return "protocol or GX suite rule(s)"
