"""The cell product is infused inside a window after a procedure (SMART101 after the HSCT).

Params: procedure (the PRTRT of the procedure's PR record), first_day and last_day (the days
after the procedure's PRSTDTC the Day 0 infusion may fall on).  A finding is a cell-product EX
record of a subject with no such PR record, or whose start is outside the window after the
subject's earliest procedure.  A partial procedure or infusion date is not evaluable.  The
procedure is recorded in PR (SDTMIG 3.4 §6.1 PR: procedures, transplants included), one record
per procedure with PRTRT as the spec names it.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped


class Params(NoParams):
    procedure: str
    first_day: int
    last_day: int


OUTSIDE = (
    "{{EXTRT}} on {{EXSTDTC}} is {{days_after}} days after the {procedure}, outside the window "
    "of {first} to {last} days after it"
)
UNCOUNTED = (
    "{{EXTRT}} on {{EXSTDTC}}: its days after the {procedure} cannot be counted (a partial "
    "date); the window is {first} to {last} days after it"
)


@register(
    "infusion_after_procedure",
    params=Params,
    message="{EXTRT} on {EXSTDTC} is {problem}",
)
def check_infusion_after_procedure(context: StudyContext, params: Params) -> Outcome:
    """The cell product follows the procedure inside its window."""
    context.require_columns("EX", "USUBJID", "EXTRT", "EXSTDTC")
    product = context.product_records()
    starts = context.dates("EX", "EXSTDTC").loc[product.index, "date"]
    procedure = _procedure_dates(context, params.procedure)
    done = product["USUBJID"].isin(procedure.index)
    after = (starts - looked_up(product["USUBJID"], procedure).astype("datetime64[s]")).dt.days
    outside = done & ((after < params.first_day) | (after > params.last_day))
    undecided = done & after.isna()
    window = f"{params.first_day} to {params.last_day} days after the {params.procedure}"
    extra = {"days_after": after.astype("Int64")}
    shown = ["EXTRT", "EXSTDTC"]
    return (
        Outcome()
        .add(
            select(
                "EX",
                product,
                ~done,
                shown,
                problem=f"not preceded by a PR record of the {params.procedure}",
            ),
        )
        .add(
            _worded(product, outside, extra, f"outside the window: {window}", OUTSIDE, params),
            _worded(product, undecided, extra, f"not evaluable: {window}", UNCOUNTED, params),
        )
    )


def _worded(product, mask, extra, problem: str, message: str, params: Params) -> Hits:
    """The records with a message naming the days from the procedure and its window."""
    hits = select("EX", product, mask, ["EXTRT", "EXSTDTC"], extra, problem=problem)
    window = {"first": params.first_day, "last": params.last_day}
    hits.message = message.format(procedure=escaped(params.procedure), **window)
    return hits


def _procedure_dates(context: StudyContext, procedure: str) -> pd.Series:
    """Per USUBJID, the date of the earliest PR record of the procedure (NaT when one of them
    is partial: the earliest cannot be told)."""
    pr = context.require_columns("PR", "USUBJID", "PRTRT", "PRSTDTC")
    chosen = pr["PRTRT"].str.upper().eq(procedure.upper()).fillna(False)
    dates = context.dates("PR", "PRSTDTC").loc[chosen[chosen].index, "date"]
    subject = pr.loc[dates.index, "USUBJID"]
    earliest = dates.groupby(subject).min()
    return earliest.where(~dates.isna().groupby(subject).any())
