"""What the SUPP-- checks share: the SUPP-- datasets of the study and each record's parent.

A SUPP-- record names its parent by RDOMAIN (the parent dataset), USUBJID, and IDVAR /
IDVARVAL (the parent's variable and its value, usually --SEQ); with IDVAR empty the parent is
the subject's record (SUPPDM) or all of the subject's records (SDTMIG 3.4 §8.4.1).
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.conformance.domains import SUPP_NAME
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun

PARENT_VARIABLES = ("RDOMAIN", "USUBJID", "IDVAR", "IDVARVAL")


def supp_datasets(context: StudyContext) -> list[str]:
    """The SUPP-- datasets of the study; NotRun when there is none.  An unreadable one is asked
    for, so the rule says it could not check it."""
    unread = [u.dataset for u in context.study.unreadable if SUPP_NAME.fullmatch(u.dataset)]
    names = [n for n in context.study.datasets if SUPP_NAME.fullmatch(n)]
    for name in unread:
        context.has(name)
    if not names and unread:
        raise NotRun(f"{', '.join(sorted(set(unread)))} could not be read")
    if not names:
        raise NotRun("no SUPP-- dataset supplied")
    return sorted(names)


def parent_columns(context: StudyContext, name: str) -> pd.DataFrame:
    """RDOMAIN, USUBJID, IDVAR and IDVARVAL of each record (RDOMAIN, IDVAR, IDVARVAL empty
    when the dataset lacks them), as stripped text."""
    frame = context.require_columns(name, "USUBJID")
    columns = {
        v: frame[v].astype("string").str.strip() if v in frame.columns else pd.NA
        for v in PARENT_VARIABLES
    }
    return pd.DataFrame(columns, index=frame.index)


def parent_dataset(name: str, rdomain: pd.Series) -> pd.Series:
    """The dataset each record's parent is in: SUPPAE's is AE; SUPPQUAL's is its RDOMAIN."""
    return rdomain if name == "SUPPQUAL" else pd.Series(name[4:], index=rdomain.index)
