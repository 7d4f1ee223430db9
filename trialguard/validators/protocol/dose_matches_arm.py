"""The cell-product dose matches the dose level named by the subject's arm code.

Params: levels (dose level -> dose), unit (EXDOSU expected), arm_variable
(ACTARMCD by default), arm_pattern.  A finding is a product exposure record
whose EXDOSE or EXDOSU differs from its level's, or whose subject's arm names
no level of the spec.  A record of a subject missing from DM is not evaluable.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.arms import ArmParams, subject_arms
from trialguard.validators.registry import register
from trialguard.validators.select import select


class Params(ArmParams):
    levels: dict[str, float]
    unit: str


NO_LEVEL = "dose {EXDOSE} {EXDOSU}: arm {arm} names no dose level of the spec ({levels})"
NOT_IN_DM = "dose {EXDOSE} {EXDOSU}: the subject is not in DM, so its arm is not known"


@register(
    "dose_matches_arm",
    params=Params,
    message="dose {EXDOSE} {EXDOSU} does not match arm {arm}: expected {expected_dose} {unit}",
)
def check_dose_matches_arm(context: StudyContext, params: Params) -> Outcome:
    """The product dose matches the arm's dose level."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT", "EXDOSE", "EXDOSU")
    product = context.product_records()
    arms = subject_arms(context, params)
    subject = product["USUBJID"]
    expected = subject.map(arms["level"]).map(params.levels)
    dose = context.numbers("EX", "EXDOSE").loc[product.index]
    wrong = expected.isna() | (dose != expected) | (product["EXDOSU"] != params.unit)
    in_dm = subject.isin(arms.index)
    extra = {"arm": subject.map(arms["arm"]), "expected_dose": expected}

    def records(mask: pd.Series, message: str | None = None, **context) -> Hits:
        chosen = pd.Series(mask, index=product.index)
        found = select("EX", ex, chosen, ["EXDOSE", "EXDOSU"], extra, unit=params.unit, **context)
        found.message = message
        return found

    levels = ", ".join(params.levels)
    outcome = Outcome().add(records(wrong & in_dm & expected.notna()))
    outcome.add(records(in_dm & expected.isna(), NO_LEVEL, levels=levels))
    return outcome.undecided(records(~in_dm, NOT_IN_DM))
