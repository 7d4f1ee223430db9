"""Record-wise work once per distinct pair of values: two columns of a million records hold
few different (target, comparator) pairs, so a comparison costs what its pairs cost.

`pair_rows` gives a code per record for its pair and the position of each pair's first
record; a function of the two values computed on those records is the same on every record
of the pair (`spread`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trialguard.openrules.frame import Codes


def value_codes(column: pd.Series, known: Codes | None = None) -> np.ndarray | None:
    """A code per record for its value (missing values one code); None when values equal
    in Python must not share a code (True and 1) or cannot be hashed (lists)."""
    if known is not None:
        return known[0]
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:
        return None
    if column.dtype == object and any(isinstance(u, bool | np.bool_) for u in uniques):
        return None
    return np.where(codes < 0, len(uniques), codes)


def pair_rows(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a code per record for its pair of codes, the position of each pair's first record)."""
    combined = first.astype(np.int64) * (int(second.max(initial=0)) + 1) + second
    codes, uniques = pd.factorize(combined)
    positions = np.empty(len(uniques), dtype=np.int64)
    positions[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first write wins last
    return codes, positions


def spread(answers: Any, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Each pair's answer (a boolean per pair) taken to its records."""
    return pd.Series(np.asarray(answers, dtype=bool)[codes], index=index)
