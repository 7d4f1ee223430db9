"""Define-XML where clauses evaluated on whole columns: which records a value level applies to."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trialguard.readers.define_metadata import Condition


def as_text(values: pd.Series) -> pd.Series:
    """Values as the define writes them: numbers without a trailing `.0`, text as is."""
    if not pd.api.types.is_numeric_dtype(values):
        return values.astype("string")
    whole = values.notna() & (values % 1 == 0)
    text = values.astype("string")
    return text.where(~whole, values.where(whole).astype("Int64").astype("string"))


def holds(frame: pd.DataFrame, conditions: tuple[Condition, ...]) -> pd.Series:
    """True on the records where every condition holds (a variable the data lacks: nowhere)."""
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
