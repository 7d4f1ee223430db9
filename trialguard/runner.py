"""Runs rules: each rule of a stage on its context, ending in a status, its hits made findings.

`trialguard.pipeline.validate` calls this for the study rules, then for the transfer and waiver
rules; nothing here reads files or knows about transfers.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from trialguard.findings import FindingTable, RuleInfo, RuleResult, Status
from trialguard.findings_block import ColumnBlock
from trialguard.scalars import plain
from trialguard.selection import RuleSelection
from trialguard.spec.loader import LoadedRule
from trialguard.validators.context import StudyContext
from trialguard.validators.locate import day0_or_none, line_numbers, pinned_days, record_keys
from trialguard.validators.outcome import CheckBroke, Hits, NotApplicable, NotRun, Outcome

Progress = Callable[[int, int, str], None]


EVERY_RULE = RuleSelection()


def run_rules(
    rules: Sequence[LoadedRule],
    context: Any,
    selection: RuleSelection = EVERY_RULE,
    progress: Progress | None = None,
) -> list[RuleResult]:
    """Every rule on `context` (a StudyContext, or the transfer context of a later stage)."""
    results = []
    for number, rule in enumerate(rules, start=1):
        if progress:
            progress(number, len(rules), rule.rule.id)
        results.append(run_rule(rule, context, selection))
    return results


def rule_info(rule: LoadedRule) -> RuleInfo:
    spec_rule = rule.rule
    return RuleInfo(
        id=spec_rule.id,
        kind=spec_rule.kind,
        severity=spec_rule.severity,
        description=spec_rule.description,
        source=spec_rule.source,
        assumed=spec_rule.assumed,
        assumption=spec_rule.assumption,
        origin=rule.origin,
        category=rule.check.category,
        optional=spec_rule.optional,
    )


def run_rule(rule: LoadedRule, context: Any, selection: RuleSelection = EVERY_RULE) -> RuleResult:
    """Run one rule; a check that cannot run or breaks ends in not_run or error, never a crash."""
    info = rule_info(rule)
    skipped = selection.skip_reason(rule)
    if skipped:
        return RuleResult(info, Status.NOT_RUN, reason=skipped, excused=skipped)
    study = context if isinstance(context, StudyContext) else None
    if study is not None:
        study.unread_asked.clear()
        other_ig = _other_ig(rule, study)
        if other_ig:
            return RuleResult(info, Status.NOT_RUN, reason=other_ig, excused=other_ig)
    try:
        outcome = rule.check.function(context, rule.params)
        return _result(rule, info, outcome, study)
    except NotApplicable as reason:
        return RuleResult(info, Status.NOT_RUN, reason=str(reason), excused=str(reason))
    except NotRun as reason:
        return RuleResult(info, Status.NOT_RUN, reason=str(reason), excused=selection.excuse(rule))
    except CheckBroke as broke:
        return RuleResult(info, Status.ERROR, reason=str(broke))
    except Exception as exc:  # a broken check must not stop the other rules
        return RuleResult(info, Status.ERROR, reason=_broke(exc))


def _other_ig(rule: LoadedRule, study: StudyContext) -> str | None:
    """Why a rule of some SDTMIG versions only does not apply to this study, or None."""
    models, ig = rule.rule.ig, study.standards.ig
    if not models or ig.model in models:
        return None
    return f"applies to SDTMIG {', '.join(models)} only; the study is SDTMIG {ig.version}"


def _broke(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return "the check ran out of memory: this machine has not the memory this rule needs"
    last = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
    return f"the check broke: {type(exc).__name__}: {exc} ({where})"


def _result(
    rule: LoadedRule, info: RuleInfo, outcome: Outcome, study: StudyContext | None
) -> RuleResult:
    day0 = day0_or_none(study)
    findings = FindingTable(located(rule, hits, day0, study) for hits in outcome.hits)
    undecided = FindingTable(located(rule, hits, day0, study) for hits in outcome.undetermined)
    table = (
        [{str(k): plain(v) for k, v in row.items()} for row in outcome.table]
        if outcome.table
        else None
    )
    return RuleResult(
        info,
        Status.FAILED if findings else Status.PASSED,
        findings=findings,
        not_evaluable=undecided,
        table=table,
        notes=list(outcome.notes) + _unread_notes(study),
    )


def _unread_notes(context: StudyContext | None) -> list[str]:
    """A rule that ran on part of the data says which datasets it could not look at."""
    if context is None:
        return []
    return [
        f"{name} was not checked by this rule: its file could not be read"
        for name in sorted(context.unread_asked)
    ]


def located(
    rule: LoadedRule, hits: Hits, day0: pd.Series | None, context: StudyContext | None
) -> ColumnBlock:
    return materialise(rule, hits, day0, record_keys(context, hits), line_numbers(context, hits))


def materialise(
    rule: LoadedRule,
    hits: Hits,
    day0: pd.Series | None = None,
    seqs: np.ndarray | None = None,
    lines: np.ndarray | None = None,
) -> ColumnBlock:
    """The findings of `hits` as columns: its shown values taken as they are, the message
    template and its fields from the spec, the check and the hits."""
    rows = hits.rows
    shown = [c for c in dict.fromkeys(hits.variables + hits.extra) if c in rows.columns]
    return ColumnBlock(
        rule_id=rule.rule.id,
        severity=rule.rule.severity,
        kind=rule.rule.kind,
        domain=hits.domain,
        variables=tuple(hits.variables),
        template=rule.rule.message or hits.message or rule.check.message,  # the spec's wins
        given=rule.params.model_dump() | hits.context,
        dataset_level=hits.dataset_level,
        records=_record_numbers(rows, hits.dataset_level),
        values=rows[shown].reset_index(drop=True),
        subjects=rows["USUBJID"].reset_index(drop=True) if "USUBJID" in rows.columns else None,
        days=pinned_days(rows, shown, day0),
        seqs=seqs,
        lines=lines,
    )


def _record_numbers(rows: pd.DataFrame, dataset_level: bool) -> np.ndarray:
    if dataset_level:
        return np.zeros(len(rows), dtype=np.int64)
    return rows.index.to_numpy().astype(np.int64)
