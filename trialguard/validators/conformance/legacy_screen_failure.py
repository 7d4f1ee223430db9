"""Screen failures follow SDTMIG 3.4 (empty arm variables, ARMNRS "SCREEN FAILURE"), not the
legacy arm code SCRNFAIL.

A finding (meant as a notice) is a DM record whose ARMCD or ACTARMCD is
SCRNFAIL.  Reference: SDTMIG 3.4 DM assumptions; SDTMIG <= 3.2 used the code.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.protocol.screen_failure_unexposed import LEGACY_CODE
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import joined, named_value

LEGACY = (
    "screen failure coded with the legacy arm code SCRNFAIL{coded}; SDTMIG 3.4 leaves ARMCD "
    "empty and sets ARMNRS to SCREEN FAILURE"
)


@register("legacy_screen_failure", message=LEGACY.format(coded=""))
def check_legacy_screen_failure(context: StudyContext, params: NoParams) -> Outcome:
    """Screen failures use the SDTMIG 3.4 convention."""
    dm = context.require_columns("DM", "USUBJID")
    columns = [c for c in ("ARMCD", "ACTARMCD") if c in dm.columns]
    legacy = pd.DataFrame(
        {c: dm[c].astype("string").str.upper().eq(LEGACY_CODE).fillna(False) for c in columns},
        index=dm.index,
    )
    outcome = Outcome()
    for pattern, group in legacy[legacy.any(axis=1)].groupby(columns, sort=False):
        coded = [c for c, is_legacy in zip(columns, pattern, strict=True) if is_legacy]
        hits = select("DM", dm, dm.index.isin(group.index), columns)
        hits.message = LEGACY.format(coded=f" ({joined([named_value(dm, c) for c in coded])})")
        outcome.add(hits)
    return outcome
