"""Every record RELREC relates exists: RDOMAIN names a dataset of the study, IDVAR one of its
variables and IDVARVAL a value of it.

A finding is a RELREC record whose RDOMAIN is empty or names no dataset of the transfer (a
domain's split datasets count: RDOMAIN LB is looked up in LB, LBCH and LBHE), whose subject
has no record there, whose IDVAR is not a variable of it, or whose IDVARVAL no record of the
subject holds in IDVAR (with USUBJID empty, a relationship between datasets, no record at
all); a numeric IDVAR such as AESEQ is compared as a number.  Each record is reported once,
under the first of these.  Not run without RELREC, or when it lacks RDOMAIN or IDVAR.
Reference: SDTMIG 3.4 §8.2 and §8.3; CORE-000384, CORE-000502, CORE-000916, CORE-000206;
Pinnacle 21 SD0072, SD0075, SD0077, SD1065.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.parent_records import Problems, against_domain
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

POINTER = ("RDOMAIN", "USUBJID", "IDVAR", "IDVARVAL")


@register("relrec_records", message="RELREC record relates no existing record: {problem}")
def check_relrec_records(context: StudyContext, params: NoParams) -> Outcome:
    """Every record RELREC relates exists."""
    keys = relrec_columns(context)
    frame = context.frame("RELREC")
    shown = [v for v in (*POINTER, "RELID") if v in frame.columns and v != "USUBJID"]
    outcome = Outcome()
    for problem, mask in _problems(context, keys):
        hits = select("RELREC", frame, mask, shown, problem=problem)
        hits.message = "RELREC record relates no existing record: " + problem
        outcome.add(hits)
    return outcome


def relrec_columns(context: StudyContext) -> pd.DataFrame:
    """RDOMAIN, USUBJID, IDVAR, IDVARVAL, RELTYPE and RELID of each RELREC record as stripped
    text, empty as missing (USUBJID, IDVARVAL, RELTYPE empty when RELREC lacks them)."""
    context.supplied("RELREC")
    if not context.has("RELREC"):
        raise NotRun("no RELREC dataset supplied")
    frame = context.require_columns("RELREC", "RDOMAIN", "IDVAR")
    columns = (*POINTER, "RELTYPE", "RELID")
    return pd.DataFrame({v: _text(frame, v) for v in columns}, index=frame.index)


def _text(frame: pd.DataFrame, variable: str) -> pd.Series:
    """A variable as stripped text, missing where empty or where the dataset lacks it."""
    if variable not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    text = frame[variable].astype("string").str.strip()
    return text.mask(text.eq("").fillna(False))


def _problems(context: StudyContext, keys: pd.DataFrame) -> Problems:
    """(what is wrong, the records it is wrong for), each record counted under its first."""
    empty = keys["RDOMAIN"].isna()
    found = [("RDOMAIN is empty, so the related dataset is not named", empty)]
    for rdomain in sorted(keys.loc[~empty, "RDOMAIN"].unique()):
        found += against_domain(
            context, str(rdomain), keys[keys["RDOMAIN"].eq(rdomain).fillna(False)], "related"
        )
    return found
