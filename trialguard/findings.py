"""The one findings model: severities, rule statuses, findings, rule results and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        """Higher is more severe; used by --fail-on and for sorting."""
        return {"notice": 1, "warning": 2, "error": 3}[self.value]


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not_run"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    """One record (or one dataset, when record is None) that breaks one rule."""

    rule_id: str
    severity: Severity
    domain: str | None
    usubjid: str | None
    record: int | None
    variables: tuple[str, ...]
    values: dict[str, Any]
    message: str
    protocol_day: int | None = None  # of the first date among its values, for a treated subject
    seq: int | str | None = None  # the record's --SEQ: with USUBJID, its key across transfers
    history: str | None = None  # "new" or "persisting" when compared with a previous transfer
    waiver: dict[str, Any] | None = None  # the waiver that accepts this finding, if any
    line: int | None = None  # CSV files: the record's physical line (the header is line 1)

    def identity(self) -> tuple:
        """What stays the same when the same finding is met in another transfer."""
        return (self.rule_id, self.domain, self.usubjid, self.seq, self.variables)

    def sort_key(self) -> tuple:
        return (
            self.rule_id,
            self.domain or "",
            self.record if self.record is not None else -1,
            self.usubjid or "",
            self.variables,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "domain": self.domain,
            "usubjid": self.usubjid,
            "record": self.record,
            "line": self.line,
            "variables": list(self.variables),
            "values": self.values,
            "message": self.message,
            "protocol_day": self.protocol_day,
            "seq": self.seq,
            "history": self.history,
            "waiver": self.waiver,
        }


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


@dataclass
class RuleResult:
    rule: RuleInfo
    status: Status
    reason: str | None = None
    findings: list[Finding] = field(default_factory=list)
    not_evaluable: list[Finding] = field(default_factory=list)
    table: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def open_findings(self) -> list[Finding]:
        """Findings no waiver accepts: the ones that count and can fail the run."""
        return [f for f in self.findings if f.waiver is None]


@dataclass(frozen=True)
class InputInfo:
    dataset: str
    path: str
    format: str
    sha256: str
    records: int
    variables: int


@dataclass(frozen=True)
class SpecInfo:
    id: str
    version: str
    sha256: str
    path: str
    title: str
    files: tuple[tuple[str, str], ...] = ()  # (path, sha256) of the spec and the specs it extends


@dataclass
class Report:
    tool_version: str
    run_id: str
    started: str
    command: str
    spec: SpecInfo
    inputs: list[InputInfo]
    results: list[RuleResult]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    study_ids: list[str] = field(default_factory=list)
    assumptions: list[dict[str, str]] = field(default_factory=list)  # assumed protocol values
    timelines: dict[str, Any] | None = None  # drawn in the HTML report, not part of the JSON
    files: list[dict[str, str]] = field(default_factory=list)  # waivers, manifest: role/path/sha
    comparison: dict[str, Any] | None = None  # with the previous transfer (--previous)
    resolved: list[Finding] = field(default_factory=list)  # previous findings no longer found
    waivers: list[dict[str, Any]] = field(default_factory=list)  # each waiver and what it did
    unreadable: list[dict[str, str]] = field(default_factory=list)  # dataset, path, reason

    @property
    def complete(self) -> bool:
        """False when a dataset file could not be read: the report covers only part of the data."""
        return not self.unreadable

    def findings(self) -> list[Finding]:
        every = [f for result in self.results for f in result.findings]
        return sorted(every, key=Finding.sort_key)

    def not_evaluable(self) -> list[Finding]:
        every = [f for result in self.results for f in result.not_evaluable]
        return sorted(every, key=Finding.sort_key)

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

    def fails_at(self, level: Severity | None) -> bool:
        """True when a finding is at or above `level`; None means never fail."""
        if level is None:
            return False
        return any(
            result.open_findings and result.rule.severity.rank >= level.rank
            for result in self.results
        )

    def verdict(self, fail_on: Severity | None) -> tuple[bool, str]:
        """(accepted, why): rejected by findings at or above `fail_on`, or by a check that broke."""
        if not self.complete:
            return False, f"incomplete: {len(self.unreadable)} dataset file(s) could not be read"
        if fail_on is None:
            return True, "not gated (--fail-on never)"
        if self.fails_at(fail_on):
            return False, f"findings at or above {fail_on.value}"
        if any(result.status is Status.ERROR for result in self.results):
            return False, "a check broke, so the transfer was not fully checked"
        return True, f"no finding at or above {fail_on.value}"
