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


@register(
    "legacy_screen_failure",
    message="screen failure coded with the legacy arm code SCRNFAIL; SDTMIG 3.4 leaves ARMCD empty "
    "and sets ARMNRS to SCREEN FAILURE",
)
def check_legacy_screen_failure(context: StudyContext, params: NoParams) -> Outcome:
    """Screen failures use the SDTMIG 3.4 convention."""
    dm = context.require_columns("DM", "USUBJID")
    columns = [c for c in ("ARMCD", "ACTARMCD") if c in dm.columns]
    legacy = pd.Series(False, index=dm.index)
    for column in columns:
        legacy |= dm[column].str.upper().eq(LEGACY_CODE).fillna(False)
    return Outcome().add(select("DM", dm, legacy, columns))
