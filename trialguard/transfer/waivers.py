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
from trialguard.findings import Finding, RuleResult, Status
from trialguard.report import WaiverEntry
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
            finding.rule_id == self.rule.upper()
            and (self.subject is None or finding.usubjid == self.subject)
            and (self.dataset is None or finding.domain == self.dataset.upper())
            and (self.seq is None or str(finding.seq) == str(self.seq))
        )


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


def apply_waivers(
    results: list[RuleResult], waivers: list[Waiver], today: dt.date
) -> tuple[list[RuleResult], list[WaiverEntry]]:
    """The results with waived findings marked (a failed rule left with no open finding passes),
    and one entry per waiver saying what it did."""
    marked = [dataclasses.replace(r, findings=list(r.findings)) for r in results]
    entries = [_apply(marked, waiver, number, today) for number, waiver in enumerate(waivers, 1)]
    for result in marked:
        if result.status is Status.FAILED and not result.open_findings:
            result.status = Status.PASSED
    return marked, entries


def _apply(results: list[RuleResult], waiver: Waiver, number: int, today: dt.date) -> WaiverEntry:
    fields = waiver.model_dump(mode="json")
    if waiver.expires < today:
        return WaiverEntry(number=number, **fields, state="expired", matched=0)
    stamp = {"number": number, **{k: fields[k] for k in ("reason", "approver", "expires")}}
    matched = _waive(results, waiver, stamp)
    return WaiverEntry(
        number=number, **fields, state="applied" if matched else "unused", matched=matched
    )


def _waive(results: list[RuleResult], waiver: Waiver, stamp: dict) -> int:
    matched = 0
    for result in results:
        if result.rule.id != waiver.rule.upper():
            continue
        for index, finding in enumerate(result.findings):
            if finding.waiver is None and waiver.matches(finding):
                result.findings[index] = dataclasses.replace(finding, waiver=stamp)
                matched += 1
    return matched
