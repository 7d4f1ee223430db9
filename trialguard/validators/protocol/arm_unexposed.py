"""Subjects of a control arm receive no cell product (e.g. ReSET-02's standard-of-care arm SOC).

Params: arms, the arm codes (ARMCD / ACTARMCD per arm_variable) whose
subjects must have no exposure to the Day 0 treatment.  A finding is a
product exposure record of such a subject.
"""

from __future__ import annotations

from pydantic import Field

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.arms import ArmParams, subject_arms
from trialguard.validators.registry import register
from trialguard.validators.select import select


class Params(ArmParams):
    arms: list[str] = Field(min_length=1)


@register(
    "arm_unexposed",
    params=Params,
    message="{EXTRT} given to a subject of the control arm {arm}",
)
def check_arm_unexposed(context: StudyContext, params: Params) -> Outcome:
    """Control-arm subjects receive no cell product."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    product = context.product_records()
    arm = ex["USUBJID"].map(subject_arms(context, params)["arm"])
    exposed = ex.index.isin(product.index) & arm.isin(params.arms)
    return Outcome().add(select("EX", ex, exposed, ["EXTRT"], {"arm": arm}))
