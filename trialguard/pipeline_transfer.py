"""Checking a transfer against the one before it and against what was agreed: the comparison with
the previous transfer (its folder or its JSON report), the transfer rules (manifest, records
compared), the waivers and the rules on them, then each finding marked new or persisting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from trialguard.errors import InputError
from trialguard.findings import Finding, RuleResult
from trialguard.parallel import run_study_rules
from trialguard.pipeline_request import PathLike, as_path
from trialguard.readers.study import Study, read_study
from trialguard.report import Comparison
from trialguard.runner import run_rules
from trialguard.selection import RuleSelection
from trialguard.spec.loader import Spec, rules_of_stage
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.transfer.compare import compare_studies
from trialguard.transfer.context import TransferContext
from trialguard.transfer.history import mark_history
from trialguard.transfer.previous import (
    first_transfer_comparison,
    previous_report,
    previous_to_compare,
)
from trialguard.transfer.waivers import apply_waivers
from trialguard.validators.context import StudyContext


def previous_findings(
    transfer: TransferContext,
    previous: PathLike | None,
    spec: Spec,
    selection: RuleSelection,
    read_options: dict[str, Any],
    standards: Standards,
    jobs: int | None,
    *,
    first_transfer: bool,
    fail_on_new: bool,
) -> list[Finding] | None:
    """The findings of the previous transfer, none on a first transfer, None without a previous
    transfer; the comparison with it is set on `transfer`."""
    given = as_path(previous)
    compared = previous_to_compare(given, first_transfer=first_transfer, fail_on_new=fail_on_new)
    if compared is not None:
        transfer.comparison, earlier = compare_with_previous(
            compared, transfer.study, spec, selection, read_options, standards, jobs
        )
        return earlier
    if first_transfer:
        transfer.comparison = first_transfer_comparison(given)
        return []
    return None


def compare_with_previous(
    previous: Path,
    study: Study,
    spec: Spec,
    selection: RuleSelection,
    read_options: dict[str, Any],
    standards: Standards = DEFAULT_STANDARDS,
    jobs: int | None = None,
) -> tuple[Comparison, list[Finding]]:
    """The comparison with the previous transfer and the previous findings, from its folder
    (records compared, findings recomputed) or from its JSON report (findings only)."""
    if previous.is_file() and previous.suffix.lower() == ".json":
        run, findings = previous_report(previous)
        why = (
            "the previous transfer was given as a JSON report, which holds findings but no "
            "records; give its folder to compare records"
        )
        return Comparison(str(previous), "json report", False, why, previous_run=run), findings
    old = read_study([previous], **read_options)
    if old.unreadable:
        first = old.unreadable[0]
        raise InputError(first.path, f"the previous transfer cannot be compared: {first.reason}")
    product = spec.protocol.day0.extrt if spec.protocol.day0 else None
    changes = compare_studies(old, study, product)
    old_context = StudyContext(old, spec, standards)
    old_results = run_study_rules(rules_of_stage(spec, "study"), old_context, selection, jobs=jobs)
    findings = [f for result in old_results for f in result.findings]
    return Comparison(str(previous), "folder", True, **changes), findings


def check_transfer(
    results: list[RuleResult],
    transfer: TransferContext,
    earlier: list[Finding] | None,
    spec: Spec,
    selection: RuleSelection,
    timestamp: str | None,
) -> tuple[list[RuleResult], Comparison | None]:
    """The study's results with the transfer rules' and the waiver rules', the waivers applied
    (as of the run's date) and, given the previous findings, each finding marked new or
    persisting; and the comparison, with the previous findings now resolved."""
    results = results + run_rules(rules_of_stage(spec, "transfer"), transfer, selection)
    today = _run_date(timestamp)
    if transfer.waivers is not None:
        results, transfer.waiver_entries = apply_waivers(results, transfer.waivers, today)
    results += run_rules(rules_of_stage(spec, "waivers"), transfer, selection)
    comparison = transfer.comparison
    if comparison is not None and earlier is not None:
        results, resolved = mark_history(results, earlier, set(transfer.study.datasets))
        comparison = dataclasses.replace(comparison, resolved=resolved)
    return results, comparison


def _run_date(timestamp: str | None) -> dt.date:
    """The day of the run (UTC): the day of a fixed timestamp, else today."""
    return dt.date.fromisoformat(timestamp[:10]) if timestamp else dt.datetime.now(dt.UTC).date()
