"""A record is not repeated: no two records of EX, AE or DL are equal in every variable but
their sequence number (--SEQ) and the identifiers the spec lists (e.g. --SPID).

Params: ignore, further variables to leave out of the comparison (`--` for the prefix).
A finding is each later copy, with the record number of the first.  Reference: SDTMIG
3.4 §4.1.5 (--SEQ identifies a record; it does not make a repeated observation a new one).
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.keys import seq_variable
from trialguard.validators.conditions import resolve
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    ignore: list[str] = []


@register(
    "repeated_records",
    params=Params,
    message="the record repeats record {first} of {dataset} in every variable but {left_out}",
)
def check_repeated_records(context: StudyContext, params: Params) -> Outcome:
    """Records are not repeated."""
    outcome = Outcome()
    for name in supplied_datasets(context):
        seq = seq_variable(name)
        frame = context.frame(name)
        if seq is None or seq not in frame.columns:
            continue
        left_out = [seq, *(c for c in (resolve(v, name) for v in params.ignore) if c in frame)]
        others = frame.drop(columns=left_out).astype("string").fillna("\x00")
        later = others.duplicated(keep="first")
        shown = [c for c in left_out if c in frame.columns]
        extra = {"first": _first_copy(others)}
        labels = {"dataset": name, "left_out": ", ".join(left_out)}
        outcome.add(select(name, frame, later, shown, extra, **labels))
    return outcome


def _first_copy(others: pd.DataFrame) -> pd.Series:
    """The record number of the first record equal to each record."""
    groups = others.groupby(list(others.columns), sort=False, dropna=False).ngroup()
    first = pd.Series(others.index, index=others.index).groupby(groups).transform("min")
    return first
