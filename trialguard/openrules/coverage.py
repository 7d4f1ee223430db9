"""One defect reported once: where a rule of the spec cites a CORE id in its `source`, that
rule and the open rule of the id check the same thing.  Both run; the open rule's findings on
records a citing rule flagged are left to the citing rule (its message names the values the
protocol and the spec know about), and the open rule says how many it left and to which rule.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

import numpy as np

from trialguard.findings import FindingTable, RuleResult, Status

CORE_ID = re.compile(r"(CORE-\d{6})(?:\s+to\s+(CORE-\d{6}))?")
KIND = "open_rule"


def cited_core_ids(source: str, known: Iterable[str]) -> set[str]:
    """The CORE ids a `source:` cites; "CORE-000195 to CORE-000198" covers the known ids
    between."""
    ids = sorted(known)
    cited: set[str] = set()
    for first, last in CORE_ID.findall(source):
        if last:
            cited |= {i for i in ids if first <= i <= last}
        else:
            cited.add(first)
    return cited


def covering_rules(results: list[RuleResult]) -> dict[str, list[RuleResult]]:
    """CORE id -> the results of the spec's rules citing it (rules that ran)."""
    known = [r.rule.id for r in results if r.rule.kind == KIND]
    covering: dict[str, list[RuleResult]] = {}
    for result in results:
        if result.rule.kind == KIND or result.status not in (Status.PASSED, Status.FAILED):
            continue
        for core_id in cited_core_ids(result.rule.source, known):
            covering.setdefault(core_id, []).append(result)
    return covering


def without_covered(results: list[RuleResult]) -> list[RuleResult]:
    """The results with each open rule's findings that a citing rule reports taken out."""
    covering = covering_rules(results)
    if not covering:
        return results
    return [
        _left_to(result, covering[result.rule.id])
        if result.rule.kind == KIND and result.rule.id in covering
        else result
        for result in results
    ]


def _left_to(result: RuleResult, citing: list[RuleResult]) -> RuleResult:
    names = ", ".join(sorted(r.rule.id for r in citing))
    flagged = {place for r in citing for place in _places(r.findings)}
    kept = result.findings.take(
        np.array([p not in flagged for p in _places(result.findings)], dtype=bool)
    )
    left = len(result.findings) - len(kept)
    verb = "cites" if len(citing) == 1 else "cite"
    note = f"covered by {names}, which {verb} this rule"
    if left:
        note += f": {left} finding(s) on records {names} flagged are reported there"
    status = result.status
    if status is Status.FAILED and not kept:
        status = Status.PASSED
    return dataclasses.replace(result, findings=kept, status=status, notes=[*result.notes, note])


def _places(findings: FindingTable) -> list[tuple[str | None, int | None]]:
    """(dataset, record) of each finding, in order (record None for one about a dataset)."""
    frame = findings.counting_frame()
    records = [None if r < 0 else r for r in frame["record"].tolist()]
    domains = [d or None for d in frame["domain"].tolist()]
    return list(zip(domains, records, strict=True))
