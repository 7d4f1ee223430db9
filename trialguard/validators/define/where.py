"""Define-XML where clauses evaluated on whole columns: which records a value level applies to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.readers.define_metadata import Condition

SAFE_INTEGER = 2**53  # whole floats up to this are written without their `.0`


def as_text(values: pd.Series) -> pd.Series:
    """Values as the define writes them: whole numbers without a trailing `.0`, text as is."""
    if not pd.api.types.is_numeric_dtype(values):
        return values.astype("string")
    whole = values.notna() & (values % 1 == 0) & (values.abs() < SAFE_INTEGER)
    text = values.astype("string")
    return text.where(~whole, values.where(whole).astype("Int64").astype("string"))


def in_terms(values: pd.Series, terms: frozenset[str]) -> pd.Series:
    """Whether each value is one of the coded values; numbers compare as numbers when the
    codelist's values are all numbers (65 is 65.0)."""
    numbers = pd.to_numeric(pd.Series(sorted(terms)), errors="coerce")
    if pd.api.types.is_numeric_dtype(values) and numbers.notna().all():
        return values.isin(numbers.to_numpy())
    return as_text(values).isin(terms).fillna(False).astype(bool)


def holds(frame: pd.DataFrame, conditions: tuple[Condition, ...] | None) -> pd.Series:
    """True on the records where every condition holds; an unknown where clause (None), a
    variable the data lacks or an unknown comparator select nothing."""
    if conditions is None:
        return pd.Series(False, index=frame.index)
    mask = pd.Series(True, index=frame.index)
    for condition in conditions:
        mask &= _holds(frame, condition)
    return mask


def _holds(frame: pd.DataFrame, condition: Condition) -> pd.Series:
    if condition.variable not in frame.columns:
        return pd.Series(False, index=frame.index)
    values, wanted = frame[condition.variable], list(condition.values)
    comparator = condition.comparator
    if comparator in ("EQ", "IN"):
        return as_text(values).isin(wanted).fillna(False).astype(bool)
    if comparator in ("NE", "NOTIN"):
        return (~as_text(values).isin(wanted)).fillna(False).astype(bool) & values.notna()
    numbers = pd.to_numeric(values, errors="coerce")
    bound = pd.to_numeric(pd.Series(wanted[:1]), errors="coerce").iloc[0] if wanted else np.nan
    compare = {"LT": numbers.lt, "LE": numbers.le, "GT": numbers.gt, "GE": numbers.ge}
    if comparator not in compare:  # not a Define-XML comparator: selects no record
        return pd.Series(False, index=frame.index)
    return compare[comparator](bound).fillna(False).astype(bool)
