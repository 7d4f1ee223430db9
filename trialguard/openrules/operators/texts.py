"""Values as text for the membership operators, like `RuleFrame.text` ('' when missing, 1.0 as
'1'): a value, a column (each distinct value converted once), the set of texts of many values
(an array or list of text at once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import as_text
from trialguard.openrules.operators.relational import cell_kind


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
    found = _plain_texts(values)
    if found is None:
        found = {text_of(value) for value in values}
    return {value.lower() for value in found} if fold else found


def _plain_texts(values: Iterable[Any]) -> set[str] | None:
    """`text_of` of each value of an array of text (and missing values) at once; None for
    anything else."""
    if not isinstance(values, np.ndarray | pd.api.extensions.ExtensionArray | list | tuple):
        return None
    column = pd.Series(list(values) if isinstance(values, tuple) else values, dtype=object)
    if cell_kind(column) != "string":
        return None
    missing = column.isna().to_numpy(dtype=bool)
    return set(column[~missing].tolist()) | ({""} if missing.any() else set())


def column_text(column: pd.Series, fold: bool = False) -> pd.Series:
    """A column of single values as text, each distinct value converted once."""
    codes, uniques = pd.factorize(column)
    if column.dtype == object:
        distinct = [text_of(value) for value in uniques]
    else:
        distinct = list(as_text(pd.Series(uniques, dtype=column.dtype)))
    shown = np.asarray([*distinct, ""], dtype=object)[codes]
    text = pd.Series(shown, index=column.index, dtype=object)
    return text.str.lower() if fold else text
