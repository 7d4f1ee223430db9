"""Finding history across transfers: each finding is new or persisting, and the previous
transfer's findings not met again are resolved.

Findings are matched by `Finding.identity` (rule, dataset, USUBJID, --SEQ, variables), so
renumbered records still match; a repeated identity is matched as many times as it occurs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection

from trialguard.findings import Finding, FindingTable, RuleResult, Status


def mark_history(
    results: list[RuleResult], previous: list[Finding], read: Collection[str] | None = None
) -> tuple[list[RuleResult], list[Finding]]:
    """(results with every finding marked new or persisting, previous findings resolved).

    A previous finding is resolved only when this run looked again: its rule ran (passed or
    failed) and its dataset was read (`read`: the datasets of this run; None: all)."""
    ran = {r.rule.id for r in results if r.status in (Status.PASSED, Status.FAILED)}
    remaining = Counter(f.identity() for f in previous)
    marked = [dataclasses.replace(r, findings=_marked(r.findings, remaining)) for r in results]
    resolved = []
    for finding in previous:
        key = finding.identity()
        if remaining[key] > 0:
            remaining[key] -= 1
            looked = read is None or finding.domain is None or finding.domain in read
            if finding.rule_id in ran and looked:
                resolved.append(dataclasses.replace(finding, history="resolved"))
    return marked, resolved


def _marked(findings: FindingTable, remaining: Counter) -> FindingTable:
    """A copy of `findings`, each marked persisting (while `remaining` holds its identity) or
    new."""
    marked = findings.copy()
    for index, key in enumerate(marked.identities()):
        persisting = remaining[key] > 0
        remaining[key] -= persisting
        marked.set_history(index, "persisting" if persisting else "new")
    return marked
