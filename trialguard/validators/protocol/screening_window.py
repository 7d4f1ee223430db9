"""Informed consent is given no more than the screening period before the first treatment.

Params: max_days (e.g. 28), treatments (EXTRT names: lymphodepletion and the cell product;
empty: every EX record).  A finding is a DM record whose RFICDTC is more than max_days before
the subject's earliest EXSTDTC among those treatments.  Subjects without such a treatment
(screen failures, the untreated) are not judged; a partial consent or treatment date that
cannot decide is not evaluable.  Consent after the first treatment is another rule's
(RFICDTC before RFXSTDTC).
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    max_days: int
    treatments: list[str] = []


@register(
    "screening_window",
    params=Params,
    message="informed consent ({RFICDTC}) is {days_before} days before the first treatment "
    "({first_treatment}); screening lasts at most {max_days} days",
)
def check_screening_window(context: StudyContext, params: Params) -> Outcome:
    """Consent falls inside the screening period before the first treatment."""
    dm = context.require_columns("DM", "USUBJID", "RFICDTC")
    earliest, latest, shown, treated = _first_treatment(context, dm["USUBJID"], params.treatments)
    consent = context.dates("DM", "RFICDTC")  # by calendar day: times do not count
    longest = (latest.dt.normalize() - consent["earliest"].dt.normalize()).dt.days
    shortest = (earliest.dt.normalize() - consent["latest"].dt.normalize()).dt.days
    too_long = treated & (shortest > params.max_days)
    undecided = treated & ~too_long & ~(longest <= params.max_days)
    days = shortest.astype("Int64").astype("string")
    days = days.where(shortest == longest, days + ".." + longest.astype("Int64").astype("string"))
    extra = {"first_treatment": shown, "days_before": days}
    label = {"max_days": params.max_days}
    return Outcome().add(
        select("DM", dm, too_long, ["RFICDTC"], extra, **label),
        select("DM", dm, undecided, ["RFICDTC"], extra, **label),
    )


def _first_treatment(context: StudyContext, usubjid: pd.Series, treatments: list[str]):
    """Per DM record: the earliest and latest day the first treatment may be on, its EXSTDTC
    as written, and whether the subject has one of the treatments at all."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT", "EXSTDTC")
    chosen = ex["EXTRT"].isin(treatments) if treatments else ex["EXTRT"].notna()
    starts = context.dates("EX", "EXSTDTC")[chosen]
    subject = ex.loc[chosen, "USUBJID"]
    first = starts["earliest"].groupby(subject).min()
    # the written date of each subject's earliest record, shown beside the finding
    order = starts["earliest"].sort_values(kind="stable").index
    written = ex.loc[order, ["USUBJID", "EXSTDTC"]].drop_duplicates("USUBJID")
    earliest = looked_up(usubjid, first).astype("datetime64[s]")
    latest_of = starts["latest"].groupby(subject).min()
    latest = looked_up(usubjid, latest_of).astype("datetime64[s]")
    shown = looked_up(usubjid, written.set_index("USUBJID")["EXSTDTC"])
    return earliest, latest, shown, usubjid.isin(subject.dropna())
