"""--DY, --STDY and --ENDY agree with their date and DM.RFSTDTC (no study day 0).

Expected day = date - RFSTDTC + 1 on or after the reference date, date -
RFSTDTC before it.  A finding is a record whose study day differs from the
expected one, is empty though both dates are complete, or is given although
the date or RFSTDTC is partial or empty (a study day needs two complete dates).
A split dataset (LBCH) is checked with its domain's pairs.  Not run without DM.RFSTDTC.
Reference: SDTMIG 3.4 §4.4.4; CORE-000138,
CORE-000139, CORE-000354.
"""

import pandas as pd

from trialguard.sdtm.dates import compute_study_day
from trialguard.sdtm.naming import domain_code
from trialguard.validators.conformance.domains import STUDY_DAY_PAIRS
from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

NO_COMPLETE_DATES = "empty (the date or RFSTDTC is not a complete date)"


@register(
    "study_days",
    message="{day_variable} is {actual}; from {date_variable} and RFSTDTC it should be {expected}",
)
def check_study_days(context: StudyContext, params: NoParams) -> Outcome:
    """Study days match dates and RFSTDTC."""
    pairs = [
        (name, date, day)
        for name in context.study.datasets
        for date, day in STUDY_DAY_PAIRS.get(domain_code(name), ())
        if {date, day, "USUBJID"} <= set(context.frame(name).columns)
    ]
    if not pairs:
        raise NotRun("no dataset carries both a date and its study day")
    outcome = Outcome()
    for name, date, day in pairs:
        outcome.hits += [h for h in _compare(context, name, date, day) if len(h.rows)]
    return outcome


def _compare(context, name: str, date: str, day: str):
    frame = context.frame(name)
    reference = context.reference_dates(frame["USUBJID"])
    expected = compute_study_day(context.dates(name, date)["date"], reference)
    actual = context.numbers(name, day)
    has_actual = actual.notna()
    differs = expected.notna() & (~has_actual | (actual != expected.astype("Float64")))
    uncountable = expected.isna() & has_actual
    labels = {"day_variable": day, "date_variable": date}
    shown = expected.astype("object").where(~uncountable, NO_COMPLETE_DATES)
    extra = {"expected": shown, "actual": actual.astype("Float64")}
    extra["RFSTDTC"] = looked_up(frame["USUBJID"], context.subjects["RFSTDTC"])
    given = f" from {date} '{{{date}}}' and RFSTDTC '{{RFSTDTC}}' it should be {{expected}}"
    found = []
    for mask, said in ((has_actual, "{actual};"), (~has_actual, "empty;")):
        wrong = pd.Series((differs | uncountable) & mask, index=frame.index)
        hits = select(name, frame, wrong, [day, date], extra, **labels)
        hits.message = f"{day} is {said}{given}"
        found.append(hits)
    return found
