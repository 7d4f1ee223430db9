"""Ordering and sequence operators: target_is_(not_)sorted_by, is_(not_)ordered_by,
is_(not_)ordered_set, (non_)empty_within_except_last_row and
(does_not_)have_next_corresponding_record.

They compare a record with its neighbours in an order (of a variable, within groups of
records), computed by sorting the records and shifting within groups; results always land on
the record they concern (the frame's index is the record number).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.model import RuleProblem
from trialguard.openrules.operators.dates import valid  # CORE's is_valid_date
from trialguard.openrules.operators.registry import Item, complement, operator


def _names(value: Any) -> list[Any]:
    if value is None:
        return []
    return [n for part in value for n in _names(part)] if isinstance(value, list) else [value]


def _columns(frame: RuleFrame, value: Any, role: str) -> list[pd.Series]:
    """The columns a grouping parameter (`within`, `value`) names; it is required."""
    names = _names(value)
    if not names:
        raise MissingVariable(role)
    return [frame.column(name) for name in names]


def _empty(column: pd.Series) -> pd.Series:
    """CORE's null flavours: missing or the empty string (a blank is a value)."""
    blank = (column.astype(object) == "").fillna(False).astype(bool)
    return column.isna() | blank


def _objects(column: pd.Series) -> np.ndarray:
    """The values as Python objects, None for missing ones (numpy `==`: None equals None)."""
    return np.asarray(column.astype(object).where(column.notna(), None), dtype=object)


def _sortable(column: pd.Series) -> pd.Series:
    """A text column whose values are all numbers, as numbers (a --SEQ read as text sorts
    as CORE sorts the number)."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column
    numbers = pd.to_numeric(column.astype(object), errors="coerce")
    return numbers.astype(float) if numbers.notna().sum() == column.notna().sum() else column


def _table(frame: RuleFrame, groups: list[pd.Series], **columns: pd.Series) -> pd.DataFrame:
    keys = {f"_g{i}": column for i, column in enumerate(groups)}
    return pd.DataFrame({**keys, **columns}, index=frame.index)


def _keys(table: pd.DataFrame) -> list[str]:
    return [name for name in table.columns if name.startswith("_g")]


def _not_last(frame: RuleFrame, item: Item) -> pd.Series:
    """True for records that are not the last of their group (`value`) in `ordering` order;
    records with a missing group value are in no group."""
    table = _table(frame, _columns(frame, item.get("value"), "value"))
    keys = _keys(table)
    if item.get("ordering"):
        table["_o"] = _sortable(frame.column(item["ordering"]))
    ordered = table.sort_values(list(table.columns), kind="stable", na_position="last")
    not_last = ordered.duplicated(subset=keys, keep="last")
    grouped = ordered[keys].notna().all(axis=1)
    return (not_last & grouped).reindex(frame.index)


@operator("empty_within_except_last_row")
def empty_within_except_last_row(frame: RuleFrame, item: Item) -> pd.Series:
    """True for a record with an empty target that is not the last of its group."""
    return _not_last(frame, item) & _empty(frame.column(item["name"]))


@operator("non_empty_within_except_last_row")
def non_empty_within_except_last_row(frame: RuleFrame, item: Item) -> pd.Series:
    """True for a record with a target value that is not the last of its group."""
    return _not_last(frame, item) & ~_empty(frame.column(item["name"]))


def _next_matches(frame: RuleFrame, item: Item) -> tuple[pd.Series, pd.Series]:
    """(matches, grouped): whether the target equals the value variable of the next record
    of the group (`within`) in `ordering` order (the last record matches), and whether the
    record is in a group at all."""
    groups = _columns(frame, item.get("within"), "within")
    table = _table(frame, groups, _o=_sortable(frame.column(item["ordering"])))
    keys = _keys(table)
    table["_t"], table["_v"] = (
        _objects(frame.column(item["name"])),
        _objects(frame.column(item["value"])),
    )
    ordered = table.sort_values("_o", kind="stable", na_position="last")
    following = ordered.groupby(keys, sort=False)["_v"].shift(-1)
    last = ~ordered.duplicated(subset=keys, keep="last")
    same = ordered["_t"].to_numpy() == _objects(following)
    matches = pd.Series(same, index=ordered.index) | last
    grouped = ordered[keys].notna().all(axis=1)
    return matches.reindex(frame.index), grouped.reindex(frame.index)


@operator("has_next_corresponding_record")
def has_next_corresponding_record(frame: RuleFrame, item: Item) -> pd.Series:
    matches, grouped = _next_matches(frame, item)
    return matches & grouped


@operator("does_not_have_next_corresponding_record")
def does_not_have_next_corresponding_record(frame: RuleFrame, item: Item) -> pd.Series:
    """True for a record whose target differs from the next record's value variable (CORE
    assigns its results by position; here they stay on their records)."""
    matches, grouped = _next_matches(frame, item)
    return ~matches & grouped


def _in_place(values: pd.Series, expected: pd.Series) -> pd.Series:
    same = _objects(values) == _objects(expected)
    return pd.Series(same, index=values.index, dtype=bool) & values.notna()


@operator("is_ordered_by")
def is_ordered_by(frame: RuleFrame, item: Item) -> pd.Series:
    """True for records whose target is where sorting the target (`order` asc|dsc) puts it."""
    target = frame.column(item["name"])
    order = str(item.get("order", "asc"))
    if order not in ("asc", "dsc"):
        raise RuleProblem(f"is_ordered_by: order must be asc or dsc, not {order}")
    ranked = target.sort_values(ascending=order == "asc", kind="stable", na_position="last")
    return _in_place(target, pd.Series(ranked.to_numpy(), index=target.index))


complement("is_not_ordered_by", "is_ordered_by")


def _ordered_set(frame: RuleFrame, item: Item) -> tuple[pd.Series, pd.Series]:
    """(in place, grouped): whether each record's target is where sorting the target within
    its group (`value`) puts it."""
    table = _table(
        frame, _columns(frame, item.get("value"), "value"), _t=frame.column(item["name"])
    )
    keys = _keys(table)
    grouped = table[keys].notna().all(axis=1)
    table = table[grouped]
    table["_p"] = table.groupby(keys, sort=False).cumcount()
    ranked = table.sort_values([*keys, "_t"], kind="stable", na_position="last")
    ranked["_p"] = ranked.groupby(keys, sort=False).cumcount()
    expected = table[[*keys, "_p"]].merge(ranked[[*keys, "_p", "_t"]], how="left", on=[*keys, "_p"])
    in_place = _in_place(table["_t"], pd.Series(expected["_t"].to_numpy(), index=table.index))
    return in_place.reindex(frame.index, fill_value=False), grouped


@operator("is_ordered_set")
def is_ordered_set(frame: RuleFrame, item: Item) -> pd.Series:
    in_place, grouped = _ordered_set(frame, item)
    return in_place & grouped


@operator("is_not_ordered_set")
def is_not_ordered_set(frame: RuleFrame, item: Item) -> pd.Series:
    in_place, grouped = _ordered_set(frame, item)
    return ~in_place & grouped


def _precision(value: str) -> int:
    """CORE's parse_date precision: the number of parts before any `--`."""
    return len([part for part in re.split(r"[-T:]", value.split("--", 1)[0]) if part])


def _per_value(column: pd.Series, function: Any) -> pd.Series:
    values = column.astype(object)
    mapping = {value: function(value) for value in values.dropna().unique()}
    return values.map(mapping)


def _cut(table: pd.DataFrame, size: int) -> pd.DataFrame:
    cut = table.copy()
    cut["_s"] = cut["_s"].str.slice(0, size)
    return cut


def _overlapping(ordered: pd.DataFrame, keys: list[str], null: pd.Series) -> pd.Series:
    """True for dates of a group that another date of the group contains (2020-02 and
    2020-02-10): both are flagged."""
    flagged = pd.Series(False, index=ordered.index)
    if pd.api.types.is_numeric_dtype(ordered["_c"].dtype):
        return flagged
    dates = ordered[~null & _per_value(ordered["_c"], valid).fillna(False).astype(bool)]
    table = dates[keys].assign(_s=dates["_c"].astype(str), _r=dates.index)
    table["_p"] = _per_value(table["_s"], _precision).astype(int)
    table["_n"] = table["_s"].str.len()
    longest = int(table["_n"].max()) if len(table) else 0
    prefixes = [_cut(table[table["_n"] > size], size) for size in range(1, longest)]
    if not prefixes:
        return flagged
    pairs = pd.concat(prefixes).merge(table, on=[*keys, "_s"], suffixes=("", "_j"))
    pairs = pairs[pairs["_p_j"] < pairs["_p"]]
    flagged[flagged.index.isin(pd.concat([pairs["_r"], pairs["_r_j"]]))] = True
    return flagged


def _misplaced(ordered: pd.DataFrame, keys: list[str], rows: pd.Series, up: bool) -> pd.Series:
    """True for rows whose target differs from the target found at the same position when
    the rows are sorted by the sort variable instead."""
    part = ordered[rows]
    position = part.groupby(keys, sort=False).cumcount()
    by_value = part.sort_values([*keys, "_c"], ascending=[True] * len(keys) + [up], kind="stable")
    expected = by_value.assign(_q=by_value.groupby(keys, sort=False).cumcount())
    lookup = part[keys].assign(_q=position).merge(expected[[*keys, "_q", "_t"]], how="left")
    actual, wanted = part["_t"], pd.Series(lookup["_t"].to_numpy(), index=part.index)
    same = (_objects(actual) == _objects(wanted)) | (actual.isna() & wanted.isna()).to_numpy()
    return pd.Series(~same, index=part.index).reindex(ordered.index, fill_value=False)


def _out_of_step(ordered: pd.DataFrame, keys: list[str], null: pd.Series, up: bool) -> pd.Series:
    """True for sort values below the previous one or above the next one (ascending)."""
    part = ordered[~null]
    value = part["_c"]
    before = part.groupby(keys, sort=False)["_c"].shift(1)
    after = part.groupby(keys, sort=False)["_c"].shift(-1)
    lower, higher = (before, after) if up else (after, before)
    bad = (value < lower).fillna(False).astype(bool) | (value > higher).fillna(False).astype(bool)
    if not pd.api.types.is_numeric_dtype(value.dtype):
        bad &= _per_value(value.astype(str), valid).fillna(False).astype(bool)
    return bad.reindex(ordered.index, fill_value=False)


def _badly_placed_nulls(
    ordered: pd.DataFrame, keys: list[str], null: pd.Series, last: bool
) -> pd.Series:
    """All missing sort values of a group when one comes before the last value (after the
    first value, with null_position first)."""
    position = ordered.groupby(keys, sort=False).cumcount()
    by_group = [ordered[key] for key in keys]
    null_at = position.where(null).groupby(by_group).transform("min" if last else "max")
    value_at = position.where(~null).groupby(by_group).transform("max" if last else "min")
    return null & ((null_at < value_at) if last else (null_at > value_at))


def _sorted_by(frame: RuleFrame, table: pd.DataFrame, spec: dict[str, Any]) -> pd.Series:
    keys = _keys(table)
    table = table.assign(_c=frame.column(spec["name"]))
    up = str(spec.get("sort_order", "asc")).lower() != "desc"
    last = str(spec.get("null_position", "last")).lower() != "first"
    ordered = table.dropna(subset=keys).sort_values([*keys, "_t"], kind="stable")
    text = ordered["_c"].astype(object).astype(str).str.strip() == ""
    null = ordered["_c"].isna() | text
    overlap = _overlapping(ordered, keys, null)
    invalid = (
        _badly_placed_nulls(ordered, keys, null, last)
        | overlap
        | _misplaced(ordered, keys, ~null & ~overlap, up)
        | _out_of_step(ordered, keys, null, up)
    )
    return (~invalid).reindex(frame.index, fill_value=True)


def _regex_target(target: pd.Series, pattern: str) -> pd.Series:
    """The first capture group of each target value, as a number when it is one."""

    def extracted(value: Any) -> Any:
        found = re.search(pattern, str(value)) if value != "" else None
        if not (found and found.groups()):
            return np.nan
        number = pd.to_numeric(found.group(1), errors="coerce")
        return found.group(1) if pd.isna(number) else number

    return _per_value(target, extracted)


@operator("target_is_sorted_by")
def target_is_sorted_by(frame: RuleFrame, item: Item) -> pd.Series:
    """True for records whose target (e.g. --SEQ) is in the order of each sort variable of
    `value` ({name, sort_order, null_position}) within `within` groups."""
    target = _sortable(frame.column(item["name"]))
    if item.get("regex"):
        target = _regex_target(target, str(item["regex"]))
    table = _table(frame, _columns(frame, item.get("within"), "within"), _t=target)
    result = pd.Series(True, index=frame.index)
    for spec in item.get("value") or []:
        result &= _sorted_by(frame, table, spec)
    return result


complement("target_is_not_sorted_by", "target_is_sorted_by")
