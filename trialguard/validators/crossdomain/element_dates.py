"""A subject's elements lie within the subject's participation: no SESTDTC before informed
consent (DM.RFICDTC) and no SEENDTC after the end of participation (DM.RFPENDTC), where DM
gives them.

Dates are compared by calendar day, and by time when both carry one on the same day; a
partial date is decided only where its known part decides it, otherwise the record is not
evaluable.  A finding is an SE record starting before its subject's consent or ending after
its subject's participation ended.  Not run without SE, DM or both dates of either pair.
Reference: SDTMIG 3.4 DM (RFICDTC, RFPENDTC) and SE (elements of the subject's
participation, consent to end); whether SESTDTC <= SEENDTC is SD-STEN's.
"""

import pandas as pd

from trialguard.sdtm.dates import VALID, compare_not_after
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import worded
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register

# (SE date, DM date, whether the SE date comes first, the message)
BOUNDS = (
    (
        "SESTDTC",
        "RFICDTC",
        False,
        "SESTDTC {SESTDTC} is before informed consent (RFICDTC {RFICDTC})",
    ),
    (
        "SEENDTC",
        "RFPENDTC",
        True,
        "SEENDTC {SEENDTC} is after the end of participation (RFPENDTC {RFPENDTC})",
    ),
)


@register("element_dates", message="the element lies outside the subject's participation")
def check_element_dates(context: StudyContext, params: NoParams) -> Outcome:
    """Subject elements lie within the subject's participation."""
    context.supplied("SE")
    se = context.require_columns("SE", "USUBJID")
    dm = context.require_columns("DM", "USUBJID")
    bounds = [b for b in BOUNDS if b[0] in se.columns and b[1] in dm.columns]
    if not bounds:
        raise NotRun("SE and DM lack both date pairs (SESTDTC, RFICDTC; SEENDTC, RFPENDTC)")
    outcome = Outcome()
    for se_date, dm_date, se_first, message in bounds:
        own, subject = context.dates("SE", se_date), _subject_dates(context, se, dm_date)
        first, second = (own, subject) if se_first else (subject, own)
        failed, undetermined = compare_not_after(first, second)
        both = (own["status"] == VALID) & (subject["status"] == VALID)
        rows = se.assign(**{dm_date: _subject_texts(context, se, dm_date)})
        variables = [se_date, dm_date]
        outcome.add(
            worded("SE", rows, failed & both, variables, message),
            worded("SE", rows, undetermined & both, variables, message),
        )
    return outcome


def _subject_dates(context: StudyContext, se: pd.DataFrame, column: str) -> pd.DataFrame:
    """DM's parsed `column` of each SE record's subject (missing where DM has no subject)."""
    parsed = context.dates("DM", column).loc[context.subjects["record"]]
    parsed.index = context.subjects.index
    found = parsed.reindex(se["USUBJID"].to_numpy())
    found.index = se.index
    return found.fillna({"status": "missing"})


def _subject_texts(context: StudyContext, se: pd.DataFrame, column: str) -> pd.Series:
    dm = context.frame("DM").loc[context.subjects["record"], column]
    return (
        pd.Series(dm.to_numpy(), index=context.subjects.index)
        .reindex(se["USUBJID"])
        .set_axis(se.index)
    )
