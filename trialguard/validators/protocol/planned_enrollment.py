"""The number of enrolled subjects is not above the protocol's planned enrollment.

Params: planned (e.g. 92).  Enrolled are the DM subjects who are not screen failures or
unassigned (ARMNRS SCREEN FAILURE or NOT ASSIGNED, or the legacy arm codes SCRNFAIL and
NOTASSGN); subjects assigned but not treated count.  A finding, about DM as a whole, is an
enrollment above the plan: worth a notice, since a protocol amendment may have raised it.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.conformance.findings import about_dataset
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

NOT_ENROLLED_REASONS = ("SCREEN FAILURE", "NOT ASSIGNED")
NOT_ENROLLED_ARMS = ("SCRNFAIL", "NOTASSGN")


class Params(NoParams):
    planned: int


@register(
    "planned_enrollment",
    params=Params,
    message="{enrolled} subjects are enrolled, more than the {planned} the protocol plans",
)
def check_planned_enrollment(context: StudyContext, params: Params) -> Outcome:
    """Enrollment does not exceed the plan."""
    subjects = context.subjects
    subjects = subjects[subjects.index.notna()]
    enrolled = pd.Series(True, index=subjects.index)
    if "ARMNRS" in subjects.columns:
        enrolled &= ~subjects["ARMNRS"].str.upper().isin(NOT_ENROLLED_REASONS)
    if "ARMCD" in subjects.columns:
        enrolled &= ~subjects["ARMCD"].str.upper().isin(NOT_ENROLLED_ARMS)
    count = int(enrolled.sum())
    if count <= params.planned:
        return Outcome()
    return Outcome().add(about_dataset("DM", "USUBJID", enrolled=count, planned=params.planned))
