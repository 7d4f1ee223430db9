"""RELREC says each relationship the SDTMIG way: RELTYPE empty between records of a subject,
ONE or MANY between datasets, and every RELID relating at least two records.

A finding is a RELREC record that relates records of a subject (USUBJID given) and has a
RELTYPE; one that relates datasets (USUBJID empty) by a --SEQ, which identifies a record only
within a subject, or with IDVARVAL given, or with RELTYPE not ONE or MANY; or one whose RELID
is empty or on no other record of the subject (of the relationships between datasets, for
USUBJID empty).  Each record is reported once, under the first of these.  Not run without
RELREC, or when it lacks RDOMAIN or IDVAR.
Reference: SDTMIG 3.4 §8.2.1 and §8.3.1 (RELTYPE, RELID); CORE-000202, CORE-000136,
CORE-000484; Pinnacle 21 SD1026, SD1128, SD1066, SD1067.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.parent_records import Problems
from trialguard.validators.crossdomain.relrec_records import relrec_columns
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

DATASET_LEVEL = ("ONE", "MANY")


@register("relrec_types", message="RELREC relationship is not stated as the SDTMIG says: {problem}")
def check_relrec_types(context: StudyContext, params: NoParams) -> Outcome:
    """RELREC states each relationship the SDTMIG way."""
    context.supplied("RELREC")
    keys = relrec_columns(context)
    frame = context.frame("RELREC")
    shown = [v for v in ("RDOMAIN", "IDVAR", "IDVARVAL", "RELTYPE", "RELID") if v in frame]
    outcome, taken = Outcome(), pd.Series(False, index=keys.index)
    for problem, mask in _problems(keys):
        hits = select("RELREC", frame, mask & ~taken, shown, problem=problem)
        hits.message = "RELREC relationship is not stated as the SDTMIG says: " + problem
        outcome.add(hits)
        taken |= mask
    return outcome


def _problems(keys: pd.DataFrame) -> Problems:
    """(what is wrong, the records it is wrong for), in the order a record is reported."""
    between = keys["USUBJID"].isna()
    by_seq = keys["IDVAR"].str.endswith("SEQ").fillna(False)
    return [
        (
            "RELTYPE '{RELTYPE}' is given for records of one subject",
            ~between & keys["RELTYPE"].notna(),
        ),
        (
            "IDVAR {IDVAR}: a --SEQ identifies records only within a subject, not a dataset",
            between & by_seq,
        ),
        (
            "IDVARVAL '{IDVARVAL}' is given in a relationship between datasets",
            between & keys["IDVARVAL"].notna(),
        ),
        (
            "RELTYPE '{RELTYPE}' is not ONE or MANY in a relationship between datasets",
            between & ~keys["RELTYPE"].isin(DATASET_LEVEL),
        ),
        ("RELID is empty", keys["RELID"].isna()),
        ("RELID '{RELID}' relates this record to no other", _alone(keys)),
    ]


def _alone(keys: pd.DataFrame) -> pd.Series:
    """Records whose RELID no other record of the subject (or of no subject) shares."""
    group = keys[["USUBJID", "RELID"]].fillna({"USUBJID": ""})
    return keys["RELID"].notna() & ~group.duplicated(keep=False)
