"""Where a finding sits: its protocol day, its record key (--SEQ) and, for CSV, its line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trialguard.sdtm.dates import compute_protocol_day, parse_iso8601
from trialguard.sdtm.keys import normalised_seq, record_seqs
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Hits, NotRun


def pinned_days(rows: pd.DataFrame, shown: Sequence[str], day0: pd.Series | None) -> np.ndarray:
    """Per row, the protocol day of its first date among `shown` (None without Day 0 or date),
    as an object array."""
    dated = [c for c in shown if c.endswith("DTC")]
    if not dated or day0 is None or day0.empty or "USUBJID" not in rows.columns:
        return np.full(len(rows), None, dtype=object)
    first_date = rows[dated[0]].astype("string")
    for column in dated[1:]:  # column-wise: the first of the dated values that is given
        first_date = first_date.fillna(rows[column].astype("string"))
    parsed = parse_iso8601(first_date)
    anchors = looked_up(rows["USUBJID"], day0).astype("datetime64[s]")
    days = compute_protocol_day(parsed["earliest"], anchors)
    shown_days = np.full(len(rows), None, dtype=object)
    given = days.notna().to_numpy()
    shown_days[given] = days.to_numpy()[given].astype(np.int64).tolist()
    return shown_days


def day0_or_none(context: StudyContext | None) -> pd.Series | None:
    if context is None:
        return None
    try:
        return context.day0
    except NotRun:
        return None


def line_numbers(context: StudyContext | None, hits: Hits) -> np.ndarray | None:
    """The physical CSV line of each hit's record (None for other formats)."""
    if context is None or hits.dataset_level or not hits.domain or not context.has(hits.domain):
        return None
    lines = context.study.datasets[hits.domain].lines
    if lines is None:
        return None
    found = np.empty(len(hits.rows), dtype=object)
    found[:] = lines[hits.rows.index.to_numpy(dtype=int) - 1].tolist()
    return found


def record_keys(context: StudyContext | None, hits: Hits) -> np.ndarray | None:
    """The --SEQ of each hit's record: from the hits' own key column, else from the dataset."""
    if hits.seq_column is not None:
        return normalised_seq(hits.rows[hits.seq_column])
    if context is None or hits.dataset_level or not hits.domain or not context.has(hits.domain):
        return None
    return record_seqs(context.frame(hits.domain), hits.domain, hits.rows.index)
