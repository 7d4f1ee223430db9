"""Natural record keys: USUBJID in DM, USUBJID + --SEQ elsewhere.

Record numbers change from one transfer to the next; keys do not, so
comparisons, finding history and waivers go by key.
"""

from __future__ import annotations

import pandas as pd

from trialguard.scalars import plain


def seq_variable(dataset: str) -> str | None:
    """The sequence variable that completes the key (None for DM, keyed by USUBJID alone)."""
    return None if dataset == "DM" else f"{dataset}SEQ"


def normalised_seq(values: pd.Series) -> list:
    """--SEQ values comparable across formats: 3, 3.0 and "03" are all 3; other text stays."""
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    return [plain(n) if w else plain(v) for n, w, v in zip(numbers, whole, values, strict=True)]


def record_seqs(frame: pd.DataFrame, dataset: str, records: pd.Index) -> list:
    """The --SEQ of each record number in `records` (None where there is none)."""
    column = seq_variable(dataset)
    if column is None or column not in frame.columns or not len(records):
        return [None] * len(records)
    return normalised_seq(frame[column].reindex(records))
