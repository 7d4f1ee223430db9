"""One open rule on a study: the datasets its Scope takes, the table its Rule Type checks on
each (records, variable or dataset metadata), the datasets matched to it and the operations
it computes, the Check over whole columns, and the records it holds on as findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from trialguard.openrules.checks import holds
from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.matching import matched
from trialguard.openrules.metadata import metadata_frame
from trialguard.openrules.model import OpenRule, RuleProblem
from trialguard.openrules.operations import computed
from trialguard.openrules.outcome import DatasetResult, flagged
from trialguard.openrules.scope import in_scope
from trialguard.sdtm.naming import variable_prefix
from trialguard.validators.context import StudyContext

RECORD_TYPES = ("Record Data",)


class NotExecutable(Exception):
    """The rule needs what the run does not have (the CDISC Library, a define.xml, MedDRA):
    it is not run, with this reason."""


@dataclass(frozen=True)
class RuleRun:
    """What one rule found: a result per dataset checked, and the datasets it skipped."""

    results: tuple[DatasetResult, ...]
    skipped: tuple[tuple[str, str], ...]  # (dataset, why the rule did not apply to it)
    in_scope: tuple[str, ...]


def run_open_rule(rule: OpenRule, context: StudyContext) -> RuleRun:
    names = scoped_datasets(rule, context)
    results, skipped = [], []
    for name, frame in frames(rule, context, names):
        try:
            holding = holds(rule.check, frame)
        except MissingVariable as missing:
            skipped.append((name, f"{missing.name} is not in {name}"))
            continue
        results.append(flagged(rule, frame, holding))
    return RuleRun(tuple(results), tuple(skipped), tuple(names))


def scoped_datasets(rule: OpenRule, context: StudyContext) -> list[str]:
    datasets = context.study.datasets
    return [n for n in sorted(datasets) if in_scope(rule.scope, n, datasets[n].frame.columns)]


def frames(
    rule: OpenRule, context: StudyContext, names: list[str]
) -> Iterator[tuple[str, RuleFrame]]:
    """The table the Check runs on, per dataset in scope (or one for the study)."""
    if rule.rule_type in RECORD_TYPES:
        for name in names:
            yield name, record_frame(rule, context, name)
        return
    for name, table in metadata_frame(rule, context, names):
        yield name, RuleFrame(table, name, variable_prefix(name))


def record_frame(rule: OpenRule, context: StudyContext, name: str) -> RuleFrame:
    data = context.frame(name)
    data = matched(rule, context, name, data)
    frame = RuleFrame(data, name, variable_prefix(name))
    frame.operations.update(computed(rule, context, frame))
    return frame


__all__ = ["NotExecutable", "RuleProblem", "RuleRun", "pd", "run_open_rule"]
