"""Set operators: membership of a value (or of its prefix / suffix) in a list, a column or an
operation's result; lists sharing elements; one list inside another, in order.

Values compare as text (a whole number without `.0`, so VISITNUM 1.0 is in a `$tv_visitnum`
of [1.0, 2.0] and "1" matches 1).  The comparator of the membership operators is, as in CORE:
- a literal list (a missing value is in it only when the list holds an empty one);
- a column: the value occurs anywhere in that column (not row by row);
- an operation's result holding lists: row by row, the value is in its record's list (a
  missing value never is).  One list shared by every record is made a set once.
A single literal (not a list, not a column) cannot hold anything: CORE stops on it, so the
dataset is left unchecked as for a missing variable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame, as_text
from trialguard.openrules.operators import Item, complement, operator

LISTS = (list, tuple, set, frozenset)


@dataclass(frozen=True)
class Shared:
    """One value every record shares: a literal list of the rule, or an operation's result
    that is not per record."""

    value: Any
    literal: bool = False


Operand = pd.Series | Shared


def text_of(value: Any) -> str:
    """A value as text, like `RuleFrame.text`: '' when missing, 1.0 as '1'."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if (
        isinstance(value, float | np.floating)
        and float(value).is_integer()
        and abs(float(value)) < 1e15
    ):
        return str(int(value))
    return str(value)


def texts(values: Iterable[Any], fold: bool = False) -> set[str]:
    found = {text_of(value) for value in values}
    return {value.lower() for value in found} if fold else found


def column_text(column: pd.Series, fold: bool = False) -> pd.Series:
    """A column of single values as text (each distinct value converted once)."""
    if column.dtype == object:
        codes, uniques = pd.factorize(column)
        shown = np.asarray([text_of(v) for v in uniques] + [""], dtype=object)[codes]
        text = pd.Series(shown, index=column.index, dtype=object)
    else:
        text = as_text(column)
    return text.str.lower() if fold else text


def elements(value: Any) -> list[Any] | None:
    """The elements of a list-like value; None for a single value."""
    return list(value) if isinstance(value, LISTS) else None


def has_lists(column: pd.Series) -> bool:
    """Does the column hold lists (its first value that is not missing is one)?"""
    if column.dtype != object:
        return False
    first = column.first_valid_index()
    return first is not None and isinstance(column.loc[first], LISTS)


def operand(frame: RuleFrame, raw: Any) -> Operand:
    """A column of the frame, or an operation's result shared by every record."""
    name = frame.name(raw)
    if name not in frame.data.columns and name in frame.operations:
        value = frame.operations[name]
        if not isinstance(value, pd.Series):
            return Shared(value)
    return frame.column(raw)


def comparator(frame: RuleFrame, item: Item) -> Operand:
    """The value of a membership item: a literal list, a column or an operation's result."""
    value = item.get("value")
    if isinstance(value, LISTS):
        return Shared([frame.name(v) if isinstance(v, str) else v for v in value], literal=True)
    if isinstance(value, str) and not item.get("value_is_literal") and frame.has(value):
        return operand(frame, value)
    raise MissingVariable(frame.name(value))


def per_distinct_rows(
    frame: RuleFrame, function: Callable[..., bool], *operands: Operand
) -> pd.Series:
    """`function` of the operands' values, once per distinct combination of them."""
    columns = [o for o in operands if isinstance(o, pd.Series)]
    if not columns:
        return pd.Series(bool(function(*(o.value for o in operands))), index=frame.index)
    keys: list[np.ndarray] = [c.astype(object).astype(str).to_numpy() for c in columns]
    keys += [c.isna().to_numpy() for c in columns]
    codes, _ = pd.factorize(pd.MultiIndex.from_arrays(keys))
    firsts = np.unique(codes, return_index=True)[1]
    answers = [
        bool(function(*(o.iloc[at] if isinstance(o, pd.Series) else o.value for o in operands)))
        for at in firsts
    ]
    return pd.Series(np.asarray(answers, dtype=bool)[codes], index=frame.index)


# ---- membership -----------------------------------------------------------------------------


def _is_in(value: Any, values: Any, fold: bool) -> bool:
    """CORE's `is_in` for one record: a missing value, or a missing list, holds nothing."""
    shown = text_of(value)
    if shown == "" or values is None:
        return False
    found = elements(values)
    others = texts(found if found is not None else [values], fold)
    return (shown.lower() if fold else shown) in others - {""}


def _record_is_in(fold: bool) -> Callable[[Any, Any], bool]:
    def test(target: Any, values: Any) -> bool:
        items = elements(target)
        if items is None:
            return _is_in(target, values, fold)
        return any(_is_in(one, values, fold) for one in items)

    return test


def contained(frame: RuleFrame, target: pd.Series, other: Operand, fold: bool = False) -> pd.Series:
    """Is each record's value in the comparator (see the module docstring)?"""
    if has_lists(target):
        return per_distinct_rows(frame, _record_is_in(fold), target, other)
    if isinstance(other, Shared):
        values = elements(other.value)
        if values is None:
            return per_distinct_rows(frame, _record_is_in(fold), target, other)
        inside = column_text(target, fold).isin(texts(values, fold))
        return inside if other.literal else inside & target.notna()
    if has_lists(other):
        return per_distinct_rows(frame, _record_is_in(fold), target, other)
    return column_text(target, fold).isin(texts(other.unique(), fold))


def _target(frame: RuleFrame, item: Item) -> pd.Series:
    found = operand(frame, item["name"])
    return frame.broadcast(found.value) if isinstance(found, Shared) else found


def _membership(fold: bool) -> Callable[[RuleFrame, Item], pd.Series]:
    def check(frame: RuleFrame, item: Item) -> pd.Series:
        return contained(frame, _target(frame, item), comparator(frame, item), fold)

    return check


operator("is_contained_by")(_membership(fold=False))
operator("is_contained_by_case_insensitive")(_membership(fold=True))
complement("is_not_contained_by", "is_contained_by")
complement("is_not_contained_by_case_insensitive", "is_contained_by_case_insensitive")


def _part_membership(kind: str, negated: bool) -> Callable[[RuleFrame, Item], pd.Series]:
    """prefix_/suffix_(is_/is_not_)contained_by on the first / last n characters of a
    value; a missing value is flagged by neither (CORE refuses a column holding one)."""

    def check(frame: RuleFrame, item: Item) -> pd.Series:
        column = frame.column(item["name"])
        length = int(item.get(kind) or 0)
        shown = column_text(column).astype("string")
        part = shown.str.slice(stop=length) if kind == "prefix" else shown.str.slice(-length)
        part = part.astype(object).where(column.notna(), None)
        inside = contained(frame, part, comparator(frame, item))
        return column.notna() & (~inside if negated else inside)

    return check


for _kind in ("prefix", "suffix"):
    operator(f"{_kind}_is_contained_by")(_part_membership(_kind, negated=False))
    operator(f"{_kind}_is_not_contained_by")(_part_membership(_kind, negated=True))


# ---- lists against lists --------------------------------------------------------------------


def _set(value: Any) -> set[str]:
    """A record's value as a set of texts: a list's elements, or the value alone."""
    found = elements(value)
    return texts(found) if found is not None else {text_of(value)}


def _listed_values(frame: RuleFrame, value: Any) -> set[str]:
    """contains_all's expected values: a list whose `$operation` / column elements holding
    lists are expanded, or the distinct values of a column."""
    if not isinstance(value, LISTS):
        return texts(frame.column(value).unique())
    expected: list[Any] = []
    for one in value:
        found = operand(frame, one) if isinstance(one, str) and frame.has(one) else None
        if isinstance(found, Shared) and elements(found.value) is not None:
            expected += list(found.value)
        elif isinstance(found, pd.Series) and has_lists(found):
            expected += list(found.loc[found.first_valid_index()])
        else:
            expected.append(frame.name(one) if isinstance(one, str) else one)
    return texts(expected)


def _contains_all(frame: RuleFrame, item: Item) -> pd.Series:
    """True (on the first record only, as in CORE) when the target column holds every value;
    row by row when target and value both hold lists."""
    target = _target(frame, item)
    value = item.get("value")
    other = operand(frame, value) if isinstance(value, str) and frame.has(value) else None
    if has_lists(target) and other is not None:
        whole = frame.broadcast(other.value) if isinstance(other, Shared) else other
        if has_lists(whole):
            return per_distinct_rows(frame, lambda t, v: _set(v) <= _set(t), target, other)
    holds = _listed_values(frame, value) <= texts(target.unique())
    return pd.Series(np.arange(len(frame.index)) == 0, index=frame.index) & holds


@operator("contains_all")
def contains_all(frame: RuleFrame, item: Item) -> pd.Series:
    return _contains_all(frame, item)


@operator("not_contains_all")
def not_contains_all(frame: RuleFrame, item: Item) -> pd.Series:
    """The negation of contains_all where it answers (the first record, or every record
    when both sides hold lists)."""
    target = _target(frame, item)
    result = _contains_all(frame, item)
    if has_lists(target) and isinstance(item.get("value"), str):
        return ~result
    return pd.Series(np.arange(len(frame.index)) == 0, index=frame.index) & ~result


def _shared_count(test: Callable[[int], bool]) -> Callable[[RuleFrame, Item], pd.Series]:
    def check(frame: RuleFrame, item: Item) -> pd.Series:
        target = operand(frame, item["name"])
        other = operand(frame, item.get("value"))
        return per_distinct_rows(frame, lambda t, v: test(len(_set(t) & _set(v))), target, other)

    return check


operator("shares_no_elements_with")(_shared_count(lambda n: n == 0))
operator("shares_at_least_one_element_with")(_shared_count(lambda n: n >= 1))
operator("shares_exactly_one_element_with")(_shared_count(lambda n: n == 1))


def _ordered_subset(target: Any, other: Any) -> bool:
    """Every element of `target` is in `other`, in `other`'s order."""
    names, order = elements(target), elements(other)
    if names is None or order is None:
        return False
    position = {text_of(name): at for at, name in reversed(list(enumerate(order)))}
    found = [position.get(text_of(name)) for name in names]
    places = [at for at in found if at is not None]
    return len(places) == len(found) and places == sorted(places)


@operator("is_ordered_subset_of")
def is_ordered_subset_of(frame: RuleFrame, item: Item) -> pd.Series:
    target = operand(frame, item["name"])
    other = operand(frame, item.get("value"))
    return per_distinct_rows(frame, _ordered_subset, target, other)


complement("is_not_ordered_subset_of", "is_ordered_subset_of")
