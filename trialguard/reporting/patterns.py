"""Systematic findings: one rule giving the same kind of finding on many records (1,191 AEs all
lacking AEBDSYCD, 612 study days all off by one) reads as one line with the count and an
example in the terminal, the HTML triage and JUnit; the JSON keeps every finding.

Findings are alike when they share rule, dataset, variables and message apart from the
numbers and quoted values in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trialguard.findings import Finding, FindingTable
from trialguard.findings_block import Block, ColumnBlock
from trialguard.findings_table import constant_values
from trialguard.findings_text import Slot

SYSTEMATIC = 10  # this many alike findings of one rule read as one
BY_COLUMNS = 256  # a block of this many findings is shaped from its columns
VARYING = re.compile(r"'[^']*'|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Pattern:
    """Alike findings of one rule, in report order; `example` is the first.  A systematic
    pattern read from a table keeps only its example, its count and its subjects."""

    findings: tuple[Finding, ...]
    count: int = 0  # how many alike findings (0: as many as `findings`)
    subject_count: int | None = None

    @property
    def example(self) -> Finding:
        return self.findings[0]

    @property
    def size(self) -> int:
        return self.count or len(self.findings)

    @property
    def systematic(self) -> bool:
        return self.size >= SYSTEMATIC

    @property
    def subjects(self) -> int:
        if self.subject_count is not None:
            return self.subject_count
        return len({f.usubjid for f in self.findings if f.usubjid})

    def line(self, line_of: Callable[[Finding], str]) -> str:
        """'1191 alike in AE, 225 subjects, e.g. AE record 1 ...: message'."""
        where = self.example.domain or "the study"
        subjects = f", {self.subjects} subjects" if self.subjects > 1 else ""
        return f"{self.size} alike in {where}{subjects}, e.g. {line_of(self.example)}"


def alike_key(finding: Finding) -> tuple:
    """Alike: same rule, dataset, variables, message shape, history and waived or not."""
    shape = VARYING.sub("#", finding.message)
    return (
        finding.rule_id,
        finding.domain,
        finding.variables,
        shape,
        finding.history,
        finding.waiver is None,
    )


def patterns(findings: Iterable[Finding]) -> list[Pattern]:
    """Findings grouped by `alike_key`, in the order of each group's first finding."""
    if isinstance(findings, FindingTable):
        return table_patterns(findings)
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(alike_key(finding), []).append(finding)
    return [Pattern(tuple(group)) for group in groups.values()]


def collapsed_lines(
    findings: Iterable[Finding],
    line_of: Callable[[Finding], str],
    head: Callable[[Finding], str] = lambda finding: "",
) -> list[str]:
    """One line per finding (`head` + `line_of`), except one line per systematic pattern."""
    lines = []
    for pattern in patterns(findings):
        if pattern.systematic:
            lines.append(head(pattern.example) + pattern.line(line_of))
        else:
            lines += [head(f) + line_of(f) for f in pattern.findings]
    return lines


def systematic(findings: Iterable[Finding]) -> list[Pattern]:
    return [p for p in patterns(findings) if p.systematic]


def table_patterns(table: FindingTable) -> list[Pattern]:
    """`patterns` read from a table's columns: objects only for each pattern's example and for
    the findings of patterns too small to be systematic."""
    if not table:
        return []
    keys = pd.DataFrame(
        {
            "rule": table.per_finding(lambda b: constant_values(b, "rule_id")),
            "domain": table.per_finding(lambda b: constant_values(b, "domain")),
            "variables": table.per_finding(lambda b: constant_values(b, "variables")),
            "shape": table.per_finding(_shapes),
            "history": table.histories(),
            "waived": table.waived(),
        }
    )
    groups = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    counts = np.bincount(groups)
    firsts = np.unique(groups, return_index=True)[1]
    subjects = _subjects_per_group(groups, table.subject_values(), len(counts))
    found = []
    for group in np.argsort(firsts, kind="stable"):
        if counts[group] >= SYSTEMATIC:
            example = (table[int(firsts[group])],)
            found.append(Pattern(example, int(counts[group]), int(subjects[group])))
        else:
            members = np.flatnonzero(groups == group)
            found.append(Pattern(tuple(table[int(i)] for i in members)))
    return found


def _shapes(block: Block) -> np.ndarray:
    """Each finding's message with its numbers and quoted values made '#', worked out once per
    distinct combination of the values that can change it (see `_shape_groups`)."""
    plan = None
    if isinstance(block, ColumnBlock) and len(block) >= BY_COLUMNS:
        plan = block.message_plan(json=False)
    if plan is None:  # a few findings: each message shaped, sooner than columns are grouped
        messages = pd.Series(block.messages(np.arange(len(block))), dtype=object)
        return messages.str.replace(VARYING, "#", regex=True).to_numpy(dtype=object)
    pattern, slots = plan
    groups = _shape_groups(pattern, slots, len(block))
    firsts = np.unique(groups, return_index=True)[1]
    shapes = [VARYING.sub("#", message) for message in block.messages(firsts)]
    return np.asarray(shapes, dtype=object)[groups]


def _shape_groups(pattern: str, slots: list[Slot], size: int) -> np.ndarray:
    """Findings whose messages surely have one shape share a group.  A value the template
    quotes ('{AESTDTC}') is swallowed whole by the quoted match, whatever it is, as long as no
    value of the finding holds a quote (quotes in values could pair otherwise): only the other
    values, and any finding with a quote in a value, tell shapes apart."""
    skeleton = pattern.replace("%s", "\x01").replace("%%", "%")
    swallowed: set[int] = set()
    for match in VARYING.finditer(skeleton):
        if match.group().startswith("'"):
            before = skeleton[: match.start()].count("\x01")
            swallowed.update(range(before, before + match.group().count("\x01")))
    quoted = np.zeros(size, dtype=bool)
    for slot in slots:
        quoted |= np.array(["'" in text for text in slot.texts], dtype=bool)[slot.codes]
    keys = pd.DataFrame(
        {f"slot{k}": slot.codes for k, slot in enumerate(slots) if k not in swallowed}
    )
    keys["alone"] = np.where(quoted, np.arange(size), -1)
    return keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()


def _subjects_per_group(groups: np.ndarray, subjects: np.ndarray, count: int) -> np.ndarray:
    named = pd.DataFrame({"group": groups, "subject": subjects})
    named = named[named["subject"].notna() & (named["subject"] != "")].drop_duplicates()
    return np.bincount(named["group"].to_numpy(dtype=np.intp), minlength=count)
