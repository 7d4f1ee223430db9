"""String operators, as CORE evaluates them: regular expressions (whole value, prefix,
suffix), starts/ends with, contains, prefix equality, lengths and `equals_string_part`.

A regex is Python's `re`, tested once per distinct value of the column: `matches_regex` is
anchored at the start only (re.match), the prefix and suffix forms search inside the first or
last characters.  Numbers are tested as text without a trailing .0.  A missing value matches
neither the positive nor the negative form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import MissingVariable, RuleFrame
from trialguard.openrules.operators.registry import Item, complement, operator
from trialguard.openrules.operators.relational import (
    cell_kind,
    comparator,
    containers,
    distinct_map,
    loose_text,
    numbers,
    objects,
)

Test = Callable[[str], bool]

# --- regular expressions ------------------------------------------------------------------


def _regex_text(value: Any) -> Any:
    """CORE's `_regex_str_conversion`: a whole number without .0, text as it is."""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else str(value)
    return value if isinstance(value, str) else str(value)


def _regex_hits(frame: RuleFrame, item: Item, test: Test) -> tuple[pd.Series, pd.Series]:
    """(value present, the test holds) for each record."""
    values = objects(frame.column(item["name"]))
    textual = cell_kind(values) in ("string", "empty")
    text = values if textual else distinct_map(values, _regex_text)
    present = text.notna()
    hit = distinct_map(text, test).eq(True)
    return present, hit


def _pattern(frame: RuleFrame, item: Item) -> re.Pattern[str]:
    value = item.get("value")
    return re.compile(frame.name(value) if isinstance(value, str) else str(value))


def _match_test(frame: RuleFrame, item: Item) -> Test:
    pattern = _pattern(frame, item)
    return lambda text: pattern.match(text) is not None


def _prefix_test(frame: RuleFrame, item: Item) -> Test:
    pattern, size = _pattern(frame, item), item.get("prefix")
    return lambda text: pattern.search(text[:size]) is not None


def _suffix_test(frame: RuleFrame, item: Item) -> Test:
    pattern, size = _pattern(frame, item), int(item.get("suffix") or 0)
    return lambda text: pattern.search(text[-size:]) is not None


def _regex_pair(name: str, test: Callable[[RuleFrame, Item], Test]) -> None:
    """Register `name` and `not_name`: both False for a missing value."""

    def positive(frame: RuleFrame, item: Item) -> pd.Series:
        present, hit = _regex_hits(frame, item, test(frame, item))
        return present & hit

    def negative(frame: RuleFrame, item: Item) -> pd.Series:
        present, hit = _regex_hits(frame, item, test(frame, item))
        return present & ~hit

    operator(name)(positive)
    operator(f"not_{name}")(negative)


_regex_pair("matches_regex", _match_test)
_regex_pair("prefix_matches_regex", _prefix_test)
_regex_pair("suffix_matches_regex", _suffix_test)


# --- starts with, ends with, contains -----------------------------------------------------


def _affixes(frame: RuleFrame, item: Item) -> tuple[str, ...]:
    """The literal, or every distinct text value of the column the value names."""
    value = comparator(frame, item)
    if isinstance(value, pd.Series):
        return tuple(str(text) for text in objects(value).dropna().unique())
    if isinstance(value, list):
        return tuple(str(text) for text in value)
    return (str(value),) if value is not None else ()


def _text_test(
    frame: RuleFrame, item: Item, test: Callable[[str, tuple[str, ...]], bool]
) -> pd.Series:
    affixes = _affixes(frame, item)
    values = objects(frame.column(item["name"]))
    found = distinct_map(values, lambda v: isinstance(v, str) and test(v, affixes))
    return found.eq(True)


@operator("starts_with")
def starts_with(frame: RuleFrame, item: Item) -> pd.Series:
    return _text_test(frame, item, str.startswith)


@operator("ends_with")
def ends_with(frame: RuleFrame, item: Item) -> pd.Series:
    return _text_test(frame, item, str.endswith)


@operator("contains")
def contains(frame: RuleFrame, item: Item) -> pd.Series:
    """A text cell holding the value as a substring, a list cell holding it as an entry; a
    comparator column instead asks whether the record's value occurs anywhere in the target."""
    target = objects(frame.column(item["name"])).reset_index(drop=True)
    value = comparator(frame, item)
    boxed = containers(target).to_numpy(dtype=bool)
    if isinstance(value, pd.Series) and not boxed.any():
        wanted = objects(value)
        return (wanted.isin(target.dropna()) & wanted.notna()).astype(bool)
    wanted = objects(value if isinstance(value, pd.Series) else frame.broadcast(value))
    wanted = wanted.reset_index(drop=True)
    found = np.zeros(len(target), dtype=bool)
    if boxed.any():
        entries = target[boxed].explode()  # indexed by position, one row per entry
        held = entries.eq(wanted.reindex(entries.index)).groupby(level=0).any()
        found[boxed] = held.to_numpy(dtype=bool)
    if isinstance(value, str):
        texts = ~boxed & distinct_map(target, lambda v: isinstance(v, str)).eq(True).to_numpy()
        found[texts] = target[texts].astype(str).str.contains(value, regex=False).to_numpy()
    elif not isinstance(value, pd.Series):
        found[~boxed] = (target[~boxed].eq(value) & target[~boxed].notna()).to_numpy(dtype=bool)
    return pd.Series(found, index=frame.index)


# --- prefix equality ----------------------------------------------------------------------


def _prefix_equal(frame: RuleFrame, item: Item) -> tuple[pd.Series, pd.Series]:
    """(value present, its first `prefix` characters equal the comparator); a value DOMAIN
    stands for the dataset's prefix."""
    values = objects(frame.column(item["name"]))
    size = item.get("prefix")
    part = distinct_map(values, lambda v: v[:size] if isinstance(v, str) else None)
    if frame.name(item.get("value")) == "DOMAIN":
        other: Any = frame.prefix
    else:
        other = comparator(frame, item)
    if isinstance(other, pd.Series):
        equal = part.to_numpy(dtype=object) == objects(other).to_numpy(dtype=object)
    else:
        equal = part.to_numpy(dtype=object) == np.full(len(part), other, dtype=object)
    return part.notna(), pd.Series(np.asarray(equal, dtype=bool), index=frame.index)


@operator("prefix_equal_to")
def prefix_equal_to(frame: RuleFrame, item: Item) -> pd.Series:
    present, equal = _prefix_equal(frame, item)
    return present & equal


@operator("prefix_not_equal_to")
def prefix_not_equal_to(frame: RuleFrame, item: Item) -> pd.Series:
    """Not flagged for a missing value (CORE refuses the whole column then)."""
    present, equal = _prefix_equal(frame, item)
    return present & ~equal


# --- lengths ------------------------------------------------------------------------------


def _lengths(column: pd.Series) -> pd.Series:
    """Characters of each value (numbers as text without .0), NaN for a missing one."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = distinct_map(objects(column), lambda v: len(_regex_text(v)))
    else:
        values = distinct_map(objects(column), lambda v: len(v) if isinstance(v, str) else None)
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _number_column(column: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(column.dtype):
        return True
    kind = pd.api.types.infer_dtype(column, skipna=True)
    return kind in ("integer", "floating", "mixed-integer-float", "decimal")


def _length_bound(frame: RuleFrame, item: Item) -> pd.Series | float:
    """The length to compare with: a number, a column of numbers, or a column's lengths."""
    value = comparator(frame, item)
    if isinstance(value, pd.Series):
        return numbers(value) if _number_column(value) else _lengths(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        raise MissingVariable(str(value)) from None


def _length_operator(
    test: Callable[[pd.Series, Any], pd.Series],
) -> Callable[[RuleFrame, Item], pd.Series]:
    def compare(frame: RuleFrame, item: Item) -> pd.Series:
        lengths = _lengths(frame.column(item["name"]))
        return test(lengths, _length_bound(frame, item)).fillna(False).astype(bool)

    return compare


operator("longer_than")(_length_operator(pd.Series.gt))
operator("longer_than_or_equal_to")(_length_operator(pd.Series.ge))
operator("has_equal_length")(_length_operator(pd.Series.eq))
complement("shorter_than", "longer_than_or_equal_to")
complement("shorter_than_or_equal_to", "longer_than")
complement("has_not_equal_length", "has_equal_length")


# --- string part --------------------------------------------------------------------------


def _first_found(pattern: re.Pattern[str]) -> Callable[[Any], Any]:
    def first(value: Any) -> Any:
        found = pattern.findall(value) if isinstance(value, str) else []
        return found[0] if found else None

    return first


@operator("equals_string_part")
def equals_string_part(frame: RuleFrame, item: Item) -> pd.Series:
    """The target equals what `regex` (its first group) takes from the comparator."""
    first = _first_found(re.compile(str(item.get("regex"))))
    value = comparator(frame, item)
    if isinstance(value, pd.Series):
        part = distinct_map(value, first)
    else:
        part = frame.broadcast(first(value))
    target = objects(frame.column(item["name"]))
    if item.get("type_insensitive"):
        target, part = distinct_map(target, loose_text), distinct_map(part, loose_text)
    both_blank = _blank_text(target) & _blank_text(part)
    same = target.to_numpy(dtype=object) == part.to_numpy(dtype=object)
    return pd.Series(np.asarray(same, dtype=bool), index=frame.index) & ~both_blank


def _blank_text(values: pd.Series) -> pd.Series:
    return values.isna() | (values == "").astype(bool)


complement("does_not_equal_string_part", "equals_string_part")
