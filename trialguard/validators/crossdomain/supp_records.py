"""What the SUPP-- checks share: the SUPP-- datasets of the study and each record's parent.

A SUPP-- record names its parent by RDOMAIN (the parent dataset), USUBJID, and IDVAR /
IDVARVAL (the parent's variable and its value, usually --SEQ); IDVAR and IDVARVAL are empty
only for a qualifier of the subject's DM record (SDTMIG 3.4 §8.4.1).  SUPPLBCH qualifies the
split dataset LBCH, its RDOMAIN is LB (§4.1.7).
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.naming import domain_code, is_supp, supp_parent
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun

PARENT_VARIABLES = ("RDOMAIN", "USUBJID", "IDVAR", "IDVARVAL")


def supp_datasets(context: StudyContext) -> list[str]:
    """The SUPP-- datasets of the study; NotRun when there is none.  An unreadable one is asked
    for, so the rule says it could not check it."""
    unread = [u.dataset for u in context.study.unreadable if is_supp(u.dataset)]
    names = [n for n in context.study.datasets if is_supp(n)]
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
    """The dataset (or domain) each record's parent is in: SUPPAE's is AE, SUPPLBCH's LBCH;
    SUPPQUAL's is its RDOMAIN."""
    parent = supp_parent(name)
    return rdomain if parent is None else pd.Series(parent, index=rdomain.index)


def supp_datasets_with(context: StudyContext, outcome, *variables: str) -> list[str]:
    """The SUPP-- datasets that have `variables`; a note of `outcome` names the others, and
    when none has them the rule does not run."""
    names = supp_datasets(context)
    lacking = {n: [v for v in variables if v not in context.frame(n).columns] for n in names}
    reasons = [f"{n} lacks {' and '.join(missing)}" for n, missing in lacking.items() if missing]
    if len(reasons) == len(names):
        raise NotRun("; ".join(reasons))
    outcome.notes += [f"not checked: {reason}" for reason in reasons]
    return [n for n in names if not lacking[n]]


def qualifier_domain(name: str, rdomain: pd.Series) -> pd.Series:
    """The domain each record qualifies: SUPPLBCH's is LB; SUPPQUAL's its RDOMAIN."""
    parent = supp_parent(name)
    return rdomain if parent is None else pd.Series(domain_code(parent), index=rdomain.index)
