"""Relational operators: equal_to and its kind, comparisons, empty and non_empty."""

from __future__ import annotations

import pandas as pd

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.operators import Item, complement, operator


@operator("empty")
def empty(frame: RuleFrame, item: Item) -> pd.Series:
    return frame.empty(item["name"])


complement("non_empty", "empty")


@operator("equal_to")
def equal_to(frame: RuleFrame, item: Item) -> pd.Series:
    target = frame.text(item["name"])
    value = item.get("value")
    if not item.get("value_is_literal") and isinstance(value, str) and frame.has(value):
        other = frame.text(value)
    else:
        other = pd.Series(str(value) if value is not None else "", index=frame.index)
    return (target == other) & (target != "")


complement("not_equal_to", "equal_to")
