"""Presence operators: `exists` and `not_exists`, as CORE evaluates them.

A variable exists when the dataset (or the frame's operations) has a column of that name, or
when any list-valued cell of the frame holds the name (a metadata table whose cells list
variable names).  The answer is the same for every record.
"""

from __future__ import annotations

import pandas as pd

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator


@operator("exists")
def exists(frame: RuleFrame, item: Item) -> pd.Series:
    name = frame.name(item["name"])
    found = frame.has(name) or _listed(frame, name) or _listed_by_operations(frame, name)
    return pd.Series(found, index=frame.index, dtype=bool)


complement("not_exists", "exists")


def _listed(frame: RuleFrame, name: str) -> bool:
    """Whether a list cell of any column holds `name` (only a column of objects holds lists)."""
    table = frame.table
    kinds = table.dtypes if isinstance(table, pd.DataFrame) else map(table.dtype, table.columns)
    return any(
        _holds(table[column], name)
        for column, kind in zip(table.columns, kinds, strict=True)
        if pd.api.types.is_object_dtype(kind)
    )


def _listed_by_operations(frame: RuleFrame, name: str) -> bool:
    """Whether an operation's result (a list, or a column with list cells) holds `name`."""
    for result in frame.operations.values():
        if isinstance(result, list) and name in result:
            return True
        if isinstance(result, pd.Series) and _holds(result, name):
            return True
    return False


def _holds(values: pd.Series, name: str) -> bool:
    if values.dtype != object:
        return False
    lists = values[values.map(lambda cell: isinstance(cell, list)).astype(bool)]
    return bool(len(lists)) and bool(lists.explode().eq(name).any())
