"""The cell product is given by the protocol's route (intravenous).

Params: route, the EXROUTE term expected.  A finding is a product exposure
record with another or no route.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    route: str = "INTRAVENOUS"


@register(
    "exposure_route", params=Params, message="{EXTRT} given by route '{EXROUTE}'; expected {route}"
)
def check_exposure_route(context: StudyContext, params: Params) -> Outcome:
    """The cell product is given by the protocol route."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT", "EXROUTE")
    product = context.product_records()
    wrong = ex.index.isin(product.index) & (ex["EXROUTE"].fillna("") != params.route)
    return Outcome().add(select("EX", ex, wrong, ["EXTRT", "EXROUTE"]))
