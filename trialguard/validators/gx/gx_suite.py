"""Expectations of a team's GX suite, run by GX on the dataset, as one rule of the run.

A rule holds one expectation, or every expectation that names the same `meta.trialguard.rule`
(across suites).  Each failing record GX names by its `_record` becomes a finding on that record;
a failed expectation about the whole dataset (a column that should exist) is a dataset finding.
An expectation GX could not evaluate ends the rule in status error.  One marked
`meta.trialguard.if_column_present` (as exported suites mark them) is skipped where the dataset
lacks its column, as trialguard's own rule skips it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from trialguard.scalars import plain
from trialguard.validators.context import StudyContext
from trialguard.validators.gx.describe import bounds, describe, expectation_columns
from trialguard.validators.gx.engine import Answer, run_expectations
from trialguard.validators.gx.frames import gx_frame, suite_parameters
from trialguard.validators.gx.suites import GxSuite, parameter_names
from trialguard.validators.outcome import CheckBroke, Hits, NotApplicable, NotRun, Outcome
from trialguard.validators.wording import can_hold, escaped, joined, named_value

SKIPPED = "expectations not run, the dataset lacking their variable: "


@dataclass(frozen=True)
class Member:
    suite: GxSuite
    position: int  # 0-based place in the suite file

    @property
    def expectation(self) -> dict[str, Any]:
        return self.suite.expectations[self.position]

    @property
    def label(self) -> str:
        return f"{self.suite.path.name} expectation {self.position + 1}"


class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    members: tuple[Member, ...] = Field(exclude=True)


def check_gx_suite(context: StudyContext, params: Params) -> Outcome:
    """Expectations of a GX suite hold on the dataset."""
    for member in params.members:  # a suite given for a dataset not read: not checked
        context.frame(member.suite.dataset)  # raises NotRun: not supplied, or unreadable
    outcome, skipped = Outcome(), []
    for member in params.members:
        answer = suite_answers(context, member.suite)[member.position]
        if answer.not_run:
            raise NotRun(f"{member.label}: {answer.not_run}")
        absent = _absent_columns(context, member, answer)
        if absent:
            skipped.append(absent)
        elif answer.error is not None:
            raise CheckBroke(
                f"{member.label} ({describe(member.expectation)}) errored in GX: {answer.error}"
            )
        elif not answer.success:
            outcome.add(_hits(context, member, answer))
    if len(skipped) == len(params.members):
        raise NotApplicable(SKIPPED + ", ".join(dict.fromkeys(skipped)))
    if skipped:
        outcome.notes.append(SKIPPED + ", ".join(dict.fromkeys(skipped)))
    return outcome


def suite_answers(context: StudyContext, suite: GxSuite) -> list[Answer]:
    """GX's answers for a whole suite, computed once per run and dataset."""
    key = ("gx", str(suite.path), suite.dataset)
    if key not in context.cache:
        context.cache[key] = _run_suite(context, suite)
    answers = context.cache[key]
    assert isinstance(answers, list)
    return answers


def _run_suite(context: StudyContext, suite: GxSuite) -> list[Answer]:
    frame = gx_frame(context.frame(suite.dataset), suite.dataset, context.standards.ig.model)
    parameters = suite_parameters(context.study)
    runnable, answers = [], {}
    for position in range(len(suite.expectations)):
        missing = [p for p in _parameters_of(suite, position) if p not in parameters]
        if missing:
            why = f"its parameter {missing[0]} needs DM, which was not read"
            answers[position] = Answer(position, False, not_run=why)
        else:
            runnable.append(position)
    given = [suite.expectations[p] for p in runnable]
    for position, answer in zip(
        runnable, run_expectations(suite.dataset, given, frame, parameters), strict=True
    ):
        answers[position] = dataclasses.replace(answer, position=position)
    return [answers[p] for p in range(len(suite.expectations))]


def _parameters_of(suite: GxSuite, position: int) -> list[str]:
    return parameter_names(suite.expectations[position].get("kwargs", {}))


def _absent_columns(context: StudyContext, member: Member, answer: Answer) -> str | None:
    """`DM.ETHNIC`: the absent variables of an expectation marked `if_column_present` that
    errored for that reason; None when it ran or must count as an error."""
    if (
        answer.error is None
        or member.suite.trialguard_meta(member.position).get("if_column_present") is not True
    ):
        return None
    columns = context.frame(member.suite.dataset).columns
    absent = [c for c in expectation_columns(member.expectation) if c not in columns]
    return ", ".join(f"{member.suite.dataset}.{c}" for c in absent) if absent else None


def _shown_variables(member: Member, present, dataset_level: bool) -> list[str]:
    """The variables a finding names: meta.trialguard.variables, else the expectation's columns;
    a record finding names those the data has (a dataset finding may name an absent one)."""
    columns = expectation_columns(member.expectation)
    named = member.suite.trialguard_meta(member.position).get("variables") or columns
    if dataset_level:
        return list(named)
    return [v for v in named if v in present] or [c for c in columns if c in present]


def _hits(context: StudyContext, member: Member, answer: Answer) -> Hits:
    name = member.suite.dataset
    frame = context.frame(name)
    variables = _shown_variables(member, frame.columns, dataset_level=not answer.records)
    bound = bounds(member.expectation)
    details = {"dataset": name, "expectation": describe(member.expectation), "observed": ""}
    details["bound"] = bound
    expects = "; it expects {bound}" if bound else ""
    if not answer.records:
        observed = "" if answer.observed is None else f" (GX observed {plain(answer.observed)})"
        details["observed"] = observed
        rows = pd.DataFrame({"USUBJID": [None]})
        hits = Hits(name, rows, variables, context=details, dataset_level=True)
        hits.message = "{dataset}: {expectation} is not met{observed}" + expects
        return hits
    keep = [c for c in dict.fromkeys(["USUBJID", *variables]) if c in frame.columns]
    records = [r for r in dict.fromkeys(answer.records) if r in frame.index]
    hits = Hits(name, frame.loc[records, keep], variables, context=details)
    hits.message = "{dataset}: {expectation} is not met" + _by_values(frame, variables) + expects
    return hits


def _by_values(frame: pd.DataFrame, variables: list[str]) -> str:
    """' by SEX 'MALE'': the record's values of the expectation's columns, as placeholders."""
    named = [named_value(frame, v) if can_hold(v) else escaped(v) for v in variables]
    return f" by {joined(named)}" if named else ""
