"""The finished report of one validation: what was read, what was missing, every rule's result,
the transfer checks around it, and the verdict."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from trialguard.findings import Finding, FindingTable, RuleResult, Severity, Status

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
class InputInfo:
    dataset: str
    path: str
    format: str
    sha256: str
    records: int
    variables: int
    taken_by: str = "file name"  # how the file was matched: its name, its stored name, given

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    @property
    def by_file_name(self) -> bool:
        return self.taken_by == "file name"

    @property
    def taken_by_text(self) -> str:
        """How the file was taken as its dataset: `by its XPT member name`, `by --dataset-name`."""
        return (
            "by --dataset-name" if self.taken_by == "--dataset-name" else f"by its {self.taken_by}"
        )


@dataclass(frozen=True)
class SpecInfo:
    id: str
    version: str
    sha256: str
    path: str
    title: str
    files: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the spec and the specs it extends
    requires: tuple[str, ...] = ()  # datasets without which a transfer is incomplete


@dataclass(frozen=True)
class StandardsInfo:
    """The SDTMIG version and CT release the study was judged by, and where each came from."""

    ig_version: str = "3.4"
    ig_model: str = "3.4"  # the version whose model judged it (3.1.2 to 3.2 share one)
    ig_source: str = "default"
    ig_note: str = ""
    ct_release: str = ""
    ct_source: str = "bundled"
    ct_sha256: str | None = None
    ct_note: str = ""  # e.g. the define.xml names another CT release

    @property
    def ig_title(self) -> str:
        if self.ig_source == "default":
            return f"SDTMIG {self.ig_version} (the default: the study states no version)"
        return f"SDTMIG {self.ig_version} (from {self.ig_source})"

    @property
    def ct_title(self) -> str:
        if self.ct_source == "bundled":
            return f"bundled codelists (closed ones as in CDISC CT {self.ct_release}; no --ct)"
        return f"CDISC CT {self.ct_release} ({self.ct_source})"


@dataclass(frozen=True)
class UnreadableFile:
    """A dataset file that could not be used, and why."""

    dataset: str
    path: str
    reason: str
    sha256: str | None = None  # None when the file was too large to hash


@dataclass(frozen=True)
class MissingDataset:
    """A dataset the spec requires that the transfer does not hold in usable form."""

    dataset: str
    reason: str  # "not supplied" or "could not be read (...)"


@dataclass(frozen=True)
class ReportFile:
    """A file besides the datasets that the run rests on: waivers, manifest, previous report."""

    role: str
    path: str
    sha256: str


@dataclass(frozen=True)
class WaiverEntry:
    """One waiver of the --waivers file and what it did in this run."""

    number: int
    rule: str
    subject: str | None
    dataset: str | None
    seq: int | str | None
    reason: str
    approver: str
    expires: str
    state: Literal["applied", "unused", "expired"]
    matched: int


@dataclass(frozen=True)
class Comparison:
    """What changed since the previous transfer (--previous)."""

    previous_path: str
    previous_kind: Literal["folder", "json report", "first transfer"]
    records_compared: bool
    why_not: str | None = None
    previous_run: dict[str, Any] | None = None  # the previous JSON report's run block
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-dataset changes
    subjects_removed: list[str] = field(default_factory=list)
    subjects_added: list[str] = field(default_factory=list)
    critical_changes: list[dict[str, Any]] = field(default_factory=list)
    not_compared: list[str] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)  # previous findings not met again


@dataclass(frozen=True)
class Report:
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

    def write_json(self, path: str | Path) -> Path:
        """The JSON report, written as it is made (every finding, never held whole)."""
        from trialguard.reporting.json import write_json

        return write_report(path, None, text_writer=lambda out: write_json(self, out))

    def write_html(self, path: str | Path) -> Path:
        from trialguard.reporting.html import render_html

        return write_report(path, render_html(self))

    def write_xlsx(self, path: str | Path) -> Path:
        """The Excel workbook in Pinnacle 21's five sheets (see `trialguard.reporting.xlsx`)."""
        from trialguard.reporting.xlsx import write_xlsx

        return write_report(path, None, lambda partial: write_xlsx(self, partial))

    def write_csv(self, path: str | Path) -> Path:
        """The findings alone, one CSV row each (the workbook's Details columns)."""
        from trialguard.reporting.findings_csv import render_findings_csv

        return write_report(path, render_findings_csv(self))

    def write_pdf(self, path: str | Path, paper: str = "a4") -> Path:
        """The audit PDF to file, on "a4" or "letter" paper (see `trialguard.reporting.pdf`)."""
        from trialguard.reporting.pdf import write_pdf

        return write_report(path, None, lambda partial: write_pdf(self, partial, paper))

    def write_junit(self, path: str | Path) -> Path:
        from trialguard.reporting.junit import render_junit

        return write_report(path, render_junit(self))


def write_report(path: str | Path, text: str | None, write=None, text_writer=None) -> Path:
    """Write to a temporary file of its own beside the target, then rename it into place: a
    reader sees the old complete report or the new one, never part of one, and two runs never
    share a temporary file.  A failed write removes its temporary file; OSError is left to the
    caller, which names the file.  A name that is not UTF-8 (held as surrogate escapes) is
    written as its escape, `\\udce9`: valid JSON that reads back as the same name."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
            if text_writer is not None:
                text_writer(out)
            elif write is None:
                out.write(text or "")
        if write is not None:  # a writer of its own (the Excel workbook) writes to the path
            write(partial)
        os.chmod(partial, 0o666 & ~_umask())  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _unchecked_kind(unchecked: list[RuleResult]) -> str:
    if all(r.rule.category == "protocol" for r in unchecked):
        return "protocol rule(s)"
    if all(r.rule.category == "gx" for r in unchecked):
        return "GX suite rule(s)"
    return "protocol or GX suite rule(s)"
