"""The Check tree of a rule (`all`, `any`, `not` over operator items), on whole columns."""

from __future__ import annotations

from typing import Any

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
    result = function(frame, item)
    return result.fillna(False).astype(bool) if result.dtype != bool else result


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
