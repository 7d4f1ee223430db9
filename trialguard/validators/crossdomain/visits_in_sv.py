"""Every visit of a subject's records (USUBJID and VISITNUM) is one of the subject's visits in
SV.

No params.  Every dataset read that has USUBJID and VISITNUM is checked but SV itself and the
trial design TV; visit numbers are compared as numbers rounded to nine decimals (1 and 1.0 are
one visit, and so are 1.2 and a computed 1.2000000000000002).  A record
with a status (--STAT, e.g. NOT DONE) is left alone, as Pinnacle 21 does: a visit that did not
take place has no SV record.  A finding is a record whose subject has no SV record of its
VISITNUM.  Not run without SV (USUBJID, VISITNUM), or when no other dataset has VISITNUM.
Reference: SDTMIG 3.4 SV (one record per subject per actual visit); Pinnacle 21 SD0065 (FDA
FDAC104).
"""

from __future__ import annotations

import pandas as pd

from trialguard.scalars import rounded
from trialguard.sdtm.naming import variable_prefix
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

NOT_VISIT_DATA = ("SV", "TV")


@register("visits_in_sv", message="VISITNUM {VISITNUM} is not a visit of the subject in SV")
def check_visits_in_sv(context: StudyContext, params: NoParams) -> Outcome:
    """Visits of the subjects' records are visits in SV."""
    context.supplied("SV")
    context.require_columns("SV", "USUBJID", "VISITNUM")
    visits = _visits(context, "SV")
    names = [
        name
        for name, dataset in context.study.datasets.items()
        if name not in NOT_VISIT_DATA and {"USUBJID", "VISITNUM"} <= set(dataset.frame.columns)
    ]
    if not names:
        raise NotApplicable("no dataset but SV has VISITNUM")
    outcome = Outcome()
    for name in names:
        frame = context.frame(name)
        known = pd.Series(_visits(context, name).isin(visits), index=frame.index)
        numbered = context.numbers(name, "VISITNUM").notna() & frame["USUBJID"].notna()
        missing = numbered & ~known & ~_with_status(frame, name)
        shown = [c for c in ("VISITNUM", "VISIT") if c in frame.columns]
        outcome.add(select(name, frame, missing, shown))
    return outcome


def _visits(context: StudyContext, name: str) -> pd.MultiIndex:
    frame = context.frame(name)
    return pd.MultiIndex.from_arrays(
        [frame["USUBJID"].astype("string"), rounded(context.numbers(name, "VISITNUM"), 9)]
    )


def _with_status(frame: pd.DataFrame, name: str) -> pd.Series:
    status = f"{variable_prefix(name)}STAT"
    if status not in frame.columns:
        return pd.Series(False, index=frame.index)
    return (frame[status].astype("string").str.strip().fillna("") != "").astype(bool)
