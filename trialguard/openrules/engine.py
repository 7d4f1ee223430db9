"""One open rule on a study, as CORE runs it: the datasets its Scope takes (split datasets of
one domain together, QS1 with QSAE), the table its Rule Type checks on each (records, variable
or dataset metadata, the study's datasets), the datasets matched to it and the operations it
computes, the Check over whole columns, and the records it holds on as findings.

A variable the Check names that the table lacks, or an operation's domain the study lacks,
leaves that dataset unchecked (CORE skips it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from trialguard.openrules.checks import holds
from trialguard.openrules.frame import Caches, MissingVariable, RuleFrame
from trialguard.openrules.joined import Joined, Table
from trialguard.openrules.matching import matched, referenced
from trialguard.openrules.metadata import LIBRARY_TYPES, SOURCE, metadata_table
from trialguard.openrules.model import OpenRule, RuleProblem
from trialguard.openrules.operation_results import computed
from trialguard.openrules.operations import DomainNotFound, NotExecutable
from trialguard.openrules.outcome import DatasetResult, flagged
from trialguard.openrules.scope import DatasetInfo, in_scope, study_infos
from trialguard.openrules.values import by_distinct_values, value_check_frame
from trialguard.validators.context import StudyContext

RECORD_TYPES = ("Record Data",)


@dataclass(frozen=True)
class RuleRun:
    """What one rule found: a result per dataset checked, and the datasets it skipped."""

    results: tuple[DatasetResult, ...]
    skipped: tuple[tuple[str, str], ...]  # (dataset, why the rule did not apply to it)
    in_scope: tuple[str, ...]


def run_open_rule(rule: OpenRule, context: StudyContext) -> RuleRun:
    executable(rule, context)
    infos = study_infos(context)
    groups = scoped_groups(rule, infos)
    results: list[DatasetResult] = []
    skipped: list[tuple[str, str]] = []
    for group in groups:
        name = group[0].name
        holding: pd.Series | None
        try:
            if len(group) == 1 and by_distinct_values(rule):
                frame, holding = value_check_frame(rule, context, group[0], infos)
            else:
                frame = rule_frame(rule, context, group, infos)
                holding = holds(rule.check, frame) if len(frame.index) else None
        except MissingVariable as missing:
            skipped.append((name, f"{missing.name} is not in {name}"))
            continue
        except DomainNotFound as absent:
            skipped.append((name, f"{absent} is not in the study"))
            continue
        if holding is None:
            skipped.append((name, "no records to check"))
            continue
        results.extend(flagged(rule, frame, holding))
    return RuleRun(tuple(results), tuple(skipped), tuple(i.name for g in groups for i in g))


def scoped_groups(rule: OpenRule, infos: list[DatasetInfo]) -> list[list[DatasetInfo]]:
    """The datasets in scope, split datasets of a domain as one group (its first decides)."""
    siblings: dict[str, list[DatasetInfo]] = {}
    for info in infos:
        siblings.setdefault(info.unsplit, []).append(info)
    groups = [group for group in siblings.values() if in_scope(rule.scope, group[0], infos)]
    return groups


def executable(rule: OpenRule, context: StudyContext) -> None:
    """NotExecutable for a rule needing the CDISC Library beyond trialguard's SDTMIG metadata
    (which holds the variable labels of SDTMIG 3.4 only)."""
    if rule.rule_type == LIBRARY_TYPES[1]:
        raise NotExecutable(f"needs the CDISC Library: {rule.rule_type} (and a define.xml)")
    version = context.standards.ig.model
    if rule.rule_type == LIBRARY_TYPES[0] and version != "3.4":
        raise NotExecutable(f"needs the CDISC Library: the variable labels of SDTMIG {version}")


def rule_frame(
    rule: OpenRule, context: StudyContext, group: list[DatasetInfo], infos: list[DatasetInfo]
) -> RuleFrame:
    """The table the Check runs on for one dataset (its split siblings concatenated), with
    the matched datasets' columns and the operations' results."""
    first = group[0]
    if rule.rule_type == "Domain Presence Check":
        group = group[:1]  # the study's table, once
    if rule.rule_type not in RECORD_TYPES:
        data: Table = concatenated([(info.name, table(rule, context, info)) for info in group])
        data = matched(rule, context, first, infos, data)
        caches = Caches(read=data.codes if isinstance(data, Joined) else None)
    else:
        data, caches = records(rule, context, group, infos)
    frame = RuleFrame(data, first.name, first.wildcard, caches=caches)
    frame.operations.update(computed(rule, context, frame, first, infos))
    return frame


def records(
    rule: OpenRule, context: StudyContext, group: list[DatasetInfo], infos: list[DatasetInfo]
) -> tuple[Table, Caches]:
    """The records of a group with the rule's Match Datasets joined on (a plain domain kept as
    row positions), and the caches of their columns: both kept for the run, shared by the rules
    reading the same join."""
    first = group[0]
    renamed = frozenset(name for name in referenced(rule.check) if "." in name)
    key = ("openrules.records", tuple(i.name for i in group), rule.matches, renamed)
    if key not in context.cache:
        data: Table = concatenated([(info.name, context.frame(info.name)) for info in group])
        data = matched(rule, context, first, infos, data)
        own = data is context.frame(first.name)
        read = partial(context.distinct, first.name) if own else None
        caches = Caches(read=data.codes if isinstance(data, Joined) else read)
        context.cache[key] = (data, caches)
    found = context.cache[key]
    assert isinstance(found, tuple)
    return found


def table(rule: OpenRule, context: StudyContext, info: DatasetInfo) -> pd.DataFrame:
    if rule.rule_type in RECORD_TYPES:
        return context.frame(info.name)
    return metadata_table(rule, context, info)


def concatenated(parts: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """One table of split siblings, each row knowing its dataset (`source_dataset_name`)."""
    if len(parts) == 1:
        return parts[0][1]
    return pd.concat([data.assign(**{SOURCE: name}) for name, data in parts])


__all__ = ["NotExecutable", "RuleProblem", "RuleRun", "SOURCE", "run_open_rule"]
