"""Every treated subject has exactly one cell-product exposure record (the Day 0 infusion).

Treated subjects are those with any EX record.  A finding is every product
record of a subject with more than one, or the first EX record of a subject
with none.  Not run without EX or a Day 0 treatment in the spec.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "single_exposure",
    message="subject has {count} {treatment} exposure records; the protocol allows exactly one",
)
def check_single_exposure(context: StudyContext, params: NoParams) -> Outcome:
    """Exactly one cell-product exposure per treated subject."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    product = ex["EXTRT"] == context.day0_treatment
    counts = product.groupby(ex["USUBJID"]).sum()
    count = ex["USUBJID"].map(counts)
    first_record = ~ex["USUBJID"].duplicated()
    several = product & (count > 1)
    none = first_record & (count == 0)
    extra = {"count": count}
    treatment = {"treatment": context.day0_treatment}
    return Outcome().add(
        select("EX", ex, pd.Series(several | none, index=ex.index), ["EXTRT"], extra, **treatment)
    )
