"""Uniqueness and consistency operators: is_(not_)unique_set, is_(not_)unique_relationship,
is_inconsistent_across_dataset, (not_)present_on_multiple_rows_within, has_same_values and
has_different_values.

All of them compare records of one dataset with each other, so they work on groups of
records (pandas groupby/duplicated/transform), never record by record.  As in CORE a missing
value is a value of its own in a key (all missing values equal each other), except in the
one-to-one relationship test where a missing value is "no value".
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator

_MISSING = "_NaN_"  # how CORE fills a missing value before grouping


def _listed(value: Any) -> list[Any]:
    """The value parameter as a list of names (a single name, a list, nested lists)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [name for part in value for name in _listed(part)]
    return [value]


def _expanded(frame: RuleFrame, names: list[Any]) -> list[str]:
    """Names with `--` resolved; an operation whose result is a list of names stands for
    those names (CORE's flatten_list)."""
    result: list[str] = []
    for raw in names:
        name = frame.name(raw)
        if name.startswith("$") and frame.has(name) and len(frame.index):
            first = frame.column(name).iloc[0]
            if isinstance(first, list | tuple | set):
                result.extend(frame.name(part) for part in first)
                continue
        result.append(name)
    return result


def _columns_present(frame: RuleFrame, names: list[str]) -> list[str]:
    """The names that are columns of the frame, each once, in order (others are dropped)."""
    return [name for name in dict.fromkeys(names) if frame.has(name)]


def _null(column: pd.Series) -> pd.Series:
    """Missing or the empty string: "no value" in a relationship."""
    missing = column.isna()
    if pd.api.types.is_numeric_dtype(column.dtype):
        return missing
    return missing | (column.astype(object) == "").fillna(False).astype(bool)


def _first_match(pattern: str, value: Any) -> Any:
    """CORE's apply_regex: the first findall result of a non-empty string, None if none."""
    if not isinstance(value, str) or not value:
        return value
    found = re.findall(pattern, value)
    return found[0] if found else None


def _regex_applied(column: pd.Series, pattern: str) -> pd.Series:
    """A column reduced to its regex match when its first value matches (is_unique_set)."""
    present = column.dropna()
    sample = present.iloc[0] if len(present) else None
    if not (isinstance(sample, str) and sample and re.match(pattern, sample)):
        return column
    values = column.astype(object).where(column.notna(), None)
    mapping = {value: _first_match(pattern, value) for value in values.dropna().unique()}
    return values.map(mapping)


# --- is_unique_set ------------------------------------------------------------------------


@operator("is_unique_set")
def is_unique_set(frame: RuleFrame, item: Item) -> pd.Series:
    """True for records whose values of the target and the value's variables occur once."""
    names = _columns_present(frame, _expanded(frame, [item["name"], *_listed(item.get("value"))]))
    if not names:
        raise MissingVariable(frame.name(item["name"]))
    keys = pd.DataFrame({name: frame.column(name) for name in names}, index=frame.index)
    pattern = item.get("regex")
    if pattern:
        for name in names:
            keys[name] = _regex_applied(keys[name], str(pattern))
    return ~keys.duplicated(keep=False)


complement("is_not_unique_set", "is_unique_set")


# --- is_not_unique_relationship -----------------------------------------------------------


def _many_to_one(keys: pd.DataFrame, values: pd.DataFrame) -> pd.Series:
    """True for records whose (non-empty) key maps to more than one value: two distinct
    non-empty values, or one plus an empty one."""
    key_null = pd.concat([_null(keys[c]) for c in keys], axis=1).any(axis=1)
    value_null = pd.concat([_null(values[c]) for c in values], axis=1).any(axis=1)
    both = pd.concat([keys, values], axis=1).loc[~key_null]
    value_null = value_null.loc[~key_null]
    groups = [both[c] for c in keys.columns]
    first_of_value = ~both.duplicated() & ~value_null
    distinct = first_of_value.groupby(groups, dropna=False).transform("sum")
    with_null = value_null.groupby(groups, dropna=False).transform("any")
    bad = (distinct > 1) | ((distinct >= 1) & with_null)
    return bad.reindex(keys.index, fill_value=False).astype(bool)


@operator("is_not_unique_relationship")
def is_not_unique_relationship(frame: RuleFrame, item: Item) -> pd.Series:
    """True for records whose target value maps to several values of the value variable(s),
    or whose value(s) map to several target values (CORE tests a one-to-one relation)."""
    target = frame.name(item["name"])
    others = [frame.name(name) for name in _listed(item.get("value"))]
    if not others:
        raise MissingVariable(target)
    keys = pd.DataFrame({target: frame.column(target)}, index=frame.index)
    values = pd.DataFrame({name: frame.column(name) for name in others}, index=frame.index)
    return _many_to_one(keys, values) | _many_to_one(values, keys)


complement("is_unique_relationship", "is_not_unique_relationship")


# --- is_inconsistent_across_dataset -------------------------------------------------------


def _regex_extracted(column: pd.Series, pattern: str) -> pd.Series:
    """The first capture group of each value as text; the value itself when it does not
    match (CORE's is_inconsistent_across_dataset regex)."""
    compiled = re.compile(pattern if re.compile(pattern).groups else f"({pattern})")
    values = column.astype(str)
    mapping = {}
    for value in values.unique():
        found = compiled.search(value)
        mapping[value] = found.group(1) if found and found.group(1) is not None else value
    return values.map(mapping)


def _filled(column: pd.Series) -> pd.Series:
    """CORE's fillna("_NaN_"): a missing value is one more value."""
    return column.astype(object).where(column.notna(), _MISSING)


@operator("is_inconsistent_across_dataset")
def is_inconsistent_across_dataset(frame: RuleFrame, item: Item) -> pd.Series:
    """True for every record of a group (records equal on the value's variables) in which
    the target takes more than one value (a missing value counts as one).

    CORE's versions disagree: the older one flags every record of such a group, 0.17.1 only
    the records away from the most frequent value (all of them on a tie).  The older one is
    kept: the published cases CORE-000612 and CORE-000699 need it (CORE-000142 positive-01
    needs the newer one)."""
    target = frame.name(item["name"])
    groups = _columns_present(frame, _expanded(frame, _listed(item.get("value"))))
    if not groups:
        raise MissingVariable(
            frame.name(_listed(item.get("value"))[0]) if item.get("value") else target
        )
    values = _filled(frame.column(target))
    pattern = item.get("regex")
    if isinstance(pattern, list):
        pattern = pattern[0] if pattern else None
    if pattern:
        values = _regex_extracted(values, str(pattern))
    keys = [_filled(frame.column(name)) for name in groups]
    return values.groupby(keys, dropna=False).transform("nunique") > 1


# --- present_on_multiple_rows_within ------------------------------------------------------


def _within(frame: RuleFrame, item: Item) -> list[pd.Series]:
    """The grouping columns a `within` parameter names (a name or a list of names)."""
    names = _listed(item.get("within"))
    if not names:
        raise MissingVariable("within")
    return [frame.column(name) for name in names]


@operator("present_on_multiple_rows_within")
def present_on_multiple_rows_within(frame: RuleFrame, item: Item) -> pd.Series:
    """True for every record whose target value occurs on more records of its `within`
    group than `value` allows (1 when not given); a missing value is a value."""
    target = frame.column(item["name"])
    allowed = int(item.get("value") or 1)
    sizes = target.groupby([*_within(frame, item), target], dropna=False).transform("size")
    return (sizes > allowed).astype(bool)


complement("not_present_on_multiple_rows_within", "present_on_multiple_rows_within")


# --- has_different_values -----------------------------------------------------------------


@operator("has_different_values")
def has_different_values(frame: RuleFrame, item: Item) -> pd.Series:
    """True for every record when the target takes more than one value in the dataset (a
    missing value counts as one)."""
    target = frame.column(item["name"])
    different = target.nunique(dropna=False) > 1
    return pd.Series(different, index=frame.index, dtype=bool)


complement("has_same_values", "has_different_values")
