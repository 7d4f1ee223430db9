"""Relational operators: the equalities (`equal_to` and its kind), the numeric comparisons,
`empty` and `non_empty`, as CORE evaluates them.

Equality is Python's `==` on the values as read (a text "1.0" differs from a text "1"), except
that a text reading as a number equals that number (a CSV dataset's Num variables arrive as
text); `type_insensitive` turns both sides into normalised text, `round_values` rounds both
sides to whole numbers first.  An empty target and an empty comparator are never equal nor unequal.
The numeric comparisons read both sides as numbers; a value that is not one compares False.

The helpers `comparator`, `objects`, `distinct_map` and `containers` are shared with the
string operators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator
from trialguard.openrules.pairs import pair_rows, spread, value_codes

CONTAINERS = (list, set, tuple, frozenset, dict)
PLAIN = frozenset({"string", "empty", "floating", "integer", "mixed-integer-float", "boolean"})


def comparator(frame: RuleFrame, item: Item) -> Any:
    """The item's value: the column (or $operation) it names unless `value_is_literal`,
    otherwise the literal itself (a leading `--` replaced by the dataset's prefix)."""
    value = item.get("value")
    if isinstance(value, str):
        if not item.get("value_is_literal") and frame.has(value):
            return frame.column(value)
        return frame.name(value)
    if isinstance(value, list):
        return [frame.name(entry) if isinstance(entry, str) else entry for entry in value]
    return value


def objects(column: pd.Series) -> pd.Series:
    """The column's values as Python objects, None for a missing one."""
    values = column.astype(object).copy()
    missing = column.isna().to_numpy(dtype=bool)
    if missing.any():
        values[missing] = None
    return values


def distinct_map(column: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """`function` of each value, computed once per distinct value (None stays None)."""
    values = objects(column)
    present = values.notna().to_numpy(dtype=bool)
    result = np.full(len(values), None, dtype=object)
    if present.any():
        try:
            codes, uniques = pd.factorize(values[present])
            result[present] = _object_array([function(value) for value in uniques])[codes]
        except TypeError:  # unhashable cells (lists): one call per cell
            result[present] = _object_array([function(value) for value in values[present]])
    return pd.Series(result, index=column.index, dtype=object)


def _object_array(items: list[Any]) -> np.ndarray:
    """A 1-d object array of `items`, tuples and lists kept as single cells."""
    array = np.empty(len(items), dtype=object)
    for position, entry in enumerate(items):
        array[position] = entry
    return array


def containers(column: pd.Series) -> pd.Series:
    """True for each cell that holds a list, set or dict (an operation's result)."""
    if column.dtype != object or cell_kind(column) in PLAIN:
        return pd.Series(False, index=column.index)
    return distinct_map(column, lambda value: isinstance(value, CONTAINERS)).eq(True)


def cell_kind(column: pd.Series) -> str:
    """What the cells of a column of objects are (pandas' `infer_dtype`: "string", "mixed")."""
    return str(pd.api.types.infer_dtype(column, skipna=True))


def _blank(values: pd.Series) -> pd.Series:
    """Null, "" or an empty container (CORE's NULL_FLAVORS)."""
    blank = values.isna() | (values.astype(object) == "").to_numpy(dtype=bool)
    boxed = containers(values)
    if boxed.any():
        blank |= values.where(boxed).map(_empty_container, na_action="ignore").eq(True)
    return blank


def _empty_container(value: Any) -> bool:
    items = list(value)
    return not items or items == [None]


@operator("empty")
def empty(frame: RuleFrame, item: Item) -> pd.Series:
    return _blank(frame.column(item["name"]))


complement("non_empty", "empty")


# --- equality -----------------------------------------------------------------------------


def _equality_comparator(frame: RuleFrame, item: Item) -> pd.Series:
    """The comparator row by row: a column, a literal, or (`value_is_reference`) the column
    named by each record's value of the item's value column (None where there is none)."""
    if item.get("value_is_reference"):
        return _referenced(frame, frame.column(item.get("value")))
    value = comparator(frame, item)
    return objects(value if isinstance(value, pd.Series) else frame.broadcast(value))


def _referenced(frame: RuleFrame, names: pd.Series) -> pd.Series:
    result = np.full(len(frame.index), None, dtype=object)
    for name in names.dropna().unique():
        if isinstance(name, str) and not name.startswith("--") and frame.has(name):
            rows = (names == name).fillna(False).to_numpy(dtype=bool)
            result[rows] = objects(frame.column(name)).to_numpy(dtype=object)[rows]
    return pd.Series(result, index=frame.index, dtype=object)


def _rounded(value: Any) -> Any:
    try:
        return round(float(value))
    except (ValueError, TypeError, OverflowError):
        return value


def loose_text(value: Any) -> Any:
    """CORE's `custom_str_conversion`: numbers (and numeric text) as text without a trailing
    .0, other text stripped."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value.strip()
        return str(int(number)) if number.is_integer() else str(number)
    if isinstance(value, bool | int | np.integer):
        return str(value)
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else str(value)
    return value


def _lowered(value: Any) -> Any:
    return value.lower() if isinstance(value, str) and value else None


def _same(target: pd.Series, other: pd.Series) -> pd.Series:
    """Python `==` cell by cell (None equals None), except that a text holding a number equals
    that number: CORE reads a Num variable of a CSV dataset as numbers, trialguard as text."""
    same = target.to_numpy(dtype=object) == other.to_numpy(dtype=object)
    result = pd.Series(np.asarray(same, dtype=bool), index=target.index)
    return result | _same_number(target, other) | _same_number(other, target)


def _same_number(texts: pd.Series, numbers: pd.Series) -> pd.Series:
    """A text side that reads as the number on the other side."""
    number = _numbers(numbers)
    if number.isna().all():
        return pd.Series(False, index=texts.index)
    written = distinct_map(texts, _number_in_text).astype("float64")
    return (written == number).fillna(False).astype(bool)


def _numbers(values: pd.Series) -> pd.Series:
    """`_number` of each cell (NaN for None)."""
    kind = values.dtype
    texts = pd.api.types.is_object_dtype(kind) and cell_kind(values) in ("string", "empty")
    if texts or pd.api.types.is_bool_dtype(kind) or isinstance(kind, pd.StringDtype):
        return pd.Series(np.nan, index=values.index)
    if isinstance(kind, np.dtype) and kind.kind in "fiu":
        return values.astype("float64")
    return distinct_map(values, _number).astype("float64")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return None
    return float(value)


def _number_in_text(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _compare(frame: RuleFrame, item: Item, *, case_insensitive: bool) -> tuple[pd.Series, ...]:
    """(equal, both empty) for each record, computed once per distinct pair of values."""
    column = frame.column(item["name"])
    other = _equality_comparator(frame, item)
    target_codes = value_codes(column, frame.codes(item["name"]))
    other_codes = value_codes(other) if target_codes is not None else None
    if target_codes is None or other_codes is None:
        return _compared(objects(column), other, item, case_insensitive)
    codes, firsts = pair_rows(target_codes, other_codes)
    target = objects(column.iloc[firsts]).reset_index(drop=True)
    same, both_blank = _compared(
        target, other.iloc[firsts].reset_index(drop=True), item, case_insensitive
    )
    return spread(same, codes, frame.index), spread(both_blank, codes, frame.index)


def _compared(
    target: pd.Series, other: pd.Series, item: Item, case_insensitive: bool
) -> tuple[pd.Series, pd.Series]:
    both_blank = _blank(target) & _blank(other)
    steps: list[Callable[[Any], Any]] = []
    if item.get("round_values"):
        steps.append(_rounded)
    if item.get("type_insensitive"):
        steps.append(loose_text)
    if case_insensitive:
        steps.append(_lowered)
    for step in steps:
        target, other = distinct_map(target, step), distinct_map(other, step)
    return _same(target, other), both_blank


@operator("equal_to")
def equal_to(frame: RuleFrame, item: Item) -> pd.Series:
    same, both_blank = _compare(frame, item, case_insensitive=False)
    return same & ~both_blank


@operator("not_equal_to")
def not_equal_to(frame: RuleFrame, item: Item) -> pd.Series:
    same, both_blank = _compare(frame, item, case_insensitive=False)
    return ~same & ~both_blank


@operator("equal_to_case_insensitive")
def equal_to_case_insensitive(frame: RuleFrame, item: Item) -> pd.Series:
    same, both_blank = _compare(frame, item, case_insensitive=True)
    return same & ~both_blank


@operator("not_equal_to_case_insensitive")
def not_equal_to_case_insensitive(frame: RuleFrame, item: Item) -> pd.Series:
    same, both_blank = _compare(frame, item, case_insensitive=True)
    return ~same & ~both_blank


# --- numeric comparisons ------------------------------------------------------------------


def numbers(column: pd.Series) -> pd.Series:
    """The column as float64, NaN where a value is not a number."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.astype("float64")
    values = objects(column)
    values = values.where(~containers(values), None)
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _numeric_comparator(frame: RuleFrame, item: Item) -> pd.Series | float:
    value = comparator(frame, item)
    if isinstance(value, pd.Series):
        return numbers(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MissingVariable(str(value))  # a name that is not a variable of the dataset
    return float(value)


def _numeric(
    test: Callable[[pd.Series, Any], pd.Series],
) -> Callable[[RuleFrame, Item], pd.Series]:
    def compare(frame: RuleFrame, item: Item) -> pd.Series:
        target = numbers(frame.column(item["name"]))
        return test(target, _numeric_comparator(frame, item)).fillna(False).astype(bool)

    return compare


operator("greater_than")(_numeric(pd.Series.gt))
operator("greater_than_or_equal_to")(_numeric(pd.Series.ge))
operator("less_than")(_numeric(pd.Series.lt))
operator("less_than_or_equal_to")(_numeric(pd.Series.le))
