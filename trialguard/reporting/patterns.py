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

from trialguard.findings import Finding

SYSTEMATIC = 10  # this many alike findings of one rule read as one
VARYING = re.compile(r"'[^']*'|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Pattern:
    """Alike findings of one rule, in report order; `example` is the first."""

    findings: tuple[Finding, ...]

    @property
    def example(self) -> Finding:
        return self.findings[0]

    @property
    def systematic(self) -> bool:
        return len(self.findings) >= SYSTEMATIC

    @property
    def subjects(self) -> int:
        return len({f.usubjid for f in self.findings if f.usubjid})

    def line(self, line_of: Callable[[Finding], str]) -> str:
        """'1191 alike in AE, 225 subjects, e.g. AE record 1 ...: message'."""
        where = self.example.domain or "the study"
        subjects = f", {self.subjects} subjects" if self.subjects > 1 else ""
        return f"{len(self.findings)} alike in {where}{subjects}, e.g. {line_of(self.example)}"


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
