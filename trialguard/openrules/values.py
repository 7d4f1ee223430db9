"""Value Check rule types on distinct values: CORE melts every value of a dataset into a row
(`row_number`, `variable_name`, `variable_value`), a million records of 30 variables thirty
million rows.  A Check made of record-wise operators that does not read `row_number` gives the
same answer for every record holding the same value of a variable, so it runs once per
distinct (variable, value) pair and only the pairs it holds on are taken back to records.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from trialguard.openrules.checks import holds, operators_of
from trialguard.openrules.frame import Caches, Codes, RuleFrame
from trialguard.openrules.metadata import RECORD, dataset_metadata, variables_metadata
from trialguard.openrules.model import OpenRule
from trialguard.openrules.operation_results import computed
from trialguard.openrules.scope import DatasetInfo
from trialguard.validators.context import StudyContext

VALUE_TYPES = ("Value Check with Variable Metadata", "Value Check with Dataset Metadata")
RECORD_WISE = frozenset(
    {"empty", "non_empty", "equal_to", "not_equal_to", "equal_to_case_insensitive",
     "not_equal_to_case_insensitive", "matches_regex", "not_matches_regex", "exists",
     "not_exists", "is_contained_by", "is_not_contained_by", "longer_than",
     "longer_than_or_equal_to", "shorter_than", "shorter_than_or_equal_to", "starts_with",
     "ends_with", "contains", "does_not_contain", "greater_than", "less_than",
     "greater_than_or_equal_to", "less_than_or_equal_to"}
)  # fmt: skip


def by_distinct_values(rule: OpenRule) -> bool:
    """Whether the rule's Check can run on distinct values (see the module's docstring)."""
    return (
        rule.rule_type in VALUE_TYPES
        and operators_of(rule.check) <= RECORD_WISE
        and "row_number" not in str(rule.check)
    )


class DistinctValues:
    """The distinct (variable, value) pairs of a dataset, where each is held, and the variable
    (by position) of each pair: kept for the run, shared by the Value Check rules."""

    def __init__(self, context: StudyContext, info: DatasetInfo) -> None:
        data = context.frame(info.name)
        self.index = data.index
        self.codes: list[np.ndarray] = []
        names, values, self.offsets = [], [], [0]
        for column in data.columns:
            codes, distinct = context.distinct(info.name, str(column))
            self.codes.append(codes)
            names.append(np.full(len(distinct), str(column), dtype=object))
            values.append(distinct.astype(object).where(distinct.notna(), None).to_numpy())
            self.offsets.append(self.offsets[-1] + len(distinct))
        self.variable = np.repeat(np.arange(len(names)), np.diff(self.offsets))
        self.table = pd.DataFrame(
            {
                "variable_name": np.concatenate(names) if names else [],
                "variable_value": np.concatenate(values) if values else [],
            }
        )

    @classmethod
    def of(cls, context: StudyContext, info: DatasetInfo) -> DistinctValues:
        key = ("openrules.values", info.name)
        if key not in context.cache:
            context.cache[key] = cls(context, info)
        found = context.cache[key]
        assert isinstance(found, DistinctValues)
        return found

    def records(self, pairs: np.ndarray) -> pd.DataFrame:
        """Every record holding a flagged pair: record, variable_name, variable_value."""
        parts = []
        for number, codes in enumerate(self.codes):
            start, end = self.offsets[number], self.offsets[number + 1]
            wanted = pairs[(pairs >= start) & (pairs < end)] - start
            if not len(wanted):
                continue
            held = np.isin(codes, wanted)
            pair = codes[held] + start
            part = self.table.iloc[pair].set_axis(self.index[held])
            parts.append(part)
        if not parts:
            return self.table.iloc[:0].rename_axis(RECORD)
        return pd.concat(parts).rename_axis(RECORD)


def value_check_frame(
    rule: OpenRule, context: StudyContext, info: DatasetInfo, infos: list[DatasetInfo]
) -> tuple[RuleFrame, pd.Series]:
    """The frame of the records the rule flags (each a record and variable), all held."""
    values = DistinctValues.of(context, info)
    pairs = held_pairs(rule, context, info, infos, values)
    records = values.records(pairs).assign(row_number=lambda table: table.index)
    data = context.frame(info.name)
    if "USUBJID" in data.columns:  # each finding names its record's subject
        records["USUBJID"] = data["USUBJID"].reindex(records.index).to_numpy()
    flagged = _frame(rule, context, info, infos, with_metadata(rule, context, info, records))
    return flagged, pd.Series(True, index=records.index)


def held_pairs(
    rule: OpenRule,
    context: StudyContext,
    info: DatasetInfo,
    infos: list[DatasetInfo],
    values: DistinctValues,
) -> np.ndarray:
    """The positions of the pairs the Check holds on.  The items of an `all` (without
    operations, which may read the whole table) run one after the other, each on the pairs
    the ones before it held on: a pair's answer is its own."""
    check = rule.check
    narrowing = isinstance(check, dict) and isinstance(check.get("all"), list)
    narrowing = narrowing and not rule.operations
    metadata = pair_metadata(rule, context, info)
    pairs = np.arange(len(values.table))
    for step in check["all"] if narrowing else [check]:
        if narrowing and not len(pairs):
            break  # as `all` stops: nothing left to hold on
        table = values.table.iloc[pairs].reset_index(drop=True)
        variables = metadata.drop(columns="variable_name").iloc[values.variable[pairs]]
        variables = variables.reset_index(drop=True)
        table = pd.concat([table, variables], axis=1)
        read = partial(variable_codes, metadata, values.variable[pairs])
        frame = _frame(rule, context, info, infos, table, Caches(read=read, objects=True))
        pairs = pairs[holds(step, frame).to_numpy(dtype=bool)]
    return pairs


def _frame(
    rule: OpenRule,
    context: StudyContext,
    info: DatasetInfo,
    infos: list[DatasetInfo],
    table: pd.DataFrame,
    caches: Caches | None = None,
) -> RuleFrame:
    frame = RuleFrame(table, info.name, info.wildcard, caches=caches or Caches())
    frame.operations.update(computed(rule, context, frame, info, infos))
    return frame


def variable_codes(metadata: pd.DataFrame, variables: np.ndarray, name: str) -> Codes | None:
    """A column the pairs' variable decides (its name, its metadata): the variable of each
    pair as its code, and the column's value for each variable."""
    if name not in metadata.columns:
        return None
    return variables, metadata[name].reset_index(drop=True)


def pair_metadata(rule: OpenRule, context: StudyContext, info: DatasetInfo) -> pd.DataFrame:
    """The metadata of each variable of the dataset (by position), as `with_metadata` adds."""
    names = pd.DataFrame({"variable_name": [str(c) for c in context.frame(info.name).columns]})
    return with_metadata(rule, context, info, names)


def with_metadata(
    rule: OpenRule, context: StudyContext, info: DatasetInfo, table: pd.DataFrame
) -> pd.DataFrame:
    if rule.rule_type == VALUE_TYPES[0]:
        variables = variables_metadata(context, info, False)
        return table.merge(variables, "left", "variable_name").set_axis(table.index)
    return table.assign(**dataset_metadata(context, info))
