"""Finding history across transfers: each finding is new or persisting, and the previous
transfer's findings not met again are resolved.

Findings are matched by `Finding.identity` (rule, dataset, USUBJID, --SEQ, variables), so
renumbered records still match; a repeated identity is matched as many times as it occurs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from trialguard.findings import Finding, RuleResult


def mark_history(
    results: list[RuleResult], previous: list[Finding]
) -> tuple[list[RuleResult], list[Finding]]:
    """(results with every finding marked new or persisting, previous findings resolved)."""
    remaining = Counter(f.identity() for f in previous)
    marked = [
        dataclasses.replace(r, findings=[_marked(f, remaining) for f in r.findings])
        for r in results
    ]
    resolved = []
    for finding in previous:
        key = finding.identity()
        if remaining[key] > 0:
            remaining[key] -= 1
            resolved.append(dataclasses.replace(finding, history="resolved"))
    return marked, resolved


def _marked(finding: Finding, remaining: Counter) -> Finding:
    key = finding.identity()
    if remaining[key] > 0:
        remaining[key] -= 1
        return dataclasses.replace(finding, history="persisting")
    return dataclasses.replace(finding, history="new")
