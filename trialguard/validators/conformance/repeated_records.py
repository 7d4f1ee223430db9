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
from trialguard.validators.wording import named_value


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
        copies = _copies(context, name, [c for c in frame.columns if c not in left_out])
        later = copies.duplicated(keep="first")
        shown = [c for c in left_out if c in frame.columns]
        extra = {"first": _first_copy(copies)}
        labels = {"dataset": name, "left_out": ", ".join(left_out)}
        hits = select(name, frame, later, shown, extra, **labels)
        hits.message = (
            f"the record ({named_value(frame, seq)}) repeats record {{first}} of {{dataset}} in "
            "every variable but {left_out}"
        )
        outcome.add(hits)
    return outcome


def _copies(context: StudyContext, name: str, compared: list[str]) -> pd.Series:
    """Per record, a number shared by exactly the records equal to it in every `compared`
    variable (as text, missing equal to missing): from each column's distinct values."""
    frame = context.frame(name)
    if not compared:  # nothing to compare: no record is a copy of another
        return pd.Series(range(len(frame)), index=frame.index)
    codes = pd.DataFrame({c: context.distinct(name, c)[0] for c in compared}, index=frame.index)
    return codes.groupby(compared, sort=False).ngroup()


def _first_copy(copies: pd.Series) -> pd.Series:
    """The record number of the first record equal to each record."""
    return pd.Series(copies.index, index=copies.index).groupby(copies).transform("min")
