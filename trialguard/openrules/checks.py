"""The Check tree of a rule (`all`, `any`, `not` over operator items), on whole columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.model import RuleProblem
from trialguard.openrules.operators import operators


def holds(check: Any, frame: RuleFrame) -> pd.Series:
    """True for each record of `frame` the Check holds on (a finding of the rule)."""
    if isinstance(check, dict):
        if "all" in check:
            return _combine(check["all"], frame, all_of=True)
        if "any" in check:
            return _combine(check["any"], frame, all_of=False)
        if "not" in check:
            return ~holds(check["not"], frame)
        if "operator" in check:
            return _item(check, frame)
    raise RuleProblem(f"a Check item must be all, any, not or an operator item: {check!r}")


def _combine(items: Any, frame: RuleFrame, *, all_of: bool) -> pd.Series:
    """`all`: every item holds (a variable missing anywhere leaves the dataset unchecked);
    `any`: one item holds, items naming a missing variable left out unless all do."""
    if not isinstance(items, list):
        raise RuleProblem("all/any take a list of Check items")
    result = pd.Series(all_of, index=frame.index, dtype=bool)
    missing: list[MissingVariable] = []
    for item in items:
        if all_of and not result.any():
            break  # nothing left to hold on
        try:
            part = holds(item, frame)
        except MissingVariable as absent:
            if all_of:
                raise
            missing.append(absent)
            continue
        result = (result & part) if all_of else (result | part)
    if missing and len(missing) == len(items):
        raise missing[0]
    return result


def _item(item: dict[str, Any], frame: RuleFrame) -> pd.Series:
    function = operators().get(str(item["operator"]))
    if function is None:
        raise UnknownOperator(str(item["operator"]))
    small = distinct_frame(frame, item)
    if small is None:
        result = function(frame, item)
    else:  # the answer of each distinct value, taken to the records holding it
        codes, values = small
        answers = function(values, item)
        answers = answers.fillna(False).astype(bool) if answers.dtype != bool else answers
        return pd.Series(answers.to_numpy(dtype=bool)[codes], index=frame.index)
    return result.fillna(False).astype(bool) if result.dtype != bool else result


VALUE_WISE = frozenset(
    {
        "empty",
        "non_empty",
        "equal_to",
        "not_equal_to",
        "equal_to_case_insensitive",
        "not_equal_to_case_insensitive",
        "matches_regex",
        "not_matches_regex",
        "prefix_matches_regex",
        "not_prefix_matches_regex",
        "suffix_matches_regex",
        "not_suffix_matches_regex",
        "is_contained_by",
        "is_not_contained_by",
        "is_contained_by_case_insensitive",
        "is_not_contained_by_case_insensitive",
        "prefix_is_contained_by",
        "prefix_is_not_contained_by",
        "suffix_is_contained_by",
        "suffix_is_not_contained_by",
        "longer_than",
        "longer_than_or_equal_to",
        "shorter_than",
        "shorter_than_or_equal_to",
        "has_equal_length",
        "has_not_equal_length",
        "starts_with",
        "ends_with",
        "contains",
        "does_not_contain",
        "greater_than",
        "less_than",
        "greater_than_or_equal_to",
        "less_than_or_equal_to",
        "prefix_equal_to",
        "prefix_not_equal_to",
        "equals_string_part",
        "does_not_equal_string_part",
        "is_complete_date",
        "is_incomplete_date",
        "invalid_date",
        "invalid_duration",
        "date_equal_to",
        "date_not_equal_to",
        "date_greater_than",
        "date_greater_than_or_equal_to",
        "date_less_than",
        "date_less_than_or_equal_to",
    }
)  # fmt: skip  (a record's answer depends on its own value of `name` alone)


def distinct_frame(frame: RuleFrame, item: dict[str, Any]) -> tuple[np.ndarray, RuleFrame] | None:
    """For an item whose answer depends on the record's value of its `name` only (a value-wise
    operator, a literal comparator), the codes of that column and a frame of its distinct
    values; None when the item reads more, or the column has few repeated values."""
    if str(item["operator"]) not in VALUE_WISE or item.get("value_is_reference"):
        return None
    value = item.get("value")
    literal = item.get("value_is_literal")
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str) and not literal and frame.has(entry):
            return None
    found = frame.codes(item["name"]) if "name" in item else None
    if found is None or 2 * len(found[1]) > len(frame.index):
        return None
    codes, values = found
    data = pd.DataFrame({frame.name(item["name"]): values.reset_index(drop=True)})
    return codes, RuleFrame(data.rename_axis("record"), frame.dataset, frame.prefix)


class UnknownOperator(RuleProblem):
    """An operator trialguard does not execute: the rule is not run."""

    def __init__(self, name: str) -> None:
        super().__init__(f"operator {name} is not supported")
        self.name = name


def operators_of(check: Any) -> set[str]:
    """Every operator a Check tree names."""
    if isinstance(check, list):
        return set().union(*(operators_of(item) for item in check)) if check else set()
    if isinstance(check, dict):
        for key in ("all", "any", "not"):
            if key in check:
                return operators_of(check[key])
        return {str(check.get("operator"))}
    return set()
