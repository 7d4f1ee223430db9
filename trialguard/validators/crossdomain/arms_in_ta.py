"""Arms of DM and TV are arms of TA: DM's ARMCD with ARM and ACTARMCD with ACTARM, and TV's
ARMCD with ARM, are pairs TA defines.

Subjects outside the planned arms are not judged: ARMCD SCRNFAIL or NOTASSGN, ACTARMCD also
NOTTRT or UNPLAN (the legacy codes, in any case: Scrnfail too, as Pinnacle 21 reads them), and
an empty arm code (SDTMIG 3.3+: ARMNRS says why, which other rules check).  A description left
empty is not compared (another rule wants it).  A finding is a DM or TV record whose code, or
code and description, TA does not define.  Not run without TA and its ARMCD, or when neither
DM nor TV has an arm variable (TV with ARM but no ARMCD: ARM is an ARM of TA).  Reference:
SDTMIG 3.4 DM and TV (arms from TA); Pinnacle 21 SD0066, SD0071, SD2002, SD2003;
CORE-000155, CORE-000156.
"""

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import (
    column_or_empty,
    given,
    missing_from,
    text,
    worded,
)
from trialguard.validators.outcome import Hits, NotRun, Outcome
from trialguard.validators.registry import NoParams, register

PAIRS = {
    "DM": (("ARMCD", "ARM"), ("ACTARMCD", "ACTARM")),
    "TV": (("ARMCD", "ARM"),),
}
OUTSIDE_ARMS = {
    "ARMCD": {"SCRNFAIL", "NOTASSGN"},
    "ACTARMCD": {"SCRNFAIL", "NOTASSGN", "NOTTRT", "UNPLAN"},
}


@register("arms_in_ta", message="{code} of this record is no arm of TA")
def check_arms_in_ta(context: StudyContext, params: NoParams) -> Outcome:
    """Arms of DM and TV are arms of TA."""
    context.supplied("TA")
    ta = context.require_columns("TA", "ARMCD")
    arms = ta.assign(ARM=column_or_empty(ta, "ARM"))
    outcome, checked = Outcome(), 0
    for name, pairs in PAIRS.items():
        frame = context.frame(name) if context.has(name) else pd.DataFrame()
        for code, label in pairs:
            if {code, label} & set(frame.columns):
                checked += 1
                outcome.add(_outside_ta(name, frame, code, label, arms))
    if not checked:
        raise NotRun("neither DM nor TV has an arm variable (ARMCD, ARM, ACTARMCD, ACTARM)")
    return outcome


def _outside_ta(name: str, frame: pd.DataFrame, code: str, label: str, arms: pd.DataFrame) -> Hits:
    """Records whose code (or, without a code variable, description) or pair TA lacks."""
    named = frame.assign(_code=column_or_empty(frame, code), _name=column_or_empty(frame, label))
    if code not in frame.columns:  # a description alone (TV with ARM only)
        failed = given(frame, label) & missing_from(named, ["_name"], arms, ["ARM"])
    else:
        outside = text(frame, code).str.upper().isin(OUTSIDE_ARMS.get(code, set()))
        judged = given(frame, code) & ~outside.fillna(False).astype(bool)
        unknown_code = missing_from(named, ["_code"], arms, ["ARMCD"])
        unknown_pair = missing_from(named, ["_code", "_name"], arms, ["ARMCD", "ARM"])
        failed = judged & (unknown_code | (given(frame, label) & unknown_pair))
    message = f"{code} '{{{code}}}' with {label} '{{{label}}}' is no arm of TA"
    if code not in frame.columns:
        message = f"{label} '{{{label}}}' is no arm of TA"
    return worded(name, frame, failed, [code, label], message, code=code)
