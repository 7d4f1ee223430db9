"""The exit code of `trialguard validate` from the report's verdict, and on stderr why a run
is incomplete."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from trialguard.cli.exit_codes import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE

if TYPE_CHECKING:
    from trialguard.report import Report


def exit_code(report: Report) -> int:
    """2 incomplete; then 0 when not gated; else 1 on reject (findings or a broken check)."""
    if report.verdict == "incomplete":
        _explain_incomplete(report)
        return EXIT_UNUSABLE
    if report.fail_on is None or report.verdict == "accept":
        return EXIT_CLEAN
    return EXIT_FINDINGS


def _explain_incomplete(report: Report) -> None:
    """Reports were written, marked incomplete; stderr says what is missing."""
    for entry in report.unreadable:
        print(f"trialguard: {entry.path}: {entry.reason}", file=sys.stderr)
    for missing in report.missing:
        print(
            f"trialguard: the spec requires {missing.dataset}: {missing.reason}",
            file=sys.stderr,
        )
    for result in report.unchecked_rules():
        print(
            f"trialguard: {_rule_kind(result)} {result.rule.id} did not run: {result.reason} "
            f"(--allow-not-run {result.rule.id} accepts that)",
            file=sys.stderr,
        )
    print(
        f"trialguard: INCOMPLETE: {report.verdict_reason}; the transfer is not accepted and "
        "every report written is marked INCOMPLETE",
        file=sys.stderr,
    )


def _rule_kind(result) -> str:
    return "GX suite rule" if result.rule.category == "gx" else "protocol rule"
