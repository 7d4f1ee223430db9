"""Value Check rule types on distinct values: CORE melts every value of a dataset into a row
(`row_number`, `variable_name`, `variable_value`), a million records of 30 variables thirty
million rows.  A Check made of record-wise operators that does not read `row_number` gives the
same answer for every record holding the same value of a variable, so it runs once per
distinct (variable, value) pair and only the pairs it holds on are taken back to records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.openrules.checks import holds, operators_of
from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.metadata import RECORD, dataset_metadata, variables_metadata
from trialguard.openrules.model import OpenRule
from trialguard.openrules.operations import computed
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
    """The distinct (variable, value) pairs of a dataset, and where each is held."""

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
        self.table = pd.DataFrame(
            {
                "variable_name": np.concatenate(names) if names else [],
                "variable_value": np.concatenate(values) if values else [],
            }
        )

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
    values = DistinctValues(context, info)
    frame = _frame(rule, context, info, infos, values.table)
    holding = holds(rule.check, frame)
    pairs = np.flatnonzero(holding.to_numpy(dtype=bool))
    records = values.records(pairs).assign(row_number=lambda table: table.index)
    data = context.frame(info.name)
    if "USUBJID" in data.columns:  # each finding names its record's subject
        records["USUBJID"] = data["USUBJID"].reindex(records.index).to_numpy()
    flagged = _frame(rule, context, info, infos, records)
    return flagged, pd.Series(True, index=records.index)


def _frame(
    rule: OpenRule,
    context: StudyContext,
    info: DatasetInfo,
    infos: list[DatasetInfo],
    table: pd.DataFrame,
) -> RuleFrame:
    frame = RuleFrame(with_metadata(rule, context, info, table), info.name, info.wildcard)
    frame.operations.update(computed(rule, context, frame, info, infos))
    return frame


def with_metadata(
    rule: OpenRule, context: StudyContext, info: DatasetInfo, table: pd.DataFrame
) -> pd.DataFrame:
    if rule.rule_type == VALUE_TYPES[0]:
        variables = variables_metadata(context, info, False)
        return table.merge(variables, "left", "variable_name").set_axis(table.index)
    return table.assign(**dataset_metadata(context, info))
