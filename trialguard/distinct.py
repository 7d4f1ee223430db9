"""Per-value work once per distinct value: an SDTM column of a million records holds a few
thousand different values (dates, terms, codes), so a text check costs what its distinct values
cost, not its records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

TextFunction = Callable[[pd.Series], pd.Series]


def distinct_text(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """The values as text, factorised: (codes, distinct) with `distinct.iloc[codes]` the text of
    each value.  Missing values share the code of the missing entry that ends `distinct`."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if pd.api.types.infer_dtype(uniques, skipna=True) not in ("string", "empty"):
        # numbers, or text mixed with other types (1 and 1.0 factorise alike, but their text
        # differs): the whole column becomes text first
        codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return with_missing_entry(codes, uniques)


def with_missing_entry(codes: np.ndarray, uniques: Any) -> tuple[np.ndarray, pd.Series]:
    """`pd.factorize`'s codes (-1 for missing) and text uniques as (codes, distinct), missing
    values coded to the missing entry that ends `distinct`."""
    entries = np.empty(len(uniques) + 1, dtype=object)
    entries[:-1] = np.asarray(uniques, dtype=object)
    entries[-1] = None
    distinct = pd.Series(pd.array(entries, dtype="string"))
    return np.where(codes < 0, len(uniques), codes), distinct


def factorised(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Like `distinct_text`, but a column of floats (every number of an XPT, SAS7BDAT or
    Dataset-JSON file) keeps its numbers (0.0 and -0.0 are one value): (codes, distinct),
    missing values last."""
    if not pd.api.types.is_float_dtype(values):
        return distinct_text(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques).reindex(range(len(uniques) + 1))
    return np.where(codes < 0, len(uniques), codes), distinct


Encoding = Callable[[pd.Series], tuple[np.ndarray, pd.Series]]


def per_distinct(
    values: pd.Series, function: TextFunction, encoding: Encoding = factorised
) -> pd.Series:
    """`function`, an element-wise function of a column (of text, or of numbers for a numeric
    column), computed on each distinct value of `values` once and spread back: the same result,
    on the index of `values`.  `encoding` gives the codes and distinct values (`factorised`
    unless the caller keeps them already)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_float_dtype(values):
        return function(values)  # integers and booleans: their text is not the function's input
    codes, distinct = encoding(values)
    return spread(function(distinct), codes, values.index)


def spread(result: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A result per distinct value taken back to every record (its dtype kept)."""
    taken = result.take(codes)
    taken.index = index
    return taken
