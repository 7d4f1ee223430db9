"""Set operators: a value (or its prefix / suffix) in a list, a column or an operation's
result; lists sharing elements; one list inside another, in order.

Values compare as text (1.0 as "1", so VISITNUM 1.0 is in a `$tv_visitnum` of [1.0, 2.0]).
The membership comparator is, as in CORE: a literal list (holding a missing value only if
it holds an empty one); a column (the value occurs anywhere in it, not row by row); an
operation's per-record lists (row by row; a missing value is in none).  One list shared by
every record is made a set once.  A single literal (not a list, not a column) holds
nothing: CORE stops on it, so the dataset is left unchecked as for a missing variable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator
from trialguard.openrules.operators.texts import column_text, text_of, texts

LISTS = (list, tuple, set, frozenset)
_IDENTITY = np.frompyfunc(id, 1, 1)  # the object a cell holds, as a number


@dataclass(frozen=True)
class Shared:
    """One value every record shares: a literal list of the rule, or an operation's result
    that is not per record."""

    value: Any
    literal: bool = False


Operand = pd.Series | Shared


def elements(value: Any) -> list[Any] | None:
    """The elements of a list-like value; None for a single value."""
    return list(value) if isinstance(value, LISTS) else None


def has_lists(column: pd.Series) -> bool:
    """Does the column hold lists (its first value that is not missing is one)?"""
    first = column.first_valid_index() if column.dtype == object else None
    return first is not None and isinstance(column.loc[first], LISTS)


def operand(frame: RuleFrame, raw: Any) -> Operand:
    """A column of the frame, or an operation's result shared by every record."""
    name = frame.name(raw)
    if name not in frame.columns and name in frame.operations:
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


def distinct_rows(columns: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """A code per record for its combination of the columns' values, and the position of
    each code's first record.  A column of lists is keyed by the list objects themselves (a
    list an operation gives many records is one object)."""
    keys: list[np.ndarray] = []
    for column in columns:
        if has_lists(column):
            keys.append(_IDENTITY(column.to_numpy(dtype=object)).astype(np.int64))
        else:
            keys += [column.astype(object).astype(str).to_numpy(), column.isna().to_numpy()]
    codes, _ = pd.factorize(pd.MultiIndex.from_arrays(keys))
    return codes, np.unique(codes, return_index=True)[1]


def per_distinct_rows(
    frame: RuleFrame, function: Callable[..., bool], *operands: Operand
) -> pd.Series:
    """`function` of the operands' values, once per distinct combination of them."""
    columns = [o for o in operands if isinstance(o, pd.Series)]
    if not columns:
        return pd.Series(bool(function(*(o.value for o in operands))), index=frame.index)
    codes, firsts = distinct_rows(columns)
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


def _record_is_in(target: Any, values: Any, fold: bool) -> bool:
    """Is the record's value (or any element of its list) in its comparator?"""
    items = elements(target)
    return any(_is_in(one, values, fold) for one in (items if items is not None else [target]))


def contained(frame: RuleFrame, target: pd.Series, other: Operand, fold: bool = False) -> pd.Series:
    """Is each record's value in the comparator (see the module docstring)?"""
    if has_lists(target):
        return per_distinct_rows(frame, partial(_record_is_in, fold=fold), target, other)
    if isinstance(other, Shared):
        values = elements(other.value)
        if values is None:
            return per_distinct_rows(frame, partial(_record_is_in, fold=fold), target, other)
        inside = _text_in(frame, target, texts(values, fold), fold)
        return inside if other.literal else inside & target.notna()
    if has_lists(other):
        return _in_record_lists(target, other, fold)
    return _text_in(frame, target, _column_texts(frame, other, fold), fold)


def _text_in(frame: RuleFrame, target: pd.Series, allowed: set[str], fold: bool) -> pd.Series:
    """Is each value's text among `allowed`?  Once per distinct value of a table's column."""
    name = str(target.name)
    own = name in frame.columns and frame.column(name) is target
    found = frame.codes(name) if own else None
    if found is None:
        return column_text(target, fold).isin(allowed)
    codes, distinct = found
    inside = column_text(distinct.reset_index(drop=True), fold).isin(allowed).to_numpy()
    return pd.Series(inside[codes], index=target.index)


def _column_texts(frame: RuleFrame, other: pd.Series, fold: bool) -> set[str]:
    """The texts of a column's values; of a column of the table, kept with its caches."""
    name = str(other.name)
    if name not in frame.columns or frame.column(name) is not other:
        return texts(other.unique(), fold)
    key = ("texts", name, fold)
    if key not in frame.caches.derived:
        frame.caches.derived[key] = texts(other.unique(), fold)
    found = frame.caches.derived[key]
    assert isinstance(found, set)
    return found


def _in_record_lists(target: pd.Series, lists: pd.Series, fold: bool) -> pd.Series:
    """Is each record's value in its own record's list?  Each distinct list becomes a set
    once; the records' (list, value) pairs are then looked up together."""
    codes, firsts = distinct_rows([lists])
    members = [elements(lists.iloc[at]) or [] for at in firsts]
    flat = pd.Series([value for items in members for value in items], dtype=object)
    owners = np.repeat(np.arange(len(members)), [len(items) for items in members])
    known = pd.MultiIndex.from_arrays([owners, column_text(flat, fold).to_numpy()])
    shown = column_text(target, fold).to_numpy()
    inside = pd.MultiIndex.from_arrays([codes, shown]).isin(known)
    return pd.Series(inside, index=target.index) & target.notna() & (shown != "")


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


def _contains_all(negated: bool) -> Callable[[RuleFrame, Item], pd.Series]:
    """(not_)contains_all: does the target column hold every value?  CORE answers on the
    first record only; row by row when target and value both hold lists."""

    def check(frame: RuleFrame, item: Item) -> pd.Series:
        target, value = _target(frame, item), item.get("value")
        other = operand(frame, value) if isinstance(value, str) and frame.has(value) else None
        whole = frame.broadcast(other.value) if isinstance(other, Shared) else other
        if has_lists(target) and whole is not None and has_lists(whole):
            holds = per_distinct_rows(frame, lambda t, v: _set(v) <= _set(t), target, whole)
            return ~holds if negated else holds
        answer = (_listed_values(frame, value) <= texts(target.unique())) != negated
        return pd.Series(np.arange(len(frame.index)) == 0, index=frame.index) & answer

    return check


operator("contains_all")(_contains_all(negated=False))
operator("not_contains_all")(_contains_all(negated=True))


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
    position = {text_of(name): at for at, name in enumerate(order)}
    found = [position.get(text_of(name)) for name in names]
    places = [at for at in found if at is not None]
    return len(places) == len(found) and places == sorted(places)


@operator("is_ordered_subset_of")
def is_ordered_subset_of(frame: RuleFrame, item: Item) -> pd.Series:
    target = operand(frame, item["name"])
    other = operand(frame, item.get("value"))
    return per_distinct_rows(frame, _ordered_subset, target, other)


complement("is_not_ordered_subset_of", "is_ordered_subset_of")
