"""Waivers: findings accepted on purpose, by whom, why and until when.

A waiver names a rule and optionally a subject, a dataset and a record key
(--SEQ), never a record number, so it still matches in the next transfer.
A waived finding stays in every output, marked with its waiver, and does not
fail the run.  An expired waiver accepts nothing and is reported; so is a
waiver that matches no finding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trialguard.errors import SpecError
from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.readers.dataset import sha256_of
from trialguard.yamlfile import read_yaml


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    subject: str | None = None
    dataset: str | None = None
    seq: int | str | None = None
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: dt.date

    def matches(self, finding: Finding) -> bool:
        return (
            finding.rule_id == self.rule
            and (self.subject is None or finding.usubjid == self.subject)
            and (self.dataset is None or finding.domain == self.dataset.upper())
            and (self.seq is None or str(finding.seq) == str(self.seq))
        )

    def describe(self) -> str:
        scope = [f"rule {self.rule}"]
        scope += [f"subject {self.subject}"] if self.subject else []
        scope += [f"dataset {self.dataset}"] if self.dataset else []
        scope += [f"seq {self.seq}"] if self.seq is not None else []
        return ", ".join(scope)


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    waivers: list[Waiver]


def load_waivers(path: Path) -> list[Waiver]:
    """The waivers of a YAML file; a malformed file is a SpecError naming the waiver and field."""
    data, _ = read_yaml(path, "waivers file")
    if not isinstance(data, dict) or "waivers" not in data:
        raise SpecError(path, "expected a mapping with a 'waivers' list")
    try:
        return WaiverFile.model_validate(data).waivers
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SpecError(path, f"{where}: {first['msg']}") from error


WAIVER_RULES = {
    "expired": RuleInfo(
        id="WAIVER-EXPIRED",
        kind="waiver",
        severity=Severity.WARNING,
        description="A waiver has expired; the findings it named count again.",
        source="--waivers file",
        category="waivers",
    ),
    "unused": RuleInfo(
        id="WAIVER-UNUSED",
        kind="waiver",
        severity=Severity.WARNING,
        description="A waiver matches no finding (fixed, or written for another record).",
        source="--waivers file",
        category="waivers",
    ),
}


def apply_waivers(
    results: list[RuleResult], waivers: list[Waiver], path: Path, today: dt.date
) -> tuple[list[RuleResult], list[dict]]:
    """Mark waived findings; returns the waiver rule results and one entry per waiver."""
    entries, expired, unused = [], [], []
    for number, waiver in enumerate(waivers, start=1):
        entry = waiver.model_dump(mode="json") | {"number": number, "matched": 0}
        if waiver.expires < today:
            entry["state"] = "expired"
            expired.append(_waiver_finding("expired", waiver, number, path))
        else:
            entry["matched"] = _waive(results, waiver, entry)
            entry["state"] = "applied" if entry["matched"] else "unused"
            if not entry["matched"]:
                unused.append(_waiver_finding("unused", waiver, number, path))
        entries.append(entry)
    for result in results:
        if result.status is Status.FAILED and not result.open_findings:
            result.status = Status.PASSED
    outcomes = [
        RuleResult(WAIVER_RULES[kind], Status.FAILED if found else Status.PASSED, findings=found)
        for kind, found in (("expired", expired), ("unused", unused))
    ]
    return outcomes, entries


def _waive(results: list[RuleResult], waiver: Waiver, entry: dict) -> int:
    stamp = {k: entry[k] for k in ("number", "reason", "approver", "expires")}
    matched = 0
    for result in results:
        if result.rule.id != waiver.rule:
            continue
        for index, finding in enumerate(result.findings):
            if finding.waiver is None and waiver.matches(finding):
                result.findings[index] = dataclasses.replace(finding, waiver=stamp)
                matched += 1
    return matched


def _waiver_finding(kind: str, waiver: Waiver, number: int, path: Path) -> Finding:
    rule = WAIVER_RULES[kind]
    what = (
        f"waiver {number} ({waiver.describe()}) expired on {waiver.expires.isoformat()}"
        if kind == "expired"
        else f"waiver {number} ({waiver.describe()}) matches no finding"
    )
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        domain=None,
        usubjid=waiver.subject,
        record=None,
        variables=(),
        values={"waiver": number, "file": str(path), "approver": waiver.approver},
        message=what,
    )


def waivers_file_entry(path: Path) -> dict[str, str]:
    return {"role": "waivers", "path": str(path), "sha256": sha256_of(path)}
