"""Age at informed consent lies in the protocol's range (e.g. 18 <= AGE < 70).

Params: min_age (inclusive), max_age (exclusive; omit for no upper bound).
A finding is a DM record whose AGE is outside the range.  A record with no
numeric AGE, or AGEU other than YEARS, is not evaluable.
"""

from __future__ import annotations

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


class Params(NoParams):
    min_age: float
    max_age: float | None = None


@register("age_range", params=Params, message="AGE {AGE} is outside the protocol range {range}")
def check_age_range(context: StudyContext, params: Params) -> Outcome:
    """Age at consent is inside the protocol range."""
    dm = context.require_columns("DM", "AGE")
    age = context.numbers("DM", "AGE")
    in_years = dm["AGEU"].isna() | (dm["AGEU"] == "YEARS") if "AGEU" in dm.columns else True
    evaluable = age.notna() & in_years
    outside = age < params.min_age
    if params.max_age is not None:
        outside |= age >= params.max_age
    upper = f" < {params.max_age:g}" if params.max_age is not None else ""
    label = {"range": f"{params.min_age:g} <= AGE{upper}"}
    shown = ["AGE", "AGEU"] if "AGEU" in dm.columns else ["AGE"]
    unclear = select("DM", dm, ~evaluable, shown, None, **label)
    unit = " {AGEU}" if "AGEU" in dm.columns else ""
    unclear.message = f"AGE {{AGE}}{unit} cannot be compared with the protocol range {{range}}"
    return Outcome().add(select("DM", dm, evaluable & outside, shown, None, **label), unclear)
