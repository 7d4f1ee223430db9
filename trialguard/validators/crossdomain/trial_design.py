"""Column tests the trial design checks share: values missing from a reference dataset, and
records turned into hits that carry their own message (codes that do not map one to one are
`one_to_one.not_one_to_one`)."""

from __future__ import annotations

import pandas as pd

from trialguard.validators.outcome import Hits
from trialguard.validators.select import select

UNPLANNED_ELEMENT = "UNPLAN"  # ETCD of an unplanned element (SDTMIG 3.4 SE)


def given(frame: pd.DataFrame, column: str) -> pd.Series:
    """Where the column holds a value (all false when the dataset lacks the column)."""
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].notna()


def column_or_empty(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column, or an empty text column where the dataset lacks it."""
    if column in frame.columns:
        return frame[column]
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def text(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as text, missing where empty."""
    return frame[column].astype("string")


def missing_from(
    frame: pd.DataFrame, columns: list[str], reference: pd.DataFrame, ref_columns: list[str]
) -> pd.Series:
    """Where the combination of `columns` is no combination of `ref_columns` in `reference`."""
    keys = pd.MultiIndex.from_frame(frame[columns].astype("string"))
    known = pd.MultiIndex.from_frame(reference[ref_columns].astype("string").dropna())
    return pd.Series(~keys.isin(known), index=frame.index)


def worded(
    name: str, frame: pd.DataFrame, mask: pd.Series, variables: list[str], message: str, **context
) -> Hits:
    """The records where `mask` is true, with a message template of their own."""
    hits = select(name, frame, mask, variables, None, **context)
    hits.message = message
    return hits
