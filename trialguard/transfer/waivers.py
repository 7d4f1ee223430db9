"""Waivers: findings accepted on purpose, by whom, why and until when.

A waiver names a rule and optionally a subject, a dataset and a record key
(--SEQ), never a record number, so it still matches in the next transfer.
A waived finding stays in every output, marked with its waiver, and does not
fail the run.  An expired waiver accepts nothing and is reported; so is a
waiver that matches no finding.  A waiver naming no rule of the run (a typo)
is an error, as an unknown rule id given to --select is: the file cannot be
used.  Every problem of a waivers file is reported at once, each with its line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from trialguard.errors import SpecError
from trialguard.findings import Finding, RuleResult, Status
from trialguard.report import WaiverEntry
from trialguard.spec.locations import line_of, located, validation_problems
from trialguard.spec.rule_ids import nearest_id
from trialguard.yamlfile import read_yaml

if TYPE_CHECKING:
    from trialguard.spec.loaded import Spec

WAIVERS = "waivers"  # the one key of a waivers file
LINE = re.compile(r"line (\d+)")  # how each problem starts when its line is known


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    subject: str | None = None
    dataset: str | None = None
    seq: int | str | None = None
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: dt.date
    # Where it was written, for messages about it: the file, and the line of its `rule`.
    _file: str = PrivateAttr(default="waivers")
    _line: int | None = PrivateAttr(default=None)
    _index: int = PrivateAttr(default=0)

    def matches(self, finding: Finding) -> bool:
        return (
            finding.rule_id == self.rule.upper()
            and (self.subject is None or finding.usubjid == self.subject)
            and (self.dataset is None or finding.domain == self.dataset.upper())
            and (self.seq is None or str(finding.seq) == str(self.seq))
        )


def load_waivers(path: Path, rule_ids: Collection[str] | None = None) -> list[Waiver]:
    """The waivers of a YAML file (its `waivers` list; an empty file holds none).

    Every problem of the file is reported at once, each with its line, in one SpecError; given
    `rule_ids` (the rules a waiver may name), a waiver naming another rule is one of them."""
    data, node = read_yaml(path, "waivers file")
    entries, problems = _entries(data, node)
    waivers = []
    for index, entry in enumerate(entries):
        try:
            waiver = Waiver.model_validate(entry)
        except ValidationError as error:
            problems += validation_problems(error, node, (WAIVERS, index), limit=None)
            continue
        waiver._file, waiver._index = str(path), index
        waiver._line = line_of(node, (WAIVERS, index, "rule"))
        waivers.append(waiver)
    if rule_ids is not None:
        problems += unknown_rules(waivers, rule_ids)
    if problems:
        raise SpecError(path, _listed(problems))
    return waivers


def waivable_rule_ids(spec: Spec) -> list[str]:
    """The rules whose findings a waiver may accept: every rule of the spec but the waiver
    rules themselves (they run after the waivers are applied)."""
    return [loaded.rule.id for loaded in spec.rules if loaded.check.stage != "waivers"]


def check_waived_rules(waivers: list[Waiver], rule_ids: Collection[str]) -> None:
    """Every waiver names a rule of the run, else a SpecError naming its file and line."""
    for file in dict.fromkeys(waiver._file for waiver in waivers):
        problems = unknown_rules([w for w in waivers if w._file == file], rule_ids)
        if problems:
            raise SpecError(file, _listed(problems))


def unknown_rules(waivers: list[Waiver], rule_ids: Collection[str]) -> list[str]:
    """A problem for each waiver naming no rule of `rule_ids` (by its id, any case): a typo
    would otherwise leave its findings failing the run and the waiver merely unused."""
    known = {rule_id.upper() for rule_id in rule_ids}
    return [_unknown(w, rule_ids) for w in waivers if w.rule.upper() not in known]


def _unknown(waiver: Waiver, rule_ids: Collection[str]) -> str:
    where = f"line {waiver._line}, " if waiver._line else ""
    key = f"{WAIVERS}.{waiver._index}.rule"
    problem = f"{where}{key}: {waiver.rule}: no rule of the run has that id"
    if waiver.rule.endswith(("-", "*")):
        return f"{problem} (a waiver names one rule by its id, not a prefix)"
    nearest = nearest_id(waiver.rule, rule_ids)
    hint = f"did you mean {nearest}? " if nearest else ""
    return f"{problem} ({hint}`trialguard rules --spec ...` lists the rules)"


def _entries(data: Any, node: yaml.Node | None) -> tuple[list[Any], list[str]]:
    """The entries of the `waivers` list, and what is wrong around them."""
    if data is None:
        return [], []  # an empty file: no waivers
    if not isinstance(data, dict):
        return [], [located(node, (), "expected a mapping with a 'waivers' list")]
    problems = [
        located(node, (key,), f"unknown key (a waivers file holds one list, {WAIVERS})")
        for key in data
        if key != WAIVERS
    ]
    entries = data.get(WAIVERS, [])
    if WAIVERS not in data:
        problems.append(located(node, (), f"missing: the '{WAIVERS}' list"))
    elif entries is None:
        entries = []  # `waivers:` with nothing under it
    elif not isinstance(entries, list):
        problems.append(located(node, (WAIVERS,), "expected a list of waivers"))
        entries = []
    return entries, problems


def _listed(problems: list[str]) -> str:
    """One problem as it is; several one a line, in the order of their lines in the file."""
    if len(problems) == 1:
        return problems[0]
    ordered = sorted(problems, key=lambda p: int(m[1]) if (m := LINE.match(p)) else 0)
    return f"{len(problems)} problems:\n" + "\n".join(f"  {problem}" for problem in ordered)


def apply_waivers(
    results: list[RuleResult], waivers: list[Waiver], today: dt.date
) -> tuple[list[RuleResult], list[WaiverEntry]]:
    """The results with waived findings marked (a failed rule left with no open finding passes),
    and one entry per waiver saying what it did.  A waiver naming no rule of `results` is a
    SpecError (file and line): its findings would fail the run and the waiver pass unnoticed."""
    check_waived_rules(waivers, [result.rule.id for result in results])
    marked = [dataclasses.replace(r, findings=r.findings.copy()) for r in results]
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
                result.findings.set_waiver(index, stamp)
                matched += 1
    return matched
