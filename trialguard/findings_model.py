"""One finding and the scales it is judged on: severities and rule statuses."""

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


# Rules whose not running leaves the transfer unchecked: the protocol's, and GX suites asked for.
UNSKIPPABLE_CATEGORIES = ("protocol", "gx")


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
    kind: str = ""  # the check kind of its rule
    context: dict[str, Any] = field(default_factory=dict)  # what filled its message's placeholders

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
            "kind": self.kind,
            "context": self.context,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """A finding as `to_dict` wrote it (e.g. read back from a previous JSON report)."""
        return cls(
            rule_id=str(data["rule_id"]),
            severity=Severity(data["severity"]),
            domain=data.get("domain"),
            usubjid=data.get("usubjid"),
            record=data.get("record"),
            variables=tuple(data.get("variables") or ()),
            values=dict(data.get("values") or {}),
            message=str(data.get("message", "")),
            protocol_day=data.get("protocol_day"),
            seq=data.get("seq"),
            history=data.get("history"),
            waiver=data.get("waiver"),
            line=data.get("line"),
            kind=str(data.get("kind") or ""),
            context=dict(data.get("context") or {}),
        )
