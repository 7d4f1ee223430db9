"""Every subject given the cell product also received a protocol co-medication
(e.g. rituximab with AB-101).

Params: treatment, the EXTRT name of the co-medication.  A finding is the
cell-product exposure record of a subject with no exposure record of the
co-medication.
"""

from __future__ import annotations

from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    treatment: str = Field(min_length=1)


@register(
    "required_comedication",
    params=Params,
    message="subject received {EXTRT} but no {treatment}",
)
def check_required_comedication(context: StudyContext, params: Params) -> Outcome:
    """The protocol co-medication was given."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    product = context.product_records()
    given = ex.loc[ex["EXTRT"] == params.treatment, "USUBJID"].unique()
    lacking = ex.index.isin(product.index) & ~ex["USUBJID"].isin(given)
    return Outcome().add(select("EX", ex, lacking, ["EXTRT"]))
