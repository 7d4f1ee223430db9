"""A grade >= 3 AE starting inside the DLT window has a DLT record (else: possible unreported DLT).

Params: min_grade (AETOXGR, default 3).  The window comes from the spec's
protocol.dlt_window.  A finding is such an AE that no DLT record of its
subject links to (DLAESEQ = AESEQ).  An AE whose partial onset the window
cannot decide is not evaluable.  Not run without the DLT dataset: with no
DLT records every severe AE would look unreported.
"""

from __future__ import annotations

import pandas as pd
from pydantic import Field

from trialguard.sdtm.dates import classify_in_window
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.dlt_window import dlt_window
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import day_text, select


class Params(NoParams):
    min_grade: int = Field(default=3, ge=1, le=5)


@register(
    "unreported_dlt",
    params=Params,
    message="grade {AETOXGR} AE '{AETERM}' on protocol day {protocol_day} has no DLT record",
)
def check_unreported_dlt(context: StudyContext, params: Params) -> Outcome:
    """Severe AEs in the DLT window have a DLT record."""
    window = dlt_window(context)
    ae = context.require_columns("AE", "USUBJID", "AESEQ", "AETOXGR", "AESTDTC")
    dl = context.require_columns("DL", "USUBJID", "DLAESEQ")
    context.day0  # noqa: B018  (raises NotRun without a Day 0 treatment)
    severe = context.numbers("AE", "AETOXGR") >= params.min_grade
    days = context.protocol_days("AE", "AESTDTC")
    outside, undetermined = classify_in_window(
        days["low"], days["high"], window.first_day, window.last_day
    )
    inside = ~outside & ~undetermined & days["has_day0"]
    reported = pd.MultiIndex.from_arrays([dl["USUBJID"], context.numbers("DL", "DLAESEQ")])
    keys = pd.MultiIndex.from_arrays([ae["USUBJID"], context.numbers("AE", "AESEQ")])
    unlinked = pd.Series(~keys.isin(reported), index=ae.index)
    shown = [c for c in ["AESEQ", "AETERM", "AETOXGR", "AESTDTC"] if c in ae.columns]
    extra = {"protocol_day": day_text(days[severe & unlinked])}  # only where it may be shown
    return Outcome().add(
        select("AE", ae, severe & inside & unlinked, shown, extra),
        select("AE", ae, severe & unlinked & (undetermined | ~days["has_day0"]), shown, extra),
    )
