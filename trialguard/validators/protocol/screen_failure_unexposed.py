"""Screen failures have no exposure record at all.

A screen failure has ARMNRS "SCREEN FAILURE" (SDTMIG 3.4) or the legacy arm
code SCRNFAIL in ARMCD.  A finding is any EX record of such a subject.
Reference: SDTMIG 3.4 DM assumptions; protocols.md data conventions.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

LEGACY_CODE = "SCRNFAIL"


def screen_failures(context) -> pd.Index:
    """USUBJIDs of DM subjects marked as screen failures, by either convention."""
    subjects = context.subjects
    failed = pd.Series(False, index=subjects.index)
    if "ARMNRS" in subjects.columns:
        failed |= subjects["ARMNRS"].str.upper().eq("SCREEN FAILURE").fillna(False)
    if "ARMCD" in subjects.columns:
        failed |= subjects["ARMCD"].str.upper().eq(LEGACY_CODE).fillna(False)
    return subjects.index[failed.to_numpy()]


@register("screen_failure_unexposed", message="screen failure has an exposure record ({EXTRT})")
def check_screen_failure_unexposed(context: StudyContext, params: NoParams) -> Outcome:
    """Screen failures are not exposed."""
    ex = context.require_columns("EX", "USUBJID", "EXTRT")
    exposed = ex["USUBJID"].isin(screen_failures(context))
    return Outcome().add(select("EX", ex, exposed, ["EXTRT"]))
