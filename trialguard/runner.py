"""Read -> build the study context -> run each rule -> one Report."""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from trialguard import __version__
from trialguard.findings import Finding, InputInfo, Report, RuleInfo, RuleResult, SpecInfo, Status
from trialguard.readers.study import Study
from trialguard.reporting.timelines import build_timelines, pinned_days
from trialguard.scalars import plain
from trialguard.spec.loader import LoadedRule, Spec
from trialguard.transfer.keys import record_seqs
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, NotRun

Progress = Callable[[int, int, str], None]


def run_validation(
    study: Study, spec: Spec, command: str = "", progress: Progress | None = None
) -> Report:
    context = StudyContext(study, spec)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results = []
    for number, rule in enumerate(spec.rules, start=1):
        if progress:
            progress(number, len(spec.rules), rule.rule.id)
        results.append(run_rule(rule, context))
    return Report(
        tool_version=__version__,
        run_id=uuid.uuid4().hex,
        started=started,
        command=command,
        spec=SpecInfo(spec.id, spec.version, spec.sha256, str(spec.path), spec.title, spec.files),
        inputs=[_input_info(d) for d in study.datasets.values()],
        results=results,
        skipped=list(study.skipped),
        unreadable=[dict(vars(u)) for u in study.unreadable],
        study_ids=_study_ids(study),
        assumptions=protocol_assumptions(spec),
        timelines=_timelines(context),
    )


def _timelines(context: StudyContext) -> dict[str, Any]:
    """The subject timelines of the HTML report; a failure there must not lose the report."""
    try:
        return build_timelines(context)
    except Exception as exc:  # drawn data only: the findings stand without it
        return {"available": False, "reason": f"timelines could not be drawn ({exc!r})"}


def _study_ids(study: Study) -> list[str]:
    found: set[str] = set()
    for dataset in study.datasets.values():
        if "STUDYID" in dataset.frame.columns:
            found.update(str(v) for v in dataset.frame["STUDYID"].dropna().unique())
    return sorted(found)


def protocol_assumptions(spec: Spec) -> list[dict[str, str]]:
    """The protocol values (not rules) the spec marks as assumed, with their source."""
    protocol = spec.protocol
    assumed = []
    if protocol.day0 is not None and protocol.day0.assumed:
        day0 = protocol.day0
        assumed.append({"what": f"Day 0 is the {day0.extrt} infusion", "source": day0.source})
    if protocol.dlt_window is not None and protocol.dlt_window.assumed:
        window = protocol.dlt_window
        what = f"DLT window Day {window.first_day} to Day {window.last_day}"
        assumed.append({"what": what, "source": window.source})
    return assumed


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
    )


def run_rule(rule: LoadedRule, context: StudyContext) -> RuleResult:
    """Run one rule; a check that cannot run or breaks ends in not_run or error, never a crash."""
    info = rule_info(rule)
    context.unread_asked.clear()
    try:
        outcome = rule.check.function(context, rule.params)
        day0 = _day0_or_none(context)
        findings = [f for hits in outcome.hits for f in _located(rule, hits, day0, context)]
        undecided = [
            f for hits in outcome.undetermined for f in _located(rule, hits, day0, context)
        ]
    except NotRun as reason:
        return RuleResult(info, Status.NOT_RUN, reason=str(reason))
    except Exception as exc:  # a broken check must not stop the other rules
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"
        reason = f"the check broke: {type(exc).__name__}: {exc} ({where})"
        return RuleResult(info, Status.ERROR, reason=reason)
    status = Status.FAILED if findings else Status.PASSED
    table = (
        [{k: plain(v) for k, v in row.items()} for row in outcome.table] if outcome.table else None
    )
    return RuleResult(
        info,
        status,
        findings=findings,
        not_evaluable=undecided,
        table=table,
        notes=list(outcome.notes) + _unread_notes(context),
    )


def _unread_notes(context: StudyContext) -> list[str]:
    """A rule that ran on part of the data says which datasets it could not look at."""
    return [
        f"{name} was not checked by this rule: its file could not be read"
        for name in sorted(context.unread_asked)
    ]


def _day0_or_none(context: StudyContext) -> pd.Series | None:
    try:
        return context.day0
    except NotRun:
        return None


def _located(rule: LoadedRule, hits: Hits, day0, context: StudyContext) -> list[Finding]:
    return materialise(rule, hits, day0, _seqs(context, hits), _lines(context, hits))


def _lines(context: StudyContext, hits: Hits) -> list | None:
    if hits.dataset_level or not context.has(hits.domain):
        return None
    lines = context.study.datasets[hits.domain].lines
    if lines is None:
        return None
    return lines[hits.rows.index.to_numpy(dtype=int) - 1].tolist()


def _seqs(context: StudyContext, hits: Hits) -> list | None:
    if hits.dataset_level or not context.has(hits.domain):
        return None
    return record_seqs(context.frame(hits.domain), hits.domain, hits.rows.index)


def materialise(
    rule: LoadedRule,
    hits: Hits,
    day0: pd.Series | None = None,
    seqs: list | None = None,
    lines: list | None = None,
) -> list[Finding]:
    """One Finding per row of `hits`, its message filled from params, context and values."""
    shown = [c for c in dict.fromkeys(hits.variables + hits.extra) if c in hits.rows.columns]
    values_per_row = hits.rows[shown].to_dict("records")
    usubjids = hits.rows["USUBJID"] if "USUBJID" in hits.rows.columns else [None] * len(hits.rows)
    days = pinned_days(hits.rows, shown, day0)
    params = rule.params.model_dump()
    findings = []
    seqs = seqs if seqs is not None else [None] * len(hits.rows)
    lines = lines if lines is not None else [None] * len(hits.rows)
    rows = zip(hits.rows.index, usubjids, values_per_row, days, seqs, lines, strict=True)
    for record, usubjid, raw, day, seq, line in rows:
        values = {name: plain(value) for name, value in raw.items()}
        fields = {**params, **hits.context, **values}
        if len(hits.variables) == 1:
            fields["value"] = values.get(hits.variables[0])
        findings.append(
            Finding(
                rule_id=rule.rule.id,
                severity=rule.rule.severity,
                domain=hits.domain,
                usubjid=plain(usubjid),
                record=None if hits.dataset_level else int(record),
                variables=tuple(hits.variables),
                values=values,
                message=rule.message.format_map(_Fields(fields)),
                protocol_day=day,
                seq=seq,
                line=line,
            )
        )
    return findings


class _Fields(dict):
    """Message fields: a missing value reads '(empty)', an unknown placeholder stays visible."""

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            return "{" + key + "}"
        value = super().__getitem__(key)
        return "(empty)" if value is None else value


def _input_info(dataset) -> InputInfo:
    return InputInfo(
        dataset=dataset.name,
        path=str(dataset.path),
        format=dataset.format,
        sha256=dataset.sha256,
        records=dataset.records,
        variables=len(dataset.frame.columns),
    )
